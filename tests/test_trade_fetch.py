"""The Census fetcher: URLs, the cache, retries, offline and HTTP errors.

No network: every request goes to a fake opener that replays the responses
under tests/fixtures/census/ (or raises what urllib raises).
"""

from __future__ import annotations

import doctest
import io
import json
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

import pytest

from briefs.trade import fetch
from briefs.trade.fetch import (
    census_params,
    census_url,
    fetch_census_imports,
    fetch_command,
    parse_years,
)
from briefs.trade.frame import TradeDataError

FIXTURES = Path(__file__).parent / "fixtures" / "census"
PARTNERS = (FIXTURES / "imports-hs-850760-partners.json").read_bytes()
TOTAL = (FIXTURES / "imports-hs-850760-total.json").read_bytes()
Y2024 = range(2024, 2025)


def headers(**values: str) -> Message:
    """HTTP headers as urllib gives them."""
    message = Message()
    for name, value in values.items():
        message[name.replace("_", "-")] = value
    return message


@dataclass
class Reply:
    """A fake ``http.client.HTTPResponse``."""

    body: bytes
    status: int = 200
    headers: Message = field(default_factory=Message)

    def read(self) -> bytes:
        return self.body

    def close(self) -> None:
        pass


def http_error(code: int, body: bytes = b"", **head: str) -> urllib.error.HTTPError:
    """What urlopen raises for a 4xx or 5xx answer."""
    return urllib.error.HTTPError(
        fetch.ENDPOINT, code, "status", headers(**head), io.BytesIO(body)
    )


@dataclass
class Replay:
    """An opener replaying answers in order; records URLs and sleeps."""

    answers: list[Reply | Exception]
    urls: list[str] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)

    def __call__(self, request: urllib.request.Request, *, timeout: float) -> Reply:
        self.urls.append(request.full_url)
        assert request.get_header("User-agent", "").startswith("tracebrief/")
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


@pytest.fixture(autouse=True)
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test depends on the developer's own key."""
    monkeypatch.delenv("CENSUS_API_KEY", raising=False)


Fetch = Callable[..., Path]


@pytest.fixture
def get(tmp_path: Path) -> Callable[..., Path]:
    """fetch_census_imports for HS 850760 in 2024 into tmp_path, via a Replay."""

    def run(replay: Replay, by_partner: bool = True, key: str | None = None) -> Path:
        return fetch_census_imports(
            "850760",
            Y2024,
            by_partner,
            tmp_path,
            key,
            opener=replay,
            sleep=replay.sleep,
        )

    return run


# -- the query ----------------------------------------------------------------


def test_url_by_partner() -> None:
    url = census_url(census_params("850760", range(2019, 2025), by_partner=True), None)
    assert url == (
        "https://api.census.gov/data/timeseries/intltrade/imports/hs"
        "?get=CTY_CODE,CTY_NAME,I_COMMODITY_SDESC,GEN_VAL_MO,CON_VAL_MO"
        "&COMM_LVL=HS6&I_COMMODITY=850760&time=from+2019-01+to+2024-12"
    )


def test_url_total_filters_the_world_row() -> None:
    url = census_url(census_params("850760", Y2024, by_partner=False), None)
    assert "get=CTY_NAME,I_COMMODITY_SDESC," in url
    assert (
        "&COMM_LVL=HS6&CTY_CODE=-&I_COMMODITY=850760&time=from+2024-01+to+2024-12"
        in url
    )


def test_url_hs10_asks_for_quantities_and_key_goes_last() -> None:
    url = census_url(census_params("8507600020", Y2024, by_partner=True), "k" * 40)
    assert "GEN_QY1_MO,CON_QY1_MO,UNIT_QY1&COMM_LVL=HS10&I_COMMODITY=8507600020&" in url
    assert url.endswith("&key=" + "k" * 40)


