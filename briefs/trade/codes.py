"""Commodity codes: parsing, HS-6 joins, HTS descriptions and edition changes.

Only the first six digits of a code (HS-6) are shared between countries; the
US HTS adds digits 7-8 (tariff line) and 9-10 (statistical suffix) and
China's customs schedule its own 8- and 10-digit extensions. So every source
joins at HS-6, and a code is checked before it is cut: a 9-digit "382569005"
is a typo or a spreadsheet's dropped leading zero, and must not become HS-6
"382569" silently.

The HTS schedule CSV that USITC publishes (``HTS Number``, ``Indent``,
``Description``, ...) gives descriptions; its indent levels are composed into a
full description, since a line alone often says just "Other". Between
editions a 10-digit line can split (3801.10.50.00 in 2024 became .10 and .90
in 2025) or retire; :func:`roll_up` sums such lines back to their stem so a
series stays comparable, and says so in a note.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from briefs.trade.frame import COLUMNS, TradeDataError, check_frame


class CodeError(TradeDataError):
    """A commodity code that is malformed or unknown; the message says which."""


# Systems by digit count; the national ones differ by whose schedule it is.
_SYSTEMS = {2: "HS2", 4: "HS4", 6: "HS6"}
_NATIONAL = {"HTS": {8: "HTS8", 10: "HTS10"}, "CN": {8: "CN8", 10: "CN10"}}
TOTAL = "TOTAL"  # code and code_system of an all-commodities total


@dataclass(frozen=True, slots=True)
class Code:
    """A commodity code as digits, and the system its length implies."""

    digits: str
    system: str

    @property
    def hs6(self) -> str | None:
        """The HS-6 subheading; None for a chapter or heading, and for chapters
        98-99, which are US-only provisions rather than harmonised goods."""
        if len(self.digits) < 6 or self.digits[:2] in ("98", "99"):
            return None
        return self.digits[:6]


def _digits(text: str) -> str:
    """The digits of a code written plain or with dots, or a CodeError.

    Dotted forms start with the 4-digit heading followed by groups of 2 or 4
    digits: 8507.60, 8507.60.00, 8507.60.0020, 8507.60.00.20, 8112.9290.10.
    """
    clean = text.strip()
    parts = clean.split(".")
    if not clean or not all(p.isascii() and p.isdigit() for p in parts):
        raise CodeError(
            f"'{text}' is not a commodity code: use digits, optionally dotted"
        )
    if len(parts) > 1 and (
        len(parts[0]) != 4 or any(len(p) not in (2, 4) for p in parts[1:])
    ):
        raise CodeError(
            f"'{text}' is not a commodity code: dots go after the 4-digit heading "
            "and between pairs (8507.60.00.20 or 8507.60.0020)"
        )
    return "".join(parts)


def parse_code(text: str, national: str | None = "HTS") -> Code:
    """A code of 2, 4, 6, 8 or 10 digits; ``national`` names whose 8/10-digit codes.

    ``national`` is ``HTS`` (US), ``CN`` (China) or None, for a source whose
    national codes this module cannot name: then only 2, 4 and 6 digits pass.

    >>> parse_code("8507.60.0020")
    Code(digits='8507600020', system='HTS10')
    >>> parse_code("2504101000", national="CN").system
    'CN10'
    >>> parse_code("382569005")
    Traceback (most recent call last):
    ...
    briefs.trade.codes.CodeError: '382569005' has 9 digits; a commodity code has 2, 4, 6, 8 or 10 (a digit is missing, or a leading zero was dropped by a spreadsheet)
    """
    digits = _digits(text)
    system = _SYSTEMS.get(len(digits)) or _NATIONAL.get(national or "", {}).get(
        len(digits)
    )
    if system is None and len(digits) in (8, 10):
        raise CodeError(
            f"'{text}' is a national tariff line of a schedule other than HTS or CN"
        )
    if system is None:
        raise CodeError(
            f"'{text}' has {len(digits)} digits; a commodity code has 2, 4, 6, 8 or 10 "
            "(a digit is missing, or a leading zero was dropped by a spreadsheet)"
        )
    if digits[:2] == "00":
        raise CodeError(f"'{text}' is not a commodity code: there is no chapter 00")
    return Code(digits, system)


def to_hs6(code: str) -> str:
    """The HS-6 subheading of an HS-6, HTS-8/10 or Chinese 8/10-digit code.

    >>> [to_hs6(c) for c in ("8507.60.0020", "8507600020", "85076000", "2504101000")]
    ['850760', '850760', '850760', '250410']

    Chapters 98 and 99 are US-only provisions, not harmonised goods, so they
    have no HS-6 to join on.
    """
    parsed = parse_code(code)
    if parsed.hs6 is not None:
        return parsed.hs6
    if len(parsed.digits) < 6:
        raise CodeError(f"'{code}' is a chapter or heading; it has no HS-6 subheading")
    raise CodeError(
        f"'{code}' is in chapter {parsed.digits[:2]}, a US-only provision with no HS-6"
    )


def format_hts(digits: str) -> str:
    """Digits written the way the HTS writes them.

    >>> format_hts("3801105010")
    '3801.10.50.10'
    """
    return ".".join([digits[:4], *re.findall(r"\d{2}", digits[4:])])


# Unit names by source -> one spelling, so quantities compare across sources.
_UNITS = {
    "kg": "kg",
    "kilograms": "kg",
    "no": "number",
    "number": "number",
    "u": "number",
}


def normalise_unit(text: str | None) -> str | None:
    """A quantity unit in one spelling (``kg``, ``number``), else as given.

    >>> normalise_unit("KG"), normalise_unit("kilograms"), normalise_unit("NO")
    ('kg', 'kg', 'number')
    """
    if text is None or not text.strip():
        return None
    return _UNITS.get(text.strip().casefold(), text.strip())


@dataclass(frozen=True, slots=True)
class HtsLine:
    """One numbered line of the HTS schedule."""

    digits: str
    indent: int
    description: str
    full_description: str
    units: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HtsSchedule:
    """One edition of the HTS, by code; ``edition`` names it in messages."""

    edition: str
    lines: Mapping[str, HtsLine]

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, str):
            return False
        try:
            return self._find(_digits(code)) is not None
        except CodeError:
            return False

    def _find(self, digits: str) -> HtsLine | None:
        # An HS-6 or HTS-8 without a line of its own is described by the line
        # it is padded to: 0101.30 by 0101.30.00.00.
        for key in (digits, digits.ljust(8, "0"), digits.ljust(10, "0")):
            if key in self.lines:
                return self.lines[key]
        return None

    def line(self, code: str) -> HtsLine:
        """The line for a code, or a CodeError naming the edition."""
        found = self._find(_digits(code))
        if found is None:
            raise CodeError(f"'{code}' is not in the {self.edition}")
        return found

    def describe(self, code: str) -> str:
        """The full description: the line's text under its indented parents.

        "Other" alone says nothing; under its parents it reads "Artificial
        graphite; ...: Artificial graphite: Other".
        """
        return self.line(code).full_description

    def children(self, stem: str) -> tuple[str, ...]:
        """The 10-digit lines under a stem, in schedule order."""
        digits = _digits(stem)
        return tuple(d for d in self.lines if len(d) == 10 and d.startswith(digits))


def parse_hts_schedule(text: str, edition: str) -> HtsSchedule:
    """A schedule from the text of USITC's HTS CSV export."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"HTS Number", "Indent", "Description"} - set(reader.fieldnames or ())
    if missing:
        raise TradeDataError(
            f"{edition} row 1: missing columns {', '.join(sorted(missing))}"
        )
    lines: dict[str, HtsLine] = {}
    parents: list[tuple[int, str]] = []
    for row_number, row in enumerate(reader, start=2):
        line = _hts_line(row, parents, f"{edition} row {row_number}")
        if line is not None:
            lines.setdefault(line.digits, line)
    return HtsSchedule(edition, lines)


