"""Token patterns in spaCy's Matcher syntax, tried only where their first word is.

spaCy's ``Matcher`` starts every pattern at every token: with the claim rules'
seventy patterns that was most of the claim finder's time. Nearly every
pattern starts with a word or a set of words ("should", any of "is"/"are"),
so :class:`PatternMatcher` looks each token up in an index of first words and
tries only the patterns that can start there. It finds what spaCy's Matcher
finds (``tests/test_patterns.py`` holds the two side by side on real text),
every (key, start, end) once, sorted by start and end; matches of the same
tokens come in the order their patterns were added, as spaCy gives them. A pattern it cannot read (an operator or attribute not listed
below, or an optional first token) is handed to a spaCy Matcher of its own.

Read here: the attributes of ``CHECKED`` with a value, ``IN`` or ``NOT_IN``,
and the operators ``?``, ``*`` and ``+``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacy.attrs import (
    ENT_TYPE,
    IS_ALPHA,
    IS_DIGIT,
    IS_PUNCT,
    IS_SPACE,
    IS_TITLE,
    LIKE_NUM,
    LOWER,
    ORTH,
    SENT_START,
)
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

# Pattern key -> the attribute spaCy's Matcher compares (IS_SENT_START reads
# SENT_START, true only where a sentence starts).
CHECKED = {
    "LOWER": LOWER,
    "ORTH": ORTH,
    "ENT_TYPE": ENT_TYPE,
    "IS_ALPHA": IS_ALPHA,
    "IS_DIGIT": IS_DIGIT,
    "IS_PUNCT": IS_PUNCT,
    "IS_SPACE": IS_SPACE,
    "IS_TITLE": IS_TITLE,
    "LIKE_NUM": LIKE_NUM,
    "IS_SENT_START": SENT_START,
}
OPS = frozenset({"1", "?", "*", "+"})
Match = tuple[int, int, int]  # key, start, end (token indices)


@dataclass(frozen=True, slots=True)
class Check:
    """One attribute test of a pattern token: equal to, in, or not in."""

    attr: int
    values: frozenset[int]
    negated: bool = False

    def __call__(self, value: int) -> bool:
        return (value in self.values) != self.negated


@dataclass(frozen=True, slots=True)
class Step:
    """One token of a pattern: its tests and how often it may occur."""

    checks: tuple[Check, ...]
    op: str

    def accepts(self, columns: dict[int, list[int]], i: int) -> bool:
        """True when token ``i`` passes every test."""
        return all(c(columns[c.attr][i]) for c in self.checks)


@dataclass(frozen=True, slots=True)
class Compiled:
    """A pattern this module reads: its key, its steps, and the test of its
    first token that the index looks up."""

    key: int
    steps: tuple[Step, ...]
    first: Check

    def ends(self, columns: dict[int, list[int]], n: int, start: int) -> set[int]:
        """Every token index a match from ``start`` can end at."""
        at = {start}
        for step in self.steps:
            at = advance(step, columns, n, at)
            if not at:
                break
        return at


def advance(
    step: Step, columns: dict[int, list[int]], n: int, at: set[int]
) -> set[int]:
    """The positions after one step, from each position in ``at``."""
    out = set(at) if step.op in "?*" else set()
    for i in at:
        j = i
        while j < n and step.accepts(columns, j):
            j += 1
            out.add(j)
            if step.op in "1?":
                break
    return out


class PatternMatcher:
    """spaCy's Matcher for the patterns it can index by their first token.

    >>> from extract.nlp import pipeline
    >>> m = PatternMatcher(pipeline().vocab)
    >>> m.add("CUE", [[{"LOWER": {"IN": ["should", "must"]}}, {"LOWER": "not", "OP": "?"}]])
    >>> doc = pipeline().make_doc("Firms must not wait.")
    >>> [(doc.vocab.strings[k], doc[s:e].text) for k, s, e in m(doc)]
    [('CUE', 'must'), ('CUE', 'must not')]
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.index: dict[int, dict[int, list[Compiled]]] = {}
        self.attrs: set[int] = set()
        self.order: dict[int, int] = {}
        self.others = Matcher(vocab)

    def add(self, name: str, patterns: Sequence[Sequence[dict[str, Any]]]) -> None:
        """Add patterns under one key, as ``Matcher.add`` does."""
        key = self.vocab.strings.add(name)
        self.order.setdefault(key, len(self.order))
        for pattern in patterns:
            compiled = compile_pattern(pattern, self.vocab, key)
            if compiled is None:
                self.others.add(name, [list(pattern)])
                continue
            first = compiled.first
            for value in first.values:
                self.index.setdefault(first.attr, {}).setdefault(value, [])
                self.index[first.attr][value].append(compiled)
            self.attrs.update(c.attr for s in compiled.steps for c in s.checks)

    def __call__(self, doc: Doc) -> list[Match]:
        """Every match in ``doc``: (key, start, end), sorted."""
        found: set[Match] = set()
        if self.attrs and len(doc):
            columns = doc_columns(doc, sorted(self.attrs))
            n = len(doc)
            for attr, index in self.index.items():
                for i, value in enumerate(columns[attr]):
                    for p in index.get(value, ()):
                        found.update(
                            (p.key, i, e) for e in p.ends(columns, n, i) if e > i
                        )
        if len(self.others):
            found.update(self.others(doc))
        order = self.order
        return sorted(found, key=lambda m: (m[1], m[2], order[m[0]]))


def doc_columns(doc: Doc, attrs: list[int]) -> dict[int, list[int]]:
    """Each attribute's value at every token, as spaCy's Matcher reads them."""
    names: list[int | str] = list(attrs)
    array = doc.to_array(names)
    columns = {a: array[:, k].tolist() for k, a in enumerate(attrs)}
    if SENT_START in columns:  # -1, 0 or 1; the Matcher's IS_SENT_START is "== 1"
        columns[SENT_START] = [int(v == 1) for v in columns[SENT_START]]
    return columns


def compile_pattern(
    pattern: Sequence[dict[str, Any]], vocab: Vocab, key: int
) -> Compiled | None:
    """A pattern as steps, or None when it is not one this module reads."""
    steps = []
    for spec in pattern:
        op = spec.get("OP", "1")
        checks = [check_of(k, v, vocab) for k, v in spec.items() if k != "OP"]
        if op not in OPS or not checks or None in checks:
            return None
        steps.append(Step(tuple(c for c in checks if c is not None), op))
    if not steps or steps[0].op != "1":
        return None
    first = next((c for c in steps[0].checks if not c.negated), None)
    return Compiled(key, tuple(steps), first) if first else None


def check_of(name: str, value: Any, vocab: Vocab) -> Check | None:
    """One attribute test, or None when it is not one this module reads."""
    attr = CHECKED.get(name)
    if attr is None:
        return None
    if isinstance(value, dict):
        if len(value) != 1 or next(iter(value)) not in ("IN", "NOT_IN"):
            return None
        op, values = next(iter(value.items()))
        ids = frozenset(id_of(v, vocab) for v in values)
        return Check(attr, ids, negated=op == "NOT_IN")
    return Check(attr, frozenset({id_of(value, vocab)}))


def id_of(value: str | int | bool, vocab: Vocab) -> int:
    """A pattern value as the integer spaCy stores: a string's hash, a flag's 0/1."""
    if isinstance(value, str):
        return int(vocab.strings.add(value))
    return int(value)
