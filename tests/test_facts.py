"""Quantity facts on the real corpus: the provenance invariant, stable ids, values."""

from __future__ import annotations

import re
from functools import cache

import pytest

from extract.corpus import load_corpus, read_checked
from extract.facts import extract_facts
from extract.readers import read_bytes
from extract.records import DocumentText, Fact
from tests.conftest import CORPUS

CORPUS_IDS = [d.id for d in load_corpus(CORPUS).documents]


@cache
def extracted(doc_id: str) -> tuple[DocumentText, tuple[Fact, ...]]:
    corpus = load_corpus(CORPUS)
    doc = corpus.get(doc_id)
    text = read_bytes(corpus.path_of(doc), read_checked(corpus, doc))
    return text, extract_facts(doc.id, doc.sha256, text)


def find(doc_id: str, mention: str, in_quote: str = "", nth: int = 0) -> Fact:
    """The one fact with this mention in a sentence holding ``in_quote``."""
    facts = [
        f for f in extracted(doc_id)[1] if f.text == mention and in_quote in f.quote
    ]
    assert facts, f"no fact {mention!r} in {doc_id}"
    assert len({f.quote for f in facts}) == 1, [(f.text, f.quote[:60]) for f in facts]
    return facts[nth]


@pytest.mark.parametrize("doc_id", CORPUS_IDS)
def test_every_fact_is_exactly_its_source(doc_id: str) -> None:
    text, facts = extracted(doc_id)
    assert facts
    for f in facts:
        assert text.text[f.start : f.end] == f.text
        assert text.text[f.quote_start : f.quote_end] == f.quote
        assert f.quote_start <= f.start < f.end <= f.quote_end
        assert f.page == text.page_at(f.start)
        assert 1 <= f.page <= text.pages  # text and markdown are one page
        if f.kind == "quantity":
            assert f.value is not None
            assert f.unit


@pytest.mark.parametrize("doc_id", CORPUS_IDS)
def test_ids_are_stable_and_unique(doc_id: str) -> None:
    text, facts = extracted(doc_id)
    corpus = load_corpus(CORPUS)
    again = extract_facts(doc_id, corpus.get(doc_id).sha256, text)
    assert [f.id for f in again] == [f.id for f in facts]
    assert len({f.id for f in facts}) == len(facts)


@pytest.mark.parametrize(
    ("doc_id", "mention", "in_quote", "value", "unit", "qualifier", "year"),
    [
        (
            "briefer-75-battery-dependence",
            "nearly three-quarters",
            "",
            75,
            "percent",
            "nearly",
            None,
        ),
        (
            "briefer-75-battery-dependence",
            "about 30%",
            "electric vehicle",
            30,
            "percent",
            "about",
            None,
        ),
        (
            "briefer-75-battery-dependence",
            "100%",
            "spherical graphite",
            100,
            "percent",
            None,
            2022,
        ),
        (
            "briefer-75-battery-dependence",
            "56%",
            "responsible for 56%",
            56,
            "percent",
            None,
            2021,
        ),
        (
            "briefer-75-battery-dependence",
            "73%",
            "increased to 73%",
            73,
            "percent",
            None,
            2023,
        ),
        (
            "briefer-75-battery-dependence",
            "$18.74B",
            "",
            18_740_000_000,
            "usd",
            None,
            None,
        ),
        (
            "briefer-75-battery-dependence",
            "70 gigawatt hours",
            "",
            70,
            "gwh",
            None,
            None,
        ),
        (
            "briefer-75-battery-dependence",
            ">50%",
            "Lithium",
            50,
            "percent",
            "more_than",
            None,
        ),
        ("crs-if12517", "up to $7,500", "", 7500, "usd", "at_most", None),
        (
            "mofcom-oct-2025-export-controls",
            "0.1% or more",
            "(1) Items listed",
            0.1,
            "percent",
            "at_least",
            None,
        ),
        (
            "mofcom-oct-2025-export-controls",
            "≤ 50 μm",
            "micropowder",
            50,
            "um",
            "at_most",
            None,
        ),
        (
            "af-us-japan-ev-minerals-deal",
            "at least 40%",
            "",
            40,
            "percent",
            "at_least",
            None,
        ),
    ],
)
def test_known_quantities(
    doc_id: str,
    mention: str,
    in_quote: str,
    value: float,
    unit: str,
    qualifier: str | None,
    year: int | None,
) -> None:
    fact = find(doc_id, mention, in_quote)
    assert (fact.value, fact.unit, fact.qualifier) == (value, unit, qualifier)
    if year is not None:
        assert fact.year == year


