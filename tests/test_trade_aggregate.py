"""Aggregations over the trade frame, and the export-control exposure table.

Frames are built here with the schema (``frame_of``), one dict per row, so the
tests do not depend on any loader.
"""

from __future__ import annotations

import doctest
import math
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefs.trade import aggregate, exposure
from briefs.trade.aggregate import (
    china_share,
    concentration,
    one_flow,
    partner_shares,
    top_partners,
    year_over_year,
)
from briefs.trade.exposure import exposure_table, hs6_of
from briefs.trade.frame import COLUMNS, TradeDataError, check_frame

SHA = "a" * 64
DATASET = "Census international trade API, imports by HS"
NAMES = {"WLD": "World", "CHN": "China", "KOR": "South Korea", "JPN": "Japan",
         "DEU": "Germany", "VNM": "Vietnam", "HUN": "Hungary", None: "European Union"}  # fmt: skip
DEFAULTS: dict[str, Any] = {
    "year": 2024,
    "month": None,
    "flow": "general_imports",
    "reporter": "United States",
    "reporter_iso3": "USA",
    "code": "850760",
    "code_system": "HS6",
    "description": "LITHIUM-ION BATTERIES",
    "quantity": None,
    "quantity_unit": None,
    "dataset": DATASET,
    "source_sha256": SHA,
    "query": "get=CTY_CODE,CTY_NAME,GEN_VAL_MO&COMM_LVL=HS6&I_COMMODITY=850760",
}


def frame_of(*rows: dict[str, Any]) -> pd.DataFrame:
    """A checked frame; each row gives at least ``iso`` and ``usd``.

    ``source_row`` counts from 2 (the header is row 1), ``hs6`` follows
    ``code``, and ``partner`` is named after ``iso`` unless given.
    """
    records = []
    for number, row in enumerate(rows, start=2):
        row = dict(row)
        iso, usd = row.pop("iso"), row.pop("usd")
        record = {**DEFAULTS, "partner": NAMES.get(iso, iso), **row}
        record |= {"partner_iso3": iso, "value_usd": usd, "source_row": number}
        record.setdefault("hs6", str(record["code"])[:6])
        records.append(record)
    return check_frame(pd.DataFrame(records, columns=list(COLUMNS)), "test")


def world(usd: float, **more: Any) -> dict[str, Any]:
    return {"iso": "WLD", "usd": usd, **more}


def cited(*rows: int, sha: str = SHA) -> tuple[tuple[str, int], ...]:
    return tuple((sha, r) for r in rows)


# Two years of HS 850760: world rows, an EU grouping (no ISO code), partners.
BATTERIES = frame_of(
    world(100.0, year=2023),  # row 2
    {"iso": "CHN", "usd": 70.0, "year": 2023},  # 3
    {"iso": "KOR", "usd": 20.0, "year": 2023},  # 4
    {"iso": None, "usd": 5.0, "year": 2023},  # 5: a grouping
    {"iso": "JPN", "usd": 10.0, "year": 2023},  # 6
    world(120.0),  # 7 (2024)
    {"iso": "CHN", "usd": 60.0},  # 8
    {"iso": "KOR", "usd": 40.0},  # 9
    {"iso": "VNM", "usd": 20.0},  # 10
)


