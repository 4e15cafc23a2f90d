"""Text tables: tab-separated and ``|`` rows of a document's table blocks.

Text and markdown files and HTML pages carry their tables as ``table``
blocks. The pipeline for one:

1. ``_block_lines`` splits a table block into lines of cell spans;
2. :func:`~extract.tablegrid.assemble` sorts the lines into title, header
   and body rows;
3. ``_caption_before`` and :func:`~extract.captions.source_after` read the
   lines around the block.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence

from extract.captions import Caption, Span, caption_at, clean, source_after, trim
from extract.records import Block, DocumentText
from extract.tablegrid import Draft, Piece, Row, Table, assemble, filled

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

    >>> from pathlib import Path
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
        found.append(assemble(draft, caption, source, text.text, subtitle))
    return tuple(found)


def _block_draft(text: str, block: Block) -> Draft | None:
    """The block's rows; None when it is no data table."""
    rows: list[Row] = []
    header: int | None = None
    for start, end in _block_lines(text, block):
        if _RULE_LINE_RE.match(text, start, end) and text[start:end].strip():
            header = header or len(rows)
            continue
        rows.append(
            tuple(_text_piece(text, s, e) for s, e in _split_row(text, start, end))
        )
    if not any(len(filled(r)) >= 2 for r in rows) or _is_note_list(rows):
        return None
    return Draft(tuple(rows), header, block.page)


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


def _text_piece(text: str, start: int, end: int) -> Piece:
    start, end = trim(text, start, end)
    return Piece(clean(text[start:end]), ((start, end),) if start < end else ())


def _is_note_list(rows: Sequence[Row]) -> bool:
    labels = [r[0].text for r in rows if r]
    numbered = sum(bool(_ENUMERATOR_RE.fullmatch(label)) for label in labels)
    return numbered >= 0.8 * len(labels) and len(labels) >= 2


def _caption_before(
    text: DocumentText, index: int
) -> tuple[Caption | None, str | None]:
    """The caption just above block ``index``, and the one-line subtitle
    between them if any ("(in millions of dollars)")."""
    caption = caption_at(text, index - 1)
    if caption is not None or index < 2:
        return caption, None
    sub = text.blocks[index - 1]
    if sub.end - sub.start > 150 or sub.kind == "table":
        return None, None
    caption = caption_at(text, index - 2)
    return (caption, clean(text.text[sub.start : sub.end])) if caption else (None, None)


def _caption_after(text: DocumentText, index: int) -> Caption | None:
    """A caption set under the table (HTML ``figcaption``), unless it heads
    the next table."""
    nxt = text.blocks[index + 2] if index + 2 < len(text.blocks) else None
    if nxt is not None and nxt.kind == "table":
        return None
    return caption_at(text, index + 1)


# --------------------------------------------------------------------------
# PDF tables
# --------------------------------------------------------------------------
