"""Budgets for reading a PDF: per page and per document, checked before the cost.

pdfium builds its text page in C, about 240 bytes per glyph and out of reach of
any Python check: a 36 KB PDF whose one page draws 3,000,000 glyphs costs
0.7 GB and 6.5 s before its characters can even be counted. So each page's
content streams are measured first (:func:`scan_pages`, with pdfminer, which
the table finder loads anyway): their decompressed size (zlib stopped at a
cap, so a compression bomb costs nothing) and the bytes of their string
operands, an upper bound on the glyphs drawn. A page past the budget is
refused with an error naming it, before pdfium touches it. What pdfium then
parses is checked again exactly (characters, seconds) per page and per
document.

A page whose content streams hold data but from which pdfium reads nothing
(no text, no image, no path) was lost to a corrupt stream: the reader reports
it (:class:`LostPage`) instead of dropping it silently.
"""

from __future__ import annotations

import functools
import re
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract.errors import ReadError

# A string operand of a content stream: (literal) or <hex>.
STRING = re.compile(rb"\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>", re.S)
# Text shown by the page's strings but not read back is lost past this share
# (the bound counts two bytes a glyph for literals, four hex digits for hex
# strings: the widest encodings, so a whole page reads back above it).
PARTLY_LOST_SHARE = 0.5
PARTLY_LOST_MIN = 200  # glyphs; below this a shortfall is noise


@dataclass(frozen=True, slots=True)
class Budget:
    """Limits far above any real document (a dense CRS page: ~6,000 characters,
    ~16,000 bytes of strings, ~70 KB of content)."""

    page_content: int = 32 * 1024 * 1024  # decompressed content bytes per page
    page_glyphs: int = 250_000  # bytes of string operands per page
    page_chars: int = 200_000  # characters pdfium reads from a page
    page_seconds: float = 30.0
    doc_pages: int = 20_000
    doc_chars: int = 20_000_000
    doc_seconds: float = 1800.0
    lost_min_bytes: int = 64  # content this large that yields nothing is a lost page


BUDGET = Budget()


@dataclass(frozen=True, slots=True)
class PageScan:
    """A page's content streams, measured before parsing: bytes and glyph bound."""

    number: int
    content: int
    glyphs: int  # upper bound: bytes of string operands
    least: int = 0  # lower bound on the glyphs the strings show


@dataclass(frozen=True, slots=True)
class LostPage:
    """A page that could not be read, and why; the document records it."""

    number: int
    reason: str


@dataclass(slots=True)
class Meter:
    """What a document has used so far, checked page by page."""

    path: Path
    budget: Budget = BUDGET
    chars: int = 0
    started: float = field(default_factory=time.monotonic)

    def page(self, number: int, chars: int, seconds: float) -> None:
        """Account for one parsed page; raise ReadError past a budget."""
        b = self.budget
        if chars > b.page_chars:
            raise over(self.path, number, f"{chars:,} characters", b.page_chars)
        if seconds > b.page_seconds:
            msg = f"took {seconds:.0f} s to parse, more than the {b.page_seconds:g} s a page may"
            raise ReadError(self.path, msg, page=number)
        self.chars += chars
        if self.chars > b.doc_chars:
            msg = f"the document passes {b.doc_chars:,} characters at this page (the budget)"
            raise ReadError(self.path, msg, page=number)
        if time.monotonic() - self.started > b.doc_seconds:
            msg = (
                f"reading passed {b.doc_seconds:g} s at this page (the document budget)"
            )
            raise ReadError(self.path, msg, page=number)


def over(path: Path, page: int, what: str, limit: int) -> ReadError:
    """The error for a page past a budget."""
    return ReadError(
        path,
        f"the page draws {what}, more than the {limit:,} a page may "
        "(a hostile or broken PDF?); it was not parsed",
        page=page,
    )


def scan_pages(path: Path, budget: Budget = BUDGET) -> list[PageScan]:
    """Measure every page's content streams; refuse a page or document past budget.

    A PDF pdfminer cannot walk gives an empty list: pdfium, which reads more
    damaged files, then decides, and its errors name the problem.
    """
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    scans: list[PageScan] = []
    try:
        with path.open("rb") as fp:
            doc = lazy_document()(PDFParser(fp))
            for number, page in enumerate(PDFPage.create_pages(doc), 1):
                if number > budget.doc_pages:
                    msg = f"more than {budget.doc_pages:,} pages (the document budget)"
                    raise ReadError(path, msg)
                scans.append(scan_page(path, number, page.contents, budget))
    except ReadError:
        raise
    except Exception:  # pdfminer raises many kinds on damaged files
        return []
    return scans


