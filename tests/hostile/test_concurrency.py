"""Concurrent and killed builds (issue 11 item 5), with real processes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import time
from pathlib import Path

from briefs.versions import MANIFEST, publish, staging, versions
from tests.hostile.bounded import BRIEF, run_bounded
from tests.hostile.conftest import template


def build_argv(path: Path, out: str) -> list[str]:
    return [str(BRIEF), "build", str(path), "--corpus", "corpus", "--cache", "cache",
            "--out", out, "--engine", "builtin"]  # fmt: skip


def test_two_simultaneous_builds_make_one_version(tiny: Path) -> None:
    path = tiny / "twice.qmd.j2"
    path.write_text(template("Built twice at once.\n"), encoding="utf-8")
    procs = [
        subprocess.Popen(
            build_argv(path, "out-twice"),
            cwd=tiny,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    said = sorted(out.split(":", 1)[1].split(" in ")[0].strip() for out, _ in results)
    assert said[0].startswith("built v1 ")
    assert said[1] == "up to date (v1)"
    brief_dir = tiny / "out-twice" / "hostile"
    assert versions(brief_dir) == [1]
    assert os.readlink(brief_dir / "latest") == "v1"


def dead_pid() -> int:
    """The id of a process that has ended."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_stale_staging_is_removed_at_the_next_build(tiny: Path) -> None:
    path = tiny / "stale.qmd.j2"
    path.write_text(template("Stale leftovers.\n"), encoding="utf-8")
    brief_dir = tiny / "out-stale" / "hostile"
    (brief_dir / ".building-dead1234" / "charts").mkdir(parents=True)
    (brief_dir / f".building-{dead_pid()}-x1y2").mkdir()
    (brief_dir / f".latest-{dead_pid()}-1").symlink_to("v7")
    done = run_bounded(build_argv(path, "out-stale"), tiny)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in brief_dir.iterdir()) == [".lock", "latest", "v1"]


def test_kill_during_build_leaves_nothing_the_next_build_keeps(tiny: Path) -> None:
    path = tiny / "killed.qmd.j2"
    path.write_text(template("Killed while building.\n"), encoding="utf-8")
    brief_dir = tiny / "out-killed" / "hostile"
    proc = subprocess.Popen(build_argv(path, "out-killed"), cwd=tiny,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while not list(brief_dir.glob(".building-*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert list(brief_dir.glob(".building-*")), "the build was not caught staging"
    done = run_bounded(build_argv(path, "out-killed"), tiny)
    assert done.returncode == 0, done.stderr
    assert not list(brief_dir.glob(".building-*"))
    assert os.readlink(brief_dir / "latest") == f"v{versions(brief_dir)[-1]}"


def publish_many(brief_dir: Path, n: int) -> None:
    for _ in range(n):
        with staging(brief_dir) as folder:
            (folder / MANIFEST).write_text("{}\n")
            publish(folder, brief_dir)


def test_publish_raced_from_many_processes(tmp_path: Path) -> None:
    brief_dir = tmp_path / "b"
    workers, each = 6, 25
    ctx = multiprocessing.get_context("fork")
    procs = [
        ctx.Process(target=publish_many, args=(brief_dir, each)) for _ in range(workers)
    ]
    for p in procs:
        p.start()
    seen = 0
    while any(p.is_alive() for p in procs):
        try:
            target = os.readlink(brief_dir / "latest")
        except FileNotFoundError:
            continue
        number = int(target[1:])
        assert (brief_dir / target / MANIFEST).is_file()  # complete when named
        assert number >= seen  # latest never goes back
        seen = number
    assert [p.exitcode for p in procs] == [0] * workers
    assert versions(brief_dir) == list(range(1, workers * each + 1))
    assert os.readlink(brief_dir / "latest") == f"v{workers * each}"
