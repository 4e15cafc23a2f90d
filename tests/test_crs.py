"""CRS products: number, version, date, title, authors, and page furniture.

Run on the CRS seed (an In Focus whose two columns a naive extraction
interleaved line by line), and on the real CRS PDFs in ../shared (skipped
where absent), checked against the CRS catalogue records beside them.
"""

from __future__ import annotations

import csv
import doctest
import logging
import re
from functools import cache
from pathlib import Path

import pdfplumber
import pytest

from extract.errors import ReadError
from extract.kinds import crs
from extract.kinds.crs import (
    CrsMeta,
    artifact_spans,
    crs_facts,
    extract_crs_meta,
    find_product,
    furniture_spans,
)
from extract.readers import read_document
from extract.records import DocumentText
from tests.conftest import CORPUS, shared

SEED = CORPUS / "documents" / "crs-if12517.txt"
SHA = "0" * 64


@pytest.fixture(scope="module")
def seed() -> DocumentText:
    return read_document(SEED)


def covered(spans: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def test_doctests() -> None:
    assert doctest.testmod(crs).failed == 0


# --------------------------------------------------------------------------
# The seed
# --------------------------------------------------------------------------


def test_seed_metadata(seed: DocumentText) -> None:
    assert extract_crs_meta(seed.text) == CrsMeta(
        product="IF12517",
        version=3,
        date="2023-12-15",
        authors=(("Kyla H. Kitamura", "Analyst in International Trade and Finance"),),
        title="U.S.-Japan Critical Minerals Agreement",
    )


def test_seed_document_fact(seed: DocumentText) -> None:
    (fact,) = crs_facts("crs-if12517", SHA, seed)
    assert (fact.kind, fact.text) == ("document", "IF12517")
    assert seed.text[fact.start : fact.end] == fact.text
    assert seed.text[fact.quote_start : fact.quote_end] == fact.quote
    extra = dict(fact.extra)
    assert (extra["product"], extra["version"], extra["date"]) == ("IF12517", 3, "2023-12-15")  # fmt: skip
    assert extra["authors"] == [
        {
            "name": "Kyla H. Kitamura",
            "title": "Analyst in International Trade and Finance",
        }
    ]
    # Its number stands on its own line, above the authors, not in the footer.
    assert not covered(furniture_spans(seed.text), fact.quote_start, fact.quote_end)


def test_seed_furniture(seed: DocumentText) -> None:
    text = seed.text
    spans = furniture_spans(text)
    for url in re.finditer(r"https://crsreports\.congress\.gov", text):
        assert covered(spans, *url.span())
    for phrase in (
        "link to page 2 link to page 2",
        "https://crsreports.congress.gov | IF12517 · VERSION 3 · UPDATED",
        "Disclaimer\nThis document was prepared by the Congressional Research Service",
        "you may need to obtain the permission of the copyright holder if you\n"
        "wish to copy or otherwise use copyrighted material.",
    ):
        start = text.index(phrase)
        assert covered(spans, start, start + len(phrase)), phrase
    # The running title on later pages is furniture; the title itself is not.
    titles = [m.span() for m in re.finditer("U.S.-Japan Critical Minerals Agreement", text)]  # fmt: skip
    assert [covered(spans, *t) for t in titles] == [False, True, True, True]
    # Body text is not.
    body = text.index("On March 28, 2023, the United States and Japan signed a")
    assert not covered(spans, body, body + 10)


def test_seed_artifacts_skip_the_other_columns_line(seed: DocumentText) -> None:
    """Both artifacts are cut by a line of the other column, which is body text."""
    text = seed.text
    pieces = [text[s:e] for s, e in artifact_spans(text)]
    assert pieces == [
        "Error! Not a valid",
        "bookmark self-reference.",
        "Error!",
        "Not a valid bookmark self-reference.",
    ]
    spans = furniture_spans(text)
    for line in (
        "reauthorization or legislation such as P.L. 118-13, which",
        "tied firms to qualify for the critical minerals requirement)",
    ):
        start = text.index(line)
        assert not any(s < start + len(line) and start < e for s, e in spans), line


def test_artifacts_logged_naming_the_document(
    seed: DocumentText, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="extract.kinds.crs"):
        crs_facts("crs-if12517", SHA, seed)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert all(m.startswith("crs-if12517: Word artifact") for m in messages)
    assert "'Error! Not a valid bookmark self-reference.'" in messages[0]


# --------------------------------------------------------------------------
# Small texts
# --------------------------------------------------------------------------


def test_no_product_no_fact() -> None:
    text = read_document(CORPUS / "documents" / "af-us-japan-ev-minerals-deal.txt")
    assert crs_facts("af", SHA, text) == []
    assert extract_crs_meta(text.text).product is None


def test_body_reference_is_not_the_product() -> None:
    text = "Updated April 10, 2026\nA Title\n(see CRS Report R48875, by Jared G. Tupuola).\n"  # fmt: skip
    assert find_product(text) is None
    assert find_product(text + "IF10491\n") == ("IF10491", (len(text), len(text) + 7))


def test_cover_number_preferred_to_footer() -> None:
    """A report without its number on a line of its own: the cover's, not the
    last footer's (furniture, so a fact there would be dropped)."""
    text = (
        "A Title\nApril 10, 2026\nhttps://crsreports.congress.gov R48903\n...\n"
        "Congressional Research Service R48903 · VERSION 3 · NEW 6\n"
    )
    product, (start, _) = find_product(text)  # type: ignore[misc]
    assert (product, start) == ("R48903", text.index("R48903"))
    assert extract_crs_meta(text).version == 3


def test_interleaved_author_titles_repaired() -> None:
    """Three authors in two columns: the second title's "Finance" was pushed
    after the third author's "Legislative Attorney"."""
    line = (
        "Danielle M. Trachtenberg, Analyst in International Trade and Finance "
        "Christopher A. Casey, Analyst in International Trade and Christopher T. "
        "Zirpoli, Legislative Attorney Finance\n\nIF13199\n\nDisclaimer\n"
    )
    assert extract_crs_meta(line).authors == (
        ("Danielle M. Trachtenberg", "Analyst in International Trade and Finance"),
        ("Christopher A. Casey", "Analyst in International Trade and Finance"),
        ("Christopher T. Zirpoli", "Legislative Attorney"),
    )


def test_title_continued_on_next_line() -> None:
    text = (
        "Danielle M. Trachtenberg, Analyst in International Trade\nand Finance\n"
        "IF13199\nDisclaimer\n"
    )
    assert extract_crs_meta(text).authors == (
        ("Danielle M. Trachtenberg", "Analyst in International Trade and Finance"),
    )


def test_report_authors_in_columns() -> None:
    text = (
        "Author Information\n\nJohn Frittelli Ben Goldman\n"
        "Specialist in Transportation Policy Analyst in Transportation Policy\n\n"
        "Disclaimer\n"
    )
    assert extract_crs_meta(text).authors == (
        ("John Frittelli", "Specialist in Transportation Policy"),
        ("Ben Goldman", "Analyst in Transportation Policy"),
    )


def test_title_stops_at_first_heading() -> None:
    """ "Overview" is the first section's heading, not the title's last line."""
    text = (
        "Updated April 10, 2026\n\nAustralia: Background and U.S. Relations\n\n"
        "Overview\n\nThe Commonwealth of Australia is a close ally.\n"
    )
    assert extract_crs_meta(text).title == "Australia: Background and U.S. Relations"


def test_wrapped_report_title_before_date() -> None:
    text = (
        "Seabed Mining in Areas Beyond National\nJurisdiction: Issues for Congress\n"
        "Updated April 15, 2026\nCongressional Research Service\n"
    )
    meta = extract_crs_meta(text)
    assert meta.title == "Seabed Mining in Areas Beyond National Jurisdiction: Issues for Congress"  # fmt: skip
    assert meta.date == "2026-04-15"


# --------------------------------------------------------------------------
# The real PDFs in ../shared, against the CRS catalogue records
# --------------------------------------------------------------------------

PDFS = [
    "in-focus/IF10491.14.pdf",
    "in-focus/IF11175.11.pdf",
    "in-focus/IF12608.18.pdf",
    "in-focus/IF13199v1-section-122-of-the-trade-act-of-1974.pdf",
    "in-focus/IF13205.1.pdf",
    "reports/R47324.18.pdf",
    "reports/R48903.3.pdf",
]
VERSIONS = {"IF10491": 14, "IF11175": 11, "IF12608": 18, "IF13199": 1, "IF13205": 1,
            "R47324": 18, "R48903": 3}  # fmt: skip
# Author titles as printed (the catalogue has names only).
TITLES = {
    "IF13199": {
        "Danielle M. Trachtenberg": "Analyst in International Trade and Finance",
        "Christopher A. Casey": "Analyst in International Trade and Finance",
        "Christopher T. Zirpoli": "Legislative Attorney",
    },
    "R48903": {
        "John Frittelli": "Specialist in Transportation Policy",
        "Ben Goldman": "Analyst in Transportation Policy",
    },
    "IF12608": {"Caitlin Keating-Bitonti": "Specialist in Natural Resources Policy"},
}


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """The catalogue rows by product number (columns: number, title, url,
    date, authors, topics; no header)."""
    rows: dict[str, dict[str, str]] = {}
    for path in sorted(shared("crs", "metadata").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                if len(row) >= 5:
                    rows[row[0]] = {"title": row[1], "date": row[3], "authors": row[4]}
    return rows


@cache
def read_pdf(path: Path) -> DocumentText:
    return read_document(path)


def reader_text(path: Path) -> str:
    """The PDF reader's text, or pdfplumber's where the reader is not ready."""
    try:
        return read_pdf(path).text
    except (ImportError, NotImplementedError, ReadError):
        return plumber_text(path)


@cache
def plumber_text(path: Path) -> str:
    """pdfplumber's default text, columns interleaved: the naive extraction."""
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def catalogue_names(authors: str) -> set[str]:
    """ "Casey, Christopher A.; Trachtenberg, Danielle M." -> the names."""
    return {a.strip() for a in authors.split(";") if a.strip()}


def as_catalogued(name: str) -> str:
    """ "M. Angeles Villarreal" -> "Villarreal, M. Angeles"."""
    first, _, last = name.rpartition(" ")
    return f"{last}, {first}"


def check_against_catalogue(meta: CrsMeta, product: str, text: str) -> None:
    record = catalogue()[product]
    month, day, year = record["date"].split("/")
    assert meta.product == product
    assert meta.date == f"{year}-{month}-{day}"
    assert meta.title == record["title"]
    names = {as_catalogued(name) for name, _ in meta.authors}
    assert names == catalogue_names(record["authors"])
    # The version is on the last page's footer, which a reader may leave out.
    expected = VERSIONS[product] if "· VERSION" in text else None
    assert meta.version == expected


@pytest.mark.parametrize("name", PDFS)
def test_pdf_metadata(name: str) -> None:
    path = shared("crs", "pdf", name)
    text = reader_text(path)
    meta = extract_crs_meta(text)
    product = re.match(r"[A-Z]+\d+", path.name)[0]  # type: ignore[index]
    check_against_catalogue(meta, product, text)
    for author, title in meta.authors:
        assert title.startswith(("Analyst in", "Specialist in", "Legislative Attorney"))
        assert TITLES.get(product, {}).get(author, title) == title


@pytest.mark.parametrize("name", PDFS)
def test_pdf_metadata_from_interleaved_columns(name: str) -> None:
    """The naive extraction's text gives the same number, date, title and
    names; its footer carries the version."""
    path = shared("crs", "pdf", name)
    text = plumber_text(path)
    product = re.match(r"[A-Z]+\d+", path.name)[0]  # type: ignore[index]
    check_against_catalogue(extract_crs_meta(text), product, text)


@pytest.mark.parametrize("name", PDFS)
def test_pdf_document_fact_and_furniture(name: str) -> None:
    path = shared("crs", "pdf", name)
    text = read_pdf(path)
    (fact,) = crs_facts(path.stem, SHA, text)
    assert text.text[fact.start : fact.end] == fact.text
    spans = furniture_spans(text.text)
    assert not covered(spans, fact.quote_start, fact.quote_end)
    disclaimer = text.text.index("This document was prepared by the Congressional")
    assert covered(spans, disclaimer, disclaimer + 40)


def test_report_furniture() -> None:
    """A report's cover lines, contents' dotted lines, page footers, running
    titles and last footer."""
    text = plumber_text(shared("crs", "pdf", "reports/R48903.3.pdf"))
    spans = furniture_spans(text)
    for phrase in (
        "Congressional Research Service\n",
        "https://crsreports.congress.gov\n",
        "Introduction ......",
        "Congressional Research Service 5\n",
        "Congressional Research Service R48903 · VERSION 3 · NEW 6",
    ):
        start = text.index(phrase)
        assert covered(spans, start, start + len(phrase.rstrip())), phrase
    title = (
        "The Strait of Hormuz in Brief: Non-Oil Shipments and Effects on U.S. Shippers"
    )
    start = text.index(f"Service 5\n{title}") + len("Service 5\n")
    assert covered(spans, start, start + len(title))
