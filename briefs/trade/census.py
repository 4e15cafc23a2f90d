"""Census international trade API responses (imports by HS) as a normalised frame.

The endpoint ``/data/timeseries/intltrade/imports/hs`` answers with a JSON
array of arrays: the header row first, then one row per commodity, partner
and month, every value a string. The same table saved as CSV reads alike. Filter variables and ``time`` come back as
extra columns, so a variable both requested and filtered on appears twice;
the first occurrence is read. A valid request with no data answers with an
empty body (HTTP 204), which loads as an empty frame.

One source row gives one frame row per value basis it carries: general
imports (``GEN_VAL_MO``) and imports for consumption (``CON_VAL_MO``) differ
by bonded-warehouse flows, and a brief must name which it uses. A response
with only year-to-date values (``GEN_VAL_YR``) loads its December rows as
annual totals; other months are refused, since a year-to-date sum is neither
a month nor a year.

Partners: ``CTY_CODE`` ``-`` (TOTAL FOR ALL COUNTRIES) becomes the world row
(``partner_iso3`` ``WLD``); groupings (codes starting ``0``: EUROPEAN UNION,
USMCA, ASEAN, ...) and continents (codes ending ``XXX``) are dropped, because
they double count the countries in them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from briefs.trade.codes import commodity_columns, normalise_unit
from briefs.trade.countries import census_partner
from briefs.trade.frame import COLUMNS, TradeDataError, check_frame, empty_frame

log = logging.getLogger(__name__)

DATASET = "Census international trade API, imports by HS"

# Value basis prefix -> flow. Each has _VAL_MO, _VAL_YR and _QY1_MO fields.
_BASES = {"GEN": "general_imports", "CON": "imports_for_consumption"}
_REQUIRED = ("I_COMMODITY", "CTY_CODE")

Row = Sequence[str | None]


@dataclass(frozen=True, slots=True)
class _Source:
    """What every frame row from one response shares."""

    name: str
    sha256: str
    query: str
    columns: Mapping[str, int]  # field -> index of its first occurrence
    width: int  # fields in the header, duplicates included


def load_census(source: Path | str | bytes, query: str = "") -> pd.DataFrame:
    """A Census API response (a file, or the response bytes) as a normalised frame.

    ``query`` is the request URL or its parameters, recorded in every row; for
    bytes it also names the response in error messages. ``source_row`` counts
    the header as row 1, so the first data row is row 2 (and, as the API puts
    one row per line, its line number).

    Raises TradeDataError naming the file and row for a truncated response, a
    missing header field, a malformed code or a non-numeric value.
    """
    name, data = _read(source, query)
    rows = parse_response(data, name)
    if not rows:
        return empty_frame()
    header = _header(rows[0], name)
    meta = _Source(name, hashlib.sha256(data).hexdigest(), query, header, len(rows[0]))
    records: list[dict[str, Any]] = []
    dropped = 0
    for number, row in enumerate(rows[1:], start=2):
        found = row_records(row, number, meta)
        dropped += found is None
        records.extend(found or [])
    if dropped:
        log.info("%s: dropped %d country-group and continent rows", name, dropped)
    return check_frame(pd.DataFrame.from_records(records, columns=list(COLUMNS)), name)


def _read(source: Path | str | bytes, query: str) -> tuple[str, bytes]:
    if isinstance(source, bytes):
        return (query or "Census API response"), source
    path = Path(source)
    try:
        return str(path), path.read_bytes()
    except OSError as e:
        raise TradeDataError(f"{path}: cannot read: {e.strerror}") from None


def parse_response(data: bytes, name: str) -> list[list[str | None]]:
    """The rows of a response; [] for an empty body (no data for the query).

    A response saved as CSV (the same table, header first) reads the same.
    """
    if not data.strip():
        return []
    if not data.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"["):
        return parse_csv(data, name)
    try:
        parsed = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise TradeDataError(f"{name} byte {e.start}: not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise TradeDataError(
            f"{name} line {e.lineno}: not complete JSON ({e.msg}); "
            "the response may be truncated: fetch it again"
        ) from None
    if not isinstance(parsed, list) or not all(isinstance(r, list) for r in parsed):
        raise TradeDataError(f"{name}: not a Census response (a JSON array of arrays)")
    return [[_cell(c) for c in row] for row in parsed]


def parse_csv(data: bytes, name: str) -> list[list[str | None]]:
    """The rows of a Census table saved as CSV; empty cells are null."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise TradeDataError(f"{name} byte {e.start}: not UTF-8 text") from None
    rows = [r for r in csv.reader(io.StringIO(text)) if r]
    return [[c if c != "" else None for c in row] for row in rows]


