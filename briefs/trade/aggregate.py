"""Aggregations over the normalised trade frame, each citing the rows it used.

Every function here is pure: it takes a frame of the schema in
:mod:`briefs.trade.frame` and returns an :class:`Aggregate`, a small result
frame together with the ``(source_sha256, source_row)`` of every input row it
used, the datasets they came from, the commodity codes, a note saying what was
computed and what was left out, and the source note for a chart.

Rules (stated once, applied everywhere):

- Partner shares are shares of the sum over partner countries. World rows
  (``partner_iso3 == "WLD"``) and rows without an ISO code (Census groupings
  such as the EU or continents) are left out, so nothing is counted twice.
- China's share uses the world row of a period as the denominator where the
  frame has one, and the sum over partners otherwise.
- One frame, one basis: a single reporter, flow and code system. Mixed flows
  or code depths would be added together, so they are an error, as is a year
  holding both annual and monthly rows.
- Rows without a value are left out and counted in the note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from briefs.trade.frame import TradeDataError

WORLD = "WLD"
CHINA = "CHN"
OTHER = "Other"
FLOW_WORDS = {
    "imports": "imports",
    "general_imports": "general imports",
    "imports_for_consumption": "imports for consumption",
    "exports": "exports",
}
Period = Literal["year", "month"]
# The columns aggregations read; the rest are carried by the source frame.
READ = ["year", "month", "partner", "partner_iso3", "code", "description",
        "value_usd", "dataset", "source_sha256", "source_row"]  # fmt: skip


@dataclass(frozen=True, slots=True, eq=False)
class Rows:
    """The ``(source_sha256, source_row)`` of a set of rows, sorted and unique.

    Kept as arrays (an index into ``sources`` and the row number), since a
    million Python tuples would cost ~100 MB per aggregate; ``pairs`` and
    ``ranges`` give them as tuples when they are cited.
    """

    sources: tuple[str, ...]
    source: np.ndarray  # index into sources, one per row
    row: np.ndarray  # the source_row, one per row

    def __len__(self) -> int:
        return len(self.row)

    def pairs(self) -> tuple[tuple[str, int], ...]:
        """Every ``(source_sha256, source_row)``."""
        names = [self.sources[i] for i in self.source.tolist()]
        return tuple(zip(names, self.row.tolist(), strict=True))

    def ranges(self) -> tuple[tuple[str, int, int], ...]:
        """Runs of consecutive rows, ``(source_sha256, first, last)``: a
        compact citation (a whole response is one run per gap it has).

        >>> cite(pd.DataFrame({"source_sha256": ["a"] * 4, "source_row": [2, 3, 4, 9]})).ranges()
        (('a', 2, 4), ('a', 9, 9))
        """
        if not len(self):
            return ()
        starts = np.ones(len(self), dtype=bool)
        starts[1:] = (self.source[1:] != self.source[:-1]) | (
            self.row[1:] != self.row[:-1] + 1
        )
        first = np.flatnonzero(starts)
        last = np.append(first[1:] - 1, len(self) - 1)
        return tuple(
            (self.sources[s], r0, r1)
            for s, r0, r1 in zip(
                self.source[first].tolist(),
                self.row[first].tolist(),
                self.row[last].tolist(),
                strict=True,
            )
        )


@dataclass(frozen=True, slots=True, eq=False)
class Aggregate:
    """A computed table and the provenance of every row that went into it.

    ``rows`` gives the ``(source_sha256, source_row)`` pairs, sorted and
    unique (``cited`` holds them compactly); ``source`` is the one-line
    source note for a chart or table.
    """

    frame: pd.DataFrame
    cited: Rows
    datasets: tuple[str, ...]
    codes: tuple[str, ...]
    note: str
    source: str

    @property
    def rows(self) -> tuple[tuple[str, int], ...]:
        """``(source_sha256, source_row)`` of every input row used."""
        return self.cited.pairs()


# -- selecting rows --------------------------------------------------------


def is_world(frame: pd.DataFrame) -> pd.Series:
    """True for world-total rows."""
    return (frame["partner_iso3"] == WORLD).fillna(False).astype(bool)


def is_partner(frame: pd.DataFrame) -> pd.Series:
    """True for rows of one partner country (not world, not a grouping)."""
    iso = frame["partner_iso3"]
    return (iso.notna() & (iso != WORLD)).fillna(False).astype(bool)


def valued(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that have a value, after checking values are not negative."""
    value = frame["value_usd"]
    negative = (value < 0).fillna(False)
    if negative.any():
        row = frame.loc[negative, "source_row"].iloc[0]
        sha = frame.loc[negative, "source_sha256"].iloc[0]
        raise TradeDataError(f"source {sha} row {row}: value_usd is negative")
    return frame[value.notna()]


