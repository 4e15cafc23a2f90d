"""Two holes found by attack: manifest metadata as markup, and files outside the corpus.

The build tests render a corpus whose manifest is full of payloads in the
built-in engine (HTML and PDF, for real) and look for any that survived as
markup; the confinement tests name files outside the corpus every way a
manifest or a template can.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from briefs.build import build_brief
from briefs.errors import BuildError
from briefs.snapshot import load_snapshot
from extract.corpus import load_corpus, read_checked, sha256_of
from extract.errors import ManifestError
from extract.store import store_path
from tests.conftest import ROOT

TEMPLATE = ROOT / "templates" / "battery-dependence.qmd.j2"
BRIEF = Path(sys.executable).parent / "brief"
BRIEFER = "briefer-75-battery-dependence"
PAYLOADS = {
    "authors": '["Eve <script>alert(1)</script>", "Mallory <b onmouseover=alert(4)>x</b>"]',
    "date": '"<img src=x onerror=alert(2)>"',
    "publisher": '"Pub <iframe src=javascript:alert(5)></iframe> `raw`{=html}"',
    "title": '"T <svg onload=alert(6)> #let x = 1 $math$"',
}


def set_field(corpus: Path, doc_id: str, key: str, value: str) -> None:
    """Set one field of one ``[[document]]`` table of the manifest, as TOML."""
    manifest = corpus / "corpus.toml"
    tables = manifest.read_text(encoding="utf-8").split("[[document]]")
    for i, table in enumerate(tables):
        if f'id = "{doc_id}"' in table:
            line = re.compile(rf"^{key} = .*$", re.MULTILINE)
            new = f"{key} = {value}"
            if line.search(table):
                tables[i] = line.sub(new.replace("\\", "\\\\"), table)
            else:
                tables[i] = table.replace(f'id = "{doc_id}"', f'id = "{doc_id}"\n{new}')
    manifest.write_text("[[document]]".join(tables), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default brief built from a corpus whose cited manifest entries attack."""
    work = tmp_path_factory.mktemp("hostile")
    corpus = work / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    for doc in load_corpus(corpus).documents:
        for key, value in PAYLOADS.items():
            set_field(corpus, doc.id, key, value)
    result = build_brief(TEMPLATE, load_corpus(corpus), store_path(work / "cache"),
                         work / "out", engine="builtin")  # fmt: skip
    return result.path


def test_manifest_payloads_are_text_in_the_html(hostile_build: Path) -> None:
    soup = BeautifulSoup((hostile_build / "brief.html").read_text("utf-8"), "lxml")
    scripts = [s.get_text() for s in soup.find_all("script")]
    assert not [s for s in scripts if "alert" in s]
    handlers = [
        (tag.name, attr)
        for tag in soup.find_all(True)
        for attr in tag.attrs
        if attr.lower().startswith("on")
    ]
    assert handlers == []
    assert (
        soup.find_all(["iframe", "svg", "img"], src=re.compile("javascript|^x$")) == []
    )
    hrefs = [a.get("href", "") for a in soup.find_all("a")]
    assert not [h for h in hrefs if h.lower().startswith("javascript")]
    text = " ".join(soup.get_text().split())
    # The payloads are still there, as the words a reader sees (a note's short
    # citation gives an author's last word and the title before any colon).
    assert "<script>alert(1)</script>" in text
    assert "T <svg onload=alert(6)> #let x = 1 $math$" in text


def test_manifest_payloads_are_text_in_the_pdf(hostile_build: Path) -> None:
    pdf = PdfReader(hostile_build / "brief.pdf")
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert "<script>alert(1)</script>" in text
    assert "#let x = 1 $math$" in text


def test_a_javascript_url_is_refused(corpus_copy: Path) -> None:
    set_field(corpus_copy, BRIEFER, "url", '"javascript:alert(3)"')
    with pytest.raises(ManifestError, match=r"'url' must be an http:// or https://"):
        load_corpus(corpus_copy)


