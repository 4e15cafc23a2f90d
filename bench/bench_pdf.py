"""Benchmark the PDF reader against plain pdfplumber on the shared CRS PDFs.

Run: ``.venv/bin/python bench/bench_pdf.py``

For each PDF under ``../shared/corpus-candidates/crs/pdf``, prints the share of
reference sentences that survive intact (``../shared/tools/reading_order.py``
against the congress.gov markdown of the same product) for our reader and for
plain ``page.extract_text()`` (pages joined with a newline), and the seconds
per page of each (best of 3), with totals.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pdfplumber

# The script's folder is on sys.path: the reading-order bench's helpers
# (where the shared set and its scorer are, the reference of a PDF, plain
# pdfplumber's text) serve this one too.
from reading_order import CRS, SCORER, load_scorer, plain, reference

from extract.readers.pdf import read_pdf

RUNS = 3


def best_of(n: int, fn: Callable[[], str]) -> tuple[float, str]:
    """The shortest of n timed runs, in seconds, and the run's result."""
    best, result = float("inf"), ""
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def ours_text(path: Path) -> str:
    """Our reader's text."""
    return read_pdf(path).text


def main() -> None:
    """Print the table."""
    if not (CRS / "pdf").is_dir() or not SCORER.is_file():
        sys.exit(f"{CRS / 'pdf'} or {SCORER} not present; nothing to benchmark")
    scorer = load_scorer()
    head = f"{'file':<52} {'pages':>5} {'ours':>6} {'plain':>6} {'s/p ours':>9} {'s/p plain':>9}"
    print(head)
    print("-" * len(head))
    # pages, intact (ours, plain), sentences, seconds (ours, plain)
    totals = [0.0] * 6
    for pdf in sorted((CRS / "pdf").rglob("*.pdf")):
        md = reference(pdf)
        if md is None:
            print(f"{pdf.name:<52} (no reference markdown; skipped)")
            continue
        t_ours, ours = best_of(RUNS, partial(ours_text, pdf))
        t_plain, base = best_of(RUNS, partial(plain, pdf))
        with pdfplumber.open(pdf) as doc:
            pages = len(doc.pages)
        ref = md.read_text(encoding="utf-8")
        (i_ours, n), (i_plain, _) = scorer.score(ref, ours), scorer.score(ref, base)
        print(
            f"{pdf.name[:52]:<52} {pages:>5} {i_ours / n:>6.3f} {i_plain / n:>6.3f} "
            f"{t_ours / pages:>9.3f} {t_plain / pages:>9.3f}"
        )
        for k, v in enumerate((pages, i_ours, i_plain, n, t_ours, t_plain)):
            totals[k] += v
    all_pages, all_ours, all_plain, sentences, sec_ours, sec_plain = totals
    if not sentences:
        sys.exit("no PDFs with reference markdown found")
    print("-" * len(head))
    print(
        f"{'total':<52} {int(all_pages):>5} {all_ours / sentences:>6.3f} "
        f"{all_plain / sentences:>6.3f} {sec_ours / all_pages:>9.3f} "
        f"{sec_plain / all_pages:>9.3f}"
    )
    print(f"time ratio ours/plain: {sec_ours / sec_plain:.2f}x")


if __name__ == "__main__":
    main()
