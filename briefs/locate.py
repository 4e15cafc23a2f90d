"""Where a quote lives in its document: page and boxes, line, or section.

A reviewer looks a quote up the way the document is laid out: in a PDF by
page, with the quote's boxes on it (one per printed line, from the reader's
word boxes); in a text or markdown file by line (the reader's offsets point
into the file's characters); in a web page by the section heading above it.
The quote's surrounding text (prefix and suffix, as in a W3C
TextQuoteSelector) is kept so that ``brief trace`` can find it again after
the document is edited.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extract.records import Block, DocumentText, Fact

CONTEXT = 32
MAX_PIECES = 4  # a quote interrupted by other print is found in this many runs
MIN_PIECE = 12  # characters (whitespace and hyphens aside) in each run  # characters of prefix and suffix kept around a quote
LINE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})


@dataclass(frozen=True, slots=True)
class Box:
    """One printed line of a quote on a PDF page, in points from the top left."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float

    def to_json(self) -> list[float]:
        """``[page, x0, top, x1, bottom]``."""
        return [self.page, self.x0, self.top, self.x1, self.bottom]

    @classmethod
    def from_json(cls, obj: Sequence[float]) -> Box:
        """The inverse of :meth:`to_json`."""
        page, x0, top, x1, bottom = obj
        return cls(int(page), float(x0), float(top), float(x1), float(bottom))


@dataclass(frozen=True, slots=True)
class Location:
    """Where a quote is: ``kind`` is ``page`` (PDF), ``line`` or ``section``."""

    kind: str
    page: int
    line: int | None = None
    section: str = ""
    boxes: tuple[Box, ...] = ()

    @property
    def label(self) -> str:
        """How a citation names the place: ``p. 3``, ``line 40``, ``section "X"``."""
        if self.kind == "line" and self.line is not None:
            return f"line {self.line}"
        if self.kind == "section":
            return f"section “{self.section}”" if self.section else "opening section"
        return f"p. {self.page}"

    def to_json(self) -> dict[str, object]:
        """The location as claims.json stores it."""
        return {
            "kind": self.kind,
            "page": self.page,
            "line": self.line,
            "section": self.section,
            "boxes": [b.to_json() for b in self.boxes],
        }

    @classmethod
    def from_json(cls, obj: dict[str, object]) -> Location:
        """The inverse of :meth:`to_json`."""
        line = obj.get("line")
        boxes = obj.get("boxes") or []
        return cls(
            kind=str(obj["kind"]),
            page=int(obj["page"]),  # type: ignore[call-overload]
            line=None if line is None else int(line),  # type: ignore[call-overload]
            section=str(obj.get("section") or ""),
            boxes=tuple(Box.from_json(b) for b in boxes),  # type: ignore[attr-defined]
        )


@dataclass(frozen=True, slots=True)
class Anchor:
    """A quote's location and its context, for citing and for re-anchoring."""

    location: Location
    prefix: str
    suffix: str


MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})


def as_read(quote: str, path: str) -> str:
    """A quote as a reader of the document sees it.

    A markdown file's backslash escapes (``\\$18.74B``) are markup, not text:
    the document, rendered, shows ``$18.74B``. Other documents are quoted as is.
    """
    if Path(path).suffix.lower() in MARKDOWN_SUFFIXES:
        return MARKDOWN_ESCAPE.sub(r"\1", quote)
    return quote


def page_anchor(fact: Fact) -> Anchor:
    """The anchor of a fact whose document is not at hand: its page only."""
    return Anchor(Location("page", fact.page), "", "")


def anchor(fact: Fact, path: Path, text: DocumentText) -> Anchor:
    """Where ``fact``'s quote is in the document at ``path`` read as ``text``."""
    prefix = text.text[max(0, fact.quote_start - CONTEXT) : fact.quote_start]
    suffix = text.text[fact.quote_end : fact.quote_end + CONTEXT]
    return Anchor(locate(fact, path, text), prefix, suffix)


