"""Finding facts by what they say: value, unit, year and nearby words.

An author writing a brief knows the figure ("18.74 billion", "73%") or the
words around it before they know a fact's id. ``value_filter`` reads a value
as an author types it (``73%``, ``18.74B``, ``$1.2 trillion``, ``300``) and
matches facts that round to it at the digits typed; ``near`` keeps facts whose
sentence holds every word of a phrase, nearest first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from extract.errors import ExtractError
from extract.records import Fact

SCALES = {
    "": 1.0, "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6,
    "b": 1e9, "bn": 1e9, "billion": 1e9, "t": 1e12, "tn": 1e12, "trillion": 1e12,
}  # fmt: skip
TYPED_VALUE = re.compile(
    r"\s*(?P<cur>\$|us\$)?\s*(?P<num>[-+]?\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?)\s*"
    r"(?P<scale>thousand|million|billion|trillion|mn|bn|tn|k|m|b|t)?\s*(?P<pct>%)?\s*",
    re.IGNORECASE,
)
WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class TypedValue:
    """A value as an author typed it: the number, and the unit it implies."""

    value: float
    unit: str | None  # "usd" for a $ sign, "percent" for %, else any unit
    step: float  # the last typed digit's place: 18.7B -> 0.1e9


def parse_value(typed: str) -> TypedValue:
    """``'18.74B'`` -> 18.74e9; ``'$3,750'`` -> 3750 usd; ``'73%'`` -> 73 percent."""
    m = TYPED_VALUE.fullmatch(typed)
    if m is None:
        msg = f"'{typed}' is not a value (try 73%, 18.74B, $3,750 or 1.2e9)"
        raise ExtractError("--value", msg)
    digits = m["num"].replace(",", "")
    scale = SCALES[(m["scale"] or "").lower()]
    mantissa = digits.lower().split("e")[0]
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    exponent = int(digits.lower().split("e")[1]) if "e" in digits.lower() else 0
    unit = "percent" if m["pct"] else "usd" if m["cur"] else None
    return TypedValue(
        float(digits) * scale, unit, 10.0 ** (exponent - decimals) * scale
    )


def value_matches(fact: Fact, wanted: TypedValue) -> bool:
    """The fact's value rounds to the typed one at the digits typed.

    ``18.7B`` matches $18.74B and $18.66B but not $18.76B; ``73`` matches 73
    and 72.6, whatever the unit unless a ``$`` or ``%`` names it.
    """
    if fact.value is None:
        return False
    if wanted.unit is not None and fact.unit != wanted.unit:
        return False
    slack = wanted.step / 2 * (1 + 1e-9)
    return abs(fact.value - wanted.value) <= slack


def near(facts: Iterable[Fact], phrase: str) -> list[Fact]:
    """Facts whose sentence holds every word of ``phrase``, nearest the mention first.

    The distance is how far, in characters, the farthest of the phrase's
    words lies from the mention within the sentence.
    """
    words = [w.lower() for w in WORD.findall(phrase)]
    if not words:
        return []
    scored: list[tuple[int, int, Fact]] = []
    for i, fact in enumerate(facts):
        sentence = fact.quote.lower()
        at = fact.start - fact.quote_start
        spots = [
            [m.start() for m in re.finditer(rf"\b{re.escape(w)}\b", sentence)]
            for w in words
        ]
        if not all(spots):
            continue
        far = max(min(abs(s - at) for s in found) for found in spots)
        scored.append((far, i, fact))
    return [f for _, _, f in sorted(scored, key=lambda t: (t[0], t[1]))]


def filter_facts(
    facts: Sequence[Fact],
    *,
    value: str | None = None,
    unit: str | None = None,
    year: int | None = None,
    phrase: str | None = None,
) -> list[Fact]:
    """Facts kept by every filter given; with ``phrase``, nearest first."""
    wanted = parse_value(value) if value else None
    kept = [
        f
        for f in facts
        if (wanted is None or value_matches(f, wanted))
        and (unit is None or f.unit == unit)
        and (year is None or f.year == year)
    ]
    return near(kept, phrase) if phrase else kept
