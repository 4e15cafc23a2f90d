"""The fact store and its incremental refresh, on copies of the real corpus."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from extract import refresh as refresh_module
from extract.corpus import load_corpus
from extract.errors import ExtractError, ManifestError, StoreError
from extract.refresh import refresh, run_all
from extract.store import connect, query_facts, store_path


def all_facts(store: Path) -> list[tuple[str, str, str]]:
    with connect(store, create=False) as conn:
        return [(f.id, f.doc, f.text) for f in query_facts(conn)]


def set_sha(root: Path, doc_id: str) -> None:
    """Update a document's sha256 in the manifest after an intended edit."""
    corpus = load_corpus(root)
    doc = corpus.get(doc_id)
    new = hashlib.sha256(corpus.path_of(doc).read_bytes()).hexdigest()
    manifest = root / "corpus.toml"
    manifest.write_text(manifest.read_text().replace(doc.sha256, new))


def test_first_refresh_reads_all_then_nothing(
    corpus_copy: Path, tmp_path: Path
) -> None:
    store = store_path(tmp_path / "cache")
    first = refresh(load_corpus(corpus_copy), store)
    assert (first.documents, first.read, first.unchanged) == (7, 7, 0)
    assert first.facts == len(all_facts(store)) > 100
    before = all_facts(store)
    second = refresh(load_corpus(corpus_copy), store)
    assert (second.read, second.unchanged, second.facts) == (0, 7, first.facts)
    assert all_facts(store) == before


def test_changed_document_is_read_again(corpus_copy: Path, tmp_path: Path) -> None:
    store = store_path(tmp_path / "cache")
    refresh(load_corpus(corpus_copy), store)
    before = all_facts(store)
    path = corpus_copy / "documents" / "cier-us-critical-minerals-policy.md"
    with path.open("a", encoding="utf-8") as f:
        f.write("\nThe Pentagon committed $400 million to the project in 2025.\n")
    set_sha(corpus_copy, "cier-us-critical-minerals-policy")
    s = refresh(load_corpus(corpus_copy), store)
    assert (s.read, s.unchanged) == (1, 6)
    after = all_facts(store)
    assert [f for f in after if f[1] != "cier-us-critical-minerals-policy"] == [
        f for f in before if f[1] != "cier-us-critical-minerals-policy"
    ]

    def texts(facts: list[tuple[str, str, str]]) -> list[str]:
        return [t for _, d, t in facts if d == "cier-us-critical-minerals-policy"]

    # Only the appended sentence is new: its figure, and the claim it makes.
    old, added = (
        texts(before),
        "The Pentagon committed $400 million to the project in 2025.",
    )
    assert texts(after)[: len(old)] == old
    assert "$400 million" in texts(after)[len(old) :]
    assert set(texts(after)[len(old) :]) <= {"$400 million", added}


def test_failed_refresh_keeps_the_store(corpus_copy: Path, tmp_path: Path) -> None:
    store = store_path(tmp_path / "cache")
    refresh(load_corpus(corpus_copy), store)
    before = all_facts(store)
    path = corpus_copy / "documents" / "crs-if12517.txt"
    path.write_text(path.read_text() + "An unrecorded edit.\n")
    set_sha(corpus_copy, "crs-if12517")
    other = corpus_copy / "documents" / "af-us-japan-ev-minerals-deal.txt"
    other.write_text(other.read_text() + "Edited without updating the manifest.\n")
    with pytest.raises(
        ManifestError, match=r"af-us-japan-ev-minerals-deal\.txt: sha256"
    ):
        refresh(load_corpus(corpus_copy), store)
    assert all_facts(store) == before


def test_new_extractor_version_reads_everything(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = store_path(tmp_path / "cache")
    refresh(load_corpus(corpus_copy), store)
    monkeypatch.setattr(refresh_module, "EXTRACTOR_VERSION", "test-next")
    assert refresh(load_corpus(corpus_copy), store).read == 7


def test_document_dropped_from_manifest_leaves_store(
    corpus_copy: Path, tmp_path: Path
) -> None:
    store = store_path(tmp_path / "cache")
    refresh(load_corpus(corpus_copy), store)
    manifest = corpus_copy / "corpus.toml"
    text = manifest.read_text()
    manifest.write_text(text[: text.rindex("[[document]]")])
    s = refresh(load_corpus(corpus_copy), store)
    assert (s.documents, s.read, s.removed) == (6, 0, 1)
    assert "crs-if13205" not in {doc for _, doc, _ in all_facts(store)}


def test_process_pool_gives_the_same_facts(corpus_copy: Path, tmp_path: Path) -> None:
    one, two = store_path(tmp_path / "one"), store_path(tmp_path / "two")
    refresh(load_corpus(corpus_copy), one, jobs=1)
    refresh(load_corpus(corpus_copy), two, jobs=2, pool_min_bytes=0)
    assert all_facts(one) == all_facts(two)


def test_a_pool_takes_the_largest_documents_first(corpus_copy: Path) -> None:
    corpus = load_corpus(corpus_copy)
    docs = list(corpus.documents)
    done = [e.document.id for e in run_all(corpus, docs, jobs=2, pool_min_bytes=0)]
    sizes = {d.id: corpus.path_of(d).stat().st_size for d in docs}
    assert done == sorted(sizes, key=lambda i: -sizes[i])
    assert done != [d.id for d in docs]  # the manifest's order is another
    alone = [e.document.id for e in run_all(corpus, docs, jobs=1)]
    assert alone == [d.id for d in docs]


def test_dask_executor_gives_the_same_facts(corpus_copy: Path, tmp_path: Path) -> None:
    """Documents as tasks on a Dask LocalCluster; the client alone writes the store."""
    pytest.importorskip("dask.distributed", reason="the dask extra is not installed")
    one, dask = store_path(tmp_path / "one"), store_path(tmp_path / "dask")
    refresh(load_corpus(corpus_copy), one, jobs=1)
    summary = refresh(load_corpus(corpus_copy), dask, jobs=2, executor="dask")
    assert summary.read == len(load_corpus(corpus_copy).documents)
    assert all_facts(one) == all_facts(dask)


def test_unknown_executor(corpus_copy: Path, tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match="unknown executor 'spark'"):
        refresh(load_corpus(corpus_copy), store_path(tmp_path), executor="spark")
    assert not store_path(tmp_path).exists()


def test_query_filters(corpus_copy: Path, tmp_path: Path) -> None:
    store = store_path(tmp_path / "cache")
    refresh(load_corpus(corpus_copy), store)
    with connect(store, create=False) as conn:
        crs = query_facts(conn, doc="crs-if12517")
        assert crs and {f.doc for f in crs} == {"crs-if12517"}
        lithium = query_facts(conn, grep="LITHIUM")
        assert lithium and all("lithium" in f.quote.lower() for f in lithium)
        assert query_facts(conn, kind="no-such-kind") == []


def test_store_not_built_yet(tmp_path: Path) -> None:
    with (
        pytest.raises(StoreError, match="no fact store yet; run 'brief extract'"),
        connect(store_path(tmp_path), create=False),
    ):
        pass


def test_corrupt_store_file(tmp_path: Path) -> None:
    path = store_path(tmp_path)
    path.write_bytes(b"this is not a database" * 100)
    with (
        pytest.raises(StoreError, match=r"facts\.sqlite: cannot use the fact store"),
        connect(path),
    ):
        pass
