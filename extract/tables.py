"""Tables: rows and cells located in the document text, and their facts.

Text and markdown files and HTML pages carry their tables as ``table`` blocks
(tab-separated or ``|`` rows); :func:`find_tables` reads those. The PDF reader
reflows a table's words into paragraphs, so :func:`find_pdf_tables` finds PDF
tables on the page geometry and maps every word back into the document text.

Either way a table is a grid of cells, each located by offsets into
``DocumentText.text``, with the caption above it (``Table 1. ...``,
``FIGURE 1: ...``), a title row, header rows, total rows and the source note
below it. :func:`table_facts` turns a table into one ``table`` fact and one
``quantity`` fact per number in a cell.

The pipeline for a text table:

1. ``_block_lines`` splits a table block into lines of cell spans;
2. ``_assemble`` sorts the lines into title, header and body rows;
3. ``_caption_before`` and ``source_after`` read the lines around the block.
"""

from __future__ import annotations

import csv
import itertools
import re
import statistics
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from spacy.language import Language

from extract.errors import ReadError
from extract.facts import new_fact
from extract.nlp import pipeline
from extract.quantities import find_quantities
from extract.records import Block, DocumentText, Fact

Span = tuple[int, int]
Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points


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


# --------------------------------------------------------------------------
# Captions, source notes and cell text
# --------------------------------------------------------------------------

CAPTION_RE = re.compile(
    r"[\s|*_#>]*(?P<label>tables?|figures?|fig\.|exhibits?|charts?|maps?)"
    r"[^\S\n]*(?P<num>(?:[A-Z]-?)?\d{1,3}(?:\.\d{1,2})?)(?![\d])"
    r"[^\S\n]*(?:[:.\u2013\u2014]|-(?=\s))[\s*_]*(?P<rest>\S.*)",
    re.IGNORECASE,
)
# Captions in a list of figures end in dot leaders and a page number.
_TOC_RE = re.compile(r"(?:\.\s?){4,}\s*\d*\s*$|\]\(\S*\)\s*$")
SOURCE_RE = re.compile(r"(?:data\s+)?sources?\s*:", re.IGNORECASE)
_NOTE_LINE_RE = re.compile(r"notes?\s*:", re.IGNORECASE)
_LABELS = {"table": "Table", "fig.": "Figure", "figure": "Figure", "exhibit": "Exhibit"}

_SUP_RE = re.compile(r"<sup>.*?</sup>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>\n]+>")
_LINK_RE = re.compile(r"\[([^\]\n]*)\]\([^)\s]*\)")
_ESCAPE_RE = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!$|<>~%])")
_STRONG_RE = re.compile(r"\*\*|__")
_SPACE_RE = re.compile(r"\s+")
_YEAR_RE = re.compile(r"(?<![\d.,$])(?:19|20)\d{2}(?![\d%])")
_MARKUP_EDGE = " \t*_|#"


def parse_caption(line: str) -> tuple[str, str] | None:
    """(number, caption) of a caption line, else None.

    >>> parse_caption("**FIGURE 1: TOP 5 GLOBAL PRODUCERS**")
    ('Figure 1', 'FIGURE 1: TOP 5 GLOBAL PRODUCERS')
    >>> parse_caption("Table 1 shows the top ten imports") is None
    True
    """
    m = CAPTION_RE.match(line)
    if m is None or _TOC_RE.search(line):
        return None
    label = m["label"].lower().rstrip("s")
    label = _LABELS.get(label, label.capitalize())
    return f"{label} {m['num'].upper()}", clean(line)


def clean(text: str) -> str:
    """Cell or caption text without markup: ``\\$18.74B`` -> ``$18.74B``.

    Footnote markers (``<sup>1</sup>``) and tags go, links keep their text,
    markdown escapes and bold markers are undone, whitespace is collapsed.
    """
    text = _SUP_RE.sub("", text)
    text = _TAG_RE.sub("", text)
    text = _LINK_RE.sub(r"\1", text)
    text = _ESCAPE_RE.sub("", text)
    text = _STRONG_RE.sub("", text)
    return _SPACE_RE.sub(" ", text).strip(_MARKUP_EDGE + "\n")


def mask(text: str) -> str:
    """``text`` with its markup blanked out, offsets unchanged.

    Quantities found in the masked text sit at the same offsets in the raw
    text, so a cell's ``\\$18.74B`` gives the mention ``$18.74B`` in place.
    """
    out = list(text)
    for pattern in (_SUP_RE, _TAG_RE, _ESCAPE_RE, _STRONG_RE):
        for m in pattern.finditer(text):
            out[m.start() : m.end()] = " " * (m.end() - m.start())
    for m in _LINK_RE.finditer(text):
        out[m.start()] = " "
        out[m.end(1) : m.end()] = " " * (m.end() - m.end(1))
    return "".join(out)