def one_flow(frame: pd.DataFrame, flow: str) -> pd.DataFrame:
    """The rows of one flow (a Census response loads as two: general imports
    and imports for consumption), or an error naming the flows there are."""
    rows = frame[(frame["flow"] == flow).fillna(False).astype(bool)]
    if rows.empty:
        flows = ", ".join(sorted(frame["flow"].dropna().unique())) or "none"
        raise TradeDataError(f"no rows of flow {flow!r}; the frame has {flows}")
    return rows


def check_basis(frame: pd.DataFrame) -> tuple[str, str, str]:
    """The frame's one (reporter, flow, code_system), or an error naming the mix."""
    if frame.empty:
        raise TradeDataError("no trade rows to aggregate; load or fetch data first")
    found = []
    for column in ("reporter", "flow", "code_system"):
        values = sorted(frame[column].dropna().unique())
        if len(values) != 1:
            listed = ", ".join(values) or "none"
            hint = (
                f", e.g. one_flow(frame, {values[0]!r})"
                if column == "flow" and values
                else ""
            )
            raise TradeDataError(
                f"the frame has {column} {listed}; select one {column} before "
                f"aggregating{hint} (values would be added across them)"
            )
        found.append(str(values[0]))
    check_periods(frame)
    return found[0], found[1], found[2]


def prepare(frame: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, str, str]]:
    """The columns aggregations read (filtering fewer columns is faster), and
    the frame's basis, checked."""
    basis = check_basis(frame)
    return frame[READ], basis


def check_periods(frame: pd.DataFrame) -> None:
    """Raise if a year holds both annual rows (no month) and monthly rows."""
    monthly = frame["month"].notna()
    kinds = monthly.groupby(frame["year"]).nunique()
    mixed = kinds[kinds > 1]
    if not mixed.empty:
        raise TradeDataError(
            f"year {mixed.index[0]} has both annual and monthly rows; "
            "keep one of them, or its value would count twice"
        )


# -- provenance ------------------------------------------------------------


def cite(used: pd.DataFrame) -> Rows:
    """The provenance of the rows of ``used``, sorted and unique."""
    missing = used["source_sha256"].isna() | used["source_row"].isna()
    if missing.any():
        index = missing.to_numpy().nonzero()[0][0]
        raise TradeDataError(
            f"row {index + 1} of the frame has no source_sha256 or source_row; "
            "every trade row must cite its source"
        )
    codes, names = pd.factorize(used["source_sha256"], sort=True)
    rows = used["source_row"].to_numpy(dtype="int64")
    order = np.lexsort((rows, codes))
    codes, rows = codes[order], rows[order]
    keep = np.ones(len(rows), dtype=bool)
    keep[1:] = (codes[1:] != codes[:-1]) | (rows[1:] != rows[:-1])
    return Rows(tuple(str(n) for n in names), codes[keep], rows[keep])


def cite_all(many: Sequence[Rows]) -> Rows:
    """The union of several sets of rows."""
    sources = [r.sources[i] for r in many for i in r.source.tolist()]
    rows = np.concatenate([r.row for r in many]) if many else np.array([], "int64")
    return cite(pd.DataFrame({"source_sha256": sources, "source_row": rows}))


def list_codes(codes: Sequence[str], limit: int = 6) -> str:
    """Codes for a source note: all of them when few, else a count by chapter.

    >>> list_codes(["850760", "284290"])
    '284290, 850760'
    >>> list_codes([f"85{i:04d}" for i in range(9)])
    '9 codes in HS chapter 85'
    """
    codes = sorted(set(codes))
    if len(codes) <= limit:
        return ", ".join(codes)
    chapters = sorted({c[:2] for c in codes})
    if len(chapters) > limit:
        return f"{len(codes)} codes in {len(chapters)} HS chapters"
    word = "chapter" if len(chapters) == 1 else "chapters"
    return f"{len(codes)} codes in HS {word} {', '.join(chapters)}"


def source_note(used: pd.DataFrame, basis: tuple[str, str, str]) -> str:
    """One line naming the datasets, the reporter and flow, and the codes."""
    reporter, flow, system = basis
    datasets = "; ".join(sorted(used["dataset"].dropna().unique())) or "unknown dataset"
    codes = list_codes(used["code"].dropna().unique().tolist())
    flow_words = FLOW_WORDS.get(flow, flow)
    return f"Source: {datasets}. {reporter} {flow_words}, {system} {codes}."


