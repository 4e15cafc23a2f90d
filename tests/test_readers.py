"""Text, markdown and HTML readers, and the dispatch between readers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extract.errors import ReadError
from extract.readers import read_document, sniff_format
from extract.records import DocumentText
from tests.conftest import CORPUS


def kinds_and_texts(doc: DocumentText) -> list[tuple[str, str]]:
    return [(b.kind, doc.block_text(b)) for b in doc.blocks]


def check_invariants(doc: DocumentText) -> None:
    """Blocks sorted, non-overlapping, separated by whitespace or markers only."""
    prev = 0
    for b in doc.blocks:
        assert prev <= b.start < b.end <= len(doc.text)
        assert re.fullmatch(r"[\s#*•▪\d.-]*", doc.text[prev : b.start])
        assert doc.block_text(b) == doc.block_text(b).strip()
        prev = b.end


def test_markdown_blocks(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "# Title\n\nFirst paragraph.\n\n- one item\n- two items\n\n"
        "1. **Numbered:** item\n\nFIGURE 1: A CAPTION\n\n"
        "\tA\tB\n\tx 1%\ty 2%\n\nLast line.\n",
        encoding="utf-8",
    )
    doc = read_document(path)
    check_invariants(doc)
    assert kinds_and_texts(doc) == [
        ("heading", "Title"),
        ("paragraph", "First paragraph."),
        ("list_item", "one item"),
        ("list_item", "two items"),
        ("list_item", "**Numbered:** item"),
        ("caption", "FIGURE 1: A CAPTION"),
        ("table", "A\tB\n\tx 1%\ty 2%"),
        ("paragraph", "Last line."),
    ]


def test_hard_wrapped_run_is_one_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.txt"
    path.write_text("The United States and Japan\nsigned an agreement\non minerals.\n")
    doc = read_document(path)
    assert kinds_and_texts(doc) == [
        ("paragraph", "The United States and Japan\nsigned an agreement\non minerals.")
    ]


def test_long_lines_are_paragraphs_each(tmp_path: Path) -> None:
    long_a = "A" + " sentence about export controls" * 5 + "."
    long_b = "Another" + " sentence about rare earth items" * 5 + "."
    path = tmp_path / "web.txt"
    path.write_text(f"{long_a}\n{long_b}\n")
    doc = read_document(path)
    assert [doc.block_text(b) for b in doc.blocks] == [long_a, long_b]


def test_offsets_point_into_the_file_itself() -> None:
    path = CORPUS / "documents" / "briefer-75-battery-dependence.md"
    doc = read_document(path)
    check_invariants(doc)
    assert doc.text == path.read_text(encoding="utf-8")
    heading = next(b for b in doc.blocks if doc.block_text(b) == "EXECUTIVE SUMMARY")
    assert heading.kind == "heading"


@pytest.mark.parametrize(
    "name", sorted(p.name for p in (CORPUS / "documents").iterdir())
)
def test_every_corpus_document_reads(name: str) -> None:
    doc = read_document(CORPUS / "documents" / name)
    check_invariants(doc)
    assert len(doc.blocks) >= 3  # the interleaved CRS seed is 3 long blocks


def test_html_main_text_without_furniture(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        """<!doctype html><html><head><title>T</title><script>var x=1;</script></head>
        <body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
        <header class="site-header">Site banner</header>
        <div class="share-bar">Share on X</div>
        <main><h1>Export controls on  graphite</h1>
        <p>China controls <b>91%</b> of anode
           production.</p>
        <ul><li>Lithium</li><li>Cobalt <em>and</em> nickel</li></ul>
        <figure><img src="x.png"><figcaption>Figure 1. Anode share</figcaption></figure>
        <table><tr><th>Country</th><th>Share</th></tr><tr><td>China</td><td>91%</td></tr></table>
        </main><footer>Copyright 2025</footer><aside>Related stories</aside></body></html>""",
        encoding="utf-8",
    )
    doc = read_document(path)
    check_invariants(doc)
    assert kinds_and_texts(doc) == [
        ("heading", "Export controls on graphite"),
        ("paragraph", "China controls 91% of anode production."),
        ("list_item", "Lithium"),
        ("list_item", "Cobalt and nickel"),
        ("caption", "Figure 1. Anode share"),
        ("table", "Country\tShare\nChina\t91%"),
    ]
    for furniture in ("Home", "banner", "Share on", "Copyright", "Related", "var x"):
        assert furniture not in doc.text


def test_html_without_main_reads_body(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_text("<html><body><p>One.</p><p>Two.</p></body></html>")
    assert [doc_text for _, doc_text in kinds_and_texts(read_document(path))] == [
        "One.",
        "Two.",
    ]


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.pdf", b"", "pdf"),
        ("a.bin", b"%PDF-1.7", "pdf"),
        ("a.html", b"", "html"),
        ("a", b"  <!DOCTYPE html><html>", "html"),
        ("a.md", b"<html>", "text"),
        ("a", b"plain", "text"),
    ],
)
def test_sniff_format(name: str, head: bytes, expected: str) -> None:
    assert sniff_format(Path(name), head) == expected


def test_undecodable_text_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("line one\nCôte d'Ivoire\n".encode("latin-1"))
    with pytest.raises(ReadError, match=r"latin1\.txt: not valid UTF-8 at line 2"):
        read_document(path)


@pytest.mark.parametrize("content", [b"", b"  \n\n "])
def test_empty_text_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=r"empty\.txt: file is empty"):
        read_document(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"nope\.txt: file not found"):
        read_document(tmp_path / "nope.txt")


def test_html_table_caption_and_bare_div_text(tmp_path: Path) -> None:
    path = tmp_path / "news.html"
    path.write_text(
        """<html><body><article>
        <div class="lede">Graphite prices rose 12% in 2024.</div>
        <div><div>Nested text stands alone.</div><p>A paragraph.</p></div>
        <table><caption>Table 1. Anode output</caption>
          <tr><th>Firm</th><th>Share</th></tr><tr><td>BTR</td><td>18%</td></tr></table>
        </article></body></html>""",
        encoding="utf-8",
    )
    doc = read_document(path)
    check_invariants(doc)
    assert kinds_and_texts(doc) == [
        ("paragraph", "Graphite prices rose 12% in 2024."),
        ("paragraph", "Nested text stands alone."),
        ("paragraph", "A paragraph."),
        ("caption", "Table 1. Anode output"),
        ("table", "Firm\tShare\nBTR\t18%"),
    ]
