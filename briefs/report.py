"""How the ``brief`` command talks to its user on stderr.

Errors are one ``Error: ...`` line. Warnings go through :mod:`logging`: they are
held while a command runs and printed once each (repeats are counted) after
its output, or after the ``Error:`` line, so that line stands apart. ``-q``
shows errors only; ``-v`` shows informational messages as they happen, and
``-vv`` debug messages and the traceback of an unexpected error.

Long documents get a page-level progress bar, on a terminal only (not when
stderr is piped, not under ``CI``, not with ``-q``).
"""

from __future__ import annotations

import logging
import os
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from extract.progress import listening

PREFIX = {logging.WARNING: "warning", logging.ERROR: "warning", logging.INFO: "info"}


class HeldWarnings(logging.Handler):
    """Keeps warnings until the command ends; prints each distinct one once."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: Counter[str] = Counter()
        self.owner = os.getpid()

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())
        if os.getpid() != self.owner:  # a pool worker: its memory is not ours
            sys.stderr.write(f"warning: {message}\n")
            return
        self.seen[message] += 1

    def flush_held(self) -> None:
        """Print the held warnings, once each, and forget them."""
        for message, n in self.seen.items():
            repeats = f" ({n} times)" if n > 1 else ""
            click.echo(f"warning: {message}{repeats}", err=True)
        self.seen.clear()


class Immediate(logging.Handler):
    """With -v: informational and debug messages as they happen."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.WARNING:
            name = PREFIX.get(record.levelno, "debug")
            click.echo(f"{name}: {record.getMessage()}", err=True)


HELD = HeldWarnings()


def configure(verbose: int, quiet: bool) -> None:
    """Route the packages' logging to stderr at the level the user asked for."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, HeldWarnings | Immediate):
            root.removeHandler(handler)
    HELD.seen.clear()
    if quiet:
        root.setLevel(logging.ERROR + 10)  # errors are not logged: they are raised
        return
    root.setLevel(
        logging.WARNING
        if verbose == 0
        else logging.INFO
        if verbose == 1
        else logging.DEBUG
    )
    root.addHandler(HELD)
    if verbose:
        root.addHandler(Immediate(logging.DEBUG))
    logging.captureWarnings(True)


def verbosity() -> int:
    """How many -v the user gave (0 when not under the command)."""
    level = logging.getLogger().level
    return 2 if level <= logging.DEBUG else 1 if level <= logging.INFO else 0


def flush() -> None:
    """Print held warnings now (at the end of a command)."""
    HELD.flush_held()


def one_line(message: str) -> tuple[str, str]:
    """An error's first line, and the rest (a tool's output) as detail."""
    first, _, rest = message.strip().partition("\n")
    return " ".join(first.split()), rest


MIN_PAGES = 20  # shorter documents finish before a bar is worth drawing


def show_progress() -> bool:
    """Progress bars only on a terminal, never under CI, never with -q."""
    quiet = logging.getLogger().level > logging.ERROR
    return sys.stderr.isatty() and not os.environ.get("CI") and not quiet


@contextmanager
def page_progress() -> Iterator[None]:
    """Show a bar per long document and stage (reading pages, extracting facts)."""
    if not show_progress():
        yield
        return
    from tqdm import tqdm

    bars: dict[tuple[str, Path | None], Any] = {}

    def update(stage: str, path: Path | None, number: int, total: int) -> None:
        if total < MIN_PAGES:
            return
        key = (stage, path)
        if key not in bars:
            name = path.name if path else "document"
            bars[key] = tqdm(total=total, desc=f"{stage} {name}", unit="page",
                             file=sys.stderr, leave=False)  # fmt: skip
        bar = bars[key]
        bar.update(max(0, number - bar.n))
        if number >= total:
            bar.close()

    with listening(update):
        try:
            yield
        finally:
            for bar in bars.values():
                bar.close()
