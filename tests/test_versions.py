"""Versions as a reviewer meets them: engine as an input, --force, several
templates, a reverted change, manifest history, and brief diff."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefs.claims import load_claims
from briefs.cli import main
from briefs.diff import diff_versions
from tests.conftest import ROOT

TEMPLATE = ROOT / "templates" / "battery-dependence.qmd.j2"


@pytest.fixture
def work(corpus_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with corpus/ and templates/, no Quarto anywhere, as the cwd."""
    work = corpus_copy.parent
    (work / "templates").mkdir()  # the default brief alone (and its CSL style)
    for path in (TEMPLATE, *ROOT.joinpath("templates").glob("*.csl")):
        shutil.copyfile(path, work / "templates" / path.name)
    empty = work / "no-quarto"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("QUARTO_PATH", raising=False)
    monkeypatch.chdir(work)
    return work


def brief(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def manifest(version: Path) -> dict[str, object]:
    return dict(json.loads((version / "manifest.json").read_text()))


def test_engine_is_an_input_and_force_rebuilds(work: Path) -> None:
    first = brief("build", "--engine", "builtin")
    assert first.exit_code == 0, first.output
    # Before: "up to date" although the version was not built by Quarto and
    # no Quarto is installed.
    quarto = brief("build", "--engine", "quarto")
    assert quarto.exit_code == 1
    assert quarto.output.startswith("Error: Quarto was not found")
    assert brief("build", "--engine", "builtin").output.startswith(
        "battery-dependence: up to date (v1)"
    )
    forced = brief("build", "--engine", "builtin", "--force")
    assert forced.exit_code == 0, forced.output
    assert "built v2 (29 claims, builtin engine; same inputs as v1)" in forced.output
    v1, v2 = (work / "out" / "battery-dependence" / f"v{n}" for n in (1, 2))
    m1, m2 = manifest(v1), manifest(v2)
    assert m1["inputs"]["engine"] == "builtin"  # type: ignore[index]
    assert (m1["previous"], m2["previous"], m2["same_inputs_as"]) == (None, 1, 1)
    assert (
        m2["corpus"] == str((work / "corpus").resolve()) and m2["engine"] == "builtin"
    )
    assert str(m2["built"]).endswith("Z")
    for name in ("brief.qmd", "claims.json", "review.html"):  # no build time in them
        assert (v1 / name).read_bytes() != b""
        assert (v1 / name).read_text().replace("v1", "v2") == (
            v2 / name
        ).read_text().replace("v1", "v2")


def test_several_templates_are_each_attempted(work: Path) -> None:
    # Before: the first failing template stopped the others, and an unknown
    # @fig- reference was published as "?@fig-nonexistent" with exit 0.
    broken = TEMPLATE.read_text().replace("id: battery-dependence", "id: broken")
    broken = broken.replace("(@fig-partner-shares)", "(@fig-nonexistent)")
    (work / "templates" / "a-broken.qmd.j2").write_text(broken)
    run = brief("build", "--engine", "builtin")
    assert run.exit_code == 1
    errors = [line for line in run.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1
    assert "unresolved cross-references" in errors[0]
    assert "unresolved reference @fig-nonexistent" in run.output
    assert "battery-dependence: built v1" in run.output
    assert not (work / "out" / "broken").exists() or not list(
        (work / "out" / "broken").glob("v*")
    )


def test_reverted_change_says_same_inputs_and_diff_shows_what_changed(
    work: Path,
) -> None:
    assert brief("build", "--engine", "builtin").exit_code == 0
    template = work / "templates" / "battery-dependence.qmd.j2"
    original = template.read_text()
    edited = original.replace(
        ' It holds {{ fact("anode_share") }} of the world\'s anode production.', ""
    ).replace("the trend runs the wrong way", "the trend is worsening")
    assert edited != original
    template.write_text(edited)
    second = brief("build", "--engine", "builtin")
    assert "built v2" in second.output and "same inputs" not in second.output
    template.write_text(original)
    third = brief("build", "--engine", "builtin")
    # Before: v3 silently duplicated v1.
    assert "built v3 (29 claims, builtin engine; same inputs as v1)" in third.output
    diff = brief("diff", "battery-dependence", "v1", "v2", "--html", "diff.html")
    assert diff.exit_code == 0, diff.output
    text = diff.output
    assert text.startswith("battery-dependence v1 -> battery-dependence v2\n")
    assert (
        "claims removed:\n  anode_share: 91% (briefer-75-battery-dependence, line 90)"
        in text
    )
    assert "inputs changed:\n  template.sha256: " in text
    assert "[-runs the wrong way:-]{+is worsening:+}" in text
    assert (
        "<del>runs the wrong way:</del> <ins>is worsening:</ins>"
        in (work / "diff.html").read_text()
    )
    last_two = brief("diff")  # default: the only brief, its last two versions
    assert last_two.output.startswith(
        "battery-dependence v2 -> battery-dependence v3\n"
    )
    assert "claims added:\n  anode_share" in last_two.output


def test_diff_reports_changed_values_and_quotes(work: Path, tmp_path: Path) -> None:
    assert brief("build", "--engine", "builtin").exit_code == 0
    v1 = work / "out" / "battery-dependence" / "v1"
    v2 = v1.with_name("v2")
    shutil.copytree(v1, v2)
    data = json.loads((v2 / "claims.json").read_text())
    data["claims"][1]["rendered"] = "57%"
    data["claims"][2]["quote"] = data["claims"][2]["quote"].replace("73%", "74%")
    (v2 / "claims.json").write_text(json.dumps(data))
    result = diff_versions(v1, v2)
    assert next((c.name, c.what, c.old, c.new) for c in result.changed) == (
        "share_2021",
        "value",
        "56%",
        "57%",
    )
    assert result.changed[1].name == "share_2023" and "74%" in result.changed[1].new
    assert not result.added and not result.removed and not result.inputs
    assert load_claims(v2).claims[1].rendered == "57%"


def test_diff_needs_two_versions(work: Path) -> None:
    assert brief("build", "--engine", "builtin").exit_code == 0
    run = brief("diff")
    assert run.exit_code == 1
    assert "needs two versions to compare (has 1)" in run.output


def test_a_corrected_quote_shows_in_the_diff_of_the_rebuild(work: Path) -> None:
    # Before: the rebuild made v2 without saying which quotes changed.
    assert brief("build", "--engine", "builtin").exit_code == 0
    doc = work / "corpus" / "documents" / "briefer-75-battery-dependence.md"
    old_sha = hashlib.sha256(doc.read_bytes()).hexdigest()
    doc.write_text(
        doc.read_text().replace(
            "controlling 59% of the world", "controlling 60% of the world"
        )
    )
    manifest_file = work / "corpus" / "corpus.toml"
    new_sha = hashlib.sha256(doc.read_bytes()).hexdigest()
    manifest_file.write_text(manifest_file.read_text().replace(old_sha, new_sha))
    assert "built v2" in brief("build", "--engine", "builtin").output
    text = brief("diff").output
    assert "claims changed:\n  anode_share (quote/source): " in text
    assert (
        "controlling 59% of the world" in text
        and "controlling 60% of the world" in text
    )
    assert f"documents.briefer-75-battery-dependence: {old_sha} -> {new_sha}" in text
