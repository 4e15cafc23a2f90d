"""The spaCy pipeline: sentence boundaries and the entity ruler."""

from __future__ import annotations

import pytest

from extract.nlp import entity_patterns, pipeline


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. Treasury Department issued a proposed rule. Japan welcomed it.",
        "See MOFCOM Announcement No. 58/2025 on batteries. It takes effect soon.",
        "The IRA, P.L. 117-169, sets content rules. Treasury wrote the guidance.",
        "Under Sec. 30D of the code the credit is $7,500. Half depends on minerals.",
        "Some minerals, e.g. graphite, are processed in China. Others are not.",
        "Items such as cobalt, nickel, etc. are covered, i.e. most inputs. Fine.",
    ],
)
def test_sentences_hold_across_abbreviations(text: str) -> None:
    sents = [s.text for s in pipeline()(text).sents]
    assert len(sents) == 2, sents
    assert "".join(sents).replace(" ", "") == text.replace(" ", "")


def ents(text: str) -> set[tuple[str, str]]:
    return {(e.label_, e.ent_id_) for e in pipeline()(text).ents}


def test_entity_ruler_labels_the_domain() -> None:
    found = ents(
        "China's MOFCOM restricted graphite exports to the U.S. and Japan, "
        "and CATL may lose Inflation Reduction Act credits under Section 30D."
    )
    labels = {label for label, _ in found}
    assert {"COUNTRY", "AGENCY", "MINERAL", "COMPANY", "LAW"} <= labels
    ids = {i for _, i in found}
    assert {"china", "japan", "graphite", "catl"} <= ids


def test_pronoun_us_is_not_a_country() -> None:
    assert not any(label == "COUNTRY" for label, _ in ents("Let us read it to us."))


def test_adjectives_map_to_their_country() -> None:
    assert ("COUNTRY", "china") in ents("Chinese firms dominate the anode market.")
    assert ("COUNTRY", "japan") in ents("Japanese carmakers want the credit.")


def test_patterns_are_data_with_ids() -> None:
    patterns = entity_patterns()
    assert len(patterns) > 300
    assert all(p["label"] and p.get("id") for p in patterns)


def test_quantities_ride_on_the_doc() -> None:
    doc = pipeline()("China controls 70% of battery pack assembly.")
    assert [(q.text, q.value, q.unit) for q in doc._.quantities] == [
        ("70%", 70.0, "percent")
    ]
