"""Benchmark: extraction time against input length for one long sentence.

Run: ``.venv/bin/python bench/bench_linear.py [SIZES...]`` (part of ``make bench``).

Each size is one single-sentence line (no period, no line break) of figures,
dates, codes and words, read as a ``.txt`` document and put through the whole
``extract_facts`` (spaCy pipeline, quantities with their years, claims, MOFCOM,
tables), each size in a fresh process with a time limit. Linear extraction
shows as a flat seconds-per-100k-characters column.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

SIZES = (25_000, 50_000, 100_000, 250_000, 1_000_000)
LIMIT = 300  # seconds per size before it is reported as a timeout
PHRASE = (
    "exports rose 12% to $3.4 billion in 2024 while 45 tonnes of graphite under "
    "HS 2504 and ECCN 3A001 cost about 7,500 yuan per ton from March 3, 2025 and "
    "Section 232 duties of 25 percent applied to 14 such companies, "
)


def sentence(n: int) -> str:
    """One sentence of ``n`` characters."""
    return (PHRASE * (n // len(PHRASE) + 1))[:n]


def run_one(n: int) -> None:
    """Extract the facts of one ``n``-character sentence; print seconds and facts."""
    from extract.facts import extract_facts
    from extract.nlp import pipeline
    from extract.readers import read_bytes

    text = read_bytes(Path("long.txt"), sentence(n).encode())
    pipeline()  # built before the clock starts
    t0 = time.perf_counter()
    facts = extract_facts("long", "0" * 64, text)
    print(f"{time.perf_counter() - t0:.2f} {len(facts)}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        run_one(int(argv[1]))
        return 0
    sizes = [int(a) for a in argv] or list(SIZES)
    print(f"{'characters':>12} {'seconds':>9} {'s per 100k':>11} {'facts':>7}")
    for n in sizes:
        try:
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(n)],
                capture_output=True, text=True, timeout=LIMIT, check=True,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            print(f"{n:>12,} {'>' + str(LIMIT):>9} {'-':>11} {'-':>7}")
            continue
        except subprocess.CalledProcessError as e:
            print(f"{n:>12,} failed: {e.stderr.strip().splitlines()[-1:]}")
            continue
        seconds, facts = out.stdout.split()
        per = float(seconds) / n * 100_000
        print(f"{n:>12,} {float(seconds):>9.2f} {per:>11.2f} {int(facts):>7,}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
