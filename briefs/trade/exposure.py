"""US exposure to Chinese export controls, through the HS codes MOFCOM cites.

A MOFCOM announcement gives each controlled item a Chinese reference HS code
of 8 or 10 digits (No. 58/2025: 85076000, 28429040, 28539030, 28539050, ...).
Only the first six digits are shared with the US schedule, so each code is
mapped to its HS-6 subheading and US imports from China are read there.

An HS-6 subheading is wider than the controlled item (all lithium-ion
batteries, not only those of 300 Wh/kg and more), so the values are an upper
bound on US imports of controlled goods; the note says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import altair as alt
import pandas as pd

from briefs.trade.aggregate import (
    Aggregate,
    Rows,
    check_basis,
    china_share,
    cite_all,
    list_codes,
    source_note,
)
from briefs.trade.charts import CHINA_COLOR, chart_data, themed, usd_unit
from briefs.trade.frame import TradeDataError

TITLE = "US imports from China of goods now under Chinese export control"
COLUMNS = [
    "hs6",
    "description",
    "description_code",
    "reference_codes",
    "year",
    "china_usd",
    "total_usd",
    "share_percent",
    "total_basis",
]


def hs6_of(codes: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """HS-6 subheading -> the reference codes under it, in the order given.

    Dots and spaces are ignored ("8507.60.00" is 85076000).

    >>> hs6_of(["85076000", "28539030", "2853.90.50"])
    {'850760': ('85076000',), '285390': ('28539030', '28539050')}
    """
    found: dict[str, tuple[str, ...]] = {}
    for code in codes:
        digits = re.sub(r"[.\s]", "", code)
        if not re.fullmatch(r"\d{6,10}", digits):
            raise TradeDataError(
                f"reference HS code {code!r} must have 6 to 10 digits (e.g. 85076000)"
            )
        previous = found.get(digits[:6], ())
        if digits not in previous:
            found[digits[:6]] = (*previous, digits)
    if not found:
        raise TradeDataError("no reference HS codes given")
    return found


def describe(rows: pd.DataFrame, hs6: str) -> tuple[str, str]:
    """A subheading's description and the code it belongs to: the HS-6 rows'
    own if the frame has them, else that of the largest tariff line."""
    own = rows.loc[rows["code"] == hs6, "description"].dropna()
    if not own.empty:
        return str(own.iloc[0]), hs6
    by_code = rows.groupby("code")["value_usd"].sum().sort_values(ascending=False)
    code = str(by_code.index[0])
    text = rows.loc[rows["code"] == code, "description"].dropna()
    return (str(text.iloc[0]) if not text.empty else ""), code


def exposure_table(frame: pd.DataFrame, codes: Iterable[str]) -> Aggregate:
    """Per HS-6 and year: US imports from China and China's share of them.

    ``codes`` are the announcement's reference HS codes. Columns: hs6,
    description, description_code (the HS-6 itself, or the largest tariff
    line under it when the frame holds lines), reference_codes, year,
    china_usd, total_usd, share_percent, total_basis (as
    :func:`~briefs.trade.aggregate.china_share`). Codes with
    no rows in the frame are named in the note, with the command that fetches
    them.
    """
    wanted = hs6_of(codes)
    selected = frame[frame["hs6"].isin(list(wanted)).fillna(False).astype(bool)]
    missing = [h for h in wanted if not (selected["hs6"] == h).any()]
    if selected.empty:
        raise TradeDataError(
            f"no rows for HS-6 {', '.join(wanted)} in the frame; fetch each, e.g. "
            f"'brief trade fetch --hts {next(iter(wanted))} --years FIRST-LAST --by partner'"
        )
    basis = check_basis(selected)
    parts: list[pd.DataFrame] = []
    cited: list[Rows] = []
    for hs6, reference in wanted.items():
        if hs6 in missing:
            continue
        sub = selected[selected["hs6"] == hs6]
        share = china_share(sub)
        cited.append(share.cited)
        text, code = describe(sub, hs6)
        parts.append(
            share.frame.assign(
                hs6=hs6,
                description=text,
                description_code=code,
                reference_codes=", ".join(reference),
            )
        )
    table = pd.concat(parts, ignore_index=True)[COLUMNS]
    table = table.astype(
        {
            "hs6": "string",
            "description": "string",
            "description_code": "string",
            "reference_codes": "string",
        }
    )
    return Aggregate(
        frame=table,
        cited=cite_all(cited),
        datasets=tuple(sorted(selected["dataset"].dropna().unique())),
        codes=tuple(sorted(selected["code"].dropna().unique())),
        note=exposure_note(wanted, missing),
        source=source_note(selected, basis),
    )


def exposure_note(wanted: dict[str, tuple[str, ...]], missing: list[str]) -> str:
    """What the exposure table is, why it is an upper bound, and what is absent."""
    reference = list_codes([c for codes in wanted.values() for c in codes], limit=12)
    note = (
        f"US imports from China under the HS-6 subheadings of Chinese reference "
        f"codes {reference} (first six digits); a subheading is wider than the "
        "controlled item, so these are upper bounds."
    )
    if missing:
        note += f" No rows for HS-6 {', '.join(missing)}."
    return note


def exposure_chart(agg: Aggregate, year: int | None = None) -> alt.Chart:
    """Bars: US imports from China per HS-6 in a year (the latest by default),
    each labelled with China's share of US imports of it."""
    frame = chart_data(
        agg,
        (
            "hs6",
            "description",
            "description_code",
            "year",
            "china_usd",
            "share_percent",
        ),
        "exposure_table()",
    )
    year = int(frame["year"].max()) if year is None else year
    frame = frame[frame["year"] == year]
    if frame.empty:
        raise TradeDataError(f"the exposure table has no rows for {year}")
    divisor, unit = usd_unit(float(frame["china_usd"].max()))
    data = pd.DataFrame(
        {
            "item": [
                label(d, h, c)
                for d, h, c in zip(
                    frame["description"],
                    frame["hs6"],
                    frame["description_code"],
                    strict=True,
                )
            ],
            "value": (frame["china_usd"].astype("float64") / divisor)
            .round(4)
            .to_numpy(),
            "share": [
                f"{s:.0f}% of US imports" if pd.notna(s) else "share unknown"
                for s in frame["share_percent"]
            ],
        }
    )
    base = alt.Chart(data).encode(
        y=alt.Y("item:N", sort="-x", title=None, axis=alt.Axis(labelLimit=300)),
        x=alt.X(
            "value:Q",
            title=f"US imports from China in {year}, {unit}",
            # Room on the right for the share labels.
            scale=alt.Scale(domain=[0, round(float(data["value"].max()) * 1.35, 4)]),
        ),
    )
    bars = base.mark_bar(color=CHINA_COLOR).encode(
        tooltip=["item:N", "value:Q", "share:N"]
    )
    labels = base.mark_text(align="left", dx=3, fontSize=10, color="#333333").encode(
        text="share:N"
    )
    return themed(alt.layer(bars, labels).properties(description=TITLE), agg)


def label(description: object, hs6: object, code: object) -> str:
    """A short bar label: the description in sentence case, and the code.

    >>> label("LITHIUM-ION BATTERIES", "850760", "850760")
    'Lithium-ion batteries (HS 850760)'
    >>> label("LITHIUM-ION BATTERIES FOR EV", "850760", "8507600010")
    'Lithium-ion batteries for ev, etc. (HS 850760)'
    """
    text = str(description or "").strip()
    text = text[:1].upper() + text[1:].lower() if text.isupper() else text
    text = text if len(text) <= 40 else text[:39].rstrip(" ,") + "…"
    more = ", etc." if text and code != hs6 else ""
    return f"{text}{more} (HS {hs6})" if text else f"HS {hs6}"