def records(frame: pd.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
    """Rows as tuples, floats rounded to 6 places."""
    out = []
    for row in frame[list(columns)].itertuples(index=False):
        out.append(tuple(round(v, 6) if isinstance(v, float) else v for v in row))
    return out


# -- partner shares ------------------------------------------------------------


def test_partner_shares_leave_out_world_and_groupings() -> None:
    result = partner_shares(BATTERIES)
    assert records(
        result.frame, "year", "partner_iso3", "value_usd", "share_percent"
    ) == [
        (2023, "CHN", 70.0, 70.0),
        (2023, "KOR", 20.0, 20.0),
        (2023, "JPN", 10.0, 10.0),
        (2024, "CHN", 60.0, 50.0),
        (2024, "KOR", 40.0, 33.333333),
        (2024, "VNM", 20.0, 16.666667),
    ]
    assert result.rows == cited(3, 4, 6, 8, 9, 10)
    assert result.cited.ranges() == ((SHA, 3, 4), (SHA, 6, 6), (SHA, 8, 10))
    assert len(result.cited) == 6
    assert result.datasets == (DATASET,)
    assert result.codes == ("850760",)
    assert result.note == (
        "Partner shares of general imports by year; left out: 2 world-total rows, "
        "1 grouping or unmapped-partner row."
    )
    assert result.source == (
        "Source: Census international trade API, imports by HS. "
        "United States general imports, HS6 850760."
    )


def test_a_year_without_imports_is_left_out_of_shares() -> None:
    frame = frame_of(
        {"iso": "CHN", "usd": 0.0, "year": 2023}, {"iso": "CHN", "usd": 5.0}
    )
    result = partner_shares(frame)
    assert records(result.frame, "year", "share_percent") == [(2024, 100.0)]
    assert result.note.endswith("; years with no imports: 2023.")


def test_rows_without_a_value_are_left_out_and_counted() -> None:
    frame = frame_of({"iso": "CHN", "usd": None}, {"iso": "KOR", "usd": 5.0})
    result = partner_shares(frame)
    assert result.rows == cited(3)
    assert "left out: 1 valueless row" in result.note


def test_rows_from_several_sources_are_cited_sorted() -> None:
    b = "b" * 64
    frame = frame_of(
        {"iso": "KOR", "usd": 1.0, "source_sha256": b},
        {"iso": "CHN", "usd": 1.0},
        {"iso": "JPN", "usd": 1.0, "source_sha256": b, "dataset": "USITC DataWeb"},
    )
    result = partner_shares(frame)
    assert result.rows == (*cited(3), *cited(2, 4, sha=b))
    assert result.datasets == (DATASET, "USITC DataWeb")
    assert result.source.startswith(f"Source: {DATASET}; USITC DataWeb. ")


# -- one basis -------------------------------------------------------------------


def test_two_flows_are_refused_and_one_flow_selects() -> None:
    frame = frame_of(
        {"iso": "CHN", "usd": 1.0},
        {"iso": "CHN", "usd": 1.0, "flow": "imports_for_consumption"},
    )
    with pytest.raises(TradeDataError) as e:
        partner_shares(frame)
    assert str(e.value) == (
        "the frame has flow general_imports, imports_for_consumption; select one "
        "flow before aggregating, e.g. one_flow(frame, 'general_imports') "
        "(values would be added across them)"
    )
    assert partner_shares(one_flow(frame, "general_imports")).rows == cited(2)
    with pytest.raises(
        TradeDataError, match="no rows of flow 'exports'; the frame has"
    ):
        one_flow(frame, "exports")


def test_two_code_depths_are_refused() -> None:
    frame = frame_of(
        {"iso": "CHN", "usd": 1.0},
        {"iso": "CHN", "usd": 1.0, "code": "8507600020", "code_system": "HTS10"},
    )
    with pytest.raises(TradeDataError, match="the frame has code_system HS6, HTS10; "):
        concentration(frame)


def test_annual_and_monthly_rows_in_one_year_are_refused() -> None:
    frame = frame_of({"iso": "CHN", "usd": 1.0}, {"iso": "CHN", "usd": 1.0, "month": 3})
    with pytest.raises(TradeDataError) as e:
        china_share(frame)
    assert str(e.value) == (
        "year 2024 has both annual and monthly rows; keep one of them, "
        "or its value would count twice"
    )


def test_negative_values_and_missing_provenance_are_errors() -> None:
    with pytest.raises(TradeDataError) as e:
        partner_shares(frame_of({"iso": "CHN", "usd": -1.0}))
    assert str(e.value) == f"source {SHA} row 2: value_usd is negative"
    with pytest.raises(TradeDataError) as e:
        partner_shares(frame_of({"iso": "CHN", "usd": 1.0, "source_sha256": None}))
    assert str(e.value) == (
        "row 1 of the frame has no source_sha256 or source_row; "
        "every trade row must cite its source"
    )


def test_an_empty_frame_is_an_error() -> None:
    with pytest.raises(TradeDataError, match="no trade rows to aggregate"):
        top_partners(frame_of())


# -- China's share ---------------------------------------------------------------


def test_china_share_uses_the_world_row_when_there_is_one() -> None:
    result = china_share(BATTERIES)
    assert records(
        result.frame, "year", "china_usd", "total_usd", "share_percent", "total_basis"
    ) == [
        (2023, 70.0, 100.0, 70.0, "world row"),
        (2024, 60.0, 120.0, 50.0, "world row"),
    ]
    assert result.rows == cited(2, 3, 7, 8)


def test_china_share_sums_partners_without_a_world_row() -> None:
    frame = frame_of({"iso": "CHN", "usd": 30.0}, {"iso": "KOR", "usd": 10.0})
    result = china_share(frame)
    assert records(result.frame, "share_percent", "total_basis") == [
        (75.0, "sum of partners")
    ]
    assert result.rows == cited(2, 3)


def test_china_share_is_zero_where_china_sold_nothing() -> None:
    frame = frame_of({"iso": "KOR", "usd": 10.0})
    assert records(china_share(frame).frame, "china_usd", "share_percent") == [
        (0.0, 0.0)
    ]


def test_china_share_by_month() -> None:
    frame = frame_of(
        world(10.0, month=1),
        {"iso": "CHN", "usd": 4.0, "month": 1},
        {"iso": "CHN", "usd": 3.0, "month": 2},
        {"iso": "KOR", "usd": 3.0, "month": 2},
    )
    monthly = china_share(frame, "month")
    assert records(monthly.frame, "year", "month", "share_percent", "total_basis") == [
        (2024, 1, 40.0, "world row"),
        (2024, 2, 50.0, "sum of partners"),
    ]
    yearly = china_share(frame)
    assert records(yearly.frame, "china_usd", "total_usd", "total_basis") == [
        (7.0, 16.0, "sum of partners + world row")
    ]


def test_china_share_errors() -> None:
    with pytest.raises(TradeDataError, match="no monthly rows; use period='year'"):
        china_share(BATTERIES, "month")
    with pytest.raises(
        TradeDataError, match="no partner rows, so China's share is unknown"
    ):
        china_share(frame_of(world(5.0)))
    with pytest.raises(TradeDataError) as e:
        china_share(frame_of(world(5.0), {"iso": "CHN", "usd": 6.0}))
    assert str(e.value) == (
        "2024: imports from China exceed the world total; "
        "the frame mixes rows of different queries"
    )
    with pytest.raises(TradeDataError, match="period must be 'year' or 'month'"):
        china_share(BATTERIES, "week")  # type: ignore[arg-type]


# -- top partners, concentration --------------------------------------------------


def test_top_partners_fold_the_rest_into_other_every_year() -> None:
    result = top_partners(BATTERIES, n=2)
    assert records(
        result.frame, "year", "rank", "partner", "value_usd", "share_percent"
    ) == [
        (2023, 1, "China", 70.0, 70.0),
        (2023, 2, "South Korea", 20.0, 20.0),
        (2023, 3, "Other", 10.0, 10.0),
        (2024, 1, "China", 60.0, 50.0),
        (2024, 2, "South Korea", 40.0, 33.333333),
        (2024, 3, "Other", 20.0, 16.666667),
    ]
    assert result.frame["partner_iso3"].isna().tolist() == [False, False, True] * 2
    assert result.rows == cited(3, 4, 6, 8, 9, 10)


def test_top_partners_fill_missing_years_with_zero() -> None:
    result = top_partners(BATTERIES, n=5)
    table = result.frame
    assert records(table[table["year"] == 2023], "partner_iso3", "value_usd") == [
        ("CHN", 70.0),
        ("KOR", 20.0),
        ("VNM", 0.0),
        ("JPN", 10.0),
    ]
    assert not (table["partner"] == "Other").any()  # five partners: no rest


def test_top_partners_of_one_year() -> None:
    result = top_partners(BATTERIES, n=1, year=2023)
    assert records(result.frame, "year", "partner", "value_usd") == [
        (2023, "China", 70.0),
        (2023, "Other", 30.0),
    ]
    assert result.rows == cited(3, 4, 6)
    with pytest.raises(TradeDataError, match="no partner rows for 2019"):
        top_partners(BATTERIES, year=2019)
    with pytest.raises(TradeDataError, match="top_partners needs n >= 1, not 0"):
        top_partners(BATTERIES, n=0)


def test_concentration() -> None:
    result = concentration(BATTERIES)
    assert records(
        result.frame, "year", "partners", "hhi", "top_iso3", "top_share_percent"
    ) == [
        (2023, 3, 5400.0, "CHN", 70.0),
        (2024, 3, 3888.888889, "CHN", 50.0),
    ]
    assert result.note.startswith("Concentration (HHI) of general imports by year")
    single = concentration(frame_of({"iso": "CHN", "usd": 9.0}, world(9.0)))
    assert single.frame["hhi"].tolist() == [10_000.0]


# -- year over year -----------------------------------------------------------------


def test_year_over_year_of_the_total_and_of_china() -> None:
    total = year_over_year(BATTERIES)
    table = total.frame.fillna(
        {"previous_usd": -1.0, "change_usd": -1.0, "change_percent": -1.0}
    )
    assert records(
        table, "year", "value_usd", "previous_usd", "change_usd", "change_percent"
    ) == [
        (2023, 100.0, -1.0, -1.0, -1.0),
        (2024, 120.0, 100.0, 20.0, 20.0),
    ]
    assert total.rows == cited(2, 7)
    assert total.note == "Change year over year of total general imports."
    china = year_over_year(BATTERIES, "CHN")
    assert china.frame["change_percent"].round(4).tolist()[1] == -14.2857
    assert china.note == "Change year over year of general imports from CHN."
    with pytest.raises(TradeDataError, match="no rows for general imports from FRA"):
        year_over_year(BATTERIES, "FRA")


def test_a_partial_year_is_not_compared_with_a_full_one() -> None:
    full = [{"iso": "CHN", "usd": 1.0, "year": 2023, "month": m} for m in range(1, 13)]
    part = [{"iso": "CHN", "usd": 1.0, "year": 2024, "month": m} for m in (1, 2)]
    result = year_over_year(frame_of(*full, *part))
    table = result.frame
    assert table["months"].tolist() == [12, 2]
    assert table["previous_usd"].isna().all()
    assert result.note.endswith("; partial years: 2024.")


def test_a_gap_year_is_not_compared() -> None:
    frame = frame_of(
        {"iso": "CHN", "usd": 1.0, "year": 2021}, {"iso": "CHN", "usd": 2.0}
    )
    assert year_over_year(frame).frame["change_usd"].isna().all()


# -- properties -------------------------------------------------------------------------

PARTNERS = st.sampled_from(["CHN", "KOR", "JPN", "DEU", "VNM", "HUN", "WLD", None])
ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "iso": PARTNERS,
            "usd": st.integers(0, 10**12).map(float),
            "year": st.integers(2019, 2022),
        }
    ),
    min_size=1,
    max_size=40,
)


