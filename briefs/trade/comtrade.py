"""UN Comtrade data (API JSON or CSV) as a normalised frame.

The Comtrade API (``comtradeapi.un.org``, or ``comtradeapicall``'s
``previewFinalData``/``getFinalData``) answers ``{"count": n, "data": [...]}``,
one record per reporter, partner, commodity, flow and period, with fields
``reporterCode``, ``reporterISO``, ``partnerCode``, ``partnerISO``,
``cmdCode``, ``flowCode``, ``period``, ``primaryValue``, ``netWgt``, ... A CSV
of the same records (as ``comtradeapicall`` or the portal writes them) loads
the same way.

Traps handled here: partner and reporter codes are M49, not ISO numeric (USA
is 842), and the ISO columns are used first; partner 0 is the world. Records
broken down by second partner, customs procedure or transport mode
(``partner2Code`` != 0, ``customsCode`` != C00, ``motCode`` != 0) repeat the
totals and are dropped so sums do not double count. Annual records carry
``refMonth`` 52, so the month comes from ``period`` (``2024`` or ``202407``).

:func:`load_comtrade_summary` reads the derived monthly tables of China's
exports by material group (``period_dt``, ``val``, ``qty``, ``broad_group``
and, per partner, ``partner_name``) kept with the shared test corpus.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from briefs.trade.codes import commodity_columns
from briefs.trade.countries import Partner, by_name, comtrade_partner
from briefs.trade.frame import COLUMNS, TradeDataError, check_frame

log = logging.getLogger(__name__)

DATASET = "UN Comtrade"
_FLOWS = {"M": "imports", "X": "exports", "RM": "re_imports", "RX": "re_exports"}
_REQUIRED = ("reporterCode", "partnerCode", "cmdCode", "flowCode", "primaryValue")
# Breakdown fields and the value that means "all": other values repeat totals.
_ALL = {"partner2Code": "0", "customsCode": "C00", "motCode": "0"}
# Whose 8- and 10-digit codes a reporter's tariff-line records carry.
_NATIONAL = {"USA": "HTS", "CHN": "CN"}

Record = Mapping[str, Any]


def load_comtrade(path: Path | str, query: str = "") -> pd.DataFrame:
    """Comtrade records from an API JSON response or a CSV, as a normalised frame.

    ``query`` is the request (URL or parameters), recorded in every row.
    ``source_row`` is the record's 1-based position in ``data`` (JSON) or its
    CSV line (the header is line 1).
    """
    path = Path(path)
    data = _read_bytes(path)
    records, first = _records(data, str(path))
    sha256 = hashlib.sha256(data).hexdigest()
    rows: list[dict[str, Any]] = []
    dropped = 0
    for number, record in enumerate(records, start=first):
        where = f"{path} row {number}"
        if not _is_total(record):
            dropped += 1
            continue
        rows.append(
            {
                **_row(record, where),
                "dataset": _dataset(record),
                "source_sha256": sha256,
                "query": query,
                "source_row": number,
            }
        )
    if dropped:
        log.info(
            "%s: dropped %d breakdown records (partner2, customs, transport)",
            path,
            dropped,
        )
    return check_frame(
        pd.DataFrame.from_records(rows, columns=list(COLUMNS)), str(path)
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise TradeDataError(f"{path}: cannot read: {e.strerror}") from None


def _records(data: bytes, name: str) -> tuple[list[Record], int]:
    """The records of a JSON response or CSV, and the row number of the first."""
    text = data.decode("utf-8-sig")
    if text.lstrip().startswith(("{", "[")):
        return _json_records(text, name), 1
    reader = csv.DictReader(io.StringIO(text))
    _check_fields(reader.fieldnames or [], f"{name} row 1")
    return list(reader), 2


def _json_records(text: str, name: str) -> list[Record]:
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as e:
        raise TradeDataError(
            f"{name} line {e.lineno}: not complete JSON ({e.msg}); the response may be truncated"
        ) from None
    if isinstance(parsed, dict) and parsed.get("error"):
        raise TradeDataError(
            f"{name}: the API answered with an error: {parsed['error']}"
        )
    records = parsed.get("data") if isinstance(parsed, dict) else parsed
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise TradeDataError(
            f"{name}: not a Comtrade response (no 'data' list of records)"
        )
    for number, record in enumerate(records, start=1):
        _check_fields(list(record), f"{name} row {number}")
    return records


def _check_fields(fields: Sequence[str], where: str) -> None:
    missing = [f for f in _REQUIRED if f not in fields]
    if not ({"period"} & set(fields) or {"refYear"} <= set(fields)):
        missing.append("period")
    if missing:
        raise TradeDataError(f"{where}: missing field {', '.join(missing)}")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_total(record: Record) -> bool:
    """True unless the record is a breakdown by second partner, procedure or mode."""
    return all(_text(record.get(field)) in ("", value) for field, value in _ALL.items())


def _dataset(record: Record) -> str:
    # The HS vintage (H5, H6, ...) matters when joining across years.
    vintage = _text(record.get("classificationCode"))
    return f"{DATASET}, {vintage}" if vintage else DATASET


def _row(record: Record, where: str) -> dict[str, Any]:
    reporter = _party(record, "reporter")
    partner = _party(record, "partner")
    year, month = _period(record, where)
    return {
        "year": year,
        "month": month,
        "flow": _flow(record, where),
        "reporter": reporter.name,
        "reporter_iso3": reporter.iso3,
        "partner": partner.name,
        "partner_iso3": partner.iso3,
        **_commodity(record, reporter.iso3, where),
        "value_usd": _number(record, "primaryValue", where, required=True),
        **_quantity(record, where),
    }


def _party(record: Record, role: str) -> Partner:
    return comtrade_partner(
        _text(record.get(f"{role}Code")),
        _text(record.get(f"{role}ISO")) or None,
        _text(record.get(f"{role}Desc")) or None,
    )


def _period(record: Record, where: str) -> tuple[int, int | None]:
    period = _text(record.get("period")) or _text(record.get("refYear"))
    if re.fullmatch(r"\d{4}", period):
        return int(period), None
    if re.fullmatch(r"\d{4}(0[1-9]|1[0-2])", period):
        return int(period[:4]), int(period[4:])
    raise TradeDataError(f"{where}: period '{period}' is not YYYY or YYYYMM")


def _flow(record: Record, where: str) -> str:
    code = _text(record.get("flowCode")).upper()
    if code not in _FLOWS:
        raise TradeDataError(
            f"{where}: flowCode '{code}' is not one of {', '.join(_FLOWS)}"
        )
    return _FLOWS[code]


def _commodity(record: Record, reporter_iso3: str | None, where: str) -> dict[str, Any]:
    text = _text(record.get("cmdCode"))
    description = _text(record.get("cmdDesc")) or None
    national = _NATIONAL.get(reporter_iso3 or "")
    return commodity_columns(text, description, where, "cmdCode", national)


def _number(
    record: Record, field: str, where: str, required: bool = False
) -> float | None:
    value = record.get(field)
    text = _text(value)
    if not text:
        if required:
            raise TradeDataError(f"{where}: {field} is empty")
        return None
    try:
        number = float(text)
    except ValueError:
        raise TradeDataError(f"{where}: {field} '{text}' is not a number") from None
    if not math.isfinite(number):
        raise TradeDataError(f"{where}: {field} '{text}' is not a finite number")
    return number


def _quantity(record: Record, where: str) -> dict[str, Any]:
    """Net weight in kg where reported, else the quantity in its own unit.

    Net weight is preferred because it is the unit most records share, so
    quantities add up across partners and years.
    """
    weight = _number(record, "netWgt", where)
    if weight is not None:
        return {"quantity": weight, "quantity_unit": "kg"}
    quantity = _number(record, "qty", where)
    unit = _text(record.get("qtyUnitAbbr"))
    if quantity is None or not unit or unit.upper() == "N/A":
        return {"quantity": None, "quantity_unit": None}
    return {"quantity": quantity, "quantity_unit": unit}


# --- derived summary tables ---------------------------------------------------

SUMMARY_DATASET = (
    "Monthly table derived from UN Comtrade: China's exports by material group"
)
# Field -> the names it goes by: per-partner tables say val/qty, totals
# total_value/total_qty.
_SUMMARY_FIELDS = {
    "period_dt": ("period_dt",),
    "val": ("val", "total_value"),
    "qty": ("qty", "total_qty"),
    "broad_group": ("broad_group",),
}


def load_comtrade_summary(path: Path | str) -> pd.DataFrame:
    """A derived table of China's monthly exports by material group.

    Such a table has no commodity codes: ``code`` is the group ("Graphite",
    "Gallium/Germanium"), ``code_system`` is ``GROUP`` and ``hs6`` is null. Its
    quantity unit is not stated, so ``quantity_unit`` is null. A table with
    no ``partner_name`` column is a total over partners (the world).
    """
    path = Path(path)
    data = _read_bytes(path)
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    fields = _summary_fields(reader.fieldnames or [], f"{path} row 1")
    common = {
        "flow": "exports",
        "reporter": "China",
        "reporter_iso3": "CHN",
        "code_system": "GROUP",
        "dataset": SUMMARY_DATASET,
        "source_sha256": hashlib.sha256(data).hexdigest(),
        "query": "",
    }
    rows = [
        {
            **common,
            **_summary_row(_renamed(r, fields), f"{path} row {n}"),
            "source_row": n,
        }
        for n, r in enumerate(reader, start=2)
    ]
    return check_frame(
        pd.DataFrame.from_records(rows, columns=list(COLUMNS)), str(path)
    )


def _summary_fields(header: Sequence[str], where: str) -> dict[str, str]:
    """Our field name -> the table's column for it, or an error naming what is missing."""
    found = {
        f: next((n for n in names if n in header), "")
        for f, names in _SUMMARY_FIELDS.items()
    }
    missing = [
        " or ".join(_SUMMARY_FIELDS[f]) for f, column in found.items() if not column
    ]
    if missing:
        raise TradeDataError(f"{where}: missing column {', '.join(missing)}")
    return found


def _renamed(record: Record, fields: Mapping[str, str]) -> dict[str, Any]:
    return {**record, **{f: record.get(column) for f, column in fields.items()}}


def _summary_row(record: Record, where: str) -> dict[str, Any]:
    match = re.fullmatch(r"(\d{4})-(\d{2})-01", _text(record.get("period_dt")))
    if not match:
        raise TradeDataError(
            f"{where}: period_dt '{record.get('period_dt')}' is not YYYY-MM-01"
        )
    name = _text(record.get("partner_name"))
    partner = by_name(name) if name else by_name("World")
    return {
        "year": int(match[1]),
        "month": int(match[2]),
        "partner": partner.name,
        "partner_iso3": partner.iso3,
        "code": _text(record.get("broad_group")),
        "value_usd": _number(record, "val", where, required=True),
        "quantity": _number(record, "qty", where),
    }
