"""Hostile PDFs (issue 11 items 3 and 4): budgets per page, no page lost silently.

Before: a 36 KB PDF with 3M glyphs raised MemoryError after about 65 s (12 KB
with 1M glyphs: 2.4 GB); garbage in one page's content stream dropped the page
with exit 0 and no word.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.hostile.bounded import run_bounded
from tests.hostile.pdfs import garbage_page, glyph_bomb, truncated_page, zip_bomb

BOMBS = {
    "glyphs-3m": (lambda: glyph_bomb(3_000_000), "about 3,000,000 glyphs"),
    "glyphs-1m": (lambda: glyph_bomb(1_000_000), "about 1,000,000 glyphs"),
    "inflate-64mb": (lambda: zip_bomb(64), "content inflates past 33,554,432 bytes"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
@pytest.mark.parametrize("command", ["facts", "text"])
def test_pdf_bomb_is_refused_naming_the_page(
    tmp_path: Path, name: str, command: str
) -> None:
    make, message = BOMBS[name]
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(make())
    assert path.stat().st_size < 300_000
    outcome = run_bounded([command, str(path)], tmp_path, memory_mb=1536, timeout=60)
    assert outcome.returncode == 1, outcome.stderr
    line = outcome.only_error
    assert line.startswith(f"Error: {path} page 2: the page"), line
    assert message in line
    assert outcome.peak_mb < 500, outcome.peak_mb


def test_a_lost_page_is_a_warning_and_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(garbage_page())
    outcome = run_bounded(["facts", str(path), "--summary"], tmp_path)
    assert outcome.returncode == 0, outcome.stderr
    assert "notice: garbage: page 2 was lost: its " in outcome.stdout
    warnings = outcome.stderr.strip().splitlines()
    assert len(warnings) == 1, outcome.stderr
    assert warnings[0].startswith(f"warning: {path} page 2: ")
    quiet = run_bounded(["-q", "facts", str(path), "--summary"], tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_the_store_records_lost_pages(tmp_path: Path) -> None:
    data = garbage_page()
    (tmp_path / "corpus" / "documents").mkdir(parents=True)
    (tmp_path / "corpus" / "documents" / "garbage.pdf").write_bytes(data)
    (tmp_path / "corpus" / "corpus.toml").write_text(
        '[[document]]\nid = "garbage"\nfile = "documents/garbage.pdf"\n'
        f'kind = "news"\ntitle = "Garbage"\nsha256 = "{hashlib.sha256(data).hexdigest()}"\n'
    )
    done = run_bounded(["extract", "--corpus", "corpus", "--cache", "cache"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "page 2" in done.stderr  # the warning reached the user
    summary = run_bounded(["facts", "--cache", "cache", "--summary"], tmp_path)
    assert "notice: garbage: page 2 was lost" in summary.stdout
    facts = run_bounded(["facts", "--cache", "cache", "--kind", "quantity"], tmp_path)
    assert "12%" in facts.stdout and "7%" in facts.stdout  # pages 1 and 3 kept


def test_a_page_cut_short_by_garbage_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "truncated.pdf"
    path.write_bytes(truncated_page())
    outcome = run_bounded(["facts", str(path), "--summary"], tmp_path)
    assert outcome.returncode == 0, outcome.stderr
    assert "notice: truncated: page 2 was lost: only 42 characters were read" in (
        outcome.stdout
    )
    assert outcome.stderr.startswith(f"warning: {path} page 2: only 42 characters")
