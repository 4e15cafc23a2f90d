"""Charts as values: a figure per chart kind, drawn from a trade snapshot.

Each builder takes a snapshot (and, for the export-control kind, the reference
HS codes) and returns a :class:`Figure`: the Altair chart, in the house theme
of :mod:`briefs.theme` with a source note naming the dataset and codes, and
the alt text a reader without the picture gets. ``save_chart`` is the only
function here that writes files, and only what a build uses: the SVG the
brief's figures show (vl-convert, no browser; HTML embeds it and Typst, the
built-in engine's and Quarto's alike, draws it in the PDF) and the Vega-Lite
JSON ``brief trace`` re-checks; both byte-identical for the same input.

A published table names only each commodity's top three partners: where
China is not among them its share is *unknown* (below the third partner's),
and the charts say so in words rather than draw it as zero.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert as vlc

from briefs.errors import BuildError
from briefs.snapshot import Snapshot
from briefs.theme import (
    CHINA_COLOR,
    LABEL_SIZE,
    NOTE_COLOR,
    PARTNER_COLORS,
    REST_COLOR,
    banded,
    category_axis,
    theme,
    wrap_label,
)
from briefs.trade.aggregate import china_share as china_share_over_time
from briefs.trade.aggregate import top_partners
from briefs.trade.charts import (
    china_share_chart,
    describe_china_share,
    describe_imports_by_partner,
    describe_partner_shares,
    imports_by_partner_chart,
    partner_shares_chart,
)
from briefs.trade.exposure import (
    describe_exposure,
    exposure_figure,
    exposure_table,
    published_exposure,
)
from briefs.trade.frame import TradeDataError

CHINA = "China"
GROUPS = (CHINA, "Other top-3 partners", "Not broken down")
COLORS = (CHINA_COLOR, PARTNER_COLORS[0], REST_COLOR)


@dataclass(frozen=True, slots=True)
class Figure:
    """A chart and the alt text that describes it in words."""

    chart: alt.Chart
    alt_text: str


def commodity_label(row: pd.Series) -> str:
    """The full description and code, wrapped onto lines."""
    return wrap_label(f"{row['description']} ({row['hts10']})")


def partner_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """Import value per commodity split into China, other named partners, the rest.

    China's part is null (unknown) where China is not among the published
    partners; its value is then inside "Not broken down", and ``bound`` holds
    the third partner's share, which China's is below.
    """
    rows = []
    for _, g in frame.groupby("hts10", sort=False):
        first = g.iloc[0]
        total = float(first["total_value_usd"])
        known = bool((g["partner"] == CHINA).any())
        china = float(g.loc[g["partner"] == CHINA, "share_percent"].sum())
        named = float(g["share_percent"].sum()) - china
        shares = (china if known else None, named, max(0.0, 100.0 - china - named))
        for group, share in zip(GROUPS, shares, strict=True):
            rows.append(
                {
                    "commodity": commodity_label(first),
                    "group": group,
                    "order": GROUPS.index(group),
                    "share_percent": share,
                    "value_busd": None
                    if share is None
                    else round(total * share / 100 / 1e9, 4),
                    "total_busd": round(total / 1e9, 4),
                    "bound": None if known else float(g["share_percent"].min()),
                }
            )
    return pd.DataFrame(rows)


def partner_shares(snapshot: Snapshot) -> Figure:
    """Stacked bars: each commodity's import value, China's part first."""
    data = partner_groups(snapshot.frame)
    order = list(
        dict.fromkeys(data.sort_values("total_busd", ascending=False)["commodity"])
    )
    chart = (
        alt.Chart(data.dropna(subset=["value_busd"]))
        .mark_bar()
        .encode(
            y=category_axis("commodity:N", order),
            x=alt.X("sum(value_busd):Q", title="Import value, billion US dollars"),
            color=alt.Color(
                "group:N", scale=alt.Scale(domain=list(GROUPS), range=list(COLORS))
            ),
            order=alt.Order("order:Q"),
            tooltip=["commodity:N", "group:N", "share_percent:Q", "value_busd:Q"],
        )
        .properties(description="US imports by commodity and partner group")
    )
    chart = banded(chart)
    note = f"{snapshot.source_note} Not broken down: partners beyond the top three, including China where it is not among them."
    return Figure(theme(chart, note), describe_groups(data))


def describe_groups(data: pd.DataFrame) -> str:
    """Alt text of the stacked bars: what is drawn, the largest, China's lead."""
    totals = data.drop_duplicates("commodity").sort_values(
        "total_busd", ascending=False
    )
    china = data[data["group"] == CHINA]
    unknown = int(china["share_percent"].isna().sum())
    top = totals.iloc[0]
    top_china = china[china["commodity"] == top["commodity"]]["share_percent"].iloc[0]
    lead = f", {top_china:.0f}% of it from China" if pd.notna(top_china) else ""
    return (
        f"Horizontal stacked bars of US import value for {len(totals)} commodities, "
        "each split into China, the other top-three partners and the part not broken "
        f"down. The largest is {one_line(top['commodity'])} at "
        f"${top['total_busd']:.2f} billion{lead}. China's share is unknown for "
        f"{unknown} of the {len(totals)} commodities, where it is not among the top three partners."
    )


