"""The author's loop, run as an author runs it: new, list, corpus add, facts filters, watch."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from briefs.author import Metadata, add_document, plan_document, watch
from extract.corpus import load_corpus, sha256_of
from extract.errors import ExtractError, ManifestError
from extract.records import Fact
from extract.search import filter_facts, parse_value
from tests.conftest import CORPUS

BRIEF = Path(sys.executable).parent / "brief"


def brief(
    *args: str, cwd: Path, timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BRIEF), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, check=False)  # fmt: skip


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """An author's folder: the bundled corpus and an empty templates folder."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    (tmp_path / "templates").mkdir()
    return tmp_path


def make_pdf(path: Path, title: str, author: str) -> None:
    c = canvas.Canvas(str(path), pagesize=letter)
    c.setTitle(title)
    c.setAuthor(author)
    c.setCreator("test")
    c.drawString(72, 700, "Lithium Supply Notes")
    c.drawString(72, 680, "US imports of lithium carbonate rose 12% in 2024.")
    c.save()


def test_new_scaffolds_a_template_that_builds_at_once(work: Path) -> None:
    made = brief("new", "lithium-outlook", cwd=work)
    assert made.returncode == 0, made.stderr
    template = work / "templates" / "lithium-outlook.qmd.j2"
    assert f"wrote {template.relative_to(work)}" in made.stdout
    text = template.read_text(encoding="utf-8")
    assert "id: lithium-outlook" in text and '{{ fact("example") }}' in text
    built = brief(
        "build", str(template.relative_to(work)), "--engine", "builtin", cwd=work
    )
    assert built.returncode == 0, built.stderr
    assert "lithium-outlook: built v1 (1 claims" in built.stdout
    claims = json.loads((work / "out/lithium-outlook/v1/claims.json").read_text())
    assert len(claims["claims"] if isinstance(claims, dict) else claims) == 1
    again = brief("new", "lithium-outlook", cwd=work)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_new_refuses_a_name_that_is_not_a_slug(work: Path) -> None:
    made = brief("new", "Bad Name", cwd=work)
    assert made.returncode == 1
    assert made.stderr.startswith("Error: Bad Name: a brief name is a lowercase slug")


def test_list_shows_templates_briefs_and_versions(work: Path) -> None:
    assert brief("list", cwd=work).stdout.startswith("no templates in templates")
    shutil.copy(
        CORPUS.parent / "templates" / "battery-dependence.qmd.j2", work / "templates"
    )
    listed = brief("list", cwd=work)
    assert (
        "battery-dependence  templates/battery-dependence.qmd.j2  Still Running"
        in listed.stdout
    )
    assert "  not built yet" in listed.stdout
    assert brief("build", "--engine", "builtin", cwd=work).returncode == 0
    listed = brief("list", cwd=work).stdout.splitlines()
    assert listed[1].startswith("  v1  built 20") and listed[1].endswith("<- latest")


def test_corpus_add_copies_the_file_and_writes_its_entry(
    work: Path, tmp_path: Path
) -> None:
    pdf = tmp_path / "lithium-notes.pdf"
    make_pdf(pdf, "Lithium Supply Notes", "A. Analyst")
    added = brief("corpus", "add", str(pdf), "--kind", "analysis", "--date", "2026-11",
                  "--url", "https://example.org/notes.pdf", cwd=work)  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert 'title = "Lithium Supply Notes"' in added.stdout
    assert "# read off the file: title, authors" in added.stdout
    corpus = load_corpus(work / "corpus")
    doc = corpus.get("lithium-notes")
    assert (doc.path, doc.kind, doc.date, doc.authors) == (
        "documents/lithium-notes.pdf", "analysis", "2026-11", ("A. Analyst",))  # fmt: skip
    assert doc.sha256 == sha256_of(pdf.read_bytes())
    assert (
        work / "corpus" / "documents" / "lithium-notes.pdf"
    ).read_bytes() == pdf.read_bytes()
    extracted = brief("extract", cwd=work)
    assert extracted.returncode == 0, extracted.stderr
    found = brief("facts", "--doc", "lithium-notes", "--value", "12%", cwd=work)
    assert "[12%]" in found.stdout


