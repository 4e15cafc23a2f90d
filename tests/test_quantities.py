"""The quantity finder: mentions, normalised values, things that are no quantity."""

from __future__ import annotations

import doctest
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.kinds import quantities
from extract.kinds.quantities import Quantity, find_quantities, tie_year

# (sentence, the mention expected in it, value, unit, qualifier)
FOUND: list[tuple[str, str, float, str, str | None]] = [
    # Money
    ("Imports were worth $18.74B in 2024.", "$18.74B", 18_740_000_000, "usd", None),
    ("Total Import Value\t\\$18.74B", "$18.74B", 18_740_000_000, "usd", None),
    ("The credit is $7,500 per vehicle.", "$7,500", 7500, "usd", None),
    ("It raised $1.2 billion from investors.", "$1.2 billion", 1.2e9, "usd", None),
    ("A market of US$3 trillion is at stake.", "US$3 trillion", 3e12, "usd", None),
    ("Exports reached $872.8 billion.", "$872.8 billion", 872.8e9, "usd", None),
    ("It cost 18 million dollars to build.", "18 million dollars", 18e6, "usd", None),
    ("Beijing set aside RMB 5 billion for it.", "RMB 5 billion", 5e9, "cny", None),
    ("Beijing set aside 5 billion yuan for it.", "5 billion yuan", 5e9, "cny", None),
    ("The EU pledged €2 billion.", "€2 billion", 2e9, "eur", None),
    ("Japan pledged 300 billion yen.", "300 billion yen", 3e11, "jpy", None),
    ("A $11.3bn batteries bonanza.", "$11.3bn", 11.3e9, "usd", None),
    ("Carbon black imports were $677M.", "$677M", 677e6, "usd", None),
    ("Sales hit $18.74\u00a0billion.", "$18.74\u00a0billion", 18.74e9, "usd", None),
    ("up to $7,500 for new EVs", "up to $7,500", 7500, "usd", "at_most"),
    # Shares
    ("China supplied 73% of imports.", "73%", 73, "percent", None),
    ("Items worth 0.1% of the value.", "0.1%", 0.1, "percent", None),
    ("China supplied 73 percent of imports.", "73 percent", 73, "percent", None),
    ("China supplied 73 per cent of imports.", "73 per cent", 73, "percent", None),
    ("China supplied 73\u00a0% of imports.", "73\u00a0%", 73, "percent", None),
    (
        "The US imports nearly three-quarters of its lithium-ion batteries.",
        "nearly three-quarters",
        75,
        "percent",
        "nearly",
    ),
    ("Half of the credit is reserved.", "Half", 50, "percent", None),
    ("The other half of the credit is not.", "half", 50, "percent", None),
    (
        "About one-third of output is exported.",
        "About one-third",
        100 / 3,
        "percent",
        "about",
    ),
    ("Two-thirds of refining is Chinese.", "Two-thirds", 200 / 3, "percent", None),
    ("A quarter of supply is at risk.", "A quarter", 25, "percent", None),
    ("Margins fell -12% last year.", "-12%", -12, "percent", None),
    ("Margins fell \u221212% last year.", "\u221212%", -12, "percent", None),
    ("Margins were down 12% last year.", "12%", 12, "percent", None),
    ("The IEA reports 70% of it.", "70%", 70, "percent", None),
    ("the top 10% of firms", "10%", 10, "percent", None),
    # Energy, materials, sizes
    ("production was 70\nGWh last year", "70\nGWh", 70, "gwh", None),
    (
        "Production was 70 gigawatt hours (GWh) in 2023.",
        "70 gigawatt hours",
        70,
        "gwh",
        None,
    ),
    ("Demand was 70 GWh in 2023.", "70 GWh", 70, "gwh", None),
    ("A 30 MWh battery and 5 GW plant", "30 MWh", 30, "mwh", None),
    ("A 30 MWh battery and 5 GW plant", "5 GW", 5, "gw", None),
    ("Packs of 60 kWh each.", "60 kWh", 60, "kwh", None),
    ("Demand of 1.2 TWh by 2030.", "1.2 TWh", 1.2, "twh", None),
    ("A 200 MW solar farm.", "200 MW", 200, "mw", None),
    ("energy density ≥ 300 Wh/kg", "≥ 300 Wh/kg", 300, "wh_per_kg", "at_least"),
    ("particle size ≤ 50 μm", "≤ 50 μm", 50, "um", "at_most"),
    ("particle size ≤ 5µm", "≤ 5µm", 5, "um", "at_most"),
    ("foil 8 micrometres thick", "8 micrometres", 8, "um", None),
    ("logic chips at 14nm and below", "14nm and below", 14, "nm", "at_most"),
    ("a 2 mm sheet", "2 mm", 2, "mm", None),
    ("It mined 3.5 million tons of ore.", "3.5 million tons", 3.5e6, "tonnes", None),
    ("It shipped 1,234.5 tonnes.", "1,234.5 tonnes", 1234.5, "tonnes", None),
    ("It shipped 400 metric tons.", "400 metric tons", 400, "tonnes", None),
    ("It shipped 400 mt.", "400 mt", 400, "tonnes", None),
    ("It shipped 2 Mt of ore.", "2 Mt", 2e6, "tonnes", None),
    ("It shipped 7\u202f500 tonnes.", "7\u202f500 tonnes", 7500, "tonnes", None),
    ("Smelting capacity 10~300 kg.", "300 kg", 300, "kg", None),
    # Technical thresholds (the MOFCOM control lists' units)
    ("Breaking tension ≤ 16 N.", "≤ 16 N", 16, "newton", "at_most"),
    ("a pull of 16 newtons", "16 newtons", 16, "newton", None),
    ("Diamond tooth hardness ≤ 30 HRB;", "≤ 30 HRB", 30, "hrb", "at_most"),
    ("Maximum working speed ≥ 40 m/s.", "≥ 40 m/s", 40, "m_per_s", "at_least"),
    ("processing capacity ≥ 5000 m³.", "≥ 5000 m³", 5000, "m3", "at_least"),
    ("日处理浸出液量大于等于5000 m3的", "大于等于5000 m3", 5000, "m3", "at_least"),
    ("a 40 cubic metre tank", "40 cubic metre", 40, "m3", None),
    ("barrel diameter > 0.5 m.", "> 0.5 m", 0.5, "m", "more_than"),
    ("a wall 3 metres high", "3 metres", 3, "m", None),
    (
        "Fusion coating equipment with volume > 300 L;",
        "> 300 L",
        300,
        "litres",
        "more_than",
    ),
    ("about 3 litres of water", "about 3 litres", 3, "litres", "about"),
    ("Reaction temperature ≤ 850 ℃.", "≤ 850 ℃", 850, "celsius", "at_most"),
    ("Maximum heating temperature ≥ 1400℃;", "≥ 1400℃", 1400, "celsius", "at_least"),
    ("water boils at 100 °C.", "100 °C", 100, "celsius", None),
    ("at 100 degrees Celsius", "100 degrees Celsius", 100, "celsius", None),
    ("uniformity within ±3 ℃ at 1000 ℃", "±3 ℃", 3, "celsius", "at_most"),
    ("a 20 kW charger", "20 kW", 20, "kw", None),
    ("frequency of 8 kHz", "8 kHz", 8, "khz", None),
    ("a current of 30000 amperes", "30000 amperes", 30000, "ampere", None),
    ("density range 5~7 A/cm²;", "7 A/cm²", 7, "a_per_cm2", None),
    ("Vacuum degree ≥ 1\u00d710⁻³ Pa;", "≥ 1\u00d710⁻³ Pa", 0.001, "pa", "at_least"),
    ("a leak of 50\u00d710^-6 Pa", "50\u00d710^-6 Pa", 5e-05, "pa", None),
    ("a pressure of 2 MPa", "2 MPa", 2, "mpa", None),
    ("Oxygen content inside system ≤ 80ppm.", "≤ 80ppm", 80, "ppm", "at_most"),
    ("induction intensity ≥ 1.5T.", "≥ 1.5T", 1.5, "tesla", "at_least"),
    ("a field of 3 teslas", "3 teslas", 3, "tesla", None),
    ("with cooling time ≤ 20 min, heating", "≤ 20 min", 20, "minutes", "at_most"),
    ("it took 45 minutes", "45 minutes", 45, "minutes", None),
    ("compacted density ≥ 2.5 g/cm³ and", "≥ 2.5 g/cm³", 2.5, "g_per_cm3", "at_least"),
    ("specific capacity ≥ 156 mAh/g (HS)", "≥ 156 mAh/g", 156, "mah_per_g", "at_least"),
    # Qualifier symbols and words
    ("Lithium\t>50%\t<3%", ">50%", 50, "percent", "more_than"),
    ("Lithium\t>50%\t<3%", "<3%", 3, "percent", "less_than"),
    ("a share > 50% of sales", "> 50%", 50, "percent", "more_than"),
    ("a share <5% of sales", "<5%", 5, "percent", "less_than"),
    ("only about 30% of batteries", "about 30%", 30, "percent", "about"),
    ("approximately 30% of batteries", "approximately 30%", 30, "percent", "about"),
    ("around 30% of batteries", "around 30%", 30, "percent", "about"),
    ("roughly 30% of batteries", "roughly 30%", 30, "percent", "about"),
    (
        "Some 134 Chinese companies are listed.",
        "Some 134 Chinese companies",
        134,
        "count",
        "about",
    ),
    (
        "control more than 20% of the market",
        "more than 20%",
        20,
        "percent",
        "more_than",
    ),
    ("over 20% of the market", "over 20%", 20, "percent", "more_than"),
    ("above 20% of the market", "above 20%", 20, "percent", "more_than"),
    ("exceeding 20% of the market", "exceeding 20%", 20, "percent", "more_than"),
    ("greater than 20% of it", "greater than 20%", 20, "percent", "more_than"),
    ("less than 20% of it", "less than 20%", 20, "percent", "less_than"),
    ("under 20% of it", "under 20%", 20, "percent", "less_than"),
    ("below 20% of it", "below 20%", 20, "percent", "less_than"),
    ("fewer than 20 firms", "fewer than 20 firms", 20, "count", "less_than"),
    ("at least 40% of the value", "at least 40%", 40, "percent", "at_least"),
    ("no less than 40% of it", "no less than 40%", 40, "percent", "at_least"),
    ("up to 25% FEOC ownership", "up to 25%", 25, "percent", "at_most"),
    ("at most 25% of it", "at most 25%", 25, "percent", "at_most"),
    ("no more than 25% of it", "no more than 25%", 25, "percent", "at_most"),
    ("nearly 40% of it", "nearly 40%", 40, "percent", "nearly"),
    ("almost 40% of it", "almost 40%", 40, "percent", "nearly"),
    ("close to 40% of it", "close to 40%", 40, "percent", "nearly"),
    ("with 50% or more shareholding", "50% or more", 50, "percent", "at_least"),
    ("account for 0.1% or more of it", "0.1% or more", 0.1, "percent", "at_least"),
    ("holdings of 50% and above", "50% and above", 50, "percent", "at_least"),
    ("价值比例达到0.1%及以上的", "0.1%及以上", 0.1, "percent", "at_least"),
    ("for 17+ years", "17+ years", 17, "years", "at_least"),
    # Counts
    (
        "CATL and 134 similar companies were listed.",
        "134 similar companies",
        134,
        "count",
        None,
    ),
    ("It has FTAs with 20 countries.", "20 countries", 20, "count", None),
    (
        "It has 14 such “comprehensive” FTAs.",
        "14 such “comprehensive” FTAs",
        14,
        "count",
        None,
    ),
    (
        "It outlines four key recommendations.",
        "four key recommendations",
        4,
        "count",
        None,
    ),
    (
        "MOFCOM issued six new export restrictions.",
        "six new export restrictions",
        6,
        "count",
        None,
    ),
    ("across the 65 HTS codes", "65 HTS codes", 65, "count", None),
    ("some twenty-five companies", "some twenty-five companies", 25, "count", "about"),
    ("Nearly 2 million people", "Nearly 2 million", 2e6, "count", "nearly"),
    ("It employs 2 million.", "2 million", 2e6, "count", None),
    # Durations
    ("for the next 4 years", "4 years", 4, "years", None),
    ("reviewed every two years", "two years", 2, "years", None),
    ("within 90 days of export", "90 days", 90, "days", None),
    ("10 working days after export", "10 working days", 10, "days", None),
    (
        "report no later than 10 working days after export",
        "no later than 10 working days",
        10,
        "days",
        "at_most",
    ),
    ("a 6-month wait", "6-month", 6, "months", None),
    (
        "policies in less than half a year since",
        "less than half a year",
        0.5,
        "years",
        "less_than",
    ),
    (
        "often published one or more years behind",
        "one or more years",
        1,
        "years",
        "at_least",
    ),
    # Partitives and longer counted noun phrases
    ("Seven of the top 10 flake graphite producers", "Seven", 7, "count", None),
    ("Only four of the top 10 lithium firms", "four", 4, "count", None),
    ("Five of these vessels were hit", "Five", 5, "count", None),
    (
        "an open economy with 13 reciprocal free trade agreements (FTAs)",
        "13 reciprocal free trade agreements",
        13,
        "count",
        None,
    ),
    # One-letter unit symbols are no units in prose
    ("It met 2 N Korean officials.", "2 N Korean officials", 2, "count", None),
    ("It sold 5 Teslas.", "5 Teslas", 5, "count", None),
]


