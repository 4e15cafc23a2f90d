"""Hostile trade snapshots (issue 11 items 3, 4 and 6): refused, naming file and row.

Before: 1e23 became -9223372036854775808 and was charted, negative values and
shares of 500% were accepted, a share of 3,000,000% aborted the build natively
(rc 134, a 60 GB allocation), and empty, header-only, inf and binary files gave
tracebacks.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from briefs.trade.dataweb import load_dataweb
from briefs.trade.frame import TradeDataError
from tests.hostile.bounded import run_bounded
from tests.hostile.conftest import TRADE, template

HEADER = "year,hts10,description,total_value_usd,partner_rank,partner,partner_iso3,share_percent\n"
GOOD = (
    '2024,8507600020,"Lithium-Ion Storage Batteries, Nesoi",18740000000,1,China,CHN,72\n'
    '2024,8507600020,"Lithium-Ion Storage Batteries, Nesoi",18740000000,2,South Korea,KOR,7\n'
)
CHART = (
    "  charts:\n    shares:\n      kind: china_share\n      data: top\n"
    "      caption: China's share\n"
)


def row(value: str = "18740000000", share: str = "72", partner: str = "Japan") -> str:
    return f"2024,8507600020,Batteries,{value},3,{partner},JPN,{share}\n"


CASES: dict[str, tuple[bytes, str]] = {
    "negative": ((HEADER + GOOD + row(value="-5")).encode(), "row 4: 'total_value_usd' = -5.0 is below 0"),
    "share-500": ((HEADER + GOOD + row(share="500")).encode(), "row 4: 'share_percent' = 500.0 is above 100"),
    "share-3000000": ((HEADER + row(share="3000000")).encode(), "row 2: 'share_percent' = 3000000.0 is above 100"),
    "past-precision": ((HEADER + GOOD + row(value="1e23")).encode(), "row 4: 'total_value_usd' = 1e+23 is past float64 integer precision"),
    "inf": ((HEADER + GOOD + row(value="inf")).encode(), "row 4: 'total_value_usd' = inf is not a finite number"),
    "nan": ((HEADER + row(share="nan")).encode(), "row 2: 'share_percent'"),
    "shares-over-100": ((HEADER + GOOD + row(share="30")).encode(), "add up to 109%, more than 100%"),
    "duplicate": ((HEADER + GOOD + GOOD[: GOOD.index("\n") + 1]).encode(), "row 4: duplicate of row 2"),
    "million-duplicates": ((HEADER + row() * 1_000_000).encode(), "1,000,000 rows is more than a snapshot may have"),
    "empty": (b"", "the trade snapshot is empty"),
    "header-only": (HEADER.encode(), "has a header but no rows"),
    "binary": (bytes(range(256)) * 64, "not a CSV text file (binary data at byte 0)"),
    "ragged": ((HEADER + '2024,"unclosed\n').encode(), "not a well-formed CSV"),
}  # fmt: skip


def snapshot_corpus(tiny: Path, case: str, data: bytes) -> Path:
    """A copy of the tiny corpus whose snapshot holds ``data`` (sha256 updated)."""
    corpus = tiny / f"corpus-trade-{case}"
    shutil.copytree(tiny / "corpus", corpus)
    csv = corpus / "trade" / f"{TRADE}.csv"
    csv.write_bytes(data)
    toml = csv.with_suffix(".toml")
    old = hashlib.sha256((tiny / "corpus" / "trade" / f"{TRADE}.csv").read_bytes())
    new = hashlib.sha256(data).hexdigest()
    toml.write_text(toml.read_text().replace(old.hexdigest(), new))
    return corpus


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_snapshot_is_one_error_line(tiny: Path, case: str) -> None:
    data, message = CASES[case]
    corpus = snapshot_corpus(tiny, case, data)
    path = tiny / f"trade-{case}.qmd.j2"
    path.write_text(template('{{ chart("shares") }}\n', trade=True, charts=CHART))
    outcome = run_bounded(
        ["build", str(path), "--corpus", str(corpus), "--cache", "cache",
         "--out", f"out-trade-{case}", "--engine", "builtin"],
        tiny, timeout=60, address_space=False,
    )  # fmt: skip
    assert outcome.returncode == 1, outcome.stderr
    line = outcome.only_error
    assert line.startswith(f"Error: {corpus / 'trade' / TRADE}.csv"), line
    assert message in line


def test_binary_dataweb_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8)
    with pytest.raises(TradeDataError, match=r"export\.csv: not a DataWeb CSV export"):
        load_dataweb(path)


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([{"share": 3e4 * 100}] * 2, None),
        ([{"share": float("inf")}], "would draw share = inf"),
        ([{"value": 6e22}], "would draw value = 6e+22"),
        ([{"x": 1}] * 20_001, "would draw 20,001 rows"),
    ],
)
def test_chart_data_is_bounded_before_vl_convert(
    records: list[dict[str, float]], message: str | None
) -> None:
    from briefs.build import check_chart_data
    from briefs.errors import BuildError

    spec = {"datasets": {"d": records}}
    if message is None:
        check_chart_data(Path("t.csv"), "c", spec)
        return
    with pytest.raises(BuildError, match=re.escape(message)):
        check_chart_data(Path("t.csv"), "c", spec)
