"""Figures: caption, number, page and source note, in text, markdown and PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.corpus import load_corpus, read_checked
from extract.kinds.figures import figure_facts, find_figures
from extract.kinds.tables import table_facts
from extract.readers import read_bytes, read_document
from extract.readers.pdf import read_pdf
from extract.readers.text import read_text
from extract.texttables import find_tables
from tests.conftest import CORPUS, shared
from tests.test_tables import FIXTURES, build_pdf

SHA = "0" * 64
DOCUMENTS = CORPUS / "documents"


def test_briefer_figures() -> None:
    text = read_document(DOCUMENTS / "briefer-75-battery-dependence.md")
    one, two = find_figures(text)
    assert (one.number, one.caption) == (
        "Figure 1",
        "FIGURE 1: TOP 5 GLOBAL PRODUCERS OF CRITICAL MINERALS, CATHODES, ANODES, "
        "AND BATTERY CELLS",
    )
    assert one.source_note == "Source: Benchmark Intelligence"
    assert (two.number, two.caption) == (
        "Figure 2",
        "FIGURE 2: TOP 10 GLOBAL PRODUCERS OF LITHIUM, SYNTHETIC GRAPHITE, AND "
        "FLAKE GRAPHITE",
    )
    # The chart's legend lines sit between the caption and the source.
    assert two.source_note == "Source: Benchmark Intelligence"
    assert text.text[one.start : one.end] == one.caption
    assert text.text[slice(*two.source_span or (0, 0))] == two.source_note


def test_briefer_figure_1_names_its_table() -> None:
    text = read_document(DOCUMENTS / "briefer-75-battery-dependence.md")
    facts = figure_facts("briefer", SHA, text)
    assert [f.kind for f in facts] == ["figure", "figure"]
    table = table_facts("briefer", SHA, text)[0]
    one, two = (dict(f.extra) for f in facts)
    assert one["table"] == table.id and dict(table.extra)["number"] == "Figure 1"
    assert two["table"] is None
    assert (
        one["number"] == "Figure 1"
        and one["source_note"] == "Source: Benchmark Intelligence"
    )
    assert (
        facts[0].text
        == "FIGURE 1: TOP 5 GLOBAL PRODUCERS OF CRITICAL MINERALS, CATHODES, ANODES, AND BATTERY CELLS"
    )


def test_crs_seed_figure() -> None:
    """In pdftotext's dump of two columns the source is 19 lines on, amid the
    other column's lines; the note is its first line."""
    text = read_document(DOCUMENTS / "crs-if12517.txt")
    (figure,) = find_figures(text)
    assert figure.caption == "Figure 1. U.S. Critical Minerals Import Sources (2022)"
    assert figure.number == "Figure 1" and figure.page == 1
    assert (
        figure.source_note
        == "Sources: Produced by CRS using trade data from U.S. Census"
    )


def test_markdown_framed_figure() -> None:
    text = read_document(FIXTURES / "pipes.md")
    (figure,) = find_figures(text)
    assert (figure.number, figure.caption) == ("Figure 5", "Figure 5. Graphite Flows")
    assert figure.source_note == "Source: Map created by CRS."


def test_html_figcaption() -> None:
    text = read_document(FIXTURES / "imports.html")
    (figure,) = find_figures(text)
    assert (figure.number, figure.source_note) == (
        "Figure 4",
        "Source: Benchmark Intelligence.",
    )
    (fact,) = figure_facts("html", SHA, text)
    tables = [
        f
        for f in table_facts("html", SHA, text, find_tables(text))
        if f.kind == "table"
    ]
    assert dict(fact.extra)["table"] == tables[1].id  # the figure is the second table


def test_lists_of_figures_are_no_figures() -> None:
    data = (
        b"- [Figure 1. Illustration of High Seas](https://crsreports.congress.gov#_Toc1)\n\n"
        b"Figure 1. Illustration of High Seas ........ 3\n\n"
        b"Figure 1. Illustration of High Seas\n\n"
        b"Source: Illustration created by CRS.\n"
    )
    text = read_text(Path("toc.md"), data)
    (figure,) = find_figures(text)
    assert figure.caption == "Figure 1. Illustration of High Seas"
    assert figure.source_note == "Source: Illustration created by CRS."


def test_a_source_after_the_next_heading_is_not_the_figures() -> None:
    data = b"Figure 3: Prices\n\n## Next section\n\nSource: somebody else.\n"
    (figure,) = find_figures(read_text(Path("h.md"), data))
    assert figure.source_note is None


def test_pdf_figure(tmp_path: Path) -> None:
    text = read_pdf(build_pdf(tmp_path / "figures.pdf"))
    (figure,) = find_figures(text)
    assert figure.caption == "Figure 1. Lithium Carbonate Prices, 2020-2024"
    assert figure.page == 2 and figure.bbox is not None and figure.bbox[0] > 300
    assert figure.source_note == "Source: Benchmark Mineral Intelligence."
    (fact,) = figure_facts("pdf", SHA, text, ())
    assert fact.page == 2 and fact.text == figure.caption


@pytest.mark.parametrize("doc_id", [d.id for d in load_corpus(CORPUS).documents])
def test_every_corpus_figure_fact_is_located(doc_id: str) -> None:
    corpus = load_corpus(CORPUS)
    doc = next(d for d in corpus.documents if d.id == doc_id)
    text = read_bytes(corpus.path_of(doc), read_checked(corpus, doc))
    for f in figure_facts(doc.id, doc.sha256, text):
        assert text.text[f.start : f.end] == f.text
        assert text.text[f.quote_start : f.quote_end] == f.quote


CRS_FIGURES = {
    "reports/R47324.18.pdf": [
        (6, "Figure 1. Illustration of High Seas and Exclusive Economic Zone Boundaries",
         "Source: Illustration created by CRS using the Sovereign Limits database"),
        (8, "Figure 2. Proposed Machinery and Technology for Collecting Seabed Minerals",
         "Source: Illustration created by CRS, modifying figure 4 in Kathryn Miller"),
        (13, "Figure 3. Clarion-Clipperton Zone (CCZ)",
         "Source: Map created by CRS using International Seabed Authority (ISA)"),
        (27, "Figure 4. Locations of China\u2019s Five Exploration Contracts",
         "Source: Map created by CRS using International Seabed Authority (ISA)"),
    ],
    "in-focus/IF11175.11.pdf": [
        (1, "Figure 1. U.S.-Mexico Goods Trade 2006-2025",
         "Source: U.S. Census Bureau, accessed on Trade Data Monitor."),
    ],
    "in-focus/IF13205.1.pdf": [
        (1, "Figure 1. USGS Enacted Annual Appropriations, FY2018-FY2026,",
         "Source: Congressional Research Service (CRS), based on enacted"),
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CRS_FIGURES))
def test_crs_pdf_figures(name: str) -> None:
    """Pages exact; captions and sources by how they start (they run long)."""
    text = read_pdf(shared("crs", "pdf", name))
    figures = find_figures(text)
    want = CRS_FIGURES[name]
    assert [f.page for f in figures] == [page for page, _, _ in want]
    for figure, (_, caption, source) in zip(figures, want, strict=True):
        assert figure.caption.startswith(caption)
        assert (figure.source_note or "").startswith(source)
