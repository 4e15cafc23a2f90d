"""Figures typed by hand in a template's prose: found with their line, refused by --strict."""

from __future__ import annotations

import doctest
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefs import bibliography, tables, theme, typed
from briefs.spec import parse_spec
from briefs.typed import find_typed_figures
from tests.conftest import ROOT

BRIEF = Path(sys.executable).parent / "brief"
HEAD = """---
title: "T"
brief:
  id: t
  facts:
    share:
      doc: briefer-75-battery-dependence
      quote: "which increased to 73% by 2023"
---
"""


def found(body: str) -> list[tuple[int, str, str]]:
    spec = parse_spec(Path("t.qmd.j2"), HEAD + body)
    return [(f.line, f.text, f.kind) for f in find_typed_figures(spec)]


def test_percentages_money_units_and_counts_are_found_with_their_line() -> None:
    body = (
        "China's share rose to 73% by 2023.\n"
        "\n"
        "Imports were worth $18.74B, or US$3 billion more, and 70 GWh of cells.\n"
        "The deal covers 14 countries and 12 percent of trade.\n"
    )
    assert found(body) == [
        (10, "73%", "percent"),
        (12, "$18.74B", "money"),
        (12, "US$3 billion", "money"),
        (12, "70 GWh", "unit"),
        (13, "12 percent", "percent"),
        (13, "14 countries", "count"),
    ]


@pytest.mark.parametrize(
    "prose",
    [
        'It rose to {{ fact("share") }} in 2023.',
        "Announcement No. 58/2025 took effect in November 2025.",
        "Section 301 tariffs and HS 850760 codes, subheading 8507.60 lines.",
        "The top three partners supplied most of it (@fig-x, @tbl-y).",
        "Run `brief trade load x.csv` <!-- 40% here is a comment -->",
        "See [the data](https://example.org/70GWh-2024) and ![A](charts/x.svg){#fig-x}",
        "{# 50% in a Jinja comment #}{% if 1 %}x{% endif %}",
    ],
)
def test_cited_values_identifiers_years_and_markup_are_not_figures(prose: str) -> None:
    assert found(prose + "\n") == []


def test_front_matter_is_not_prose_but_captions_are() -> None:
    assert found("Plain words only.\n") == []  # the quote "73%" is in the front matter
    text = HEAD.rstrip("-\n") + (
        "\n  charts:\n"
        "    c: {kind: partner_shares, data: d, caption: 'Imports, 40% from China'}\n"
        "---\nWords.\n"
    )
    spec = parse_spec(Path("t.qmd.j2"), text)
    assert [(f.line, f.text) for f in find_typed_figures(spec)] == [(10, "40%")]


def test_strict_build_names_the_line_and_the_figure(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    template = tmp_path / "t.qmd.j2"
    template.write_text(HEAD + "\nImports rose 40% last year.\n", encoding="utf-8")
    run = subprocess.run(
        [str(BRIEF), "build", str(template), "--engine", "builtin", "--strict"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 1
    assert run.stderr.splitlines()[0] == (
        f"Error: {template}:11: 1 figure(s) typed by hand, not cited (--strict): "
        "'40%' (percent) at line 11; cite each with fact(...) or write it in words"
    )
    assert not (tmp_path / "out" / "t").exists() or not list(
        (tmp_path / "out" / "t").glob("v*")
    )
    loose = subprocess.run(
        [str(BRIEF), "build", str(template), "--engine", "builtin"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert loose.returncode == 0, loose.stderr
    assert (
        f"{template}:11: figure typed by hand, not cited: '40%' (percent)"
        in loose.stderr
    )


@pytest.mark.parametrize("module", [bibliography, tables, theme, typed])
def test_doctests(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]
