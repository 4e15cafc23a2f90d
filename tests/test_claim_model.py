"""The shipped claim classifiers: load offline, deterministic, small, versioned;
and the claims' kinds and actors where rules and classifiers meet."""

from __future__ import annotations

import pytest
import spacy

from extract import EXTRACTOR_VERSION
from extract.kinds.claim_model import (
    DETECTOR,
    KINDS,
    LABELS,
    model_doc,
    model_path,
    score_docs,
)
from extract.kinds.claims import claim_rules, find_claims, main_subject
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


@pytest.mark.parametrize("name", [DETECTOR, KINDS])
def test_two_loads_give_identical_scores(name: str) -> None:
    docs = [pipeline().make_doc(s) for s in SENTENCES]
    scores = []
    for _ in range(2):
        nlp = spacy.load(model_path() / name)  # a fresh load, not the cached one
        scores.append([dict(d.cats) for d in nlp.pipe(model_doc(nlp, d) for d in docs)])
    assert scores[0] == scores[1]
    assert score_docs(docs) == score_docs(docs)


def test_the_detector_has_none_and_the_kind_classifier_only_the_kinds() -> None:
    detector = spacy.load(model_path() / DETECTOR).get_pipe("textcat")
    kinds = spacy.load(model_path() / KINDS).get_pipe("textcat")
    assert set(detector.labels) == set(LABELS)
    assert set(kinds.labels) == set(LABELS) - {"none"}


def test_only_sentences_below_the_cut_are_weighed_by_kind() -> None:
    docs = [pipeline().make_doc(s) for s in SENTENCES]
    for weighed, even in zip(score_docs(docs), score_docs(docs, 0.0), strict=True):
        assert weighed["none"] == even["none"]
        shares = {even[k] for k in LABELS if k != "none"}
        assert len(shares) == 1  # not weighed: the kinds share evenly
        assert abs(sum(even.values()) - 1.0) < 1e-4


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


def main_subject_text(text: str) -> str:
    doc = pipeline()(text)
    start, end = main_subject(doc[:], claim_rules())
    return doc[start:end].text


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        ("In 1980, Congress passed the Deep Seabed Hard Mineral Resources Act.", "Congress"),
        ("For FY2026, P.L. 119-74 provided $528.8 million more than the request.", "P.L. 119-74"),
        ("In addition, in 1931, the candidate received 218 votes.", "the candidate"),
        ("According to the Army, nine battalions are to be fielded as follows:", "the Army"),
        ("The Supreme Court has ruled that Article III requires a concrete injury.", "The Supreme Court"),
        ("Congress provided appropriations but did not support the proposed agency.", "Congress"),
    ],
)  # fmt: skip
def test_the_main_clause_subject_is_read_without_a_parse(
    sentence: str, subject: str
) -> None:
    assert main_subject_text(sentence) == subject


def test_a_pronoun_stands_for_the_last_claims_actor() -> None:
    assert claims_in(
        "S. 4017 would prohibit Members of Congress from trading in event contracts. "
        "It would also prohibit senior officials from trading in them."
    ) == [("recommendation", "S. 4017"), ("recommendation", "S. 4017")]


def test_options_put_to_congress_are_recommendations() -> None:
    assert claims_in(
        "Congress could amend FERPA's provisions concerning parental access to records."
    ) == [("recommendation", "congress")]
    assert [k for k, _ in claims_in("Congress also may weigh in on trade issues.")] == [
        "recommendation"
    ]


def test_a_pending_bill_that_would_prohibit_is_a_recommendation() -> None:
    assert [
        k
        for k, _ in claims_in(
            "H.R. 7004 would prohibit elected officials from trading."
        )
    ] == ["recommendation"]


def test_program_rules_and_a_sources_findings() -> None:
    assert claims_in(
        "Taxpayers who are both elderly and blind may claim the deduction twice."
    ) == [("requirement", "Taxpayers")]
    assert claims_in("A study by Ridley found a 32% rate for the United States.") == [
        ("assertion", "study by Ridley")
    ]


def test_introduced_bills_and_proposals_are_recommendations() -> None:
    assert claims_in(
        "Other Members have introduced legislation (H.R. 664) to prohibit NOAA "
        "from authorizing seabed mining."
    ) == [("recommendation", "Other Members")]


