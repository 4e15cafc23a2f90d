"""Table facts: one ``table`` fact per table, one ``quantity`` per number in a cell.

Tables are found by :mod:`extract.texttables` (text, markdown, HTML) and
:mod:`extract.pdftables` (PDF page geometry); a table is a grid of cells
located by offsets into ``DocumentText.text`` (:mod:`extract.tablegrid`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from extract.captions import Span, clean, mask
from extract.kinds.quantities import find_quantities
from extract.nlp import Parses
from extract.records import DocumentText, Fact, new_fact
from extract.spans import doc_ents
from extract.tablegrid import BARE_NUMBER_RE, YEAR_RE, Cell, Table
from extract.texttables import find_tables

_MULTIPLIER_WORDS = {"thousand": 1e3, "thousands": 1e3, "million": 1e6, "millions": 1e6,
                     "mn": 1e6, "billion": 1e9, "billions": 1e9, "bn": 1e9}  # fmt: skip
_NOT_UNIT_RE = re.compile(r"(?i)\b(?:thousands?|millions?|billions?|mn|bn|in|of)\b")
_CURRENCY_RE = re.compile(r"\$|\bUSD\b|\bdollars?\b", re.IGNORECASE)


def table_facts(
    doc_id: str,
    sha256: str,
    text: DocumentText,
    tables: Sequence[Table] | None = None,
    parse: Parses | None = None,
) -> list[Fact]:
    """One ``table`` fact per table and one ``quantity`` fact per number in a cell.

    ``tables`` defaults to :func:`find_tables` of the text (pass
    :func:`find_pdf_tables` for a PDF). A quantity fact's mention is the
    number as written in its cell, its quote the row; it names its table,
    row, column, row and column labels, and the partner (a country or company
    written before the number, "China (72%)"). A bare number takes its unit
    from the column header ("Value ($ millions)").
    """
    tables = find_tables(text) if tables is None else tables
    if not tables:
        return []
    parse = parse or Parses()
    facts: list[Fact] = []
    for table in tables:
        fact = table_fact(doc_id, sha256, text, table)
        facts.append(fact)
        facts.extend(_cell_facts(doc_id, sha256, text, table, fact.id, parse))
    return facts


def table_fact(doc_id: str, sha256: str, text: DocumentText, table: Table) -> Fact:
    """The ``table`` fact of one table; its mention is the whole table."""
    key = table.caption or " | ".join(table.header[-1] if table.header else ())
    return new_fact(
        doc_id, sha256, text, "table",
        span=(table.start, table.end),
        key=key,
        year=_year(table.title, table.caption),
        caption=table.caption,
        number=table.number,
        title=table.title,
        header=[list(r) for r in table.header],
        rows=[list(r) for r in table.rows],
        total_rows=list(table.totals),
        source_note=table.source_note,
        bbox=list(table.bbox) if table.bbox else None,
    )  # fmt: skip


def column_labels(table: Table) -> tuple[str, ...]:
    """Each column's header: its header rows' text, a group's carried right."""
    width = len(table.header[0]) if table.header else 0
    labels: list[list[str]] = [[] for _ in range(width)]
    for depth, row in enumerate(table.header):
        carry = ""
        for column, cell in enumerate(row):
            group = depth < len(table.header) - 1
            carry = cell or (carry if group else "")
            if carry and carry not in labels[column]:
                labels[column].append(carry)
    return tuple(" / ".join(parts) for parts in labels)


@dataclass(frozen=True, slots=True)
class _Number:
    """A number in a cell: its span in the document and its reading."""

    start: int
    end: int
    value: float
    unit: str
    qualifier: str | None
    partner: str | None
    unit_from: str | None = None  # where a bare number's unit came from


