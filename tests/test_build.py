"""Building versioned briefs, and tracing their claims, on a copy of the real corpus."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefs.build import BuildResult, build_brief
from briefs.render import RenderError
from briefs.trace import trace
from extract.corpus import load_corpus
from extract.readers import read_document
from extract.store import store_path
from tests.conftest import ROOT

TEMPLATE = ROOT / "templates" / "battery-dependence.qmd.j2"
BRIEF = Path(sys.executable).parent / "brief"
DETERMINISTIC = ("brief.qmd", "claims.json", "charts/partner_shares.vl.json",
                 "charts/partner_shares.svg")  # fmt: skip


def build(work: Path, corpus: Path, engine: str = "builtin") -> BuildResult:
    return build_brief(TEMPLATE, load_corpus(corpus), store_path(work / "cache"),
                       work / "out", engine=engine)  # fmt: skip


def edit_document(corpus: Path, name: str, new_text: str) -> None:
    """Rewrite a corpus document and record its new sha256 in the manifest."""
    path = corpus / "documents" / name
    old_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_text(new_text, encoding="utf-8")
    new_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = corpus / "corpus.toml"
    manifest.write_text(manifest.read_text().replace(old_sha, new_sha))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """One cold build of the default brief on an untouched corpus copy."""
    work = tmp_path_factory.mktemp("built")
    shutil.copytree(ROOT / "corpus", work / "corpus")
    return work, build(work, work / "corpus")


def test_cold_build_writes_a_complete_version(built: tuple[Path, BuildResult]) -> None:
    work, result = built
    assert (result.brief, result.version, result.built) == (
        "battery-dependence",
        1,
        True,
    )
    v1 = work / "out" / "battery-dependence" / "v1"
    assert result.path == v1
    assert (work / "out" / "battery-dependence" / "latest").resolve() == v1.resolve()
    names = {p.relative_to(v1).as_posix() for p in v1.rglob("*") if p.is_file()}
    assert {"brief.qmd", "brief.html", "brief.pdf", "claims.json", "manifest.json",
            "charts/partner_shares.vl.json", "charts/partner_shares.svg",
            "charts/china_share.svg"} <= names  # fmt: skip
    # Only what is used: the SVG the figures show, the spec brief trace reads.
    qmd = (v1 / "brief.qmd").read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\((charts/[^)]+)\)", qmd))
    specs = {f"charts/{c}.vl.json" for c in ("partner_shares", "china_share")}
    assert {n for n in names if n.startswith("charts/")} == shown | specs
    manifest = json.loads((v1 / "manifest.json").read_text())
    for name, sha in manifest["outputs"].items():
        assert hashlib.sha256((v1 / name).read_bytes()).hexdigest() == sha
    assert set(manifest["inputs"]["documents"]) >= {
        "briefer-75-battery-dependence",
        "crs-if12517",
    }
    assert manifest["inputs"]["template"]["path"] == TEMPLATE.name


def test_claims_carry_their_provenance(built: tuple[Path, BuildResult]) -> None:
    work, result = built
    claims = json.loads((result.path / "claims.json").read_text())["claims"]
    assert len(claims) == result.claims >= 10
    assert len({c["doc"] for c in claims}) >= 3
    corpus = load_corpus(work / "corpus")
    # The document text as the reader gives it (for a PDF, the reader's output).
    texts = {d: read_document(corpus.path_of(corpus.get(d))).text
             for d in {c["doc"] for c in claims}}  # fmt: skip
    assert {"crs-if12608", "crs-if13205"} <= texts.keys()
    for c in claims:
        text = texts[c["doc"]]
        assert text[c["start"] : c["end"]] == c["rendered"]
        assert text[c["quote_start"] : c["quote_end"]] == c["quote"]


def test_html_and_pdf_show_citations_and_figures(
    built: tuple[Path, BuildResult],
) -> None:
    _, result = built
    html = " ".join((result.path / "brief.html").read_text(encoding="utf-8").split())
    assert "nearly three-quarters" in html
    assert (
        "The US imports nearly three-quarters of its lithium-ion batteries from China."
        in html
    )
    assert "Figure 1" in html
    assert 'src="charts/' not in html  # charts are embedded
    assert 'class="footnotes' in html or "footnote" in html
    pdf = PdfReader(result.path / "brief.pdf")
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert len(pdf.pages) >= 2
    assert "Still Running Through China" in text
    assert "Figure 1" in text
    assert "Sources" in text


def test_unchanged_inputs_make_no_new_version(built: tuple[Path, BuildResult]) -> None:
    work, result = built
    again = build(work, work / "corpus")
    assert (again.built, again.version, again.path) == (False, 1, result.path)
    brief_dir = work / "out" / "battery-dependence"
    assert sorted(p.name for p in brief_dir.iterdir() if p.name != ".lock") == [
        "latest",
        "v1",
    ]


def test_same_inputs_give_identical_outputs(
    built: tuple[Path, BuildResult], tmp_path: Path
) -> None:
    work, first = built
    other = build(tmp_path, work / "corpus")
    for name in DETERMINISTIC:
        assert (first.path / name).read_bytes() == (other.path / name).read_bytes(), (
            name
        )


def test_changed_document_makes_a_new_version(
    corpus_copy: Path, tmp_path: Path
) -> None:
    assert build(tmp_path, corpus_copy).version == 1
    doc = corpus_copy / "documents" / "cier-us-critical-minerals-policy.md"
    edit_document(corpus_copy, doc.name, doc.read_text() + "\nAn added paragraph.\n")
    assert build(tmp_path, corpus_copy).version == 1  # not cited: same inputs
    doc = corpus_copy / "documents" / "crs-if12517.txt"
    edit_document(corpus_copy, doc.name, doc.read_text() + "\nAn added line.\n")
    second = build(tmp_path, corpus_copy)
    assert (second.built, second.version) == (True, 2)
    assert (
        tmp_path / "out" / "battery-dependence" / "latest"
    ).resolve() == second.path.resolve()


def failing_quarto(tmp_path: Path) -> Path:
    """A stand-in for quarto that prints an error and fails."""
    script = tmp_path / "bin" / "quarto"
    script.parent.mkdir()
    script.write_text(f"#!{sys.executable}\nimport sys\n"
                      "print('ERROR: typst compile failed', file=sys.stderr)\nsys.exit(1)\n")  # fmt: skip
    script.chmod(0o755)
    return script


def test_failed_render_leaves_no_partial_version(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUARTO_PATH", str(failing_quarto(tmp_path)))
    with pytest.raises(RenderError, match="typst compile failed"):
        build(tmp_path, corpus_copy, engine="quarto")
    brief_dir = tmp_path / "out" / "battery-dependence"
    assert [p.name for p in brief_dir.iterdir()] == [".lock"]


def test_trace_holds_then_fails_after_an_edit(
    corpus_copy: Path, tmp_path: Path
) -> None:
    result = build(tmp_path, corpus_copy)
    checks = trace(result.path, load_corpus(corpus_copy))
    assert checks.claims
    assert checks.holds
    doc = corpus_copy / "documents" / "mofcom-oct-2025-export-controls.txt"
    doc.write_text("A new first line.\n" + doc.read_text(), encoding="utf-8")
    checks = trace(result.path, load_corpus(corpus_copy))
    failed = {c.claim.doc for c in checks.claims if not c.holds}
    assert failed == {"mofcom-oct-2025-export-controls"}
    assert {c.status for c in checks.claims if not c.holds} == {"sha-mismatch"}


def run_brief(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QUARTO_PATH": ""}
    return subprocess.run([str(BRIEF), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=env)  # fmt: skip


def test_cli_build_and_trace(corpus_copy: Path, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    first = run_brief("build", "--engine", "builtin", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("battery-dependence: built v1 (")
    assert run_brief("build", cwd=tmp_path).stdout.startswith(
        "battery-dependence: up to date (v1)"
    )
    ok = run_brief("trace", "out/battery-dependence/v1", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().endswith("all 29 claims and 2 charts hold")
    one = run_brief("trace", "out/battery-dependence/latest", "c1", cwd=tmp_path)
    assert one.stdout.startswith(
        "ok             c1  nearly three-quarters  briefer-75-battery-dependence line 25"
    )
    doc = corpus_copy / "documents" / "briefer-75-battery-dependence.md"
    edit_document(corpus_copy, doc.name,
                  doc.read_text().replace("nearly three-quarters", "about two-thirds"))  # fmt: skip
    bad = run_brief("trace", "out/battery-dependence/v1", cwd=tmp_path)
    assert bad.returncode == 1
    assert "changed        c1" in bad.stdout
    assert bad.stderr.startswith("Error: ")
    assert "claims and 2 charts no longer hold: c1" in bad.stderr


def test_a_rebuild_reuses_charts_whose_spec_is_unchanged(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    first = build(tmp_path, tmp_path / "corpus")
    svg = first.path / "charts" / "partner_shares.svg"
    marked = svg.read_text(encoding="utf-8") + "<!-- rendered for v1 -->\n"
    svg.write_text(marked, encoding="utf-8")  # only a copy can carry this mark
    again = build_brief(TEMPLATE, load_corpus(tmp_path / "corpus"),
                        store_path(tmp_path / "cache"), tmp_path / "out",
                        engine="builtin", force=True)  # fmt: skip
    assert again.version == 2
    copied = again.path / "charts" / "partner_shares.svg"
    assert copied.read_text(encoding="utf-8") == marked
    assert not list(again.path.glob("charts/*.png"))
