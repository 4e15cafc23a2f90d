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
    if is_frame_csv(header):
        try:
            return Snapshot(name, path, sha, provenance, read_frame_csv(path), "frame")
        except TradeDataError as e:
            raise BuildError(str(e)) from None
    return Snapshot(name, path, sha, provenance, read_frame(path))


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
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
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
        frame[column] = numbers.astype(dtype)
    return frame


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