def build(
    result: pd.DataFrame, used: pd.DataFrame, basis: tuple[str, str, str], note: str
) -> Aggregate:
    """An Aggregate of ``result`` citing the rows of ``used``."""
    return Aggregate(
        frame=result.reset_index(drop=True),
        cited=cite(used),
        datasets=tuple(sorted(used["dataset"].dropna().unique())),
        codes=tuple(sorted(used["code"].dropna().unique())),
        note=note,
        source=source_note(used, basis),
    )


def left_out(frame: pd.DataFrame) -> str:
    """What a partner aggregation leaves out, as a clause for the note."""
    parts = [
        (int(is_world(frame).sum()), "world-total"),
        (int((frame["partner_iso3"].isna()).sum()), "grouping or unmapped-partner"),
        (int(frame["value_usd"].isna().sum()), "valueless"),
    ]
    said = [f"{n} {what} row{'s' if n != 1 else ''}" for n, what in parts if n]
    return f"; left out: {', '.join(said)}" if said else ""


# -- partner shares --------------------------------------------------------


def by_partner(rows: pd.DataFrame, keys: Sequence[str] = ("year",)) -> pd.DataFrame:
    """Value per period and partner, with the partner's name (first seen)."""
    grouped = rows.groupby([*keys, "partner_iso3"], sort=True, observed=True)
    out = grouped.agg(partner=("partner", "first"), value_usd=("value_usd", "sum"))
    return out.reset_index()


def with_shares(table: pd.DataFrame, keys: Sequence[str] = ("year",)) -> pd.DataFrame:
    """``table`` with ``share_percent`` of each period's total (NaN if it is 0)."""
    total = table.groupby(list(keys), sort=False)["value_usd"].transform("sum")
    share = (table["value_usd"] / total.where(total > 0)) * 100
    return table.assign(share_percent=share.astype("float64"))


def partner_shares(frame: pd.DataFrame) -> Aggregate:
    """Each partner's share of the year's imports (shares sum to 100 per year).

    Columns: year, partner_iso3, partner, value_usd, share_percent; sorted by
    year, then share (largest first). Years whose total is zero are left out.
    """
    frame, basis = prepare(frame)
    used = valued(frame[is_partner(frame)])
    table = with_shares(by_partner(used))
    empty = sorted(table.loc[table["share_percent"].isna(), "year"].unique())
    table = table[table["share_percent"].notna()]
    table = table.sort_values(
        ["year", "value_usd", "partner_iso3"], ascending=[True, False, True]
    )
    skipped = f"; years with no imports: {', '.join(map(str, empty))}" if empty else ""
    note = f"Partner shares of {FLOW_WORDS.get(basis[1], basis[1])} by year{left_out(frame)}{skipped}."
    return build(table, used, basis, note)


def concentration(frame: pd.DataFrame) -> Aggregate:
    """Herfindahl-Hirschman index of partner shares per year, 0 to 10,000.

    Columns: year, partners (with imports above zero), hhi, top_iso3,
    top_share_percent. A single supplier gives 10,000; n equal suppliers
    give 10,000 / n.
    """
    shares = partner_shares(frame)
    table = shares.frame
    table = table[table["value_usd"] > 0]
    grouped = table.groupby("year", sort=True)
    out = pd.DataFrame(
        {
            "partners": grouped.size(),
            "hhi": grouped["share_percent"].apply(lambda s: float((s**2).sum())),
            "top_iso3": grouped["partner_iso3"].first(),
            "top_share_percent": grouped["share_percent"].first(),
        }
    ).reset_index()
    note = shares.note.replace("Partner shares of", "Concentration (HHI) of", 1)
    return Aggregate(
        out, shares.cited, shares.datasets, shares.codes, note, shares.source
    )


