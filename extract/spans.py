"""Spans of text: trimmed ranges, sentences and lines, and what a span names.

Offsets are character offsets, ``(start, end)``; every kind extractor builds
its quotes with these.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

Sentence = tuple[int, int]  # start, end within a text


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
    for ent in sdoc.ents:
        if ent.start_char >= start and ent.end_char <= end:
            seen[(ent.label_, ent.ent_id_ or ent.text)] = None
    return tuple(seen)
