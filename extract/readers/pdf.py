"""Read a PDF into blocks of text in reading order.

The page model (:mod:`extract.pages`) gives words with their boxes, each
page parsed once; everything after that is plain geometry on those boxes:

1. Running headers, footers and page numbers are dropped: rows in the top or
   bottom margin band that repeat across pages (digits ignored) or that are
   just a page number.
2. Columns are found from a horizontal coverage profile of the words: an
   x-band inside the text that (almost) no word covers is a gutter. Words that
   do cross a gutter (titles, full-width figures and tables) cut the page into
   horizontal bands; within a band each column is read top to bottom, left
   column first. A line of a column whose end pokes into the gutter's edge
   does not cross it; a title's words, parted by spaces, do. A sliver between
   two gutters (bullets standing apart from their indented text) is no column.
   Where no gutter runs down a whole page of a two-column document (columns
   above a table across the page), the page is cut at blank bands across it
   and the pieces parted at the document's gutter are read as columns.
3. Lines are grouped into blocks by vertical gap, style change, indentation
   and bullets, and reflowed into one line of text each. Raised footnote
   markers inside a line are dropped (they would split the sentence's words
   and glue digits to numbers); raised letters (``119th``) are kept.
4. A paragraph cut off at the end of a column or page is followed directly by
   its continuation, skipping figure captions, side notes and footnotes that
   sit between the two in the page geometry. Within a page the two parts
   become one block; across pages they stay two adjacent blocks, so a page's
   footnote blocks can come after the next page's first block. A paragraph
   whose next line starts a later segment right under it (a line crossing the
   gutter cut the column into bands) goes on there, not at the next column's
   top.

Blocks are separated by a blank line in ``DocumentText.text``.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import statistics
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extract.budget import (
    LostPage,
    Meter,
    PageScan,
    lost_page,
    partly_lost,
    scan_pages,
)
from extract.errors import ReadError
from extract.pages import Page, Rect, Word, open_pdf, parse_page
from extract.progress import page_done
from extract.records import Block, DocumentText

# Share of the page height at the top and at the bottom where running headers,
# footers and page numbers live.
log = logging.getLogger(__name__)

MARGIN_BAND = 0.08
# A single capital at least this large (points) is a drop cap.
DROP_CAP_SIZE = 30.0
# A gutter must be at least this wide (points) ...
MIN_GUTTER = 8.0
# ... and covered by at most this share of the typical word coverage (titles
# and full-width figures cross it; body text must not).
GUTTER_COVERAGE = 0.15
# Pages of one document put their gutter this close (points) to each other.
GUTTER_SHIFT = 10.0
# Text between two gutters narrower than this (points) is not a column.
MIN_COLUMN = 40.0
# Text between blocks.
BLOCK_SEP = "\n\n"
# A fill lighter than this grey level is the page, not a shaded box.
SHADE_MAX = 0.97

_PAGE_NUMBER = re.compile(
    r"^[-\u2013\u2014\s]*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?[-\u2013\u2014\s]*$",
    re.IGNORECASE,
)
_FURNITURE = re.compile(r"^https?://crsreports\.congress\.gov", re.IGNORECASE)
# pdfium's error codes for a document it cannot load
_ERR_FORMAT, _ERR_PASSWORD, _ERR_SECURITY = 3, 4, 5
_BULLET = re.compile(
    r"^(?:[\u2022\u25aa\u25a0\u25cf\u25e6\u2023\u2043\uf0b7\uf0a7]|[-\u2013\u2014](?=\s))"
)
_NUMBERED = re.compile(r"^(?:\d{1,2}[.)]|\([a-zA-Z0-9]{1,4}\))\s")
_CAPTION = re.compile(r"^(?:Figure|Table|Map|Chart|Exhibit)\s+[A-Z]?\d+[.:]")
_TERMINAL = re.compile(r"[.!?:;][\"'\u201d\u2019)\]]*$")
# A table of contents entry ends in leader dots and its page number.
_CONTENTS_ENTRY = re.compile(r"(?:\.\s?){4,}\s*\d{1,4}$")
_VOCAB_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_DASHES = "-\u2010\u00ad\u2013\u2014"
_NOTE_START = re.compile(r"^\d{1,3}\s")
# "Source: ..." and "Notes: ..." under a table or figure: a block each.
_NOTE_LEAD = re.compile(r"^(?:(?:Data\s+)?Sources?|Notes?)\s*:", re.IGNORECASE)
_SUPERSCRIPT_NOTE = re.compile(r"^[\d,\u2013\u2014*\u2020\u2021-]+$")


@dataclass(slots=True)
class _Line:
    words: list[Word]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    text: str


@dataclass(slots=True)
class _Draft:
    """A block before it has an offset: its lines, page and column segment."""

    page: int
    segment: int
    lines: list[_Line]
    kind: str = "paragraph"
    text: str = ""
    # Where the paragraph goes on on a later page: (index in lines, page).
    breaks: list[tuple[int, int]] = field(default_factory=list)
    boxed: bool = False  # in a shaded box: it goes on only in a box


@dataclass(slots=True)
class _Style:
    """Document-wide measures that the per-page geometry compares against."""

    body_size: float
    pitch: float  # baseline-to-baseline distance, in units of font size
    vocab: Counter[str]


# ---------------------------------------------------------------- public API


def read_pdf(path: Path) -> DocumentText:
    """Read a PDF into its text in reading order and its blocks.

    Two- and three-column pages are read column by column; running headers,
    footers and page numbers are dropped; lines are reflowed into paragraphs,
    headings and list items, each with its 1-based page and bbox in points.

    Raises ReadError (naming the file, and the page where it matters) for a
    missing, empty, non-PDF, truncated, corrupt or encrypted file, and for a
    PDF without a text layer.
    """
    return read_pdf_pages(path)[0]


def read_pdf_pages(path: Path) -> tuple[DocumentText, tuple[Page, ...]]:
    """:func:`read_pdf`, and the parsed pages (without their characters).

    The text carries the pages too (``DocumentText.layout``), so that tables
    and figures read the same parse.
    """
    path = Path(path)
    _check_file(path)
    pages, lost = _load_pages(path)
    if not pages:
        raise ReadError(path, "the PDF has no pages; check the file is complete")
    if not any(p.words for p in pages):
        raise ReadError(
            path,
            f"the PDF has {len(pages)} page(s) but no text layer (scanned images?); "
            "run OCR first (e.g. ocrmypdf) and read the OCR'd copy",
        )
    kept = tuple(p.without_chars() for p in pages)
    drafts = _draft_blocks(_drop_furniture(list(kept)))
    return replace(_assemble(drafts, kept), lost=lost), kept


# ------------------------------------------------------------ file handling


def _check_file(path: Path) -> None:
    """Catch the cheap-to-spot bad inputs before pdfminer sees them."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(1024)
            fh.seek(max(0, size - 8192))  # some writers pad after %%EOF
            tail = fh.read()
    except FileNotFoundError:
        raise ReadError(path, "file not found") from None
    except OSError as exc:
        raise ReadError(path, f"cannot open the file ({exc.strerror or exc})") from exc
    if size == 0:
        raise ReadError(path, "the file is empty (0 bytes); download or copy it again")
    if b"%PDF-" not in head:
        raise ReadError(
            path, "not a PDF (no %PDF- header); check the file type and extension"
        )
    if b"%%EOF" not in tail:
        raise ReadError(
            path, "the PDF is truncated (no %%EOF marker at the end); download it again"
        )