def china_share(snapshot: Snapshot) -> Figure:
    """Bars: China's share of each commodity's imports, "unknown" where unpublished."""
    data = partner_groups(snapshot.frame)
    data = data[data["group"] == CHINA].copy()
    data["label"] = [
        f"{s:.0f}%"
        if pd.notna(s)
        else f"unknown: not in the top three (under {b:.0f}%)"
        for s, b in zip(data["share_percent"], data["bound"], strict=True)
    ]
    data["sort_key"] = data["share_percent"].fillna(-1.0)
    order = list(data.sort_values("sort_key", ascending=False)["commodity"])
    base = alt.Chart(data).encode(
        y=category_axis("commodity:N", order),
        x=alt.X(
            "share_percent:Q",
            title="China's share of US import value, %",
            scale=alt.Scale(domain=[0, 100]),
        ),
    )
    valid = "isValid(datum.share_percent)"
    bars = (
        base.transform_filter(valid)
        .mark_bar(color=CHINA_COLOR)
        .encode(tooltip=["commodity:N", "label:N"])
    )
    known = (
        base.transform_filter(valid)
        .mark_text(align="left", dx=4, fontSize=LABEL_SIZE, color=NOTE_COLOR)
        .encode(text="label:N")
    )
    unknown = (
        base.transform_filter(f"!({valid})")
        .mark_text(align="left", dx=4, fontSize=LABEL_SIZE, color=NOTE_COLOR,
                   fontStyle="italic")
        .encode(x=alt.value(0), text="label:N")
    )  # fmt: skip
    chart = banded(
        alt.layer(bars, known, unknown).properties(
            description="China's share of US imports by commodity"
        )
    )
    return Figure(theme(chart, snapshot.source_note), describe_shares(data))


def describe_shares(data: pd.DataFrame) -> str:
    """Alt text of the China-share bars."""
    known = data.dropna(subset=["share_percent"]).sort_values(
        "share_percent", ascending=False
    )
    listed = "; ".join(
        f"{one_line(c)} {s:.0f}%"
        for c, s in zip(known["commodity"], known["share_percent"], strict=True)
    )
    unknown = len(data) - len(known)
    return (
        f"Horizontal bars of China's share of US import value for {len(data)} commodities: "
        f"{listed}. For the other {unknown}, China is not among the top three partners "
        "and its share is unknown."
    )


def one_line(label: str) -> str:
    """A wrapped label back on one line."""
    return " ".join(str(label).split())


def trade_frame(snapshot: Snapshot, kind: str) -> pd.DataFrame:
    """The normalised frame of a ``frame`` snapshot, or an error naming the file."""
    if snapshot.kind != "frame":
        msg = f"{snapshot.path}: chart kind '{kind}' needs a trade frame snapshot (brief trade load or fetch --out)"
        raise BuildError(msg)
    return snapshot.frame


def trade_partner_shares(snapshot: Snapshot) -> Figure:
    """Bars: partner shares of the newest year, from a trade frame."""
    agg = top_partners(trade_frame(snapshot, "trade_partner_shares"))
    return Figure(partner_shares_chart(agg), describe_partner_shares(agg))


def trade_china_share(snapshot: Snapshot) -> Figure:
    """Line: China's share of the imports over time, from a trade frame.

    By month when the frame has months and covers fewer than three years, so
    a short series still draws a line.
    """
    frame = trade_frame(snapshot, "trade_china_share")
    monthly = frame["month"].notna().any() and frame["year"].nunique() < 3
    agg = china_share_over_time(frame, period="month" if monthly else "year")
    return Figure(china_share_chart(agg), describe_china_share(agg))


