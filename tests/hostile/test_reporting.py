"""Nothing silent, one line, serialised stores (issue 11 items 4, 5 and 6)."""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.bounded import BRIEF, run_bounded
from tests.hostile.conftest import template
from tests.hostile.pdfs import garbage_page

FAKE_QUARTO = """#!{python}
import os, sys
open("brief.html", "wb").write(os.urandom(4096))
open("brief.pdf", "wb").write(os.urandom(4096))
print("ERROR: it all went fine", file=sys.stderr)
"""


def fake_quarto(folder: Path) -> Path:
    exe = folder / "quarto"
    exe.write_text(FAKE_QUARTO.format(python=sys.executable))
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe


def test_random_bytes_from_quarto_are_not_published(tiny: Path, tmp_path: Path) -> None:
    path = tiny / "random.qmd.j2"
    path.write_text(template("Rendered by a broken Quarto.\n"))
    outcome = run_bounded(
        ["build", str(path), "--corpus", "corpus", "--cache", "cache",
         "--out", "out-random", "--engine", "quarto"],
        tiny, env={"QUARTO_PATH": str(fake_quarto(tmp_path))}, address_space=False,
    )  # fmt: skip
    assert outcome.returncode == 1, outcome.stderr
    line = outcome.error_lines[0]
    assert "brief.html: the renderer wrote something that is not HTML" in line
    assert not list((tiny / "out-random" / "hostile").glob("v*"))


def corpus_with_warning_then_error(root: Path) -> Path:
    """Two documents: a PDF with a lost page (a warning), then an empty file (an error)."""
    docs = root / "documents"
    docs.mkdir(parents=True)
    (docs / "a-garbage.pdf").write_bytes(garbage_page())
    (docs / "b-empty.txt").write_bytes(b"   \n")
    entries = ""
    for name in ("a-garbage.pdf", "b-empty.txt"):
        sha = hashlib.sha256((docs / name).read_bytes()).hexdigest()
        doc_id = name.split(".")[0]
        entries += (f'[[document]]\nid = "{doc_id}"\nfile = "documents/{name}"\n'
                    f'kind = "news"\ntitle = "{doc_id}"\nsha256 = "{sha}"\n')  # fmt: skip
    (root / "corpus.toml").write_text(entries)
    return root


def test_warnings_come_after_the_error_line_once(tmp_path: Path) -> None:
    corpus = corpus_with_warning_then_error(tmp_path / "corpus")
    args = ["extract", "--corpus", str(corpus), "--cache", "cache", "-j", "1"]
    outcome = run_bounded(args, tmp_path)
    assert outcome.returncode == 1
    lines = outcome.stderr.strip().splitlines()
    assert lines[0].startswith("Error: ") and "b-empty.txt: file is empty" in lines[0]
    assert len(lines) == 2 and lines[1].startswith("warning: "), outcome.stderr
    assert "a-garbage.pdf page 2: " in lines[1]
    quiet = run_bounded(["-q", *args], tmp_path)
    assert quiet.stderr.strip().splitlines() == [lines[0]]


def test_verbose_shows_the_tools_output(tiny: Path, tmp_path: Path) -> None:
    exe = tmp_path / "quarto"
    exe.write_text(
        f"#!{sys.executable}\nimport sys\nprint('TYPST FAILED: line 3', file=sys.stderr)\nsys.exit(1)\n"
    )
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    path = tiny / "verbose.qmd.j2"
    path.write_text(template("Verbose.\n"))
    args = ["build", str(path), "--corpus", "corpus", "--cache", "cache",
            "--out", "out-verbose", "--engine", "quarto"]  # fmt: skip
    env = {"QUARTO_PATH": str(exe)}
    plain = run_bounded(args, tiny, env=env, address_space=False)
    assert plain.returncode == 1
    assert plain.only_error.endswith("(brief -v shows the tool's last lines)")
    verbose = run_bounded(["-v", *args], tiny, env=env, address_space=False)
    assert "  TYPST FAILED: line 3" in verbose.stderr.splitlines()


def test_concurrent_extracts_serialise_on_the_store(tmp_path: Path) -> None:
    from tests.hostile.conftest import write_corpus

    write_corpus(tmp_path / "corpus")
    argv = [str(BRIEF), "extract", "--corpus", "corpus", "--cache", "cache"]
    procs = [subprocess.Popen(argv, cwd=tmp_path, text=True, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for _ in range(3)]  # fmt: skip
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outs
    said = sorted(out.split(",")[0] for out, _ in outs)
    assert said == ["1 documents (0 read", "1 documents (0 read", "1 documents (1 read"]
    assert os.path.exists(tmp_path / "cache" / "facts.sqlite.lock")


def test_pool_workers_warnings_reach_the_parent_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Warnings logged in pool workers are logged again in the parent, once each."""
    from extract.corpus import load_corpus
    from extract.refresh import refresh
    from tests.hostile.conftest import write_corpus

    corpus = write_corpus(tmp_path / "corpus")
    data = garbage_page()
    (corpus / "documents" / "garbage.pdf").write_bytes(data)
    with (corpus / "corpus.toml").open("a") as f:
        f.write('[[document]]\nid = "garbage"\nfile = "documents/garbage.pdf"\n'
                f'kind = "news"\ntitle = "G"\nsha256 = "{hashlib.sha256(data).hexdigest()}"\n')  # fmt: skip
    with caplog.at_level(logging.WARNING):
        refresh(load_corpus(corpus), tmp_path / "cache" / "facts.sqlite", jobs=2,
                pool_min_bytes=0)  # fmt: skip
    parent = [r for r in caplog.records if r.name == "extract.refresh"]
    assert len(parent) == 1 and "garbage.pdf page 2: " in parent[0].getMessage()