def _cell_facts(
    doc_id: str,
    sha256: str,
    text: DocumentText,
    table: Table,
    table_id: str,
    parse: Parses,
) -> Iterator[Fact]:
    """The quantity facts of a table's body cells."""
    columns = column_labels(table)
    quotes = _row_spans(table)
    for cell in table.cells:
        if cell.row < 0:
            continue
        row_label = table.rows[cell.row][0] or None
        column_label = columns[cell.column] if cell.column < len(columns) else ""
        labels = {"column_label": column_label, "title": table.title,
                  "caption": table.caption}  # fmt: skip
        for n in _numbers(cell, labels):
            context = " | ".join(x for x in (cell.text, row_label, column_label) if x)
            yield new_fact(
                doc_id, sha256, text, "quantity",
                span=(n.start, n.end),
                quote=quotes[cell.row],
                key=f"{n.value!r}:{n.unit}",
                value=n.value, unit=n.unit, qualifier=n.qualifier,
                year=_year(column_label, row_label, table.title, table.caption),
                entities=_entities(parse, context),
                table=table_id, row=cell.row, column=cell.column,
                row_label=row_label if cell.column else None,
                column_label=column_label or None,
                **_optional_fields(table, cell, n),
            )  # fmt: skip


def _optional_fields(table: Table, cell: Cell, n: _Number) -> dict[str, object]:
    """Fields a quantity fact has only when they say something."""
    fields: dict[str, object] = {}
    if n.partner:
        fields["partner"] = n.partner
    if cell.row in table.totals:
        fields["total"] = True
    if n.unit_from:
        fields["unit_from"] = n.unit_from
    return fields


def _row_spans(table: Table) -> dict[int, Span]:
    """Each body row's span: from its first located cell to its last."""
    spans: dict[int, Span] = {}
    for c in table.cells:
        s, e = spans.get(c.row, (c.start, c.end))
        spans[c.row] = (min(s, c.start), max(e, c.end))
    return spans


def _numbers(cell: Cell, labels: dict[str, str | None]) -> list[_Number]:
    """The numbers of one cell: its quantities, else a bare number in the unit
    that its column label, or else the table's title or caption, gives
    ("Value ($ millions)", "(in thousands of metric tons)")."""
    masked = mask(cell.text)
    found = find_quantities(masked)
    if found:
        one = len(found) == 1
        partner = _partner(masked, found[0].start, found[0].end) if one else None
        return [
            _Number(cell.start + q.start, cell.start + q.end, q.value, q.unit,
                    q.qualifier, partner)
            for q in found
        ]  # fmt: skip
    m = BARE_NUMBER_RE.search(masked)
    if m is None or clean(masked) != m.group():
        return []
    units = ((k, column_unit(v)) for k, v in labels.items() if v)
    source, unit = next(((k, u) for k, u in units if u is not None), ("", None))
    if unit is None:
        return []
    value = float(m.group().replace(",", "").replace("\u2212", "-")) * unit[1]
    start, end = cell.start + m.start(), cell.start + m.end()
    return [_Number(start, end, value, unit[0], None, None, source)]


def _partner(masked: str, start: int, end: int) -> str | None:
    """The name written before a cell's only number: "China (72%)", "SQM 18%"."""
    before = clean(masked[:start]).rstrip(" (:-\u2013")
    after = clean(masked[end:]).strip(" )")
    if after or not before or not before[0].isalpha() or len(before) < 2:
        return None
    return before


def column_unit(label: str) -> tuple[str, float] | None:
    """(unit, factor) a column header gives its bare numbers, else None.

    >>> column_unit("Value ($ millions)")
    ('usd', 1000000.0)
    >>> column_unit("Share (%)")
    ('percent', 1.0)
    """
    words = re.findall(r"[a-z]+", label.lower())
    factor = next((_MULTIPLIER_WORDS[w] for w in words if w in _MULTIPLIER_WORDS), 1.0)
    if _CURRENCY_RE.search(label):
        return "usd", factor
    for unit_text in re.findall(r"\(([^)]*)\)", label) or [label]:
        probe = re.sub(_NOT_UNIT_RE, " ", unit_text)
        found = find_quantities(f"1 {' '.join(probe.split())}")
        if found and found[0].start == 0 and found[0].unit != "count":
            return found[0].unit, found[0].value * factor
    return None


def _year(*texts: str | None) -> int | None:
    """The first year in the first text that has one."""
    for t in texts:
        m = YEAR_RE.search(t or "")
        if m:
            return int(m.group())
    return None


def _entities(parse: Parses, context: str) -> tuple[tuple[str, str], ...]:
    seen: dict[tuple[str, str], None] = {}
    for ent in doc_ents(parse.one(context)):
        seen[(ent.label_, ent.ent_id_ or ent.text)] = None
    return tuple(seen)


# --------------------------------------------------------------------------
# Output: JSON and CSV for `brief tables`
# --------------------------------------------------------------------------