@pytest.mark.parametrize(("text", "mention", "value", "unit", "qualifier"), FOUND)
def test_finds_quantity(
    text: str, mention: str, value: float, unit: str, qualifier: str | None
) -> None:
    found = {q.text: q for q in find_quantities(text)}
    assert mention in found, list(found)
    q = found[mention]
    assert q.value == pytest.approx(value)
    assert (q.unit, q.qualifier) == (unit, qualifier)
    assert text[q.start : q.end] == mention


# (sentence, the mentions in it, in order)
RANGES: list[tuple[str, list[tuple[str, float, str]]]] = [
    ("from 40% to 80% of it", [("40%", 40, "percent"), ("80%", 80, "percent")]),
    ("from 40-80% of it", [("40", 40, "percent"), ("80%", 80, "percent")]),
    ("Smelting capacity 10~300 kg.", [("10", 10, "kg"), ("300 kg", 300, "kg")]),
    (
        "Heating temperature 0~1700 ℃;",
        [("0", 0, "celsius"), ("1700 ℃", 1700, "celsius")],
    ),
    (
        "Current range 6000~30000 A;",
        [("6000", 6000, "ampere"), ("30000 A", 3e4, "ampere")],
    ),
    ("density range 5~7 A/cm²;", [("5", 5, "a_per_cm2"), ("7 A/cm²", 7, "a_per_cm2")]),
    ("frequency 1~8 kHz;", [("1", 1, "khz"), ("8 kHz", 8, "khz")]),
    ("Motors with output power 5.5~37 kW.", [("5.5", 5.5, "kw"), ("37 kW", 37, "kw")]),
    # "volume" is a measure here, not a document volume
    ("tank volume 10~50 m³.", [("10", 10, "m3"), ("50 m³", 50, "m3")]),
    ("chamber volume 0.5~14.2 m³ for", [("0.5", 0.5, "m3"), ("14.2 m³", 14.2, "m3")]),
    ("volume 10 ~ 50 m³.", [("10", 10, "m3"), ("50 m³", 50, "m3")]),
    # Sizes: a diameter by a length, both in the last unit
    (
        "Size range Φ1.8\u00d720 m ~ Φ4.6\u00d780 m;",
        [("Φ1.8", 1.8, "m"), ("20 m", 20, "m"), ("Φ4.6", 4.6, "m"), ("80 m", 80, "m")],
    ),
    ("a 5 to 10 years delay", [("5", 5, "years"), ("10 years", 10, "years")]),
    ("$10-20 billion a year", [("$10", 10e9, "usd"), ("20 billion", 20e9, "usd")]),
    (
        "27 vehicles from nine automakers",
        [("27 vehicles", 27, "count"), ("nine automakers", 9, "count")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), RANGES)
def test_finds_each_number_of_a_range(
    text: str, expected: list[tuple[str, float, str]]
) -> None:
    found = find_quantities(text)
    assert [(q.text, q.unit) for q in found] == [(m, u) for m, _, u in expected]
    for q, (_, value, _) in zip(found, expected, strict=True):
        assert q.value == pytest.approx(value)


# (text, a part of it that must hold no quantity)
NOT_QUANTITIES: list[tuple[str, str]] = [
    # Years and dates
    ("In 2022, China controlled the market.", "2022"),
    ("2024 data from Benchmark show it.", "2024"),
    ("Prices have risen since 2019 sharply.", "2019"),
    ("Funding for FY2027 projects", "FY2027"),
    ("No. 75 | May 30, 2025", "May 30, 2025"),
    ("It applies from December 1, 2025 onwards.", "December 1, 2025"),
    ("Issued 2025-10-09 by MOFCOM.", "2025-10-09"),
    ("Issue Date: October 9 items", "October 9"),
    ("In 2024 exports fell.", "2024"),
    ("the 2020 U.S.-Japan Trade Agreement", "2020"),
    ("From 2021 to 2023, he served", "2021 to 2023"),
    ("in the late 90s", "90"),
    ("in year two suggests", "two"),
    # Tariff and export-control codes
    ("HTS 8507.60.00 covers cells.", "8507.60.00"),
    ("HTS 8507.60.0010 covers cells.", "8507.60.0010"),
    ("the six digit HS code of 850760 items", "850760"),
    ("Batteries (85076000) items", "85076000"),
    ("Reference HS Code: 28429040 items", "28429040"),
    ("Lithium-Ion Storage Batteries, Nesoi (8507600020)\tChina (72%)", "8507600020"),
    ("HS 2504 covers natural graphite.", "HS 2504"),
    ("under HTS code 3801.10.50 items", "3801.10.50"),
    ("a 10-digit HTS code", "10"),
    ("Control Code: 3C901.a.1 items", "3C901.a.1"),
    ("ECCN 3A001 items", "3A001"),
    ("(1) 2B902.a. Centrifugal extraction equipment", "2B902.a"),
    ("(Control Code: 1E902.b) items", "1E902.b"),
    ("9A515 items", "9A515"),
    # Document numbers and references
    ("MOFCOM Announcement No. 58/2025 items", "No. 58/2025"),
    ("BRIEFER No. 75 items", "No. 75"),
    ("CRS In Focus IF12517 items", "IF12517"),
    ("CRS Report R47324 items", "R47324"),
    ("P.L. 117-169 items", "P.L. 117-169"),
    ("(e.g., S. 756/H.R. 2951) bills", "S. 756"),
    ("(e.g., S. 756/H.R. 2951) bills", "H.R. 2951"),
    ("under Sec. 30D credits", "Sec. 30D"),
    ("section 232 tariffs", "section 232"),
    ("Sections 232 and 301 tariffs", "Sections 232 and 301"),
    ("the 45X credits", "45X"),
    ("the 30D credits", "30D"),
    ("Part 1 of Annex 1 items", "Annex 1"),
    ("Part 2 items", "Part 2"),
    ("Article 5 requires", "Article 5"),
    ("Table 1 shows", "Table 1"),
    ("Figure 2 shows", "Figure 2"),
    ("Executive Order 14017 orders", "Executive Order 14017"),
    ("EO 14017 orders", "EO 14017"),
    ("(19 C.F.R. § 103.31) rules", "19 C.F.R. § 103.31"),
    ("link to page 2 link", "page 2"),
    # Enumerators
    ("1. Outdated classifications", "1."),
    ("(1) Items listed in Part 2", "(1)"),
    ("(a) Items listed", "(a)"),
    ("II. Export applications", "II."),
    ("1) Items listed", "1)"),
    ("## 1. UPDATE TRADE CODES", "1."),
    ("agreed to (1) maintain rules; (2) confer rules", "(2)"),
    # Other codes, ranks, ordinals
    ("Holmium (CAS 7440-55-3) items", "7440-55-3"),
    ("version 1.2.3 items", "1.2.3"),
    ("the 1st items", "1st"),
    ("in the 21st century", "21st"),
    ("All of the top 10 firms are Chinese.", "10"),
    ("the top five producers", "five"),
    ("Japan is one of our partners.", "one"),
    ("In the first year", "first"),
    # One-letter units only in a technical context
    ("Part 2 A items", "Part 2 A"),
    ("Annex 1 A items", "Annex 1 A"),
    ("It employs 5 m people.", "5 m"),
    ("a grade > 5 A student", "5 A"),
    ("a 5 T truck", "5 T"),
    ("add 3 L.", "3 L"),
    ("at 3 Newton Street", "3 Newton"),
    ("a 3\u00d7 increase", "3\u00d7"),
    ("2 x 10 grid", "2 x 10"),
    ("in 2024 ~ 50 m wide", "2024"),
    ("call 555-123-4567 today", "555-123-4567"),
    ("the G-7 countries", "G-7"),
    ("only 5 percentage points", "5"),
    ("in the first half of 2024", "half"),
    # Currencies we have no unit for are skipped, not mislabelled
    ("a A$5 billion fund", "A$5 billion"),
    ("a £5 billion fund", "£5 billion"),
]


@pytest.mark.parametrize(("text", "part"), NOT_QUANTITIES)
def test_not_a_quantity(text: str, part: str) -> None:
    start = text.index(part)
    end = start + len(part)
    hits = [q for q in find_quantities(text) if q.start < end and start < q.end]
    assert hits == []


# (sentence, the mention, the year it is tied to)
YEARS: list[tuple[str, str, int | None]] = [
    ("In 2022, China controlled 100% of spherical graphite.", "100%", 2022),
    ("According to 2024 data from Benchmark, China controls 70% of it.", "70%", 2024),
    (
        "China was responsible for 56% of imports in 2021, which increased to 73% "
        "by 2023.",
        "56%",
        2021,
    ),
    (
        "China was responsible for 56% of imports in 2021, which increased to 73% "
        "by 2023.",
        "73%",
        2023,
    ),
    (
        "In January 2025, the DOD listed 134 similar companies.",
        "134 similar companies",
        2025,
    ),
    ("FY2024 spending was $3 billion.", "$3 billion", 2024),
    ("Issue Date: October 9, 2025. Exports need 50% or more.", "50% or more", None),
    ("Announcement No. 58/2025 covers 0.1% or more of value.", "0.1% or more", None),
    ("China holds 91% of the anode market.", "91%", None),
    ("It shipped 2000 tonnes in 2023.", "2000 tonnes", 2023),
]


@pytest.mark.parametrize(("text", "mention", "year"), YEARS)
def test_tie_year(text: str, mention: str, year: int | None) -> None:
    q = next(q for q in find_quantities(text) if q.text == mention)
    assert tie_year(text, q) == year


def test_the_docstring_examples_hold() -> None:
    assert doctest.testmod(quantities).failed == 0


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------


def assert_well_formed(text: str, found: tuple[Quantity, ...]) -> None:
    for q in found:
        assert text[q.start : q.end] == q.text
        assert q.qualifier in (None, *quantities._QUALIFIER_WORDS.values())
    ends = [(q.start, q.end) for q in found]
    assert ends == sorted(ends)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(ends))


