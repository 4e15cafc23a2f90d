"""Versioned output folders: ``out/<brief-id>/v<N>/`` and ``latest``.

A version is written into a hidden staging folder and renamed into place only
once everything in it is finished, so a failed build leaves no partial
``v<N>``. ``latest`` is a relative symlink swapped atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

VERSION = re.compile(r"v(\d+)")
MANIFEST = "manifest.json"


def versions(brief_dir: Path) -> list[int]:
    """The version numbers already built, ascending."""
    if not brief_dir.is_dir():
        return []
    found = (VERSION.fullmatch(p.name) for p in brief_dir.iterdir() if p.is_dir())
    return sorted(int(m.group(1)) for m in found if m)


def latest_manifest(brief_dir: Path) -> tuple[int, dict[str, object]] | None:
    """The newest version and its manifest, if there is one."""
    built = versions(brief_dir)
    if not built:
        return None
    path = brief_dir / f"v{built[-1]}" / MANIFEST
    try:
        return built[-1], json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return built[-1], {}


def digest(obj: object) -> str:
    """The sha256 of an object's canonical JSON."""
    data = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(data).hexdigest()


def file_hashes(folder: Path) -> dict[str, str]:
    """The sha256 of every file under a folder, by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@contextmanager
def staging(brief_dir: Path) -> Iterator[Path]:
    """A hidden folder to build a version in; removed if the build fails."""
    brief_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=brief_dir))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def publish(staged: Path, brief_dir: Path) -> tuple[int, Path]:
    """Rename a finished staging folder to the next ``v<N>`` and point ``latest`` at it."""
    built = versions(brief_dir)
    number = (built[-1] if built else 0) + 1
    final = brief_dir / f"v{number}"
    staged.chmod(0o755)  # mkdtemp makes it private; a published version is not
    staged.rename(final)
    link = brief_dir / "latest"
    tmp_link = brief_dir / f".latest-{os.getpid()}"
    tmp_link.unlink(missing_ok=True)
    tmp_link.symlink_to(final.name)
    tmp_link.replace(link)
    return number, final
