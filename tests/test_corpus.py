"""The corpus manifest: fields, kinds, hashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.corpus import DOCUMENT_KINDS, load_corpus, read_checked, sha256_of
from extract.errors import ManifestError
from tests.conftest import CORPUS


def test_bundled_manifest_lists_the_seeds_and_two_crs_pdfs() -> None:
    corpus = load_corpus(CORPUS)
    assert [d.id for d in corpus.documents] == [
        "briefer-75-battery-dependence",
        "af-us-japan-ev-minerals-deal",
        "cier-us-critical-minerals-policy",
        "mofcom-oct-2025-export-controls",
        "crs-if12517",
        "crs-if12608",
        "crs-if13205",
    ]
    assert {d.kind for d in corpus.documents} == set(DOCUMENT_KINDS)
    crs = corpus.get("crs-if12517")
    assert crs.authors == ("Kyla H. Kitamura",)
    assert "interleaved" in crs.notes
    for pdf in (corpus.get("crs-if12608"), corpus.get("crs-if13205")):
        assert corpus.path_of(pdf).read_bytes().startswith(b"%PDF-")
        assert pdf.url == f"https://www.congress.gov/crs-product/{pdf.id[4:].upper()}"
    for doc in corpus.documents:
        assert doc.title and doc.date and doc.language == "en"
        assert sha256_of(read_checked(corpus, doc)) == doc.sha256


def test_sha256_mismatch_names_the_file(corpus_copy: Path) -> None:
    corpus = load_corpus(corpus_copy)
    doc = corpus.get("cier-us-critical-minerals-policy")
    with corpus.path_of(doc).open("a", encoding="utf-8") as f:
        f.write("An edit.\n")
    with pytest.raises(ManifestError) as e:
        read_checked(corpus, doc)
    assert "cier-us-critical-minerals-policy.md: sha256 is " in str(e.value)
    assert "update the manifest" in str(e.value)


def test_missing_file(corpus_copy: Path) -> None:
    corpus = load_corpus(corpus_copy)
    doc = corpus.get("crs-if12517")
    corpus.path_of(doc).unlink()
    with pytest.raises(
        ManifestError, match=r"crs-if12517\.txt: listed in corpus\.toml"
    ):
        read_checked(corpus, doc)


def edit_manifest(root: Path, old: str, new: str) -> None:
    manifest = root / "corpus.toml"
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('kind = "crs"', 'kind = "blog"', r"unknown kind 'blog' \(one of: crs, "),
        ('id = "crs-if12517"', 'id = "CRS IF12517"', "id must be a lowercase slug"),
        ('sha256 = "be14', 'sha256 = "zz14', "sha256 must be 64 hex digits"),
        ('title = "U.S.-Japan', 'xtitle = "U.S.-Japan', "'title' is missing"),
        ('id = "crs-if12517"', 'id = "af-us-japan-ev-minerals-deal"', "appears twice"),
        ("[[document]]", "[[document]\n", "not valid TOML"),
    ],
)
def test_bad_manifest(corpus_copy: Path, old: str, new: str, message: str) -> None:
    edit_manifest(corpus_copy, old, new)
    with pytest.raises(ManifestError, match=message) as e:
        load_corpus(corpus_copy)
    assert str(e.value).startswith(str(corpus_copy / "corpus.toml"))


def test_no_manifest(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="no corpus manifest here"):
        load_corpus(tmp_path)
