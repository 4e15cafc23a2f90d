"""Trade-data snapshots: a CSV under ``corpus/trade/`` and its provenance file.

A snapshot ``NAME.csv`` sits beside ``NAME.toml``, which says where the numbers
come from (dataset, year, query, or the document and table that published
them) and holds the CSV's sha256, checked on load. A snapshot is one of two
kinds, told apart by its header:

- ``published``: a table as a document published it (partner ranks and
  shares, totals), e.g. the briefer's Table 1;
- ``frame``: rows of the normalised trade frame (:mod:`briefs.trade.frame`),
  as ``brief trade fetch --out`` writes them.

pandas stays at this edge: the rest of the package gets a checked frame and
its provenance.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from briefs.errors import BuildError
from briefs.trade.frame import TradeDataError, frame_csv, is_frame_csv, read_frame_csv

SNAPSHOT_COLUMNS = {
    "year": "int64",
    "hts10": "string",
    "description": "string",
    "total_value_usd": "int64",
    "partner_rank": "int64",
    "partner": "string",
    "partner_iso3": "string",
    "share_percent": "float64",
}
# Sanity bounds: a snapshot past them is refused (naming file and row) before
# pandas casts it (1e23 would wrap to the int64 minimum) or a chart draws it.
MAX_EXACT = 2**53  # the largest integer float64 holds exactly
RANGES = {
    "year": (1900, 2100),
    "total_value_usd": (0, MAX_EXACT),
    "partner_rank": (1, 300),
    "share_percent": (0, 100),
    "value_usd": (0, MAX_EXACT),
    "quantity": (0, MAX_EXACT),
    "month": (1, 12),
}
SHARE_ROUNDING = 1.5  # published whole percents of three partners may add to 101.5
MAX_BYTES = 64 * 1024 * 1024
MAX_ROWS = 200_000


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A loaded trade snapshot with its provenance."""

    name: str
    path: Path
    sha256: str
    provenance: dict[str, Any]
    frame: pd.DataFrame
    kind: str = "published"

    @property
    def source_note(self) -> str:
        """One line naming the dataset, year, codes and where it was published."""
        p = self.provenance
        column = "hs6" if self.kind == "frame" else "hts10"
        codes = ", ".join(sorted(str(c) for c in self.frame[column].dropna().unique()))
        published = p.get("published_in") or {}
        where = (
            f"; as published in {published['doc']}, {published['where']}"
            if published
            else ""
        )
        return f"Source: {p.get('dataset', self.name)}{where}. HTS {codes}."