def _load_pages(path: Path) -> tuple[list[Page], tuple[tuple[int, str], ...]]:
    """Every page, parsed once, within its budgets; and the pages that were lost.

    The content streams are measured first (:func:`extract.budget.scan_pages`),
    so a page that would cost pdfium gigabytes is refused before it is parsed.
    pdfium's failures become one ReadError naming the page.
    """
    scans = {s.number: s for s in scan_pages(path)}
    try:
        pdf = open_pdf(path)
    except pdfium.PdfiumError as exc:
        raise _open_error(path, exc) from exc
    meter = Meter(path)
    pages: list[Page] = []
    lost: list[tuple[int, str]] = []
    try:
        total = len(pdf)
        for n in range(1, total + 1):
            started = time.monotonic()
            page = _load_page(path, pdf, n)
            meter.page(n, len(page.chars), time.monotonic() - started)
            scan = scans.get(n)
            gone = (
                partly_lost(scan, len(page.chars))
                if page.chars or page.rects
                else _lost(pdf, scan)
            )
            if gone is not None:
                log.warning("%s page %d: %s", path, n, gone.reason)
                lost.append((n, gone.reason))
            pages.append(page)
            page_done("read", path, n, total)
    finally:
        pdf.close()
    return pages, tuple(lost)


def _lost(pdf: pdfium.PdfDocument, scan: PageScan | None) -> LostPage | None:
    """A page with content but nothing pdfium could read from it, or None."""
    if scan is None:
        return None
    page = pdf[scan.number - 1]
    try:
        return lost_page(scan, pdfium_c.FPDFPage_CountObjects(page.raw))
    finally:
        page.close()


def _load_page(path: Path, pdf: pdfium.PdfDocument, number: int) -> Page:
    try:
        return parse_page(pdf, number)
    except MemoryError:
        raise
    except Exception as exc:  # pdfium and ctypes raise several types on bad input
        raise ReadError(
            path,
            f"the page cannot be parsed ({type(exc).__name__}: {exc}); "
            "the PDF may be corrupt: try repairing it (e.g. qpdf in.pdf out.pdf)",
            page=number,
        ) from exc


def _open_error(path: Path, exc: pdfium.PdfiumError) -> ReadError:
    if exc.err_code in (_ERR_PASSWORD, _ERR_SECURITY):
        return ReadError(
            path,
            "the PDF is encrypted (password-protected); decrypt it first "
            "(e.g. qpdf --decrypt --password=... in.pdf out.pdf)",
        )
    return ReadError(
        path,
        f"the PDF is corrupt and cannot be parsed ({exc}); "
        "try repairing it (e.g. qpdf in.pdf out.pdf) or download it again",
    )


# ------------------------------------------------- headers, footers, numbers


