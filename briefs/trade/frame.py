"""The normalised trade frame: one schema for every source.

Each row is one flow of one commodity between a reporter and a partner in one
period, and carries its provenance (dataset, source file sha256, query, and
the row of the source file it came from), so every chart and computed number
can cite its rows. ``check_frame`` enforces the schema on load.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from briefs.errors import BriefError

# column -> pandas dtype. Nullable types where a source may not say.
COLUMNS: dict[str, str] = {
    "year": "Int64",
    "month": "Int64",  # null for annual data
    "flow": "string",  # imports | general_imports | imports_for_consumption | exports
    "reporter": "string",
    "reporter_iso3": "string",
    "partner": "string",
    "partner_iso3": "string",  # ISO 3166 alpha-3; "WLD" for the world total
    "code": "string",  # the commodity code as the source gives it
    "code_system": "string",  # HTS10 | HTS8 | HS6 | HS4 | HS2 | CN8 | CN10
    "hs6": "string",  # the first six digits, for joins across sources
    "description": "string",
    "value_usd": "float64",
    "quantity": "float64",  # null where not reported
    "quantity_unit": "string",
    "dataset": "string",  # e.g. "Census international trade API, imports by HS"
    "source_sha256": "string",  # sha256 of the file or response read
    "query": "string",  # the query or export parameters, as text
    "source_row": "Int64",  # 1-based row (or record) of the source it came from
}


MAX_EXACT = 2**53  # the largest integer float64 holds exactly


class TradeDataError(BriefError):
    """A trade file or row that cannot be read; names the file and row."""


def empty_frame() -> pd.DataFrame:
    """A frame with the schema and no rows."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in COLUMNS.items()})


def check_frame(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """The frame with exactly the schema's columns and types, or an error.

    >>> check_frame(empty_frame(), "x").columns.tolist() == list(COLUMNS)
    True
    """
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise TradeDataError(f"{source}: missing columns {', '.join(missing)}")
    out = frame[list(COLUMNS)].copy()
    for column, dtype in COLUMNS.items():
        try:
            out[column] = out[column].astype(dtype)
        except (TypeError, ValueError) as e:
            raise TradeDataError(
                f"{source}: column '{column}' is not {dtype}: {e}"
            ) from None
    bad = out["hs6"].notna() & ~out["hs6"].str.fullmatch(r"\d{6}", na=False)
    if bad.any():
        row = out.loc[bad, "source_row"].iloc[0]
        raise TradeDataError(f"{source} row {row}: hs6 must be six digits")
    check_values(out, source)
    return out.reset_index(drop=True)


def check_values(frame: pd.DataFrame, source: str) -> None:
    """Values and quantities finite and exact in float64 (at most 2**53).

    (Negative values are refused where they are summed: briefs.trade.aggregate.)
    """
    for column in ("value_usd", "quantity"):
        values = frame[column]
        bad = values.notna() & ~values.abs().between(0, MAX_EXACT)
        if bad.any():
            row = frame.loc[bad, "source_row"].iloc[0]
            value = float(values[bad].iloc[0])
            raise TradeDataError(
                f"{source} row {row}: {column} {value!r} is infinite, not a number "
                "or past float64 integer precision (2**53)"
            )


def frame_csv(frame: pd.DataFrame) -> str:
    """The frame as CSV text: the schema's columns in order, nulls empty."""
    text: str = check_frame(frame, "frame").to_csv(index=False, lineterminator="\n")
    return text


def read_frame_csv(path: Path) -> pd.DataFrame:
    """A frame written by :func:`frame_csv`, checked against the schema."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw = raw.replace("", pd.NA)
    for column, dtype in COLUMNS.items():
        if dtype in ("Int64", "float64") and column in raw.columns:
            numbers = pd.to_numeric(raw[column], errors="coerce")
            bad = raw[column].notna() & numbers.isna()
            if bad.any():
                row = int(bad.to_numpy().argmax()) + 2  # 1-based, after the header
                raise TradeDataError(f"{path} row {row}: '{column}' is not a number")
            raw[column] = numbers
    return check_frame(raw, str(path))


def is_frame_csv(header: list[str]) -> bool:
    """True when a CSV header is the normalised frame's."""
    return list(COLUMNS) == header
