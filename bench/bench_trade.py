"""Benchmark the trade frame: check_frame and each aggregation at a million rows.

Run: ``.venv/bin/python bench/bench_trade.py [--rows 1000000]``

Builds a synthetic frame of the schema in :mod:`briefs.trade.frame` with
realistic cardinalities: about 200 partners (China among them), 500 HS-6
codes, 6 years x 12 months, one response (sha256) per HS-6 code, and a world
row for each code and month whose value is the sum over partners. Values are
random (seeded), not real trade.

Each step runs in its own subprocess, on a freshly built frame, so memory
numbers do not leak between steps. Per step it prints the best of 3 wall
times, the tracemalloc peak of one run (allocations made by Python and
numpy during the step), and the process's peak resident set size
(``ru_maxrss``) before and after the step (the frame itself is in both).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefs.trade import aggregate  # noqa: E402
from briefs.trade.exposure import exposure_table  # noqa: E402
from briefs.trade.frame import check_frame  # noqa: E402

PARTNERS = 200
CODES = 500
YEARS = range(2019, 2025)
SEED = 20251009
MOFCOM_58 = ("85076000", "28429040", "28539030", "28539050")


def synthetic(rows: int, seed: int = SEED) -> pd.DataFrame:
    """A raw (unchecked) frame of about ``rows`` rows with the schema's columns."""
    rng = np.random.default_rng(seed)
    months = len(YEARS) * 12
    partner_rows = rows - CODES * months  # the rest are world rows
    iso = np.array(["CHN", *[f"P{i:02X}" for i in range(1, PARTNERS)]], dtype=object)
    names = np.array(
        ["China", *[f"Partner {i}" for i in range(1, PARTNERS)]], dtype=object
    )
    controlled = ["850760", "284290", "285390"]  # HS-6 of MOFCOM No. 58/2025 codes
    others = sorted(_codes(rng) - set(controlled))[: CODES - len(controlled)]
    hs6 = np.array(controlled + others, dtype=object)
    weight = rng.pareto(1.2, PARTNERS) + 0.05
    weight[0] *= 30  # China is a large supplier
    p = rng.choice(PARTNERS, partner_rows, p=weight / weight.sum())
    c = rng.integers(0, CODES, partner_rows)
    t = rng.integers(0, months, partner_rows)
    value = np.round(rng.lognormal(13, 2, partner_rows), 0)
    flows = pd.DataFrame({"p": p, "c": c, "t": t, "v": value})
    world = flows.groupby(["c", "t"], as_index=False)["v"].sum().assign(p=-1)
    both = pd.concat([flows, world], ignore_index=True)
    return _frame(both, iso, names, hs6)


def _codes(rng: np.random.Generator) -> set[str]:
    """A few more than CODES random six-digit codes in chapters 01-97."""
    chapters = rng.integers(1, 98, CODES + 50)
    rest = rng.integers(0, 10_000, CODES + 50)
    return {f"{a:02d}{b:04d}" for a, b in zip(chapters, rest, strict=True)}


def _frame(
    both: pd.DataFrame, iso: np.ndarray, names: np.ndarray, hs6: np.ndarray
) -> pd.DataFrame:
    """The schema's columns from partner, code, month and value indices."""
    n = len(both)
    world = both["p"].to_numpy() < 0
    p = both["p"].to_numpy().clip(0)
    c = both["c"].to_numpy()
    t = both["t"].to_numpy()
    code = hs6[c]
    shas = np.array([f"{i:064x}" for i in range(len(hs6))], dtype=object)
    order = np.lexsort((t, c))
    source_row = np.empty(n, dtype="int64")
    source_row[order] = np.arange(n) - np.searchsorted(c[order], c[order]) + 2
    return pd.DataFrame(
        {
            "year": YEARS[0] + t // 12,
            "month": t % 12 + 1,
            "flow": "general_imports",
            "reporter": "United States",
            "reporter_iso3": "USA",
            "partner": np.where(world, "World", names[p]),
            "partner_iso3": np.where(world, "WLD", iso[p]),
            "code": code,
            "code_system": "HS6",
            "hs6": code,
            "description": "SYNTHETIC COMMODITY",
            "value_usd": both["v"].to_numpy(),
            "quantity": np.nan,
            "quantity_unit": None,
            "dataset": "synthetic benchmark frame",
            "source_sha256": shas[c],
            "query": "synthetic",
            "source_row": source_row,
        }
    )


STEPS: dict[str, Callable[[pd.DataFrame], object]] = {
    "check_frame": lambda raw: check_frame(raw, "bench"),
    "partner_shares": aggregate.partner_shares,
    "china_share by year": aggregate.china_share,
    "china_share by month": lambda f: aggregate.china_share(f, "month"),
    "top_partners n=10": lambda f: aggregate.top_partners(f, n=10),
    "concentration": aggregate.concentration,
    "year_over_year": aggregate.year_over_year,
    "exposure_table (4 codes)": lambda f: exposure_table(f, MOFCOM_58),
}


def max_rss_mb() -> float:
    """The process's peak resident set size so far, in MB (Linux: KiB units)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(step: str, rows: int) -> dict[str, float]:
    """Time and memory of one step on a fresh frame (run in a subprocess)."""
    raw = synthetic(rows)
    frame = raw if step == "check_frame" else check_frame(raw, "bench")
    if step != "check_frame":
        del raw
    gc.collect()
    before = max_rss_mb()
    fn = STEPS[step]
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        fn(frame)
        best = min(best, time.perf_counter() - t0)
    after = max_rss_mb()
    tracemalloc.start()
    fn(frame)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": len(frame),
        "seconds": best,
        "traced_peak_mb": peak / 2**20,
        "rss_before_mb": before,
        "rss_after_mb": after,
    }


def run_all(rows: int) -> None:
    """One subprocess per step; print a markdown table."""
    print(f"Synthetic frame: {rows:,} rows requested, {PARTNERS} partners, "
          f"{CODES} HS-6 codes, {len(YEARS)} years x 12 months.\n")  # fmt: skip
    print(
        "| step | s (best of 3) | tracemalloc peak MB | max RSS before MB | max RSS after MB |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for step in STEPS:
        out = subprocess.run(
            [sys.executable, __file__, "--rows", str(rows), "--step", step],
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(out.stdout)
        print(
            f"| {step} | {r['seconds']:.3f} | {r['traced_peak_mb']:.0f} "
            f"| {r['rss_before_mb']:.0f} | {r['rss_after_mb']:.0f} |"
        )
    print(f"\n(frame rows: {int(r['rows']):,})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--step", choices=list(STEPS), help="run one step, print JSON")
    args = parser.parse_args()
    if args.step:
        print(json.dumps(measure(args.step, args.rows)))
    else:
        run_all(args.rows)


if __name__ == "__main__":
    main()
