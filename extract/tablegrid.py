"""A table as a grid of located cells, and how a draft grid becomes one.

Text tables (:mod:`extract.texttables`) and PDF tables
(:mod:`extract.pdftables`) both make a :class:`Draft` (rows of located
pieces); :func:`assemble` tells its title, header, body and total rows apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from extract.captions import Caption, Span, clean
from extract.kinds.quantities import find_quantities

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points

YEAR_RE = re.compile(r"(?<![\d.,$])(?:19|20)\d{2}(?![\d%])")
BARE_NUMBER_RE = re.compile(
    r"(?<![\w.])[-\u2212]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w%])|(?<![\w.,])[-\u2212]?\d+(?:\.\d+)?(?![\w%.,])"
)


@dataclass(frozen=True, slots=True)
class Cell:
    """One located piece of a table cell: ``text == doc.text[start:end]``.

    ``row`` indexes :attr:`Table.rows`; header cells have negative rows, -1
    for the header row just above the body. ``column`` counts from 0. A text
    table has one piece per non-empty cell. A PDF cell whose lines the reader
    interleaved with its neighbours' has one piece per run of its words.
    """

    row: int
    column: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """A table with its caption, header, body rows, cells and source note.

    ``start:end`` is the table itself in the document text (for a PDF table,
    from its first to its last located word); ``caption_span`` and
    ``source_span`` locate the caption and the source note. ``header`` and
    ``rows`` are the cells' text, cleaned of markup (``\\$`` is ``$``,
    ``<sup>1</sup>`` footnote markers are gone) and padded to one width.
    ``title`` is a spanning title row above the header; ``totals`` are the
    indexes of total rows in ``rows``. ``bbox`` is set for PDF tables.
    """

    start: int
    end: int
    page: int
    caption: str | None
    caption_span: Span | None
    number: str | None
    header: tuple[tuple[str, ...], ...]
    rows: tuple[tuple[str, ...], ...]
    cells: tuple[Cell, ...]
    source_note: str | None
    bbox: Box | None
    title: str | None = None
    totals: tuple[int, ...] = ()
    source_span: Span | None = None


@dataclass(frozen=True, slots=True)
class Piece:
    """A cell's text and where its words are in the document text."""

    text: str
    spans: tuple[Span, ...]


Row = tuple[Piece, ...]
EMPTY = Piece("", ())


@dataclass(frozen=True, slots=True)
class Draft:
    """A table's rows before title, header and body are told apart.

    ``header`` is the number of header rows when the source marks it (a
    markdown ``|---|`` line, a rule under a PDF header), else None.
    """

    rows: tuple[Row, ...]
    header: int | None
    page: int
    bbox: Box | None = None


def width_of(rows: Sequence[Row]) -> int:
    return max((len(r) for r in rows), default=0)


def _padded(rows: Sequence[Row]) -> tuple[Row, ...]:
    width = width_of(rows)
    return tuple(tuple(r) + (EMPTY,) * (width - len(r)) for r in rows)


def filled(row: Row) -> list[int]:
    """The columns of a row that hold text."""
    return [i for i, p in enumerate(row) if p.text]


def _is_title(row: Row, width: int) -> bool:
    """A row whose only text is in its first cell, in a table three or more wide."""
    return width >= 3 and filled(row) == [0]


def _has_quantity(row: Row) -> bool:
    """Whether a row holds a figure (a year is none: header rows hold years)."""
    return any(
        find_quantities(p.text)
        or any(
            not YEAR_RE.fullmatch(m.group()) for m in BARE_NUMBER_RE.finditer(p.text)
        )
        for p in row
        if p.text
    )


def _header_size(rows: Sequence[Row]) -> int:
    """One header row, or two when the first groups the second's columns.

    A group row ("2022 | | 2023 |") leaves gaps that the row under it fills.
    """
    if len(rows) < 3 or _has_quantity(rows[1]):
        return 1
    first, second = filled(rows[0]), filled(rows[1])
    grouped = len(first) < len(rows[0]) and first != [0] and len(second) > len(first)
    return 2 if grouped else 1


_TOTAL_RE = re.compile(
    r"\b(?:total|subtotal|sum|overall|all\s+\w+|world|average|mean)\b", re.IGNORECASE
)


def _totals(body: Sequence[Row]) -> tuple[int, ...]:
    """Rows that sum up the others: "Total", "World", or a labelled last row
    under rows with no label (the briefer's "% Chinese ownership in top five")."""
    found = [i for i, r in enumerate(body) if r and _TOTAL_RE.search(r[0].text)]
    unlabelled = len(body) > 2 and all(not r[0].text for r in body[:-1])
    if unlabelled and body[-1][0].text and len(body) - 1 not in found:
        found.append(len(body) - 1)
    return tuple(found)


def assemble(
    draft: Draft,
    caption: Caption | None,
    source: Span | None,
    text: str,
    subtitle: str | None = None,
) -> Table:
    """Title, header and body rows of a draft, and its located cells.

    The title is the spanning rows above the header, else the subtitle
    under the caption.
    """
    rows = _padded(draft.rows)
    width = width_of(rows)
    titles = 0
    while titles < len(rows) - 1 and _is_title(rows[titles], width):
        titles += 1
    rest = rows[titles:]
    header = draft.header - titles if draft.header else _header_size(rest)
    header = max(1, min(header, len(rest) - 1)) if len(rest) > 1 else 0
    head, body = rest[:header], rest[header:]
    spans = [s for r in rows for p in r for s in p.spans]
    title = " ".join(r[0].text for r in rows[:titles]) or subtitle
    return Table(
        start=min(s for s, _ in spans),
        end=max(e for _, e in spans),
        page=draft.page,
        caption=caption.text if caption else None,
        caption_span=caption.span if caption else None,
        number=caption.number if caption else None,
        header=tuple(tuple(p.text for p in r) for r in head),
        rows=tuple(tuple(p.text for p in r) for r in body),
        cells=tuple(_cells(head, body, text)),
        source_note=clean(text[slice(*source)]) if source else None,
        bbox=draft.bbox,
        title=title,
        totals=_totals(body),
        source_span=source,
    )


def _cells(head: Sequence[Row], body: Sequence[Row], text: str) -> Iterator[Cell]:
    numbered = [(i - len(head), r) for i, r in enumerate(head)] + list(enumerate(body))
    for row, cells in numbered:
        for column, piece in enumerate(cells):
            for start, end in piece.spans:
                yield Cell(row, column, start, end, text[start:end])


# --------------------------------------------------------------------------
# Text tables: tab-separated and pipe rows
