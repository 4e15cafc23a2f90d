"""Hard layouts on PDFs the tests build: shaded boxes, captions, page breaks.

Each test draws a page the way CRS products set it (two columns of 10-point
Times, a shaded sidebar, a caption) and reads it back with the PDF reader.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
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


# ------------------------------------------------------- columns and gutters

PROSE = (
    "Congress appropriated the requested total for the fiscal year in "
    "discretionary funding and provided funding for types of accounts that "
    "were in some cases more than the request and in other cases less than "
    "the request for research and development. "
)
WORDS = PROSE.split()


def _wrap(words: list[str], widths: list[float]) -> list[str]:
    """Greedy wrap of ``words``, line ``i`` at most ``widths[i % len(widths)]`` wide."""
    lines: list[str] = []
    line = ""
    for w in words:
        trial = f"{line} {w}".strip()
        if line and stringWidth(trial, FONT, SIZE) > widths[len(lines) % len(widths)]:
            lines.append(line)
            line = w
        else:
            line = trial
    return [*lines, line] if line else lines


def _draw(c: canvas.Canvas, lines: list[str], x: float, y: float) -> float:
    c.setFont(FONT, SIZE)
    for line in lines:
        c.drawString(x, y, line)
        y -= LEADING
    return y


def _joined(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def ragged_gutter(path: Path) -> tuple[list[str], list[str]]:
    """Two columns; a few of the left column's lines run on to within a few
    points of the right column (IF12135 page 2), the rest stop well short."""
    c = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    left = _wrap(WORDS * 5, [200.0] * 7 + [226.0])  # every 8th line pokes out
    right = _wrap(WORDS * 5, [210.0])
    _draw(c, left, LEFT, 720)
    _draw(c, right, 330.0, 720)
    c.showPage()
    c.save()
    return left, right


def test_ragged_line_ends_do_not_cut_the_columns(tmp_path: Path) -> None:
    left, right = ragged_gutter(tmp_path / "ragged.pdf")
    assert 216 < max(stringWidth(x, FONT, SIZE) for x in left) < 228  # into the gutter
    doc = read_pdf(tmp_path / "ragged.pdf")
    texts = [doc.block_text(b) for b in doc.blocks]
    assert texts == [_joined(left), _joined(right)]


def bullets_beside_the_gutter(path: Path) -> tuple[list[str], list[list[str]]]:
    """A left column of prose; a right column of bulleted items whose bullets
    stand apart from their indented text (IF12610 page 2)."""
    c = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    left = _wrap(WORDS * 4, [COLUMN])
    _draw(c, left, LEFT, 720)
    items = [_wrap((WORDS * 3)[k : k + 25], [200.0]) for k in range(0, 75, 15)]
    y = 720.0
    for item in items:
        c.setFont(FONT, SIZE)
        c.drawString(RIGHT, y, "\u2022")
        y = _draw(c, item, RIGHT + 16, y) - 6
    c.showPage()
    c.save()
    return left, items


def test_bullets_between_gutter_and_text_are_not_a_column(tmp_path: Path) -> None:
    left, items = bullets_beside_the_gutter(tmp_path / "bullets.pdf")
    doc = read_pdf(tmp_path / "bullets.pdf")
    texts = [doc.block_text(b) for b in doc.blocks]
    assert texts == [_joined(left), *(f"\u2022 {_joined(i)}" for i in items)]


def table_in_a_column(path: Path) -> list[list[str]]:
    """A left column whose prose frames a table of short rows (more lines
    than the prose, IF13201's Table 1); a right column of prose."""
    c = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    first, last = _wrap(WORDS, [COLUMN]), _wrap(WORDS * 2, [COLUMN])
    y = _draw(c, first, LEFT, 740) - 10
    for year in range(2000, 2026):
        c.drawString(LEFT + 20, y, str(year))
        c.drawString(LEFT + 100, y, f"${year - 1990} million")
        y -= LEADING
    _draw(c, last, LEFT, y - 10)
    right = _wrap(WORDS * 5, [COLUMN])
    _draw(c, right, RIGHT, 740)
    c.showPage()
    c.save()
    return [first, last, right]


def test_a_table_of_short_rows_in_a_column_keeps_the_columns(tmp_path: Path) -> None:
    paragraphs = table_in_a_column(tmp_path / "table.pdf")
    doc = read_pdf(tmp_path / "table.pdf")
    texts = [doc.block_text(b) for b in doc.blocks]
    for lines in paragraphs:
        assert _joined(lines) in texts


def summary_sidebar(path: Path) -> tuple[list[str], list[str]]:
    """An R report's summary page: the text beside a narrow shaded sidebar
    (111 points wide) that holds the authors' names."""
    c = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    c.setFillGray(0.92)
    c.rect(454.5, 537, 111, 170, stroke=0, fill=1)
    c.setFillGray(0)
    side = ["April 14, 2026", "Laurie Harris", "Analyst in Science and",
            "Technology Policy", "Rachael D. Roan", "Senior Research Librarian"]  # fmt: skip
    _draw(c, side, 460.0, 690)
    body = _wrap(WORDS * 3, [370.0] * 12 + [468.0])
    _draw(c, body, LEFT, 690)
    c.showPage()
    c.save()
    return body, side


def test_a_narrow_shaded_sidebar_is_a_block_of_its_own(tmp_path: Path) -> None:
    body, side = summary_sidebar(tmp_path / "summary.pdf")
    doc = read_pdf(tmp_path / "summary.pdf")
    texts = [doc.block_text(b) for b in doc.blocks]
    assert _joined(body) in texts
    assert not any(side[1] in t and "Congress" in t for t in texts)


def shaded_table_row(path: Path) -> Path:
    """A table row shaded cell by cell, each cell a rect as wide as a
    sidebar (IF11961's Table 1): a row to read across, not four boxes."""
    c = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    y = write_lines(c, PARAGRAPH, LEFT, 720, 468)
    c.setFillGray(0.95)
    for k in range(4):
        c.rect(LEFT + 117 * k, y - 40, 117, 44, stroke=0, fill=1)
    c.setFillGray(0)
    for k, cell in enumerate(
        ["Requirements payments", "$3 billion", "$2.3 billion", "Complying"]
    ):
        c.drawString(LEFT + 117 * k + 4, y - 10, cell)
    write_lines(c, BOX, LEFT, y - 60, 468)
    c.showPage()
    c.save()
    return path


def test_a_shaded_table_row_is_read_across(tmp_path: Path) -> None:
    doc = read_pdf(shaded_table_row(tmp_path / "row.pdf"))
    row = doc.text.index("Requirements payments $3 billion $2.3 billion Complying")
    assert doc.text.index("Officials said") < row < doc.text.index("Box text.")


def columns_above_a_wide_table(path: Path) -> list[list[str]]:
    """A page of two columns, then a page with two columns at the top and a
    table across the page below them (IF12255 page 2): no gutter runs down
    the whole of that page."""
    c = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    _draw(c, _wrap(WORDS * 5, [COLUMN]), LEFT, 700)
    _draw(c, _wrap(WORDS * 5, [COLUMN]), RIGHT, 700)
    c.showPage()
    left, right = _wrap(WORDS * 2, [COLUMN]), _wrap(WORDS, [COLUMN])
    _draw(c, left, LEFT, 700)
    _draw(c, right, RIGHT, 700)
    y = 700 - LEADING * len(left) - 30
    for row in range(32):
        for k, cell in enumerate(["Program", "Food and Nutrition Act", "$103 billion"]):
            c.drawString(LEFT + [0, 180, 400][k], y, f"{cell} {row}")
        y -= LEADING
    c.showPage()
    c.save()
    return [left, right]


def test_columns_above_a_table_across_the_page(tmp_path: Path) -> None:
    paragraphs = columns_above_a_wide_table(tmp_path / "wide.pdf")
    doc = read_pdf(tmp_path / "wide.pdf")
    texts = [doc.block_text(b) for b in doc.blocks]
    for lines in paragraphs:
        assert _joined(lines) in texts
    assert "Program 0 Food and Nutrition Act 0 $103 billion 0" in doc.text  # across


def test_a_name_hyphenated_at_a_line_end_keeps_its_hyphen(tmp_path: Path) -> None:
    c = canvas.Canvas(str(tmp_path / "hyphen.pdf"), pagesize=(WIDTH, HEIGHT))
    lines = ["The enacted bill reconciled differences between the House- and Senate-",
             "passed provisions, and the transportation title was left as it was."]  # fmt: skip
    _draw(c, lines, LEFT, 700)
    c.showPage()
    c.save()
    doc = read_pdf(tmp_path / "hyphen.pdf")
    assert doc.text == (
        "The enacted bill reconciled differences between the House- and "
        "Senate-passed provisions, and the transportation title was left as it was."
    )


def drop_cap_after_contents(path: Path) -> Path:
    """A contents page whose last entry ends in leader dots and a page
    number; then a page whose first paragraph opens with a drop cap three
    lines tall (the introduction of a CRS report)."""
    c = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    c.setFont(FONT, SIZE)
    c.drawString(LEFT, 700, "Author Information " + "." * 60 + " 16")
    c.showPage()
    c.setFont(FONT, 51)
    c.drawString(LEFT, 664, "T")
    x = LEFT + stringWidth("T", FONT, 51)
    lines = ["he Act of May 15, 1862, established the Department of Agriculture",
             "as a federal department to acquire and to diffuse among the people",
             "useful information on subjects connected with agriculture in the",
             "most general and comprehensive sense of that word."]  # fmt: skip
    _draw(c, lines[:3], x, 700)
    _draw(c, lines[3:], LEFT, 700 - 3 * LEADING)
    c.showPage()
    c.save()
    return path


def test_a_drop_cap_opens_its_paragraph(tmp_path: Path) -> None:
    doc = read_pdf(drop_cap_after_contents(tmp_path / "cap.pdf"))
    texts = [doc.block_text(b) for b in doc.blocks]
    assert texts[-1] == (
        "The Act of May 15, 1862, established the Department of Agriculture as a "
        "federal department to acquire and to diffuse among the people useful "
        "information on subjects connected with agriculture in the most general "
        "and comprehensive sense of that word."
    )
    assert texts[0].endswith(" 16")  # the contents entry is not continued


LINK = "see https://www.example.gov/reports/2026/annual-reviews"  # ends in the gutter


def link_into_the_gutter(path: Path, gap_beside: bool) -> list[list[str]]:
    """Two columns; a line of the left column, a long link, runs on into the
    gutter. Beside it the right column has a line of its own, or (with
    ``gap_beside``) the blank line between two paragraphs."""
    c = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    left = _wrap(WORDS * 3, [COLUMN])
    left.insert(6, LINK)
    _draw(c, left, LEFT, 700)
    if not gap_beside:
        right = _wrap(WORDS * 3, [COLUMN])
        _draw(c, right, RIGHT, 700)
        paragraphs = [left, right]
    else:
        first, second = _wrap(WORDS, [COLUMN]), _wrap(WORDS * 2, [COLUMN])
        _draw(c, first, RIGHT, 700 - LEADING * (6 - len(first)))  # ends above it
        _draw(c, second, RIGHT, 700 - LEADING * 7.5)
        paragraphs = [left, first, second]
    c.showPage()
    c.save()
    return paragraphs


@pytest.mark.parametrize("gap_beside", [False, True])
def test_a_link_run_into_the_gutter_does_not_cut_its_paragraph(
    tmp_path: Path, gap_beside: bool
) -> None:
    """The IF12135 fault: a paragraph cut where a line crosses the gutter was
    joined to the top of the next column, mid-sentence, while its own next
    line stood alone further on."""
    paragraphs = link_into_the_gutter(tmp_path / "link.pdf", gap_beside)
    doc = read_pdf(tmp_path / "link.pdf")
    texts = [doc.block_text(b) for b in doc.blocks]
    assert texts == [_joined(p) for p in paragraphs]


def test_a_note_across_the_page_keeps_its_short_last_line(tmp_path: Path) -> None:
    """A source note under two columns runs across the page; its short last
    line does not cross the gutter, so it falls in the band below (IF11962,
    IF13013): it still ends the note."""
    c = canvas.Canvas(str(tmp_path / "note.pdf"), pagesize=(WIDTH, HEIGHT))
    left, right = _wrap(WORDS * 3, [COLUMN]), _wrap(WORDS * 3, [COLUMN])
    _draw(c, left, LEFT, 700)
    _draw(c, right, RIGHT, 700)
    note = "Notes: This table is intended to be illustrative rather than comprehensive."
    c.setFont(FONT, 8)
    y = 700 - LEADING * len(left) - 8
    c.drawString(LEFT, y, note + " Each sample answer includes an example from bill")
    c.drawString(LEFT, y - 10, "language.")
    c.showPage()
    c.save()
    doc = read_pdf(tmp_path / "note.pdf")
    texts = [doc.block_text(b) for b in doc.blocks]
    assert texts[-1] == (
        note + " Each sample answer includes an example from bill language."
    )


def test_a_compound_hyphenated_at_a_line_end_keeps_its_hyphen(tmp_path: Path) -> None:
    """Word processors do not hyphenate words: "multi-" / "year" is the
    compound multi-year (IN12317), unless the document writes it whole."""
    c = canvas.Canvas(str(tmp_path / "compound.pdf"), pagesize=(WIDTH, HEIGHT))
    lines = ["Congress could consider whether a multi-",
             "year authorization would help, given hate-",
             "motivated attacks and the trans-", "portation of the transportation."]  # fmt: skip
    _draw(c, lines, LEFT, 700)
    c.showPage()
    c.save()
    assert read_pdf(tmp_path / "compound.pdf").text == (
        "Congress could consider whether a multi-year authorization would help, "
        "given hate-motivated attacks and the transportation of the transportation."
    )


@pytest.mark.parametrize(
    ("path", "sentences"),
    [
        (
            ("in-focus", "IF12135.30.pdf"),  # ragged ends poked into the gutter
            [
                "has coordinated closely with the Philippine government on every "
                "aspect of the MRC deployment, including the location",
                "Congress might examine progress of the CAML program and its "
                "suitability",
                "conducted a SM - 6 live fire on July 15, 2025, successfully sinking",
            ],
        ),
        (
            ("in-focus", "IF12610.6.pdf"),  # bullets beside the gutter
            [
                "SSC, based at Los Angeles Air Force Base in California, handles "
                "acquisition.",
                "Congress provided funding for types of accounts that were in some "
                "cases more than (procurement and personnel)",
            ],
        ),
        (
            (
                "in-focus",
                "IF13201v1-soft-targets-and-the-nonprofit-security-grant-pr.pdf",
            ),
            [  # a table of short rows in the left column
                "The purpose of this state-level, risk-based approach is to ensure "
                "that organizations facing the highest threat levels receive "
                "priority access to limited federal funding.",
            ],
        ),
        (
            ("in-focus", "IF12255.6.pdf"),  # columns above a table across the page
            [
                "The Biden Administration\u2019s 2021 implementation of this provision "
                "(increasing SNAP benefit amounts by approximately 21%) has been a "
                "recent point of contention.",
                "reconciled significant differences between the House- and "
                "Senate-passed SNAP provisions",  # a name's compound at a line end
            ],
        ),
        (
            ("reports", "R48905.1.pdf"),  # a drop cap three lines tall
            [
                "The Act of May 15, 1862, established the U.S. Department of "
                "Agriculture (USDA) as a federal department",
            ],
        ),
        (
            ("in-focus", "IF11962.9.pdf"),  # a note's last line under a span
            [
                "Each sample answer includes an example from bill text or report "
                "language.",
            ],
        ),
        (
            ("insights", "IN12317.3.pdf"),  # a compound at a line end
            ["or others (e.g., multi-year authorization), would best support"],
        ),
        (
            ("in-focus", "IF12608.18.pdf"),  # a title's word space over the gutter
            ["Jurisdiction: Brief Background and Recent Developments"],
        ),
        (
            ("reports", "R48909.1.pdf"),  # the summary page's narrow sidebar
            [
                "With interest in AI remaining high, Congress may continue to "
                "engage in AI policymaking.",
                "Over the past few Congresses, Members have considered a variety "
                "of policies and legislation associated with AI technologies",
            ],
        ),
    ],
)
def test_crs_column_layouts(path: tuple[str, str], sentences: list[str]) -> None:
    doc = read_pdf(shared("crs", "pdf", *path))
    for sentence in sentences:
        assert sentence in doc.text
