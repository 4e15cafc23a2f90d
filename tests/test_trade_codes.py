"""Commodity codes: HS-6 joins, the HTS schedule, and rolling up 2025-style splits."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefs.trade.census import load_census
from briefs.trade.codes import (
    CodeError,
    find_splits,
    format_hts,
    load_hts_schedule,
    normalise_unit,
    parse_code,
    parse_hts_schedule,
    roll_up,
    to_hs6,
)
from briefs.trade.frame import TradeDataError
from tests.conftest import ROOT, shared

FIXTURES = ROOT / "tests" / "fixtures" / "trade"
HTS_2024 = ("hts-schedule", "hts_2024_basic_edition_csv.csv")


# --- to_hs6 and parse_code ----------------------------------------------------


@pytest.mark.parametrize(
    ("code", "hs6"),
    [
        ("8507.60.0020", "850760"),  # HTS-10 as the HTS prints it
        ("8507.60.00.20", "850760"),  # HTS-10 as the CSV schedule writes it
        ("8507600020", "850760"),  # HTS-10 as Census I_COMMODITY gives it
        ("85076000", "850760"),  # HTS-8 / Chinese 8-digit
        ("8507.60.00", "850760"),
        ("850760", "850760"),  # HS-6
        ("8507.60", "850760"),
        ("2504101000", "250410"),  # Chinese 10-digit (MOFCOM)
        ("8112.9290.10", "811292"),  # Chinese 10-digit, dotted by fours
        (" 0101.21.00.10 ", "010121"),  # leading zero kept, whitespace ignored
    ],
)
def test_to_hs6(code: str, hs6: str) -> None:
    assert to_hs6(code) == hs6


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "382569005",
            "'382569005' has 9 digits; a commodity code has 2, 4, 6, 8 or 10 "
            "(a digit is missing, or a leading zero was dropped by a spreadsheet)",
        ),
        (
            "8507.6",
            "'8507.6' is not a commodity code: dots go after the 4-digit heading "
            "and between pairs (8507.60.00.20 or 8507.60.0020)",
        ),
        ("85O760", "'85O760' is not a commodity code: use digits, optionally dotted"),
        ("", "'' is not a commodity code: use digits, optionally dotted"),
        ("0050760000", "'0050760000' is not a commodity code: there is no chapter 00"),
        ("8507", "'8507' is a chapter or heading; it has no HS-6 subheading"),
        (
            "9903.88.01",
            "'9903.88.01' is in chapter 99, a US-only provision with no HS-6",
        ),
    ],
)
def test_to_hs6_refuses(code: str, message: str) -> None:
    with pytest.raises(CodeError) as e:
        to_hs6(code)
    assert str(e.value) == message


def test_code_errors_are_trade_data_errors() -> None:
    assert issubclass(CodeError, TradeDataError)


@pytest.mark.parametrize(
    ("code", "national", "system"),
    [
        ("85", "HTS", "HS2"),
        ("8507", "HTS", "HS4"),
        ("850760", "HTS", "HS6"),
        ("85076000", "HTS", "HTS8"),
        ("8507600020", "HTS", "HTS10"),
        ("25041010", "CN", "CN8"),
        ("2504101000", "CN", "CN10"),
        ("250410", None, "HS6"),
    ],
)
def test_parse_code_systems(code: str, national: str | None, system: str) -> None:
    assert parse_code(code, national=national).system == system


def test_parse_code_without_a_national_schedule_refuses_tariff_lines() -> None:
    with pytest.raises(CodeError, match="national tariff line"):
        parse_code("8507600020", national=None)


def test_chapter_98_has_no_hs6_but_parses() -> None:
    assert parse_code("9801001012").hs6 is None


def test_chinese_codes_of_the_shared_hs_map() -> None:
    """The Comtrade-derived project's map lists Chinese 8-digit codes."""
    with shared(
        "trade-comtrade-china-exports-graphite-gallium", "hs_map.csv"
    ).open() as f:
        codes = [row["hs6"] for row in csv.DictReader(f)]
    parsed = [parse_code(c, national="CN") for c in codes]
    assert {p.system for p in parsed} == {"CN8"}
    assert parsed[codes.index("25041010")].hs6 == "250410"
    assert parsed[codes.index("38011000")].hs6 == "380110"


# Ten digits with a real chapter (01-97), cut to 6, 8 or 10.
_codes = st.tuples(
    st.integers(1, 97),
    st.text("0123456789", min_size=8, max_size=8),
    st.sampled_from([6, 8, 10]),
).map(lambda t: (f"{t[0]:02d}{t[1]}")[: t[2]])


def _render(digits: str, style: int) -> str:
    """One of the ways sources write a code."""
    pairs = [digits[i : i + 2] for i in range(4, len(digits), 2)]
    if style == 1:  # 8507.60.00.20
        return ".".join([digits[:4], *pairs])
    if style == 2 and len(digits) == 10:  # 8507.60.0020
        return f"{digits[:4]}.{digits[4:6]}.{digits[6:]}"
    return digits


