"""The layout a reader sees, measured on both bundled briefs built by the built-in engine.

What can be checked is checked on the built files: no machine detail (sha256,
"(inferred)") in the reader's text, alt text on every figure, the chart
source note's size in the PDF (pdfplumber) and in the HTML (the SVG's font
size at the width it is shown), no blank area over a set share of any page
but the last, the title block, the bibliography and the PDF link.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from bs4 import BeautifulSoup

from briefs.build import BuildResult, build_brief
from extract.corpus import load_corpus
from extract.store import store_path
from tests.conftest import ROOT

BRIEFS = ("battery-dependence", "mofcom-exposure")
MAX_BLANK = 0.25  # of a page's text area, on every page but the last
MIN_NOTE_PT = 8.0
MIN_NOTE_PX = 11.0
# pandoc's default HTML column: max-width 36em at the browser's 16 px.
HTML_COLUMN_PX = 576


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuildResult]:
    """Both bundled briefs, built strict, once."""
    work = tmp_path_factory.mktemp("layout")
    shutil.copytree(ROOT / "corpus", work / "corpus")
    corpus = load_corpus(work / "corpus")
    return {
        name: build_brief(
            ROOT / "templates" / f"{name}.qmd.j2",
            corpus,
            store_path(work / "cache"),
            work / "out",
            engine="builtin",
            strict=True,
        )
        for name in BRIEFS
    }


def html_text(path: Path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    return " ".join(soup.get_text(" ").split())


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)


def blank_shares(path: Path) -> list[float]:
    """Per page, the tallest band with no text, image or rule, as a share of
    the page's text area (from the first mark's top to the same margin at the
    bottom)."""
    shares = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            marks = sorted(
                (o["top"], o["bottom"])
                for o in (*page.chars, *page.images, *page.rects, *page.lines, *page.curves)
            )  # fmt: skip
            top = marks[0][0]
            bottom = float(page.height) - top
            reached, gap = top, 0.0
            for start, end in marks:
                gap = max(gap, start - reached)
                reached = max(reached, end)
            gap = max(gap, bottom - reached)
            shares.append(gap / (bottom - top))
    return shares


def note_sizes(path: Path) -> list[float]:
    """The font size of every chart source note ("Source: ...") in a PDF."""
    sizes = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            words = page.extract_words(extra_attrs=["size"])
            sizes += [w["size"] for w in words if w["text"] == "Source:"]
    return sizes


@pytest.mark.parametrize("name", BRIEFS)
def test_reader_text_has_no_machine_detail(
    built: dict[str, BuildResult], name: str
) -> None:
    folder = built[name].path
    for text in (html_text(folder / "brief.html"), pdf_text(folder / "brief.pdf")):
        assert "sha256" not in text
        assert "inferred" not in text
        assert "Corpus document" not in text


@pytest.mark.parametrize("name", BRIEFS)
def test_every_figure_has_alt_text(built: dict[str, BuildResult], name: str) -> None:
    folder = built[name].path
    qmd = (folder / "brief.qmd").read_text(encoding="utf-8")
    figures = re.findall(r"!\[[^\]]*\]\(charts/[^)]+\)\{([^}]*)\}", qmd)
    assert figures
    assert all(re.search(r'fig-alt="[^"]{40,}"', attrs) for attrs in figures)
    soup = BeautifulSoup(
        (folder / "brief.html").read_text(encoding="utf-8"), "html.parser"
    )
    images = soup.select("figure img")
    assert len(images) == len(figures)
    for img in images:
        caption = " ".join(img.find_parent("figure").figcaption.get_text().split())
        alt = img.get("alt", "")
        assert len(alt) >= 40 and alt not in caption


@pytest.mark.parametrize("name", BRIEFS)
def test_source_notes_are_readable(built: dict[str, BuildResult], name: str) -> None:
    folder = built[name].path
    sizes = note_sizes(folder / "brief.pdf")
    assert sizes and min(sizes) >= MIN_NOTE_PT, sizes
    for svg in (folder / "charts").glob("*.svg"):
        text = svg.read_text(encoding="utf-8")
        width = float(re.search(r'<svg[^>]* width="([\d.]+)"', text).group(1))  # type: ignore[union-attr]
        shown = min(1.0, HTML_COLUMN_PX / width)
        note = re.search(r'font-size="([\d.]+)px"[^>]*>(?:<tspan[^>]*>)?Source:', text)
        assert note, svg.name
        assert float(note.group(1)) * shown >= MIN_NOTE_PX, svg.name


@pytest.mark.parametrize("name", BRIEFS)
def test_no_blank_half_pages(built: dict[str, BuildResult], name: str) -> None:
    shares = blank_shares(built[name].path / "brief.pdf")
    assert len(shares) >= 2
    assert max(shares[:-1]) <= MAX_BLANK, [round(s, 3) for s in shares]


@pytest.mark.parametrize("name", BRIEFS)
def test_title_block_bibliography_and_pdf_link(
    built: dict[str, BuildResult], name: str
) -> None:
    result = built[name]
    html = html_text(result.path / "brief.html")
    pdf = pdf_text(result.path / "brief.pdf")
    for text in (html, pdf):
        assert re.search(
            r"Tracebrief Trade Briefs, No\. \d · v1, built \d{4}-\d\d-\d\d", text
        )
        assert "Tracebrief Trade Desk" in text
        assert "Taulli, Ben, and Joshua Busby. 2025." in text  # Chicago author-date
    soup = BeautifulSoup(
        (result.path / "brief.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert [a.get_text() for a in soup.select('a[href="brief.pdf"]')] == ["PDF"]
    references = json.loads((result.path / "references.json").read_text())
    assert {r["id"] for r in references} == {c["doc"] for c in claims(result)}


def claims(result: BuildResult) -> list[dict[str, object]]:
    data = json.loads((result.path / "claims.json").read_text(encoding="utf-8"))
    return list(data["claims"])


def test_the_crs_source_links_its_url(built: dict[str, BuildResult]) -> None:
    soup = BeautifulSoup(
        (built["battery-dependence"].path / "brief.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    refs = soup.find(id="refs")
    assert refs is not None
    links = [a["href"] for a in refs.find_all("a")]
    assert links == [  # by author: Keating-Bitonti, Kitamura, Normand
        "https://www.congress.gov/crs-product/IF12608",
        "https://crsreports.congress.gov/product/pdf/IF/IF12517",
        "https://www.congress.gov/crs-product/IF13205",
    ]


def test_unknown_shares_are_never_drawn_as_zero(built: dict[str, BuildResult]) -> None:
    charts = built["battery-dependence"].path / "charts"
    spec = json.loads((charts / "china_share.vl.json").read_text())
    (rows,) = spec["datasets"].values()
    unknown = [r for r in rows if r["share_percent"] is None]
    assert len(unknown) == 5
    assert all(r["label"].startswith("unknown: not in the top three") for r in unknown)
    stacked = json.loads((charts / "partner_shares.vl.json").read_text())
    (rows,) = stacked["datasets"].values()
    assert not [r for r in rows if r["group"] == "China" and r["value_busd"] == 0]


def test_the_exposure_brief_joins_mofcom_codes_to_us_imports(
    built: dict[str, BuildResult],
) -> None:
    folder = built["mofcom-exposure"].path
    qmd = (folder / "brief.qmd").read_text(encoding="utf-8")
    rows = [line for line in qmd.splitlines() if line.startswith("| ")]
    assert rows[1:] == [
        "| Lithium-Ion Storage Batteries, Nesoi, etc. (HS 850760) | 85076000 | 22.5 | 15.9 | 71% |",
        "| Mixtures Of Two Or More Inorganic Compounds, etc. (HS 382499) | 38249999 | 3.7 | unknown | unknown (under 4%) |",
    ]
    assert "{#tbl-exposure-table}" in qmd
    assert "No rows for HS-6 710510" in qmd  # the codes the data do not cover are named
    spec = json.loads((folder / "charts" / "exposure.vl.json").read_text())
    (data,) = spec["datasets"].values()
    # 72% of $18.74B and 65% of $3.77B (the two HTS-10 lines under 850760)
    assert [d["china"] for d in data] == [15.9433, None]