@pytest.mark.parametrize(
    ("hts", "level", "commodity"),
    [("85", "HS2", "85"), ("850", "HS4", "850*"), ("8507", "HS4", "8507"),
     ("85076000", "HS10", "85076000*"), ("8507600020", "HS10", "8507600020")],
)  # fmt: skip
def test_commodity_level(hts: str, level: str, commodity: str) -> None:
    params = dict(census_params(hts, Y2024, by_partner=True))
    assert (params["COMM_LVL"], params["I_COMMODITY"]) == (level, commodity)
    # Under a wildcard, each row's own code is asked for; else it is appended.
    assert ("I_COMMODITY," in params["get"]) == commodity.endswith("*")


def test_cache_name_says_what_it_holds_and_not_the_key(tmp_path: Path) -> None:
    path = fetch.cache_path(tmp_path, "850760", range(2019, 2025), True)
    assert path.parent == tmp_path / "census"
    assert path.name.startswith("imports-hs-850760-2019-2024-partners-")
    assert path != fetch.cache_path(tmp_path, "850760", range(2019, 2025), False)


# -- the cache ----------------------------------------------------------------


def test_fetch_writes_the_raw_response_and_its_meta(get: Fetch) -> None:
    replay = Replay([Reply(PARTNERS)])
    path = get(replay, key="secret-key")
    assert path.read_bytes() == PARTNERS
    assert replay.urls[0].endswith("&key=secret-key")
    meta = json.loads(path.with_name(path.stem + ".meta.json").read_text())
    assert meta["url"] == replay.urls[0].removesuffix("&key=secret-key")
    assert meta["status"] == 200
    assert meta["params"]["I_COMMODITY"] == "850760"
    assert "secret-key" not in json.dumps(meta)
    assert not list(path.parent.glob("*.partial"))
    table = json.loads(path.read_bytes())
    assert table[0][-3:] == ["COMM_LVL", "I_COMMODITY", "time"]


def test_cached_query_is_not_fetched_again(get: Fetch) -> None:
    first = get(Replay([Reply(PARTNERS)]))
    offline = Replay([urllib.error.URLError(socket.gaierror(-3, "no name"))])
    assert get(offline) == first
    assert offline.urls == []  # the opener was never called
    assert get(Replay([Reply(TOTAL)]), by_partner=False) != first  # another query


