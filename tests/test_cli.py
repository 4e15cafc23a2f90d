"""The ``brief`` command, run as a user runs it: a subprocess of the installed script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from extract.corpus import load_corpus
from tests.conftest import CORPUS, CannedReply

BRIEF = Path(sys.executable).parent / "brief"


def brief(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BRIEF), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def assert_one_error(result: subprocess.CompletedProcess[str], *parts: str) -> None:
    """Exit 1, a single 'Error: ...' line naming what went wrong, no traceback."""
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for part in parts:
        assert part in lines[0]
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A work folder whose corpus has been extracted once."""
    work = tmp_path_factory.mktemp("work")
    result = brief("extract", "--corpus", str(CORPUS), cwd=work)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("7 documents (7 read, 0 unchanged), ")
    assert result.stdout.strip().endswith(".cache/tracebrief/facts.sqlite")
    return work


def test_extract_again_reads_nothing(extracted: Path) -> None:
    result = brief("extract", "--corpus", str(CORPUS), cwd=extracted)
    assert result.stdout.startswith("7 documents (0 read, 7 unchanged), ")


def test_facts_json_lines_follow_the_contract(extracted: Path) -> None:
    result = brief(
        "facts", "--json", "--doc", "briefer-75-battery-dependence", cwd=extracted
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) > 20
    text = (CORPUS / "documents" / "briefer-75-battery-dependence.md").read_text()
    for row in rows:
        assert {
            "id",
            "doc",
            "kind",
            "quote",
            "page",
            "start",
            "end",
            "value",
            "unit",
            "text",
            "qualifier",
            "year",
        } <= row.keys()
        assert text[row["start"] : row["end"]] == row["text"]
        assert text[row["quote_start"] : row["quote_end"]] == row["quote"]
    three_quarters = next(r for r in rows if r["text"] == "nearly three-quarters")
    assert (three_quarters["value"], three_quarters["unit"]) == (75, "percent")
    assert three_quarters["qualifier"] == "nearly"


def test_facts_grep_and_summary(extracted: Path) -> None:
    result = brief("facts", "--grep", "graphite", cwd=extracted)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    rows = brief("facts", "--grep", "graphite", "--json", cwd=extracted).stdout
    quotes = [json.loads(line)["quote"] for line in rows.splitlines()]
    assert len(lines) == len(quotes) > 5
    assert all("graphite" in q.lower() for q in quotes)
    summary = brief("facts", "--summary", cwd=extracted).stdout
    assert "crs-if12517" in summary and "total" in summary and "percent" in summary


