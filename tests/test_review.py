"""The evidence page and the PDF locations behind it, on a brief citing a PDF.

The browser test opens the built brief in headless Chromium (Debian's
``chromium``, driven by Playwright's Python package; no browser is
downloaded), follows a footnote's link to its card on review.html, and
checks the page crop is loaded with the quote's highlight inside it.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import struct
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from briefs.build import BuildResult, build_brief
from briefs.claims import Claim, load_claims
from briefs.locate import as_read, squeeze
from extract.corpus import load_corpus
from extract.store import store_path
from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]  # fmt: skip
SENTENCE = (
    "In 2024 the United States imported lithium-ion batteries worth $13.1 billion, "
    "most of them from China."
)
URL = "https://example.org/battery-report.pdf"
TEMPLATE = """---
title: "A brief citing a PDF"
format:
  html:
    embed-resources: true
  typst:
    papersize: us-letter
brief:
  id: pdf-brief
  facts:
    imports:
      doc: battery-report
      quote: "$13.1 billion"
---

US imports of lithium-ion batteries were worth {{ fact("imports") }} in 2024.
"""


def write_pdf(path: Path) -> None:
    """Two pages: the cited sentence is in a paragraph on page 2."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    filler = "Batteries store energy for vehicles and the grid. " * 6
    story = [
        Paragraph("Battery Trade Report", styles["Title"]),
        Paragraph(filler, styles["BodyText"]),
        PageBreak(),
        Paragraph("Imports", styles["Heading2"]),
        Paragraph(
            f"{filler} {SENTENCE} Other suppliers were small.", styles["BodyText"]
        ),
    ]
    SimpleDocTemplate(str(path), pagesize=letter).build(story)


