"""Page-level progress of a long document: the pipeline reports, the CLI listens.

The PDF reader reports each page parsed (stage ``read``) and fact extraction
each page done (stage ``facts``). Nothing listens unless a caller (the
``brief`` command, on a terminal) installs a listener with :func:`listening`;
pool workers are silenced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# (stage, file, page done, pages in all)
Listener = Callable[[str, Path | None, int, int], None]

_listeners: list[Listener] = []


def page_done(stage: str, path: Path | None, number: int, total: int) -> None:
    """Tell the listeners that page ``number`` of ``total`` is through ``stage``."""
    for listener in _listeners:
        listener(stage, path, number, total)


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Install a listener for the duration of a block."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def silence() -> None:
    """Drop every listener (a pool worker's copy of its parent's)."""
    _listeners.clear()
