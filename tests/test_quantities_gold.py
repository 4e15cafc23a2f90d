"""Regression cases from the gold set: real sentences and every quantity in them.

Each case is a sentence (or list line) copied from a seed document, with all
the quantities ``find_quantities`` must find in it, in order, as the gold in
``tests/gold/`` labels them. They pin the classes the extractor once missed:
the MOFCOM technical units, ranges and sizes, scientific notation, partitive
counts, "half a year" and "one or more years".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.kinds.quantities import find_quantities
from tests.conftest import CORPUS, shared

MOFCOM = "mofcom-oct-2025-export-controls.txt"
BRIEFER = "briefer-75-battery-dependence.md"
CIER = "cier-us-critical-minerals-policy.md"
# The gold labels the CRS PDF; its Markdown twin holds the same sentence.
IF11175 = "crs/markdown/in-focus/IF11175v11-u-s-mexico-trade-relations.md"

Expected = tuple[str, float, str, str | None]  # mention, value, unit, qualifier

# (seed document, sentence, every quantity in it)
CASES: list[tuple[str, str, list[Expected]]] = [
    # newton, hrb, m_per_s
    (MOFCOM, "Breaking tension ≤ 16 N.", [("≤ 16 N", 16, "newton", "at_most")]),
    (MOFCOM, "Diamond tooth hardness ≤ 30 HRB;", [("≤ 30 HRB", 30, "hrb", "at_most")]),
    (
        MOFCOM,
        "Maximum working speed ≥ 40 m/s.",
        [("≥ 40 m/s", 40, "m_per_s", "at_least")],
    ),
    # m3, with a range after "volume" (no document volume)
    (
        MOFCOM,
        "(2) 2B902.b. Intelligent continuous impurity removal and precipitation "
        "equipment for ion-adsorption rare earth ore with daily leachate processing "
        "capacity ≥ 5000 m³.",
        [("≥ 5000 m³", 5000, "m3", "at_least")],
    ),
    (
        MOFCOM,
        "(4) 2B902.d. Extraction tanks with mixing chamber volume 0.5~14.2 m³ for "
        "rare earth separation and purification.",
        [("0.5", 0.5, "m3", None), ("14.2 m³", 14.2, "m3", None)],
    ),
    (
        MOFCOM,
        "(6) 2B902.f. Precipitation crystallization reaction tanks for rare earth "
        "with reaction tank volume 10~50 m³.",
        [("10", 10, "m3", None), ("50 m³", 50, "m3", None)],
    ),
    (
        MOFCOM,
        "b. Spray drying equipment with volume > 60 m³;",
        [("> 60 m³", 60, "m3", "more_than")],
    ),
    # m: sizes "Φ1.8x20 m" and a plain length
    (
        MOFCOM,
        "Size range Φ1.8\u00d720 m ~ Φ4.6\u00d780 m;",
        [
            ("Φ1.8", 1.8, "m", None),
            ("20 m", 20, "m", None),
            ("Φ4.6", 4.6, "m", None),
            ("80 m", 80, "m", None),
        ],
    ),
    (
        MOFCOM,
        "(26) 2B902.z. Shaft kilns with size range ≥ Φ19\u00d721 m for rare earth "
        "secondary resource recycling.",
        [("≥ Φ19", 19, "m", "at_least"), ("21 m", 21, "m", "at_least")],
    ),
    (
        MOFCOM,
        "c. Chemical vapor deposition (CVD) rotary kiln with barrel diameter > 0.5 m.",
        [("> 0.5 m", 0.5, "m", "more_than")],
    ),
    # celsius, glued and spaced, as a range
    (
        MOFCOM,
        "Reaction temperature ≤ 850 ℃.",
        [("≤ 850 ℃", 850, "celsius", "at_most")],
    ),
    (
        MOFCOM,
        "Reaction temperature 320~650 ℃;",
        [("320", 320, "celsius", None), ("650 ℃", 650, "celsius", None)],
    ),
    (
        MOFCOM,
        "Heating temperature 0~1700 ℃;",
        [("0", 0, "celsius", None), ("1700 ℃", 1700, "celsius", None)],
    ),
    (
        MOFCOM,
        "Maximum heating temperature ≥ 1400℃;",
        [("≥ 1400℃", 1400, "celsius", "at_least")],
    ),
    # minutes, celsius and a tolerance. The gold's mention is "within ±3 ℃":
    # "within" is no qualifier word ("within 90 days" is plain 90 days), the
    # tolerance sign makes it at_most.
    (
        MOFCOM,
        "(23) 2B902.w. Any of the following rare earth permanent magnet vacuum "
        "sintering furnaces with cooling time ≤ 20 min, heating temperature "
        "500~1200 ℃, and temperature uniformity within ±3 ℃ at 1000 ℃:",
        [
            ("≤ 20 min", 20, "minutes", "at_most"),
            ("500", 500, "celsius", None),
            ("1200 ℃", 1200, "celsius", None),
            ("±3 ℃", 3, "celsius", "at_most"),
            ("1000 ℃", 1000, "celsius", None),
        ],
    ),
    # kw, ampere, a_per_cm2, khz
    (
        MOFCOM,
        "Motors with output power 5.5~37 kW.",
        [("5.5", 5.5, "kw", None), ("37 kW", 37, "kw", None)],
    ),
    (
        MOFCOM,
        "Current range 6000~30000 A;",
        [("6000", 6000, "ampere", None), ("30000 A", 30000, "ampere", None)],
    ),
    (
        MOFCOM,
        "Anode current density range 5~7 A/cm²;",
        [("5", 5, "a_per_cm2", None), ("7 A/cm²", 7, "a_per_cm2", None)],
    ),
    (
        MOFCOM,
        "Medium frequency power supply frequency 1~8 kHz;",
        [("1", 1, "khz", None), ("8 kHz", 8, "khz", None)],
    ),
    # pa in scientific notation, ppm, tesla
    (
        MOFCOM,
        "Vacuum degree ≥ 1\u00d710⁻³ Pa;",
        [("≥ 1\u00d710⁻³ Pa", 0.001, "pa", "at_least")],
    ),
    (
        MOFCOM,
        "Oxygen content inside system ≤ 80ppm.",
        [("≤ 80ppm", 80, "ppm", "at_most")],
    ),
    (
        MOFCOM,
        "(20) 2B902.t. Molding presses with magnetizing fields for rare earth "
        "permanent magnets with magnetic induction intensity ≥ 1.5T.",
        [("≥ 1.5T", 1.5, "tesla", "at_least")],
    ),
    # g_per_cm3, mah_per_g, litres
    (
        MOFCOM,
        "(1) 3C901.a.1. Lithium iron phosphate cathode materials with compacted "
        "density ≥ 2.5 g/cm³ and specific capacity ≥ 156 mAh/g (Reference HS Code: "
        "28429040).",
        [
            ("≥ 2.5 g/cm³", 2.5, "g_per_cm3", "at_least"),
            ("≥ 156 mAh/g", 156, "mah_per_g", "at_least"),
        ],
    ),
    (
        MOFCOM,
        "a. Fusion coating equipment with volume > 300 L;",
        [("> 300 L", 300, "litres", "more_than")],
    ),
    # Qualifier phrase: "no later than"
    (
        MOFCOM,
        "V. For export applications with end-uses for humanitarian relief such as "
        "emergency medical care, response to public health emergencies, or natural "
        "disaster relief, foreign export operators do not need to apply for dual-use "
        "item export licenses, but shall report to the Ministry of Commerce of China "
        "via email (jingwaibaogao@mofcom.gov.cn) no later than 10 working days after "
        "export, and commit that the relevant items will not be used for purposes "
        "that endanger China\u2019s national security and interests.",
        [("no later than 10 working days", 10, "days", "at_most")],
    ),
    # Partitive counts: the number alone
    (
        BRIEFER,
        "Seven of the top 10 flake graphite producers are Chinese, comprising 37% "
        "market share.",
        [("Seven", 7, "count", None), ("37%", 37, "percent", None)],
    ),
    (
        BRIEFER,
        "Only four of the top 10 lithium firms are Chinese (with 13% market share), "
        "but this likely understates Chinese influence since Chinese firms in some "
        "cases have ownership stakes in firms from other countries.",
        [("four", 4, "count", None), ("13%", 13, "percent", None)],
    ),
    # A count through four words to its noun
    (
        IF11175,
        "The country has an open economy with 13 reciprocal free trade agreements "
        "(FTAs) covering more than 50 countries, including the United States under "
        "the USMCA.",
        [
            ("13 reciprocal free trade agreements", 13, "count", None),
            ("more than 50 countries", 50, "count", "more_than"),
        ],
    ),
    # Durations: "or more" before the unit, "half a year"
    (
        BRIEFER,
        "An annual Minerals Yearbook includes more detailed assessments but is often "
        "published one or more years behind (see the Graphite page for an example).",
        [("one or more years", 1, "years", "at_least")],
    ),
    (
        CIER,
        "To prevail in the supply chain battle, President Trump has implemented "
        "multiple policies in less than half a year since returning to the White "
        "House in 2025.",
        [("less than half a year", 0.5, "years", "less_than")],
    ),
]


def _document(name: str) -> Path:
    if name == IF11175:
        return shared(name)
    return CORPUS / "documents" / name


@pytest.mark.parametrize(("document", "sentence", "expected"), CASES)
def test_finds_every_quantity_of_a_seed_sentence(
    document: str, sentence: str, expected: list[Expected]
) -> None:
    found = find_quantities(sentence)
    assert [(q.text, q.unit, q.qualifier) for q in found] == [
        (mention, unit, qualifier) for mention, _, unit, qualifier in expected
    ]
    for q, (_, value, _, _) in zip(found, expected, strict=True):
        assert q.value == pytest.approx(value, rel=1e-9, abs=0)


@pytest.mark.parametrize(("document", "sentence"), [case[:2] for case in CASES])
def test_cases_are_real_seed_sentences(document: str, sentence: str) -> None:
    assert sentence in _document(document).read_text(encoding="utf-8")
