"""Benchmark: peak memory and time of each bomb of issue 11, after the budgets.

Run: ``.venv/bin/python bench/bench_hostile.py`` (part of ``make bench``).

Each bomb is a real ``brief`` run in a child process bounded by RLIMIT_DATA
(and RLIMIT_AS where no chart is drawn; vl-convert's V8 reserves more address
space than any sane limit) and a timeout, exactly as the tests in
``tests/hostile/`` run them. The table gives the child's exit status, its peak
resident memory (ru_maxrss) and wall time, and the first line of its stderr.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.hostile.bounded import Outcome, run_bounded
from tests.hostile.conftest import TRADE, template, write_corpus
from tests.hostile.pdfs import glyph_bomb, zip_bomb

HEADER = "year,hts10,description,total_value_usd,partner_rank,partner,partner_iso3,share_percent\n"
TEMPLATE_BOMBS = {
    "template 'A' * 10**10": "{{ 'A' * 10**10 }}",
    "template range(10**8)": "{{ range(10**8) | list | length }}",
    "template recursive macro": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}",
    "template nested loops 10**10": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "template doubling ~ 64 times": "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
}  # fmt: skip
CHART = "  charts:\n    shares:\n      kind: china_share\n      data: top\n      caption: x\n"


def build(
    work: Path, name: str, body: str, corpus: str = "corpus", trade: bool = False
) -> Outcome:
    path = work / f"{name.replace(' ', '-')}.qmd.j2"
    path.write_text(template(body, trade=trade, charts=CHART if trade else ""))
    args = ["build", str(path), "--corpus", corpus, "--cache", "cache",
            "--out", f"out-{abs(hash(name))}", "--engine", "builtin"]  # fmt: skip
    return run_bounded(args, work, timeout=300, address_space=not trade)


def trade_corpus(work: Path, name: str, csv: bytes) -> str:
    corpus = work / f"corpus-{name}"
    shutil.copytree(work / "corpus", corpus)
    target = corpus / "trade" / f"{TRADE}.csv"
    old = hashlib.sha256(target.read_bytes()).hexdigest()
    target.write_bytes(csv)
    toml = target.with_suffix(".toml")
    toml.write_text(toml.read_text().replace(old, hashlib.sha256(csv).hexdigest()))
    return str(corpus)


def pdf_case(work: Path, name: str, data: bytes) -> Outcome:
    path = work / f"{name}.pdf"
    path.write_bytes(data)
    return run_bounded(["facts", str(path)], work, timeout=300)


def line_case(work: Path, n: int) -> Outcome:
    path = work / f"line-{n}.txt"
    phrase = "exports rose 12% to $3.4 billion in 2024 while 45 tonnes of graphite cost 7,500 yuan, "
    path.write_text((phrase * (n // len(phrase) + 1))[:n] + "\n")
    return run_bounded(["facts", str(path), "--summary"], work, timeout=600)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    write_corpus(work / "corpus")
    run_bounded(["extract", "--corpus", "corpus", "--cache", "cache"], work)
    row = "2024,8507600020,Batteries,18740000000,1,China,CHN,{share}\n"
    cases: dict[str, Callable[[], Outcome]] = {
        name: (lambda body=body, name=name: build(work, name, body))
        for name, body in TEMPLATE_BOMBS.items()
    }
    cases |= {
        "PDF 3M glyphs (7 KB)": lambda: pdf_case(work, "g3m", glyph_bomb(3_000_000)),
        "PDF 1M glyphs (3 KB)": lambda: pdf_case(work, "g1m", glyph_bomb(1_000_000)),
        "PDF content inflating to 64 MB": lambda: pdf_case(work, "zip", zip_bomb(64)),
        "trade share 3,000,000%": lambda: build(
            work, "share", '{{ chart("shares") }}',
            trade_corpus(work, "share", (HEADER + row.format(share=3000000)).encode()), True),
        "trade 1M duplicate rows": lambda: build(
            work, "dups", '{{ chart("shares") }}',
            trade_corpus(work, "dups", (HEADER + row.format(share=72) * 1_000_000).encode()), True),
        "text one 1,000,000-character line": lambda: line_case(work, 1_000_000),
    }  # fmt: skip
    print(
        f"{'bomb':<36} {'exit':>4} {'peak MB':>8} {'seconds':>8}  first line of stderr"
    )
    for name, run in cases.items():
        o = run()
        first = (o.stderr.strip().splitlines() or [o.stdout.strip().splitlines()[-1]])[
            0
        ]
        print(
            f"{name:<36} {o.returncode:>4} {o.peak_mb:>8.0f} {o.seconds:>8.1f}  {first[:110]}"
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