@given(cents=st.integers(min_value=0, max_value=10**7))
def test_billions_of_dollars_parse(cents: int) -> None:
    amount = f"${cents // 100}.{cents % 100:02d}B"
    (q,) = find_quantities(f"Imports were {amount} in total.")
    assert (q.text, q.unit) == (amount, "usd")
    assert q.value == pytest.approx(cents / 100 * 1e9)


@given(
    whole=st.integers(min_value=0, max_value=10**4),
    decimals=st.integers(min_value=0, max_value=3),
    fraction=st.integers(min_value=0, max_value=999),
)
def test_percents_parse(whole: int, decimals: int, fraction: int) -> None:
    digits = f"{fraction:03d}"[:decimals]
    number = f"{whole}.{digits}" if digits else str(whole)
    (q,) = find_quantities(f"The share rose to {number}% of sales.")
    assert (q.text, q.unit) == (f"{number}%", "percent")
    assert q.value == pytest.approx(float(number))


@given(tonnes=st.integers(min_value=0, max_value=10**12))
def test_tonnes_with_separators_parse(tonnes: int) -> None:
    (q,) = find_quantities(f"It exported {tonnes:,} tonnes of graphite.")
    assert (q.text, q.unit) == (f"{tonnes:,} tonnes", "tonnes")
    assert q.value == tonnes


