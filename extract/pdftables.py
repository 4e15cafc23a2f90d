"""PDF tables from the page geometry, every word located in the document text.

The PDF reader reflows a table's words into paragraphs, so tables are found
on the page: ruled tables from pdfplumber's table finder, unruled ones under
their caption. Every word is then found in the reader's text of the page, so
cells are located exactly.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pdfplumber.table import TableFinder
from pdfplumber.utils.geometry import rect_to_edges

from extract.captions import (
    NOTE_LINE_RE,
    SOURCE_RE,
    Caption,
    Span,
    caption_at,
    clean,
    parse_caption,
    source_after,
)
from extract.pages import Page, Rect, Word
from extract.readers.pdf import read_pdf, read_pdf_pages
from extract.records import DocumentText
from extract.tablegrid import YEAR_RE, Box, Draft, Piece, Table, assemble
from extract.texttables import find_tables


@dataclass(frozen=True, slots=True)
class _Page:
    """A page's words and rules, and the tables its ruling lines draw."""

    number: int
    words: tuple[Word, ...]
    rules: tuple[Rect, ...]
    # Tables pdfplumber's finder draws from the ruling lines: (bbox, rows of cell boxes).
    ruled: tuple[tuple[Box, tuple[tuple[Box | None, ...], ...]], ...]


_LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
# How far (points) a caption may sit above a ruled table.
_CAPTION_GAP = 40.0
# How far (characters) the reader's text may run ahead of a table's words.
_WINDOW = 400


def document_tables(text: DocumentText, path: Path | None) -> tuple[Table, ...]:
    """The tables of any document: from its text, and from a PDF's pages."""
    found = find_tables(text)
    if path is not None and path.suffix.lower() == ".pdf":
        found += find_pdf_tables(path, text)
    return found


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
        text = read_pdf(path)
    wanted = set(pages) if pages is not None else caption_pages(text)
    found: list[Table] = []
    for page in _pages(path, text, wanted):
        found.extend(_page_tables(_table_page(page), text))
    return tuple(sorted(found, key=lambda t: t.start))


def caption_pages(text: DocumentText) -> set[int]:
    """The pages holding a table or figure caption."""
    return {
        b.page for i, b in enumerate(text.blocks) if caption_at(text, i) is not None
    }


def _pages(path: Path, text: DocumentText, wanted: set[int]) -> list[Page]:
    """The wanted pages: those the reader parsed (``text.layout``), else parsed now."""
    if text.layout:
        return [p for p in text.layout if p.number in wanted]
    if not wanted:
        return []
    return [p for p in read_pdf_pages(path)[1] if p.number in wanted]


def _table_page(page: Page) -> _Page:
    return _Page(page.number, page.words, page.rules, _ruled_tables(page))


def _ruled_tables(
    page: Page,
) -> tuple[tuple[Box, tuple[tuple[Box | None, ...], ...]], ...]:
    """The tables that the page's ruling lines and boxes draw, by pdfplumber's
    table finder (lines strategy) run on the page model's rects."""
    height = page.box[3]
    edges = [
        e
        for r in page.rects
        for e in rect_to_edges({"x0": r.x0, "x1": r.x1, "top": r.top, "bottom": r.bottom,
                                "y0": height - r.bottom, "y1": height - r.top, "doctop": r.top,
                                "width": r.width, "height": r.height, "object_type": "rect"})
    ]  # fmt: skip
    if not edges:
        return ()
    finder = TableFinder(_Edges(edges, page.box), _LINES)  # type: ignore[arg-type]
    return tuple(
        (
            _box(t.bbox),
            tuple(tuple(_box(c) if c else None for c in row.cells) for row in t.rows),
        )
        for t in finder.tables
    )


@dataclass(frozen=True, slots=True)
class _Edges:
    """What pdfplumber's table finder reads of a page: its edges and box."""

    edges: list[dict[str, Any]]
    bbox: Box


def _box(values: Iterable[Any]) -> Box:
    x0, top, x1, bottom = (round(float(v), 2) for v in values)
    return x0, top, x1, bottom


