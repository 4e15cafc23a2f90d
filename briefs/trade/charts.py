"""Trade charts as values: Altair specs drawn from aggregates, in the house theme.

Each builder takes an :class:`~briefs.trade.aggregate.Aggregate` (so the data
is already aggregated, well under Altair's 5,000-row limit) and returns a chart
themed by :func:`briefs.theme.theme`, whose source note names the datasets
and codes the aggregate's rows came from, and a ``describe_*`` function gives
each chart's alt text. Nothing here writes files: save a chart with
:func:`briefs.charts.save_chart`.

Time axes use UTC dates ("2024-01-01") so the rendering does not depend on the
machine's time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import altair as alt
import pandas as pd

from briefs.theme import CHINA_COLOR, LABEL_SIZE, NOTE_COLOR, PARTNER_COLORS, theme
from briefs.theme import REST_COLOR as OTHER_COLOR
from briefs.trade.aggregate import CHINA, OTHER, Aggregate
from briefs.trade.frame import TradeDataError

MAX_ROWS = 5000  # Altair's default limit for inline data
UNITS = ((1e9, "billion"), (1e6, "million"), (1e3, "thousand"))


def chart_data(agg: Aggregate, needs: Sequence[str], made_by: str) -> pd.DataFrame:
    """The aggregate's frame, checked to be small and to have the columns a chart needs."""
    frame = agg.frame
    missing = [c for c in needs if c not in frame.columns]
    if missing:
        raise TradeDataError(
            f"this chart needs an aggregate from {made_by}; "
            f"the one given lacks {', '.join(missing)}"
        )
    if len(frame) > MAX_ROWS:
        raise TradeDataError(
            f"{len(frame)} rows is too many to chart (limit {MAX_ROWS}); "
            "aggregate further first"
        )
    if frame.empty:
        raise TradeDataError("the aggregate has no rows to chart")
    return frame


def usd_unit(largest: float) -> tuple[float, str]:
    """A divisor and its word for values up to ``largest`` US dollars.

    >>> usd_unit(18.7e9)
    (1000000000.0, 'billion US dollars')
    """
    for divisor, word in UNITS:
        if largest >= divisor:
            return divisor, f"{word} US dollars"
    return 1.0, "US dollars"


def themed(chart: alt.TopLevelMixin, agg: Aggregate) -> alt.Chart:
    """The house theme and the aggregate's note under the chart.

    ``theme`` is typed for single charts but uses only what layered charts
    share with them (``properties``, ``configure``), so layers go through too.
    """
    return theme(cast(alt.Chart, chart), note_of(agg))


def note_of(agg: Aggregate) -> str:
    """The note under a chart: the source, then what was computed and left out."""
    return f"{agg.source} {agg.note}"


def period_dates(frame: pd.DataFrame) -> pd.Series:
    """ISO dates of each row's period: the month's first day, or 1 January."""
    month = (
        frame["month"]
        if "month" in frame.columns
        else pd.Series(pd.NA, index=frame.index)
    )
    month = month.fillna(1).astype("int64")
    year = frame["year"].astype("int64")
    return pd.Series(
        [f"{y:04d}-{m:02d}-01" for y, m in zip(year, month, strict=True)],
        index=frame.index,
        dtype="object",
    )


def time_axis(frame: pd.DataFrame) -> alt.X:
    """An x axis over ``period`` in UTC, labelled by year (or month and year)."""
    monthly = "month" in frame.columns and frame["month"].notna().any()
    years = frame["year"].nunique()
    label = "%b %Y" if monthly and years <= 2 else "%Y"
    return alt.X(
        "period:T",
        title=None,
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(format=label, formatType="utc", tickCount=min(12, max(years, 2))),
    )