def test_facts_of_a_file_outside_the_corpus(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("In 2024, China supplied 73% of US lithium-ion battery imports.\n")
    result = brief("facts", str(path), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    # The claim classifier also reads this statistic as a claim (a false
    # positive by tests/gold/claims/CLAIMS.md); the quantity is what is tested.
    (row,) = [r for r in rows if r["kind"] == "quantity"]
    assert (row["doc"], row["text"], row["value"], row["unit"], row["year"]) == (
        "note",
        "73%",
        73,
        "percent",
        2024,
    )


def test_text_prints_the_document(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body><nav>Menu</nav><p>Hello  world.</p></body></html>")
    result = brief("text", str(path), cwd=tmp_path)
    assert result.stdout == "Hello world.\n"


def test_text_separates_pages_with_a_form_feed(tmp_path: Path) -> None:
    path = tmp_path / "two.pdf"
    c = canvas.Canvas(str(path), pagesize=(612, 792))
    for words in ("The first page ends here.", "The second page starts here."):
        c.setFont("Times-Roman", 11)
        c.drawString(72, 700, words)
        c.showPage()
    c.save()
    result = brief("text", str(path), cwd=tmp_path)
    assert (
        result.stdout == "The first page ends here.\n\fThe second page starts here.\n"
    )


def test_facts_before_extract(tmp_path: Path) -> None:
    assert_one_error(brief("facts", cwd=tmp_path), "no fact store yet", "brief extract")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "bad.pdf"),
        (b"\x00\x01garbage" * 50, "bad.pdf"),
    ],
)
def test_bad_pdf(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    assert_one_error(brief("facts", str(path), cwd=tmp_path), str(path), message)
    assert_one_error(brief("text", str(path), cwd=tmp_path), str(path))


def test_undecodable_text(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Côte d'Ivoire exports 5% of it.\n".encode("latin-1"))
    assert_one_error(
        brief("facts", str(path), cwd=tmp_path),
        "latin1.txt",
        "not valid UTF-8 at line 1",
    )


def test_missing_file(tmp_path: Path) -> None:
    assert_one_error(
        brief("text", "nope.pdf", cwd=tmp_path), "nope.pdf", "file not found"
    )


def test_sha_mismatch_keeps_store(corpus_copy: Path, tmp_path: Path) -> None:
    assert brief("extract", "--corpus", str(corpus_copy), cwd=tmp_path).returncode == 0
    before = brief("facts", "--json", cwd=tmp_path).stdout
    doc = corpus_copy / "documents" / "crs-if12517.txt"
    doc.write_text(doc.read_text() + "edited\n")
    result = brief("extract", "--corpus", str(corpus_copy), cwd=tmp_path)
    assert_one_error(result, "crs-if12517.txt: sha256 is ", "update the manifest")
    assert brief("facts", "--json", cwd=tmp_path).stdout == before


def test_missing_corpus_file(corpus_copy: Path, tmp_path: Path) -> None:
    doc = load_corpus(corpus_copy).get("af-us-japan-ev-minerals-deal")
    (corpus_copy / doc.path).unlink()
    result = brief("extract", "--corpus", str(corpus_copy), cwd=tmp_path)
    assert_one_error(result, "af-us-japan-ev-minerals-deal.txt", "missing")


def test_unknown_kind(corpus_copy: Path, tmp_path: Path) -> None:
    manifest = corpus_copy / "corpus.toml"
    manifest.write_text(manifest.read_text().replace('kind = "news"', 'kind = "blog"'))
    result = brief("extract", "--corpus", str(corpus_copy), cwd=tmp_path)
    assert_one_error(result, "corpus.toml", "unknown kind 'blog'")


def test_trade_fetch_reads_a_cached_query(tmp_path: Path) -> None:
    from briefs.trade.fetch import fetch_census_imports

    recorded = (
        Path(__file__).parent
        / "fixtures"
        / "census"
        / "imports-hs-850760-partners.json"
    )
    body = recorded.read_bytes()
    cache = tmp_path / "cache"
    fetch_census_imports("850760", range(2024, 2025), True, cache, None,
                         opener=lambda request, timeout: CannedReply(body))  # fmt: skip
    result = brief("trade", "fetch", "--hts", "850760", "--years", "2024", "--by", "partner",
                   "--cache", str(cache), cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    from briefs.trade.census import load_census

    expected = len(load_census(recorded))
    assert expected > 0
    assert result.stdout.startswith(f"{expected} rows (2024) in ")
    assert result.stdout.strip().endswith(".json")


def test_trade_fetch_bad_years(tmp_path: Path) -> None:
    result = brief(
        "trade", "fetch", "--hts", "850760", "--years", "2024-2019", cwd=tmp_path
    )
    assert_one_error(result, "years '2024-2019' run backwards")


def test_tables_json_and_csv(tmp_path: Path) -> None:
    briefer = CORPUS / "documents" / "briefer-75-battery-dependence.md"
    result = brief("tables", str(briefer), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    tables = json.loads(result.stdout)
    table1 = next(t for t in tables if t["number"] == "Table 1")
    assert (
        table1["caption"]
        == "TABLE 1: US IMPORT DEPENDENCE OF BATTERY SUPPLY CHAIN MATERIALS"
    )
    assert len(table1["rows"]) == 10
    assert table1["rows"][0][-1] == "$18.74B"
    written = brief(
        "tables", str(briefer), "--csv", str(tmp_path / "csv"), cwd=tmp_path
    )
    paths = [Path(p) for p in written.stdout.split()]
    assert len(paths) == len(tables) == 3
    assert "Commodity,Partner #1" in paths[1].read_text(encoding="utf-8")


def test_facts_of_an_unknown_document_is_an_error(extracted: Path) -> None:
    # Before: printed nothing and exited 0.
    result = brief("facts", "--doc", "nosuch", cwd=extracted)
    assert_one_error(result, "no document 'nosuch' in the fact store (ids: af-us-japan")


def test_commands_without_nlp_never_load_spacy(tmp_path: Path) -> None:
    """spaCy's start-up is paid by the commands that read language, and only
    once per process: not by brief text, brief tables, or the build and trace
    modules (a build whose store is fresh extracts nothing)."""
    doc = CORPUS / "documents" / "crs-if12517.txt"
    code = (
        "import sys\n"
        "import briefs.build, briefs.trace\n"
        "from briefs.cli import main\n"
        "for args in (['text', sys.argv[1]], ['tables', sys.argv[1]]):\n"
        "    main(args, standalone_mode=False)\n"
        "print('SPACY' if 'spacy' in sys.modules else 'NO-SPACY')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(doc)],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )  # fmt: skip
    assert done.stdout.rstrip().endswith("NO-SPACY")