def test_sentences_are_whole_sentences() -> None:
    fact = find("briefer-75-battery-dependence", "nearly three-quarters")
    assert fact.quote == (
        "The US imports nearly three-quarters of its lithium-ion batteries from China."
    )
    assert ("COUNTRY", "china") in fact.entities


def test_codes_and_dates_are_facts_of_their_own() -> None:
    _, facts = extracted("mofcom-oct-2025-export-controls")
    kinds = {f.kind for f in facts}
    assert {"announcement", "control_code", "hs_code", "date", "listed_entity"} <= kinds
    hs = next(f for f in facts if f.kind == "hs_code" and f.text == "71051020")
    assert "Reference HS Code: 71051020" in hs.quote
    _, crs = extracted("crs-if12517")
    (meta,) = [f for f in crs if f.kind == "document"]
    assert meta.to_json()["product"] == "IF12517"


def test_table_rows_are_the_quote_of_their_cells() -> None:
    fact = find("briefer-75-battery-dependence", "$18.74B")
    assert fact.quote.startswith("Lithium-Ion Storage Batteries, Nesoi (8507600020)")
    assert "\n" not in fact.quote


NOT_QUANTITIES = [
    # document numbers, codes, dates and enumerators, by the text around them
    ("briefer-75-battery-dependence", r"No\. (75)"),
    ("briefer-75-battery-dependence", r"May (30), 2025"),
    ("briefer-75-battery-dependence", r"\((8507600020)\)"),
    ("briefer-75-battery-dependence", r"HS code of (850790)"),
    ("briefer-75-battery-dependence", r"\*\*(2504101000)\*\*"),
    ("briefer-75-battery-dependence", r"in (2022), China"),
    ("crs-if12517", r"P\.L\. (117-169)"),
    ("crs-if12517", r"(IF12517)"),
    ("crs-if12517", r"S\. (756)"),
    ("crs-if12517", r"H\.R\. (2951)"),
    ("mofcom-oct-2025-export-controls", r"No\. (61)/2025"),
    ("mofcom-oct-2025-export-controls", r"(2C902)\.a"),
    ("mofcom-oct-2025-export-controls", r"Reference HS Code: (71051020)"),
    ("mofcom-oct-2025-export-controls", r"Article (16)"),
    ("mofcom-oct-2025-export-controls", r"October (9), 2025"),
]


@pytest.mark.parametrize(("doc_id", "pattern"), NOT_QUANTITIES)
def test_numbers_that_are_not_quantities(doc_id: str, pattern: str) -> None:
    text, facts = extracted(doc_id)
    hits = list(re.finditer(pattern, text.text))
    assert hits, f"{pattern} is not in {doc_id}"
    quantities = [f for f in facts if f.kind == "quantity"]
    for m in hits:
        start, end = m.span(1)
        assert not [f.text for f in quantities if f.start < end and start < f.end]


def test_word_artifacts_are_logged_and_kept_out_of_quotes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    corpus = load_corpus(CORPUS)
    doc = corpus.get("crs-if12517")
    text = read_bytes(corpus.path_of(doc), read_checked(corpus, doc))
    assert "Error! Not a valid" in text.text
    with caplog.at_level("WARNING"):
        facts = extract_facts(doc.id, doc.sha256, text)
    assert "crs-if12517: Word artifact 'Error! Not a valid bookmark" in caplog.text
    assert facts
    for f in facts:
        assert "Error!" not in f.quote
        assert "crsreports.congress.gov" not in f.quote
        assert text.text[f.quote_start : f.quote_end] == f.quote