def test_corpus_add_twice_is_one_error_and_changes_nothing(
    work: Path, tmp_path: Path
) -> None:
    note = tmp_path / "note.md"
    note.write_text("# A note on graphite\n\nGraphite exports fell 20% in 2024.\n")
    assert brief("corpus", "add", str(note), "--kind", "news", cwd=work).returncode == 0
    manifest = (work / "corpus" / "corpus.toml").read_bytes()
    again = brief(
        "corpus", "add", str(note), "--kind", "news", "--id", "other", cwd=work
    )
    assert again.returncode == 1
    assert again.stderr.strip() == f"Error: {note}: is already in the corpus as 'note'"
    assert (work / "corpus" / "corpus.toml").read_bytes() == manifest
    entry = tomllib.loads(manifest.decode())["document"][-1]
    assert entry["title"] == "A note on graphite"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "5 May 2025"], "is not YYYY, YYYY-MM or YYYY-MM-DD"),
        (["--id", "Bad_Id"], "is not a lowercase slug"),
        (["--url", "javascript:alert(1)"], "'url' must be an http:// or https://"),
    ],
)
def test_corpus_add_bad_metadata_writes_nothing(
    work: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Some text.\n")
    before = (work / "corpus" / "corpus.toml").read_bytes()
    added = brief("corpus", "add", str(note), "--kind", "news", *args, cwd=work)
    assert added.returncode == 1 and message in added.stderr
    assert len(added.stderr.strip().splitlines()) == 1
    assert (work / "corpus" / "corpus.toml").read_bytes() == before
    assert not (work / "corpus" / "documents" / "note.txt").exists()


def test_add_document_undoes_the_copy_when_the_manifest_fails(
    work: Path, tmp_path: Path
) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Some text.\n")
    entry = plan_document(work / "corpus", note, Metadata("news"))
    broken = entry.__class__(
        **{**{f: getattr(entry, f) for f in entry.__slots__}, "kind": "zine"}
    )
    before = (work / "corpus" / "corpus.toml").read_bytes()
    with pytest.raises(ManifestError, match="unknown kind 'zine'"):
        add_document(work / "corpus", note, broken)
    assert (work / "corpus" / "corpus.toml").read_bytes() == before
    assert not (work / "corpus" / "documents" / "note.txt").exists()


def fact(value: float, unit: str, year: int | None, quote: str, text: str) -> Fact:
    start = quote.index(text)
    return Fact(id="q0", doc="d", kind="quantity", text=text, start=start,
                end=start + len(text), page=1, quote=quote, quote_start=0,
                quote_end=len(quote), value=value, unit=unit, year=year)  # fmt: skip


def test_values_are_read_as_authors_type_them() -> None:
    assert parse_value("18.74B").value == pytest.approx(18.74e9)
    assert (parse_value("$3,750").value, parse_value("$3,750").unit) == (3750, "usd")
    assert (parse_value("73%").value, parse_value("73%").unit) == (73, "percent")
    assert parse_value("1.2 trillion").value == pytest.approx(1.2e12)
    with pytest.raises(ExtractError, match="is not a value"):
        parse_value("lots")


def test_filters_by_value_unit_year_and_nearby_words() -> None:
    facts = [
        fact(
            18.74e9,
            "usd",
            2024,
            "Imports of batteries were $18.74B in 2024.",
            "$18.74B",
        ),
        fact(73, "percent", 2023, "China's imports rose to 73% by 2023.", "73%"),
        fact(
            73,
            "count",
            None,
            "There were 73 mines in 1990, long before China's imports grew.",
            "73",
        ),
    ]
    assert [f.text for f in filter_facts(facts, value="18.8B")] == []
    assert [f.text for f in filter_facts(facts, value="18.7B")] == ["$18.74B"]
    assert [f.text for f in filter_facts(facts, value="18.74B")] == ["$18.74B"]
    assert [f.unit for f in filter_facts(facts, value="73")] == ["percent", "count"]
    assert [f.unit for f in filter_facts(facts, value="73%")] == ["percent"]
    assert [f.text for f in filter_facts(facts, year=2024, unit="usd")] == ["$18.74B"]
    # both sentences hold "china" and "imports"; the nearer mention comes first
    assert [f.text for f in filter_facts(facts, phrase="China imports")] == [
        "73%",
        "73",
    ]


def test_watch_rebuilds_when_a_watched_file_changes(tmp_path: Path) -> None:
    watched = tmp_path / "t.qmd.j2"
    watched.write_text("one")
    builds: list[str] = []

    def rebuild() -> None:
        builds.append(watched.read_text())
        if len(builds) == 1:
            time.sleep(0.05)
            os.utime(watched, ns=(0, 0))
            watched.write_text("two")

    watch([watched], rebuild, interval=0.05, stop=lambda: len(builds) >= 2)
    assert builds == ["one", "two"]


def test_build_watch_rebuilds_on_save(work: Path) -> None:
    assert brief("new", "watched", cwd=work).returncode == 0
    template = work / "templates" / "watched.qmd.j2"
    proc = subprocess.Popen([str(BRIEF), "build", "--watch", "--engine", "builtin"],
                            cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)  # fmt: skip
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 150
        for line in proc.stdout:
            lines.append(line)
            if "watched: built v1" in line:
                template.write_text(
                    template.read_text().replace("## Key points", "## Points")
                )
            if "open out/watched/v2" in line or time.monotonic() > deadline:
                break
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
    out = "".join(lines)
    assert "watched: built v2" in out, out
    assert "open out/watched/v2/brief.html" in out
