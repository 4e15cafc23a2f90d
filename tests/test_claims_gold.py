"""The claim-sentence gold (tests/gold/claims/): every file well-formed.

Failures name files and line numbers only, never a unit's text: the test
split is scored by ``make eval`` and not read.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bench.claims_gold import (
    CLAIMS_GOLD,
    SHARED,
    SPLITS,
    ClaimsGoldError,
    Located,
    Unit,
    load_gold_doc,
    locate,
    same_actor,
    split_docs,
    words,
)

FILES = sorted(p for s in SPLITS for p in (CLAIMS_GOLD / s).glob("*.jsonl"))
# A link's target, which may hold one level of parentheses ("...(247).pdf").
LINK_TARGET = re.compile(r"\]\((?:[^()\n]|\([^()\n]*\))*\)")


def ids(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def test_no_document_is_in_two_splits() -> None:
    splits = split_docs()
    seen: set[str] = set()
    for docs in splits.values():
        assert not seen & set(docs)
        seen |= set(docs)


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_gold_file_is_well_formed(path: Path) -> None:
    gold = load_gold_doc(path)  # raises ClaimsGoldError naming file and line
    assert gold.units
    assert gold.doc in split_docs()[gold.split]


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_every_unit_is_in_its_markdown(path: Path) -> None:
    gold = load_gold_doc(path)
    if not SHARED.is_dir():
        pytest.skip(
            "../shared/corpus-candidates is absent (it lives beside the checkout)"
        )
    assert gold.markdown is not None
    markdown = SHARED / gold.markdown
    assert markdown.is_file(), f"{ids(path)}: the scope line's markdown is missing"
    doc_words = words(LINK_TARGET.sub("]", markdown.read_text(encoding="utf-8")))
    where = locate(gold.units, doc_words)
    lost = [u.line for u, w in zip(gold.units, where, strict=True) if w is None]
    assert lost == [], f"{ids(path)}: lines not found in {markdown.name}"


def test_a_unit_is_located_outside_page_furniture_when_it_can_be() -> None:
    # A scraped MOFCOM page's Summary repeats the announcement; the extractor
    # reads it once, where it is not furniture, and the unit is scored there.
    text = "summary: the items must not be exported | provisions: the items must not be exported"
    unit = Unit("x", "The items must not be exported.", "requirement", None, None, 2)
    doc_words = words(text)
    summary = (0, 7)  # "summary the items must not be exported"
    assert locate([unit], doc_words)[0] == Located(unit, 1, 7)
    assert locate([unit], doc_words, [summary])[0] == Located(unit, 8, 14)


def test_a_bad_label_names_its_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "dev" / "X1.jsonl"
    bad.parent.mkdir()
    scope = {"kind": "scope", "doc": "crs/pdf/x.pdf", "markdown": None,
             "split": "dev", "stretches": []}  # fmt: skip
    unit = {"text": "Congress should act.", "label": "advice", "actor": None,
            "cue": None, "section": None, "lead_in": None}  # fmt: skip
    bad.write_text(json.dumps(scope) + "\n" + json.dumps(unit) + "\n")
    with pytest.raises(ClaimsGoldError, match=r"X1.jsonl line 2: 'label' must be"):
        load_gold_doc(bad)


@pytest.mark.parametrize(
    ("gold", "predicted", "same"),
    [
        ("Katherine Tai", "US Trade Representative Katherine Tai", True),
        ("US Trade Representative", "Katherine Tai", False),
        ("the Secretary of Agriculture", "Secretary", True),
        ("some analysts", "Some analysts", True),
        ("the United States", "united-states", True),
        ("USDA", "the Department of Agriculture", False),
        ("US", "business groups", False),
        (None, None, True),
        ("Congress", None, False),
    ],
)
def test_actor_agreement(gold: str | None, predicted: str | None, same: bool) -> None:
    assert same_actor(gold, predicted) is same
