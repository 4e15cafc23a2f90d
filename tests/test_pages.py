"""The page model: characters, words and rects of a PDF page, parsed once."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from reportlab.pdfgen import canvas

from extract.pages import Page, load_pages, open_pdf, parse_page, words_of
from extract.readers.pdf import read_pdf_pages
from tests.conftest import shared

WIDTH, HEIGHT = 612.0, 792.0
TEXT = "China refined 73% of the world's lithium in 2024, and"


def build(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    c.setFont("Times-Roman", 11)
    c.drawString(72, 700, TEXT)
    c.setFont("Times-Bold", 11)
    c.drawString(72, 680, "Bold")
    c.setFont("Times-Roman", 11)
    c.drawString(72 + c.stringWidth("Bold", "Times-Bold", 11), 680, ", then roman.")
    c.setFillGray(0.9)
    c.rect(300, 400, 200, 100, stroke=0, fill=1)  # a shaded box
    c.setLineWidth(1)
    c.line(72, 600, 300, 600)  # a rule
    c.showPage()
    c.save()
    return path


@pytest.fixture
def page(tmp_path: Path) -> Page:
    (only,) = load_pages(build(tmp_path / "p.pdf"))
    return only


def test_words_as_pdfplumber_groups_them(page: Page, tmp_path: Path) -> None:
    with pdfplumber.open(build(tmp_path / "q.pdf")) as pdf:
        theirs = pdf.pages[0].extract_words(extra_attrs=["size"])
    first = [w for w in page.words if abs(w.top - page.words[0].top) < 1]
    assert " ".join(w.text for w in first) == TEXT
    want = [w for w in theirs if abs(w["top"] - theirs[0]["top"]) < 1]
    assert [w.text for w in first] == [w["text"] for w in want]
    for mine, their in zip(first, want, strict=True):
        # pdfium's font metrics for the standard fonts differ by up to a point
        assert (mine.x0, mine.x1, mine.top, mine.bottom) == pytest.approx(
            (their["x0"], their["x1"], their["top"], their["bottom"]), abs=1.5
        )


def test_a_font_change_inside_a_word_does_not_split_it(page: Page) -> None:
    second = [w for w in page.words if 675 < HEIGHT - w.bottom < 685]
    texts = [w.text for w in second]
    assert texts[:2] == ["Bold,", "then"]
    assert not second[0].bold  # bold only when every character is
    assert second[0].size == 11.0


def test_characters_carry_boxes_and_fonts(page: Page) -> None:
    chars = [c for c in page.chars if c.text != " "]
    assert "".join(c.text for c in chars).startswith("China")
    c = chars[0]
    assert c.x0 == pytest.approx(72, abs=1)
    assert c.bottom - c.top == pytest.approx(11)
    assert "Times" in c.font
    # a quote's boxes: the characters inside the first word's box
    word = page.words[0]
    inside = page.chars_in((word.x0, word.top, word.x1, word.bottom))
    assert "".join(ch.text for ch in inside) == "China"


def test_rects_rules_and_shading(page: Page) -> None:
    shaded = [r for r in page.rects if r.fill is not None and r.width > 100]
    assert len(shaded) == 1
    box = shaded[0]
    assert (box.x0, box.top, box.x1, box.bottom) == pytest.approx(
        (300, HEIGHT - 500, 500, HEIGHT - 400), abs=0.5
    )
    assert box.fill == pytest.approx(0.9, abs=0.01)
    (rule,) = page.rules
    assert rule.x0 == pytest.approx(72, abs=0.6)  # pdfium bounds take in the line cap
    assert rule.top == pytest.approx(HEIGHT - 600, abs=0.6)


def test_the_reader_keeps_its_parse_for_tables(tmp_path: Path) -> None:
    text, pages = read_pdf_pages(build(tmp_path / "r.pdf"))
    assert text.layout == pages
    assert pages[0].chars == ()  # kept without characters: memory
    assert pages[0].words


def test_parse_page_is_the_one_place_a_page_is_parsed(tmp_path: Path) -> None:
    pdf = open_pdf(build(tmp_path / "s.pdf"))
    try:
        page = parse_page(pdf, 1)
    finally:
        pdf.close()
    assert page.number == 1
    assert page.box == (0.0, 0.0, WIDTH, HEIGHT)
    assert tuple(words_of(page.chars)) == page.words


def test_line_end_hyphen_of_a_real_pdf() -> None:
    """pdfium marks a hyphen that ends a line with U+FFFE; it reads as "-"."""
    pdf = open_pdf(shared("crs", "pdf", "reports", "R48902.1.pdf"))
    try:
        words = [w.text for w in parse_page(pdf, 13).words]
    finally:
        pdf.close()
    assert "https://www.icann.org/en/icann-" in words
    assert not any("\ufffe" in w for w in words)