@functools.cache
def lazy_document() -> Any:
    """pdfminer's ``PDFDocument``, reading an object stream only as far as the
    object asked for.

    pdfminer parses a whole object stream when it first needs one object of
    it; a tagged PDF's page dicts sit among thousands of structure elements,
    so walking the page tree parsed most of the file. The objects come out of
    the same parser in the same order, so each is what pdfminer would give.
    """
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.pdftypes import PDFStream
    from pdfminer.psexceptions import PSEOF

    class LazyDocument(PDFDocument):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self._read: dict[object, tuple[list[object], int, Any]] = {}
            super().__init__(*args, **kwargs)

        def _getobj_objstm(self, stream: PDFStream, index: int, objid: int) -> object:
            if stream.objid not in self._read:
                self._read[stream.objid] = ([], *objstm_parser(self, stream))
            objs, n, parser = self._read[stream.objid]
            i = n * 2 + index
            while (i < 0 or len(objs) <= i) and parser is not None:
                try:
                    objs.append(parser.nextobject()[1])
                except PSEOF:  # the end of the stream: all read
                    parser = None
                    self._read[stream.objid] = (objs, n, None)
            try:
                return objs[i]
            except IndexError as err:
                raise PDFSyntaxError(f"index too big: {index!r}") from err

    return LazyDocument


def objstm_parser(doc: Any, stream: Any) -> tuple[Any, Any]:
    """An object stream's object count and a parser at its start, after
    pdfminer's own checks (``PDFDocument._get_objects``)."""
    from pdfminer import settings
    from pdfminer.pdfdocument import LITERAL_OBJSTM
    from pdfminer.pdfparser import PDFStreamParser, PDFSyntaxError

    if stream.get("Type") is not LITERAL_OBJSTM and settings.STRICT:
        raise PDFSyntaxError(f"Not a stream object: {stream!r}")
    try:
        n = stream["N"]
    except KeyError:
        if settings.STRICT:
            raise PDFSyntaxError(f"N is not defined: {stream!r}") from None
        n = 0
    parser = PDFStreamParser(stream.get_data())
    parser.set_document(doc)
    return n, parser


def scan_page(path: Path, number: int, contents: object, budget: Budget) -> PageScan:
    """One page: decompressed content bytes and string-operand bytes."""
    size = glyphs = least = 0
    for data in content_data(contents, budget.page_content + 1):
        size += len(data)
        if size > budget.page_content:
            msg = (
                f"the page's content inflates past {budget.page_content:,} bytes, more "
                "than a page may hold (a hostile or broken PDF?); it was not parsed"
            )
            raise ReadError(path, msg, page=number)
        for m in STRING.finditer(data):
            n = len(m.group()) - 2
            glyphs += n
            least += n // 4 if m.group().startswith(b"<") else n // 2
    if glyphs > budget.page_glyphs:
        raise over(path, number, f"about {glyphs:,} glyphs", budget.page_glyphs)
    return PageScan(number, size, glyphs, least)


def content_data(contents: object, cap: int) -> list[bytes]:
    """The decoded bytes of a page's content streams, each stopped at ``cap``."""
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.psparser import LIT

    flate = (LIT("FlateDecode"), LIT("Fl"))
    items = resolve1(contents)
    out = []
    for item in items if isinstance(items, list) else [items]:
        stream = resolve1(item)
        if not isinstance(stream, PDFStream):
            continue
        filters = [f for f, _ in stream.get_filters()]
        raw = stream.rawdata if stream.rawdata is not None else stream.data or b""
        if not filters:
            out.append(raw[:cap])
        elif len(filters) == 1 and filters[0] in flate:
            try:
                out.append(zlib.decompressobj().decompress(raw, cap))
            except zlib.error:
                out.append(raw[:cap])
        else:
            out.append((stream.get_data() or b"")[:cap])
    return out


def partly_lost(scan: PageScan | None, chars: int) -> LostPage | None:
    """A page that read back far less text than its strings show, or None.

    pdfium stops at the first garbage in a content stream and keeps what came
    before: the rest of the page would vanish without a word.
    """
    if scan is None or scan.least < PARTLY_LOST_MIN:
        return None
    if chars >= scan.least * PARTLY_LOST_SHARE:
        return None
    return LostPage(
        scan.number,
        f"only {chars:,} characters were read where its content shows at least "
        f"{scan.least:,}; the rest of the page could not be parsed (corrupt?)",
    )


def lost_page(
    scan: PageScan | None, objects: int, budget: Budget = BUDGET
) -> LostPage | None:
    """A page with content that pdfium read nothing from, or None."""
    if scan is None or objects > 0 or scan.content < budget.lost_min_bytes:
        return None
    return LostPage(
        scan.number,
        f"its {scan.content:,} bytes of content could not be parsed (corrupt?); "
        "nothing on it was read",
    )
