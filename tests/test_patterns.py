"""The indexed pattern matcher finds what spaCy's Matcher finds.

spaCy lists matches as they end; ours are sorted by start and end. Matches of
the same tokens come in the same order from both (the order their patterns
were added), and that order is what a caller's ``max`` breaks ties by.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from spacy.matcher import Matcher
from spacy.tokens import Doc

from extract.nlp import data_text, pipeline
from extract.patterns import PatternMatcher

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted(
    p for p in (ROOT / "corpus" / "documents").iterdir() if p.suffix in (".txt", ".md")
)

# Every operator and attribute the module reads, and two it hands to spaCy.
PATTERNS: dict[str, list[list[dict[str, Any]]]] = {
    "optional": [[{"LOWER": "shall"}, {"LOWER": "not", "OP": "?"}, {"LOWER": "be"}]],
    "trailing": [
        [{"LOWER": {"IN": ["must", "should"]}}, {"IS_ALPHA": True, "OP": "?"}]
    ],
    "star": [[{"LOWER": "the"}, {"IS_TITLE": True, "OP": "*"}, {"LOWER": "of"}]],
    "plus": [
        [{"LOWER": "added"}, {"IS_SENT_START": False, "OP": "+"}, {"LOWER": "list"}]
    ],
    "not_in": [[{"LOWER": "required"}, {"LOWER": {"NOT_IN": ["for", "by", "."]}}]],
    "entity": [[{"ENT_TYPE": {"IN": ["COUNTRY", "AGENCY"]}}, {"LOWER": "will"}]],
    "mixed": [[{"IS_ALPHA": True, "LOWER": {"NOT_IN": ["the", "a"]}}, {"ORTH": "%"}]],
    "numbers": [[{"LIKE_NUM": True}, {"IS_DIGIT": True, "OP": "?"}, {"ORTH": "%"}]],
    "negation": [[{"LOWER": "not"}, {"LOWER": "be", "OP": "!"}, {"IS_PUNCT": True}]],
    "regex": [[{"LOWER": {"REGEX": "^export"}}, {"LOWER": "controls"}]],
}


def both(
    patterns: dict[str, list[list[dict[str, Any]]]],
) -> tuple[Matcher, PatternMatcher]:
    vocab = pipeline().vocab
    ours, theirs = PatternMatcher(vocab), Matcher(vocab)
    for name, group in patterns.items():
        ours.add(name, group)
        theirs.add(name, group)
    return theirs, ours


def docs() -> list[Doc]:
    texts = [p.read_text(encoding="utf-8") for p in DOCUMENTS]
    return [
        pipeline()(block) for t in texts for block in t.split("\n\n") if block.strip()
    ]


def claim_patterns() -> dict[str, list[list[dict[str, Any]]]]:
    data = json.loads(data_text("claim_patterns.json"))
    cues = {f"cue_{i}": e["patterns"] for i, e in enumerate(data["cues"])}
    return {**cues, "veto": data["vetoes"]}


def spacy_sorted(matcher: Matcher, doc: Doc) -> list[tuple[int, int, int]]:
    """spaCy's matches by start and end, keeping its order among equal ones."""
    return sorted(matcher(doc), key=lambda m: (m[1], m[2]))


@pytest.mark.parametrize(
    "patterns", [PATTERNS, claim_patterns()], ids=["ops", "claims"]
)
def test_same_matches_as_spacy_on_the_bundled_corpus(patterns: Any) -> None:
    theirs, ours = both(patterns)
    found = 0
    for doc in docs():
        assert ours(doc) == spacy_sorted(theirs, doc), doc.text[:80]
        found += len(theirs(doc))
    assert found > 100  # the patterns do fire on this text


def test_every_operator_matches() -> None:
    theirs, ours = both(PATTERNS)
    doc = pipeline()(
        "China will act. Rules shall not be waived and must apply. The Bureau of "
        "Industry added firms to the Entity list. Forty % is required now, not 12%."
    )
    names = {doc.vocab.strings[k] for k, _, _ in ours(doc)}
    assert names == set(PATTERNS) - {"regex"}
    assert ours(doc) == spacy_sorted(theirs, doc)


def test_patterns_it_cannot_index_go_to_spacy() -> None:
    _, ours = both(PATTERNS)
    assert len(ours.others) == 2  # the "!" operator and the REGEX test
    doc = pipeline()("They could not act, and export controls stayed.")
    assert {doc.vocab.strings[k] for k, _, _ in ours(doc)} == {"negation", "regex"}
