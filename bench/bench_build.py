"""Benchmark: building the default brief cold, warm, and after one document changed.

Run: ``.venv/bin/python bench/bench_build.py`` (or ``make bench``).

Each measurement runs ``brief build --engine builtin`` as a user would, in a
fresh process, on a copy of the bundled corpus in a temporary folder:

- cold: empty cache and no output (extract every document, compose, chart, render);
- warm: nothing changed (prints ``up to date``);
- one document changed: a cited document edited and its sha256 updated.

Beside the wall time it prints the CPU seconds the build process used (user
plus system), which a busy machine disturbs less.
"""

from __future__ import annotations

import hashlib
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BRIEF = Path(sys.executable).parent / "brief"


def child_cpu() -> float:
    """CPU seconds (user plus system) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(work: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds taken by one ``brief build``, and what it printed."""
    c0, t0 = child_cpu(), time.perf_counter()
    done = subprocess.run(
        [str(BRIEF), "build", "--engine", "builtin"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - t0, child_cpu() - c0, done.stdout.strip()


def edit(work: Path, name: str) -> None:
    """Append a line to a corpus document and record its new sha256."""
    path = work / "corpus" / "documents" / name
    old = hashlib.sha256(path.read_bytes()).hexdigest()
    with path.open("a", encoding="utf-8") as f:
        f.write("\nAn added line.\n")
    new = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = work / "corpus" / "corpus.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(old, new), encoding="utf-8"
    )


def main() -> int:
    """Print a table of the three build times."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "corpus", work / "corpus")
        shutil.copytree(ROOT / "templates", work / "templates")
        rows = [
            ("cold build", *run(work)),
            ("warm rebuild (nothing changed)", *run(work)),
        ]
        edit(work, "crs-if12517.txt")
        rows.append(("rebuild after one document changed", *run(work)))
    print("| build | seconds | CPU seconds | output |")
    print("| --- | ---: | ---: | --- |")
    for name, seconds, cpu, out in rows:
        print(f"| {name} | {seconds:.2f} | {cpu:.2f} | {out.split(' in ')[0]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