def _drop_furniture(pages: list[Page]) -> list[Page]:
    """Every page without its running headers/footers and page numbers.

    A top-margin row seen on two pages is a running header (chapter titles
    change, so they repeat on few pages). The bottom margin also holds body
    lines and footnotes ("Ibid."), so there a row must repeat on a fifth of
    the pages too.
    """
    rows = [_margin_rows(p) for p in pages]
    seen = Counter(k for page_rows in rows for k in {key for key, _ in page_rows})
    need = {True: 2, False: max(2, math.ceil(0.2 * len(pages)))}
    out = []
    for page, page_rows in zip(pages, rows, strict=True):
        drop = {
            id(w)
            for (top, norm), row in page_rows
            if _is_furniture(row.text, bool(norm) and seen[top, norm] >= need[top])
            for w in row.words
        }
        if drop:
            page = replace(
                page, words=tuple(w for w in page.words if id(w) not in drop)
            )
        out.append(page)
    return out


def _margin_rows(page: Page) -> list[tuple[tuple[bool, str], _Line]]:
    """Rows in the top and bottom bands, keyed by (in the top band, text)."""
    band = MARGIN_BAND * (page.box[3] - page.box[1])
    top, bottom = page.box[1] + band, page.box[3] - band
    rows = _group_lines(w for w in page.words if w.bottom <= top or w.top >= bottom)
    return [((row.bottom <= top, _norm(row.text)), row) for row in rows]


def _norm(text: str) -> str:
    """Text compared across pages: lowercase, digits (page numbers) removed."""
    return " ".join(re.sub(r"\d+", " ", text.lower()).split())


def _is_furniture(text: str, repeats: bool) -> bool:
    return repeats or bool(_PAGE_NUMBER.match(text) or _FURNITURE.match(text))


# ------------------------------------------------------------------- lines


def _group_lines(words: Iterable[Word]) -> list[_Line]:
    """Words into lines, top to bottom; a word joins the line it overlaps.

    A drop cap (a letter three lines tall) would make its lines one: it goes
    to the front of the first line beside it instead.
    """
    words = list(words)
    caps = [w for w in words if _is_drop_cap(w)]
    if caps:
        return _with_drop_caps([w for w in words if w not in caps], caps)
    groups: list[list[Word]] = []
    top = bottom = 0.0
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        overlap = min(bottom, w.bottom) - max(top, w.top)
        if groups and overlap >= 0.5 * min(w.bottom - w.top, bottom - top):
            groups[-1].append(w)
            top, bottom = min(top, w.top), max(bottom, w.bottom)
        else:
            groups.append([w])
            top, bottom = w.top, w.bottom
    return [_make_line(g) for g in groups]


def _is_drop_cap(w: Word) -> bool:
    return w.size >= DROP_CAP_SIZE and len(w.text) == 1 and w.text.isupper()


def _with_drop_caps(words: list[Word], caps: list[Word]) -> list[_Line]:
    """The lines of ``words``, each drop cap joined to the front of the first
    line that starts beside it ("T" + "he Act of" -> "The Act of"); the line
    keeps its own left edge, flush with the lines under it beside the cap."""
    lines = _group_lines(words)
    for cap in caps:
        line = next(
            (x for x in lines
             if x.bottom > cap.top and x.top < cap.bottom and -1 <= x.x0 - cap.x1 < x.size),
            None,
        )  # fmt: skip
        if line is None:
            lines.append(_make_line([replace(cap, size=round(cap.size, 1))]))
            continue
        first = line.words[0]
        glued = first.x0 - cap.x1 < 0.25 * line.size
        text = cap.text + ("" if glued else " ") + first.text
        line.words[0] = replace(first, text=text)
        line.text = _line_text(line)
    return sorted(lines, key=lambda x: x.top)


def _make_line(words: list[Word]) -> _Line:
    # No rejoining of touching words: the page model splits a word only at a
    # space, a gap, a step back or a size change ("Table 1. Types" keeps its space).
    words = sorted(words, key=lambda w: w.x0)
    sizes: Counter[float] = Counter()
    for w in words:
        sizes[w.size] += len(w.text)
    size = sizes.most_common(1)[0][0]
    main = [w for w in words if w.size >= 0.85 * size]
    line = _Line(
        words=words,
        x0=min(w.x0 for w in words),
        x1=max(w.x1 for w in words),
        top=min(w.top for w in words),
        bottom=max(w.bottom for w in main),
        size=size,
        bold=all(w.bold for w in main),
        text="",
    )
    line.text = _line_text(line)
    return line


def _line_text(line: _Line) -> str:
    """The line's words; raised footnote markers go, raised letters attach."""
    parts: list[str] = []
    for i, w in enumerate(line.words):
        raised = i > 0 and _is_raised(w, line)
        if raised and _SUPERSCRIPT_NOTE.match(w.text):
            continue  # a footnote marker would split the sentence's words
        if raised and parts:
            parts[-1] += w.text  # 119th, not "119 th"
        else:
            parts.append(w.text)
    return " ".join(parts)


def _is_raised(w: Word, line: _Line) -> bool:
    return w.size < 0.85 * line.size and w.bottom < line.bottom - 0.2 * line.size


# ----------------------------------------------------------------- columns


