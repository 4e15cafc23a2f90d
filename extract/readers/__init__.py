"""Readers: a file in, its text in reading order and its blocks out.

``read_document`` picks the reader by the file's suffix, or by sniffing its
first bytes when the suffix says nothing.
"""

from __future__ import annotations

import stat
from pathlib import Path

from extract.errors import ReadError
from extract.records import DocumentText

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


def sniff_format(path: Path, head: bytes) -> str:
    """The reader a file needs: ``pdf``, ``html`` or ``text``."""
    suffix = path.suffix.lower()
    if suffix == ".pdf" or head.startswith(b"%PDF"):
        return "pdf"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def read_file(path: Path) -> bytes:
    """A document file's bytes; a directory, device or pipe is refused, not read.

    ``/dev/zero`` would otherwise be read until memory runs out.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ReadError(path, "file not found") from None
    except OSError as e:
        raise ReadError(path, f"cannot open: {e.strerror}") from None
    if stat.S_ISDIR(mode):
        raise ReadError(path, "is a directory, not a document file")
    if not stat.S_ISREG(mode):
        raise ReadError(path, "not a regular file (a device, pipe or socket)")
    try:
        return path.read_bytes()
    except OSError as e:
        raise ReadError(path, f"cannot read: {e.strerror}") from None


def read_document(path: Path) -> DocumentText:
    """Read any supported document into text and blocks.

    Raises ReadError naming the file when it is missing, empty or unreadable.
    """
    return read_bytes(path, read_file(path))


def read_bytes(path: Path, data: bytes) -> DocumentText:
    """Read a document whose bytes are already in hand (a PDF is reopened)."""
    fmt = sniff_format(path, data[:1024])
    if fmt == "pdf":
        from extract.readers.pdf import read_pdf

        return read_pdf(path)
    if not data.strip():
        raise ReadError(path, "file is empty")
    if fmt == "html":
        from extract.readers.html import read_html

        return read_html(path, data)
    from extract.readers.text import read_text

    return read_text(path, data)
