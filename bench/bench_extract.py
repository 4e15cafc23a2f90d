"""Benchmark: whole extraction against plain pdfplumber, and facts per document.

Run: ``.venv/bin/python bench/bench_extract.py`` (or ``make bench``).

1. For each shared CRS PDF (``../shared/corpus-candidates/crs/pdf``): seconds per
   page for plain pdfplumber ``extract_text()``, for our reader alone, and for
   the whole extraction (reader + spaCy pipeline + quantity facts); best of 3.
2. For the bundled corpus: facts per document and the time to extract each.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from extract.corpus import load_corpus, read_checked
from extract.facts import extract_facts
from extract.nlp import pipeline
from extract.readers import read_bytes
from extract.readers.pdf import read_pdf

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus-candidates" / "crs" / "pdf"


def best_of(n: int, fn: Callable[[], object]) -> float:
    """The shortest of n timed runs, in seconds."""
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def plain(path: Path) -> str:
    """What plain pdfplumber gives."""
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def whole(path: Path) -> int:
    """Our whole extraction of one PDF; the number of facts."""
    return len(extract_facts(path.stem, "0" * 64, read_pdf(path), path=path))


def bench_pdfs() -> None:
    """Table 1: seconds per page on the shared CRS PDFs."""
    pdfs = sorted(SHARED.rglob("*.pdf"))
    if not pdfs:
        print(f"(skipped: no PDFs under {SHARED})\n")
        return
    pipeline()  # built once, as in a real run
    print(
        "| file | pages | plain s/page | reader s/page | whole s/page | ratio | facts |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    sums = [0, 0.0, 0.0, 0.0, 0]
    for path in pdfs:
        pages = read_pdf(path).pages
        t_plain = best_of(3, lambda p=path: plain(p))
        t_read = best_of(3, lambda p=path: read_pdf(p))
        t_whole = best_of(3, lambda p=path: whole(p))
        n = whole(path)
        row = [pages, t_plain, t_read, t_whole, n]
        sums = [a + b for a, b in zip(sums, row, strict=True)]
        print(
            f"| {path.name} | {pages} | {t_plain / pages:.3f} | {t_read / pages:.3f}"
            f" | {t_whole / pages:.3f} | {t_whole / t_plain:.2f}x | {n} |"
        )
    pages, t_plain, t_read, t_whole, n = sums
    print(
        f"| **all** | {pages} | {t_plain / pages:.3f} | {t_read / pages:.3f} "
        f"| {t_whole / pages:.3f} | {t_whole / t_plain:.2f}x | {n} |\n"
    )


def bench_corpus() -> None:
    """Table 2: facts per bundled corpus document."""
    corpus = load_corpus(ROOT / "corpus")
    print("| document | kind | facts | seconds |")
    print("| --- | --- | ---: | ---: |")
    for doc in corpus.documents:
        t0 = time.perf_counter()
        text = read_bytes(corpus.path_of(doc), read_checked(corpus, doc))
        facts = extract_facts(doc.id, doc.sha256, text)
        dt = time.perf_counter() - t0
        print(f"| {doc.id} | {doc.kind} | {len(facts)} | {dt:.3f} |")


def main() -> int:
    """Run both tables."""
    bench_pdfs()
    bench_corpus()
    return 0


if __name__ == "__main__":
    sys.exit(main())
