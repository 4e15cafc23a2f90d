"""USITC DataWeb exports (CSV and XLSX) as a normalised frame.

DataWeb writes a table per measure: a header row starting ``Data Type``, then
dimension columns (``Country``, ``Year``, ``HTS Number``, ``Description``,
``Quantity Description``) and value columns, which are either one column named
after the measure (annual), twelve month columns (monthly, one row per
country and year) or one column per year. A ``Total:`` row closes the table,
its numbers written with thousands separators.

- CSV: title lines ("General Imports|Monthly data for 2015,...") and a
  ``Data Row Count`` line come before the header. The title is recorded as
  the query, and names the trade flow. The commodity is not always in the
  file; pass ``commodity=`` to record it.
- XLSX: a ``Query Parameters`` sheet (recorded as the query, one
  ``key: value`` line per row) and one sheet per measure ("Customs Value",
  "First Unit of Quantity", "CIF Import Value", ...).

The loader checks what the file says about itself: the data rows must number
``Data Row Count`` and each value column must sum to its ``Total:`` figure
(to the dollar per row, as DataWeb rounds), so a truncated or hand-edited
export is an error, not a smaller number in a brief. Empty month cells (months
not yet published) load as no row.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from briefs.trade.codes import commodity_columns, normalise_unit
from briefs.trade.countries import by_name
from briefs.trade.frame import COLUMNS, TradeDataError, check_frame

DATASET = "USITC DataWeb export"
QUANTITY = "First Unit of Quantity"
_MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
_DIMENSIONS = {
    "Data Type",
    "Country",
    "Year",
    "Description",
    "Quantity Description",
    "Suppressed",
}
_FLOWS = (
    ("imports for consumption", "imports_for_consumption"),
    ("general imports", "general_imports"),
    ("general customs value", "general_imports"),
    ("exports", "exports"),
)

Cell = str | int | float | date | None
# (country, code, year, month) -> (quantity, unit): how quantities join values.
Quantities = dict[
    tuple[str, str | None, int, int | None], tuple[float | None, str | None]
]


@dataclass(frozen=True, slots=True)
class Table:
    """One measure's table: header, numbered data rows, and its own claims."""

    where: str  # the file, and sheet for XLSX, for messages
    header: tuple[str, ...]
    rows: tuple[tuple[int, Sequence[Cell]], ...]  # (1-based row, cells)
    total: tuple[int, Sequence[Cell]] | None
    declared_rows: int | None


@dataclass(frozen=True, slots=True)
class Value:
    """One number of a table: a row's value for one period."""

    row: int
    country: str
    code: str | None
    description: str | None
    unit: str | None
    year: int
    month: int | None
    value: float


def load_dataweb(
    path: Path | str, *, measure: str | None = None, commodity: str | None = None
) -> pd.DataFrame:
    """A DataWeb export (``.csv`` or ``.xlsx``) as a normalised frame.

    ``measure`` picks the value measure: a ``Data Type`` in a CSV, a sheet in
    an XLSX; by default the customs value (or FAS value, for exports). The
    ``First Unit of Quantity`` measure, where the export has it, fills
    ``quantity``. ``commodity`` records the code of a file that has no
    commodity column (an error if it has one). ``source_row`` is the 1-based
    row of the CSV, or of the measure's sheet.
    """
    path = Path(path)
    data = _read_bytes(path)
    if path.suffix.lower() == ".csv":
        query, value_table, quantity_table = _csv_tables(data, str(path), measure)
    elif path.suffix.lower() == ".xlsx":
        query, value_table, quantity_table = _xlsx_tables(data, str(path), measure)
    else:
        raise TradeDataError(f"{path}: not a DataWeb export (.csv or .xlsx)")
    frame = _frame(
        value_table, quantity_table, query, hashlib.sha256(data).hexdigest(), commodity
    )
    return check_frame(frame, str(path))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise TradeDataError(f"{path}: cannot read: {e.strerror}") from None


# --- CSV ---------------------------------------------------------------------


