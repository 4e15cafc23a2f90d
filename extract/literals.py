"""The literal strings a regular expression's every match must contain.

A pattern such as ``https?://\\S+|www\\.\\S+|[\\w.+-]+@[\\w-]+\\.[\\w.]+`` cannot
match a text that holds none of "http", "www." and "@"; a substring test
(``str.__contains__``, in C) says so far faster than scanning the text with
the pattern. :func:`required_literals` reads the pattern's syntax tree and
returns such strings, one of which is in every match, or None when it cannot
tell (a case-insensitive part, a first word that is a class of characters).
It never returns a string a match could lack: a wrong answer would lose
matches, so anything it does not understand gives None.

>>> required_literals(re.compile(r"https?://\\S+|www\\.\\S+|[\\w.]+@[\\w-]+\\.\\w+"))
('http', 'www.', '@')
>>> required_literals(re.compile(r"(?i:top|bottom)\\s+\\d+")) is None
True
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# The standard library's regex parser and its opcodes: private modules (with
# no type stubs), stable since Python 3.11.
_parser: Any = importlib.import_module("re._parser")
sre: Any = importlib.import_module("re._constants")

Needles = tuple[str, ...]  # one of these is in every match


def required_literals(pattern: re.Pattern[str]) -> Needles | None:
    """Strings one of which every match of ``pattern`` contains, or None."""
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # an unreadable pattern just gets no prefilter
        return None
    return _best(_sequence(list(tree)))


def _best(options: list[Needles]) -> Needles | None:
    """Of several requirements (each must hold), the one rarest to meet:
    the one whose shortest string is longest."""
    return max(options, key=lambda o: min(len(s) for s in o), default=None)


def _sequence(items: list[tuple[Any, Any]]) -> list[Needles]:
    """Every requirement of a sequence: its runs of literal characters, and
    what its groups, branches and repeats (at least once) require."""
    found: list[Needles] = []
    run = ""
    for op, av in items:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if run:
            found.append((run,))
            run = ""
        inner = _element(op, av)
        if inner is not None:
            found.append(inner)
    if run:
        found.append((run,))
    return found


def _element(op: Any, av: Any) -> Needles | None:
    """What one element requires: a group's contents, one of a branch's
    alternatives, a repeat's body when it must occur; else None."""
    if op is sre.SUBPATTERN:
        _, add_flags, _, body = av
        return None if add_flags & re.IGNORECASE else _best(_sequence(list(body)))
    if op is sre.BRANCH:
        alternatives = [_best(_sequence(list(b))) for b in av[1]]
        if not alternatives or None in alternatives:
            return None
        return tuple(dict.fromkeys(s for a in alternatives if a for s in a))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _, body = av
        return _best(_sequence(list(body))) if low >= 1 else None
    return None  # classes, anchors, lookarounds: no literal required