def trade_imports_by_partner(snapshot: Snapshot) -> Figure:
    """Stacked area: imports by partner over time, from a trade frame."""
    frame = trade_frame(snapshot, "trade_imports_by_partner")
    if frame["year"].nunique() < 2:
        msg = f"{snapshot.path}: chart kind 'trade_imports_by_partner' needs two years or more; load or fetch a range (--years 2019-2024)"
        raise BuildError(msg)
    agg = top_partners(frame)
    return Figure(imports_by_partner_chart(agg), describe_imports_by_partner(agg))


def exposure_frame(
    snapshot: Snapshot, codes: Sequence[str]
) -> tuple[pd.DataFrame, str]:
    """The export-control exposure table of any snapshot, and its source note."""
    if not codes:
        msg = f"{snapshot.path}: the export-control exposure needs reference HS codes (codes: or codes_from:)"
        raise BuildError(msg)
    try:
        if snapshot.kind == "frame":
            agg = exposure_table(snapshot.frame, codes)
            return agg.frame, f"{agg.source} {agg.note}"
        return published_exposure(snapshot.frame, codes, snapshot.source_note)
    except TradeDataError as e:
        raise BuildError(f"{snapshot.path}: {e}") from None


def export_control_exposure(snapshot: Snapshot, codes: Sequence[str]) -> Figure:
    """Bars: US imports under the controlled codes' HS-6, China's part marked."""
    table, note = exposure_frame(snapshot, codes)
    return Figure(theme(exposure_figure(table), note), describe_exposure(table))


def published_only(
    build: Callable[[Snapshot], Figure], kind: str
) -> Callable[[Snapshot, Sequence[str]], Figure]:
    """A chart of a published table, refusing a trade frame snapshot."""

    def chart(snapshot: Snapshot, codes: Sequence[str] = ()) -> Figure:
        if snapshot.kind != "published":
            raise BuildError(
                f"{snapshot.path}: chart kind '{kind}' needs a published table snapshot"
            )
        return build(snapshot)

    return chart


def frame_only(
    build: Callable[[Snapshot], Figure],
) -> Callable[[Snapshot, Sequence[str]], Figure]:
    """A chart of a trade frame; trade errors become build errors naming the file."""

    def chart(snapshot: Snapshot, codes: Sequence[str] = ()) -> Figure:
        try:
            return build(snapshot)
        except TradeDataError as e:
            raise BuildError(f"{snapshot.path}: {e}") from None

    return chart


CHART_BUILDERS: dict[str, Callable[[Snapshot, Sequence[str]], Figure]] = {
    "partner_shares": published_only(partner_shares, "partner_shares"),
    "china_share": published_only(china_share, "china_share"),
    "trade_partner_shares": frame_only(trade_partner_shares),
    "trade_china_share": frame_only(trade_china_share),
    "trade_imports_by_partner": frame_only(trade_imports_by_partner),
    "export_control_exposure": export_control_exposure,
}


def save_chart(
    chart: alt.Chart, folder: Path, name: str, reuse: Path | None = None
) -> tuple[Path, ...]:
    """Write ``name.vl.json`` and ``name.svg`` into ``folder``.

    When ``reuse`` (the previous version's charts folder) holds the same
    spec, its SVG is copied instead of rendered again.
    """
    spec = chart.to_dict()
    spec.pop("$schema", None)  # carries Altair's version; the JSON should not
    folder.mkdir(parents=True, exist_ok=True)
    paths = (folder / f"{name}.vl.json", folder / f"{name}.svg")
    text = json.dumps(spec, indent=2, sort_keys=True) + "\n"
    paths[0].write_text(text, encoding="utf-8")
    if reuse is not None and _same_spec(reuse, name, text):
        shutil.copyfile(reuse / paths[1].name, paths[1])
        return paths
    paths[1].write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
    return paths


def _same_spec(folder: Path, name: str, text: str) -> bool:
    """Whether ``folder`` holds this chart's spec and its SVG."""
    old = folder / f"{name}.vl.json"
    try:
        return (
            old.read_text(encoding="utf-8") == text
            and (folder / f"{name}.svg").is_file()
        )
    except OSError:
        return False