def _page_tables(page: _Page, text: DocumentText) -> Iterator[Table]:
    """The ruled tables of a page, then the captioned tables without rules."""
    captions = [
        (block.bbox, caption)
        for i, block in enumerate(text.blocks)
        if block.page == page.number and block.bbox
        and (caption := caption_at(text, i)) is not None
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


def _words_in(words: Sequence[Word], box: Box) -> list[Word]:
    """The words whose middle is inside ``box``."""
    return [
        w for w in words
        if box[0] <= (w.x0 + w.x1) / 2 <= box[2] and box[1] <= (w.top + w.bottom) / 2 <= box[3]
    ]  # fmt: skip


# ----------------------------------------------------------- lines of words

_Line = list[Word]


def _group_lines(words: Iterable[Word]) -> list[_Line]:
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


def _same_line(line: _Line, w: Word) -> bool:
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


def _line_words(words: Iterable[Word]) -> list[Word]:
    """Words in reading order: line by line, left to right."""
    return [w for line in _group_lines(words) for w in line]


def _line_text(line: Sequence[Word]) -> str:
    return " ".join(w.text for w in line)


def _top(line: Sequence[Word]) -> float:
    return min(w.top for w in line)


def _bottom(line: Sequence[Word]) -> float:
    return max(w.bottom for w in line)


def _height(line: Sequence[Word]) -> float:
    return _bottom(line) - _top(line)


# ------------------------------------------------------ tables without rules


def _unruled(
    page: _Page, caption_box: Box, caption: Caption, text: DocumentText
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
    rules = [r for r in page.rules if bbox[1] - 4 <= r.top <= bbox[3] + 4]
    head = _header_lines(lines, rules)
    bounds = _rule_joints(rules) or _columns(lines[:head], lines[head:])
    if not bounds:
        return None
    rows = _rows(lines[:head], lines[head:], bounds)
    return _located(page, bbox, rows, 1, caption, text)


def _column_of(words: Sequence[Word], box: Box) -> tuple[float, float]:
    """The x-range of the page column holding a caption, or the full width."""
    left, right = min(w.x0 for w in words), max(w.x1 for w in words)
    for g0, g1 in _page_gutters(words, left, right):
        if box[2] <= g1:
            return left - 1, g0
        if box[0] >= g0:
            return g1, right + 1
    return left - 1, right + 1


def _page_gutters(words: Sequence[Word], left: float, right: float) -> list[Span]:
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
        if SOURCE_RE.match(words) or NOTE_LINE_RE.match(words) or parse_caption(words):
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


def _has_figure(words: Iterable[Word]) -> bool:
    """Whether a line holds a figure other than a year (headers hold years)."""
    return any(
        any(ch.isdigit() for ch in w.text) and not YEAR_RE.fullmatch(w.text.strip("()"))
        for w in words
    )


def _header_lines(lines: Sequence[_Line], rules: Sequence[Rect]) -> int:
    """How many lines the header takes: those above the first rule under the
    top line; else the top line and, over a body of figures, the lines with
    no figure under it ("Share of" over "imports (%)")."""
    first = _bottom(lines[0])
    cut = min(
        (r.top for r in rules if first - 1 < r.top < _top(lines[-1])), default=None
    )
    if cut is not None:
        return max(1, sum(1 for ln in lines if _bottom(ln) <= cut + 1))
    figures = sum(_has_figure(ln) for ln in lines) > len(lines) / 2
    head = 1
    while figures and head < min(3, len(lines) - 2) and not _has_figure(lines[head]):
        head += 1
    return head


def _rule_joints(rules: Sequence[Rect]) -> list[float]:
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


def _column(w: Word, bounds: Sequence[float]) -> int:
    return sum(1 for b in bounds if b < (w.x0 + w.x1) / 2)


def _split(line: Iterable[Word], bounds: Sequence[float]) -> list[list[Word]]:
    cells: list[list[Word]] = [[] for _ in range(len(bounds) + 1)]
    for w in line:
        cells[_column(w, bounds)].append(w)
    return cells


_CONNECTORS = frozenset(
    {"and", "or", "of", "for", "the", "in", "to", "with", "by", "from", "a", "an", "&"}
)
_Cells = list[list[Word]]


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
    rows: Sequence[Sequence[Sequence[Word]]],
    header: int | None,
    caption: Caption | None,
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
    draft = Draft(draft_rows, header, page.number, bbox)
    table = assemble(draft, caption, None, text.text)
    after = max(table.end, caption.span[1] if caption else 0)
    source = source_after(text.text, after)
    if source is None:
        return table
    return _with_source(table, source, text.text)


def _with_source(table: Table, source: Span, text: str) -> Table:
    return replace(table, source_note=clean(text[slice(*source)]), source_span=source)


def _pdf_piece(
    words: Sequence[Word], where: dict[int, Span | None], text: str
) -> Piece:
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
    return Piece(joined, tuple((a, b) for a, b in runs))


def _locate(
    words: Sequence[Word], text: DocumentText, page: int, bbox: Box
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
