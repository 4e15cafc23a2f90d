"""Captions, source notes and the text of cells, in any document.

A caption line (``Table 1. ...``, ``**FIGURE 1: ...**``) numbers a table or a
figure; its source note is the ``Source: ...`` line after it. Tables and
figures both read them here. Cell and caption text is cleaned of markup
(:func:`clean`), or masked with offsets kept (:func:`mask`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from extract.records import DocumentText

Span = tuple[int, int]

CAPTION_RE = re.compile(
    r"[\s|*_#>]*(?P<label>tables?|figures?|fig\.|exhibits?|charts?|maps?)"
    r"[^\S\n]*(?P<num>(?:[A-Z]-?)?\d{1,3}(?:\.\d{1,2})?)(?![\d])"
    r"[^\S\n]*(?:[:.\u2013\u2014]|-(?=\s))[\s*_]*(?P<rest>\S.*)",
    re.IGNORECASE,
)
# Captions in a list of figures end in dot leaders and a page number.
_TOC_RE = re.compile(r"(?:\.\s?){4,}\s*\d*\s*$|\]\(\S*\)\s*$")
SOURCE_RE = re.compile(r"(?:data\s+)?sources?\s*:", re.IGNORECASE)
NOTE_LINE_RE = re.compile(r"notes?\s*:", re.IGNORECASE)
_LABELS = {"table": "Table", "fig.": "Figure", "figure": "Figure", "exhibit": "Exhibit"}

_SUP_RE = re.compile(r"<sup>.*?</sup>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>\n]+>")
_LINK_RE = re.compile(r"\[([^\]\n]*)\]\([^)\s]*\)")
_ESCAPE_RE = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!$|<>~%])")
_STRONG_RE = re.compile(r"\*\*|__")
_SPACE_RE = re.compile(r"\s+")
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
class Caption:
    text: str
    span: Span
    number: str


def caption_at(text: DocumentText, index: int) -> Caption | None:
    """The caption that block ``index`` is, else None (tables never are)."""
    if not 0 <= index < len(text.blocks):
        return None
    block = text.blocks[index]
    if block.kind in ("table", "list_item"):
        return None
    end = text.text.find("\n", block.start, block.end)
    start, end = trim(text.text, block.start, block.end if end < 0 else end)
    parsed = parse_caption(text.text[start:end])
    return Caption(parsed[1], (start, end), parsed[0]) if parsed else None
