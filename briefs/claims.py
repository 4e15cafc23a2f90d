"""The claims of a built brief: what ``claims.json`` holds, typed both ways.

A ``Claim`` is one cited fact: the brief's sentence, the value as printed,
the source quote with its offsets, context and location. A ``ChartClaim`` is
one chart: the trade snapshot it plots and every row of it, with the row's
line in the CSV. Both are frozen records read back with ``from_json``, so
trace, the evidence page and diff never handle untyped dictionaries.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefs.errors import TraceError
from briefs.locate import Location

CLAIMS = "claims.json"
PAGE_ONE = Location("page", 1)


@dataclass(frozen=True, slots=True)
class Claim:
    """One cited fact in a built brief, with everything a reviewer needs.

    ``note`` is the number of the footnote citing it (facts quoted from one
    sentence share a note); ``prefix`` and ``suffix`` are the document text
    around the quote, so that trace can find the quote again after an edit;
    ``doc_sha256`` is the document as it was when the brief was built.
    """

    claim: str
    fact: str
    name: str
    rendered: str
    sentence: str
    value: float | None
    unit: str | None
    doc: str
    title: str
    page: int
    quote: str
    start: int
    end: int
    quote_start: int
    quote_end: int
    note: int = 0
    prefix: str = ""
    suffix: str = ""
    location: Location = PAGE_ONE
    doc_sha256: str = ""

    def to_json(self) -> dict[str, object]:
        """The claim as claims.json stores it."""
        out = {k: getattr(self, k) for k in self.__slots__}
        out["location"] = self.location.to_json()
        return out

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Claim:
        """The inverse of :meth:`to_json`; a missing field raises KeyError."""
        value = obj["value"]
        return cls(
            claim=str(obj["claim"]),
            fact=str(obj["fact"]),
            name=str(obj["name"]),
            rendered=str(obj["rendered"]),
            sentence=str(obj["sentence"]),
            value=None if value is None else float(value),
            unit=None if obj["unit"] is None else str(obj["unit"]),
            doc=str(obj["doc"]),
            title=str(obj["title"]),
            page=int(obj["page"]),
            quote=str(obj["quote"]),
            start=int(obj["start"]),
            end=int(obj["end"]),
            quote_start=int(obj["quote_start"]),
            quote_end=int(obj["quote_end"]),
            note=int(obj.get("note", 0)),
            prefix=str(obj.get("prefix", "")),
            suffix=str(obj.get("suffix", "")),
            location=Location.from_json(obj["location"])
            if "location" in obj
            else Location("page", int(obj["page"])),
            doc_sha256=str(obj.get("doc_sha256", "")),
        )

    @property
    def sentence_key(self) -> tuple[str, int, int]:
        """The source sentence: claims that share it share a footnote."""
        return (self.doc, self.quote_start, self.quote_end)


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a trade snapshot CSV: its line number and its cells."""

    line: int
    cells: tuple[tuple[str, str], ...]

    def to_json(self) -> dict[str, object]:
        """``{"line": 2, "cells": {...}}``."""
        return {"line": self.line, "cells": dict(self.cells)}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Row:
        """The inverse of :meth:`to_json`."""
        return cls(
            int(obj["line"]), tuple((str(k), str(v)) for k, v in obj["cells"].items())
        )


def csv_rows(data: bytes) -> tuple[Row, ...]:
    """The rows of a CSV file, numbered as an editor shows them (header is 1)."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    return tuple(
        Row(i, tuple((k, v or "") for k, v in row.items() if k is not None))
        for i, row in enumerate(reader, 2)
    )


@dataclass(frozen=True, slots=True)
class ChartClaim:
    """One chart of a built brief and the snapshot rows its numbers come from."""

    chart: str
    figure: str
    kind: str
    caption: str
    data: str
    snapshot: str  # path under the corpus root
    sha256: str
    source: str
    rows: tuple[Row, ...]
    codes: tuple[str, ...] = ()  # the reference codes the chart was drawn for

    def to_json(self) -> dict[str, object]:
        """The chart as claims.json stores it."""
        out: dict[str, object] = {k: getattr(self, k) for k in self.__slots__}
        out["rows"] = [r.to_json() for r in self.rows]
        out["codes"] = list(self.codes)
        return out

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> ChartClaim:
        """The inverse of :meth:`to_json`; a missing field raises KeyError."""
        return cls(
            chart=str(obj["chart"]),
            figure=str(obj["figure"]),
            kind=str(obj["kind"]),
            caption=str(obj["caption"]),
            data=str(obj["data"]),
            snapshot=str(obj["snapshot"]),
            sha256=str(obj["sha256"]),
            source=str(obj["source"]),
            rows=tuple(Row.from_json(r) for r in obj["rows"]),
            codes=tuple(str(c) for c in obj.get("codes", ())),
        )


@dataclass(frozen=True, slots=True)
class BriefClaims:
    """Everything claims.json holds."""

    brief: str
    claims: tuple[Claim, ...]
    charts: tuple[ChartClaim, ...] = ()

    def to_text(self) -> str:
        """claims.json's text (stable: same claims, same bytes)."""
        data = {
            "brief": self.brief,
            "claims": [c.to_json() for c in self.claims],
            "charts": [c.to_json() for c in self.charts],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def load_claims(version_dir: Path) -> BriefClaims:
    """The claims of a built version, or a TraceError naming the file."""
    path = version_dir / CLAIMS
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TraceError(
            f"{path}: not found; is {version_dir} a built brief version?"
        ) from None
    except json.JSONDecodeError as e:
        raise TraceError(f"{path}: not valid JSON (line {e.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise TraceError(f"{path}: no 'claims' list")
    try:
        return BriefClaims(
            brief=str(data.get("brief", "")),
            claims=tuple(Claim.from_json(c) for c in data["claims"]),
            charts=tuple(ChartClaim.from_json(c) for c in data.get("charts", [])),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise TraceError(
            f"{path}: a claim is malformed ({type(e).__name__}: {e})"
        ) from None