def top_partners(frame: pd.DataFrame, n: int = 5, year: int | None = None) -> Aggregate:
    """The ``n`` largest partners and everyone else as "Other", for every year.

    Partners are ranked by their value over all the frame's years (or in
    ``year`` alone, which then is the only year in the result). Every year
    has a row for each top partner (0 where it sold nothing) and one "Other"
    row when there are more partners, so the values of a year add up to its
    total. Columns: year, rank (1 = largest; n + 1 = Other), partner_iso3
    (null for Other), partner, value_usd, share_percent.
    """
    if n < 1:
        raise TradeDataError(f"top_partners needs n >= 1, not {n}")
    frame, basis = prepare(frame)
    used = valued(frame[is_partner(frame)])
    if year is not None:
        used = used[used["year"] == year]
        if used.empty:
            raise TradeDataError(f"no partner rows for {year}")
    table = by_partner(used)
    grid = fold_others(table, ranking(table, n))
    note = (
        f"Top {n} partners in {FLOW_WORDS.get(basis[1], basis[1])}"
        f"{f' in {year}' if year is not None else ''}, the rest as Other{left_out(frame)}."
    )
    return build(with_shares(grid), used, basis, note)


def ranking(table: pd.DataFrame, n: int) -> pd.DataFrame:
    """The top ``n`` partners by total value: partner_iso3, partner, rank."""
    totals = table.groupby("partner_iso3", sort=True).agg(
        partner=("partner", "first"), value_usd=("value_usd", "sum")
    )
    totals = totals.reset_index().sort_values(
        ["value_usd", "partner_iso3"], ascending=[False, True]
    )
    top = totals.head(n)[["partner_iso3", "partner"]].reset_index(drop=True)
    return top.assign(rank=np.arange(1, len(top) + 1))


def fold_others(table: pd.DataFrame, top: pd.DataFrame) -> pd.DataFrame:
    """For every year, each top partner and Other: values, the rest summed as Other."""
    years = pd.DataFrame({"year": sorted(table["year"].unique())}, dtype="Int64")
    grid = years.merge(top, how="cross")
    named = table[["year", "partner_iso3", "value_usd"]]
    grid = grid.merge(named, on=["year", "partner_iso3"], how="left")
    grid["value_usd"] = grid["value_usd"].fillna(0.0)
    rest = table[~table["partner_iso3"].isin(top["partner_iso3"])]
    if not rest.empty:
        other = years.merge(
            rest.groupby("year", as_index=False)["value_usd"].sum(),
            on="year",
            how="left",
        )
        other = other.assign(
            partner_iso3=pd.NA, partner=OTHER, rank=len(top) + 1
        ).fillna({"value_usd": 0.0})
        grid = pd.concat([grid, other], ignore_index=True)
    grid = grid.astype({"partner_iso3": "string", "partner": "string", "rank": "int64"})
    columns = ["year", "rank", "partner_iso3", "partner", "value_usd"]
    return grid[columns].sort_values(["year", "rank"]).reset_index(drop=True)


# -- China's share ---------------------------------------------------------


def period_keys(period: Period) -> list[str]:
    """The grouping columns of a period."""
    if period not in ("year", "month"):
        raise TradeDataError(f"period must be 'year' or 'month', not {period!r}")
    return ["year"] if period == "year" else ["year", "month"]


def china_share(frame: pd.DataFrame, period: Period = "year") -> Aggregate:
    """China's share of imports by year, or by month where the frame has months.

    The denominator of a month (or of a year of annual rows) is its world row
    where the frame has one, else the sum over partner countries; the column
    ``total_basis`` says which. China is ``partner_iso3 == "CHN"`` (Hong Kong
    and Macao are separate partners). Columns: year[, month], china_usd,
    total_usd, share_percent, total_basis.
    """
    keys = period_keys(period)
    frame, basis = prepare(frame)
    rows = valued(frame)
    if period == "month":
        rows = rows[rows["month"].notna()]
        if rows.empty:
            raise TradeDataError("the frame has no monthly rows; use period='year'")
    if not is_partner(rows).any():
        raise TradeDataError(
            "the frame has no partner rows, so China's share is unknown; "
            "fetch the data by partner (--by partner)"
        )
    parts = period_parts(rows)
    table = parts.groupby(keys, sort=True).agg(
        china_usd=("china_usd", "sum"),
        total_usd=("total_usd", "sum"),
        total_basis=("total_basis", lambda s: " + ".join(sorted(set(s)))),
    )
    table = table.reset_index()
    table["share_percent"] = (
        table["china_usd"] / table["total_usd"].where(table["total_usd"] > 0) * 100
    )
    check_share(table, keys)
    columns = [*keys, "china_usd", "total_usd", "share_percent", "total_basis"]
    used = rows[(rows["partner_iso3"] == CHINA).fillna(False) | denominator_rows(rows)]
    note = (
        f"China's share of {FLOW_WORDS.get(basis[1], basis[1])} by {period}; "
        "denominator: the world row where present, else the sum over partners."
    )
    return build(table[columns], used, basis, note)


