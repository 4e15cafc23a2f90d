"""The shipped claim classifier: loads offline, deterministic, small, versioned."""

from __future__ import annotations

import spacy

from extract import EXTRACTOR_VERSION
from extract.kinds.claim_model import LABELS, model_doc, model_path, score_docs
from extract.kinds.claims import find_claims
from extract.models import model_version
from extract.nlp import pipeline
from extract.records import Block, DocumentText

SENTENCES = [
    "The Secretary may waive the requirement for small producers.",
    "Some analysts assert that the tariffs raised consumer prices.",
    "U.S. imports rose 5% in 2024.",
]


def claims_in(text: str) -> list[tuple[str, str | None]]:
    found = find_claims(DocumentText(text, (Block("paragraph", 1, 0, len(text)),)))
    return [(c.kind, c.actor) for c in found]


def test_two_loads_give_identical_scores() -> None:
    docs = [pipeline().make_doc(s) for s in SENTENCES]
    scores = []
    for _ in range(2):
        nlp = spacy.load(model_path())  # a fresh load each time, not the cached one
        scores.append([dict(d.cats) for d in nlp.pipe(model_doc(nlp, d) for d in docs)])
    assert scores[0] == scores[1]
    assert score_docs(docs) == score_docs(docs)


def test_scores_are_a_distribution_over_the_labels() -> None:
    for scores in score_docs([pipeline().make_doc(s) for s in SENTENCES]):
        assert set(scores) == set(LABELS)
        assert abs(sum(scores.values()) - 1.0) < 1e-4


def test_the_model_is_small_and_its_hash_is_in_the_extractor_version() -> None:
    size = sum(p.stat().st_size for p in model_path().rglob("*") if p.is_file())
    assert size < 5_000_000
    assert EXTRACTOR_VERSION.endswith(f"+claims-{model_version('claims')}")


def test_a_title_before_a_speaker_is_not_the_actor() -> None:
    assert claims_in(
        "US Trade Representative Katherine Tai said the agreement will deepen ties with Japan."
    ) == [("assertion", "Katherine Tai")]


def test_unnamed_analysts_are_the_actor_of_their_assertion() -> None:
    assert claims_in("Some analysts assert that the tariffs raised prices.") == [
        ("assertion", "Some analysts")
    ]


def test_a_plan_of_ones_own_is_a_commitment() -> None:
    assert claims_in(
        "The 15th FYP calls for faster growth of strategic industries."
    ) == [("commitment", "15th FYP")]
    assert [
        k for k, _ in claims_in("It seeks to expand the role of state capital.")
    ] == ["commitment"]


def test_rule_language_is_a_requirement() -> None:
    assert [
        k
        for k, _ in claims_in(
            "Goods covered by Section 232 tariffs are exempt from the reciprocal tariffs."
        )
    ] == ["requirement"]
