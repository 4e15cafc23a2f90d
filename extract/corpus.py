"""The corpus manifest: which documents there are, what they are, and their hashes.

``corpus/corpus.toml`` holds one ``[[document]]`` table per file. Loading it
checks the fields; ``read_checked`` reads a document's bytes and refuses them
when their sha256 disagrees with the manifest.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extract.errors import ManifestError
from extract.records import Document

DOCUMENT_KINDS = ("crs", "briefer", "mofcom", "news", "analysis")
MANIFEST_NAME = "corpus.toml"
REQUIRED = ("id", "file", "kind", "title", "sha256")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
SHA256 = re.compile(r"[0-9a-f]{64}")
OPTIONAL_TEXT = ("publisher", "url", "language", "notes")
WEB_URL = re.compile(r"https?://[^\s<>\"'`]+\Z", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Corpus:
    """A corpus folder and the documents its manifest lists."""

    root: Path
    documents: tuple[Document, ...]

    def get(self, doc_id: str) -> Document:
        """The document with this id, or a ManifestError."""
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        known = ", ".join(d.id for d in self.documents)
        raise ManifestError(self.manifest, f"no document '{doc_id}' (known: {known})")

    @property
    def manifest(self) -> Path:
        """The manifest file's path."""
        return self.root / MANIFEST_NAME

    def path_of(self, doc: Document) -> Path:
        """Where a document's file is (inside the corpus root, or a ManifestError)."""
        return confined(self.root, doc.path, self.manifest)


def confined(root: Path, rel: str, named_in: Path) -> Path:
    """``root / rel``, refused unless it stays inside ``root`` after symlinks.

    A manifest or template names files by paths relative to the corpus; an
    absolute path, a ``..`` that climbs out, or a symlink that leads out would
    let a corpus read (and print the digest of) any file on the machine.
    """
    path = root / rel
    base = root.resolve()
    if Path(rel).is_absolute() or not path.resolve().is_relative_to(base):
        msg = f"'{rel}' is outside the corpus folder {root}; files must be inside it"
        raise ManifestError(named_in, msg)
    return path


def sha256_of(data: bytes) -> str:
    """The hex sha256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def load_corpus(root: Path, allow_empty: bool = False) -> Corpus:
    """Load and check the manifest of the corpus in ``root``.

    A manifest that lists no document is refused unless ``allow_empty``: a
    refresh from it would delete every document's facts from the store.
    """
    manifest = root / MANIFEST_NAME
    try:
        raw = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(manifest, "no corpus manifest here") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ManifestError(manifest, f"not valid TOML: {e}") from None
    entries = raw.get("document", [])
    if not isinstance(entries, list):
        raise ManifestError(manifest, "'document' must be an array of tables")
    docs = tuple(parse_entry(manifest, i, e) for i, e in enumerate(entries, 1))
    check_unique(manifest, docs)
    if not docs and not allow_empty:
        msg = (
            "lists no documents, so a refresh would empty the fact store; "
            "add [[document]] tables, or pass --allow-empty if that is intended"
        )
        raise ManifestError(manifest, msg)
    corpus = Corpus(root=root, documents=docs)
    for doc in docs:
        corpus.path_of(doc)  # refuse a file outside the corpus before any read
    return corpus


def parse_entry(manifest: Path, n: int, entry: object) -> Document:
    """One ``[[document]]`` table as a Document, checking every field."""
    if not isinstance(entry, dict):
        raise ManifestError(manifest, f"document #{n} is not a table")
    where = f"document #{n} ({entry.get('id', 'no id')})"
    for key in REQUIRED:
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise ManifestError(manifest, f"{where}: '{key}' is missing or empty")
    if not SLUG.fullmatch(entry["id"]):
        raise ManifestError(manifest, f"{where}: id must be a lowercase slug")
    if entry["kind"] not in DOCUMENT_KINDS:
        kinds = ", ".join(DOCUMENT_KINDS)
        msg = f"{where}: unknown kind '{entry['kind']}' (one of: {kinds})"
        raise ManifestError(manifest, msg)
    if not SHA256.fullmatch(entry["sha256"]):
        raise ManifestError(manifest, f"{where}: sha256 must be 64 hex digits")
    authors = checked_metadata(manifest, where, entry)
    return Document(
        id=entry["id"],
        path=entry["file"],
        sha256=entry["sha256"],
        kind=entry["kind"],
        title=entry["title"],
        publisher=str(entry.get("publisher", "")),
        authors=tuple(authors),
        date=str(entry.get("date", "")),
        url=str(entry.get("url", "")),
        language=str(entry.get("language", "en")),
        notes=str(entry.get("notes", "")),
    )


def checked_metadata(manifest: Path, where: str, entry: dict[str, Any]) -> list[str]:
    """Check the optional fields' types and the url's scheme; the authors' names."""
    for key in OPTIONAL_TEXT:
        if not isinstance(entry.get(key, ""), str):
            raise ManifestError(manifest, f"{where}: '{key}' must be a string")
    if not isinstance(entry.get("date", ""), str | datetime.date):
        raise ManifestError(manifest, f"{where}: 'date' must be a date or a string")
    authors = entry.get("authors", [])
    if isinstance(authors, str):
        authors = [authors]
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        msg = f"{where}: 'authors' must be a list of names (strings)"
        raise ManifestError(manifest, msg)
    url = entry.get("url", "")
    if url and not WEB_URL.match(url):
        msg = f"{where}: 'url' must be an http:// or https:// address"
        raise ManifestError(manifest, msg)
    return list(authors)


def check_unique(manifest: Path, docs: tuple[Document, ...]) -> None:
    """Refuse two documents with one id."""
    seen: set[str] = set()
    for doc in docs:
        if doc.id in seen:
            raise ManifestError(manifest, f"document id '{doc.id}' appears twice")
        seen.add(doc.id)


def read_checked(corpus: Corpus, doc: Document) -> bytes:
    """A document's bytes, after checking them against the manifest's sha256."""
    path = corpus.path_of(doc)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        msg = f"listed in {corpus.manifest.name} as '{doc.id}' but missing"
        raise ManifestError(path, msg) from None
    except IsADirectoryError:
        msg = f"listed in {corpus.manifest.name} as '{doc.id}' but is a folder"
        raise ManifestError(path, msg) from None
    except OSError as e:
        raise ManifestError(path, f"cannot be read: {e.strerror}") from None
    actual = sha256_of(data)
    if actual != doc.sha256:
        msg = (
            f"sha256 is {actual}, but {corpus.manifest.name} says {doc.sha256}; "
            "if the change is intended, update the manifest"
        )
        raise ManifestError(path, msg)
    return data
