"""Every failure of issue 11 item 6 is one ``Error:`` line through the real CLI.

Each ran into a traceback before. (The template cases, include/import/extends,
are in test_templates.py; the trade snapshot cases in test_trade.py.)
"""

from __future__ import annotations

import json
import resource
import shutil
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.hostile.bounded import BRIEF, run_bounded
from tests.hostile.conftest import template, write_corpus


def one_error(work: Path, args: list[str], *parts: str) -> str:
    """Run ``brief ARGS``: exit 1 and a single Error line holding every part."""
    outcome = run_bounded(args, work, timeout=90)
    assert outcome.returncode == 1, outcome.stderr
    line = outcome.only_error
    for part in parts:
        assert part in line, line
    return line


@pytest.mark.parametrize("command", ["facts", "text"])
def test_directory_as_file(tiny: Path, command: str) -> None:
    one_error(tiny, [command, "corpus"], "corpus: is a directory, not a document file")


@pytest.mark.parametrize("command", ["facts", "text"])
def test_dev_zero_as_file(tiny: Path, command: str) -> None:
    one_error(tiny, [command, "/dev/zero"], "/dev/zero: not a regular file")


def test_store_row_with_bad_json(tiny: Path) -> None:
    shutil.copytree(tiny / "cache", tiny / "cache-badjson")
    with sqlite3.connect(tiny / "cache-badjson" / "facts.sqlite") as conn:
        conn.execute("UPDATE facts SET json = '{\"id\": ' WHERE seq = 0")
    one_error(tiny, ["facts", "--cache", "cache-badjson"],
              "facts.sqlite: fact row", "is not a fact", "brief extract --force")  # fmt: skip


def manifest_with(work: Path, name: str, **fields: str) -> Path:
    """A corpus whose one document has these TOML fields set (raw TOML values)."""
    corpus = write_corpus(work / name)
    text = (corpus / "corpus.toml").read_text()
    for key, value in fields.items():
        text += f"{key} = {value}\n"
    (corpus / "corpus.toml").write_text(text)
    return corpus


def test_authors_not_a_list(tiny: Path) -> None:
    corpus = manifest_with(tiny, "corpus-authors", authors="5")
    one_error(tiny, ["extract", "--corpus", str(corpus), "--cache", "cache-authors"],
              "corpus.toml", "'authors' must be a list")  # fmt: skip


def test_file_naming_a_directory(tiny: Path) -> None:
    corpus = write_corpus(tiny / "corpus-dirfile")
    manifest = corpus / "corpus.toml"
    manifest.write_text(manifest.read_text().replace("documents/note.txt", "documents"))
    one_error(tiny, ["extract", "--corpus", str(corpus), "--cache", "cache-dirfile"],
              "documents: listed in corpus.toml as 'note' but is a folder")  # fmt: skip


def test_empty_manifest_needs_allow_empty(tiny: Path) -> None:
    shutil.copytree(tiny / "cache", tiny / "cache-empty")
    corpus = write_corpus(tiny / "corpus-empty")
    (corpus / "corpus.toml").write_text("# nothing yet\n")
    args = ["extract", "--corpus", str(corpus), "--cache", "cache-empty"]
    one_error(tiny, args, "corpus.toml: lists no documents", "--allow-empty")
    facts = run_bounded(["facts", "--cache", "cache-empty", "--summary"], tiny)
    assert "total" in facts.stdout  # the store kept its facts
    done = run_bounded([*args, "--allow-empty"], tiny)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("0 documents (0 read, 0 unchanged, 1 removed)")


def test_out_that_cannot_be_written(tiny: Path) -> None:
    path = tiny / "plain.qmd.j2"
    path.write_text(template("Plain.\n"))
    (tiny / "out-blocked").mkdir()
    (tiny / "out-blocked" / "hostile").write_text("a file where the brief goes")
    one_error(tiny, ["build", str(path), "--corpus", "corpus", "--cache", "cache",
                     "--out", "out-blocked", "--engine", "builtin"],
              "cannot write in", "out-blocked/hostile")  # fmt: skip


def test_full_disk_while_building(tiny: Path) -> None:
    """A full out/: files capped at 256 KB (RLIMIT_FSIZE, SIGXFSZ ignored: EFBIG).

    The store (32 KB) stays usable; brief.qmd (about 360 KB) cannot be written.
    """
    path = tiny / "full.qmd.j2"
    path.write_text(template("Full disk.\n\n" + "A long paragraph. " * 20_000 + "\n"))
    argv = [str(BRIEF), "build", str(path), "--corpus", "corpus", "--cache", "cache",
            "--out", "out-full", "--engine", "builtin"]  # fmt: skip

    def cap() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))

    done = subprocess.run(argv, cwd=tiny, capture_output=True, text=True,
                          timeout=90, preexec_fn=cap)  # fmt: skip
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    assert lines[0] == (
        "Error: out-full/hostile: cannot write the new version: File too large"
    )
    assert not list((tiny / "out-full" / "hostile").glob("v*"))


def test_cache_folder_that_cannot_be_made(tiny: Path) -> None:
    (tiny / "cache-file").write_text("a file where the cache folder should go")
    one_error(tiny, ["extract", "--corpus", "corpus", "--cache", "cache-file/sub"],
              "cannot create the cache folder cache-file/sub")  # fmt: skip


@pytest.mark.parametrize(
    "claims",
    [[{"claim": "c1", "doc": "note"}], ["c1"], [{"claim": "c1", "page": "one"}]],
)
def test_claims_entry_missing_fields(
    tiny: Path, tmp_path: Path, claims: list[object]
) -> None:
    version = tmp_path / "v1"
    version.mkdir()
    (version / "claims.json").write_text(json.dumps({"brief": "x", "claims": claims}))
    one_error(tiny, ["trace", str(version), "--corpus", "corpus"],
              "claims.json: a claim is malformed")  # fmt: skip
