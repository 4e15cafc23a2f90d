"""The literal strings every match of a pattern contains, and only those."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extract.kinds import quantities
from extract.literals import required_literals
from extract.spans import matchable

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted(
    p for p in (ROOT / "corpus" / "documents").iterdir() if p.suffix in (".txt", ".md")
)


@pytest.mark.parametrize(
    ("pattern", "needles"),
    [
        (r"§+\s*\d+", ("§",)),
        (r"colou?r", ("colo",)),  # the optional "u" ends the run
        (r"https?://\S+|www\.\S+|[\w.]+@\w+", ("http", "www.", "@")),
        (r"(?:ab)+c", ("ab",)),  # a repeat that must occur once
        (r"(?:ab)*cd", ("cd",)),  # one that need not: its "ab" is not required
        (r"\d+-\d+", ("-",)),
        (r"\b(?:19|20)\d{2}\b", ("19", "20")),
    ],
)
def test_required_literals(pattern: str, needles: tuple[str, ...]) -> None:
    assert required_literals(re.compile(pattern)) == needles


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?i)annex \d+",  # case-insensitive: a substring test would miss "ANNEX"
        r"(?i:top)\s+\d+",
        r"\d{6,}",  # a class of characters only
        r"abc|\d+",  # one alternative requires nothing
        r"(?:ab)?\d",
    ],
)
def test_no_literal_is_required(pattern: str) -> None:
    assert required_literals(re.compile(pattern)) is None


def test_every_match_in_the_corpus_holds_a_needle() -> None:
    texts = [matchable(p.read_text(encoding="utf-8")) for p in DOCUMENTS]
    checked = 0
    for pattern in quantities._DATE_RES + quantities._CODE_RES:
        needles = required_literals(pattern)
        if needles is None:
            continue
        for text in texts:
            for m in pattern.finditer(text):
                assert any(n in m.group() for n in needles), (pattern.pattern, m)
                checked += 1
    assert checked > 50
