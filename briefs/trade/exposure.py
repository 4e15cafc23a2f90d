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

from briefs.theme import (
    CHINA_COLOR,
    LABEL_SIZE,
    NOTE_COLOR,
    REST_COLOR,
    banded,
    category_axis,
    wrap_label,
)
from briefs.trade.aggregate import (
    Aggregate,
    Rows,
    check_basis,
    china_share,
    cite_all,
    list_codes,
    source_note,
)
from briefs.trade.charts import chart_data, money, themed, usd_unit
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
    """Bars: US imports per HS-6 in a year (the latest by default), China's
    part drawn over the total and labelled with its share."""
    frame = chart_data(
        agg,
        ("hs6", "description", "description_code", "year", "china_usd", "total_usd",
         "share_percent"),
        "exposure_table()",
    )  # fmt: skip
    if year is not None:
        frame = frame[frame["year"] == year]
        if frame.empty:
            raise TradeDataError(f"the exposure table has no rows for {year}")
    return themed(exposure_figure(frame), agg)


def latest(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of the newest year, largest total first."""
    rows = table[table["year"] == table["year"].max()]
    return rows.sort_values(["total_usd", "hs6"], ascending=[False, True])


def share_words(share: object, bound: object) -> str:
    """China's share as a bar label, or why it is unknown.

    >>> share_words(71.4, None), share_words(None, 4.0), share_words(None, None)
    ('71% from China', "China's share unknown (under 4%)", "China's share unknown")
    """
    if share is not None and not pd.isna(share):
        return f"{float(share):.0f}% from China"  # type: ignore[arg-type]
    if bound is not None and not pd.isna(bound):
        return f"China's share unknown (under {float(bound):.0f}%)"  # type: ignore[arg-type]
    return "China's share unknown"


def exposure_figure(table: pd.DataFrame) -> alt.TopLevelMixin:
    """The exposure chart of an exposure table, before the theme: per HS-6,
    US imports from all sources in grey and from China over it."""
    rows = latest(table)
    if rows.empty:
        raise TradeDataError("the exposure table has no rows to chart")
    year = int(rows["year"].iloc[0])
    divisor, unit = usd_unit(float(rows["total_usd"].max()))
    bounds = rows["bound"] if "bound" in rows.columns else [None] * len(rows)
    items = [
        wrap_label(label(d, h, c))
        for d, h, c in zip(rows["description"], rows["hs6"], rows["description_code"], strict=True)
    ]  # fmt: skip
    data = pd.DataFrame(
        {
            "item": items,
            "all": (rows["total_usd"].astype("float64") / divisor).round(4).to_numpy(),
            "china": (rows["china_usd"].astype("float64") / divisor).round(4).to_numpy(),
            "label": [share_words(s, b) for s, b in zip(rows["share_percent"], bounds, strict=True)],
        }
    )  # fmt: skip
    parts = ["US imports from all sources", "US imports from China"]
    colour = alt.Color(
        "part:N", scale=alt.Scale(domain=parts, range=[REST_COLOR, CHINA_COLOR])
    )
    base = alt.Chart(data).encode(
        y=category_axis("item:N", items),
        x=alt.X(
            "value:Q",
            stack=None,  # China's part is drawn over the total, not after it
            title=f"US imports in {year}, {unit}",
            scale=alt.Scale(domain=[0, round(float(data["all"].max()) * 1.6, 4)]),
        ),
    )
    folded = base.transform_fold(["all", "china"], as_=["key", "value"]).transform_filter(
        "isValid(datum.value)"
    ).transform_calculate(part=f"datum.key === 'all' ? '{parts[0]}' : '{parts[1]}'")  # fmt: skip
    bars = folded.mark_bar().encode(
        color=colour, order=alt.Order("key:N"), tooltip=["item:N", "part:N", "value:Q"]
    )
    labels = base.mark_text(
        align="left", dx=4, fontSize=LABEL_SIZE, color=NOTE_COLOR
    ).encode(x="all:Q", text="label:N")
    return banded(alt.layer(bars, labels).properties(description=TITLE))


def describe_exposure(table: pd.DataFrame) -> str:
    """Alt text of the exposure chart: each subheading's total and China's part."""
    rows = latest(table)
    year = int(rows["year"].iloc[0])
    bounds = rows["bound"] if "bound" in rows.columns else [None] * len(rows)
    parts = "; ".join(
        f"{label(d, h, c)}: {money(float(t))} in all, {share_words(s, b)}"
        for d, h, c, t, s, b in zip(
            rows["description"], rows["hs6"], rows["description_code"],
            rows["total_usd"], rows["share_percent"], bounds, strict=True,
        )
    )  # fmt: skip
    return (
        f"Horizontal bars of US imports in {year} under the HS-6 subheadings of "
        f"the controlled items' reference codes, China's part drawn over each total. {parts}."
    )


def published_exposure(
    frame: pd.DataFrame, codes: Iterable[str], source: str
) -> tuple[pd.DataFrame, str]:
    """The exposure table of a published top-partners table, and its note.

    A published table names each line's top three partners: China's value is
    known where it is among them, and unknown (null, with ``bound`` the
    smallest published share, which China's is below) where it is not.
    """
    wanted = hs6_of(codes)
    lines = frame.assign(hs6=frame["hts10"].str[:6])
    found = lines[lines["hs6"].isin(list(wanted))]
    missing = [h for h in wanted if h not in set(found["hs6"])]
    if found.empty:
        raise TradeDataError(
            f"no rows for HS-6 {', '.join(wanted)} in the published table"
        )
    rows = [
        published_row(found[found["hs6"] == h], h, wanted[h])
        for h in wanted
        if h not in missing
    ]
    table = pd.DataFrame(rows, columns=[*COLUMNS, "bound"])
    return table, f"{source} {exposure_note(wanted, missing)}"


def published_row(
    rows: pd.DataFrame, hs6: str, reference: tuple[str, ...]
) -> dict[str, object]:
    """One HS-6 of a published table: totals over its lines, China where known."""
    per_line = rows.groupby("hts10", sort=True)
    totals = per_line["total_value_usd"].first()
    china = rows[rows["partner"] == "China"].set_index("hts10")["share_percent"]
    known = set(china.index) == set(totals.index)
    total = float(totals.sum())
    china_usd = (
        float(sum(totals[c] * china[c] / 100 for c in china.index)) if known else None
    )
    bound = None if china.size else float(per_line["share_percent"].min().max())
    largest = str(totals.idxmax())
    return {
        "hs6": hs6,
        "description": str(rows.loc[rows["hts10"] == largest, "description"].iloc[0]),
        "description_code": largest,
        "reference_codes": ", ".join(reference),
        "year": int(rows["year"].max()),
        "china_usd": china_usd,
        "total_usd": total,
        "share_percent": None if china_usd is None else china_usd / total * 100,
        "total_basis": "published total",
        "bound": bound,
    }


def label(description: object, hs6: object, code: object) -> str:
    """A short bar label: the description in sentence case, and the code.

    >>> label("LITHIUM-ION BATTERIES", "850760", "850760")
    'Lithium-ion batteries (HS 850760)'
    >>> label("LITHIUM-ION BATTERIES FOR EV", "850760", "8507600010")
    'Lithium-ion batteries for ev, etc. (HS 850760)'
    """
    text = str(description or "").strip()
    text = text[:1].upper() + text[1:].lower() if text.isupper() else text
    more = ", etc." if text and code != hs6 else ""
    return f"{text}{more} (HS {hs6})" if text else f"HS {hs6}"