def _csv_tables(
    data: bytes, name: str, measure: str | None
) -> tuple[str, Table, Table | None]:
    rows = list(csv.reader(io.StringIO(_decode(data, name))))
    table = find_table(rows, name)
    _check_count(table)
    titles = rows[: _header_index(rows, name)]
    query = "\n".join(
        _joined(r) for r in titles if _joined(r) and _text(r[0]) != "Data Row Count"
    )
    types = {str(r[0]).strip() for _, r in table.rows}
    chosen = _pick_measure(sorted(types), measure, name)
    values = _only(table, chosen, check_total=len(types) == 1)
    quantities = next(
        (_only(table, t, False) for t in sorted(types) if t == QUANTITY), None
    )
    return query, values, quantities


def _decode(data: bytes, name: str = "") -> str:
    # DataWeb writes UTF-8; an export re-saved by a spreadsheet may be cp1252.
    if b"\x00" in data[:65536]:
        at = data.index(b"\x00")
        raise TradeDataError(
            f"{name}: not a DataWeb CSV export (binary data at byte {at})"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as e:
            raise TradeDataError(
                f"{name}: not a DataWeb CSV export (binary data at byte {e.start})"
            ) from None


def _joined(row: Sequence[Cell]) -> str:
    return " ".join(_text(c) for c in row if _text(c))


def _only(table: Table, data_type: str, check_total: bool) -> Table:
    rows = tuple((n, r) for n, r in table.rows if str(r[0]).strip() == data_type)
    total = table.total if check_total else None
    return Table(table.where, table.header, rows, total, None)


# --- XLSX --------------------------------------------------------------------


def _xlsx_tables(
    data: bytes, name: str, measure: str | None
) -> tuple[str, Table, Table | None]:
    book = _open_workbook(data, name)
    try:
        sheets = list(book.sheetnames)
        chosen = _pick_measure(
            [s for s in sheets if s != "Query Parameters"], measure, name
        )
        query_rows = (
            _sheet_rows(book, "Query Parameters")
            if "Query Parameters" in sheets
            else []
        )
        values = find_table(_sheet_rows(book, chosen), f"{name} sheet '{chosen}'")
        quantities = None
        if QUANTITY in sheets and chosen != QUANTITY:
            quantities = find_table(
                _sheet_rows(book, QUANTITY), f"{name} sheet '{QUANTITY}'"
            )
    finally:
        book.close()
    query = "\n".join(_query_line(r) for r in query_rows if _joined(r))
    return query, values, quantities


def _open_workbook(data: bytes, name: str) -> Any:
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError:
        raise TradeDataError(
            f"{name}: reading .xlsx needs openpyxl (pip install openpyxl)"
        ) from None
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises zipfile, KeyError and its own errors
        raise TradeDataError(f"{name}: not a readable .xlsx file ({e})") from None


def _sheet_rows(book: Any, title: str) -> list[list[Cell]]:
    # min_row=1 so that list index + 1 is the sheet's row number.
    return [list(r) for r in book[title].iter_rows(min_row=1, values_only=True)]


def _query_line(row: Sequence[Cell]) -> str:
    cells = [_text(c) for c in row if _text(c)]
    return ": ".join(cells[:2]) if len(cells) > 1 else (cells[0] if cells else "")


# --- the table inside a CSV or sheet -------------------------------------------


def _header_index(rows: Sequence[Sequence[Cell]], where: str) -> int:
    for index, row in enumerate(rows):
        if row and _text(row[0]) == "Data Type":
            return index
    raise TradeDataError(
        f"{where}: no header row starting 'Data Type'; not a DataWeb export"
    )


def find_table(rows: Sequence[Sequence[Cell]], where: str) -> Table:
    """The table in a CSV's rows or a sheet: header, data rows, Total: row, count."""
    start = _header_index(rows, where)
    header = tuple(_text(c) for c in rows[start])
    data: list[tuple[int, Sequence[Cell]]] = []
    total = None
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        if row and _text(row[0]).startswith("Total"):
            total = (number, row)
            break
        if _joined(row):
            data.append((number, list(row) + [None] * (len(header) - len(row))))
    return Table(where, header, tuple(data), total, _declared_rows(rows[:start], where))


def _declared_rows(preamble: Sequence[Sequence[Cell]], where: str) -> int | None:
    for number, row in enumerate(preamble, start=1):
        if row and _text(row[0]) == "Data Row Count":
            count = _text(row[1]) if len(row) > 1 else ""
            if not count.isdigit():
                raise TradeDataError(
                    f"{where} row {number}: Data Row Count '{count}' is not a number"
                )
            return int(count)
    return None


def _pick_measure(available: Sequence[str], measure: str | None, where: str) -> str:
    if measure is not None:
        if measure in available:
            return measure
        raise TradeDataError(
            f"{where}: no measure '{measure}'; it has {', '.join(available)}"
        )
    for name in available:
        if re.search(r"customs value|fas value", name, re.IGNORECASE):
            return name
    raise TradeDataError(
        f"{where}: no customs or FAS value among {', '.join(available)}; pass measure="
    )


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, date | datetime):
        return cell.isoformat()
    return str(cell).strip()


