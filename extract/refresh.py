"""Refresh the fact store from the corpus, reading only what changed.

A document whose sha256 and extractor version match the store is not read
again. The documents that changed are read and extracted (over a process pool
when ``jobs`` > 1), and only when every one of them succeeded are their facts
written, in one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from extract import EXTRACTOR_VERSION
from extract.corpus import Corpus, read_checked
from extract.distributed import parse_executor, run_on_dask
from extract.progress import silence
from extract.readers import read_bytes
from extract.records import Document
from extract.store import (
    Extraction,
    StoredDocument,
    connect,
    locked,
    stored_documents,
    write,
)

log = logging.getLogger(__name__)

Progress = Callable[[Iterable[Extraction], int], Iterable[Extraction]]

# Starting a pool costs each worker a spaCy import (~1 s); below this much
# input, one process finishes first (the bundled corpus is ~110 KB).
POOL_MIN_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RefreshSummary:
    """What a refresh did."""

    documents: int
    read: int
    unchanged: int
    removed: int
    facts: int


def extract_document(corpus: Corpus, doc: Document) -> Extraction:
    """Read one corpus document (checking its sha256) and extract its facts."""
    from extract.facts import extract_facts  # spaCy loads only when there is work

    data = read_checked(corpus, doc)
    text = read_bytes(corpus.path_of(doc), data)
    facts = extract_facts(doc.id, doc.sha256, text, path=corpus.path_of(doc))
    return Extraction(document=doc, pages=text.pages, facts=facts)


def is_current(stored: StoredDocument | None, doc: Document) -> bool:
    """True when the store holds this exact document from this extractor."""
    return (
        stored is not None
        and stored.sha256 == doc.sha256
        and stored.extractor == EXTRACTOR_VERSION
    )


def run_all(
    corpus: Corpus,
    docs: list[Document],
    jobs: int,
    pool_min_bytes: int = POOL_MIN_BYTES,
    executor: str = "local",
) -> Iterator[Extraction]:
    """Extract documents in order, in this process or over a pool.

    A pool takes the largest documents first, so that the longest one does
    not start last and leave the other workers idle. ``executor`` is
    ``local`` (a process pool) or ``dask[=ADDRESS]`` (:mod:`extract.distributed`).
    """
    kind, address = parse_executor(executor)
    sizes = {d.id: file_size(corpus, d) for d in docs}
    largest_first = sorted(docs, key=lambda d: -sizes[d.id])
    if kind == "dask" and docs:
        tasks = run_on_dask(extract_in_worker, corpus, largest_first, jobs, address)
        yield from logged(tasks)
        return
    if jobs <= 1 or len(docs) <= 1 or sum(sizes.values()) < pool_min_bytes:
        yield from (extract_document(corpus, d) for d in docs)
        return
    workers = min(jobs, len(docs))
    with ProcessPoolExecutor(max_workers=workers, initializer=start_worker) as pool:
        yield from logged(
            pool.map(extract_in_worker, [corpus] * len(docs), largest_first)
        )


def logged(done: Iterable[tuple[Extraction, list[str]]]) -> Iterator[Extraction]:
    """The extractions of workers, their warnings logged here, so the user
    sees each once."""
    for extraction, warnings in done:
        for message in warnings:
            log.warning("%s", message)
        yield extraction


def start_worker() -> None:
    """A pool worker: no progress bars, and warnings kept for the parent."""
    silence()
    root = logging.getLogger()
    root.handlers.clear()
    root.setLevel(logging.WARNING)


def extract_in_worker(corpus: Corpus, doc: Document) -> tuple[Extraction, list[str]]:
    """:func:`extract_document`, returning the warnings it logged with its result."""
    found: list[str] = []
    handler = Collect(found)
    logging.getLogger().addHandler(handler)
    try:
        return extract_document(corpus, doc), found
    finally:
        logging.getLogger().removeHandler(handler)


class Collect(logging.Handler):
    """Keeps the messages of warnings in a list."""

    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


def file_size(corpus: Corpus, doc: Document) -> int:
    """The document's size in bytes (0 when missing: reading it will say so)."""
    path = corpus.path_of(doc)
    return path.stat().st_size if path.exists() else 0


def refresh(
    corpus: Corpus,
    store: Path,
    jobs: int = 1,
    force: bool = False,
    progress: Progress | None = None,
    pool_min_bytes: int = POOL_MIN_BYTES,
    executor: str = "local",
) -> RefreshSummary:
    """Bring the store up to date with the corpus; see the module docstring."""
    parse_executor(executor)  # a typo fails before the store is touched
    with locked(store), connect(store) as conn:
        stored = stored_documents(conn)
        todo = [
            d for d in corpus.documents if force or not is_current(stored.get(d.id), d)
        ]
        for doc in corpus.documents:
            if doc not in todo:
                read_checked(corpus, doc)  # a missing or edited file is still an error
        results: Iterable[Extraction] = run_all(
            corpus, todo, jobs, pool_min_bytes, executor
        )
        if progress is not None:
            results = progress(results, len(todo))
        extractions = list(results)
        keep = [d.id for d in corpus.documents]
        write(conn, extractions, EXTRACTOR_VERSION, keep)
        total = sum(s.facts for s in stored_documents(conn).values())
    return RefreshSummary(
        documents=len(corpus.documents),
        read=len(extractions),
        unchanged=len(corpus.documents) - len(extractions),
        removed=len(set(stored) - set(keep)),
        facts=total,
    )
