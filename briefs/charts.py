"""Charts as values: Altair specs built from trade snapshots, one theme, one writer.

Every chart carries a source note naming the dataset and the codes its rows
came from. ``save_chart`` is the only function here that writes files: the
Vega-Lite JSON, and SVG and PNG rendered by vl-convert (no browser), all
byte-identical for the same input.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert as vlc

from briefs.errors import BuildError
from briefs.snapshot import Snapshot

CHINA = "China"
GROUPS = (CHINA, "Other top-3 partners", "All other partners")
COLORS = ("#c0392b", "#5b7fa6", "#c9d3de")
FONT = "Liberation Sans"


def theme(chart: alt.Chart, source_note: str) -> alt.Chart:
    """The house look, with the source note under the chart."""
    lines = textwrap.wrap(source_note, 95)
    themed: alt.Chart = (
        chart.properties(
            width=460,
            title=alt.TitleParams(
                lines,
                orient="bottom",
                anchor="start",
                fontSize=9,
                fontWeight="normal",
                color="#555555",
                offset=12,
            ),
        )
        .configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=10, titleFontSize=10, grid=False)
        .configure_legend(orient="top", title=None, labelFontSize=10)
    )
    return themed


def commodity_label(row: pd.Series) -> str:
    """A short axis label: description and code."""
    desc = str(row["description"])
    desc = desc if len(desc) <= 34 else desc[:33].rstrip(" ,") + "…"
    return f"{desc} ({row['hts10']})"


def partner_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """Import value per commodity split into China, other named partners, the rest."""
    rows = []
    for _, g in frame.groupby("hts10", sort=False):
        first = g.iloc[0]
        total = float(first["total_value_usd"])
        china = g.loc[g["partner"] == CHINA, "share_percent"].sum()
        named = g["share_percent"].sum() - china
        shares = (china, named, max(0.0, 100.0 - china - named))
        for group, share in zip(GROUPS, shares, strict=True):
            rows.append(
                {
                    "commodity": commodity_label(first),
                    "group": group,
                    "order": GROUPS.index(group),
                    "share_percent": float(share),
                    "value_busd": round(total * share / 100 / 1e9, 4),
                    "total_busd": round(total / 1e9, 4),
                }
            )
    return pd.DataFrame(rows)


def partner_shares(snapshot: Snapshot) -> alt.Chart:
    """Stacked bars: each commodity's import value, China's part first."""
    data = partner_groups(snapshot.frame)
    order = list(
        dict.fromkeys(data.sort_values("total_busd", ascending=False)["commodity"])
    )
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(
                "commodity:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)
            ),
            x=alt.X("sum(value_busd):Q", title="Import value, billion US dollars"),
            color=alt.Color(
                "group:N", scale=alt.Scale(domain=list(GROUPS), range=list(COLORS))
            ),
            order=alt.Order("order:Q"),
            tooltip=["commodity:N", "group:N", "share_percent:Q", "value_busd:Q"],
        )
    )
    return theme(chart, snapshot.source_note)


def china_share(snapshot: Snapshot) -> alt.Chart:
    """Bars: China's share of each commodity's imports (0 where not in the top 3)."""
    data = partner_groups(snapshot.frame)
    data = data[data["group"] == CHINA]
    chart = (
        alt.Chart(data)
        .mark_bar(color=COLORS[0])
        .encode(
            y=alt.Y(
                "commodity:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)
            ),
            x=alt.X(
                "share_percent:Q",
                title="China's share of US import value, %",
                scale=alt.Scale(domain=[0, 100]),
            ),
            tooltip=["commodity:N", "share_percent:Q"],
        )
    )
    return theme(chart, snapshot.source_note)


def trade_frame(snapshot: Snapshot, kind: str) -> pd.DataFrame:
    """The normalised frame of a ``frame`` snapshot, or an error naming the file."""
    if snapshot.kind != "frame":
        msg = f"{snapshot.path}: chart kind '{kind}' needs a trade frame snapshot (brief trade fetch --out)"
        raise BuildError(msg)
    return snapshot.frame


def trade_partner_shares(snapshot: Snapshot) -> alt.Chart:
    """Bars: partner shares of the newest year, from a trade frame."""
    from briefs.trade.aggregate import top_partners
    from briefs.trade.charts import partner_shares_chart

    return partner_shares_chart(
        top_partners(trade_frame(snapshot, "trade_partner_shares"))
    )


def trade_china_share(snapshot: Snapshot) -> alt.Chart:
    """Line: China's share of the imports over time, from a trade frame.

    By month when the frame has months and covers fewer than three years, so
    a short series still draws a line.
    """
    from briefs.trade.aggregate import china_share as china_share_over_time
    from briefs.trade.charts import china_share_chart

    frame = trade_frame(snapshot, "trade_china_share")
    monthly = frame["month"].notna().any() and frame["year"].nunique() < 3
    if monthly:
        return china_share_chart(china_share_over_time(frame, period="month"))
    return china_share_chart(china_share_over_time(frame))


def trade_imports_by_partner(snapshot: Snapshot) -> alt.Chart:
    """Stacked area: imports by partner over time, from a trade frame."""
    from briefs.trade.aggregate import top_partners
    from briefs.trade.charts import imports_by_partner_chart

    frame = trade_frame(snapshot, "trade_imports_by_partner")
    if frame["year"].nunique() < 2:
        msg = f"{snapshot.path}: chart kind 'trade_imports_by_partner' needs two years or more; fetch a range (--years 2019-2024)"
        raise BuildError(msg)
    return imports_by_partner_chart(top_partners(frame))


def published_only(
    build: Callable[[Snapshot], alt.Chart], kind: str
) -> Callable[[Snapshot], alt.Chart]:
    """A chart of a published table, refusing a trade frame snapshot."""

    def chart(snapshot: Snapshot) -> alt.Chart:
        if snapshot.kind != "published":
            raise BuildError(
                f"{snapshot.path}: chart kind '{kind}' needs a published table snapshot"
            )
        return build(snapshot)

    return chart


CHART_BUILDERS: dict[str, Callable[[Snapshot], alt.Chart]] = {
    "partner_shares": published_only(partner_shares, "partner_shares"),
    "china_share": published_only(china_share, "china_share"),
    "trade_partner_shares": trade_partner_shares,
    "trade_china_share": trade_china_share,
    "trade_imports_by_partner": trade_imports_by_partner,
}


def save_chart(chart: alt.Chart, folder: Path, name: str) -> tuple[Path, ...]:
    """Write ``name.vl.json``, ``name.svg`` and ``name.png`` into ``folder``."""
    spec = chart.to_dict()
    spec.pop("$schema", None)  # carries Altair's version; the JSON should not
    folder.mkdir(parents=True, exist_ok=True)
    paths = (folder / f"{name}.vl.json", folder / f"{name}.svg", folder / f"{name}.png")
    paths[0].write_text(
        json.dumps(spec, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    paths[1].write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
    paths[2].write_bytes(vlc.vegalite_to_png(spec, scale=2))
    return paths
