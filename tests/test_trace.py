"""brief trace on the default brief: every status, on edited copies of the corpus."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefs.build import BuildResult, build_brief
from briefs.claims import load_claims
from briefs.cli import main
from briefs.trace import Trace, trace
from extract.corpus import load_corpus
from extract.store import store_path
from tests.conftest import ROOT

TEMPLATE = ROOT / "templates" / "battery-dependence.qmd.j2"
BRIEFER = "briefer-75-battery-dependence"
TRADE = "trade/usitc-battery-top-imports-2024.csv"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """The default brief, built once from an untouched copy of the corpus."""
    work = tmp_path_factory.mktemp("trace")
    shutil.copytree(ROOT / "corpus", work / "corpus")
    result = build_brief(TEMPLATE, load_corpus(work / "corpus"),
                         store_path(work / "cache"), work / "out", engine="builtin")  # fmt: skip
    return work, result


@pytest.fixture
def corpus(built: tuple[Path, BuildResult], tmp_path: Path) -> Path:
    """A fresh copy of the corpus the brief was built from, for one edit."""
    dest = tmp_path / "corpus"
    shutil.copytree(built[0] / "corpus", dest)
    return dest


def rewrite(corpus: Path, rel: str, change: str, update_sha: bool = True) -> None:
    """Edit a corpus file; record its new sha256 where its manifest keeps it."""
    path = corpus / rel
    old_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_text(change, encoding="utf-8")
    if not update_sha:
        return
    new_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    for manifest in (corpus / "corpus.toml", path.with_suffix(".toml")):
        if manifest.exists():
            manifest.write_text(manifest.read_text().replace(old_sha, new_sha))


def edit_snapshot_line(corpus: Path, line: int, old_end: str, new_end: str) -> None:
    """Change how a line of the snapshot CSV ends (line 1 is the header)."""
    lines = (corpus / TRADE).read_text().splitlines(keepends=True)
    assert lines[line - 1].endswith(old_end)
    lines[line - 1] = lines[line - 1][: -len(old_end)] + new_end
    rewrite(corpus, TRADE, "".join(lines))


def statuses(result: Trace) -> dict[str, str]:
    return {c.claim.name: c.status for c in result.claims} | {
        f"chart:{c.chart.chart}": c.status for c in result.charts
    }


def briefer_names(version: Path) -> set[str]:
    return {c.name for c in load_claims(version).claims if c.doc == BRIEFER}


def test_untouched_corpus_holds(built: tuple[Path, BuildResult]) -> None:
    work, result = built
    checked = trace(result.path, load_corpus(work / "corpus"))
    assert set(statuses(checked).values()) == {"ok"}
    assert len(checked.charts) == 2
    assert checked.holds


def test_prepended_text_moves_quotes_and_they_still_hold(
    built: tuple[Path, BuildResult], corpus: Path
) -> None:
    # Before: the old offsets no longer held the quotes, and trace failed them.
    doc = corpus / "documents" / f"{BRIEFER}.md"
    rewrite(
        corpus, f"documents/{BRIEFER}.md", "Twenty new characters" + doc.read_text()
    )
    checked = trace(built[1].path, load_corpus(corpus))
    got = statuses(checked)
    assert {got[n] for n in briefer_names(built[1].path)} == {"moved"}
    assert {s for n, s in got.items() if n not in briefer_names(built[1].path)} == {
        "ok"
    }
    assert checked.holds
    moved = next(c for c in checked.claims if c.status == "moved")
    assert moved.quote_start == moved.claim.quote_start + 21
    assert (moved.start, moved.end) == (moved.claim.start + 21, moved.claim.end + 21)


def test_document_edited_without_its_sha_is_a_sha_mismatch(
    built: tuple[Path, BuildResult], corpus: Path
) -> None:
    doc = corpus / "documents" / f"{BRIEFER}.md"
    rewrite(corpus, f"documents/{BRIEFER}.md", "x" + doc.read_text(), update_sha=False)
    checked = trace(built[1].path, load_corpus(corpus))
    bad = [c for c in checked.claims if c.status == "sha-mismatch"]
    assert {c.claim.doc for c in bad} == {BRIEFER}
    assert "corpus manifest says" in bad[0].detail
    assert not checked.holds


def test_corrected_number_in_a_quote_is_changed_with_old_and_new(
    built: tuple[Path, BuildResult], corpus: Path
) -> None:
    doc = corpus / "documents" / f"{BRIEFER}.md"
    text = doc.read_text()
    assert text.count("controlling 59% of the world market share") == 1
    rewrite(corpus, f"documents/{BRIEFER}.md",
            text.replace("controlling 59% of the world", "controlling 60% of the world"))  # fmt: skip
    checked = trace(built[1].path, load_corpus(corpus))
    changed = [c for c in checked.claims if c.status != "ok"]
    assert [(c.claim.name, c.status) for c in changed] == [("anode_share", "changed")]
    assert "controlling 60% of the world" in changed[0].now
    assert "59%" in changed[0].detail and "60%" in changed[0].detail


def test_deleted_sentence_is_gone(
    built: tuple[Path, BuildResult], corpus: Path
) -> None:
    doc = corpus / "documents" / f"{BRIEFER}.md"
    text = doc.read_text()
    sentence = "China holds 91% of the world's anode production, with the top five Chinese producers controlling 59% of the world market share. "
    assert sentence in text
    rewrite(corpus, f"documents/{BRIEFER}.md", text.replace(sentence, ""))
    got = statuses(trace(built[1].path, load_corpus(corpus)))
    assert got["anode_share"] == "gone"
    assert {s for n, s in got.items() if n != "anode_share"} == {"ok", "moved"}


def test_changed_snapshot_row_fails_its_charts(
    built: tuple[Path, BuildResult], corpus: Path
) -> None:
    edit_snapshot_line(corpus, 2, ",China,CHN,72\n", ",China,CHN,70\n")
    checked = trace(built[1].path, load_corpus(corpus))
    charts = {c.chart.chart: c for c in checked.charts}
    assert {c.status for c in charts.values()} == {"changed"}
    assert "line 2: share_percent 72 -> 70" in charts["partner_shares"].detail
    assert all(c.status == "ok" for c in checked.claims)


def test_snapshot_cell_the_charts_do_not_draw_moves_them(
    built: tuple[Path, BuildResult], corpus: Path
) -> None:
    # Before: any edit to a cited row failed the chart, even one that left
    # every number it draws as it was.
    edit_snapshot_line(corpus, 3, ",2,South Korea,KOR,7\n", ",2,South Korea,ROK,7\n")
    checked = trace(built[1].path, load_corpus(corpus))
    assert {c.status for c in checked.charts} == {"moved"}
    assert all(c.holds for c in checked.charts)
    detail = checked.charts[0].detail
    assert "line 3: partner_iso3 KOR -> ROK" in detail
    assert "numbers are unchanged" in detail


def test_snapshot_edited_without_its_sha_is_a_sha_mismatch(
    built: tuple[Path, BuildResult], corpus: Path
) -> None:
    csv = corpus / TRADE
    rewrite(corpus, TRADE, csv.read_text() + "\n", update_sha=False)
    checked = trace(built[1].path, load_corpus(corpus))
    assert {c.status for c in checked.charts} == {"sha-mismatch"}


def test_chart_file_that_does_not_match_its_rows(
    built: tuple[Path, BuildResult], tmp_path: Path
) -> None:
    version = tmp_path / "v1"
    shutil.copytree(built[1].path, version)
    spec = version / "charts" / "china_share.vl.json"
    spec.write_text(
        spec.read_text().replace('"share_percent": 72.0', '"share_percent": 27.0', 1)
    )
    got = statuses(trace(version, load_corpus(built[0] / "corpus")))
    assert got["chart:china_share"] == "value-mismatch"


def test_printed_value_that_differs_from_the_fact(
    built: tuple[Path, BuildResult], tmp_path: Path
) -> None:
    # Before: trace compared only the document, never what the brief prints.
    version = tmp_path / "v1"
    shutil.copytree(built[1].path, version)
    qmd = version / "brief.qmd"
    text = qmd.read_text()
    assert '[56%]{.claim data-claim="c2"}' in text
    qmd.write_text(
        text.replace('[56%]{.claim data-claim="c2"}', '[65%]{.claim data-claim="c2"}')
    )
    checked = trace(version, load_corpus(built[0] / "corpus"))
    bad = [c for c in checked.claims if not c.holds]
    assert [(c.claim.name, c.status) for c in bad] == [("share_2021", "value-mismatch")]
    assert "prints '65%'" in bad[0].detail


def test_cli_json_from_another_folder_uses_the_recorded_corpus(
    built: tuple[Path, BuildResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no corpus/ here: the manifest says where it is
    run = CliRunner().invoke(main, ["trace", "--json", str(built[1].path)])
    assert run.exit_code == 0, run.output
    lines = [json.loads(line) for line in run.output.splitlines()]
    assert len(lines) == built[1].claims + 2
    assert {x["status"] for x in lines} == {"ok"}
    assert lines[0]["claim"] == "c1" and lines[0]["location"] == "line 25"
    assert lines[-1]["chart"] == "china_share" and lines[-1]["rows"] == 30


def test_cli_exit_status_and_messages(
    built: tuple[Path, BuildResult], corpus: Path
) -> None:
    doc = corpus / "documents" / f"{BRIEFER}.md"
    rewrite(corpus, f"documents/{BRIEFER}.md",
            doc.read_text().replace("nearly three-quarters", "about two-thirds"))  # fmt: skip
    run = CliRunner().invoke(
        main, ["trace", str(built[1].path), "--corpus", str(corpus)]
    )
    assert run.exit_code == 1
    assert "changed        c1  nearly three-quarters" in run.output
    assert 'now "The US imports about two-thirds' in run.output
    assert "Error: 1 of 29 claims and 2 charts no longer hold: c1" in run.output
