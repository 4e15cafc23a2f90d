"""The fact store: one SQLite file in a cache folder, no server.

It keeps, per document, the sha256 and extractor version its facts came from,
so a refresh reads again only what changed. Every refresh writes in a single
transaction: a refresh that fails leaves the store as it was.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from extract.errors import StoreError
from extract.records import Document, Fact

STORE_NAME = "facts.sqlite"
SCHEMA_VERSION = "1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    extractor TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    path TEXT NOT NULL,
    pages INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS facts (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    unit TEXT,
    text TEXT NOT NULL,
    quote TEXT NOT NULL,
    json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS facts_doc ON facts (doc, seq);
"""


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """What the store remembers of a document it has read."""

    id: str
    sha256: str
    extractor: str
    pages: int
    facts: int


@dataclass(frozen=True, slots=True)
class Extraction:
    """One document's fresh facts, ready to be written."""

    document: Document
    pages: int
    facts: tuple[Fact, ...]


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the store's lock (``facts.sqlite.lock``): other refreshes wait.

    SQLite serialises single writes; this serialises whole refreshes, so two
    processes do not both read the same changed documents and race to write.
    """
    make_folder(path)
    try:
        fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise StoreError(path, f"cannot lock the fact store: {e.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def make_folder(path: Path) -> None:
    """The store's cache folder, or a StoreError saying why it cannot be made."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        msg = f"cannot create the cache folder {path.parent}: {e.strerror}"
        raise StoreError(path, msg) from None


def store_path(cache: Path) -> Path:
    """The store file inside a cache folder."""
    return cache / STORE_NAME


@contextmanager
def connect(path: Path, create: bool = True) -> Iterator[sqlite3.Connection]:
    """An open connection to the store, created with its schema if asked."""
    if not create and not path.exists():
        raise StoreError(path, "no fact store yet; run 'brief extract' first")
    make_folder(path)
    try:
        with closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA foreign_keys = ON")
            check_schema(path, conn)
            yield conn
    except sqlite3.DatabaseError as e:
        raise StoreError(path, f"cannot use the fact store: {e}") from None


def check_schema(path: Path, conn: sqlite3.Connection) -> None:
    """Create the schema, or refuse a store written by another schema."""
    conn.executescript(SCHEMA)
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    if row is None:
        conn.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        conn.commit()
    elif row[0] != SCHEMA_VERSION:
        msg = f"store schema {row[0]} is not {SCHEMA_VERSION}; delete it to rebuild"
        raise StoreError(path, msg)


def stored_documents(conn: sqlite3.Connection) -> dict[str, StoredDocument]:
    """Every document in the store, by id."""
    rows = conn.execute(
        "SELECT d.id, d.sha256, d.extractor, d.pages, COUNT(f.id) FROM documents d "
        "LEFT JOIN facts f ON f.doc = d.id GROUP BY d.id"
    )
    return {r[0]: StoredDocument(*r) for r in rows}


def write(
    conn: sqlite3.Connection,
    extractions: Sequence[Extraction],
    extractor: str,
    keep: Iterable[str],
) -> None:
    """Replace the facts of the documents given, drop those not kept; atomically."""
    keep_ids = set(keep)
    with conn:  # one transaction: all of it or none of it
        for doc_id in set(stored_documents(conn)) - keep_ids:
            conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        for ex in extractions:
            replace_document(conn, ex, extractor)


def replace_document(conn: sqlite3.Connection, ex: Extraction, extractor: str) -> None:
    """Write one document's row and facts over whatever was there."""
    doc = ex.document
    conn.execute("DELETE FROM documents WHERE id = ?", (doc.id,))
    conn.execute(
        "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
        (doc.id, doc.sha256, extractor, doc.kind, doc.title, doc.path, ex.pages),
    )
    conn.executemany(
        "INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (f.id, f.doc, i, f.kind, f.unit, f.text, f.quote, json.dumps(f.to_json()))
            for i, f in enumerate(ex.facts)
        ),
    )


def query_facts(
    conn: sqlite3.Connection,
    doc: str | None = None,
    kind: str | None = None,
    grep: str | None = None,
) -> list[Fact]:
    """Facts in document and text order, filtered by document, kind and text.

    ``grep`` matches the mention or its sentence, ignoring case.
    """
    sql = "SELECT json FROM facts WHERE 1 = 1"
    args: list[str] = []
    if doc:
        sql += " AND doc = ?"
        args.append(doc)
    if kind:
        sql += " AND kind = ?"
        args.append(kind)
    if grep:
        sql += " AND (instr(lower(quote), ?) > 0 OR instr(lower(text), ?) > 0)"
        args += [grep.lower(), grep.lower()]
    sql += " ORDER BY doc, seq"
    return [
        row_fact(conn, *r)
        for r in conn.execute(sql.replace("json", "id, json", 1), args)
    ]


def row_fact(conn: sqlite3.Connection, fact_id: str, text: str) -> Fact:
    """A stored fact, or a StoreError naming the row that is not a fact."""
    try:
        return Fact.from_json(json.loads(text))
    except (ValueError, TypeError, KeyError, AttributeError) as e:
        path = conn.execute("PRAGMA database_list").fetchone()[2]
        msg = (
            f"fact row '{fact_id}' is not a fact ({type(e).__name__}: {e}); "
            "run 'brief extract --force' to rewrite the store"
        )
        raise StoreError(path, msg) from None
