"""Shared fixtures: the repository's corpus, the shared real documents, copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extract.corpus import load_corpus, read_checked
from extract.facts import extract_facts
from extract.readers import read_bytes
from extract.records import Fact

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared" / "corpus-candidates"


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A copy of the bundled corpus that a test may edit."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest


def shared(*parts: str) -> Path:
    """A path under ../shared/corpus-candidates, or a skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared/corpus-candidates not present beside the checkout")
    return SHARED.joinpath(*parts)


@pytest.fixture(scope="session")
def corpus_facts() -> tuple[Fact, ...]:
    """Every fact of the bundled corpus, extracted once per test session."""
    corpus = load_corpus(CORPUS)
    facts: list[Fact] = []
    for doc in corpus.documents:
        text = read_bytes(corpus.path_of(doc), read_checked(corpus, doc))
        facts.extend(extract_facts(doc.id, doc.sha256, text))
    return tuple(facts)


class CannedReply:
    """One recorded Census response, as urlopen returns it."""

    status = 200

    def __init__(self, body: bytes) -> None:
        self.body = body

    def read(self) -> bytes:
        return self.body

    def close(self) -> None:
        pass
