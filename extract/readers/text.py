"""Plain text and markdown: the file's own characters are the document text.

Offsets point straight into the decoded file, so a reviewer can open the file
and find a quote at the same place. Blocks come from the text's shape:

- a line starting with ``#`` is a heading; ``-``, ``*``, ``•`` or ``1.`` a list
  item; lines holding tabs or starting with ``|`` a table;
- a run of lines between blank lines is one paragraph when it is hard-wrapped
  (short lines that mostly break mid-sentence, as pdftotext writes them), and otherwise one
  paragraph per line (as web pages saved to text are written).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator
from pathlib import Path

from extract.errors import ReadError
from extract.records import Block, DocumentText

HEADING = re.compile(r"#{1,6}[ \t]+")
LIST_ITEM = re.compile(r"(?:[-*•▪][ \t]+|\d{1,2}\.[ \t]+)")
CAPTION = re.compile(r"(?:\*\*)?(?:figure|table|fig\.)\s+\d+\s*[:.]", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.;:!?。)\"”]\s*$")
# Lines this long or longer are paragraphs on their own, not a wrapped column.
HARD_WRAP_MAX = 100
# In wrapped text few lines end a sentence (14% in the CRS seed); in text
# written a paragraph a line, most do (55-82% in the other seeds).
WRAPPED_ENDS_MAX = 0.4

Line = tuple[int, int]  # start, end of a line's text (no newline)


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text of a file, or a ReadError naming the line that is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ReadError(
            path,
            f"not valid UTF-8 at line {line} (byte {e.start}); "
            "re-save the file as UTF-8",
        ) from None


def read_text(path: Path, data: bytes) -> DocumentText:
    """Read a plain text or markdown file into one page of blocks."""
    text = decode(path, data)
    if "\x00" in text:
        raise ReadError(path, "binary data in a text file; is the format right?")
    blocks = tuple(text_blocks(text))
    if not blocks:
        raise ReadError(path, "no text found")
    return DocumentText(text=text, blocks=blocks, pages=1)


def lines_of(text: str) -> Iterator[Line]:
    """Each line's span, without its line break."""
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        yield pos, pos + len(body)
        pos += len(raw)


def runs(text: str) -> Iterator[list[Line]]:
    """Runs of non-blank lines, split at blank lines."""
    run: list[Line] = []
    for start, end in lines_of(text):
        if text[start:end].strip():
            run.append((start, end))
        elif run:
            yield run
            run = []
    if run:
        yield run


def text_blocks(text: str) -> Iterator[Block]:
    """All blocks of a text, in order."""
    for run in runs(text):
        yield from run_blocks(text, run)


def line_kind(line: str) -> str | None:
    """The kind of a line that is a block by itself, else None."""
    if HEADING.match(line):
        return "heading"
    if "\t" in line or line.lstrip().startswith("|"):
        return "table"
    if LIST_ITEM.match(line):
        return "list_item"
    if CAPTION.match(line):
        return "caption"
    return None


def is_hard_wrapped(text: str, lines: list[Line]) -> bool:
    """True when a run of lines reads as one wrapped paragraph.

    Wrapped lines are short and mostly break mid-sentence; lines that are
    paragraphs of their own mostly end a sentence.
    """
    if len(lines) < 2:
        return False
    if statistics.median(e - s for s, e in lines) >= HARD_WRAP_MAX:
        return False
    ends = sum(bool(SENTENCE_END.search(text, s, e)) for s, e in lines[:-1])
    return ends / (len(lines) - 1) < WRAPPED_ENDS_MAX


def run_blocks(text: str, run: list[Line]) -> Iterator[Block]:
    """Blocks of one run: special lines alone, the rest as paragraphs."""
    plain: list[Line] = []
    table: list[Line] = []
    for start, end in run:
        kind = line_kind(text[start:end])
        if kind != "table" and table:
            yield make_block(text, "table", table[0][0], table[-1][1])
            table = []
        if kind is None:
            plain.append((start, end))
            continue
        yield from paragraphs(text, plain)
        plain = []
        if kind == "table":
            table.append((start, end))
        else:
            yield line_block(text, kind, start, end)
    if table:
        yield make_block(text, "table", table[0][0], table[-1][1])
    yield from paragraphs(text, plain)


def paragraphs(text: str, lines: list[Line]) -> Iterator[Block]:
    """One paragraph for a hard-wrapped run, else one per line."""
    if not lines:
        return
    if is_hard_wrapped(text, lines):
        yield make_block(text, "paragraph", lines[0][0], lines[-1][1])
        return
    for start, end in lines:
        yield make_block(text, "paragraph", start, end)


def line_block(text: str, kind: str, start: int, end: int) -> Block:
    """A heading or list item, its markup marker left out of the block."""
    pattern = HEADING if kind == "heading" else LIST_ITEM
    m = pattern.match(text, start) if kind in ("heading", "list_item") else None
    return make_block(text, kind, m.end() if m else start, end)


def make_block(text: str, kind: str, start: int, end: int) -> Block:
    """A block with surrounding whitespace trimmed from its span."""
    chunk = text[start:end]
    start += len(chunk) - len(chunk.lstrip())
    end -= len(chunk) - len(chunk.rstrip())
    return Block(kind=kind, page=1, start=start, end=max(start, end))
