"""The README's set-up commands are the ones CI runs."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def fenced_after(marker: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"<!-- {marker} -->\s*```\w*\n(.+?)\n```", readme, re.S)
    assert m, f"README has no code block after <!-- {marker} -->"
    return m.group(1).strip()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = fenced_after("test-command")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in ci


def test_main_job_installs_and_runs_brief() -> None:
    command = fenced_after("main-job")
    assert "pip install ." in command
    assert "brief build" in command
