"""The facts of every bundled document, pinned exactly (see tests/refresh_golden.py)."""

from __future__ import annotations

import pytest

from extract import EXTRACTOR_VERSION
from tests.conftest import CORPUS
from tests.refresh_golden import GOLDEN, golden_lines

DOCS = sorted(p.stem for p in GOLDEN.glob("*.jsonl"))


def test_golden_files_cover_the_corpus() -> None:
    from extract.corpus import load_corpus

    assert sorted(d.id for d in load_corpus(CORPUS).documents) == DOCS


def test_golden_files_belong_to_this_extractor_version() -> None:
    pinned = (GOLDEN / "VERSION").read_text().strip()
    assert pinned == EXTRACTOR_VERSION, (
        f"tests/golden/facts was written by extractor {pinned}; run 'make golden'"
    )


@pytest.mark.parametrize("doc_id", DOCS)
def test_facts_match_golden(doc_id: str) -> None:
    expected = (GOLDEN / f"{doc_id}.jsonl").read_text(encoding="utf-8")
    assert golden_lines(doc_id) == expected, (
        f"facts of {doc_id} changed: if on purpose, bump EXTRACTOR_VERSION and run 'make golden'"
    )
