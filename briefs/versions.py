"""Versioned output folders: ``out/<brief-id>/v<N>/`` and ``latest``.

A version is written into a hidden staging folder and renamed into place only
once everything in it is finished, so a failed build leaves no partial
``v<N>``. ``latest`` is a relative symlink swapped atomically (a new link
renamed over it).

Builds of one brief are exclusive: :func:`locked` holds ``fcntl.flock`` on
``out/<brief-id>/.lock`` (and a thread lock, for builds in one process) from
the up-to-date check to the publication, so two concurrent builds of the same
inputs make one version, and the second finds it. Whoever holds the lock is
the only builder, so staging folders left by a killed build are removed then.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefs.errors import BuildError

VERSION = re.compile(r"v(\d+)")
MANIFEST = "manifest.json"
LOCK = ".lock"
STAGING_PREFIX = ".building-"
LINK_PREFIX = ".latest-"

_guard = threading.Lock()
_threads: dict[Path, threading.RLock] = {}
_held: dict[Path, int] = {}


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
    return built[-1], read_manifest(brief_dir / f"v{built[-1]}")


def read_manifest(version_dir: Path) -> dict[str, object]:
    """A version's manifest.json ({} when missing or unreadable)."""
    try:
        data = json.loads((version_dir / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


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
def locked(brief_dir: Path) -> Iterator[None]:
    """Hold the brief's lock: other builds of it, in any process, wait.

    Re-entrant within a thread, so :func:`publish` can take it on its own when
    called outside a build.
    """
    brief_dir = brief_dir.resolve()
    with _guard:
        rlock = _threads.setdefault(brief_dir, threading.RLock())
    with rlock:
        if _held.get(brief_dir):
            _held[brief_dir] += 1
            try:
                yield
            finally:
                _held[brief_dir] -= 1
            return
        fd = open_lock(brief_dir)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            _held[brief_dir] = 1
            remove_stale(brief_dir)
            yield
        finally:
            _held[brief_dir] = 0
            os.close(fd)  # closing the descriptor releases the flock


def open_lock(brief_dir: Path) -> int:
    """The lock file's descriptor, making the folder if needed."""
    try:
        brief_dir.mkdir(parents=True, exist_ok=True)
        return os.open(brief_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise BuildError(f"cannot write in {brief_dir}: {e.strerror}") from None


def remove_stale(brief_dir: Path) -> None:
    """Staging folders and temporary links left by builds that were killed.

    Their names carry the builder's process id; only those of processes no
    longer running are removed (a library caller may stage outside the lock).
    """
    for path in brief_dir.iterdir():
        if path.name.startswith((STAGING_PREFIX, LINK_PREFIX)) and not alive(path):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def alive(path: Path) -> bool:
    """True when the process named in a staging name (``.building-PID-...``) runs."""
    m = re.match(r"\.[a-z]+-(\d+)-", path.name)
    if not m:
        return False  # an older name, or not ours: stale once we hold the lock
    try:
        os.kill(int(m.group(1)), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def staging(brief_dir: Path) -> Iterator[Path]:
    """A hidden folder to build a version in; removed if the build fails."""
    try:
        brief_dir.mkdir(parents=True, exist_ok=True)
        prefix = f"{STAGING_PREFIX}{os.getpid()}-"
        tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=brief_dir))
    except OSError as e:
        raise BuildError(f"cannot write in {brief_dir}: {e.strerror}") from None
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def publish(staged: Path, brief_dir: Path) -> tuple[int, Path]:
    """Rename a finished staging folder to the next ``v<N>`` and point ``latest`` at it."""
    with locked(brief_dir):
        built = versions(brief_dir)
        number = (built[-1] if built else 0) + 1
        final = brief_dir / f"v{number}"
        staged.chmod(0o755)  # mkdtemp makes it private; a published version is not
        staged.rename(final)
        point_latest(brief_dir, final.name)
    return number, final


def point_latest(brief_dir: Path, name: str) -> None:
    """Make ``latest`` name ``name``: a new link renamed over the old one (atomic)."""
    link = brief_dir / "latest"
    tmp_link = brief_dir / f"{LINK_PREFIX}{os.getpid()}-{threading.get_ident()}"
    tmp_link.unlink(missing_ok=True)
    tmp_link.symlink_to(name)
    tmp_link.replace(link)