def trim(text: str, start: int, end: int, chars: str = _MARKUP_EDGE) -> Span:
    """The span without surrounding whitespace and markup characters."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def lines_after(text: str, pos: int) -> Iterator[Span]:
    """The non-blank lines after ``pos`` (the rest of its line first), trimmed."""
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        span = trim(text, pos, end, " \t")
        if span[0] < span[1]:
            yield span
        pos = end + 1


def source_after(text: str, pos: int, limit: int = 3) -> Span | None:
    """The ``Source: ...`` line among the first ``limit`` lines after ``pos``.

    Note lines (``Notes: ...``, ``*Table reflects ...``) may come before it; a
    caption ends the search.
    """
    for n, (start, end) in enumerate(lines_after(text, pos)):
        line = clean(text[start:end])
        if SOURCE_RE.match(line):
            return trim(text, start, end)
        if n + 1 >= limit or parse_caption(text[start:end]) is not None:
            return None
    return None


# --------------------------------------------------------------------------
# Drafts: a grid of located cells before it becomes a Table
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Piece:
    """A cell's text and where its words are in the document text."""

    text: str
    spans: tuple[Span, ...]


_Row = tuple[_Piece, ...]
_EMPTY = _Piece("", ())


@dataclass(frozen=True, slots=True)
class _Caption:
    text: str
    span: Span
    number: str


@dataclass(frozen=True, slots=True)
class _Draft:
    """A table's rows before title, header and body are told apart.

    ``header`` is the number of header rows when the source marks it (a
    markdown ``|---|`` line, a rule under a PDF header), else None.
    """

    rows: tuple[_Row, ...]
    header: int | None
    page: int
    bbox: Box | None = None


def _width(rows: Sequence[_Row]) -> int:
    return max((len(r) for r in rows), default=0)


def _padded(rows: Sequence[_Row]) -> tuple[_Row, ...]:
    width = _width(rows)
    return tuple(tuple(r) + (_EMPTY,) * (width - len(r)) for r in rows)


def _filled(row: _Row) -> list[int]:
    """The columns of a row that hold text."""
    return [i for i, p in enumerate(row) if p.text]


def _is_title(row: _Row, width: int) -> bool:
    """A row whose only text is in its first cell, in a table three or more wide."""
    return width >= 3 and _filled(row) == [0]


def _has_quantity(row: _Row) -> bool:
    """Whether a row holds a figure (a year is none: header rows hold years)."""
    return any(
        find_quantities(p.text)
        or any(
            not _YEAR_RE.fullmatch(m.group()) for m in _BARE_NUMBER_RE.finditer(p.text)
        )
        for p in row
        if p.text
    )


def _header_size(rows: Sequence[_Row]) -> int:
    """One header row, or two when the first groups the second's columns.

    A group row ("2022 | | 2023 |") leaves gaps that the row under it fills.
    """
    if len(rows) < 3 or _has_quantity(rows[1]):
        return 1
    first, second = _filled(rows[0]), _filled(rows[1])
    grouped = len(first) < len(rows[0]) and first != [0] and len(second) > len(first)
    return 2 if grouped else 1


_TOTAL_RE = re.compile(
    r"\b(?:total|subtotal|sum|overall|all\s+\w+|world|average|mean)\b", re.IGNORECASE
)


def _totals(body: Sequence[_Row]) -> tuple[int, ...]:
    """Rows that sum up the others: "Total", "World", or a labelled last row
    under rows with no label (the briefer's "% Chinese ownership in top five")."""
    found = [i for i, r in enumerate(body) if r and _TOTAL_RE.search(r[0].text)]
    unlabelled = len(body) > 2 and all(not r[0].text for r in body[:-1])
    if unlabelled and body[-1][0].text and len(body) - 1 not in found:
        found.append(len(body) - 1)
    return tuple(found)


def _assemble(
    draft: _Draft,
    caption: _Caption | None,
    source: Span | None,
    text: str,
    subtitle: str | None = None,
) -> Table:
    """Title, header and body rows of a draft, and its located cells.

    The title is the spanning rows above the header, else the subtitle
    under the caption.
    """
    rows = _padded(draft.rows)
    width = _width(rows)
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


def _cells(head: Sequence[_Row], body: Sequence[_Row], text: str) -> Iterator[Cell]:
    numbered = [(i - len(head), r) for i, r in enumerate(head)] + list(enumerate(body))
    for row, cells in numbered:
        for column, piece in enumerate(cells):
            for start, end in piece.spans:
                yield Cell(row, column, start, end, text[start:end])


# --------------------------------------------------------------------------
# Text tables: tab-separated and pipe rows
# --------------------------------------------------------------------------

_RULE_LINE_RE = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PIPE_RE = re.compile(r"(?<!\\)\|")
# A list of notes set as a table: "| 1. | Section 7002 of ... |".
_ENUMERATOR_RE = re.compile(r"\d{1,3}\.?")


