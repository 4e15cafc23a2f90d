"""A tiny corpus, extracted once, that the hostile cases build against."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.hostile.bounded import run_bounded

NOTE = (
    "Battery imports\n\nThe US imported $18.74B of lithium-ion batteries in 2024. "
    "China supplied about 72% of them.\n"
)
TRADE = "usitc-battery-top-imports-2024"


def write_corpus(root: Path, documents: str = "") -> Path:
    """A corpus folder: one short text document, the bundled trade snapshot."""
    (root / "documents").mkdir(parents=True)
    (root / "documents" / "note.txt").write_text(NOTE, encoding="utf-8")
    sha = hashlib.sha256(NOTE.encode()).hexdigest()
    entry = documents or (
        f'[[document]]\nid = "note"\nfile = "documents/note.txt"\nkind = "news"\n'
        f'title = "A note"\nsha256 = "{sha}"\n'
    )
    (root / "corpus.toml").write_text(entry, encoding="utf-8")
    (root / "trade").mkdir()
    for suffix in (".csv", ".toml"):
        shutil.copy(CORPUS / "trade" / f"{TRADE}{suffix}", root / "trade")
    return root


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A work folder holding ``corpus/`` and an extracted ``cache/``."""
    work = tmp_path_factory.mktemp("hostile")
    write_corpus(work / "corpus")
    done = run_bounded(["extract", "--corpus", "corpus", "--cache", "cache"], work)
    assert done.returncode == 0, done.stderr
    return work


def template(body: str, trade: bool = False, charts: str = "") -> str:
    """A brief template around a body (front matter is lines 1-7, or more)."""
    head = "---\ntitle: Hostile\nbrief:\n  id: hostile\n"
    if trade:
        head += f"  trade:\n    top: trade/{TRADE}.csv\n"
    head += charts
    return head + "---\n\n" + body