@pytest.mark.parametrize(
    "sentence",
    [
        "This In Focus summarizes the federal law applicable to prediction markets.",
        "Table 1 compares the timeline of the two programs.",
        "The FY2027 request for AO is $113.8 million, an increase of 6.4% over the "
        "FY2026 enacted level.",
    ],
)
def test_cross_references_and_figures_are_no_claims(sentence: str) -> None:
    assert claims_in(sentence) == []


def test_after_according_to_the_source_is_the_actor_whatever_the_kind() -> None:
    assert claims_in(
        "According to the Army, nine planned battalions are to be fielded by 2033."
    ) == [("commitment", "Army")]


def test_a_date_before_the_subject_is_not_the_actor() -> None:
    assert (
        claims_in(
            "On February 17, 2026, the same states filed a motion asking the court "
            "to enforce its order."
        )[0][1]
        == "same states"
    )


def blocks(*parts: tuple[str, str]) -> DocumentText:
    text, found, at = "", [], 0
    for kind, part in parts:
        found.append(Block(kind, 1, at, at + len(part)))
        text += part + "\n\n"
        at = len(text)
    return DocumentText(text, tuple(found))


def test_chinese_list_items_take_the_kind_of_their_lead_in() -> None:
    text = blocks(
        ("paragraph", "一、满足以下特性的物项，未经许可，不得出口："),  # noqa: RUF001
        ("paragraph", "1.锑矿及原料，包括但不限于块、颗粒、粉末、结晶体等形态。"),  # noqa: RUF001
        ("paragraph", "2.金属锑及制品，包括但不限于锭、块、珠、颗粒、粉末等形态。"),  # noqa: RUF001
        ("paragraph", "八、本公告自2024年9月15日起正式实施。"),
    )
    assert [c.kind for c in find_claims(text)] == ["requirement"] * 3


def test_english_list_items_complete_a_lead_in_claim() -> None:
    text = blocks(
        (
            "paragraph",
            "According to the Army, nine battalions are to be fielded as follows:",
        ),
        ("list_item", "1-57th ADA–Fort Drum, NY—FY2028;"),  # noqa: RUF001
        ("list_item", "5-5th ADA–Fort Carson, CO—FY2029;"),  # noqa: RUF001
    )
    assert [(c.kind, c.actor) for c in find_claims(text)] == [
        ("commitment", "Army")
    ] * 3


def test_a_chinese_rule_names_the_body_it_opens_with() -> None:
    found = find_claims(blocks(("paragraph", "三、商务部应当在法定时限内作出决定。")))
    assert [(c.kind, c.actor) for c in found] == [("requirement", "商务部")]
    objection = "二、对向境外军事用户的出口申请，原则上不予许可。"  # noqa: RUF001
    found = find_claims(blocks(("paragraph", objection)))
    assert [(c.kind, c.actor) for c in found] == [("requirement", None)]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("The bill would also amend the EIGA to require disclosure of trades.", "recommendation"),
        ("The Junk Fee Prevention Act (H.R. 6430, S. 3367) would also require ticketers to post prices.", "recommendation"),
        ("The request seeks $9.7 billion in discretionary funding.", "recommendation"),
        ("Many Australians express concern that the arrangement carries security risks.", "assertion"),
        ("The House Ways and Means Committee later reported it had rejected definitions.", "assertion"),
        ("Similarly, NASA planned to upgrade the upper stages of SLS.", "commitment"),
        ("Gateway was intended to serve as a depot for storing supplies.", None),
    ],
)  # fmt: skip
def test_kinds_after_the_labelling_guide(sentence: str, kind: str | None) -> None:
    assert [k for k, _ in claims_in(sentence)] == ([kind] if kind else [])


def test_a_law_in_the_passive_is_its_own_actor() -> None:
    assert claims_in("UNCLOS was adopted in 1982, establishing a legal framework.") == [
        ("measure", "unclos")
    ]


def test_as_amended_names_a_law_and_takes_no_action() -> None:
    assert claims_in(
        "Pursuant to Section 14 of the Rivers and Harbors Act of 1899, as amended, "
        "the Secretary shall grant permission."
    ) == [("requirement", "Secretary")]
    assert claims_in("Congress has amended the Section 408 authority.") == [
        ("measure", "congress")
    ]
