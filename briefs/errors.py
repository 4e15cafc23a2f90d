"""One error taxonomy for the briefs package.

Every error says what went wrong and where (file, and line where it matters),
so the CLI can print it as one ``Error: ...`` line.
"""

from __future__ import annotations

from pathlib import Path


class BriefError(Exception):
    """Base class: something about a template, a brief or its inputs."""


class TemplateError(BriefError):
    """A template cannot be used: bad syntax, unknown fact, ambiguous selector."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}" if line is None else f"{path}:{line}"
        super().__init__(f"{where}: {message}")


class BuildError(BriefError):
    """A brief could not be built from its inputs."""


class TraceError(BriefError):
    """A built brief could not be traced (missing or malformed claims)."""