def _find_gutters(words: Sequence[Word]) -> list[tuple[float, float]]:
    """X-bands inside the text that (almost) no word covers."""
    left = min(w.x0 for w in words)
    cover = _coverage(words, left)
    typical = statistics.median(cover)
    if typical < 3:
        return []  # too little text to tell a gutter from a gap between words
    limit = GUTTER_COVERAGE * typical
    span = len(cover)
    runs = [
        (start, end)
        for start, end in _low_runs(cover, limit)
        if 0.15 * span <= start and end <= 0.85 * span and end - start >= MIN_GUTTER
    ]
    return [(left + a, left + b) for a, b in _widest(runs)]


def _widest(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The gutters without those that cut a sliver off a column: of two gutters
    closer than a column's width (the bullets of a list sit between the gutter
    and the indented text), the wider one."""
    kept: list[tuple[int, int]] = []
    for run in runs:
        if kept and run[0] - kept[-1][1] < MIN_COLUMN:
            if run[1] - run[0] > kept[-1][1] - kept[-1][0]:
                kept[-1] = run
            continue
        kept.append(run)
    return kept


def _coverage(words: Sequence[Word], left: float) -> list[int]:
    """How many words cover each 1-point column of the text's width."""
    width = int(max(w.x1 for w in words) - left) + 2
    diff = [0] * (width + 1)
    for w in words:
        diff[int(w.x0 - left)] += 1
        diff[int(w.x1 - left) + 1] -= 1
    cover, running = [], 0
    for d in diff[:width]:
        running += d
        cover.append(running)
    return cover


def _low_runs(cover: list[int], limit: float) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    start = None
    for x, c in enumerate([*cover, math.inf]):
        if c <= limit and start is None:
            start = x
        elif c > limit and start is not None:
            runs.append((start, x))
            start = None
    return runs


def _layout(words: Sequence[Word], gutter: float | None = None) -> list[list[_Line]]:
    """The page's segments (runs of lines read top to bottom), in reading order.

    ``gutter`` is the middle of the document's column gutter, where most of
    its pages have one (see :func:`_stacked`).
    """
    columns = _columns(words)
    if columns is not None:
        return columns
    stacked = _stacked(words, gutter) if gutter is not None else None
    return stacked or [_group_lines(words)]


def _document_gutter(pages: Sequence[Page]) -> float | None:
    """The middle of the gutter of the document's two-column pages, when at
    least a third of its pages are laid out so (In Focus: the last page is
    the single-column disclaimer); else None."""
    mids = [
        (g[0][0] + g[0][1]) / 2
        for p in pages
        if p.words
        and len(g := _find_gutters(p.words)) == 1
        and _columns(p.words) is not None
    ]
    if not mids or 3 * len(mids) < len(pages):
        return None
    return statistics.median(mids)


def _columns(words: Sequence[Word]) -> list[list[_Line]] | None:
    """The segments of a column layout, or None when the words hold no
    columns of running text."""
    gutters = _find_gutters(words) if words else []
    if not gutters:
        return None
    spans = _crossing_spans(words, gutters)
    regions = _regions(words, spans)
    segments: list[list[_Line]] = []
    columns: list[list[_Line]] = []
    for index, region in enumerate(regions):
        if index % 2:  # odd regions are the full-width spans between bands
            segments.append(_group_lines(region))
            continue
        cols = [_group_lines(c) for c in _split_columns(region, gutters)]
        columns.extend(cols)
        segments.extend(_with_preface(cols))
    if not _text_columns(columns, len(gutters) + 1):
        return None  # a table's gaps, not a column layout
    return [s for s in segments if s]


def _stacked(words: Sequence[Word], gutter: float) -> list[list[_Line]] | None:
    """The segments of a page whose columns stop at a full-width table or
    figure (IF12255 page 2): the page cut where blank space runs across it,
    each run of pieces that hold two columns laid out as columns, the pieces
    between them read across. None when no piece holds columns.

    A piece with too little text to tell (a heading) between two pieces of
    columns goes with them; above or below them it is read on its own (a
    table's header row would widen the columns' extent).
    """
    pieces = _slabs(words)
    if len(pieces) < 2:
        return None
    kinds = [_piece_kind(p, gutter) for p in pieces]
    if "columns" not in kinds:
        return None
    segments: list[list[_Line]] = []
    i = 0
    while i < len(pieces):
        j = i + 1
        if kinds[i] == "columns":
            end = i  # the last piece of columns in this run
            while j < len(pieces) and kinds[j] != "wide":
                end = j if kinds[j] == "columns" else end
                j += 1
            j = end + 1
            run = [w for piece in pieces[i:j] for w in piece]
            segments.extend(_columns(run) or [_group_lines(run)])
        else:
            segments.append(_group_lines(pieces[i]))
        i = j
    return [s for s in segments if s]


def _slabs(words: Sequence[Word]) -> list[list[Word]]:
    """The words in horizontal slabs, cut where a blank band wider than the
    space between two lines runs across the whole width, top to bottom."""
    slabs: list[list[Word]] = []
    bottom = -math.inf
    for w in sorted(words, key=lambda w: w.top):
        if w.top > bottom + 0.5 * w.size:
            slabs.append([])
        slabs[-1].append(w)
        bottom = max(bottom, w.bottom)
    return _coalesced(slabs)