def period_parts(rows: pd.DataFrame) -> pd.DataFrame:
    """Per (year, month): China's value, the total, and where the total came from."""
    keys = ["year", "month"]
    world = is_world(rows)
    partner = is_partner(rows)
    china = (rows["partner_iso3"] == CHINA).fillna(False)
    parts = pd.DataFrame(
        {
            "year": rows["year"],
            "month": rows["month"],
            "china": rows["value_usd"].where(china, 0.0),
            "world": rows["value_usd"].where(world, 0.0),
            "partners": rows["value_usd"].where(partner, 0.0),
            "has_world": world,
        }
    )
    sums = parts.groupby(keys, sort=True, dropna=False).agg(
        china_usd=("china", "sum"),
        world=("world", "sum"),
        partners=("partners", "sum"),
        has_world=("has_world", "any"),
    )
    sums["total_usd"] = sums["world"].where(sums["has_world"], sums["partners"])
    sums["total_basis"] = np.where(sums["has_world"], "world row", "sum of partners")
    return sums.reset_index()


def denominator_rows(rows: pd.DataFrame) -> pd.Series:
    """The rows a China-share denominator used: world rows, or partners where none."""
    world = is_world(rows)
    keys = [rows["year"], rows["month"].fillna(0)]
    has_world = world.groupby(keys).transform("any")
    return world | (is_partner(rows) & ~has_world)


def check_share(table: pd.DataFrame, keys: Sequence[str]) -> None:
    """Raise if China's value exceeds the total of a period (mixed queries)."""
    over = table[table["share_percent"] > 100 + 1e-9]
    if not over.empty:
        when = "-".join(str(over.iloc[0][k]) for k in keys)
        raise TradeDataError(
            f"{when}: imports from China exceed the world total; "
            "the frame mixes rows of different queries"
        )


# -- change year over year -------------------------------------------------


def year_over_year(frame: pd.DataFrame, partner_iso3: str | None = None) -> Aggregate:
    """Yearly value and its change on the year before.

    The total (as China's share counts it: world rows where present, else the
    sum over partners), or one partner's value. Columns: year, months (months
    present; null for annual data), value_usd, previous_usd, change_usd,
    change_percent. A year is compared only with the calendar year before it
    and only when both cover the same number of months, so a partial latest
    year does not show as a collapse.
    """
    frame, basis = prepare(frame)
    rows = valued(frame)
    flow = FLOW_WORDS.get(basis[1], basis[1])
    if partner_iso3 is None:
        used = rows[denominator_rows(rows)]
        series = period_parts(used).rename(columns={"total_usd": "value_usd"})
        what = f"total {flow}"
    else:
        used = rows[(rows["partner_iso3"] == partner_iso3).fillna(False)]
        series = used
        what = f"{flow} from {partner_iso3}"
    if used.empty:
        raise TradeDataError(f"no rows for {what}; nothing to compare")
    table = yearly_change(series[["year", "month", "value_usd"]])
    partial = table.loc[table["months"].notna() & (table["months"] < 12), "year"]
    caveat = f"; partial years: {', '.join(map(str, partial))}" if len(partial) else ""
    return build(table, used, basis, f"Change year over year of {what}{caveat}.")


def yearly_change(rows: pd.DataFrame) -> pd.DataFrame:
    """Value per year, months covered, and the change on the comparable year before."""
    grouped = rows.groupby("year", sort=True)
    months = grouped["month"].nunique().astype("Int64")
    table = pd.DataFrame(
        {"months": months.where(months > 0), "value_usd": grouped["value_usd"].sum()}
    ).reset_index()
    before = table.assign(year=table["year"] + 1)[["year", "months", "value_usd"]]
    table = table.merge(
        before, on="year", how="left", suffixes=("", "_before"), validate="one_to_one"
    )
    same = (table["months"].fillna(0) == table["months_before"].fillna(0)) & table[
        "value_usd_before"
    ].notna()
    table["previous_usd"] = table["value_usd_before"].where(same)
    table["change_usd"] = table["value_usd"] - table["previous_usd"]
    previous = table["previous_usd"].where(table["previous_usd"] > 0)
    table["change_percent"] = table["change_usd"] / previous * 100
    columns = [
        "year",
        "months",
        "value_usd",
        "previous_usd",
        "change_usd",
        "change_percent",
    ]
    return table[columns].astype({"previous_usd": "float64", "change_usd": "float64"})