def find_tables(text: DocumentText) -> tuple[Table, ...]:
    """The tables of a document's ``table`` blocks, in text order.

    A block whose rows hold one cell each (a figure's frame, a boxed note) or
    that numbers notes ("| 1. | Section 7002 ...") is no table. The caption is
    the caption line just above the block (or just below it, when the line
    after that is no table); the source note is the ``Source:`` line after it.

    >>> from extract.readers.text import read_text
    >>> doc = read_text(Path("t.md"), b"Table 1: Imports\\n\\nA\\tB\\nChina\\t72%\\n")
    >>> [(t.number, t.header, t.rows) for t in find_tables(doc)]
    [('Table 1', (('A', 'B'),), (('China', '72%'),))]
    """
    found = []
    for index, block in enumerate(text.blocks):
        if block.kind != "table":
            continue
        draft = _block_draft(text.text, block)
        if draft is None:
            continue
        caption, subtitle = _caption_before(text, index)
        caption = caption or _caption_after(text, index)
        after = max(block.end, caption.span[1] if caption else 0)
        source = source_after(text.text, after)
        found.append(_assemble(draft, caption, source, text.text, subtitle))
    return tuple(found)


def _block_draft(text: str, block: Block) -> _Draft | None:
    """The block's rows; None when it is no data table."""
    rows: list[_Row] = []
    header: int | None = None
    for start, end in _block_lines(text, block):
        if _RULE_LINE_RE.match(text, start, end) and text[start:end].strip():
            header = header or len(rows)
            continue
        rows.append(
            tuple(_text_piece(text, s, e) for s, e in _split_row(text, start, end))
        )
    if not any(len(_filled(r)) >= 2 for r in rows) or _is_note_list(rows):
        return None
    return _Draft(tuple(rows), header, block.page)


def _block_lines(text: str, block: Block) -> Iterator[Span]:
    """The block's lines, from their line starts: a row may open with an
    empty cell (a tab) that the block's trimmed span leaves out."""
    start = text.rfind("\n", 0, block.start) + 1
    for line in text[start : block.end].split("\n"):
        yield start, start + len(line.rstrip("\r"))
        start += len(line) + 1


def _split_row(text: str, start: int, end: int) -> list[Span]:
    """A row's raw cell spans: split at tabs, or at ``|`` in a pipe row."""
    line = text[start:end]
    if not line.lstrip().startswith("|"):
        cuts = [m.start() for m in re.finditer("\t", line)]
    else:
        lead = line.index("|")
        cuts = [m.start() for m in _PIPE_RE.finditer(line)][1:]
        start, line = start + lead + 1, line[lead + 1 :]
        cuts = [c - lead - 1 for c in cuts]
        if cuts and not line[cuts[-1] + 1 :].strip():
            line = line[: cuts.pop()]  # the closing pipe
    bounds = [-1, *cuts, len(line)]
    return [(start + a + 1, start + b) for a, b in itertools.pairwise(bounds)]


def _text_piece(text: str, start: int, end: int) -> _Piece:
    start, end = trim(text, start, end)
    return _Piece(clean(text[start:end]), ((start, end),) if start < end else ())


def _is_note_list(rows: Sequence[_Row]) -> bool:
    labels = [r[0].text for r in rows if r]
    numbered = sum(bool(_ENUMERATOR_RE.fullmatch(label)) for label in labels)
    return numbered >= 0.8 * len(labels) and len(labels) >= 2


def _caption_at(text: DocumentText, index: int) -> _Caption | None:
    """The caption that block ``index`` is, else None (tables never are)."""
    if not 0 <= index < len(text.blocks):
        return None
    block = text.blocks[index]
    if block.kind in ("table", "list_item"):
        return None
    end = text.text.find("\n", block.start, block.end)
    start, end = trim(text.text, block.start, block.end if end < 0 else end)
    parsed = parse_caption(text.text[start:end])
    return _Caption(parsed[1], (start, end), parsed[0]) if parsed else None


def _caption_before(
    text: DocumentText, index: int
) -> tuple[_Caption | None, str | None]:
    """The caption just above block ``index``, and the one-line subtitle
    between them if any ("(in millions of dollars)")."""
    caption = _caption_at(text, index - 1)
    if caption is not None or index < 2:
        return caption, None
    sub = text.blocks[index - 1]
    if sub.end - sub.start > 150 or sub.kind == "table":
        return None, None
    caption = _caption_at(text, index - 2)
    return (caption, clean(text.text[sub.start : sub.end])) if caption else (None, None)


def _caption_after(text: DocumentText, index: int) -> _Caption | None:
    """A caption set under the table (HTML ``figcaption``), unless it heads
    the next table."""
    nxt = text.blocks[index + 2] if index + 2 < len(text.blocks) else None
    if nxt is not None and nxt.kind == "table":
        return None
    return _caption_at(text, index + 1)


# --------------------------------------------------------------------------
# PDF tables
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(frozen=True, slots=True)
class _Rule:
    """A horizontal rule segment; CRS tables rule each column separately."""

    x0: float
    x1: float
    y: float


@dataclass(frozen=True, slots=True)
class _Page:
    number: int
    words: tuple[_Word, ...]
    rules: tuple[_Rule, ...]
    # Tables pdfplumber found from ruling lines: (bbox, rows of cell boxes).
    ruled: tuple[tuple[Box, tuple[tuple[Box | None, ...], ...]], ...]


_LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
# How far (points) a caption may sit above a ruled table.
_CAPTION_GAP = 40.0
# How far (characters) the reader's text may run ahead of a table's words.
_WINDOW = 400


def find_pdf_tables(
    path: Path, text: DocumentText | None = None, pages: Iterable[int] | None = None
) -> tuple[Table, ...]:
    """The tables of a PDF, located in ``text`` (read from ``path`` if None).

    Ruled tables come from pdfplumber's table finder (lines strategy). A
    table without rules needs a caption (``Table 1. ...``): the lines under it
    down to its source note, in the caption's column of a two-column page,
    are split into columns at the gaps the body rows leave free (or where a
    CRS rule is cut per column) and into rows at the text lines, joining a
    row label's continuation lines. Every word is then found in the reader's
    text of the page, so cells are located exactly.

    Parsing a page costs as much as reading it, so only ``pages`` (1-based)
    are searched: by default those with a table or figure caption.
    """
    if text is None:
        from extract.readers.pdf import read_pdf

        text = read_pdf(path)
    wanted = set(pages) if pages is not None else caption_pages(text)
    found: list[Table] = []
    for page in _load_pages(path, wanted):
        found.extend(_page_tables(page, text))
    return tuple(sorted(found, key=lambda t: t.start))


def caption_pages(text: DocumentText) -> set[int]:
    """The pages holding a table or figure caption."""
    return {
        b.page for i, b in enumerate(text.blocks) if _caption_at(text, i) is not None
    }


def _load_pages(path: Path, wanted: set[int]) -> list[_Page]:
    """Words, rules and ruled tables of the wanted pages; pdfplumber stays here."""
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            return [
                _load_page(n, pdf.pages[n - 1])
                for n in sorted(wanted)
                if 1 <= n <= len(pdf.pages)
            ]
    except MemoryError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on bad input
        raise ReadError(
            path, f"cannot read the PDF's tables ({type(exc).__name__}: {exc})"
        ) from exc


def _load_page(number: int, page: Any) -> _Page:
    raw = page.extract_words(extra_attrs=["size"])
    words = tuple(
        _Word(str(w["text"]), float(w["x0"]), float(w["x1"]), float(w["top"]),
              float(w["bottom"]), round(float(w["size"]), 1))
        for w in raw if str(w["text"]).strip()
    )  # fmt: skip
    rules = tuple(
        _Rule(float(r["x0"]), float(r["x1"]), float(r["top"]))
        for r in (*page.rects, *page.lines)
        if float(r["bottom"]) - float(r["top"]) < 2
        and float(r["x1"]) - float(r["x0"]) > 2
    )
    ruled = tuple(
        (
            _box(t.bbox),
            tuple(tuple(_box(c) if c else None for c in row.cells) for row in t.rows),
        )
        for t in page.find_tables(_LINES)
    )
    page.close()
    return _Page(number, words, rules, ruled)


def _box(values: Iterable[Any]) -> Box:
    x0, top, x1, bottom = (round(float(v), 2) for v in values)
    return x0, top, x1, bottom


def _page_tables(page: _Page, text: DocumentText) -> Iterator[Table]:
    """The ruled tables of a page, then the captioned tables without rules."""
    captions = [
        (block.bbox, caption)
        for i, block in enumerate(text.blocks)
        if block.page == page.number and block.bbox
        and (caption := _caption_at(text, i)) is not None
    ]  # fmt: skip
    taken: list[Box] = []
    for bbox, grid in page.ruled:
        rows = [[_words_in(page.words, c) if c else [] for c in row] for row in grid]
        if sum(len([c for c in row if c]) >= 2 for row in rows) < 2:
            continue  # a frame around a box of text, not a table
        above = [c for box, c in captions if box and _just_above(box, bbox)]
        cells = [[_line_words(c) for c in r] for r in rows]
        table = _located(page, bbox, cells, None, above[-1] if above else None, text)
        if table is not None:
            taken.append(bbox)
            yield table
    for box, caption in captions:
        if box is None or not caption.number.startswith("Table"):
            continue
        if not any(_just_above(box, t) for t in taken):
            table = _unruled(page, box, caption, text)
            if table is not None:
                yield table


def _just_above(caption: Box, table: Box) -> bool:
    """Whether a caption sits just above (or at the top of) a table."""
    gap = table[1] - caption[3]
    return _x_overlap(caption, table) > 0 and -2 <= gap <= _CAPTION_GAP


def _x_overlap(a: Box, b: Box) -> float:
    return min(a[2], b[2]) - max(a[0], b[0])


def _words_in(words: Sequence[_Word], box: Box) -> list[_Word]:
    """The words whose middle is inside ``box``."""
    return [
        w for w in words
        if box[0] <= (w.x0 + w.x1) / 2 <= box[2] and box[1] <= (w.top + w.bottom) / 2 <= box[3]
    ]  # fmt: skip