def _coalesced(slabs: list[list[Word]]) -> list[list[Word]]:
    """Runs of one-line slabs (the rows of a table, lines set loose) as one."""
    out: list[list[Word]] = []
    thin = False
    for slab in slabs:
        one = len(_group_lines(slab)) == 1
        if out and one and thin:
            out[-1].extend(slab)
        else:
            out.append(list(slab))
        thin = one
    return out


def _piece_kind(words: list[Word], gutter: float) -> str:
    """ "columns" for columns of running text, "small" for too little text to
    tell (a heading, a line or two), else "wide"."""
    if len(_group_lines(words)) <= 2:
        return "small"
    return "columns" if _page_columns(words, gutter) else "wide"


def _page_columns(words: list[Word], gutter: float) -> bool:
    """Whether a piece holds two columns of running text parted where the
    document's other pages part theirs; a table's columns sit elsewhere, and
    its cells are read across, row by row."""
    gutters = _find_gutters(words)
    if len(gutters) != 1 or abs(sum(gutters[0]) / 2 - gutter) > GUTTER_SHIFT:
        return False
    return _columns(words) is not None


def _crossing_spans(
    words: Sequence[Word], gutters: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """Merged vertical extents of the text that crosses a gutter."""
    spans: list[tuple[float, float]] = []
    crossing = [
        chain
        for row in _group_lines(words)
        for chain, rest in _with_rest(_chains(row.words, gutters))
        if any(_crosses(chain, g) and not _overflows(chain, rest, g) for g in gutters)
    ]
    for top, bottom in sorted(
        (min(w.top for w in c), max(w.bottom for w in c)) for c in crossing
    ):
        if spans and top <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], bottom))
        else:
            spans.append((top, bottom))
    return spans


def _with_rest(chains: list[list[Word]]) -> list[tuple[list[Word], list[list[Word]]]]:
    """Each chain of a row with the row's other chains."""
    return [(c, chains[:k] + chains[k + 1 :]) for k, c in enumerate(chains)]


def _overflows(
    chain: list[Word], rest: list[list[Word]], gutter: tuple[float, float]
) -> bool:
    """Whether a run of words is a left column's line that runs on into the
    gutter, but not across it (a long link), beside the right column's own
    line: the column goes on under it, it is no full-width title or figure."""
    g0, g1 = gutter
    x1 = max(w.x1 for w in chain)
    return chain[0].x0 < g0 and x1 < g1 and any(c[0].x0 >= g1 - 1 for c in rest)


def _chains(row: list[Word], gutters: list[tuple[float, float]]) -> list[list[Word]]:
    """A row's words in runs parted by gaps wider than a word space (less
    than half the narrowest gutter): a title's words form one run across the
    gutter, two columns' lines two runs."""
    space = min(MIN_GUTTER, min(0.5 * (g1 - g0) for g0, g1 in gutters))
    chains: list[list[Word]] = []
    for w in row:
        if chains and w.x0 - chains[-1][-1].x1 < space:
            chains[-1].append(w)
        else:
            chains.append([w])
    return chains


def _crosses(chain: list[Word], gutter: tuple[float, float]) -> bool:
    """Whether a run of words reaches into the middle half of a gutter, and is
    not a ragged line end: a line of the column beside the gutter that pokes
    into its edge but stops short of its middle."""
    g0, g1 = gutter
    mid, c0, c1 = (g0 + g1) / 2, 0.75 * g0 + 0.25 * g1, 0.25 * g0 + 0.75 * g1
    x0, x1 = chain[0].x0, max(w.x1 for w in chain)
    if not (x0 < c1 and x1 > c0):
        return False
    ragged = (x0 < g0 and x1 < mid) or (x1 > g1 and x0 > mid)
    return not ragged