@given(_codes, st.integers(0, 2), st.sampled_from(["", " ", "\t"]))
def test_to_hs6_is_the_first_six_digits_in_any_format(
    digits: str, style: int, pad: str
) -> None:
    assert to_hs6(pad + _render(digits, style) + pad) == digits[:6]


@given(
    st.text("0123456789", min_size=1, max_size=14).filter(
        lambda s: len(s) not in (2, 4, 6, 8, 10)
    )
)
def test_to_hs6_refuses_other_lengths(digits: str) -> None:
    with pytest.raises(CodeError, match=f"has {len(digits)} digits"):
        to_hs6(digits)


@given(_codes)
def test_format_hts_round_trips(digits: str) -> None:
    assert parse_code(format_hts(digits)).digits == digits


def test_normalise_unit() -> None:
    assert [
        normalise_unit(u)
        for u in ("KG", "kilograms", "NO", "number", "u", " ", None, "M3")
    ] == [
        "kg",
        "kg",
        "number",
        "number",
        "number",
        None,
        None,
        "M3",
    ]


# --- the HTS schedule ---------------------------------------------------------


def test_describe_composes_the_indent_hierarchy() -> None:
    hts = load_hts_schedule(FIXTURES / "hts-2024-excerpt.csv")
    assert hts.edition == "HTS 2024"
    # "Horses:" is an unnumbered heading; it still belongs in the description.
    assert hts.describe("0101.21.00.10") == (
        "Live horses, asses, mules and hinnies: Horses: Purebred breeding animals: Males"
    )
    assert hts.describe("3801105000").endswith(
        "semimanufactures: Artificial graphite: Other"
    )
    # Codes without a line of their own are described by the line they pad to.
    assert hts.describe("010121") == hts.describe("0101.21.00")
    assert hts.line("3801.10.50.00").units == ("kg",)


def test_describe_unknown_code_names_the_edition() -> None:
    hts = load_hts_schedule(FIXTURES / "hts-2024-excerpt.csv")
    assert "3801.10.50.10" not in hts
    assert "not a code" not in hts
    with pytest.raises(CodeError) as e:
        hts.describe("3801.10.50.10")
    assert str(e.value) == "'3801.10.50.10' is not in the HTS 2024"


def test_schedule_errors_name_the_row() -> None:
    text = 'HTS Number,Indent,Description\n"0101","0","Horses"\n"0101.21","x","Other"\n'
    with pytest.raises(TradeDataError) as e:
        parse_hts_schedule(text, "HTS test")
    assert str(e.value) == "HTS test row 3: Indent 'x' is not a number"
    with pytest.raises(TradeDataError, match=r"HTS test row 1: missing columns Indent"):
        parse_hts_schedule("HTS Number,Description\n", "HTS test")


def test_real_2024_schedule() -> None:
    hts = load_hts_schedule(shared(*HTS_2024))
    assert hts.edition == "HTS 2024"
    assert len(hts.lines) == 29743
    for code in (
        "8507.60.00.10",
        "8507.60.00.20",
        "3801.10.50.00",
        "2504.10.10.00",
        "2504.10.50.00",
        "2836.91.00.10",
        "2836.91.00.50",
        "2825.20.00.00",
    ):
        assert code in hts
    assert hts.describe("8507.60.00.10").startswith(
        "Electric storage batteries, including separators therefor"
    )
    assert (
        ": Lithium-ion batteries: Of a kind used as the primary source"
        in hts.describe("8507600010")
    )
    assert hts.describe("8112.92.10.00").endswith(": Gallium")
    assert hts.children("3801.10.50") == ("3801105000",)


# --- editions and roll_up -----------------------------------------------------

SPLIT_NOTE = (
    "3801.10.50.00 in the HTS 2024 is 3801.10.50.10, 3801.10.50.90 in the HTS 2025"
)


def test_find_splits_between_editions() -> None:
    old = load_hts_schedule(FIXTURES / "hts-2024-excerpt.csv")
    new = load_hts_schedule(FIXTURES / "hts-2025-excerpt.csv")
    assert find_splits(old, new) == {"38011050": SPLIT_NOTE}
    assert find_splits(new, new) == {}


def test_find_splits_reports_retired_lines() -> None:
    old = load_hts_schedule(FIXTURES / "hts-2024-excerpt.csv")
    text = (FIXTURES / "hts-2024-excerpt.csv").read_text(encoding="utf-8-sig")
    new = parse_hts_schedule(
        text.replace('"0101.21.00.20","3","Females"', '"","3","Gone"'), "HTS X"
    )
    assert find_splits(old, new) == {
        "01012100": "0101.21.00.20 in the HTS 2024 is retired in the HTS X"
    }


