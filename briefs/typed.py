"""Figures typed by hand in a template's prose, where a cited fact belongs.

A brief's promise is that every figure a reader sees traces to a source, so
a number written straight into the template ("imports rose 73%") is a
figure nobody can trace. This module finds them in the prose: the template
body outside Jinja (``{{ fact("x") }}`` output is cited by construction),
outside code, comments, attributes and cross-references. It flags:

- percentages: ``73%``, ``12 percent``, ``3 percentage points``;
- money: ``$18.74B``, ``US$3 billion``, ``450 million dollars``;
- numbers with units: ``70 GWh``, ``300 Wh/kg``, ``5 tonnes``, ``2 million``;
- counts: a number before a plural noun, ``14 countries``.

Not flagged, by rule: years (1900-2099) and dates, identifiers after words
like "No.", "Section", "Chapter", "HS", spelled-out small numbers ("the top
three partners"), and digits inside words or codes. Pure: it reads the spec.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from briefs.spec import BriefSpec

NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
SCALE = r"thousand|million|billion|trillion|[kmb]n?\b|[KMBT]\b"
UNITS = (
    r"[kMGT]?Wh(?:/kg)?|[kMG]W\b|kWh|tonnes?|tons?|kg\b|kt\b|Mt\b|g/cm³|mAh/g|"
    r"m³|m3\b|km\b|miles?\b|barrels?\b|bpd\b|ounces?\b|pounds?\b|lbs?\b"
)
PATTERNS = (
    ("percent", re.compile(rf"(?:{NUMBER})\s*(?:%|per\s?cent\b|percentage points?\b)", re.I)),
    ("money", re.compile(rf"(?:US|C|A)?\$\s?(?:{NUMBER})(?:\s*(?:{SCALE}))?", re.I)),
    ("money", re.compile(rf"(?:{NUMBER})\s*(?:(?:{SCALE})\s*)?(?:dollars|USD|yuan|RMB|euros?)\b", re.I)),
    ("unit", re.compile(rf"(?:{NUMBER})\s*(?:{UNITS})")),
    ("unit", re.compile(rf"(?:{NUMBER})\s+(?:thousand|million|billion|trillion)\b", re.I)),
    ("count", re.compile(rf"(?:{NUMBER})\s+(?:[a-z]+-)?[a-z]{{2,}}s\b")),
)  # fmt: skip
# Words after which a number is an identifier, not a figure.
IDENTIFIER_WORDS = re.compile(
    r"(?:\bno|\bnos|\bnumber|\barticle|\bsection|\bchapter|\bheading|\bsubheading|"
    r"\bitem|\bannex|\bpart|\btitle|\brule|\btable|\bfigure|\bpage|\bhs|\bhts|"
    r"\bcode|\bcodes|\bannouncement|\border|\bdecision|\bcircular|\beccn|\bversion|"
    r"\bv|\bstep|\bphase|\bround)\.?\s*$",
    re.I,
)
YEAR = re.compile(r"(?:19|20)\d\d")
# Prose parts that are not prose: Jinja, code, comments, attributes, links' targets.
NOT_PROSE = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|`[^`]*`|<!--.*?-->|\{[#.][^}]*\}|\]\([^)]*\)|"
    r"https?://\S+|-?@(?:fig|tbl|sec)-[\w-]+",
    re.S,
)


@dataclass(frozen=True, slots=True)
class TypedFigure:
    """A figure written by hand: where, what, and which kind."""

    line: int
    text: str
    kind: str

    def message(self) -> str:
        """What to tell the author (the caller names file and line)."""
        return (
            f"figure typed by hand, not cited: '{self.text}' ({self.kind}); "
            "cite it with fact(...) or write it in words"
        )


def find_typed_figures(spec: BriefSpec) -> tuple[TypedFigure, ...]:
    """Every hand-typed figure in the template's body and in its chart and
    table captions (which readers see too), in line order."""
    body_start = front_matter_lines(spec.source)
    lines = spec.source.splitlines()
    masked = mask(spec.source).splitlines()
    found: list[TypedFigure] = []
    for number, text in enumerate(masked, start=1):
        if number <= body_start:
            continue
        for kind, start, end in figures_in(text):
            original = lines[number - 1][start:end]
            found.append(TypedFigure(number, " ".join(original.split()), kind))
    for item in (*spec.charts, *spec.tables):
        caption = " ".join(item.caption.split())
        for kind, start, end in figures_in(mask(caption)):
            found.append(TypedFigure(item.line, caption[start:end], kind))
    return tuple(sorted(found, key=lambda f: f.line))


def front_matter_lines(source: str) -> int:
    """How many lines the front matter takes, closing ``---`` included."""
    end = source.find("\n---", 3)
    return (
        source[: end + 4].count("\n") + 1 if source.startswith("---") and end > 0 else 0
    )


def mask(source: str) -> str:
    """The source with every non-prose span blanked, lines and columns kept."""
    return NOT_PROSE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)


def figures_in(line: str) -> Iterator[tuple[str, int, int]]:
    """``(kind, start, end)`` of each figure in one masked line, without overlaps."""
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(line):
            start, end = m.span()
            if any(s < end and start < e for s, e in taken) or excluded(line, m, kind):
                continue
            taken.append((start, end))
            yield kind, start, end


def excluded(line: str, match: re.Match[str], kind: str) -> bool:
    """True for an identifier, a year, or digits that are part of a word or code."""
    start = match.start()
    before = line[:start]
    if before[-1:].isalnum() or before[-1:] in ("/", "-", "."):
        return True  # inside a word or a code (No.58/2025, 8507.60)
    if IDENTIFIER_WORDS.search(before):
        return True
    if kind == "count":  # a count is a whole number, and not a year (8507.60, 2025)
        head = re.match(NUMBER, match.group(0))
        return bool(head and (YEAR.fullmatch(head.group(0)) or "." in head.group(0)))
    return False