# ----------------------------------------------------------- lines of words

_Line = list[_Word]


def _group_lines(words: Iterable[_Word]) -> list[_Line]:
    """Words into lines, top to bottom, each line left to right.

    Raised footnote markers are dropped, as the PDF reader drops them.
    """
    lines: list[_Line] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and _same_line(lines[-1], w):
            lines[-1].append(w)
        else:
            lines.append([w])
    return [_without_markers(sorted(line, key=lambda w: w.x0)) for line in lines]


def _same_line(line: _Line, w: _Word) -> bool:
    top, bottom = min(x.top for x in line), max(x.bottom for x in line)
    overlap = min(bottom, w.bottom) - max(top, w.top)
    return overlap >= 0.5 * min(w.bottom - w.top, bottom - top)


def _without_markers(line: _Line) -> _Line:
    size = max(w.size for w in line)
    bottom = max(w.bottom for w in line if w.size == size)
    return [
        w for w in line
        if not (w.size < 0.85 * size and w.bottom < bottom - 0.2 * size and w.text.isdigit())
    ]  # fmt: skip


def _line_words(words: Iterable[_Word]) -> list[_Word]:
    """Words in reading order: line by line, left to right."""
    return [w for line in _group_lines(words) for w in line]


def _line_text(line: Sequence[_Word]) -> str:
    return " ".join(w.text for w in line)


def _top(line: Sequence[_Word]) -> float:
    return min(w.top for w in line)


def _bottom(line: Sequence[_Word]) -> float:
    return max(w.bottom for w in line)


def _height(line: Sequence[_Word]) -> float:
    return _bottom(line) - _top(line)


# ------------------------------------------------------ tables without rules


def _unruled(
    page: _Page, caption_box: Box, caption: _Caption, text: DocumentText
) -> Table | None:
    """The table under a caption: its lines, columns and rows."""
    x0, x1 = _column_of(page.words, caption_box)
    below = [
        w
        for w in page.words
        if w.top >= caption_box[3] - 1 and x0 <= w.x0 and w.x1 <= x1
    ]
    lines = _table_lines(_group_lines(below))
    if len(lines) < 2:
        return None
    bbox = _box((
        min(w.x0 for line in lines for w in line), _top(lines[0]),
        max(w.x1 for line in lines for w in line), _bottom(lines[-1]),
    ))  # fmt: skip
    rules = [r for r in page.rules if bbox[1] - 4 <= r.y <= bbox[3] + 4]
    head = _header_lines(lines, rules)
    bounds = _rule_joints(rules) or _columns(lines[:head], lines[head:])
    if not bounds:
        return None
    rows = _rows(lines[:head], lines[head:], bounds)
    return _located(page, bbox, rows, 1, caption, text)


def _column_of(words: Sequence[_Word], box: Box) -> tuple[float, float]:
    """The x-range of the page column holding a caption, or the full width."""
    left, right = min(w.x0 for w in words), max(w.x1 for w in words)
    for g0, g1 in _page_gutters(words, left, right):
        if box[2] <= g1:
            return left - 1, g0
        if box[0] >= g0:
            return g1, right + 1
    return left - 1, right + 1


def _page_gutters(words: Sequence[_Word], left: float, right: float) -> list[Span]:
    """X-bands in the middle of the page that body text never crosses."""
    cover = _coverage([(w.x0, w.x1) for w in words], left, right)
    typical = statistics.median(cover) if cover else 0
    runs = _low_runs(cover, 0.15 * typical)
    span = right - left
    return [
        (int(left) + a, int(left) + b) for a, b in runs
        if 0.2 * span <= a and b <= 0.8 * span and b - a >= 8
    ]  # fmt: skip


def _coverage(
    extents: Iterable[tuple[float, float]], left: float, right: float
) -> list[int]:
    """How many extents cover each 1-point column from ``left`` to ``right``."""
    width = int(right - left) + 2
    diff = [0] * (width + 1)
    for x0, x1 in extents:
        diff[max(0, int(x0 - left))] += 1
        diff[min(width, int(x1 - left) + 1)] -= 1
    cover, running = [], 0
    for d in diff[:width]:
        running += d
        cover.append(running)
    return cover


def _low_runs(cover: Sequence[int], limit: float) -> list[Span]:
    """Runs of columns whose coverage is at most ``limit``."""
    runs: list[Span] = []
    start: int | None = None
    for x, c in enumerate([*cover, 10**9]):
        if c <= limit and start is None:
            start = x
        elif c > limit and start is not None:
            runs.append((start, x))
            start = None
    return runs


def _table_lines(lines: Sequence[_Line]) -> list[_Line]:
    """The lines of the table under a caption: up to its source note or notes,
    the next caption, a wide gap, a change of type size (a heading), or a line
    of running text from the table's left edge."""
    out: list[_Line] = []
    for line in lines:
        words = _line_text(line)
        if SOURCE_RE.match(words) or _NOTE_LINE_RE.match(words) or parse_caption(words):
            break
        if out and _ends_table(out, line):
            break
        out.append(line)
    return out