@pytest.fixture(scope="module")
def pdf_brief(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """A one-document corpus (a PDF made here) and a brief citing it, built once."""
    work = tmp_path_factory.mktemp("pdfbrief")
    corpus = work / "corpus"
    (corpus / "documents").mkdir(parents=True)
    pdf = corpus / "documents" / "battery-report.pdf"
    write_pdf(pdf)
    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    (corpus / "corpus.toml").write_text(
        '[[document]]\nid = "battery-report"\nfile = "documents/battery-report.pdf"\n'
        'kind = "analysis"\ntitle = "Battery Trade Report: Imports in 2024"\n'
        'authors = ["Ada Lovelace"]\ndate = "2025-01-15"\n'
        f'url = "{URL}"\nsha256 = "{sha}"\n',
        encoding="utf-8",
    )
    template = work / "pdf-brief.qmd.j2"
    template.write_text(TEMPLATE, encoding="utf-8")
    shutil.copyfile(ROOT / "templates" / "chicago-author-date.csl",
                    work / "chicago-author-date.csl")  # fmt: skip
    return build_brief(template, load_corpus(corpus), store_path(work / "cache"),
                       work / "out", engine="builtin")  # fmt: skip


def test_pdf_fact_carries_its_page_and_per_line_boxes(pdf_brief: BuildResult) -> None:
    (claim,) = load_claims(pdf_brief.path).claims
    where = claim.location
    assert (where.kind, where.page, where.label) == ("page", 2, "p. 2")
    assert 1 <= len(where.boxes) <= 3  # the sentence wraps over a line or two
    for box in where.boxes:
        assert box.page == 2
        assert 0 < box.x0 < box.x1 <= 612 and 0 < box.top < box.bottom <= 792
    tops = [b.top for b in where.boxes]
    assert tops == sorted(tops)


def test_pdf_boxes_cover_the_quote_words() -> None:
    from briefs.locate import match_boxes

    words = [("worth", 10.0, 100.0, 40.0, 110.0), ("$13.1", 45.0, 100.0, 70.0, 110.0),
             ("bil-", 75.0, 100.0, 90.0, 110.0), ("lion,", 10.0, 114.0, 30.0, 124.0),
             ("most", 35.0, 114.0, 60.0, 124.0)]  # fmt: skip
    boxes = match_boxes([(3, words)], "$13.1 billion,")
    assert [b.to_json() for b in boxes] == [[3, 45.0, 100.0, 90.0, 110.0],
                                            [3, 10.0, 114.0, 30.0, 124.0]]  # fmt: skip


def test_a_quote_interrupted_by_other_print_is_found_in_pieces() -> None:
    from briefs.locate import pieces

    page = (
        "Alltheseitemshavebeenindexed" + "AnalystinPublicFinance" + "since1981,though"
    )
    quote = "Alltheseitemshavebeenindexedsince1981,though"
    assert pieces(page, quote) == [(0, 28), (50, 66)]
    assert pieces(page, "Alltheseitemsweregone") == []
    # printed in another order than the reader reads it (columns, sidebars)
    assert pieces("since1981,thoughXXAlltheseitemshavebeenindexed", quote) == [
        (18, 46),
        (0, 16),
    ]


def test_text_and_markdown_are_cited_by_line(tmp_path: Path) -> None:
    # Before: every text or markdown quote was "p. 1".
    from briefs.locate import locate
    from extract.readers import read_document
    from extract.records import Fact

    path = tmp_path / "notes.md"
    path.write_text("# Title\n\nFirst paragraph.\n\nSecond one says 42% here.\n")
    text = read_document(path)
    at = text.text.index("Second")
    fact = Fact("q1", "d", "quantity", "42%", at + 16, at + 19, 1,
                "Second one says 42% here.", at, at + 25)  # fmt: skip
    where = locate(fact, path, text)
    assert (where.kind, where.line, where.label) == ("line", 5, "line 5")


@pytest.fixture(scope="module")
def default_brief(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The default brief built once from a copy of the bundled corpus."""
    work = tmp_path_factory.mktemp("default")
    shutil.copytree(ROOT / "corpus", work / "corpus")
    return build_brief(ROOT / "templates" / "battery-dependence.qmd.j2",
                       load_corpus(work / "corpus"), store_path(work / "cache"),
                       work / "out", engine="builtin")  # fmt: skip


def as_reader_sees(claim: Claim) -> str:
    """The claim's quote as its document reads, whitespace and hyphens squeezed."""
    path = "x.md" if claim.doc == "briefer-75-battery-dependence" else "x.txt"
    return squeeze(as_read(claim.quote, path))


def found_in(quote: str, text: str) -> bool:
    """Whole, or split in two at a page break (a note running onto the next page)."""
    return quote in text or any(
        quote[:k] in text and quote[k:] in text for k in range(20, len(quote) - 20)
    )


def test_quotes_are_verbatim_in_the_html_and_pdf(default_brief: BuildResult) -> None:
    # Before: smart quotes turned the straight apostrophe of "world's" curly, and "$18.74B" kept a
    # stray backslash ("\$18.74B") in the notes quoting the briefer's Table 1.
    from pypdf import PdfReader

    soup = BeautifulSoup((default_brief.path / "brief.html").read_text("utf-8"), "lxml")
    notes = [" ".join(li.get_text().split()) for li in soup.select("li[id^=fn]")]
    html = squeeze(" ".join(notes))
    reader = PdfReader(default_brief.path / "brief.pdf")
    pdf = squeeze("".join(p.extract_text() or "" for p in reader.pages))
    claims = load_claims(default_brief.path).claims
    for claim in claims:
        assert as_reader_sees(claim) in html, claim.claim
        assert found_in(as_reader_sees(claim), pdf), claim.claim
    anode = next(c for c in claims if c.name == "anode_share")
    assert "the world's anode production" in anode.quote
    assert any("China holds 91% of the world's anode production" in n for n in notes)
    assert "world\u2019s anode" not in " ".join(notes)
    assert "\\$" not in " ".join(notes) and "$18.74B" in " ".join(notes)
    # (The brief's own prose may curl its apostrophes; the quote may not.)
    assert "world'sanodeproduction,withthetop" in pdf
    assert "world\u2019sanodeproduction,with" not in pdf


def test_notes_once_per_sentence(default_brief: BuildResult) -> None:
    # Before: 23 notes for 22 claims (the $18.74B fact twice), and 56% and 73%
    # in two notes quoting one sentence.
    claims = load_claims(default_brief.path).claims
    soup = BeautifulSoup((default_brief.path / "brief.html").read_text("utf-8"), "lxml")
    notes = soup.select("li[id^=fn]")
    sentences = {c.sentence_key for c in claims}
    assert len(notes) == len(sentences) < len(claims)
    shared = [
        " ".join(n.get_text().split()) for n in notes if "(56% and 73%)" in n.get_text()
    ]
    assert len(shared) == 1
    top = next(c for c in claims if c.name == "top_import_value")
    refs = soup.select(f'a.footnote-ref[href="#fn{top.note}"]')
    assert len(refs) == 2  # cited twice: one note, two references to it


def test_default_brief_notes_cite_lines(default_brief: BuildResult) -> None:
    result = default_brief
    qmd = (result.path / "brief.qmd").read_text(encoding="utf-8")
    notes = re.findall(r"^\[\^c\d+\]: (.*)$", qmd, re.M)
    # Text and markdown are cited by line; only the two CRS PDFs by page.
    paged = [n for n in notes if re.search(r", p\. \d+[: ]", n)]
    assert notes and paged
    assert all(n.split(",")[0] in ("Keating-Bitonti", "Normand") for n in paged)
    lines = (
        (
            result.path.parents[2]
            / "corpus"
            / "documents"
            / "briefer-75-battery-dependence.md"
        )
        .read_text()
        .splitlines()
    )
    for claim in load_claims(result.path).claims:
        if claim.doc == "briefer-75-battery-dependence":
            n = claim.location.line
            assert n is not None and claim.quote.split()[0] in lines[n - 1]


def test_review_card_has_everything_a_reviewer_needs(pdf_brief: BuildResult) -> None:
    page = (pdf_brief.path / "review.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "lxml")
    card = soup.find(id="c1")
    assert card is not None
    text = " ".join(card.get_text(" ").split())
    assert (
        "US imports of lithium-ion batteries were worth $13.1 billion in 2024." in text
    )
    assert "ok" in card.find(class_="status").get_text()
    assert "Battery Trade Report: Imports in 2024" in text and "Ada Lovelace" in text
    assert card.find("a", href=f"{URL}#page=2") is not None
    mark = card.find("mark")
    assert " ".join(mark.get_text().split()) == SENTENCE
    assert "Other suppliers were small." in card.find(class_="paragraph").get_text()
    crop = card.find(class_="crop")
    assert crop.find("img")["src"].startswith("data:image/png;base64,")
    assert len(crop.find_all(class_="hl")) == len(
        load_claims(pdf_brief.path).claims[0].location.boxes
    )
    # Self-contained: nothing is fetched (no script, no external stylesheet or image).
    assert not soup.find_all("script") and not soup.find_all("link")
    assert all(i["src"].startswith("data:") for i in soup.find_all("img"))


def test_every_footnote_links_to_its_card(pdf_brief: BuildResult) -> None:
    soup = BeautifulSoup((pdf_brief.path / "brief.html").read_text("utf-8"), "lxml")
    notes = soup.select("li[id^=fn]")
    assert notes
    for note in notes:
        links = [
            a["href"]
            for a in note.find_all("a")
            if a["href"].startswith("review.html#")
        ]
        assert len(links) == 1


def test_default_brief_review_has_a_card_per_claim_and_chart(
    default_brief: BuildResult,
) -> None:
    result = default_brief
    soup = BeautifulSoup((result.path / "review.html").read_text("utf-8"), "lxml")
    claims = load_claims(result.path)
    assert [s["id"] for s in soup.select("section.claim")] == [
        c.claim for c in claims.claims
    ]
    charts = soup.select("section.chart")
    assert [s["id"] for s in charts] == ["fig-partner-shares", "fig-china-share"]
    assert len(charts[0].select("tr")) == 1 + 30  # header and every snapshot row
    html = BeautifulSoup((result.path / "brief.html").read_text("utf-8"), "lxml")
    targets = {a["href"].split("#")[1] for a in html.select("a.tb-evidence")}
    assert targets <= {c.claim for c in claims.claims}
    assert len(targets) == len(html.select("li[id^=fn]"))


@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)"
)
@pytest.mark.parametrize("brief", ["pdf_brief", "default_brief"])
def test_browser_follows_a_footnote_to_its_card_and_sees_the_crop(
    brief: str, request: pytest.FixtureRequest
) -> None:
    from playwright.sync_api import sync_playwright

    built: BuildResult = request.getfixturevalue(brief)
    # The first claim quoted from a PDF.
    claim = next(c.claim for c in load_claims(built.path).claims if c.location.boxes)

    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
        )
        page = browser.new_page()
        page.on(
            "console", lambda m: errors.append(m.text) if m.type == "error" else None
        )
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((built.path / "brief.html").as_uri())
        page.locator(f'li[id^=fn] a.tb-evidence[href="review.html#{claim}"]').click()
        page.wait_for_load_state("load")
        assert page.url.endswith(f"/review.html#{claim}")
        card = page.locator(f"section#{claim}")
        assert card.is_visible()
        img = card.locator(".crop img")
        assert img.evaluate("i => i.complete && i.naturalWidth > 0")
        image_box = img.bounding_box()
        highlight = card.locator(".crop .hl").first.bounding_box()
        assert image_box and highlight
        assert highlight["width"] > 10 and highlight["height"] > 3
        assert image_box["x"] <= highlight["x"]
        assert (
            highlight["x"] + highlight["width"]
            <= image_box["x"] + image_box["width"] + 1
        )
        assert image_box["y"] <= highlight["y"]
        assert (
            highlight["y"] + highlight["height"]
            <= image_box["y"] + image_box["height"] + 1
        )
        browser.close()
    assert errors == []