FRAGMENTS = [
    "In 2022", ", ", " ", ". ", "\n", "(1) ", "1. ", "$", "US$", "€", "RMB ", "-",
    "\u2212", "~", "≥ ", "<", "more than ", "about ", "nearly ", "half of ",
    "three-quarters of ", "12", "7,500", "0.1", "18.74", "2025", "850760", "B",
    "billion ", "million ", "%", " percent", " GWh", " Wh/kg", " μm", " tonnes",
    " years", " companies", " or more", "及以上", "No. ", "Part ", "HS ", "top ",
    "five ", "twenty-one ", "May 30, ", "3A001", "7440-55-3", "\u00a0", "“", "”",
    " m", " N", " A", "T", " m³", " ℃", "Φ", "\u00d7", "\u00d710⁻³", "±", " of the ",
    "half a ", "within ", "no later than ", " kW", " A/cm²",
]  # fmt: skip


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join))
def test_mentions_are_exact_sorted_and_disjoint(text: str) -> None:
    found = find_quantities(text)
    assert_well_formed(text, found)
    for q in found:
        year = tie_year(text, q)
        assert year is None or 1900 <= year <= 2099


@given(st.text(max_size=300))
def test_never_raises_on_any_text(text: str) -> None:
    found = find_quantities(text)
    assert_well_formed(text, found)
    for q in found:
        tie_year(text, q)
