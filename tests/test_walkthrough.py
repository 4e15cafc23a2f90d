"""The README's walkthrough, run command by command as a new author would."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, shared

BIN = Path(sys.executable).parent


def walkthrough() -> list[str]:
    """The commands of the README block after ``<!-- walkthrough -->``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- walkthrough -->\s*```sh\n(.+?)\n```", readme, re.S)
    assert m, "README has no walkthrough block"
    lines = (line.strip() for line in m.group(1).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def test_every_walkthrough_command_runs(tmp_path: Path) -> None:
    shared("crs")  # the walkthrough adds a shared CRS PDF; skip where it is absent
    work = tmp_path / "repo"
    work.mkdir()
    for folder in ("corpus", "templates"):
        shutil.copytree(ROOT / folder, work / folder)
    (tmp_path / "shared").symlink_to(ROOT.parent / "shared")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    out: list[str] = []
    commands = walkthrough()
    assert len(commands) >= 10
    for command in commands:
        run = subprocess.run(["bash", "-c", command], cwd=work, env=env,
                             capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
        assert run.returncode == 0, f"{command}\n{run.stdout}\n{run.stderr}"
        out.append(run.stdout)
    said = "\n".join(out)
    assert "added crs-if13199: corpus/documents/IF13199v1-" in said
    assert "[10%]  Later that same day, President Trump announced" in said
    assert "section-122: built v1" in said and "section-122: built v2" in said
    assert "all 1 claims hold" in said
    assert "{+What Section 122 allows+}" in said
    assert (work / "out" / "section-122" / "v2" / "review.html").is_file()
