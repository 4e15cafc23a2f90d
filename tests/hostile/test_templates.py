"""Hostile templates (issue 11 items 3 and 6): one Error line naming file and line.

Each case is a real ``brief build`` in a child bounded to 2 GB and 60 s; before
the render budgets, ``{{ 'A' * 10**10 }}`` grew the build to 23.6 GB.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.bounded import run_bounded
from tests.hostile.conftest import template

BODY_LINE = 7  # the first body line of template(): after 6 lines of front matter


CASES = {
    "string-bomb": (
        "{{ 'A' * 10**10 }}",
        "render budget: '*' would make 10,000,000,000",
    ),
    "list-bomb": ("{{ [0] * 10**9 }}", "render budget: '*' would make 1,000,000,000"),
    "range-bomb": (
        "{{ range(10**8) | list | length }}",
        "range() of 100,000,000 items",
    ),
    "nested-loops": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "loop iterations",
    ),
    "recursive-macro": (
        "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}",
        "calls nested more than",
    ),
    "doubling": (
        "{% set ns = namespace(s='ab') %}{% for i in range(64) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
        "render budget: '~' would make",
    ),
    "power": ("{{ 2 ** (10**9) }}", "render budget: '**' would make an integer"),
    "center": ("{{ 'a' | center(10**10) }}", "filter 'center' would make"),
    "percent-width": ("{{ '%10000000000s' % 'x' }}", "a format width"),
    "format-width": ("{{ '{:>10000000000}'.format('x') }}", "a format width"),
    "ljust": ("{{ 'x'.ljust(10**10) }}", "str.ljust() would make"),
    "output": (
        "{% for i in range(10000) %}{{ 'x' * 1000 }}{% endfor %}",
        "the output passed",
    ),
    "include": ('{% include "x" %}', "{% include %} is not allowed"),
    "import": ('{% import "x" as y %}', "{% import %} is not allowed"),
    "from-import": ('{% from "x" import y %}', "{% from ... import %} is not allowed"),
    "extends": ('{% extends "x" %}', "{% extends %} is not allowed"),
    "divide-by-zero": ("{{ 1/0 }}", "ZeroDivisionError: division by zero"),
    "fact-no-argument": ("{{ fact() }}", "TypeError: fact() missing 1 required"),
    "fact-two-arguments": ('{{ fact("a", "b") }}', "TypeError: fact() takes 1"),
    "fact-unknown-upper": ('{{ fact("a") | upper }}', "no fact 'a'"),
    "mro": ("{{ ''.__class__.__mro__ }}", "unsafe"),
    "append": ("{{ [1].append(2) }}", "unsafe"),
    "syntax": ("{% if %}", "template syntax"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_template_is_one_error_line(tiny: Path, case: str) -> None:
    body, message = CASES[case]
    path = tiny / f"{case}.qmd.j2"
    path.write_text(template(f"Some text.\n\n{body}\n"), encoding="utf-8")
    outcome = run_bounded(
        ["build", str(path), "--corpus", "corpus", "--cache", "cache",
         "--out", f"out-{case}", "--engine", "builtin"],
        tiny, timeout=60,
    )  # fmt: skip
    assert outcome.returncode == 1, outcome.stderr
    line = outcome.only_error
    assert line.startswith(f"Error: {path}:{BODY_LINE + 2}: "), line
    assert message in line
    assert outcome.peak_mb < 500
    assert not (tiny / f"out-{case}" / "hostile" / "v1").exists()


def test_a_large_legitimate_loop_still_renders(tiny: Path) -> None:
    body = "{% for i in range(20000) %}{{ i }} {% endfor %}\n\n{{ '%5s' % 'a' }}"
    path = tiny / "big-but-fine.qmd.j2"
    path.write_text(template(body + "\n"), encoding="utf-8")
    outcome = run_bounded(
        ["build", str(path), "--corpus", "corpus", "--cache", "cache",
         "--out", "out-fine", "--engine", "builtin"], tiny, timeout=120,
    )  # fmt: skip
    assert outcome.returncode == 0, outcome.stderr
    qmd = (tiny / "out-fine" / "hostile" / "v1" / "brief.qmd").read_text()
    assert "19999 " in qmd