def _ends_table(lines: Sequence[_Line], line: _Line) -> bool:
    size = _size(lines[0])
    if (
        _top(line) - _bottom(lines[-1]) > 2.5 * _height(line)
        or abs(_size(line) - size) > 0.6
    ):
        return True
    left = min(w.x0 for ln in lines for w in ln)
    return len(lines) >= 2 and line[0].x0 <= left + 1 and _is_prose(line)


def _size(line: _Line) -> float:
    return statistics.median(w.size for w in line)


def _is_prose(line: _Line) -> bool:
    """A line of running text: many words and no gap wider than a space or two."""
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(line)]
    return len(line) >= 8 and max(gaps, default=0) < 0.6 * _size(line)


def _has_figure(words: Iterable[_Word]) -> bool:
    """Whether a line holds a figure other than a year (headers hold years)."""
    return any(
        any(ch.isdigit() for ch in w.text)
        and not _YEAR_RE.fullmatch(w.text.strip("()"))
        for w in words
    )


def _header_lines(lines: Sequence[_Line], rules: Sequence[_Rule]) -> int:
    """How many lines the header takes: those above the first rule under the
    top line; else the top line and, over a body of figures, the lines with
    no figure under it ("Share of" over "imports (%)")."""
    first = _bottom(lines[0])
    cut = min((r.y for r in rules if first - 1 < r.y < _top(lines[-1])), default=None)
    if cut is not None:
        return max(1, sum(1 for ln in lines if _bottom(ln) <= cut + 1))
    figures = sum(_has_figure(ln) for ln in lines) > len(lines) / 2
    head = 1
    while figures and head < min(3, len(lines) - 2) and not _has_figure(lines[head]):
        head += 1
    return head


def _rule_joints(rules: Sequence[_Rule]) -> list[float]:
    """X where one rule segment ends and the next starts: column bounds."""
    ends = sorted({round(r.x1) for r in rules} & {round(r.x0) for r in rules})
    joints = [float(x) for x in ends]
    return [x for i, x in enumerate(joints) if i == 0 or x - joints[i - 1] > 4]


_Extent = tuple[float, float]


def _columns(head: Sequence[_Line], body: Sequence[_Line]) -> list[float]:
    """Column bounds: the x-gaps that no body word and no header phrase crosses,
    less those between two columns never filled on the same line (a header
    set left over right-aligned figures; a column's odd left-aligned cell).
    """
    rows = [*map(_phrases, head), *([(w.x0, w.x1) for w in ln] for ln in body)]
    size = statistics.median(w.size for ln in body for w in ln)
    extents = [e for row in rows for e in row]
    left, right = min(e[0] for e in extents), max(e[1] for e in extents)
    cover = _coverage(extents, left, right)
    gaps = [(left + a, left + b) for a, b in _low_runs(cover, 0) if b - a >= 0.6 * size]
    gaps = [g for g in gaps if left < g[0] and g[1] < right]
    return [(a + b) / 2 for a, b in _merge_complements(gaps, rows, left, right)]


def _phrases(line: _Line) -> list[_Extent]:
    """A header line's phrases: words closer than a column gap stay together."""
    size = max(w.size for w in line)
    out: list[_Extent] = []
    for w in line:
        if out and w.x0 - out[-1][1] < 0.6 * size:
            out[-1] = (out[-1][0], w.x1)
        else:
            out.append((w.x0, w.x1))
    return out


def _merge_complements(
    gaps: list[_Extent], rows: Sequence[Sequence[_Extent]], left: float, right: float
) -> list[_Extent]:
    """Drop gaps between columns whose cells never share a line."""
    kept = list(gaps)
    i = 0
    while i < len(kept):
        lo = kept[i - 1][1] if i else left
        hi = kept[i + 1][0] if i + 1 < len(kept) else right
        a, b = (lo, kept[i][0]), (kept[i][1], hi)
        if not any(_filled_in(row, a) and _filled_in(row, b) for row in rows):
            del kept[i]
        else:
            i += 1
    return kept


def _filled_in(row: Sequence[_Extent], band: _Extent) -> bool:
    return any(band[0] <= (x0 + x1) / 2 <= band[1] for x0, x1 in row)


def _column(w: _Word, bounds: Sequence[float]) -> int:
    return sum(1 for b in bounds if b < (w.x0 + w.x1) / 2)


def _split(line: Iterable[_Word], bounds: Sequence[float]) -> list[list[_Word]]:
    cells: list[list[_Word]] = [[] for _ in range(len(bounds) + 1)]
    for w in line:
        cells[_column(w, bounds)].append(w)
    return cells


_CONNECTORS = frozenset(
    {"and", "or", "of", "for", "the", "in", "to", "with", "by", "from", "a", "an", "&"}
)
_Cells = list[list[_Word]]