def test_web_pages_are_cited_by_section(tmp_path: Path) -> None:
    from briefs.locate import locate
    from extract.readers import read_document
    from extract.records import Fact

    path = tmp_path / "page.html"
    path.write_text("<html><body><h1>Report</h1><p>Intro.</p><h2>Imports in 2024</h2>"
                    "<p>Imports rose 12% last year.</p></body></html>")  # fmt: skip
    text = read_document(path)
    at = text.text.index("Imports rose")
    fact = Fact("q1", "d", "quantity", "12%", at + 13, at + 16, 1,
                "Imports rose 12% last year.", at, at + 27)  # fmt: skip
    where = locate(fact, path, text)
    assert (where.kind, where.label) == ("section", "section “Imports in 2024”")


def test_default_brief_pdf_cards_show_the_page_crop(default_brief: BuildResult) -> None:
    # The default brief cites the two bundled CRS PDFs: their cards carry a
    # crop of the page, a real PNG, with one highlight per line box of the quote.
    soup = BeautifulSoup(
        (default_brief.path / "review.html").read_text("utf-8"), "lxml"
    )
    pdf_claims = [c for c in load_claims(default_brief.path).claims
                  if c.doc in ("crs-if12608", "crs-if13205")]  # fmt: skip
    assert {c.doc for c in pdf_claims} == {"crs-if12608", "crs-if13205"}
    assert len(pdf_claims) >= 3
    for claim in pdf_claims:
        card = soup.find(id=claim.claim)
        page = claim.location.page
        assert card.find("a", href=f"https://www.congress.gov/crs-product/"
                         f"{claim.doc[4:].upper()}#page={page}")  # fmt: skip
        crop = card.find(class_="crop")
        src = crop.find("img")["src"]
        png = base64.b64decode(src.removeprefix("data:image/png;base64,"))
        width, height = struct.unpack(">II", png[16:24])
        assert png.startswith(b"\x89PNG") and width > 300 and height > 50
        assert len(crop.find_all(class_="hl")) == len(claim.location.boxes) > 0


