"""brief trade load: DataWeb, Census and Comtrade files an author has, as snapshots."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from briefs.snapshot import load_snapshot
from briefs.trade.frame import TradeDataError
from briefs.trade.load import detect_format, load_trade_file
from tests.conftest import ROOT, shared

BRIEF = Path(sys.executable).parent / "brief"
FIXTURES = ROOT / "tests" / "fixtures"
DATAWEB = FIXTURES / "trade" / "dataweb-general-imports-monthly.csv"
CENSUS = FIXTURES / "census" / "imports-hs-850760-partners.json"
COMTRADE = FIXTURES / "trade" / "comtrade-preview-2023.json"


def load(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BRIEF), "trade", "load", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("path", "args", "fmt", "flow"),
    [
        (DATAWEB, ("--hts", "3801.10"), "dataweb", "general_imports"),
        (CENSUS, ("--flow", "general_imports"), "census", "general_imports"),
        (COMTRADE, ("--flow", "imports"), "comtrade", "imports"),
    ],
)
def test_each_format_becomes_a_checked_snapshot(
    tmp_path: Path, path: Path, args: tuple[str, ...], fmt: str, flow: str
) -> None:
    run = load(str(path), *args, "--out", "corpus/trade/x.csv", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (
        f"rows of {flow} (" in run.stdout
        and f", {fmt}) in corpus/trade/x.csv" in run.stdout
    )
    snapshot = load_snapshot(tmp_path / "corpus", "x", "trade/x.csv")
    assert snapshot.kind == "frame"
    assert set(snapshot.frame["flow"]) == {flow}
    provenance = snapshot.provenance
    assert (provenance["format"], provenance["source_file"]) == (fmt, path.name)
    assert provenance["source_sha256"] == sha256(path)
    assert set(snapshot.frame["source_sha256"]) == {sha256(path)}


def test_a_census_table_saved_as_csv_reads_like_the_json(tmp_path: Path) -> None:
    rows = [
        ["CTY_CODE", "CTY_NAME", "GEN_VAL_MO", "MONTH", "COMM_LVL", "I_COMMODITY", "YEAR"],
        ["-", "TOTAL FOR ALL COUNTRIES", "100", "01", "HS6", "850760", "2024"],
        ["5700", "CHINA", "70", "01", "HS6", "850760", "2024"],
    ]  # fmt: skip
    path = tmp_path / "census.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    loaded = load_trade_file(path)
    assert loaded.format == "census"
    assert sorted(loaded.frame["partner_iso3"]) == ["CHN", "WLD"]
    assert loaded.frame["source_row"].tolist() == [2, 3]


def test_a_dataweb_export_without_its_commodity_needs_one_hts(tmp_path: Path) -> None:
    run = load(str(DATAWEB), "--out", "x.csv", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.strip() == (
        f"Error: {DATAWEB}: the export does not say its commodity; name it with one --hts CODE"
    )
    assert not (tmp_path / "x.csv").exists()


def test_codes_not_in_the_file_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(
        TradeDataError, match=r"no rows for HTS 9999; the file has codes"
    ):
        load_trade_file(COMTRADE, hts=("9999",))


def test_several_flows_need_a_choice(tmp_path: Path) -> None:
    with pytest.raises(TradeDataError, match="choose one with --flow"):
        load_trade_file(CENSUS)
    with pytest.raises(TradeDataError, match="the file has flows exports, imports"):
        load_trade_file(COMTRADE)


def test_formats_are_told_apart() -> None:
    assert detect_format(Path("a.xlsx"), b"PK\x03\x04") == "dataweb"
    assert detect_format(Path("a.json"), b'{"data": []}') == "comtrade"
    assert detect_format(Path("a.csv"), b"typeCode,reporterCode,cmdCode") == "comtrade"
    assert detect_format(Path("a.csv"), b"CTY_CODE,CTY_NAME,I_COMMODITY") == "census"
    with pytest.raises(TradeDataError, match="name the format with --format"):
        detect_format(Path("a.txt"), b"hello")


# -- the real exports in ../shared ------------------------------------------------


def test_real_dataweb_xlsx(tmp_path: Path) -> None:
    path = shared("trade-dataweb", "windturbine-parts-hts10-by-country-2024",
                  "DataWeb-Query-Export.xlsx")  # fmt: skip
    loaded = load_trade_file(path, hts=("8501",))
    assert loaded.format == "dataweb" and loaded.years == (2024,)
    assert all(c.startswith("8501") for c in loaded.codes)
    assert loaded.frame["value_usd"].sum() > 0


def test_real_dataweb_csv_names_its_commodity(tmp_path: Path) -> None:
    path = shared("trade-dataweb", "cosmetics-3304.99-monthly-2015-2024",
                  "DataWeb-Query-Export.csv")  # fmt: skip
    loaded = load_trade_file(path, hts=("3304.99",))
    assert loaded.codes == ("3304.99",)
    assert loaded.span == "2015-2024"


def test_real_census_csv(tmp_path: Path) -> None:
    path = shared("trade-census", "census-imports-hs6-2020-seafood.csv")
    loaded = load_trade_file(path, hts=("030111",))
    assert loaded.format == "census" and loaded.codes == ("030111",)
    assert loaded.years == (2020,)
    assert "WLD" in set(loaded.frame["partner_iso3"])


def test_real_comtrade_json(tmp_path: Path) -> None:
    path = shared("trade-comtrade-api", "comtrade-v1-get-C-A-HS.json")
    loaded = load_trade_file(path, flow="imports")
    assert loaded.format == "comtrade"
    assert len(loaded.frame) > 0


LOADED_TEMPLATE = """---
title: "Lithium-ion imports"
brief:
  id: li-ion-loaded
  facts:
    share:
      doc: briefer-75-battery-dependence
      quote: "nearly three-quarters of its lithium-ion"
  trade:
    li_ion: trade/li-ion.csv
  charts:
    over_time: {kind: trade_china_share, data: li_ion, caption: "China's share by month"}
    exposure:
      kind: export_control_exposure
      data: li_ion
      codes_from: mofcom-oct-2025-export-controls
      caption: "US imports under the controlled codes"
  tables:
    exposure_table:
      kind: export_control_exposure
      data: li_ion
      codes: ["85076000"]
      caption: "The battery code joined to US imports"