def _rows(
    head: Sequence[_Line], body: Sequence[_Line], bounds: Sequence[float]
) -> list[_Cells]:
    """The header as one row, then the body rows, as cells of words.

    A body line joins the row above when the body's line gaps come in two
    sizes and its gap is the small one (rows of wrapped text), or when it
    holds only a row label's continuation ("electric vehicles" under
    "batteries for").
    """
    rows = [_split((w for ln in head for w in ln), bounds)]
    tight = _tight_gap(body)
    for i, line in enumerate(body):
        cells = _split(line, bounds)
        gap = _top(line) - _bottom(body[i - 1]) if i else 0.0
        if i and _joins(rows[-1], cells, gap, tight):
            rows[-1] = [a + b for a, b in zip(rows[-1], cells, strict=True)]
        else:
            rows.append(cells)
    return rows


def _tight_gap(body: Sequence[_Line]) -> float | None:
    """The gap under which two body lines belong to one row, if gaps come in
    two sizes; None when the lines are evenly spaced."""
    gaps = [_top(b) - _bottom(a) for a, b in itertools.pairwise(body)]
    if len(gaps) < 2:
        return None
    size = statistics.median(_height(line) for line in body)
    low, high = min(gaps), max(gaps)
    return (low + high) / 2 if high - low > 0.4 * size else None


_FIGURE_RE = re.compile(
    r"[<>~\u2248\u2264\u2265]?\s*[-\u2212]?\s*(?:US)?[$\u20ac\u00a3\u00a5]?\s*\d[\d,]*(?:\.\d+)?"
    r"\s*(?:%|[KMBT]\b|bn|mn|thousand|million|billion)?\.?"
)


def _figures(cells: _Cells) -> set[int]:
    """The columns (past the label) whose cell is a figure: "45%", "$1.2B"."""
    return {
        i for i, cell in enumerate(cells) if i and cell
        and _FIGURE_RE.fullmatch(_line_text(cell))
    }  # fmt: skip


def _joins(row: _Cells, cells: _Cells, gap: float, tight: float | None) -> bool:
    """Whether a line continues the row above rather than starting a row.

    With line gaps in two sizes, a small gap joins, unless both lines have a
    figure in one column (two rows of a table of figures). With even gaps, a
    label's second line joins: alone ("electric vehicles" under "batteries
    for"), or with the figures when the line above is the label alone.
    """
    figures = _figures(cells)
    if tight is not None:
        return gap < tight and not figures & _figures(row)
    label, above = _line_text(cells[0]), _line_text(row[0])
    if label and not any(cells[1:]) and _continues(above, label):
        return True
    return (
        bool(above) and not any(row[1:]) and bool(figures) and _continues(above, label)
    )


def _continues(above: str, label: str) -> bool:
    """Whether ``label`` reads as the second line of the label ``above``."""
    if not above or not label:
        return False
    last = above.split()[-1].lower()
    return (
        label[0].islower()
        or label[0] in "(&"
        or above[-1] in "-,/(&"
        or last in _CONNECTORS
    )


# ------------------------------------------- words back into the document text


def _located(
    page: _Page,
    bbox: Box,
    rows: Sequence[Sequence[Sequence[_Word]]],
    header: int | None,
    caption: _Caption | None,
    text: DocumentText,
) -> Table | None:
    """A table whose words are found in the reader's text of the page."""
    order = _line_words(w for row in rows for cell in row for w in cell)
    spans = _locate(order, text, page.number, bbox)
    where = dict(zip(map(id, order), spans, strict=True))
    draft_rows = tuple(
        tuple(_pdf_piece(_line_words(cell), where, text.text) for cell in row)
        for row in rows
    )
    if not any(p.spans for r in draft_rows for p in r):
        return None  # the reader's text has none of it
    draft = _Draft(draft_rows, header, page.number, bbox)
    table = _assemble(draft, caption, None, text.text)
    after = max(table.end, caption.span[1] if caption else 0)
    source = source_after(text.text, after)
    if source is None:
        return table
    return _with_source(table, source, text.text)


def _with_source(table: Table, source: Span, text: str) -> Table:
    return replace(table, source_note=clean(text[slice(*source)]), source_span=source)


def _pdf_piece(
    words: Sequence[_Word], where: dict[int, Span | None], text: str
) -> _Piece:
    """A PDF cell: its words' text, and one span per run of adjacent words."""
    runs: list[list[int]] = []
    for span in sorted(s for w in words if (s := where[id(w)]) is not None):
        if (
            runs
            and not text[runs[-1][1] : span[0]].strip()
            and span[0] - runs[-1][1] <= 1
        ):
            runs[-1][1] = span[1]
        else:
            runs.append([span[0], span[1]])
    joined = re.sub(r"(?<=[-\u2010]) ", "", " ".join(w.text for w in words))
    return _Piece(joined, tuple((a, b) for a, b in runs))


