"""Trade charts: specs built from aggregates, source notes, byte-identical files."""

from __future__ import annotations

import dataclasses
import doctest
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import pytest

from briefs.charts import save_chart
from briefs.theme import CHINA_COLOR, PARTNER_COLORS, REST_COLOR
from briefs.trade import charts
from briefs.trade.aggregate import china_share, partner_shares, top_partners
from briefs.trade.charts import (
    china_share_chart,
    imports_by_partner_chart,
    partner_shares_chart,
)
from briefs.trade.exposure import TITLE, exposure_chart, exposure_table
from briefs.trade.frame import TradeDataError
from tests.test_trade_aggregate import BATTERIES, MOFCOM_58, frame_of, lines, world

SOURCE = (
    "Source: Census international trade API, imports by HS. "
    "United States general imports, HS6 850760."
)


def spec(chart: alt.Chart) -> dict[str, Any]:
    """The chart's Vega-Lite spec."""
    result: dict[str, Any] = chart.to_dict()
    return result


def values(chart: alt.Chart) -> list[dict[str, Any]]:
    """The chart's inline data rows."""
    (rows,) = spec(chart)["datasets"].values()
    return list(rows)


def note(chart: alt.Chart) -> str:
    """The source note under the chart, unwrapped."""
    return " ".join(spec(chart)["title"]["text"])


def monthly() -> pd.DataFrame:
    """Two years of monthly rows with a world row each month."""
    rows = []
    for year in (2023, 2024):
        for month in range(1, 13):
            when = {"year": year, "month": month}
            rows += [
                world(100.0, **when),
                {"iso": "CHN", "usd": 40.0 + month, **when},
                {"iso": "KOR", "usd": 20.0, **when},
            ]
    return frame_of(*rows)


EXPOSURE = frame_of(
    *lines("8507600020", "LITHIUM-ION STORAGE BATTERIES, NESOI", 7.2e9, 2.8e9),
    *lines("2842904000", "LITHIUM IRON PHOSPHATE", 1e8, 3e8),
)


def every_chart() -> dict[str, alt.Chart]:
    return {
        "partner_shares": partner_shares_chart(top_partners(BATTERIES, n=2)),
        "china_share": china_share_chart(china_share(monthly(), "month")),
        "imports_by_partner": imports_by_partner_chart(top_partners(BATTERIES, n=2)),
        "exposure": exposure_chart(exposure_table(EXPOSURE, MOFCOM_58)),
    }


# -- what each chart shows ------------------------------------------------------


def test_partner_shares_chart_shows_the_latest_year() -> None:
    chart = partner_shares_chart(top_partners(BATTERIES, n=2))
    assert values(chart) == [
        {"partner": "China", "rank": 1, "share_percent": 50.0},
        {"partner": "South Korea", "rank": 2, "share_percent": 33.33},
        {"partner": "Other", "rank": 3, "share_percent": 16.67},
    ]
    bars = spec(chart)["layer"][0]["encoding"]
    assert bars["y"]["sort"] == ["China", "South Korea", "Other"]
    assert bars["color"]["scale"] == {
        "domain": ["China", "South Korea", "Other"],
        "range": [CHINA_COLOR, PARTNER_COLORS[0], REST_COLOR],
    }
    assert note(chart).startswith(SOURCE + " Top 2 partners in general imports")
    earlier = partner_shares_chart(top_partners(BATTERIES, n=2), year=2023)
    assert [v["share_percent"] for v in values(earlier)] == [70.0, 20.0, 10.0]


def test_china_share_chart_by_year_and_by_month() -> None:
    yearly = china_share_chart(china_share(BATTERIES))
    assert values(yearly) == [
        {"period": "2023-01-01", "share_percent": 70.0},
        {"period": "2024-01-01", "share_percent": 50.0},
    ]
    x = spec(yearly)["encoding"]["x"]
    assert (x["scale"], x["axis"]["format"]) == ({"type": "utc"}, "%Y")
    by_month = china_share_chart(china_share(monthly(), "month"))
    rows = values(by_month)
    assert len(rows) == 24
    assert rows[13] == {"period": "2024-02-01", "share_percent": 42.0}
    assert spec(by_month)["mark"]["point"] == {"color": CHINA_COLOR}
    assert note(by_month).startswith(
        SOURCE + " China's share of general imports by month"
    )