def partner_palette(names: Sequence[str]) -> alt.Scale:
    """China in vermillion, Other in grey, other partners in the palette's order."""
    colors = []
    others = iter(PARTNER_COLORS * (len(names) // len(PARTNER_COLORS) + 1))
    for name in names:
        if name == OTHER:
            colors.append(OTHER_COLOR)
        elif name == "China":
            colors.append(CHINA_COLOR)
        else:
            colors.append(next(others))
    return alt.Scale(domain=list(names), range=colors)


def partner_labels(frame: pd.DataFrame) -> list[str]:
    """Partner labels (see ``named``) in rank order, Other last."""
    ranked = frame.assign(label=named(frame)).sort_values(["rank", "label"])
    return list(dict.fromkeys(ranked["label"]))


def named(frame: pd.DataFrame) -> pd.Series:
    """Each row's partner label ("China" for CHN, whatever the source calls it)."""
    china = (frame["partner_iso3"] == CHINA).fillna(False).astype(bool)
    return frame["partner"].astype("object").where(~china, "China")


# -- the charts ------------------------------------------------------------------


def partner_shares_chart(agg: Aggregate, year: int | None = None) -> alt.Chart:
    """Bars: each top partner's share of a year's imports (the latest by default).

    Takes ``top_partners(frame, n)``; Other is the last bar, China is red.
    """
    frame = chart_data(
        agg,
        ("year", "rank", "partner", "partner_iso3", "share_percent"),
        "top_partners()",
    )
    year = int(frame["year"].max()) if year is None else year
    frame = frame[frame["year"] == year]
    if frame.empty:
        raise TradeDataError(f"the aggregate has no rows for {year}")
    data = pd.DataFrame(
        {
            "partner": named(frame).to_numpy(),
            "rank": frame["rank"].astype("int64").to_numpy(),
            "share_percent": frame["share_percent"]
            .astype("float64")
            .round(2)
            .to_numpy(),
        }
    )
    order = partner_labels(frame)
    base = alt.Chart(data).encode(
        y=alt.Y("partner:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X(
            "share_percent:Q",
            title=f"Share of {year} import value, %",
            scale=alt.Scale(domain=[0, 100]),
        ),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("partner:N", scale=partner_palette(order), legend=None),
        tooltip=["partner:N", "share_percent:Q"],
    )
    labels = base.mark_text(
        align="left", dx=3, fontSize=LABEL_SIZE, color=NOTE_COLOR
    ).encode(text=alt.Text("share_percent:Q", format=".1f"))
    layered = alt.layer(bars, labels).properties(
        description=f"Partner shares of US imports, {year}"
    )
    return themed(layered, agg)


def china_share_chart(agg: Aggregate) -> alt.Chart:
    """Line: China's share of imports over time (by year, or by month)."""
    frame = chart_data(
        agg, ("year", "share_percent", "china_usd", "total_usd"), "china_share()"
    )
    data = pd.DataFrame(
        {
            "period": period_dates(frame).to_numpy(),
            "share_percent": frame["share_percent"]
            .astype("float64")
            .round(2)
            .to_numpy(),
        }
    )
    chart = (
        alt.Chart(data)
        .mark_line(
            color=CHINA_COLOR,
            point=alt.OverlayMarkDef(color=CHINA_COLOR) if len(data) <= 24 else False,
        )
        .encode(
            x=time_axis(frame),
            y=alt.Y(
                "share_percent:Q",
                title="China's share of US import value, %",
                scale=alt.Scale(domain=[0, 100]),
            ),
            tooltip=[
                alt.Tooltip("period:T", format="%Y-%m", formatType="utc"),
                "share_percent:Q",
            ],
        )
        .properties(description="China's share of US imports over time")
    )
    return themed(chart, agg)


def imports_by_partner_chart(agg: Aggregate) -> alt.Chart:
    """Stacked area: import value by partner over time, China at the bottom.

    Takes ``top_partners(frame, n)`` (all years).
    """
    frame = chart_data(
        agg, ("year", "rank", "partner", "partner_iso3", "value_usd"), "top_partners()"
    )
    totals = frame.groupby("year")["value_usd"].sum()
    divisor, unit = usd_unit(float(totals.max()))
    order = partner_labels(frame)
    if "China" in order:  # China first, so it sits on the axis
        order = ["China", *[n for n in order if n != "China"]]
    partner = named(frame)
    data = pd.DataFrame(
        {
            "period": period_dates(frame).to_numpy(),
            "partner": partner.to_numpy(),
            "stack": [order.index(p) for p in partner],
            "value": (frame["value_usd"].astype("float64") / divisor)
            .round(4)
            .to_numpy(),
        }
    )
    chart = (
        alt.Chart(data)
        .mark_area()
        .encode(
            x=time_axis(frame),
            y=alt.Y("value:Q", stack="zero", title=f"Import value, {unit}"),
            color=alt.Color("partner:N", scale=partner_palette(order), sort=order),
            order=alt.Order("stack:Q"),
            tooltip=[
                "partner:N",
                alt.Tooltip("period:T", format="%Y", formatType="utc"),
                "value:Q",
            ],
        )
        .properties(description="US imports by partner over time")
    )
    return themed(chart, agg)


# -- alt text ----------------------------------------------------------------------


def money(value: float) -> str:
    """A dollar amount in words a reader skims: "$18.7 billion".

    >>> money(18.74e9), money(677e6), money(950.0)
    ('$18.7 billion', '$677 million', '$950')
    """
    divisor, unit = usd_unit(value)
    word = unit.removesuffix("US dollars").strip()
    number = value / divisor
    text = f"{number:.1f}" if number < 100 and divisor > 1 else f"{number:,.0f}"
    return f"${text} {word}".rstrip()


def describe_partner_shares(agg: Aggregate) -> str:
    """Alt text of :func:`partner_shares_chart` (the latest year)."""
    frame = agg.frame[agg.frame["year"] == agg.frame["year"].max()]
    year = int(frame["year"].iloc[0])
    parts = ", ".join(
        f"{p} {s:.1f}%"
        for p, s in zip(named(frame), frame["share_percent"], strict=True)
    )
    return f"Horizontal bars of partner shares of US imports in {year}: {parts}."


def describe_china_share(agg: Aggregate) -> str:
    """Alt text of :func:`china_share_chart`: first, last, highest."""
    frame = agg.frame.dropna(subset=["share_percent"])
    if frame.empty:
        return "A line of China's share of US imports; no period has a known share."
    dates = period_dates(frame).tolist()
    shares = frame["share_percent"].tolist()
    peak = max(range(len(shares)), key=shares.__getitem__)
    return (
        f"A line of China's share of US import value from {dates[0][:7]} "
        f"({shares[0]:.1f}%) to {dates[-1][:7]} ({shares[-1]:.1f}%); "
        f"highest {shares[peak]:.1f}% in {dates[peak][:7]}."
    )


def describe_imports_by_partner(agg: Aggregate) -> str:
    """Alt text of :func:`imports_by_partner_chart`: totals at both ends."""
    totals = agg.frame.groupby("year")["value_usd"].sum()
    first, last = int(totals.index[0]), int(totals.index[-1])
    return (
        f"Stacked areas of US import value by partner, {first} to {last}: "
        f"{money(float(totals.iloc[0]))} in {first} and "
        f"{money(float(totals.iloc[-1]))} in {last}, China at the bottom."
    )