def test_real_2024_schedule_against_a_2025_excerpt() -> None:
    old = load_hts_schedule(shared(*HTS_2024))
    new = load_hts_schedule(FIXTURES / "hts-2025-excerpt.csv")
    assert find_splits(old, new, within="3801") == {"38011050": SPLIT_NOTE}


def _split_frame() -> pd.DataFrame:
    return load_census(FIXTURES / "census-imports-3801-2024-12-2025-01.json")


def test_roll_up_sums_a_2025_split_back_to_its_stem() -> None:
    frame = _split_frame()
    new = load_hts_schedule(FIXTURES / "hts-2025-excerpt.csv")
    rolled, notes = roll_up(frame, {"3801.10.50": SPLIT_NOTE}, schedule=new)

    stem = rolled[rolled["code"] == "38011050"].set_index(
        ["year", "month", "partner_iso3"]
    )
    assert len(stem) == 6
    assert stem.loc[(2024, 12, "CHN"), "value_usd"] == 6_000_000
    assert stem.loc[(2025, 1, "CHN"), "value_usd"] == 5_000_000 + 1_500_000
    assert stem.loc[(2025, 1, "CHN"), "quantity"] == 800_000 + 400_000
    assert stem.loc[(2025, 1, "WLD"), "value_usd"] == 9_500_000
    assert set(stem["code_system"]) == {"HTS8"}
    assert set(stem["hs6"]) == {"380110"}
    assert set(stem["quantity_unit"]) == {"kg"}
    assert set(stem["description"]) == {new.describe("3801.10.50")}
    assert stem["source_row"].isna().all()  # many rows each; the note lists them
    # The other artificial-graphite line is not under the stem and passes through.
    other = rolled[rolled["code"] == "3801101000"]
    pd.testing.assert_frame_equal(
        other.reset_index(drop=True),
        frame[frame["code"] == "3801101000"].reset_index(drop=True),
    )
    # Nothing is lost: totals per period are unchanged.
    assert rolled.groupby(["year", "month"])["value_usd"].sum().to_dict() == (
        frame.groupby(["year", "month"])["value_usd"].sum().to_dict()
    )

    (note,) = notes
    assert note.codes == ("3801105000", "3801105010", "3801105090")
    assert note.source_rows == (2, 3, 4, 5, 6, 7, 8, 9, 10)
    assert (note.rows_in, note.rows_out) == (9, 6)
    assert note.text == (
        "Codes 3801.10.50.00, 3801.10.50.10, 3801.10.50.90 are summed to 3801.10.50 "
        f"(9 rows into 6) because {SPLIT_NOTE}."
    )


def test_roll_up_with_find_splits_output() -> None:
    old = load_hts_schedule(FIXTURES / "hts-2024-excerpt.csv")
    new = load_hts_schedule(FIXTURES / "hts-2025-excerpt.csv")
    rolled, notes = roll_up(_split_frame(), find_splits(old, new))
    assert [n.stem for n in notes] == ["38011050"]
    assert (
        rolled["description"][rolled["code"] == "38011050"].isna().all()
    )  # no schedule given


def test_roll_up_keeps_a_quantity_only_when_every_row_has_one() -> None:
    frame = _split_frame()
    frame.loc[
        (frame["code"] == "3801105090") & (frame["partner_iso3"] == "CHN"), "quantity"
    ] = None
    rolled, _ = roll_up(frame, {"38011050": "split"})
    row = rolled[
        (rolled["code"] == "38011050")
        & (rolled["partner_iso3"] == "CHN")
        & (rolled["year"] == 2025)
    ]
    assert row["value_usd"].tolist() == [6_500_000]
    assert row["quantity"].isna().all()


def test_roll_up_without_matches_changes_nothing() -> None:
    frame = _split_frame()
    rolled, notes = roll_up(frame, {"8507.60": "no rows"})
    assert notes == ()
    pd.testing.assert_frame_equal(rolled, frame)


@pytest.mark.parametrize(
    ("stems", "message"),
    [
        (
            {"3801.10": "a", "3801.10.50": "b"},
            "stems 3801.10 and 3801.10.50 overlap; keep one",
        ),
        ({"3801105010": "a"}, "stem '3801105010' must have 6 or 8 digits, not 10"),
        ({"38011": "a"}, "'38011' has 5 digits"),
    ],
)
def test_roll_up_refuses_bad_stems(stems: dict[str, str], message: str) -> None:
    with pytest.raises(CodeError, match=message):
        roll_up(_split_frame(), stems)


def test_fixture_paths_exist() -> None:
    """The fixtures this module reads are committed beside it."""
    names = {p.name for p in Path(FIXTURES).iterdir()}
    assert {"hts-2024-excerpt.csv", "hts-2025-excerpt.csv"} <= names