def country_totals(frame: pd.DataFrame) -> pd.Series:
    rows = frame[frame["partner_iso3"].notna() & (frame["partner_iso3"] != "WLD")]
    return rows.groupby("year")["value_usd"].sum()


@settings(max_examples=100, deadline=None)
@given(ROWS)
def test_shares_sum_to_100_per_year(rows: list[dict[str, Any]]) -> None:
    frame = frame_of(*rows)
    if not (aggregate.is_partner(frame)).any():
        return
    table = partner_shares(frame).frame
    for _, shares in table.groupby("year")["share_percent"]:
        assert math.isclose(shares.sum(), 100.0, rel_tol=1e-9)
    assert (table["share_percent"] >= 0).all()


@settings(max_examples=100, deadline=None)
@given(ROWS)
def test_hhi_is_between_10000_over_n_and_10000(rows: list[dict[str, Any]]) -> None:
    frame = frame_of(*rows)
    if not (aggregate.is_partner(frame)).any():
        return
    for row in concentration(frame).frame.itertuples():
        assert 10_000 / row.partners - 1e-6 <= row.hhi <= 10_000 + 1e-6


@settings(max_examples=100, deadline=None)
@given(ROWS, st.integers(1, 8))
def test_top_n_and_other_conserve_the_total(rows: list[dict[str, Any]], n: int) -> None:
    frame = frame_of(*rows)
    if not (aggregate.is_partner(frame)).any():
        return
    result = top_partners(frame, n=n)
    got = result.frame.groupby("year")["value_usd"].sum()
    want = country_totals(frame)
    assert list(got.index) == list(want.index)
    for year, value in want.items():
        assert math.isclose(got[year], value, rel_tol=1e-12, abs_tol=1e-6)
    assert result.frame.groupby("year").size().max() <= n + 1
    # Every partner row is cited, and nothing else.
    partner = frame[aggregate.is_partner(frame)]
    assert result.rows == tuple(
        sorted(zip(partner["source_sha256"], partner["source_row"], strict=True))
    )