# --- values ------------------------------------------------------------------


def number(cell: Cell, where: str) -> float | None:
    """A DataWeb number: an int or float cell, or text like ``1,122,136,672``.

    >>> number("1,122,136,672", "x"), number("814426.00", "x"), number("", "x")
    (1122136672.0, 814426.0, None)
    """
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell)
    text = _text(cell)
    if not text:
        return None
    if not re.fullmatch(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?", text):
        raise TradeDataError(f"{where}: '{text}' is not a number")
    return float(text.replace(",", ""))


def _periods(table: Table) -> list[tuple[int, int | None, int | None]]:
    """(column, year, month) for each value column; year None means the Year column.

    Columns are months (monthly layout), years (annual, years across) or the
    one measure column (annual, a Year column); anything else is refused.
    """
    out: list[tuple[int, int | None, int | None]] = []
    unknown = []
    for index, name in enumerate(table.header):
        if name in _MONTHS:
            out.append((index, None, _MONTHS[name]))
        elif re.fullmatch(r"\d{4}", name):
            out.append((index, int(name), None))
        elif name not in _DIMENSIONS and not name.endswith("Number"):
            unknown.append((index, name))
    if not out and len(unknown) == 1:
        return [(unknown[0][0], None, None)]
    if (unknown and out) or len(unknown) > 1:
        names = ", ".join(f"'{n}'" for _, n in unknown)
        raise TradeDataError(
            f"{table.where} row 1: unknown column {names}; export with those aggregated"
        )
    return out


def values(table: Table) -> list[Value]:
    """Every non-empty value of a table, checked against its row count and totals."""
    _check_count(table)
    periods = _periods(table)
    out = list(_values(table, periods, _columns(table)))
    _check_totals(table, [p[0] for p in periods])
    return out


def _values(
    table: Table,
    periods: list[tuple[int, int | None, int | None]],
    column: dict[str, int],
) -> Iterator[Value]:
    for number_, row in table.rows:
        where = f"{table.where} row {number_}"
        for index, year, month in periods:
            found = number(row[index], f"{where} column '{table.header[index]}'")
            if found is not None:
                yield _value(
                    row, column, number_, _year(row, column, year, where), month, found
                )


def _columns(table: Table) -> dict[str, int]:
    column = {name: i for i, name in enumerate(table.header)}
    code = [i for i, name in enumerate(table.header) if name.endswith("Number")]
    if code:
        column["code"] = code[0]
    if "Country" not in column:
        raise TradeDataError(
            f"{table.where}: no Country column; export with countries broken out"
        )
    return column


def _year(
    row: Sequence[Cell], column: dict[str, int], year: int | None, where: str
) -> int:
    if year is not None:
        return year
    text = _text(row[column["Year"]]) if "Year" in column else ""
    if not re.fullmatch(r"\d{4}", text):
        raise TradeDataError(f"{where}: Year '{text}' is not a year")
    return int(text)


def _value(
    row: Sequence[Cell],
    column: dict[str, int],
    number_: int,
    year: int,
    month: int | None,
    found: float,
) -> Value:
    def cell(name: str) -> str | None:
        return _text(row[column[name]]) or None if name in column else None

    return Value(
        row=number_,
        country=cell("Country") or "",
        code=cell("code"),
        description=cell("Description"),
        unit=cell("Quantity Description"),
        year=year,
        month=month,
        value=found,
    )


def _check_count(table: Table) -> None:
    if table.declared_rows is not None and table.declared_rows != len(table.rows):
        raise TradeDataError(
            f"{table.where}: Data Row Count says {table.declared_rows} rows but "
            f"{len(table.rows)} follow the header; the file may be truncated"
        )


def _check_totals(table: Table, columns: list[int]) -> None:
    if table.total is None:
        return
    number_, row = table.total
    for index in columns:
        stated = number(
            row[index] if index < len(row) else None, f"{table.where} row {number_}"
        )
        if stated is None:
            continue
        summed = sum(number(r[index], "") or 0.0 for _, r in table.rows)
        # Rows are rounded to the dollar; allow that much per row.
        if abs(summed - stated) > max(1.0, 0.5 * len(table.rows)):
            raise TradeDataError(
                f"{table.where} row {number_}: Total: {table.header[index]} is {stated:,.0f} "
                f"but the rows sum to {summed:,.0f}; the file may be truncated or edited"
            )


# --- the frame ------------------------------------------------------------------


def _flow(query: str, table: Table) -> str:
    types = " ".join(_text(r[0]) for _, r in table.rows[:1])
    text = f"{query} {types}".casefold()
    for phrase, flow in _FLOWS:
        if phrase in text:
            return flow
    raise TradeDataError(
        f"{table.where}: cannot tell the trade flow from the title or query"
    )


def _quantities(table: Table | None) -> Quantities:
    if table is None:
        return {}
    suppressed = (
        table.header.index("Suppressed") if "Suppressed" in table.header else None
    )
    hidden = {
        n
        for n, r in table.rows
        if suppressed is not None and number(r[suppressed], "") == 1
    }
    return {
        (v.country, v.code, v.year, v.month): (
            None if v.row in hidden else v.value,
            normalise_unit(v.unit),
        )
        for v in values(table)
    }


def _frame(
    value_table: Table,
    quantity_table: Table | None,
    query: str,
    sha256: str,
    commodity: str | None,
) -> pd.DataFrame:
    flow = _flow(query, value_table)
    measure = _text(value_table.rows[0][1][0]) if value_table.rows else ""
    dataset = f"{DATASET}, {flow.replace('_', ' ')}, {measure}"
    quantities = _quantities(quantity_table)
    common = {
        "flow": flow,
        "reporter": "United States",
        "reporter_iso3": "USA",
        "dataset": dataset,
        "source_sha256": sha256,
        "query": query,
    }
    records = [
        {**common, **_record(v, quantities, commodity, value_table.where)}
        for v in values(value_table)
    ]
    return pd.DataFrame.from_records(records, columns=list(COLUMNS))


def _record(
    v: Value,
    quantities: dict[
        tuple[str, str | None, int, int | None], tuple[float | None, str | None]
    ],
    commodity: str | None,
    where: str,
) -> dict[str, Any]:
    partner = by_name(v.country)
    quantity, unit = quantities.get((v.country, v.code, v.year, v.month), (None, None))
    return {
        "year": v.year,
        "month": v.month,
        "partner": partner.name,
        "partner_iso3": partner.iso3,
        **_commodity(v, commodity, f"{where} row {v.row}"),
        "value_usd": v.value,
        "quantity": quantity,
        "quantity_unit": unit,
        "source_row": v.row,
    }


def _commodity(v: Value, commodity: str | None, where: str) -> dict[str, Any]:
    if v.code is not None and commodity is not None:
        raise TradeDataError(
            f"{where}: the file has commodity codes; do not pass commodity="
        )
    return commodity_columns(v.code or commodity, v.description, where)