def test_an_http_url_is_a_link_in_the_sources(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    set_field(corpus, BRIEFER, "url", '"https://example.org/briefer?a=1&b=2"')
    result = build_brief(TEMPLATE, load_corpus(corpus), store_path(tmp_path / "c"),
                         tmp_path / "out", engine="builtin")  # fmt: skip
    soup = BeautifulSoup((result.path / "brief.html").read_text("utf-8"), "lxml")
    assert "https://example.org/briefer?a=1&b=2" in [
        a.get("href") for a in soup.find_all("a")
    ]


@pytest.mark.parametrize("key", ["authors", "publisher", "notes"])
def test_a_field_of_the_wrong_type_is_one_error(corpus_copy: Path, key: str) -> None:
    set_field(corpus_copy, BRIEFER, key, "5")
    with pytest.raises(ManifestError, match=rf"'{key}' must be"):
        load_corpus(corpus_copy)


def outside_file(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text("a secret outside the corpus\n", encoding="utf-8")
    return secret


def point_at(corpus: Path, target: str, sha: str) -> None:
    set_field(corpus, BRIEFER, "file", f'"{target}"')
    set_field(corpus, BRIEFER, "sha256", f'"{sha}"')


@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink"])
def test_a_document_outside_the_corpus_is_refused(
    corpus_copy: Path, tmp_path: Path, how: str
) -> None:
    secret = outside_file(tmp_path)
    target = {
        "absolute": str(secret),
        "dotdot": "../secret.txt",
        "symlink": "documents/link.txt",
    }[how]
    if how == "symlink":
        (corpus_copy / "documents" / "link.txt").symlink_to(secret)
    point_at(corpus_copy, target, sha256_of(secret.read_bytes()))
    with pytest.raises(ManifestError, match="outside the corpus folder"):
        load_corpus(corpus_copy)


def test_a_wrong_digest_outside_the_corpus_prints_no_digest(
    corpus_copy: Path, tmp_path: Path
) -> None:
    secret = outside_file(tmp_path)
    point_at(corpus_copy, str(secret), "0" * 64)
    env = {**os.environ, "TRACEBRIEF_CORPUS": str(corpus_copy),
           "TRACEBRIEF_CACHE": str(tmp_path / "cache")}  # fmt: skip
    run = subprocess.run([str(BRIEF), "extract"], capture_output=True, text=True,
                         env=env, timeout=120, check=False)  # fmt: skip
    assert run.returncode == 1
    assert (
        run.stderr.startswith("Error: ") and "outside the corpus folder" in run.stderr
    )
    assert sha256_of(secret.read_bytes()) not in run.stderr + run.stdout
    assert not (tmp_path / "cache" / "facts.sqlite").exists() or "secret" not in (
        tmp_path / "cache" / "facts.sqlite"
    ).read_bytes().decode("latin-1")


def test_a_symlink_swapped_in_after_loading_is_refused(
    corpus_copy: Path, tmp_path: Path
) -> None:
    corpus = load_corpus(corpus_copy)
    doc = corpus.get(BRIEFER)
    path = corpus.path_of(doc)
    path.unlink()
    path.symlink_to(outside_file(tmp_path))
    with pytest.raises(ManifestError, match="outside the corpus folder"):
        read_checked(corpus, doc)


def test_a_document_that_is_a_folder_is_one_error(corpus_copy: Path) -> None:
    (corpus_copy / "documents" / "folder.md").mkdir()
    point_at(corpus_copy, "documents/folder.md", "0" * 64)
    corpus = load_corpus(corpus_copy)
    with pytest.raises(ManifestError, match="is a folder"):
        read_checked(corpus, corpus.get(BRIEFER))


@pytest.mark.parametrize("rel", ["/etc/hostname", "../../outside.csv"])
def test_a_trade_snapshot_outside_the_corpus_is_refused(
    corpus_copy: Path, rel: str
) -> None:
    with pytest.raises(BuildError, match="outside the corpus folder"):
        load_snapshot(corpus_copy, "top", rel)
