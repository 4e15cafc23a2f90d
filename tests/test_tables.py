"""Tables: text, pipe, HTML and PDF tables, their cells and their facts.

The briefer seed's three tab tables are checked cell by cell. PDF tables are
built with reportlab (a ruled table, an unruled one with two-line row labels,
one inside the left column of a two-column page), so every cell is known;
where ``../shared/corpus-candidates`` exists, the tables of the real CRS PDFs
are compared with the pipe tables of their markdown renderings.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from briefs.cli import tables_json, write_csv
from extract.captions import clean, mask, parse_caption
from extract.corpus import load_corpus, read_checked
from extract.errors import ReadError
from extract.facts import extract_facts
from extract.kinds.tables import column_labels, column_unit, table_facts
from extract.pdftables import find_pdf_tables
from extract.readers import read_bytes, read_document
from extract.readers.pdf import read_pdf
from extract.readers.text import read_text
from extract.records import DocumentText, Fact
from extract.tablegrid import Table
from extract.texttables import find_tables
from tests.conftest import CORPUS, shared

FIXTURES = Path(__file__).parent / "fixtures" / "tables"
BRIEFER = CORPUS / "documents" / "briefer-75-battery-dependence.md"
SHA = "0" * 64


def _facts(text: DocumentText, tables: tuple[Table, ...] | None = None) -> list[Fact]:
    return table_facts("doc", SHA, text, tables)


def _quantity(facts: list[Fact], table: Fact, row: int, column: int) -> Fact:
    """The one quantity fact of a cell."""
    (fact,) = [
        f
        for f in facts
        if f.kind == "quantity"
        and dict(f.extra)["table"] == table.id
        and dict(f.extra)["row"] == row
        and dict(f.extra)["column"] == column
    ]
    return fact


def _check_located(text: DocumentText, facts: list[Fact]) -> None:
    for f in facts:
        assert text.text[f.start : f.end] == f.text
        assert text.text[f.quote_start : f.quote_end] == f.quote
        assert f.quote_start <= f.start <= f.end <= f.quote_end


# ------------------------------------------------------------ the briefer


@pytest.fixture(scope="module")
def briefer() -> DocumentText:
    return read_document(BRIEFER)


@pytest.fixture(scope="module")
def briefer_tables(briefer: DocumentText) -> tuple[Table, ...]:
    return find_tables(briefer)


@pytest.fixture(scope="module")
def briefer_facts(briefer: DocumentText) -> list[Fact]:
    return _facts(briefer)


def test_briefer_has_three_tables(briefer_tables: tuple[Table, ...]) -> None:
    assert [t.number for t in briefer_tables] == ["Figure 1", "Table 1", "Table 2"]


def test_briefer_table_1(
    briefer: DocumentText, briefer_tables: tuple[Table, ...]
) -> None:
    table = briefer_tables[1]
    assert (
        table.caption
        == "TABLE 1: US IMPORT DEPENDENCE OF BATTERY SUPPLY CHAIN MATERIALS"
    )
    assert briefer.text[slice(*table.caption_span or (0, 0))] == table.caption
    assert table.title == (
        "USITC's Top Battery Supply Chain Imports by Value and Trade Partner (2024)"
    )
    assert table.header == (
        ("Commodity", "Partner #1", "Partner #2", "Partner #3", "Total Import Value"),
    )
    assert len(table.rows) == 10 and {len(r) for r in table.rows} == {5}
    assert table.rows[0] == (
        "Lithium-Ion Storage Batteries, Nesoi (8507600020)",
        "China (72%)",
        "South Korea (7%)",
        "Japan (5%)",
        "$18.74B",
    )
    assert table.rows[-1][0] == (
        "Artificial Graphite Other Than Plates, Rods, Powder, Etc (3801105000)"
    )
    assert table.source_note == "Source: USITC Trade Dashboard"
    assert table.page == 1 and table.bbox is None and table.totals == ()
    # Every cell located: 5 header cells and 50 body cells (the title row is
    # the table's title, inside its span but no cell).
    assert len(table.cells) == 55
    assert briefer.text[table.start :].startswith("USITC's Top")
    assert all(briefer.text[c.start : c.end] == c.text for c in table.cells)
    (cell,) = [c for c in table.cells if (c.row, c.column) == (0, 4)]
    assert cell.text == "\\$18.74B"


def test_briefer_table_1_facts(
    briefer_facts: list[Fact], briefer_tables: tuple[Table, ...]
) -> None:
    tables = [f for f in briefer_facts if f.kind == "table"]
    assert len(tables) == 3
    fact = tables[1]
    extra = dict(fact.extra)
    assert extra["caption"] == briefer_tables[1].caption
    assert extra["number"] == "Table 1"
    assert extra["header"] == [list(briefer_tables[1].header[0])]
    assert len(extra["rows"]) == 10  # type: ignore[arg-type]
    assert extra["source_note"] == "Source: USITC Trade Dashboard"
    assert fact.year == 2024

    value = _quantity(briefer_facts, fact, 0, 4)
    assert (value.text, value.value, value.unit, value.year) == (
        "$18.74B", 18_740_000_000, "usd", 2024,
    )  # fmt: skip
    assert value.quote.startswith("Lithium-Ion Storage Batteries, Nesoi (8507600020)\t")
    assert dict(value.extra)["column_label"] == "Total Import Value"
    assert "partner" not in dict(value.extra)

    share = _quantity(briefer_facts, fact, 0, 1)
    extra = dict(share.extra)
    assert (share.text, share.value, share.unit, share.qualifier) == (
        "72%", 72, "percent", None,
    )  # fmt: skip
    assert extra["partner"] == "China"
    assert extra["row_label"] == "Lithium-Ion Storage Batteries, Nesoi (8507600020)"
    assert extra["column_label"] == "Partner #1"
    assert ("COUNTRY", "china") in share.entities

    korea = _quantity(briefer_facts, fact, 5, 3)
    assert (korea.value, dict(korea.extra)["partner"]) == (2, "South Korea")
    assert _quantity(briefer_facts, fact, 6, 4).value == 677_000_000


def test_briefer_table_2(
    briefer_tables: tuple[Table, ...], briefer_facts: list[Fact]
) -> None:
    table = briefer_tables[2]
    assert (
        table.caption
        == "TABLE 2: US CRITICAL MINERALS IMPORT DEPENDENCE AND CHINA IMPORTS"
    )
    assert table.header == (
        ("Critical Minerals", "% US Import Dependence", "% of Imports from China"),
    )
    assert table.rows == (
        ("Graphite", "100%", "37%"),  # the <sup>1</sup> footnote marker is gone
        ("Manganese", "100%", "0%"),
        ("Cobalt", "76%", "1%"),
        ("Primary Nickel", "48%", "2%"),
        ("Lithium", ">50%", "<3%"),
    )
    assert table.source_note == (
        "Source: USGS Mineral Commodity Summary 2025, USITC Trade dashboard"
    )
    fact = [f for f in briefer_facts if f.kind == "table"][2]
    more = _quantity(briefer_facts, fact, 4, 1)
    less = _quantity(briefer_facts, fact, 4, 2)
    assert (more.text, more.value, more.unit, more.qualifier) == (
        ">50%", 50, "percent", "more_than",
    )  # fmt: skip
    assert (less.text, less.value, less.qualifier) == ("<3%", 3, "less_than")
    assert dict(less.extra)["row_label"] == "Lithium"
    assert dict(_quantity(briefer_facts, fact, 0, 1).extra)["row_label"] == "Graphite"


def test_briefer_figure_1_is_a_table(
    briefer_tables: tuple[Table, ...], briefer_facts: list[Fact]
) -> None:
    table = briefer_tables[0]
    assert table.caption == (
        "FIGURE 1: TOP 5 GLOBAL PRODUCERS OF CRITICAL MINERALS, CATHODES, ANODES, "
        "AND BATTERY CELLS"
    )
    assert table.number == "Figure 1"
    assert table.header[0][:3] == ("", "LITHIUM (MINED)", "COBALT (MINED)")
    assert len(table.header[0]) == 10 and len(table.rows) == 6
    assert table.rows[4][:3] == ("", "", "Huayou Cobalt 3%")
    assert table.source_note == "Source: Benchmark Intelligence"
    # The total row: its label in the otherwise empty first column.
    assert table.totals == (5,)
    assert table.rows[5] == (
        "% Chinese ownership in top five",
        "5%", "30%", "0%", "22%", "46%", "58%", "30%", "59%", "49%",
    )  # fmt: skip
    fact = briefer_facts[0]
    total = _quantity(briefer_facts, fact, 5, 8)
    extra = dict(total.extra)
    assert (total.text, total.value, extra["total"]) == ("59%", 59, True)
    assert extra["row_label"] == "% Chinese ownership in top five"
    assert extra["column_label"] == "ANODE"
    sqm = _quantity(briefer_facts, fact, 0, 1)
    assert (sqm.value, dict(sqm.extra)["partner"]) == (18, "SQM")
    assert dict(sqm.extra)["row_label"] is None
    cmoc = dict(_quantity(briefer_facts, fact, 0, 2).extra)
    assert cmoc["partner"] == "China Molybdenum (CMOC)"
    huayou = _quantity(briefer_facts, fact, 4, 2)
    assert (huayou.value, dict(huayou.extra)["partner"]) == (3, "Huayou Cobalt")


# The cell accuracy of the briefer's tables: every body cell, as a reader of
# the markdown sees it, against what the cell facts say.
BRIEFER_EXPECTED: dict[str, list[tuple[str, float] | float]] = {
    "Table 1": [
        ("China", 72), ("South Korea", 7), ("Japan", 5), 18.74e9,
        ("China", 65), ("Japan", 13), ("Hungary", 12), 3.77e9,
        ("Japan", 47), ("South Korea", 40), ("Germany", 4), 3.66e9,
        ("China", 34), ("South Korea", 28), ("Malaysia", 7), 3.04e9,
        ("Canada", 53), ("Norway", 16), ("Finland", 9), 1.43e9,
        ("Canada", 91), ("Mexico", 2), ("South Korea", 2), 1.36e9,
        ("Canada", 57), ("South Korea", 13), ("Germany", 6), 677e6,
        ("Brazil", 59), ("China", 9), ("Germany", 6), 639e6,
        ("Canada", 46), ("India", 16), ("Mexico", 9), 437e6,
        ("China", 68), ("South Korea", 8), ("Mexico", 6), 408e6,
    ],
    "Table 2": [100, 37, 100, 0, 76, 1, 48, 2, 50, 3],
}  # fmt: skip


@pytest.mark.parametrize("number", sorted(BRIEFER_EXPECTED))
def test_briefer_cell_accuracy(briefer_facts: list[Fact], number: str) -> None:
    table = next(f for f in briefer_facts if dict(f.extra).get("number") == number)
    got = [
        (dict(f.extra).get("partner"), f.value)
        for f in briefer_facts
        if f.kind == "quantity" and dict(f.extra)["table"] == table.id
    ]
    want = [w if isinstance(w, tuple) else (None, w) for w in BRIEFER_EXPECTED[number]]
    assert [p for p, _ in got] == [p for p, _ in want]
    assert [v for _, v in got] == pytest.approx([v for _, v in want])


def test_table_quantities_replace_extract_facts(briefer: DocumentText) -> None:
    """Every quantity extract_facts finds in a table block, at the same span
    with the same value, and no other."""
    spans = [(t.start, t.end) for t in find_tables(briefer)]
    theirs = {
        (f.start, f.end): (f.value, f.unit, f.qualifier)
        for f in extract_facts("doc", SHA, briefer)
        if f.kind == "quantity" and any(s <= f.start < e for s, e in spans)
    }
    ours = {
        (f.start, f.end): (f.value, f.unit, f.qualifier)
        for f in _facts(briefer)
        if f.kind == "quantity"
    }
    assert len(ours) == 103
    assert ours == theirs


def test_ids_are_stable(briefer: DocumentText) -> None:
    assert [f.id for f in _facts(briefer)] == [f.id for f in _facts(briefer)]


@pytest.mark.parametrize(
    "doc_id", [d.id for d in load_corpus(CORPUS).documents]
)  # fmt: skip
def test_every_corpus_table_fact_is_located(doc_id: str) -> None:
    corpus = load_corpus(CORPUS)
    doc = next(d for d in corpus.documents if d.id == doc_id)
    text = read_bytes(corpus.path_of(doc), read_checked(corpus, doc))
    facts = table_facts(doc.id, doc.sha256, text)
    _check_located(text, facts)
    for table in find_tables(text):
        assert all(text.text[c.start : c.end] == c.text for c in table.cells)
        assert {len(r) for r in (*table.header, *table.rows)} == {len(table.header[0])}


# ---------------------------------------------------------- pipes and HTML


def test_pipe_table() -> None:
    text = read_document(FIXTURES / "pipes.md")
    (table,) = find_tables(text)  # the figure frame and the note list are not
    assert (
        table.caption
        == "Table 4. Graphite Imports by Source (in thousands of metric tons)"
    )
    assert table.header == (("Source", "2023", "2024"),)
    assert table.rows == (
        ("China", "71.2", "68.5"),
        ("Mexico | Canada", "9.8", "11.0"),  # an escaped pipe stays in its cell
        ("World total", "81.0", "79.5"),
    )
    assert table.totals == (2,)
    assert table.source_note == "Sources: USGS, Mineral Commodity Summaries."
    facts = _facts(text)
    _check_located(text, facts)
    china = _quantity(facts, facts[0], 0, 2)
    # A bare number takes its unit from the caption.
    assert (china.text, china.value, china.unit, china.year) == (
        "68.5", 68_500, "tonnes", 2024,
    )  # fmt: skip
    assert dict(china.extra)["unit_from"] == "caption"


def test_html_tables() -> None:
    text = read_document(FIXTURES / "imports.html")
    first, second = find_tables(text)
    assert first.caption == "Table 3. Lithium-Ion Battery Imports by Partner, 2024"
    assert first.header == (("Partner", "Share", "Value ($ millions)"),)
    assert first.rows[1] == ("South Korea", "7%", "1,312")
    assert first.source_note == "Source: USITC DataWeb."
    assert first.totals == (2,)
    # A figcaption under the table captions it.
    assert (second.number, second.caption) == (
        "Figure 4", "Figure 4. Battery cell makers by market share",
    )  # fmt: skip
    assert second.source_note == "Source: Benchmark Intelligence."
    facts = _facts(text)
    _check_located(text, facts)
    value = _quantity(facts, facts[0], 0, 2)
    assert (value.text, value.value, value.unit, value.year) == (
        "13,493", 13_493_000_000, "usd", 2024,
    )  # fmt: skip
    assert dict(value.extra)["unit_from"] == "column_label"


def test_a_table_block_of_one_column_is_no_table() -> None:
    text = read_text(Path("f.md"), b"| Figure 1. Map\n|  \n| Source: CRS.\n")
    assert find_tables(text) == ()


def test_group_header_rows() -> None:
    data = b"Table 9. Trade\n\n\t2023\t\t2024\t\nPartner\tValue\tShare\tValue\tShare\nChina\t$5B\t10%\t$6B\t12%\n"
    (table,) = find_tables(read_text(Path("g.txt"), data))
    assert len(table.header) == 2 and table.rows == (
        ("China", "$5B", "10%", "$6B", "12%"),
    )
    facts = _facts(read_text(Path("g.txt"), data))
    share = _quantity(facts, facts[0], 0, 4)
    assert dict(share.extra)["column_label"] == "2024 / Share"
    assert share.year == 2024


def test_group_header_over_years() -> None:
    data = (
        b"\tImports\t\tExports\t\nPartner\t2023\t2024\t2023\t2024\nChina\t5\t6\t7\t8\n"
    )
    (table,) = find_tables(read_text(Path("y.txt"), data))
    assert table.header == (
        ("", "Imports", "", "Exports", ""),
        ("Partner", "2023", "2024", "2023", "2024"),
    )
    assert table.rows == (("China", "5", "6", "7", "8"),)
    assert column_labels(table) == (
        "Partner", "Imports / 2023", "Imports / 2024", "Exports / 2023", "Exports / 2024",
    )  # fmt: skip


# ------------------------------------------------------- captions and cells


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("**FIGURE 1: TOP 5 GLOBAL PRODUCERS**", ("Figure 1", "FIGURE 1: TOP 5 GLOBAL PRODUCERS")),
        ("TABLE 2: US IMPORTS", ("Table 2", "TABLE 2: US IMPORTS")),
        ("Table 1.Types of Seabed Deposits", ("Table 1", "Table 1.Types of Seabed Deposits")),
        ("Figure 1. U.S. Sources (2022)", ("Figure 1", "Figure 1. U.S. Sources (2022)")),
        ("Fig. 3: Prices", ("Figure 3", "Fig. 3: Prices")),
        ("Table A-1. Appendix Data", ("Table A-1", "Table A-1. Appendix Data")),
        ("| Figure 2. Machinery ", ("Figure 2", "Figure 2. Machinery")),
        ("Table 1 shows the top ten imports", None),
        ("Figure 1), and the inclusion of Japan", None),
        ("Figure 1. Illustration of High Seas ........ 3", None),
    ],
)  # fmt: skip
def test_parse_caption(line: str, expected: tuple[str, str] | None) -> None:
    assert parse_caption(line) == expected


@pytest.mark.parametrize(
    ("label", "unit"),
    [
        ("Value ($ millions)", ("usd", 1e6)),
        ("Share (%)", ("percent", 1.0)),
        ("Output (thousand metric tons)", ("tonnes", 1e3)),
        ("Capacity (GWh)", ("gwh", 1.0)),
        ("Partner #1", None),
        ("2023", None),
        ("Total Import Value", None),
    ],
)
def test_column_unit(label: str, unit: tuple[str, float] | None) -> None:
    assert column_unit(label) == unit


def test_clean_and_mask() -> None:
    raw = "Graphite <sup>1</sup> \\$18.74B [USITC](#) **bold**"
    assert clean(raw) == "Graphite $18.74B USITC bold"
    masked = mask(raw)
    assert len(masked) == len(raw)
    assert masked[masked.index("$") :].startswith("$18.74B")


COUNTRIES = ["China", "South Korea", "Japan", "Democratic Republic of the Congo"]


@given(
    name=st.sampled_from(COUNTRIES),
    share=st.integers(min_value=0, max_value=100),
    paren=st.booleans(),
)
def test_partner_and_share_of_any_cell(name: str, share: int, paren: bool) -> None:
    cell = f"{name} ({share}%)" if paren else f"{name} {share}%"
    text = read_text(Path("h.txt"), f"Partner\tShare\nTotal\t{cell}\n".encode())
    (fact,) = [f for f in _facts(text) if f.kind == "quantity"]
    assert (fact.value, fact.unit, dict(fact.extra)["partner"]) == (
        share,
        "percent",
        name,
    )
    assert fact.text == f"{share}%"


@given(
    whole=st.integers(min_value=1, max_value=999),
    cents=st.integers(min_value=0, max_value=99),
    letter=st.sampled_from("MB"),
)
def test_escaped_dollars(whole: int, cents: int, letter: str) -> None:
    cell = f"\\${whole}.{cents:02d}{letter}"
    text = read_text(Path("d.md"), f"Item\tValue\nCells\t{cell}\n".encode())
    (fact,) = [f for f in _facts(text) if f.kind == "quantity"]
    factor = 1e6 if letter == "M" else 1e9
    assert fact.value == pytest.approx(float(f"{whole}.{cents:02d}") * factor)
    assert fact.text == cell[1:] and fact.unit == "usd"


# ------------------------------------------------------------- JSON and CSV


def test_tables_json(briefer_tables: tuple[Table, ...]) -> None:
    obj = tables_json(briefer_tables)[2]
    assert obj["number"] == "Table 2" and obj["page"] == 1 and obj["bbox"] is None
    assert obj["header"] == [
        ["Critical Minerals", "% US Import Dependence", "% of Imports from China"]
    ]
    cells = obj["cells"]
    assert isinstance(cells, list) and cells[0] == {
        "row": -1, "column": 0, "start": obj["start"], "end": cells[0]["end"],
        "text": "Critical Minerals",
    }  # fmt: skip


def test_write_csv(briefer_tables: tuple[Table, ...], tmp_path: Path) -> None:
    paths = write_csv(briefer_tables, tmp_path / "out")
    assert [p.name for p in paths] == [
        "01-figure-1.csv",
        "02-table-1.csv",
        "03-table-2.csv",
    ]
    with paths[2].open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [
        "Critical Minerals",
        "% US Import Dependence",
        "% of Imports from China",
    ]
    assert rows[-1] == ["Lithium", ">50%", "<3%"]


# --------------------------------------------------------------------- PDF

WIDTH, HEIGHT = 612.0, 792.0
PROSE = (
    "Graphite anodes are produced in a small number of plants that depend on long "
    "contracts with mining firms in three countries. The transport of refined flake "
    "between those plants and the cell makers takes several weeks and crosses at "
    "least two customs borders before final assembly in the United States."
)
RULED = [
    ["Partner", "Share of imports", "Value (2024)"],
    ["China", "72%", "$18.74B"],
    ["South Korea", "7%", "$1.82B"],
    ["Japan", "5%", "$1.30B"],
    ["Total", "84%", "$21.86B"],
]
UNRULED: list[list[str | list[str]]] = [
    ["Material", "US import reliance", "Imports from China"],
    [["Lithium-ion batteries for", "electric vehicles"], "65%", "$3.77B"],
    ["Natural graphite", "100%", "37%"],
    [["Polymetallic Sulfides or", "Seafloor Massive Sulfide"], ">50%", "<3%"],
    ["Cobalt", "76%", "1%"],
]
IN_COLUMN = [
    ["Mineral", "Share", "Top firm"],
    ["Lithium", "18%", "SQM 18%"],
    ["Cobalt", "24%", "CMOC 24%"],
    ["Nickel", "8%", "Eramet 8%"],
    ["All minerals", "50%", "n/a"],
]


def _prose(c: canvas.Canvas, x: float, y: float, width: float, text: str) -> float:
    c.setFont("Times-Roman", 10)
    for line in simpleSplit(text, "Times-Roman", 10, width):
        c.drawString(x, y, line)
        y -= 12
    return y


def _draw_cell(
    c: canvas.Canvas, x: float, y: float, w: float, line: str, first: bool
) -> None:
    """Figures right-aligned, text left-aligned, as typeset tables have them."""
    if not first and any(ch.isdigit() for ch in line):
        c.drawRightString(x + w - 4, y, line)
    else:
        c.drawString(x + 4, y, line)


def _table(
    c: canvas.Canvas,
    x: float,
    y: float,
    widths: list[float],
    rows: Sequence[Sequence[str | list[str]]],
    ruled: bool,
    size: float = 9,
) -> float:
    """Draw a table from its top-left baseline; returns the y under it."""
    edges = [y + size + 3]
    for r, row in enumerate(rows):
        cells: list[list[str]] = [c if isinstance(c, list) else [c] for c in row]
        c.setFont("Helvetica-Bold" if r == 0 else "Helvetica", size)
        for i, (w, lines) in enumerate(zip(widths, cells, strict=True)):
            for k, line in enumerate(lines):
                _draw_cell(c, x + sum(widths[:i]), y - k * (size + 2), w, line, i == 0)
        y -= size + 5 + (max(map(len, cells)) - 1) * (size + 2)
        edges.append(y + size + 3)
    if ruled:
        c.setLineWidth(0.5)
        for e in edges:
            c.line(x, e, x + sum(widths), e)
        for i in range(len(widths) + 1):
            c.line(x + sum(widths[:i]), edges[0], x + sum(widths[:i]), edges[-1])
    return y


def _page_one(c: canvas.Canvas) -> None:
    """A ruled table with a total row, then an unruled one with two-line labels."""
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 720, "Battery Imports")
    y = _prose(c, 72, 700, 468, PROSE)
    c.setFont("Helvetica-Bold", 10)
    c.drawString(
        72, y - 12, "Table 1. US Lithium-Ion Battery Imports by Partner (2024)"
    )
    y = _table(c, 72, y - 34, [160, 150, 150], RULED, ruled=True)
    c.setFont("Helvetica", 8)
    c.drawString(72, y - 6, "Source: USITC Trade Dashboard.")
    y = _prose(c, 72, y - 30, 468, PROSE)
    c.setFont("Helvetica-Bold", 10)
    c.drawString(72, y - 12, "Table 2. Import Reliance by Material")
    y = _table(c, 72, y - 34, [160, 150, 150], UNRULED, ruled=False)
    c.setFont("Helvetica", 8)
    c.drawString(72, y - 6, "Source: USGS Mineral Commodity Summaries 2025.")
    _prose(c, 72, y - 30, 468, PROSE)


def _page_two(c: canvas.Canvas) -> None:
    """Two columns: a table inside the left one, a figure in the right one."""
    c.setFont("Helvetica-Bold", 16)
    c.drawString(57.6, 720, "Two-Column Test Page")
    y = _prose(c, 57.6, 690, 230, PROSE + " " + PROSE)
    c.setFont("Helvetica-Bold", 9)
    c.drawString(57.6, y - 12, "Table 3. Top Producers by Mineral")
    y = _table(c, 57.6, y - 30, [80, 50, 95], IN_COLUMN, ruled=False, size=8)
    c.setFont("Helvetica", 7)
    c.drawString(57.6, y - 4, "Source: Benchmark Intelligence.")
    _prose(c, 57.6, y - 26, 230, PROSE)
    y = _prose(c, 324, 690, 230, PROSE) - 12
    c.setFont("Helvetica-Bold", 9)
    c.drawString(324, y, "Figure 1. Lithium Carbonate Prices, 2020-2024")
    c.rect(324, y - 110, 200, 95)
    c.setFont("Helvetica", 7)
    c.drawString(330, y - 30, "$ per tonne")
    c.setFont("Helvetica", 7)
    c.drawString(324, y - 124, "Source: Benchmark Mineral Intelligence.")
    _prose(c, 324, y - 146, 230, PROSE)


TWO_LINE_HEADER: list[list[str | list[str]]] = [
    ["Country", ["Capacity", "2023"], ["Capacity", "2024"], ["Share of", "world (%)"]],
    ["China", "180", "195", "78"],
    ["Finland", "25", "26", "10"],
    ["World", "230", "250", "100"],
]


def _page_three(c: canvas.Canvas) -> None:
    """A header over two lines; a ruled table with no caption."""
    y = _prose(c, 72, 720, 468, PROSE)
    c.setFont("Helvetica-Bold", 10)
    c.drawString(72, y - 12, "Table 5. Cobalt Refining Capacity (thousand metric tons)")
    y = _table(c, 72, y - 34, [160, 100, 100, 100], TWO_LINE_HEADER, ruled=False)
    c.setFont("Helvetica", 8)
    c.drawString(72, y - 6, "Source: Cobalt Institute.")
    y = _prose(c, 72, y - 30, 468, PROSE)
    rows = [["Item", "Value"], ["Anodes", "$3.1B"], ["Cathodes", "$5.2B"]]
    _table(c, 72, y - 20, [200, 100], rows, ruled=True)


def build_pdf(
    path: Path, pages: list[Callable[[canvas.Canvas], None]] | None = None
) -> Path:
    """The test PDF: page 1 two full-width tables, page 2 two columns."""
    c = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    for draw in pages or [_page_one, _page_two]:
        draw(c)
        c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def pdf(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[DocumentText, tuple[Table, ...]]:
    path = build_pdf(tmp_path_factory.mktemp("tables") / "tables.pdf")
    text = read_pdf(path)
    return text, find_pdf_tables(path, text)


def _rows(rows: Sequence[Sequence[str | list[str]]]) -> list[tuple[str, ...]]:
    return [
        tuple(" ".join(c) if isinstance(c, list) else c for c in row) for row in rows
    ]


def test_pdf_tables_found(pdf: tuple[DocumentText, tuple[Table, ...]]) -> None:
    _, tables = pdf
    assert [(t.number, t.page) for t in tables] == [
        ("Table 1", 1), ("Table 2", 1), ("Table 3", 2),
    ]  # fmt: skip


def test_pdf_ruled_table_with_total(
    pdf: tuple[DocumentText, tuple[Table, ...]],
) -> None:
    _, tables = pdf
    table = tables[0]
    assert table.caption == "Table 1. US Lithium-Ion Battery Imports by Partner (2024)"
    assert [*table.header, *table.rows] == _rows(RULED)
    assert table.totals == (3,)
    assert table.source_note == "Source: USITC Trade Dashboard."
    assert table.bbox is not None
    x0, top, x1, bottom = table.bbox
    assert (x0, x1) == (72.0, 532.0) and 140 < top < bottom < 240
    # Single-line cells are located whole.
    assert [c.text for c in table.cells if c.row == 1] == [
        "South Korea",
        "7%",
        "$1.82B",
    ]


def test_pdf_unruled_table_with_two_line_labels(
    pdf: tuple[DocumentText, tuple[Table, ...]],
) -> None:
    _, tables = pdf
    table = tables[1]
    assert [*table.header, *table.rows] == _rows(UNRULED)
    assert table.source_note == "Source: USGS Mineral Commodity Summaries 2025."
    # The reader interleaves a two-line label with the row's figures, so the
    # label is located as two pieces.
    label = [c.text for c in table.cells if (c.row, c.column) == (0, 0)]
    assert label == ["Lithium-ion batteries for", "electric vehicles"]


def test_pdf_table_in_one_column(pdf: tuple[DocumentText, tuple[Table, ...]]) -> None:
    _, tables = pdf
    table = tables[2]
    assert [*table.header, *table.rows] == _rows(IN_COLUMN)
    assert table.source_note == "Source: Benchmark Intelligence."
    assert table.totals == (3,)
    assert (
        table.bbox is not None and table.bbox[2] < 300
    )  # the right column is not in it


def test_pdf_table_facts(pdf: tuple[DocumentText, tuple[Table, ...]]) -> None:
    text, tables = pdf
    facts = _facts(text, tables)
    _check_located(text, facts)
    for table in tables:
        assert all(text.text[c.start : c.end] == c.text for c in table.cells)
    table_facts_ = [f for f in facts if f.kind == "table"]
    assert len(table_facts_) == 3
    assert dict(table_facts_[0].extra)["bbox"] == list(tables[0].bbox or ())
    value = _quantity(facts, table_facts_[0], 0, 2)
    assert (value.text, value.value, value.year) == ("$18.74B", 18_740_000_000, 2024)
    assert value.quote == "China 72% $18.74B"
    more = _quantity(facts, table_facts_[1], 2, 1)
    assert (more.value, more.qualifier) == (50, "more_than")
    label = dict(more.extra)["row_label"]
    assert label == "Polymetallic Sulfides or Seafloor Massive Sulfide"
    firm = _quantity(facts, table_facts_[2], 0, 2)
    assert (firm.value, dict(firm.extra)["partner"]) == (18, "SQM")


def test_pdf_two_line_header_and_a_table_without_caption(tmp_path: Path) -> None:
    path = build_pdf(tmp_path / "three.pdf", [_page_three])
    text = read_pdf(path)
    capacity, plain = find_pdf_tables(path, text, pages=[1])
    assert capacity.header == (
        ("Country", "Capacity 2023", "Capacity 2024", "Share of world (%)"),
    )
    assert capacity.rows[-1] == ("World", "230", "250", "100")
    assert capacity.totals == (2,)
    assert (plain.caption, plain.number, plain.source_note) == (None, None, None)
    assert plain.rows == (("Anodes", "$3.1B"), ("Cathodes", "$5.2B"))
    facts = _facts(text, (capacity, plain))
    _check_located(text, facts)
    tonnes = _quantity(facts, facts[0], 0, 2)
    # A bare number: its unit from the caption, its year from its column.
    assert (tonnes.text, tonnes.value, tonnes.unit, tonnes.year) == (
        "195", 195_000, "tonnes", 2024,
    )  # fmt: skip
    assert dict(tonnes.extra)["unit_from"] == "caption"
    share = _quantity(facts, facts[0], 0, 3)
    assert (share.value, share.unit, dict(share.extra)["unit_from"]) == (
        78, "percent", "column_label",
    )  # fmt: skip


def _boxed_table_page(c: canvas.Canvas) -> None:
    """Two columns; in the right one, a shaded box holding a captioned table."""
    _prose(c, 57.6, 700, 230, PROSE + " " + PROSE + " " + PROSE)
    y = _prose(c, 324, 700, 230, PROSE) - 14
    c.setFillGray(0.9)
    c.rect(318, y - 150, 242, 150, stroke=0, fill=1)
    c.setFillGray(0)
    c.setFont("Helvetica-Bold", 9)
    c.drawString(324, y - 14, "Table 4. Top Producers in a Text Box")
    end = _table(c, 324, y - 32, [80, 50, 95], IN_COLUMN, ruled=False, size=8)
    c.setFont("Helvetica", 7)
    c.drawString(324, end - 4, "Source: Benchmark Intelligence.")
    _prose(c, 324, y - 170, 230, PROSE)


def test_pdf_table_inside_a_shaded_box(tmp_path: Path) -> None:
    path = build_pdf(tmp_path / "boxed.pdf", [_boxed_table_page])
    text = read_pdf(path)
    (table,) = find_pdf_tables(path, text)
    assert table.number == "Table 4"
    assert [*table.header, *table.rows] == _rows(IN_COLUMN)
    assert table.source_note == "Source: Benchmark Intelligence."
    for cell in table.cells:
        assert text.text[cell.start : cell.end] == cell.text


WRAPPED_LAST: list[list[str | list[str]]] = [
    ["Material", "Share (%)", "Main supplier"],
    ["Natural graphite", "90", "China"],
    ["Rare earth magnets", "70", "China"],
    [["Lithium-ion batteries for", "electric vehicles"], "72", "China"],
]


def _wrapped_last_row_page(c: canvas.Canvas) -> None:
    y = _prose(c, 72, 720, 468, PROSE)
    c.setFont("Helvetica-Bold", 10)
    c.drawString(72, y - 12, "Table 6. Reliance on China by Material")
    y = _table(c, 72, y - 34, [160, 100, 100], WRAPPED_LAST, ruled=False)
    c.setFont("Helvetica", 8)
    c.drawString(72, y - 6, "Source: USGS Mineral Commodity Summaries 2025.")
    _prose(c, 72, y - 30, 468, PROSE)


def test_pdf_table_keeps_a_wrapped_last_row(tmp_path: Path) -> None:
    path = build_pdf(tmp_path / "wrapped.pdf", [_wrapped_last_row_page])
    (table,) = find_pdf_tables(path)
    assert [*table.header, *table.rows] == _rows(WRAPPED_LAST)
    assert table.source_note == "Source: USGS Mineral Commodity Summaries 2025."


def test_pdf_tables_read_the_file_when_no_text_is_given(tmp_path: Path) -> None:
    path = build_pdf(tmp_path / "one.pdf", [_page_one])
    assert [t.number for t in find_pdf_tables(path)] == ["Table 1", "Table 2"]
    assert find_pdf_tables(path, pages=[]) == ()


def test_pdf_tables_of_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"not a pdf")
    with pytest.raises(ReadError, match="not a PDF"):
        find_pdf_tables(path)


# ------------------------------------------------------- real CRS documents

CRS_PAIRS = [
    (
        "pdf/reports/R47324.18.pdf",
        "markdown/reports/R47324v18-seabed-mining-in-areas-beyond-national-jurisdict.md",
        7,
    ),
    (
        "pdf/in-focus/IF13199v1-section-122-of-the-trade-act-of-1974.pdf",
        "markdown/in-focus/IF13199v1-section-122-of-the-trade-act-of-1974.md",
        1,
    ),
]


def _norm(cell: str) -> str:
    cell = cell.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    return re.sub(r"\s+", " ", cell).strip()


@pytest.mark.parametrize(("pdf_path", "md_path", "page"), CRS_PAIRS)
def test_crs_pdf_tables_match_the_markdown(
    pdf_path: str, md_path: str, page: int
) -> None:
    path = shared("crs", pdf_path)
    text = read_pdf(path)
    tables = find_pdf_tables(path, text)
    (reference,) = [
        t for t in find_tables(read_document(shared("crs", md_path))) if t.number
    ]
    (table,) = tables
    assert (table.number, table.page) == ("Table 1", page)
    got = [[_norm(c) for c in row] for row in (*table.header, *table.rows)]
    want = [[_norm(c) for c in row] for row in (*reference.header, *reference.rows)]
    assert got == want
    # Every word of every cell is located in the reader's text.
    words = sum(len(c.split()) for row in got for c in row)
    assert sum(len(c.text.split()) for c in table.cells) == words
    _check_located(text, _facts(text, tables))


def test_crs_r47324_table_caption_and_source() -> None:
    path = shared("crs", "pdf/reports/R47324.18.pdf")
    (table,) = find_pdf_tables(path)
    assert table.caption == (
        "Table 1. Types of Seabed Mineral Deposits in Areas Beyond National Jurisdiction"
    )
    assert (table.source_note or "").startswith(
        "Sources: Bureau of Ocean Energy Management, \u201cTypes of Relevant Marine"
    )
    # continued across the page break, and not run on into the notes under it
    assert (table.source_note or "").endswith("50494, November 7, 2025.")
    assert table.header == (
        ("Marine Deposit Type", "Deposit Description", "Minerals", "Occurrences"),
    )


@pytest.mark.parametrize(
    "name", ["IF10491.14.pdf", "IF11175.11.pdf", "IF12608.18.pdf", "IF13205.1.pdf"]
)
def test_crs_in_focus_without_tables(name: str) -> None:
    """Their boxed sidebars are frames of one column of text, not tables."""
    path = shared("crs", "pdf", "in-focus", name)
    text = read_pdf(path)
    assert find_pdf_tables(path, text, pages=range(1, text.pages + 1)) == ()