---

The US imports {{ fact("share") }} of its lithium-ion batteries from China (@fig-over-time, @fig-exposure, @tbl-exposure-table).

{{ chart("over_time") }}

{{ chart("exposure") }}

{{ table("exposure_table") }}
"""


def test_a_loaded_file_is_charted_over_time_and_against_the_controls(
    corpus_copy: Path, tmp_path: Path
) -> None:
    from briefs.build import build_brief
    from extract.corpus import load_corpus
    from extract.store import store_path

    run = load(str(CENSUS), "--flow", "general_imports", "--out",
               str(corpus_copy / "trade" / "li-ion.csv"), cwd=tmp_path)  # fmt: skip
    assert run.returncode == 0, run.stderr
    template = tmp_path / "li-ion.qmd.j2"
    template.write_text(LOADED_TEMPLATE, encoding="utf-8")
    result = build_brief(template, load_corpus(corpus_copy), store_path(tmp_path / "cache"),
                         tmp_path / "out", engine="builtin", strict=True)  # fmt: skip
    qmd = (result.path / "brief.qmd").read_text(encoding="utf-8")
    rows = [line for line in qmd.splitlines() if line.startswith("| ")]
    assert len(rows) == 2 and rows[1].startswith("| Lithium-ion batteries")
    assert rows[1].split(" | ")[1] == "85076000"
    assert "{#tbl-exposure-table}" in qmd and 'fig-alt="A line of China' in qmd
    for name in ("over_time", "exposure"):
        assert (result.path / "charts" / f"{name}.svg").read_text().startswith("<svg")
