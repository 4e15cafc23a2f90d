"""Fetched trade data as a snapshot a template can chart: fetch --out, then build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefs.build import build_brief
from briefs.errors import BuildError
from briefs.snapshot import load_snapshot
from briefs.trade.fetch import fetch_census_imports
from extract.corpus import load_corpus
from extract.store import store_path
from tests.conftest import ROOT, CannedReply

BRIEF = Path(sys.executable).parent / "brief"
RECORDED = ROOT / "tests" / "fixtures" / "census" / "imports-hs-850760-partners.json"
TEMPLATE = """---
title: "Lithium-ion imports"
format:
  html:
    embed-resources: true
brief:
  id: li-ion-trade
  facts:
    share:
      doc: briefer-75-battery-dependence
      quote: "nearly three-quarters of its lithium-ion"
  trade:
    li_ion: trade/li-ion.csv
  charts:
    shares: {kind: trade_partner_shares, data: li_ion, caption: "Partners"}
    china: {kind: trade_china_share, data: li_ion, caption: "China's share"}
---

The US imports {{ fact("share") }} of its lithium-ion batteries from China (@fig-shares).

{{ chart("shares") }}

{{ chart("china") }}
"""


@pytest.fixture
def fetched(corpus_copy: Path, tmp_path: Path) -> Path:
    """A work folder whose corpus has a snapshot written by 'brief trade fetch --out'."""
    body = RECORDED.read_bytes()
    cache = tmp_path / ".cache" / "tracebrief"
    fetch_census_imports("850760", range(2024, 2025), True, cache, None,
                         opener=lambda request, timeout: CannedReply(body))  # fmt: skip
    result = subprocess.run(
        [str(BRIEF), "trade", "fetch", "--hts", "850760", "--years", "2024", "--by",
         "partner", "--out", "corpus/trade/li-ion.csv"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "rows of general_imports in corpus/trade/li-ion.csv" in result.stdout
    return tmp_path


def test_fetch_out_writes_a_checked_snapshot(fetched: Path) -> None:
    snapshot = load_snapshot(fetched / "corpus", "li_ion", "trade/li-ion.csv")
    assert snapshot.kind == "frame"
    assert set(snapshot.frame["flow"]) == {"general_imports"}
    assert set(snapshot.frame["hs6"].dropna()) == {"850760"}
    assert snapshot.provenance["source_sha256"]
    assert "api.census.gov" in snapshot.provenance["query"]
    assert "Census international trade API" in snapshot.source_note


def test_a_template_charts_the_fetched_snapshot(fetched: Path) -> None:
    template = fetched / "li-ion.qmd.j2"
    template.write_text(TEMPLATE, encoding="utf-8")
    corpus = load_corpus(fetched / "corpus")
    result = build_brief(template, corpus, store_path(fetched / "cache"), fetched / "out",
                         engine="builtin")  # fmt: skip
    charts = result.path / "charts"
    for name in ("shares", "china"):
        assert (charts / f"{name}.svg").read_text(encoding="utf-8").startswith("<svg")
    assert "Census international trade API" in (charts / "shares.vl.json").read_text()
    manifest = (result.path / "manifest.json").read_text()
    assert "li-ion.csv" in manifest


def test_published_chart_kinds_refuse_a_frame_snapshot(fetched: Path) -> None:
    template = fetched / "wrong.qmd.j2"
    text = TEMPLATE.replace("kind: trade_partner_shares", "kind: partner_shares")
    template.write_text(text, encoding="utf-8")
    corpus = load_corpus(fetched / "corpus")
    with pytest.raises(
        BuildError, match="chart kind 'partner_shares' needs a published table"
    ):
        build_brief(template, corpus, store_path(fetched / "cache"), fetched / "out",
                    engine="builtin")  # fmt: skip
    assert not list((fetched / "out" / "li-ion-trade").glob("v*"))


def test_area_chart_needs_two_years(fetched: Path) -> None:
    template = fetched / "area.qmd.j2"
    text = TEMPLATE.replace("kind: trade_china_share", "kind: trade_imports_by_partner")
    template.write_text(text, encoding="utf-8")
    corpus = load_corpus(fetched / "corpus")
    with pytest.raises(
        BuildError, match="needs two years or more; load or fetch a range"
    ):
        build_brief(template, corpus, store_path(fetched / "cache"), fetched / "out",
                    engine="builtin")  # fmt: skip


def test_an_edited_snapshot_is_refused(fetched: Path) -> None:
    csv = fetched / "corpus" / "trade" / "li-ion.csv"
    csv.write_text(csv.read_text() + csv.read_text().splitlines()[-1] + "\n")
    with pytest.raises(BuildError, match=r"li-ion\.csv: sha256 is "):
        load_snapshot(fetched / "corpus", "li_ion", "trade/li-ion.csv")