def _regions(
    words: Sequence[Word], spans: list[tuple[float, float]]
) -> list[list[Word]]:
    """Band 0, span 0, band 1, span 1, ...: words by their vertical middle."""
    regions: list[list[Word]] = [[] for _ in range(2 * len(spans) + 1)]
    for w in words:
        mid = (w.top + w.bottom) / 2
        index = 2 * sum(1 for s in spans if s[1] < mid)
        if index < 2 * len(spans) and spans[index // 2][0] <= mid:
            index += 1  # inside the next span
        regions[index].append(w)
    return regions


def _split_columns(
    words: Sequence[Word], gutters: list[tuple[float, float]]
) -> list[list[Word]]:
    cols: list[list[Word]] = [[] for _ in range(len(gutters) + 1)]
    for w in words:
        mid = (w.x0 + w.x1) / 2
        cols[sum(1 for g0, g1 in gutters if (g0 + g1) / 2 < mid)].append(w)
    return cols


def _text_columns(columns: list[list[_Line]], count: int) -> bool:
    """Whether the columns hold running text (tables give short rows).

    Counted by words, not lines: a table of short rows inside a text column
    (IF13201's Table 1) has more lines than the prose around it, but fewer
    words; a table's own columns are short rows throughout.
    """
    sides: list[list[int]] = [[] for _ in range(count)]
    for i, col in enumerate(columns):
        for line in col:  # each word counts the length of its line
            sides[i % count].extend([len(line.words)] * len(line.words))
    need = 4 if count == 2 else 3
    return all(side and statistics.median(side) >= need for side in sides)


def _with_preface(cols: list[list[_Line]]) -> list[list[_Line]]:
    """Read short blocks that sit above the first column's text first.

    A date line at the top of the right column, above a title in the left one,
    belongs before both; read column by column it would land in the middle of
    the sentence that runs from the bottom of the left column to the right one.
    """
    if len(cols) < 2 or not cols[0]:
        return cols
    first_top = cols[0][0].top
    preface: list[_Line] = []
    for col in cols[1:]:
        k = sum(1 for line in col[:3] if line.bottom < first_top)
        if 0 < k <= 2 and (k == len(col) or _gap_before(col, k)):
            preface.extend(col[:k])
            del col[:k]
    return [sorted(preface, key=lambda line: line.top), *cols] if preface else cols


def _gap_before(lines: list[_Line], k: int) -> bool:
    """Whether a blank line or more separates line ``k`` from the one above."""
    prev, line = lines[k - 1], lines[k]
    return line.bottom - prev.bottom > 1.8 * max(prev.size, line.size)


# ------------------------------------------------------------------ blocks


def _page_segments(
    page: Page, gutter: float | None = None
) -> list[tuple[list[_Line], bool]]:
    """The page's segments in reading order, each with whether it is boxed:
    its running text, then each shaded box (a sidebar, a text box) read on
    its own, so that a box in a column is never spliced into the column's
    sentences."""
    boxes = _shaded_boxes(page)
    if not boxes:
        return [(seg, False) for seg in _layout(page.words, gutter)]
    inside: list[list[Word]] = [[] for _ in boxes]
    rest: list[Word] = []
    for w in page.words:
        k = next((k for k, b in enumerate(boxes) if _holds(b, w)), None)
        (rest if k is None else inside[k]).append(w)
    segments = [(seg, False) for seg in (_layout(rest, gutter) if rest else [])]
    for words in inside:
        segments.extend((seg, True) for seg in (_layout(words) if words else []))
    return [(seg, boxed) for seg, boxed in segments if seg]


def _shaded_boxes(page: Page) -> list[Rect]:
    """Filled, non-white rects big enough to hold text, smaller than the page,
    outermost only, top to bottom; not the cells of a shaded table row.

    An R report's summary sidebar is 111 points wide (18% of the page)."""
    width, height = page.box[2] - page.box[0], page.box[3] - page.box[1]
    filled = [r for r in page.rects if r.fill is not None and r.fill < SHADE_MAX]
    found = [
        r for r in filled
        if r.width >= 0.15 * width and r.height >= 3 * 12
        and r.width * r.height < 0.6 * width * height
        and not any(_beside(r, o) for o in filled)
    ]  # fmt: skip
    outer = [r for r in found if not any(o is not r and _contains(o, r) for o in found)]
    return sorted(outer, key=lambda r: (r.top, r.x0))


def _beside(a: Rect, b: Rect) -> bool:
    """Whether ``b`` is a cell of ``a``'s row: same height, edge to edge."""
    return (
        abs(a.top - b.top) <= 1 and abs(a.bottom - b.bottom) <= 1
        and (abs(a.x1 - b.x0) <= 1 or abs(b.x1 - a.x0) <= 1)
    )  # fmt: skip


def _contains(outer: Rect, inner: Rect) -> bool:
    return (
        outer.x0 - 1 <= inner.x0 and inner.x1 <= outer.x1 + 1
        and outer.top - 1 <= inner.top and inner.bottom <= outer.bottom + 1
    )  # fmt: skip


def _holds(box: Rect, w: Word) -> bool:
    mx, my = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return box.x0 <= mx <= box.x1 and box.top <= my <= box.bottom


def _draft_blocks(pages: list[Page]) -> list[_Draft]:
    """Blocks of every page in reading order, with their text reflowed."""
    gutter = _document_gutter(pages)
    segments = [(p.number, s) for p in pages for s in _page_segments(p, gutter)]
    lines = [seg for _, (seg, _) in segments]
    style = _Style(
        body_size=_body_size(pages),
        pitch=_pitch(lines),
        vocab=_vocabulary(lines),
    )
    drafts = [
        _Draft(page, n, block, boxed=boxed)
        for n, (page, (seg, boxed)) in enumerate(segments)
        for block in _split_blocks(seg, style)
    ]
    drafts = _follow_continuations(drafts, style)
    for d in drafts:
        d.text = _reflow([line.text for line in d.lines], style.vocab)
        d.kind = _kind(d, style)
    return [d for d in drafts if d.text]


def _body_size(pages: list[Page]) -> float:
    """The font size of the running text: the commonest in the upper part of
    the pages, where footnotes (which can outweigh the text) do not reach."""
    sizes: Counter[float] = Counter()
    for page in pages:
        limit = page.box[1] + 0.6 * (page.box[3] - page.box[1])
        for w in page.words:
            if w.top < limit:
                sizes[w.size] += len(w.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _pitch(segments: list[list[_Line]]) -> float:
    """Typical baseline distance between lines, in units of font size."""
    ratios = [
        (b.bottom - a.bottom) / a.size
        for seg in segments
        for a, b in itertools.pairwise(seg)
        if a.size == b.size and 0 < b.bottom - a.bottom < 3 * a.size
    ]
    return statistics.median(ratios) if ratios else 1.2


def _vocabulary(segments: list[list[_Line]]) -> Counter[str]:
    """Every word of the document; it decides which line-end hyphens to keep."""
    vocab: Counter[str] = Counter()
    for seg in segments:
        for line in seg:
            vocab.update(_VOCAB_WORD.findall(line.text.lower()))
    return vocab


def _split_blocks(lines: list[_Line], style: _Style) -> list[list[_Line]]:
    blocks: list[list[_Line]] = []
    for line in lines:
        if blocks and not _starts_block(blocks[-1], line, style):
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


def _starts_block(block: list[_Line], line: _Line, style: _Style) -> bool:
    prev = block[-1]
    gap = line.bottom - prev.bottom
    return (
        gap > 1.4 * style.pitch * max(prev.size, line.size)
        or abs(line.size - prev.size) > 0.6
        or line.bold != prev.bold
        or _opens_item(line, prev)
        or _indented(block, line)
        or bool(_NOTE_LEAD.match(line.text))
    )


def _opens_item(line: _Line, prev: _Line) -> bool:
    """A bullet, a footnote, or a number after the end of a sentence."""
    first = line.words[0]
    if _BULLET.match(line.text) or (first.text.isdigit() and _is_raised(first, line)):
        return True
    return bool(_NUMBERED.match(line.text)) and bool(_TERMINAL.search(prev.text))


def _indented(block: list[_Line], line: _Line) -> bool:
    """A first-line indent after a line flush with the block's left edge."""
    if _BULLET.match(block[0].text) or _NUMBERED.match(block[0].text):
        return False  # hanging indents of list items
    prev = block[-1]
    step = line.x0 - prev.x0
    flush = prev.x0 <= min(b.x0 for b in block) + 1
    return flush and line.size * 0.8 < step < line.size * 4 and len(block) > 1


def _follow_continuations(drafts: list[_Draft], style: _Style) -> list[_Draft]:
    """Join each paragraph cut at a column or page end to its continuation.

    Footnotes and side notes between the two stay where they were, after it.
    """
    i = 0
    while i < len(drafts) - 1:
        j = _next_part(drafts, i, style)
        if j is not None:
            nxt = drafts.pop(j)
            cur = drafts[i]
            if nxt.page != cur.page:  # one paragraph across the page break
                cur.breaks.append((len(cur.lines), nxt.page))
                cur.breaks.extend((len(cur.lines) + k, p) for k, p in nxt.breaks)
            cur.lines.extend(nxt.lines)  # ... or across the column break
            continue
        i += 1
    return drafts


def _next_part(drafts: list[_Draft], i: int, style: _Style) -> int | None:
    """Where the paragraph ``drafts[i]`` goes on, if it does not end a
    sentence: on its next line in a later segment, or else in the next
    column or page.

    To the next column or page, one-line blocks go on only in the body size:
    a lone chart label or caption line often lacks a full stop.
    """
    d = drafts[i]
    last = d.lines[-1]
    ended = _TERMINAL.search(last.text) or _CONTENTS_ENTRY.search(last.text)
    if ended or not _is_plain(d, last.size):
        return None
    below = _right_below(drafts, i, style)
    long = len(d.lines) > 1 or abs(last.size - style.body_size) <= 0.6
    if below is not None or not long:
        return below
    return _continuation(drafts, i, style)


def _continuation(drafts: list[_Draft], i: int, style: _Style) -> int | None:
    """The paragraph that continues ``drafts[i]`` in a later column or page.

    Between the two may sit the footnotes at the bottom of the page and, in
    the next column or page, figure captions, labels and side notes in smaller
    type; a heading, a list item or larger type means the paragraph ended.
    """
    size = drafts[i].lines[-1].size
    j = _past_notes(drafts, i, size, small=size < style.body_size - 0.6)
    for k in range(j, min(j + 40, len(drafts))):
        d = drafts[k]
        if d.page > drafts[i].page + 1:
            return None  # a continuation is on the same or the next page
        if d.boxed != drafts[i].boxed:
            continue  # text in a box goes on in a box; running text outside
        if _is_plain(d, size):
            return k
        first = d.lines[0]
        if first.size >= size - 0.6 and not _CAPTION.match(first.text):
            return None
    return None


def _right_below(drafts: list[_Draft], i: int, style: _Style) -> int | None:
    """A later segment's first paragraph that starts on the next line of
    ``drafts[i]``'s column, flush with its last line: the paragraph goes on
    there, whatever the segments' order. A line that crosses the gutter (a
    long link) cuts a column into bands; the next band's top is not where a
    sentence cut at the cut goes on."""
    last = drafts[i].lines[-1]
    reach = 1.4 * style.pitch * last.size
    for k in range(i + 1, min(i + 40, len(drafts))):
        d = drafts[k]
        if d.page != drafts[i].page:
            return None
        first = d.lines[0]
        starts_segment = d.segment != drafts[k - 1].segment
        if (
            starts_segment
            and d.boxed == drafts[i].boxed
            and 0 < first.bottom - last.bottom <= reach
            and abs(first.x0 - last.x0) <= 2
            and _is_plain(d, last.size)
        ):
            return k
    return None


def _past_notes(drafts: list[_Draft], i: int, size: float, small: bool) -> int:
    """The index after the footnotes that end ``drafts[i]``'s column.

    Anything else below the paragraph in its own column (a block quote, the
    next paragraph) stops the search: it returns ``len(drafts)``. A paragraph
    in small type (a table's source note) may have footnotes of its own size
    under it.
    """
    j, numbered = i + 1, False
    while j < len(drafts) and drafts[j].segment == drafts[i].segment:
        first = drafts[j].lines[0]
        note = bool(_NOTE_START.match(first.text))
        if first.size > size - 0.6 and not (small and note and first.size < size + 0.6):
            return len(drafts)
        numbered = numbered or note
        j += 1
    return j if numbered or j == i + 1 else len(drafts)


def _is_plain(d: _Draft, size: float) -> bool:
    """A paragraph in running text of the given size (no heading, list, caption)."""
    first = d.lines[0]
    return (
        abs(first.size - size) <= 0.6
        and not first.bold
        and not _BULLET.match(first.text)
        and not _CAPTION.match(first.text)
    )


def _reflow(texts: list[str], vocab: Counter[str]) -> str:
    """Lines into one: single spaces, words hyphenated at line ends rejoined."""
    parts = [texts[0]] if texts else []
    for text in texts[1:]:
        prev = parts[-1]
        if len(prev) > 1 and prev[-1] in _DASHES and prev[-2] != " ":
            parts[-1] = _join_hyphen(prev, text, vocab)
        else:
            parts.append(text)
    return " ".join(parts).strip()


def _join_hyphen(prev: str, text: str, vocab: Counter[str]) -> str:
    """``trans-`` + ``portation``; but ``U.S.-`` + ``Japan`` keeps its hyphen."""
    soft = prev[-1] in "-\u2010\u00ad" and prev[-2].islower() and text[:1].islower()
    if soft and not _compound(prev, text, vocab):
        return prev[:-1] + text
    return prev + text


def _compound(prev: str, text: str, vocab: Counter[str]) -> bool:
    """Whether a lowercase ``head-`` / ``tail`` pair is a hyphenated compound.

    Word processors do not hyphenate words, so a line-end hyphen is a real
    one (``second-largest``, ``multi-year``, a link's ``deep-sea``): it is
    kept unless the document writes the joined form more often elsewhere
    (a typeset ``trans-`` / ``portation`` beside ``transportation``). Over
    the 85 shared CRS PDFs this rejoins no word that their web pages write
    whole, and keeps the hyphen of every compound they write hyphenated.
    """
    last = prev.rsplit(" ", 1)[-1].lstrip("\"'(\u201c\u2018[")
    if last[:1].isupper():
        return True  # a name's compound: Senate-passed, China-related
    head = _VOCAB_WORD.findall(last.lower())
    tail = _VOCAB_WORD.findall(text.split(" ", 1)[0].lower())
    if not head or not tail:
        return True
    h, t = head[-1], tail[0]
    return vocab[f"{h}-{t}"] >= vocab[f"{h}{t}"]


def _kind(d: _Draft, style: _Style) -> str:
    if _BULLET.match(d.text) or _NUMBERED.match(d.text):
        return "list_item"
    if _CAPTION.match(d.text):
        return "caption"
    first = d.lines[0]
    large = first.size >= 1.15 * style.body_size
    # Bold small print ("Source: ...") and bold sentences are not headings.
    bold = first.bold and first.size > style.body_size - 0.6
    short = len(d.lines) <= 3 and len(d.text) <= 200 and not d.text.endswith(".")
    return "heading" if short and (bold or large) else "paragraph"


def _assemble(drafts: list[_Draft], pages: tuple[Page, ...]) -> DocumentText:
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for d in drafts:
        if parts:
            parts.append(BLOCK_SEP)
            pos += len(BLOCK_SEP)
        cuts = [0, *(k for k, _ in d.breaks), len(d.lines)]
        continued = tuple(
            (pos + _offset_of(d, k), page, _bbox(d.lines[k:end]))
            for (k, page), end in zip(d.breaks, cuts[2:], strict=True)
        )
        first = d.lines[: cuts[1]]
        blocks.append(
            Block(d.kind, d.page, pos, pos + len(d.text), _bbox(first), continued)
        )
        parts.append(d.text)
        pos += len(d.text)
    return DocumentText(
        text="".join(parts), blocks=tuple(blocks), pages=len(pages), layout=pages
    )


def _bbox(lines: Sequence[_Line]) -> tuple[float, float, float, float]:
    return (
        round(min(line.x0 for line in lines), 2),
        round(min(line.top for line in lines), 2),
        round(max(line.x1 for line in lines), 2),
        round(max(line.bottom for line in lines), 2),
    )


def _offset_of(d: _Draft, k: int) -> int:
    """Where line ``k`` starts in the draft's reflowed text: lines are joined
    by one space (a rejoined hyphenation makes it a character or two early)."""
    return min(len(" ".join(x.text for x in d.lines[:k])) + 1, len(d.text))
