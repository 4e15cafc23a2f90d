"""Fetch US imports by HS code from the Census international trade API.

The raw response is cached on disk under a name that carries a hash of the
query (without the key), beside a ``.meta.json`` naming the query, status and
sha256; a cached query is never fetched again (delete the file to refresh).
Requests go through an injectable opener (``urllib.request`` by default) and
retry with exponential backoff on HTTP 429, 5xx and connection errors, with an
injectable sleep so tests do not wait.

The response is the Census format: a JSON array of arrays, header row first,
every value a string; HTTP 204 (a valid query with no data) is cached as an
empty file. Reading it into the trade frame is the loaders' job.

>>> census_params("850760", range(2019, 2025), by_partner=True)[1:]
(('COMM_LVL', 'HS6'), ('I_COMMODITY', '850760'), ('time', 'from 2019-01 to 2024-12'))
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Protocol

from briefs.trade.frame import TradeDataError

ENDPOINT = "https://api.census.gov/data/timeseries/intltrade/imports/hs"
FIRST_YEAR = 2013  # the API's monthly HS data begin in January 2013
LEVELS = (2, 4, 6, 10)  # COMM_LVL HS2, HS4, HS6, HS10
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
TRIES = 4
FIRST_WAIT = 1.0  # seconds; doubles after each failed try
MAX_WAIT = 60.0
TIMEOUT = 60.0
USER_AGENT = "tracebrief/0.1 (policy briefs; +https://api.census.gov)"
OFFLINE = "cannot reach api.census.gov (offline?): {reason}; cached queries still work"

# Values per month: general imports and imports for consumption (customs value).
VALUES = ("GEN_VAL_MO", "CON_VAL_MO")
QUANTITIES = ("GEN_QY1_MO", "CON_QY1_MO", "UNIT_QY1")  # only meaningful at HS10


@dataclass(frozen=True, slots=True)
class Fetched:
    """A cached Census response and the query it answers (the URL, no key)."""

    path: Path
    query: str


class Response(Protocol):
    """What the code needs of ``urllib``'s HTTP response."""

    status: int
    headers: Message

    def read(self) -> bytes: ...

    def close(self) -> None: ...


class Opener(Protocol):
    """``urllib.request.urlopen``'s shape: raises HTTPError for 4xx/5xx."""

    def __call__(
        self, request: urllib.request.Request, *, timeout: float
    ) -> Response: ...


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Census answers a bad key with a 302 to an HTML page: surface it instead."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def default_opener() -> Opener:
    """``urlopen`` without redirects."""
    opener = urllib.request.build_opener(_NoRedirect)

    def open_url(request: urllib.request.Request, *, timeout: float) -> Response:
        response: Response = opener.open(request, timeout=timeout)
        return response

    return open_url


# -- the query --------------------------------------------------------------


def commodity_filter(hts: str) -> tuple[str, str]:
    """``(COMM_LVL, I_COMMODITY)`` for a code: exact at 2/4/6/10 digits, else a
    wildcard one level down (8 digits -> HS10 lines under it).

    >>> commodity_filter("85076000")
    ('HS10', '85076000*')
    """
    level = next(n for n in LEVELS if n >= len(hts))
    return f"HS{level}", hts if level == len(hts) else f"{hts}*"


def census_params(
    hts: str, years: range, by_partner: bool
) -> tuple[tuple[str, str], ...]:
    """The query parameters, in order, without the key.

    A filtered variable comes back as an extra column, so it is not also
    asked for in ``get`` (that would duplicate the column) -- except under a
    wildcard, where ``get`` returns each row's own code.
    """
    check_hts(hts)
    if len(years) == 0 or years.step != 1:
        raise TradeDataError(f"years must be a non-empty run of years, not {years}")
    level, commodity = commodity_filter(hts)
    names = ["CTY_CODE", "CTY_NAME"] if by_partner else ["CTY_NAME"]
    if commodity.endswith("*"):
        names.append("I_COMMODITY")
    names += ["I_COMMODITY_SDESC", *VALUES]
    if level == "HS10":
        names += QUANTITIES
    params = [("get", ",".join(names)), ("COMM_LVL", level)]
    if not by_partner:
        params.append(("CTY_CODE", "-"))  # TOTAL FOR ALL COUNTRIES only
    params += [
        ("I_COMMODITY", commodity),
        ("time", f"from {years[0]}-01 to {years[-1]}-12"),
    ]
    return tuple(params)