def _hts_line(
    row: Mapping[str, str], parents: list[tuple[int, str]], where: str
) -> HtsLine | None:
    """The line a row describes (None for an unnumbered heading); updates parents.

    ``parents`` is the stack of (indent, text) above the current row: a row
    at indent n replaces everything at n or deeper.
    """
    try:
        indent = int(row["Indent"])
    except ValueError:
        raise TradeDataError(
            f"{where}: Indent '{row['Indent']}' is not a number"
        ) from None
    text = row["Description"].strip().rstrip(":").strip()
    while parents and parents[-1][0] >= indent:
        parents.pop()
    full = ": ".join([t for _, t in parents] + [text])
    parents.append((indent, text))
    if not row["HTS Number"].strip():
        return None
    try:
        digits = _digits(row["HTS Number"])
    except CodeError as e:
        raise TradeDataError(f"{where}: {e}") from None
    return HtsLine(digits, indent, text, full, _units(row.get("Unit of Quantity")))


def _units(text: str | None) -> tuple[str, ...]:
    """The units cell, a JSON list such as ``["No.","kg"]``."""
    if not text:
        return ()
    try:
        return tuple(str(u) for u in json.loads(text))
    except (ValueError, TypeError):
        return (text,)


def load_hts_schedule(path: Path | str, edition: str | None = None) -> HtsSchedule:
    """The HTS schedule in a USITC CSV export.

    ``edition`` names it in messages and notes; by default "HTS <year>" from a
    year in the file name (``hts_2024_basic_edition_csv.csv``), else the name.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise TradeDataError(f"{path}: cannot read as UTF-8 text: {e}") from None
    year = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", path.name)
    return parse_hts_schedule(
        text, edition or (f"HTS {year[0]}" if year else path.name)
    )


def find_splits(old: HtsSchedule, new: HtsSchedule, within: str = "") -> dict[str, str]:
    """Stems (HTS-8) whose 10-digit lines split or retired between two editions.

    ``within`` limits the comparison to codes under a prefix ("38"), for when
    one of the two is an excerpt. The result maps each stem to a note and can
    be passed to :func:`roll_up` as it is:

        {"38011050": "3801.10.50.00 in the HTS 2024 is 3801.10.50.10,
         3801.10.50.90 in the HTS 2025"}
    """
    prefix = _digits(within) if within else ""
    changed: dict[str, list[str]] = {}
    for digits in old.lines:
        if len(digits) == 10 and digits.startswith(prefix) and digits not in new.lines:
            changed.setdefault(digits[:8], []).append(digits)
    return {
        # Lines new under the stem are what the gone ones became; none: retired.
        stem: _split_note(
            gone, [d for d in new.children(stem) if d not in old.lines], old, new
        )
        for stem, gone in changed.items()
    }


def _split_note(
    gone: list[str], now: list[str], old: HtsSchedule, new: HtsSchedule
) -> str:
    was = ", ".join(format_hts(d) for d in gone)
    if not now:
        return f"{was} in the {old.edition} is retired in the {new.edition}"
    return f"{was} in the {old.edition} is {', '.join(format_hts(d) for d in now)} in the {new.edition}"


@dataclass(frozen=True, slots=True)
class RollUpNote:
    """What :func:`roll_up` summed for one stem, and why."""

    stem: str
    reason: str
    codes: tuple[str, ...]
    source_rows: tuple[int, ...]
    rows_in: int
    rows_out: int

    @property
    def text(self) -> str:
        """The note as one sentence, for a brief's footnote."""
        return (
            f"Codes {', '.join(format_hts(c) for c in self.codes)} are summed to "
            f"{format_hts(self.stem)} ({self.rows_in} rows into {self.rows_out}) because "
            f"{self.reason}."
        )


# Columns that identify a flow apart from its code: rows equal on all of
# these (and under one stem) are summed. Provenance and unit are among them,
# so rows from different files or in different units are never mixed.
_KEYS = [
    c
    for c in COLUMNS
    if c
    not in {
        "code",
        "code_system",
        "hs6",
        "description",
        "value_usd",
        "quantity",
        "source_row",
    }
]


def roll_up(
    frame: pd.DataFrame,
    stems: Mapping[str, str],
    schedule: HtsSchedule | None = None,
) -> tuple[pd.DataFrame, tuple[RollUpNote, ...]]:
    """Rows under each stem summed to one row per flow and period, with notes.

    ``stems`` maps a 6- or 8-digit stem ("3801.10.50") to the reason it is
    rolled up ("3801.10.50.00 split into .10 and .90 in the HTS 2025"), as
    :func:`find_splits` returns. For each stem, rows whose code starts with it
    are grouped by every column except code, description, values and
    source_row, and summed; the new row's code is the stem, its description
    comes from ``schedule`` if given, and its ``source_row`` is null because
    it has many: the note lists them. A quantity is summed only where every
    row in the group has one. Rows under no stem pass through unchanged.
    Returns the frame (checked) and one note per stem that matched rows.

    ``8507.60.00.20`` is ``8507.60.00``'s child and is rolled up with it;
    stems must not overlap (one a prefix of another): that is an error.
    """
    clean = {_stem(s): reason for s, reason in stems.items()}
    _check_overlap(clean)
    rest = frame
    parts: list[pd.DataFrame] = []
    notes: list[RollUpNote] = []
    for stem, reason in clean.items():
        # Codes as the sources wrote them; compare digits, as some are dotted.
        under = rest["code"].fillna("").str.replace(".", "").str.startswith(stem)
        if under.any():
            summed = _sum_group(rest[under], stem, schedule)
            parts.append(summed)
            notes.append(_note(rest[under], summed, stem, reason))
        rest = rest[~under]
    out = pd.concat([rest, *parts], ignore_index=True) if parts else rest
    return check_frame(out, "roll_up"), tuple(notes)


def _stem(text: str) -> str:
    code = parse_code(text)
    if code.system not in ("HS6", "HTS8"):
        raise CodeError(
            f"stem '{text}' must have 6 or 8 digits, not {len(code.digits)}"
        )
    return code.digits


def _check_overlap(stems: Iterable[str]) -> None:
    ordered = sorted(stems)
    for a, b in itertools.pairwise(ordered):
        if b.startswith(a):
            raise CodeError(
                f"stems {format_hts(a)} and {format_hts(b)} overlap; keep one"
            )


def _sum_group(
    rows: pd.DataFrame, stem: str, schedule: HtsSchedule | None
) -> pd.DataFrame:
    grouped = rows.groupby(_KEYS, dropna=False, sort=True)
    summed = grouped.agg(
        value_usd=("value_usd", lambda s: s.sum(min_count=1)),
        quantity=("quantity", lambda s: s.sum() if s.notna().all() else float("nan")),
    ).reset_index()
    summed["code"] = stem
    summed["code_system"] = "HS6" if len(stem) == 6 else "HTS8"
    summed["hs6"] = stem[:6]
    summed["description"] = _stem_description(stem, schedule)
    summed["source_row"] = pd.NA
    return summed[list(COLUMNS)]


def _stem_description(stem: str, schedule: HtsSchedule | None) -> str | None:
    if schedule is None or stem not in schedule:
        return None
    return schedule.describe(stem)


def _note(
    rows: pd.DataFrame, summed: pd.DataFrame, stem: str, reason: str
) -> RollUpNote:
    return RollUpNote(
        stem=stem,
        reason=reason,
        codes=tuple(sorted(set(rows["code"]))),
        source_rows=tuple(sorted(int(r) for r in rows["source_row"].dropna())),
        rows_in=len(rows),
        rows_out=len(summed),
    )


def commodity_columns(
    text: str | None,
    description: str | None,
    where: str,
    field: str = "",
    national: str | None = "HTS",
) -> dict[str, str | None]:
    """The frame's code columns for a commodity code as a source writes it.

    ``-`` or ``TOTAL`` is the all-commodities total; ``where`` (file and row)
    and ``field`` name the place in the error for a code that is not one.
    """
    if text is None:
        return {
            "code": None,
            "code_system": None,
            "hs6": None,
            "description": description,
        }
    if text.upper() in ("-", TOTAL):
        return {
            "code": TOTAL,
            "code_system": TOTAL,
            "hs6": None,
            "description": description,
        }
    try:
        code = parse_code(text, national=national)
    except CodeError as e:
        named = f"{field} " if field else ""
        raise TradeDataError(f"{where}: {named}{e}") from None
    return {
        "code": text,
        "code_system": code.system,
        "hs6": code.hs6,
        "description": description,
    }