# -- exposure to Chinese export controls -----------------------------------------------

MOFCOM_58 = (
    "85076000",
    "28429040",
    "28539030",
    "28539050",
)  # No. 58/2025 reference codes


def test_reference_codes_map_to_hs6() -> None:
    assert hs6_of(MOFCOM_58) == {
        "850760": ("85076000",),
        "284290": ("28429040",),
        "285390": ("28539030", "28539050"),
    }
    for bad in ("8507", "85076000123", "8507-60"):
        with pytest.raises(
            TradeDataError, match=f"reference HS code '{bad}' must have 6 to 10 digits"
        ):
            hs6_of([bad])
    with pytest.raises(TradeDataError, match="no reference HS codes given"):
        hs6_of([])


def lines(
    code: str, description: str, china: float, other: float, year: int = 2024
) -> list[dict[str, Any]]:
    """World, China and Korea rows of one tariff line (HTS10 in this frame)."""
    shared = {
        "code": code,
        "code_system": "HTS10",
        "description": description,
        "year": year,
    }
    return [
        world(china + other, **shared),
        {"iso": "CHN", "usd": china, **shared},
        {"iso": "KOR", "usd": other, **shared},
    ]


def test_exposure_table() -> None:
    frame = frame_of(
        *lines("8507600020", "LITHIUM-ION STORAGE BATTERIES, NESOI", 72.0, 28.0),
        *lines("8507600010", "LITHIUM-ION BATTERIES FOR ELEC VEHICLE", 13.0, 7.0),
        *lines("2842904000", "LITHIUM IRON PHOSPHATE", 1.0, 3.0),
        *lines(
            "8507600020", "LITHIUM-ION STORAGE BATTERIES, NESOI", 50.0, 50.0, year=2023
        ),
        *lines("8504400000", "STATIC CONVERTERS", 99.0, 1.0),  # not controlled
    )
    result = exposure_table(frame, MOFCOM_58)
    assert records(
        result.frame,
        "hs6",
        "reference_codes",
        "year",
        "china_usd",
        "total_usd",
        "share_percent",
    ) == [
        ("850760", "85076000", 2023, 50.0, 100.0, 50.0),
        ("850760", "85076000", 2024, 85.0, 120.0, 70.833333),
        ("284290", "28429040", 2024, 1.0, 4.0, 25.0),
    ]
    assert records(result.frame, "description", "description_code") == [
        ("LITHIUM-ION STORAGE BATTERIES, NESOI", "8507600020"),
        ("LITHIUM-ION STORAGE BATTERIES, NESOI", "8507600020"),
        ("LITHIUM IRON PHOSPHATE", "2842904000"),
    ]
    assert result.rows == cited(2, 3, 5, 6, 8, 9, 11, 12)
    assert result.codes == ("2842904000", "8507600010", "8507600020")
    assert result.note == (
        "US imports from China under the HS-6 subheadings of Chinese reference codes "
        "28429040, 28539030, 28539050, 85076000 (first six digits); a subheading is "
        "wider than the controlled item, so these are upper bounds. "
        "No rows for HS-6 285390."
    )
    assert result.source.endswith(
        "United States general imports, HTS10 2842904000, 8507600010, 8507600020."
    )


def test_exposure_prefers_the_hs6_description() -> None:
    frame = frame_of({"iso": "CHN", "usd": 5.0}, world(10.0))
    result = exposure_table(frame, ["8507.60.00"])
    assert records(result.frame, "description", "description_code") == [
        ("LITHIUM-ION BATTERIES", "850760")
    ]
    assert result.frame["share_percent"].tolist() == [50.0]


def test_exposure_without_any_rows_says_what_to_fetch() -> None:
    with pytest.raises(TradeDataError) as e:
        exposure_table(BATTERIES, ["28539030"])
    assert str(e.value) == (
        "no rows for HS-6 285390 in the frame; fetch each, e.g. "
        "'brief trade fetch --hts 285390 --years FIRST-LAST --by partner'"
    )


def test_doctests() -> None:
    assert doctest.testmod(aggregate).failed == 0
    assert doctest.testmod(exposure).failed == 0
