"""Figures: caption, number, page and source note; the image is not read.

A figure is found by its caption line (``Figure 1. ...``, ``**FIGURE 1:
...**``, ``| Figure 2. ...`` in a markdown frame, a PDF caption block). Its
source note is the first ``Source:`` line after the caption, before the next
caption or heading. A figure that is really a table (the briefer's Figure 1)
is also a table: :mod:`extract.kinds.tables` gives its caption to the table, and its
figure fact names that table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from extract.captions import SOURCE_RE, Span, clean, lines_after, parse_caption, trim
from extract.kinds.tables import table_fact
from extract.records import Block, DocumentText, Fact, new_fact
from extract.tablegrid import Table
from extract.texttables import find_tables

# How many lines after its caption a figure's source note may be: a chart's
# labels come between, and in a two-column text dump, the other column's lines.
SOURCE_LINES = 40


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure's caption (``text[start:end]``), number, page and source note.

    ``bbox`` is the caption's box on a PDF page, else None.
    """

    start: int
    end: int
    page: int
    caption: str
    number: str
    source_note: str | None
    source_span: Span | None
    bbox: tuple[float, float, float, float] | None = None


def find_figures(text: DocumentText) -> tuple[Figure, ...]:
    """The figures of a document, in text order, one per number.

    >>> from pathlib import Path
    >>> from extract.readers.text import read_text
    >>> doc = read_text(Path("f.md"), b"FIGURE 2: Lithium\\n\\nSource: Benchmark\\n")
    >>> [(f.number, f.caption, f.source_note) for f in find_figures(doc)]
    [('Figure 2', 'FIGURE 2: Lithium', 'Source: Benchmark')]
    """
    found: dict[str, Figure] = {}
    for block, (start, end) in _caption_lines(text):
        parsed = parse_caption(text.text[start:end])
        if parsed is None or parsed[0].startswith("Table"):
            continue  # figures, charts, maps and exhibits are all figures
        number, caption = parsed
        if number in found:
            continue  # a repeat: "Figure 1 (continued)", or a list of figures
        source = _source_of(text, end)
        found[number] = Figure(
            start=start,
            end=end,
            page=block.page,
            caption=caption,
            number=number,
            source_note=clean(text.text[slice(*source)]) if source else None,
            source_span=source,
            bbox=block.bbox,
        )
    return tuple(sorted(found.values(), key=lambda f: f.start))


def _caption_lines(text: DocumentText) -> Iterator[tuple[Block, Span]]:
    """Lines that may be captions: each block's first line, and every row of a
    table block (markdown frames a figure as one-cell rows)."""
    for block in text.blocks:
        if block.kind == "list_item":
            continue  # a list of figures links to them
        lines = _lines(text.text, block.start, block.end)
        for span in lines if block.kind == "table" else lines[:1]:
            yield block, trim(text.text, *span)


def _lines(text: str, start: int, end: int) -> list[Span]:
    spans = []
    for line in text[start:end].split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _source_of(text: DocumentText, pos: int) -> Span | None:
    """The first ``Source:`` line after a caption, before the next caption or
    heading block."""
    headings = [b.start for b in text.blocks if b.kind == "heading" and b.start > pos]
    stop = min(headings, default=len(text.text))
    for n, (start, end) in enumerate(lines_after(text.text, pos)):
        if start >= stop or n > SOURCE_LINES:
            return None
        line = text.text[start:end]
        if SOURCE_RE.match(clean(line)):
            return trim(text.text, start, end)
        if n and parse_caption(line) is not None:
            return None
    return None


def figure_facts(
    doc_id: str, sha256: str, text: DocumentText, tables: Sequence[Table] | None = None
) -> list[Fact]:
    """One ``figure`` fact per figure; its mention is the caption.

    Extra fields: ``caption``, ``number`` ("Figure 1"), ``source_note``, and
    ``table`` (the table fact's id) when the figure is a table that carries
    its caption. ``tables`` defaults to :func:`extract.texttables.find_tables`.
    """
    tables = find_tables(text) if tables is None else tables
    by_caption = {t.caption_span: t for t in tables if t.caption_span}
    facts = []
    for figure in find_figures(text):
        table = by_caption.get((figure.start, figure.end))
        table_id = table_fact(doc_id, sha256, text, table).id if table else None
        facts.append(
            new_fact(
                doc_id,
                sha256,
                text,
                "figure",
                span=(figure.start, figure.end),
                key=figure.number,
                caption=figure.caption,
                number=figure.number,
                source_note=figure.source_note,
                table=table_id,
            )
        )
    return facts