def load_snapshot(corpus_root: Path, name: str, rel: str) -> Snapshot:
    """Load ``corpus_root/rel`` and its provenance file, checking both.

    ``rel`` must stay inside the corpus folder (after symlinks), like a
    manifest's document paths.
    """
    path = corpus_root / rel
    if Path(rel).is_absolute() or not path.resolve().is_relative_to(
        corpus_root.resolve()
    ):
        raise BuildError(
            f"{rel}: trade snapshot '{name}' is outside the corpus folder "
            f"{corpus_root}; snapshots must be inside it"
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BuildError(f"{path}: trade snapshot not found") from None
    except IsADirectoryError:
        raise BuildError(f"{path}: trade snapshot '{name}' is a folder") from None
    except OSError as e:
        raise BuildError(f"{path}: cannot be read: {e.strerror}") from None
    provenance = load_provenance(path.with_suffix(".toml"))
    sha = hashlib.sha256(data).hexdigest()
    if provenance.get("sha256") != sha:
        raise BuildError(
            f"{path}: sha256 is {sha}, but {path.with_suffix('.toml').name} says "
            f"{provenance.get('sha256')}; if the change is intended, update it"
        )
    header = data.split(b"\n", 1)[0].decode("utf-8", "replace").strip().split(",")
    if not is_frame_csv(header):
        return Snapshot(name, path, sha, provenance, read_frame(path))
    read_text_csv(path)  # empty, binary, header-only: refused alike
    try:
        frame = read_frame_csv(path)
    except TradeDataError as e:
        raise BuildError(str(e)) from None
    check_frame_snapshot(path, frame)
    return Snapshot(name, path, sha, provenance, frame, "frame")


def load_provenance(path: Path) -> dict[str, Any]:
    """A snapshot's provenance file."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BuildError(
            f"{path}: every trade snapshot needs a provenance file"
        ) from None
    except tomllib.TOMLDecodeError as e:
        raise BuildError(f"{path}: not valid TOML: {e}") from None


def read_frame(path: Path) -> pd.DataFrame:
    """The CSV as a frame of the snapshot schema, or an error naming the row."""
    frame = read_text_csv(path)
    missing = set(SNAPSHOT_COLUMNS) - set(frame.columns)
    if missing:
        raise BuildError(f"{path}: missing columns {', '.join(sorted(missing))}")
    for column, dtype in SNAPSHOT_COLUMNS.items():
        if dtype == "string":
            frame[column] = frame[column].astype("string")
            continue
        numbers = pd.to_numeric(frame[column], errors="coerce")
        bad = numbers.isna()
        if bad.any():
            row = int(bad.idxmax()) + 2  # 1-based, after the header line
            raise BuildError(f"{path} row {row}: '{column}' is not a number")
        check_range(path, column, numbers, integer=dtype == "int64")
        frame[column] = numbers.astype(dtype)
    check_published(path, frame)
    return frame


def read_text_csv(path: Path) -> pd.DataFrame:
    """A CSV of text cells, refusing an empty, binary, ragged or header-only file."""
    data = path.read_bytes()
    if not data.strip():
        raise BuildError(f"{path}: the trade snapshot is empty (no header, no rows)")
    if len(data) > MAX_BYTES:
        raise BuildError(f"{path}: {len(data):,} bytes is more than a snapshot may be "
                         f"({MAX_BYTES:,})")  # fmt: skip
    try:
        if b"\x00" in data:
            raise UnicodeDecodeError("utf-8", data, data.index(b"\x00"), 0, "NUL byte")
        data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BuildError(
            f"{path}: not a CSV text file (binary data at byte {e.start})"
        ) from None
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
    except (pd.errors.ParserError, ValueError) as e:
        detail = " ".join(str(e).split())
        raise BuildError(f"{path}: not a well-formed CSV ({detail})") from None
    if frame.empty:
        raise BuildError(f"{path}: the trade snapshot has a header but no rows")
    if len(frame) > MAX_ROWS:
        raise BuildError(f"{path}: {len(frame):,} rows is more than a snapshot may have "
                         f"({MAX_ROWS:,})")  # fmt: skip
    return frame


def check_range(path: Path, column: str, numbers: pd.Series, integer: bool) -> None:
    """Finite, within its column's range, and (for counts of dollars) exact in float64."""
    low, high = RANGES.get(column, (-MAX_EXACT, MAX_EXACT))
    problems = [
        (~numbers.map(math.isfinite), "is not a finite number"),
        (numbers.abs() > MAX_EXACT, "is past float64 integer precision (2**53)"),
        (numbers < low, f"is below {low:g}"),
        (numbers > high, f"is above {high:g}"),
    ]
    if integer:
        problems.append((numbers % 1 != 0, "is not a whole number"))
    present = numbers.notna()
    for bad, what in problems:
        bad = bad & present
        if bad.any():
            i = int(bad.to_numpy().argmax())
            raise BuildError(
                f"{path} row {i + 2}: '{column}' = {float(numbers.iloc[i])!r} {what}"
            )


def check_frame_snapshot(path: Path, frame: pd.DataFrame) -> None:
    """A trade frame snapshot: values in range, no row twice."""
    for column in ("value_usd", "quantity", "year", "month"):
        check_range(path, column, frame[column].astype("float64"), integer=False)
    key = ["year", "month", "flow", "reporter_iso3", "partner_iso3", "code"]
    dup = frame.duplicated(key, keep="first")
    if dup.any():
        i = int(dup.to_numpy().argmax())
        raise BuildError(
            f"{path} row {i + 2}: duplicate row (same period, flow, reporter, "
            "partner and code as an earlier row)"
        )


def check_published(path: Path, frame: pd.DataFrame) -> None:
    """No row twice; each commodity's partner shares add up to at most 100%."""
    key = ["year", "hts10", "partner"]
    dup = frame.duplicated(key, keep="first")
    if dup.any():
        i = int(dup.to_numpy().argmax())
        first = int(
            frame[key].iloc[:i].eq(frame[key].iloc[i]).all(axis=1).to_numpy().argmax()
        )
        raise BuildError(
            f"{path} row {i + 2}: duplicate of row {first + 2} (same year, hts10 and partner)"
        )
    totals = frame.groupby(["year", "hts10"], sort=False)["share_percent"].sum()
    over = totals[totals > 100 + SHARE_ROUNDING]
    if len(over):
        year, code = over.index[0]
        i = int(
            ((frame["year"] == year) & (frame["hts10"] == code)).to_numpy().argmax()
        )
        raise BuildError(
            f"{path} row {i + 2}: the partner shares of {code} in {year} add up to "
            f"{over.iloc[0]:g}%, more than 100%"
        )


def write_frame_snapshot(
    frame: pd.DataFrame, path: Path, title: str, provenance: dict[str, str]
) -> tuple[Path, Path]:
    """Write a trade frame as a ``frame`` snapshot: ``path`` and its ``.toml``.

    Both files are written to temporary names first and renamed into place,
    so a failure leaves any earlier snapshot whole.
    """
    text = frame_csv(frame)
    sha = hashlib.sha256(text.encode()).hexdigest()
    fields = {
        "id": path.stem,
        "file": path.name,
        "title": title,
        **provenance,
        "sha256": sha,
    }
    toml = "# Provenance of a trade snapshot written by 'brief trade fetch --out'.\n\n"
    toml += "".join(
        f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in fields.items()
    )
    meta = path.with_suffix(".toml")
    path.parent.mkdir(parents=True, exist_ok=True)
    for target, content in ((path, text), (meta, toml)):
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(content, encoding="utf-8")
        tmp.replace(target)
    return path, meta
