"""Page-level progress (issue 11 item 7): on a terminal only, quiet when piped or under CI."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import termios
from pathlib import Path

from tests.hostile.bounded import BRIEF
from tests.hostile.pdfs import long_pdf


def run_on_terminal(args: list[str], cwd: Path, ci: bool) -> tuple[int, str, str]:
    """Run with stderr on a pseudo-terminal; (exit status, stdout, terminal text)."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci:
        env["CI"] = "true"
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen([str(BRIEF), *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=slave)  # fmt: skip
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    out = proc.stdout.read().decode() if proc.stdout else ""
    proc.wait(timeout=120)
    os.close(master)
    return proc.returncode, out, b"".join(chunks).decode("utf-8", "replace")


def test_long_document_shows_pages_on_a_terminal(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(long_pdf(40))
    status, out, terminal = run_on_terminal(["facts", str(path)], tmp_path, ci=False)
    assert status == 0, terminal
    assert "40%" in out  # the facts themselves, on stdout
    assert "facts long.pdf" in terminal and "/40 [" in terminal


def test_no_progress_under_ci_or_when_piped(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(long_pdf(40))
    status, _, terminal = run_on_terminal(["facts", str(path)], tmp_path, ci=True)
    assert status == 0 and "/40" not in terminal
    piped = subprocess.run([str(BRIEF), "facts", str(path)], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert piped.returncode == 0 and piped.stderr == ""
