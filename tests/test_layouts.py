"""Hard layouts on PDFs the tests build: shaded boxes, captions, page breaks.

Each test draws a page the way CRS products set it (two columns of 10-point
Times, a shaded sidebar, a caption) and reads it back with the PDF reader.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from extract.readers.pdf import read_pdf
from tests.conftest import shared

WIDTH, HEIGHT = 612.0, 792.0
LEFT, RIGHT, COLUMN = 72.0, 322.0, 218.0
FONT, SIZE, LEADING = "Times-Roman", 10.0, 12.0

PARAGRAPH = (
    "The plan characterizes structural economic issues as strong market "
    "openings for foreign investors, and it sets targets for the share of "
    "advanced manufacturing in output by 2030. "
    * 6
    + "Officials said the targets would be reviewed every two years."
)
BOX = (
    "Box text. The autonomous region publishes its own list of controlled "
    "goods, which the central ministry approves each year."
)


def write_lines(c: canvas.Canvas, text: str, x: float, y: float, width: float) -> float:
    """Draw ``text`` wrapped to ``width`` from baseline ``y``; the next free y."""
    c.setFont(FONT, SIZE)
    for line in simpleSplit(text, FONT, SIZE, width):
        c.drawString(x, y, line)
        y -= LEADING
    return y


def two_columns_with_a_box(path: Path) -> Path:
    """The left column's paragraph runs on into the right column, under a
    shaded box at the top of the right column."""
    c = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    lines = simpleSplit(PARAGRAPH, FONT, SIZE, COLUMN)
    in_left = len(lines) // 2  # the rest runs on under the box
    c.setFont(FONT, SIZE)
    y = 720.0
    for line in lines[:in_left]:
        c.drawString(LEFT, y, line)
        y -= LEADING
    c.setFillGray(0.88)
    c.rect(RIGHT - 6, 620, COLUMN + 12, 106, stroke=0, fill=1)
    c.setFillGray(0)
    write_lines(c, BOX, RIGHT, 712, COLUMN)
    y = 600.0
    for line in lines[in_left:]:
        c.drawString(RIGHT, y, line)
        y -= LEADING
    c.showPage()
    c.save()
    return path


def test_a_shaded_box_is_a_block_of_its_own(tmp_path: Path) -> None:
    doc = read_pdf(two_columns_with_a_box(tmp_path / "box.pdf"))
    texts = [doc.block_text(b) for b in doc.blocks]
    assert " ".join(PARAGRAPH.split()) in texts  # joined across the column break
    assert " ".join(BOX.split()) in texts  # the box read whole, on its own
    assert not any("Box text" in t and "plan" in t for t in texts)


def across_a_page_break(path: Path) -> Path:
    """A paragraph cut at the foot of page 1, under it a footnote; it goes on
    at the top of page 2."""
    c = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    lines = simpleSplit(PARAGRAPH, FONT, SIZE, 468)
    c.setFont(FONT, SIZE)
    y = 160.0
    for line in lines[:5]:
        c.drawString(LEFT, y, line)
        y -= LEADING
    c.setFont(FONT, 8)
    c.drawString(LEFT, 72, "1 A footnote in smaller type, at the foot of the page.")
    c.showPage()
    c.setFont(FONT, SIZE)
    y = 720.0
    for line in lines[5:]:
        c.drawString(LEFT, y, line)
        y -= LEADING
    c.showPage()
    c.save()
    return path


def test_a_paragraph_cut_by_a_page_break_is_one_block(tmp_path: Path) -> None:
    doc = read_pdf(across_a_page_break(tmp_path / "break.pdf"))
    joined = " ".join(PARAGRAPH.split())
    (block,) = [b for b in doc.blocks if doc.block_text(b) == joined]
    assert block.page == 1
    ((start, page, bbox),) = block.continued
    assert page == 2 and bbox[1] < 100  # the top of page 2
    assert doc.page_at(block.start) == 1
    assert doc.page_at(block.end - 1) == 2
    assert doc.page_at(start) == 2 and doc.page_at(start - 2) == 1
    footnote = [b for b in doc.blocks if doc.block_text(b).startswith("1 A footnote")]
    assert footnote and footnote[0].page == 1


def test_crs_if12608_paragraph_continues_past_the_page_break() -> None:
    """IF12608 page 1 ends mid-sentence ("... in 1994 (59"); the quote must not."""
    doc = read_pdf(shared("crs", "pdf", "in-focus", "IF12608.18.pdf"))
    texts = [doc.block_text(b) for b in doc.blocks]
    assert not any(t.rstrip().endswith("in 1994 (59") for t in texts)
    at = doc.text.index("in 1994 (59 FR 66942)")
    assert doc.page_at(at) == 1
    assert doc.page_at(at + len("in 1994 (59 ")) == 2


def tight_caption(path: Path) -> Path:
    """A caption set tight, as Word does: the space after "2." is narrower
    than the gap a word break needs (pdfplumber reads "2.Treatment")."""
    c = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    text = c.beginText(LEFT, 700)
    text.setFont("Helvetica-Bold", 10)
    text.setCharSpace(-1.2)
    text.textOut("Table 2. Treatment of Imports")
    c.drawText(text)
    write_lines(c, BOX, LEFT, 680, 468)
    c.showPage()
    c.save()
    return path


def test_a_tight_caption_keeps_its_space(tmp_path: Path) -> None:
    doc = read_pdf(tight_caption(tmp_path / "caption.pdf"))
    caption = doc.block_text(doc.blocks[0])
    assert caption == "Table 2. Treatment of Imports"
    assert doc.blocks[0].kind == "caption"


@pytest.mark.parametrize("name", ["IF13204", "IN12614"])
def test_crs_products_named_in_the_issue(name: str) -> None:
    found = sorted(shared("crs", "pdf").rglob(f"{name}*.pdf"))
    if not found:
        pytest.skip(f"{name} is not among the shared CRS PDFs")
    doc = read_pdf(found[0])
    assert "Table 2.Treatment" not in doc.text


def test_crs_in12682_heading_keeps_its_spaces() -> None:
    """pdfium's space in a 14-point heading sits off the baseline; it still
    parts the words ("Who Have Addressed", not "Who HaveAddressed")."""
    doc = read_pdf(shared("crs", "pdf", "insights", "IN12682.2.pdf"))
    assert "Past Kings and Queens Who Have Addressed a Joint Meeting" in doc.text