def test_imports_by_partner_chart_stacks_china_first_in_fitting_units() -> None:
    chart = imports_by_partner_chart(top_partners(BATTERIES, n=2))
    rows = values(chart)
    assert rows[:3] == [
        {"period": "2023-01-01", "partner": "China", "stack": 0, "value": 70.0},
        {"period": "2023-01-01", "partner": "South Korea", "stack": 1, "value": 20.0},
        {"period": "2023-01-01", "partner": "Other", "stack": 2, "value": 10.0},
    ]
    encoding = spec(chart)["encoding"]
    assert encoding["y"]["title"] == "Import value, US dollars"
    assert encoding["y"]["stack"] == "zero"
    big = frame_of({"iso": "KOR", "usd": 9e9}, {"iso": "CHN", "usd": 1e9})
    chart = imports_by_partner_chart(top_partners(big, n=5))
    assert spec(chart)["encoding"]["y"]["title"] == "Import value, billion US dollars"
    # Korea ranks first, but China is stacked on the axis.
    assert [(r["partner"], r["stack"]) for r in values(chart)] == [
        ("South Korea", 1),
        ("China", 0),
    ]


def test_exposure_chart() -> None:
    chart = exposure_chart(exposure_table(EXPOSURE, MOFCOM_58))
    assert values(chart) == [
        {
            "item": "Lithium-ion storage batteries, nesoi,\netc. (HS 850760)",
            "all": 10.0,
            "china": 7.2,
            "label": "72% from China",
        },
        {
            "item": "Lithium iron phosphate, etc.\n(HS 284290)",
            "all": 0.4,
            "china": 0.1,
            "label": "25% from China",
        },
    ]
    assert spec(chart)["description"] == TITLE
    assert "billion US dollars" in spec(chart)["layer"][0]["encoding"]["x"]["title"]
    assert note(chart).startswith(
        "Source: Census international trade API, imports by HS. United States "
        "general imports, HTS10 2842904000, 8507600020. US imports from China under"
    )
    assert note(chart).endswith("No rows for HS-6 285390.")


def test_every_chart_names_its_source_and_uses_the_house_theme() -> None:
    for name, chart in every_chart().items():
        d = spec(chart)
        assert note(chart).startswith("Source: Census international trade API"), name
        assert d["config"]["font"] == "Liberation Sans", name
        assert d["title"]["orient"] == "bottom", name
        assert d.get("description"), name


# -- errors -----------------------------------------------------------------------


def test_charts_refuse_the_wrong_aggregate() -> None:
    with pytest.raises(TradeDataError) as e:
        partner_shares_chart(partner_shares(BATTERIES))
    assert str(e.value) == (
        "this chart needs an aggregate from top_partners(); the one given lacks rank"
    )
    with pytest.raises(TradeDataError, match="needs an aggregate from china_share"):
        china_share_chart(top_partners(BATTERIES))
    with pytest.raises(TradeDataError, match="the aggregate has no rows for 2019"):
        partner_shares_chart(top_partners(BATTERIES), year=2019)


def test_charts_refuse_unaggregated_data() -> None:
    result = top_partners(BATTERIES)
    big = pd.concat([result.frame] * 1000, ignore_index=True)
    with pytest.raises(TradeDataError) as e:
        imports_by_partner_chart(dataclasses.replace(result, frame=big))
    assert str(e.value) == (
        f"{len(big)} rows is too many to chart (limit 5000); aggregate further first"
    )


# -- files --------------------------------------------------------------------------


def test_saved_charts_are_byte_identical(tmp_path: Path) -> None:
    for name, chart in every_chart().items():
        first = save_chart(chart, tmp_path / "a", name)
        again = save_chart(every_chart()[name], tmp_path / "b", name)
        assert [p.name for p in first] == [f"{name}.vl.json", f"{name}.svg"]
        assert sorted(p.name for p in (tmp_path / "a").glob(f"{name}.*")) == sorted(
            p.name for p in first
        )
        for one, two in zip(first, again, strict=True):
            assert one.read_bytes() == two.read_bytes(), one.name
        svg = first[1].read_text(encoding="utf-8")
        assert "Source: Census international trade API" in svg


def test_doctests() -> None:
    assert doctest.testmod(charts).failed == 0