def census_url(params: tuple[tuple[str, str], ...], key: str | None) -> str:
    """The request URL; the key, if any, goes last."""
    pairs = [*params, ("key", key)] if key else list(params)
    return f"{ENDPOINT}?{urllib.parse.urlencode(pairs, safe=',*')}"


def cache_path(cache_dir: Path, hts: str, years: range, by_partner: bool) -> Path:
    """Where the response to a query is kept: readable name, hash of the query."""
    params = census_params(hts, years, by_partner)
    digest = hashlib.sha256(census_url(params, None).encode()).hexdigest()[:16]
    scope = "partners" if by_partner else "total"
    name = f"imports-hs-{hts}-{years[0]}-{years[-1]}-{scope}-{digest}.json"
    return cache_dir / "census" / name


# -- the request ------------------------------------------------------------


def fetch_census_imports(
    hts: str,
    years: range,
    by_partner: bool,
    cache_dir: Path,
    key: str | None = None,
    *,
    opener: Opener | None = None,
    sleep: Callable[[float], None] = time.sleep,
    tries: int = TRIES,
) -> Path:
    """The path of the cached Census response for a query, fetching it if needed.

    ``key`` defaults to ``$CENSUS_API_KEY`` (read when called; without one
    the API allows 500 calls a day). It is never written to disk.
    """
    path = cache_path(cache_dir, hts, years, by_partner)
    if path.exists():
        return path
    key = key if key is not None else os.environ.get("CENSUS_API_KEY") or None
    params = census_params(hts, years, by_partner)
    status, body = request(
        census_url(params, key), opener or default_opener(), sleep, tries
    )
    check_body(status, body, bool(key))
    meta = {
        "url": census_url(params, None),
        "params": dict(params),
        "status": status,
        "sha256": hashlib.sha256(body).hexdigest(),
        "bytes": len(body),
    }
    write_cache(path, body, meta)
    return path


def request(
    url: str, opener: Opener, sleep: Callable[[float], None], tries: int
) -> tuple[int, bytes]:
    """``(status, body)`` of a 2xx answer, retrying 429, 5xx and connection errors.

    Waits 1, 2, 4... seconds between tries (longer if a 429 says Retry-After).
    """
    tries = max(tries, 1)
    failure = _Retry("no attempt")
    for attempt in range(1, tries + 1):
        try:
            return attempt_once(url, opener)
        except _Retry as retry:
            failure = retry
        if attempt < tries:
            sleep(max(backoff(attempt), failure.wait))
    if failure.status is not None:
        raise TradeDataError(
            f"api.census.gov answered HTTP {failure.status} {tries} times; "
            "try again later (cached queries still work)"
        )
    raise TradeDataError(OFFLINE.format(reason=failure))


def backoff(attempt: int) -> float:
    """Seconds to wait after failed try ``attempt`` (1, 2, 4, ... up to a minute)."""
    return float(min(FIRST_WAIT * 2 ** (attempt - 1), MAX_WAIT))


class _Retry(Exception):
    """A failure worth another try: its HTTP status (None for a connection
    error) and the server's Retry-After in seconds (0 if none)."""

    def __init__(
        self, message: str, status: int | None = None, wait: float = 0.0
    ) -> None:
        super().__init__(message)
        self.status = status
        self.wait = wait