def _locate(
    words: Sequence[_Word], text: DocumentText, page: int, bbox: Box
) -> list[Span | None]:
    """Each word's span in the reader's text of the blocks over ``bbox``.

    Words are sought in reading order, each after the one before: right at
    the current position (the reader may have glued it to the previous word
    or dropped a line-end hyphen), else as a whole word a little further on.
    """
    near = [b for b in text.blocks if b.page == page and _mostly_in(b.bbox, bbox)]
    if not near:
        return [None] * len(words)
    pos, hi = min(b.start for b in near), max(b.end for b in near)
    out: list[Span | None] = []
    for w in words:
        span = _find_word(text.text, w.text, pos, hi)
        out.append(span)
        pos = span[1] if span else pos
    return out


def _mostly_in(inner: Box | None, outer: Box) -> bool:
    """Whether at least a third of a block's box lies inside a table's box.

    A third, not all: the reader may run a table's last row into the
    paragraph under it. But a paragraph it read across a column break can
    span the whole page (IF13199) and must not be searched.
    """
    if inner is None:
        return False
    width = min(inner[2], outer[2] + 2) - max(inner[0], outer[0] - 2)
    height = min(inner[3], outer[3] + 2) - max(inner[1], outer[1] - 2)
    area = (inner[2] - inner[0]) * (inner[3] - inner[1])
    return width > 0 and height > 0 and width * height >= area / 3


def _find_word(text: str, word: str, pos: int, hi: int) -> Span | None:
    at = pos
    while at < hi and text[at].isspace():
        at += 1
    forms = [word, word.rstrip("-\u2010\u00ad")]
    for form in forms:
        if form and text.startswith(form, at):
            return at, at + len(form)
    pattern = re.compile(r"(?<!\S)" + re.escape(word) + r"(?!\w)")
    m = pattern.search(text, pos, min(hi, pos + _WINDOW))
    return (m.start(), m.end()) if m else None


# --------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------

_BARE_NUMBER_RE = re.compile(
    r"(?<![\w.])[-\u2212]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w%])|(?<![\w.,])[-\u2212]?\d+(?:\.\d+)?(?![\w%.,])"
)
_MULTIPLIER_WORDS = {"thousand": 1e3, "thousands": 1e3, "million": 1e6, "millions": 1e6,
                     "mn": 1e6, "billion": 1e9, "billions": 1e9, "bn": 1e9}  # fmt: skip
_NOT_UNIT_RE = re.compile(r"(?i)\b(?:thousands?|millions?|billions?|mn|bn|in|of)\b")
_CURRENCY_RE = re.compile(r"\$|\bUSD\b|\bdollars?\b", re.IGNORECASE)


def table_facts(
    doc_id: str,
    sha256: str,
    text: DocumentText,
    tables: Sequence[Table] | None = None,
    nlp: Language | None = None,
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
    nlp = nlp or pipeline()
    facts: list[Fact] = []
    for table in tables:
        fact = table_fact(doc_id, sha256, text, table)
        facts.append(fact)
        facts.extend(_cell_facts(doc_id, sha256, text, table, fact.id, nlp))
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
    nlp: Language,
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
                entities=_entities(nlp, context),
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
    m = _BARE_NUMBER_RE.search(masked)
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
        m = _YEAR_RE.search(t or "")
        if m:
            return int(m.group())
    return None


def _entities(nlp: Language, context: str) -> tuple[tuple[str, str], ...]:
    seen: dict[tuple[str, str], None] = {}
    for ent in nlp(context).ents:
        seen[(ent.label_, ent.ent_id_ or ent.text)] = None
    return tuple(seen)


# --------------------------------------------------------------------------
# Output: JSON and CSV for `brief tables`
# --------------------------------------------------------------------------


def tables_json(tables: Iterable[Table]) -> list[dict[str, object]]:
    """The tables as JSON objects, cells included."""
    return [table_json(t) for t in tables]


def table_json(t: Table) -> dict[str, object]:
    """One table as a JSON object."""
    cells = [
        {
            "row": c.row,
            "column": c.column,
            "start": c.start,
            "end": c.end,
            "text": c.text,
        }
        for c in t.cells
    ]
    return {
        "number": t.number, "caption": t.caption,
        "caption_span": list(t.caption_span) if t.caption_span else None,
        "title": t.title, "page": t.page, "start": t.start, "end": t.end,
        "bbox": list(t.bbox) if t.bbox else None,
        "header": [list(r) for r in t.header], "rows": [list(r) for r in t.rows],
        "totals": list(t.totals), "source_note": t.source_note,
        "source_span": list(t.source_span) if t.source_span else None,
        "cells": cells,
    }  # fmt: skip


def write_csv(tables: Iterable[Table], folder: Path) -> list[Path]:
    """One CSV per table in ``folder`` (header rows, then body rows).

    Files are named by position and number: ``01-table-1.csv``,
    ``02-figure-1.csv``, ``03-table.csv``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, table in enumerate(tables, start=1):
        slug = re.sub(r"[^a-z0-9]+", "-", (table.number or "table").lower()).strip("-")
        path = folder / f"{i:02d}-{slug}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([*table.header, *table.rows])
        paths.append(path)
    return paths
