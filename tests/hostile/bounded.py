"""Run the ``brief`` command in a child process bounded in memory and time.

A hostile input that gets past a budget must fail its test, not take the machine
down: the child runs under ``RLIMIT_AS`` (address space) and ``RLIMIT_DATA``
(heap and private mappings) and is killed at a timeout. The child's peak
resident memory and wall time are returned, so tests (and
``bench/bench_hostile.py``) can state them.

A child that renders charts cannot run under ``RLIMIT_AS``: vl-convert's V8
reserves tens of gigabytes of address space it never touches (a build fails
under a 40 GB limit and works under 100 GB). Those cases pass
``address_space=False`` and are bounded by ``RLIMIT_DATA`` alone, which counts
the memory actually allocated.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BRIEF = Path(sys.executable).parent / "brief"
MEMORY_MB = 2048
TIMEOUT = 120.0


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a bounded run did."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    @property
    def error_lines(self) -> list[str]:
        """The ``Error:`` lines on stderr."""
        return [x for x in self.stderr.splitlines() if x.startswith("Error:")]

    @property
    def only_error(self) -> str:
        """The single line of stderr, which must be one ``Error:`` line."""
        lines = [x for x in self.stderr.splitlines() if x.strip()]
        assert len(lines) == 1, self.stderr
        assert lines[0].startswith("Error: "), self.stderr
        assert "Traceback" not in self.stderr
        return lines[0]


def run_bounded(
    args: list[str],
    cwd: Path,
    memory_mb: int = MEMORY_MB,
    timeout: float = TIMEOUT,
    env: dict[str, str] | None = None,
    address_space: bool = True,
) -> Outcome:
    """Run ``brief ARGS`` (or any argv starting with '/') under the limits."""
    argv = args if args[0].startswith("/") else [str(BRIEF), *args]
    limit = memory_mb * 1024 * 1024

    def bound() -> None:
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
        if address_space:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    start = time.monotonic()
    proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=bound, env=full_env)  # fmt: skip
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [threading.Thread(target=lambda s=s, b=b: b.append(s.read()))
               for s, b in ((proc.stdout, out), (proc.stderr, err))]  # fmt: skip
    for t in readers:
        t.start()
    status, usage = wait(proc, start + timeout)
    for t in readers:
        t.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Outcome(
        returncode=proc.returncode,
        stdout=b"".join(out).decode("utf-8", "replace"),
        stderr=b"".join(err).decode("utf-8", "replace"),
        seconds=time.monotonic() - start,
        peak_mb=usage.ru_maxrss / 1024,
    )


def wait(
    proc: subprocess.Popen[bytes], deadline: float
) -> tuple[int, resource.struct_rusage]:
    """Wait for the child, killing it (and failing) at the deadline."""
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            return status, usage
        if time.monotonic() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            proc.returncode = -9
            raise AssertionError(f"{proc.args} still running at its timeout; killed")
        time.sleep(0.02)