def locate(fact: Fact, path: Path, text: DocumentText) -> Location:
    """The location of a fact by the kind of document it came from."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return Location("page", fact.page, boxes=quote_boxes(path, fact))
    if suffix in LINE_SUFFIXES:
        return Location("line", 1, line=text.text.count("\n", 0, fact.quote_start) + 1)
    return Location("section", 1, section=section_of(text, fact.start))


def section_of(text: DocumentText, offset: int) -> str:
    """The heading of the section holding ``offset`` ("" before the first)."""
    heading = ""
    for block in text.blocks:
        if block.start > offset:
            break
        if block.kind == "heading":
            heading = " ".join(text.block_text(block).split())
    return heading


def paragraph_of(text: DocumentText, start: int, end: int) -> tuple[int, int]:
    """The offsets of the block(s) holding ``start:end`` (the quote's paragraph)."""
    inside: list[Block] = [b for b in text.blocks if b.end > start and b.start < end]
    if not inside:
        return start, end
    return min(b.start for b in inside), max(b.end for b in inside)


# PDF boxes -------------------------------------------------------------------

Word = tuple[str, float, float, float, float]  # text, x0, top, x1, bottom
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
             "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}  # fmt: skip


def quote_boxes(path: Path, fact: Fact) -> tuple[Box, ...]:
    """The quote's boxes, one per printed line, on its page (and the next).

    The quote is matched against the page model's characters (each with its
    box) with whitespace and hyphens ignored (the reader may have joined a word
    hyphenated across lines), so a quote wrapped over several lines or
    columns is still found, and its boxes start and end at its first and
    last character.
    """
    from extract.pages import open_pdf, parse_page

    pdf = open_pdf(path)
    try:
        pages = [
            parse_page(pdf, n) for n in (fact.page, fact.page + 1) if n <= len(pdf)
        ]
    finally:
        pdf.close()
    chars = [(p.number, [(c.text, c.x0, c.top, c.x1, c.bottom) for c in p.chars])
             for p in pages]  # fmt: skip
    return match_boxes(chars, fact.quote)


def squeeze(text: str) -> str:
    """Text without whitespace and hyphens, for matching across line breaks."""
    for ligature, letters in LIGATURES.items():
        text = text.replace(ligature, letters)
    return re.sub(r"[\s\-\u00ad]+", "", text)


def match_boxes(pages: list[tuple[int, list[Word]]], quote: str) -> tuple[Box, ...]:
    """The boxes of the words that spell ``quote``, merged per line."""
    chars: list[int] = []  # index into flat for each squeezed character
    flat: list[tuple[int, Word]] = []
    for number, words in pages:
        for w in words:
            flat.append((number, w))
            chars.extend([len(flat) - 1] * len(squeeze(w[0])))
    haystack = "".join(squeeze(w[0]) for _, w in flat)
    used: list[tuple[int, Word]] = []
    for at, end in pieces(haystack, squeeze(quote)):
        used.extend(flat[chars[at] : chars[end - 1] + 1])
    return merge_lines(used)


def pieces(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Where ``needle`` is in ``haystack``: whole, or in a few long pieces in order.

    A page may print something inside a quote that the reader left out (a
    sidebar, a running head between columns), or print them in another order
    than the reader reads them: then the quote is found as up to ``MAX_PIECES``
    runs of at least ``MIN_PIECE`` characters, each the longest that occurs on
    the page. Otherwise nothing is found.
    """
    at = haystack.find(needle) if needle else -1
    if at >= 0:
        return [(at, at + len(needle))]
    found: list[tuple[int, int]] = []
    i = 0
    while i < len(needle) and len(found) < MAX_PIECES:
        lo, hi = 0, len(needle) - i  # the longest prefix of needle[i:] on the page
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if haystack.find(needle[i : i + mid]) >= 0:
                lo = mid
            else:
                hi = mid - 1
        if lo < min(MIN_PIECE, len(needle) - i):
            return []
        at = haystack.find(needle[i : i + lo])
        found.append((at, at + lo))
        i += lo
    return found if i >= len(needle) else []


def merge_lines(words: list[tuple[int, Word]]) -> tuple[Box, ...]:
    """One box per printed line: words on one page whose tops are within 2 pt."""
    boxes: list[Box] = []
    for number, (_, x0, top, x1, bottom) in words:
        last = boxes[-1] if boxes else None
        if last and last.page == number and abs(last.top - top) < 2 and x0 >= last.x0:
            boxes[-1] = Box(number, last.x0, min(last.top, top), max(last.x1, x1),
                            max(last.bottom, bottom))  # fmt: skip
        else:
            boxes.append(Box(number, x0, top, x1, bottom))
    return tuple(
        Box(b.page, round(b.x0, 1), round(b.top, 1), round(b.x1, 1), round(b.bottom, 1))
        for b in boxes
    )