def test_key_comes_from_the_environment_when_called(
    get: Fetch, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CENSUS_API_KEY", "env-key")
    replay = Replay([Reply(PARTNERS)])
    get(replay)
    assert replay.urls[0].endswith("&key=env-key")


def test_no_data_204_is_cached_as_an_empty_file(get: Fetch) -> None:
    path = get(Replay([Reply(b"", status=204)]))
    assert path.read_bytes() == b""


# -- retries and errors ---------------------------------------------------------


def test_429_then_200_backs_off_once(get: Fetch) -> None:
    replay = Replay([http_error(429), Reply(PARTNERS)])
    assert get(replay).read_bytes() == PARTNERS
    assert replay.sleeps == [1.0]
    assert len(replay.urls) == 2


def test_retry_after_is_honoured(get: Fetch) -> None:
    replay = Replay([http_error(429, Retry_After="5"), Reply(PARTNERS)])
    get(replay)
    assert replay.sleeps == [5.0]


def test_backoff_doubles_then_gives_up(get: Fetch, tmp_path: Path) -> None:
    replay = Replay(
        [http_error(503), http_error(502), http_error(500), http_error(503)]
    )
    with pytest.raises(TradeDataError) as e:
        get(replay)
    assert str(e.value) == (
        "api.census.gov answered HTTP 503 4 times; try again later "
        "(cached queries still work)"
    )
    assert replay.sleeps == [1.0, 2.0, 4.0]
    assert not (tmp_path / "census").exists()


def test_a_dropped_connection_is_retried(get: Fetch) -> None:
    replay = Replay([ConnectionResetError("reset by peer"), Reply(PARTNERS)])
    assert get(replay).read_bytes() == PARTNERS
    assert replay.sleeps == [1.0]


def test_offline_is_one_clear_line(get: Fetch, tmp_path: Path) -> None:
    down = urllib.error.URLError(
        socket.gaierror(-3, "Temporary failure in name resolution")
    )
    replay = Replay([down] * fetch.TRIES)
    with pytest.raises(TradeDataError) as e:
        get(replay)
    assert str(e.value) == (
        "cannot reach api.census.gov (offline?): [Errno -3] Temporary failure in "
        "name resolution; cached queries still work"
    )
    assert "\n" not in str(e.value)
    assert len(replay.urls) == fetch.TRIES
    assert not (tmp_path / "census").exists()


def test_bad_request_is_not_retried_and_says_why(get: Fetch) -> None:
    replay = Replay([http_error(400, (FIXTURES / "error-400.txt").read_bytes())])
    with pytest.raises(TradeDataError) as e:
        get(replay)
    assert str(e.value) == (
        "api.census.gov answered HTTP 400: error: unknown variable 'GEN_VAL_MOX'"
    )
    assert replay.sleeps == []


def test_rejected_key_redirect(get: Fetch) -> None:
    replay = Replay(
        [http_error(302, Location="https://api.census.gov/data/invalid_key.html")]
    )
    with pytest.raises(TradeDataError, match=r"rejected the API key \(HTTP 302\)"):
        get(replay, key="bad")


def test_a_page_that_is_not_a_table_is_not_cached(get: Fetch, tmp_path: Path) -> None:
    replay = Replay([Reply(b"<html><body>Invalid Key</body></html>")])
    with pytest.raises(TradeDataError) as e:
        get(replay, key="bad")
    assert str(e.value) == (
        "api.census.gov sent something that is not a Census table (check "
        "CENSUS_API_KEY): '<html><body>Invalid Key</body></html>'"
    )
    assert not (tmp_path / "census").exists()


# -- the command ----------------------------------------------------------------


def test_fetch_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[object, ...]] = []

    def fake(hts: str, years: range, by_partner: bool, cache_dir: Path) -> Path:
        calls.append((hts, years, by_partner, cache_dir))
        return cache_dir / "x.json"

    monkeypatch.setattr(fetch, "fetch_census_imports", fake)
    first = fetch_command("850760", "2019-2024", "partner", tmp_path)
    assert first.path == tmp_path / "x.json"
    # The query comes back with the path: nothing re-reads the meta file.
    assert first.query == fetch.census_url(
        fetch.census_params("850760", range(2019, 2025), True), None
    )
    assert fetch_command(" 8507 ", "2024", None, tmp_path).path == tmp_path / "x.json"
    assert calls == [
        ("850760", range(2019, 2025), True, tmp_path),
        ("8507", range(2024, 2025), False, tmp_path),
    ]


@pytest.mark.parametrize(
    ("hts", "years", "by", "message"),
    [
        ("8507.60", "2024", None, "HTS code '8507.60' must be 2 to 10 digits, without dots (e.g. 850760)"),
        ("8", "2024", None, "HTS code '8' must be 2 to 10 digits, without dots (e.g. 850760)"),
        ("85076000201", "2024", None, "HTS code '85076000201' must be 2 to 10 digits, without dots (e.g. 850760)"),
        ("850760", "2019-24", None, "years '2019-24' must look like 2019-2024 or 2024"),
        ("850760", "2024-2019", None, "years '2024-2019' run backwards; write 2019-2024"),
        ("850760", "2010-2012", None, "years '2010-2012': the Census API has monthly HS data from 2013 on"),
        ("850760", "2024", "country", "--by must be 'partner' (or left out), not 'country'"),
    ],
)  # fmt: skip
def test_fetch_command_errors(
    hts: str, years: str, by: str | None, message: str, tmp_path: Path
) -> None:
    with pytest.raises(TradeDataError) as e:
        fetch_command(hts, years, by, tmp_path)
    assert str(e.value) == message


def test_parse_years_accepts_an_en_dash() -> None:
    assert parse_years("2019\u20132024") == range(2019, 2025)


def test_doctests() -> None:
    assert doctest.testmod(fetch).failed == 0