def test_a_card_without_a_url_links_the_local_file(default_brief: BuildResult) -> None:
    soup = BeautifulSoup(
        (default_brief.path / "review.html").read_text("utf-8"), "lxml"
    )
    link = soup.find(id="c1").find("a")
    # Relative, so the page moves with its tree and is the same in every checkout.
    assert not link["href"].startswith(("file:", "/"))
    target = (default_brief.path / unquote(link["href"])).resolve()
    assert target.parts[-3:] == (
        "corpus",
        "documents",
        "briefer-75-battery-dependence.md",
    )
    assert target.is_file()


def test_quote_boxes_on_a_real_crs_pdf() -> None:
    from briefs.locate import quote_boxes, squeeze
    from extract.corpus import sha256_of
    from extract.facts import extract_facts
    from extract.pages import load_pages
    from extract.readers import read_document
    from tests.conftest import shared

    path = shared("crs", "pdf", "in-focus", "IF10753.6.pdf")
    if not path.exists():
        pytest.skip(f"{path} not present")
    facts = [f for f in extract_facts(path.stem, sha256_of(path.read_bytes()),
                                      read_document(path), path=path)
             if f.kind == "quantity"][:20]  # fmt: skip
    pages = {p.number: p for p in load_pages(path)}
    located = 0
    for fact in facts:
        boxes = quote_boxes(path, fact)
        located += bool(boxes)
        inside = "".join(c.text for b in boxes
                         for c in pages[b.page].chars_in((b.x0, b.top, b.x1, b.bottom)))  # fmt: skip
        if boxes:  # the boxes hold the quote's characters (and little else)
            assert squeeze(fact.text) in squeeze(inside)
            assert len(squeeze(inside)) < 1.6 * len(squeeze(fact.quote)) + 40
    assert len(facts) >= 10 and located == len(facts)


def test_reader_notes_are_short_citations(default_brief: BuildResult) -> None:
    # Before: every note ended "(claim c1, fact qde13bba9968)" and named the full title.
    from pypdf import PdfReader

    soup = BeautifulSoup((default_brief.path / "brief.html").read_text("utf-8"), "lxml")
    html = " ".join(soup.get_text().split())
    reader = PdfReader(default_brief.path / "brief.pdf")
    pdf = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    for text in (html, pdf):
        assert not re.search(r"\bq[0-9a-f]{11}\b|\(claim c\d+|sha256", text)
    notes = [" ".join(li.get_text().split()) for li in soup.select("li[id^=fn]")]
    assert notes[0].startswith(
        "Taulli and Busby, The Devil Is in the Details, 2025, line 25: “The US imports"
    )
    assert any(n.startswith("Pollard, US, Japan Set to Sign Trade Deal") for n in notes)