def attempt_once(url: str, opener: Opener) -> tuple[int, bytes]:
    """One request: the answer, a _Retry, or a TradeDataError for the caller."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        response = opener(request, timeout=TIMEOUT)
        try:
            return response.status, response.read()
        finally:
            response.close()
    except urllib.error.HTTPError as e:
        body = e.read() if e.fp is not None else b""
        if e.code in RETRY_STATUS:
            raise _Retry(f"HTTP {e.code}", e.code, retry_after(e.headers)) from None
        raise http_error(e.code, body, e.headers) from None
    except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
        reason = getattr(e, "reason", e)
        raise _Retry(str(reason) or type(e).__name__) from None


def retry_after(headers: Message | None) -> float:
    """The Retry-After header in seconds (0 when absent or a date), capped."""
    value = (headers.get("Retry-After") if headers is not None else None) or ""
    return min(float(value), MAX_WAIT) if value.strip().isdigit() else 0.0


def http_error(code: int, body: bytes, headers: Message | None) -> TradeDataError:
    """The error for an answer that another try would not fix."""
    if 300 <= code < 400 or (
        headers is not None and headers.get("X-DataWebAPI-KeyError")
    ):
        return TradeDataError(
            f"api.census.gov rejected the API key (HTTP {code}); check CENSUS_API_KEY, "
            "or unset it (500 calls a day need no key)"
        )
    text = " ".join(body.decode("utf-8", "replace").split())[:200]
    return TradeDataError(
        f"api.census.gov answered HTTP {code}: {text or 'no message'}"
    )


def check_body(status: int, body: bytes, keyed: bool) -> None:
    """Raise unless the body is a Census table (or empty, for HTTP 204)."""
    if status == 204 or not body.strip():
        return
    try:
        table = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        table = None
    if not (
        isinstance(table, list) and table and all(isinstance(r, list) for r in table)
    ):
        start = " ".join(body[:120].decode("utf-8", "replace").split())
        hint = " (check CENSUS_API_KEY)" if keyed else ""
        raise TradeDataError(
            f"api.census.gov sent something that is not a Census table{hint}: {start!r}"
        )


def write_cache(path: Path, body: bytes, meta: dict[str, object]) -> None:
    """Write the response and its meta file, each atomically (the only writer here)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    meta_path = path.with_name(path.stem + ".meta.json")
    for target, data in (
        (meta_path, (json.dumps(meta, indent=2, sort_keys=True) + "\n").encode()),
        (path, body),
    ):
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(data)
        os.replace(partial, target)


# -- the command --------------------------------------------------------------


def check_hts(hts: str) -> str:
    """The code if it is 2 to 10 digits, else an error saying what is wrong."""
    if not re.fullmatch(r"\d{2,10}", hts):
        raise TradeDataError(
            f"HTS code {hts!r} must be 2 to 10 digits, without dots (e.g. 850760)"
        )
    return hts


def parse_years(text: str) -> range:
    """``"2019-2024"`` -> range(2019, 2025); ``"2024"`` -> range(2024, 2025).

    >>> parse_years("2019-2024")
    range(2019, 2025)
    """
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-\u2013]\s*(\d{4}))?\s*", text)
    if not match:
        raise TradeDataError(f"years {text!r} must look like 2019-2024 or 2024")
    first, last = int(match[1]), int(match[2] or match[1])
    if last < first:
        raise TradeDataError(f"years {text!r} run backwards; write {last}-{first}")
    if first < FIRST_YEAR:
        raise TradeDataError(
            f"years {text!r}: the Census API has monthly HS data from {FIRST_YEAR} on"
        )
    return range(first, last + 1)


def fetch_command(hts: str, years: str, by: str | None, cache_dir: Path) -> Fetched:
    """``brief trade fetch --hts 850760 --years 2019-2024 [--by partner]``:
    the cached response and the query it answers."""
    if by not in (None, "partner"):
        raise TradeDataError(f"--by must be 'partner' (or left out), not {by!r}")
    code, span, partners = check_hts(hts.strip()), parse_years(years), by == "partner"
    path = fetch_census_imports(code, span, partners, cache_dir)
    return Fetched(path, census_url(census_params(code, span, partners), None))
