"""One error taxonomy for the extraction package.

Every error names the file it is about (and the page where that matters), so the
CLI can print it as a single ``Error: ...`` line.
"""

from __future__ import annotations

from pathlib import Path


class ExtractError(Exception):
    """Base class: something about an input file the caller must act on."""

    def __init__(self, path: Path | str, message: str, page: int | None = None) -> None:
        self.path = Path(path)
        self.page = page
        self.message = message
        where = f"{self.path}" if page is None else f"{self.path} page {page}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type[ExtractError], tuple[Path, str, int | None]]:
        # Errors cross the process pool by pickle; rebuild them from their parts.
        return (type(self), (self.path, self.message, self.page))


class ReadError(ExtractError):
    """A document could not be read: corrupt, encrypted, empty, undecodable."""


class ManifestError(ExtractError):
    """The corpus manifest is malformed or disagrees with the files on disk."""


class StoreError(ExtractError):
    """The fact store could not be opened or written."""