def _cell(value: object) -> str | None:
    return None if value is None else str(value)


def _header(row: Row, name: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, field in enumerate(row):
        columns.setdefault((field or "").strip(), index)
    missing = [f for f in _REQUIRED if f not in columns]
    if not any(f"{b}_VAL_{p}" in columns for b in _BASES for p in ("MO", "YR")):
        missing.append("GEN_VAL_MO or CON_VAL_MO")
    if not ({"YEAR", "MONTH"} <= columns.keys() or "time" in columns):
        missing.append("YEAR and MONTH (or time)")
    if missing:
        raise TradeDataError(
            f"{name} row 1: missing header field {', '.join(missing)}; "
            "add it to the request's get= list"
        )
    return columns


def _get(row: Row, meta: _Source, field: str) -> str | None:
    index = meta.columns.get(field)
    value = row[index] if index is not None else None
    return value.strip() if value is not None and value.strip() else None


def row_records(row: Row, number: int, meta: _Source) -> list[dict[str, Any]] | None:
    """The frame rows for one response row; None for a country-group row."""
    where = f"{meta.name} row {number}"
    if len(row) != meta.width:
        raise TradeDataError(
            f"{where}: {len(row)} fields where the header has {meta.width}"
        )
    partner = census_partner(
        _get(row, meta, "CTY_CODE") or "", _get(row, meta, "CTY_NAME") or ""
    )
    if partner.kind == "group":
        return None
    year, month = _period(row, meta, where)
    common = {
        "reporter": "United States",
        "reporter_iso3": "USA",
        "partner": partner.name,
        "partner_iso3": partner.iso3,
        **_commodity(row, meta, where),
        "dataset": DATASET,
        "source_sha256": meta.sha256,
        "query": meta.query,
        "source_row": number,
    }
    out = []
    for basis, flow in _BASES.items():
        values = _basis(row, meta, basis, month, where)
        if values is not None:
            out.append({**common, "year": year, "flow": flow, **values})
    return out


def _period(row: Row, meta: _Source, where: str) -> tuple[int, int]:
    year, month = _get(row, meta, "YEAR"), _get(row, meta, "MONTH")
    time = _get(row, meta, "time") or ""
    if year is None and re.fullmatch(r"\d{4}-\d{2}", time):
        year, month = time.split("-")
    if year is None or month is None or not (year + month).isdigit():
        raise TradeDataError(
            f"{where}: YEAR '{year}' and MONTH '{month}' are not a month"
        )
    if not 1 <= int(month) <= 12:
        raise TradeDataError(f"{where}: MONTH '{month}' is not 01-12")
    return int(year), int(month)


def _commodity(row: Row, meta: _Source, where: str) -> dict[str, Any]:
    text = _get(row, meta, "I_COMMODITY") or ""
    description = _get(row, meta, "I_COMMODITY_LDESC") or _get(
        row, meta, "I_COMMODITY_SDESC"
    )
    return commodity_columns(text, description, where, "I_COMMODITY")


def _basis(
    row: Row, meta: _Source, basis: str, month: int, where: str
) -> dict[str, Any] | None:
    """Value, quantity and month for one value basis, or None if not requested."""
    if f"{basis}_VAL_MO" in meta.columns:
        value, period = _number(row, meta, f"{basis}_VAL_MO", where), month
    elif f"{basis}_VAL_YR" in meta.columns:
        if month != 12:
            raise TradeDataError(
                f"{where}: {basis}_VAL_YR for month {month:02d} is a year-to-date sum; "
                f"request {basis}_VAL_MO, or December for a year"
            )
        value, period = _number(row, meta, f"{basis}_VAL_YR", where), None
    else:
        return None
    quantity_field = f"{basis}_QY1_{'MO' if period else 'YR'}"
    return {
        "month": period,
        "value_usd": value,
        "quantity": _number(row, meta, quantity_field, where),
        "quantity_unit": normalise_unit(_get(row, meta, "UNIT_QY1")),
    }


def _number(row: Row, meta: _Source, field: str, where: str) -> float | None:
    text = _get(row, meta, field)
    if text is None:
        return None
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise TradeDataError(f"{where}: {field} '{text}' is not a number")
    return float(text)
