"""Spans of text: trimmed ranges, sentences and lines, and what a span names.

Offsets are character offsets, ``(start, end)``; every kind extractor builds
its quotes with these.
"""

# Full-width punctuation (＞％（）〔〕) is what these patterns read in Chinese text.
# ruff: noqa: RUF002, RUF003

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

Sentence = tuple[int, int]  # start, end within a text

# Pads an unescaped HTML entity to its own length: whitespace to the patterns
# ("&ge;10 kW" reads as "≥   10 kW"), dropped from values and names.
PAD = "\x1f"
_ENTITY_RE = re.compile(
    r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
# Full-width symbols read as their ASCII forms, one character for one.
_FULL_WIDTH = str.maketrans(
    "\uff1e\uff1c\uff05\uff1d\u2267\u2266\uff0b\uff5e",  # ＞＜％＝≧≦＋～
    ">\u003c%=\u2265\u2264+~",
)


def matchable(raw: str) -> str:
    """``raw`` as patterns should read it, at the same length and offsets.

    HTML entities a scraper left in (``&gt;``) are unescaped and padded with
    :data:`PAD` to their own length, and full-width symbols (＞ ≧ ％) are
    folded, so an offset found in the result is an offset into ``raw`` and a
    quote taken from ``raw`` at it is what the document says.

    >>> matchable("纯度&gt;99.9％").replace(PAD, "_")
    '纯度>___99.9%'
    """
    if "&" in raw:
        raw = _ENTITY_RE.sub(_same_length, raw)
    return raw.translate(_FULL_WIDTH)


def _same_length(m: re.Match[str]) -> str:
    entity = m.group()
    char = html.unescape(entity)
    if char == entity or len(char) > len(entity):
        return entity
    return char + PAD * (len(entity) - len(char))


def overlaps(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    """True when ``start:end`` overlaps any of the spans."""
    return any(s < end and start < e for s, e in spans)


def line_spans(text: str) -> Iterator[Sentence]:
    """The non-blank lines of a text, as spans."""
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            yield trimmed_range(text, pos, pos + len(line))
        pos += len(line) + 1


def trimmed(text: str, sent: Span) -> Sentence:
    """A sentence's span without the whitespace around it."""
    return trimmed_range(text, sent.start_char, sent.end_char)


def trimmed_range(text: str, start: int, end: int) -> Sentence:
    """The span with leading and trailing whitespace left out."""
    chunk = text[start:end]
    return start + len(chunk) - len(chunk.lstrip()), end - len(chunk) + len(
        chunk.rstrip()
    )


def sentence_entities(sdoc: Doc, start: int, end: int) -> tuple[tuple[str, str], ...]:
    """The entities named in a sentence, as (label, canonical id), once each."""
    seen: dict[tuple[str, str], None] = {}
    for ent in doc_ents(sdoc):
        if ent.start_char >= start and ent.end_char <= end:
            seen[(ent.label_, ent.ent_id_ or ent.text)] = None
    return tuple(seen)


def doc_text(doc: Doc) -> str:
    """A Doc's text, kept on the Doc: ``Doc.text`` joins every token anew on
    each call, and the extractors ask for it once per sentence and mention."""
    text = doc.user_data.get("text")
    if not isinstance(text, str):
        text = doc.user_data["text"] = doc.text
    return text


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """A Doc's entities, kept on the Doc (``Doc.ents`` is rebuilt on each call)."""
    ents = doc.user_data.get("ents")
    if not isinstance(ents, tuple):
        ents = doc.user_data["ents"] = tuple(doc.ents)
    return ents
