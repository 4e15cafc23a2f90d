"""Quantities on real documents: what issue 9 found on PDFs and scraped pages.

Footnote markers are no counts, percent-encoded URLs no quantities, each value
of "from X in Y1 to Z in Y2" takes its own year, a statute's year, a bill's
number and a Chinese document number ("2006年第50号") are never a quantity's
year; HTML entities, full-width symbols, Chinese comparatives and units are
read, with the mention still the raw text at its offsets.
"""

# Full-width punctuation (＞％（）〔〕) is what these patterns read in Chinese text.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

from pathlib import Path

import pytest

from extract.facts import extract_facts
from extract.kinds.quantities import find_quantities, tie_year
from extract.readers import read_document
from tests.conftest import shared


def read(text: str) -> list[tuple[str, float, str, str | None, int | None]]:
    """(mention, value, unit, qualifier, year) of each quantity in ``text``."""
    found = find_quantities(text)
    for q in found:
        assert text[q.start : q.end] == q.text
    return [(q.text, q.value, q.unit, q.qualifier, tie_year(text, q)) for q in found]


def test_footnote_numbers_opening_a_line_are_not_counts() -> None:
    text = (
        "The Strait is mined.\n"
        "10 Harbor mines are devices that explode if struck by a vessel hull.\n"
        "13 Stuart Chirls, “Why the Strait Is Weak,” FreightWaves, March 13, 2026.\n"
        "17 attacks on vessels were recorded.\n"
    )
    assert read(text) == [("17 attacks", 17, "count", None, None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "There were 17 attacks¹² in March.",
            [("17 attacks", 17, "count", None, None)],
        ),
        ("Imports rose 40%.³ Exports fell.", [("40%", 40, "percent", None, None)]),
        ("ships wait in the Strait.14 Most ships wait", []),
        ("Tankers12 are held there.", []),
    ],
)
def test_superscript_and_glued_footnote_markers_are_not_counts(
    text: str, expected: list[tuple[str, float, str, str | None, int | None]]
) -> None:
    assert read(text) == expected


def test_percent_encoded_urls_hold_no_quantities() -> None:
    text = "See lists/top%2050%20companies%202024 for the 12% who exported more."
    assert read(text) == [("12%", 12, "percent", None, None)]


def test_each_value_of_from_to_takes_its_own_year() -> None:
    text = "Imports fell from $534.8 billion in 2025 to $61.7 billion in 2024."
    years = [(m, y) for m, _, _, _, y in read(text)]
    assert years == [("$534.8 billion", 2025), ("$61.7 billion", 2024)]


@pytest.mark.parametrize(
    "text",
    [
        "Under the Trade Act of 1974, duties of 25% may apply.",
        "The Tariff Act of 1930 set rates near 60% on some goods.",
        "P.L. 117-169 provides $369 billion for energy programs.",
        "H.R. 1903 would cut 30% of the duties.",
        "S. 2006 would raise the cap to 40%.",
    ],
)
def test_statutes_and_bills_give_no_year(text: str) -> None:
    [(_, _, _, _, year)] = read(text)
    assert year is None


def test_a_chinese_document_number_is_no_year_and_no_quantity() -> None:
    text = "依照商务部、海关总署令2006年第50号的规定，纯度大于99.9%的石墨。"
    assert read(text) == [("大于99.9%", 99.9, "percent", "more_than", None)]


@pytest.mark.parametrize(
    ("text", "mention", "value", "unit", "qualifier"),
    [
        ("球形石墨纯度&gt;99.9%", "&gt;99.9%", 99.9, "percent", "more_than"),
        ("强度&gt;30Mpa", "&gt;30Mpa", 30, "mpa", "more_than"),
        (
            "密度&gt;1.73克/立方厘米",
            "&gt;1.73克/立方厘米",
            1.73,
            "g_per_cm3",
            "more_than",
        ),
        ("粒径&lt;50微米", "&lt;50微米", 50, "um", "less_than"),
        ("纯度＞99.9％", "＞99.9％", 99.9, "percent", "more_than"),
        ("含量≧97％", "≧97％", 97, "percent", "at_least"),
        ("抗拉强度不低于800兆帕", "不低于800兆帕", 800, "mpa", "at_least"),
        ("直径大于等于120毫米", "大于等于120毫米", 120, "mm", "at_least"),
        ("功率在10千瓦以上", "10千瓦以上", 10, "kw", "at_least"),
        ("年产量5000吨以下", "5000吨以下", 5000, "tonnes", "at_most"),
        ("每件小于2千克", "小于2千克", 2, "kg", "less_than"),
        ("线宽10纳米", "10纳米", 10, "nm", None),
        ("压力大于5千兆帕", "大于5千兆帕", 5, "gpa", "more_than"),
        ("含量低于60%（含）的光刻胶", "低于60%（含）", 60, "percent", "at_most"),
        ("a pressure of 2 MPa", "2 MPa", 2, "mpa", None),
    ],
)
def test_chinese_and_escaped_thresholds(
    text: str, mention: str, value: float, unit: str, qualifier: str | None
) -> None:
    [(m, v, u, q, _)] = read(text)
    assert (m, v, u, q) == (mention, value, unit, qualifier)


def r48903() -> Path:
    path = shared("crs", "pdf", "reports", "R48903.3.pdf")
    if not path.is_file():
        pytest.skip(f"{path.name} not in ../shared/corpus-candidates")
    return path


def test_r48903_has_no_footnote_counts_and_no_statute_years() -> None:
    path = r48903()
    text = read_document(path)
    facts = extract_facts("r48903", "0" * 64, text, path=path)
    quantities = [f for f in facts if f.kind == "quantity"]
    mentions = {f.text for f in quantities}
    assert "10 Harbor mines" not in mentions
    assert "13 Stuart Chirls" not in mentions
    assert "17 attacks" in mentions  # a real count stays
    by_text = {f.text: f for f in quantities}
    assert by_text["up to 60 cargo ships"].year != 1996  # Maritime Security Act of 1996
    assert all(text.text[f.start : f.end] == f.text for f in facts)
