"""Benchmark: whole extraction against plain pdfplumber, and facts per document.

Run: ``.venv/bin/python bench/bench_extract.py`` (or ``make bench``).

1. Over all shared CRS PDFs (``../shared/corpus-candidates/crs/pdf``), each
   method in a fresh process: pages per second (wall and per CPU second) and
   peak memory (max RSS) for plain pdfplumber ``extract_text()``, pypdfium2's
   plain text, our reader (``brief text``) and the whole extraction (``brief
   facts``: reader, tables, spaCy pipeline, every fact kind), with the ratios
   to pdfplumber and to pypdfium2. ``--only-processes`` stops there.
2. For each of those PDFs: seconds per page, best of 3.
3. For the bundled corpus: facts per document and the time to extract each.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

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


def pdfium_text(path: Path) -> str:
    """pypdfium2's own text, page after page: the speed limit of a PDF parse."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        parts = []
        for page in pdf:
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\f".join(parts)
    finally:
        pdf.close()


def reader(path: Path) -> str:
    """Our reader: what ``brief text`` prints."""
    return read_pdf(path).paged_text()


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


METHODS = {
    "plain": ("plain pdfplumber extract_text()", plain),
    "pdfium": ("pypdfium2 get_text_range()", pdfium_text),
    "text": ("brief text (our reader)", reader),
    "facts": ("brief facts (whole extraction)", whole),
}


def worker(method: str) -> None:
    """Run one method over every shared PDF once; print wall and CPU seconds, RSS."""
    pdfs = sorted(SHARED.rglob("*.pdf"))
    run = METHODS[method][1]
    if method == "facts":
        pipeline()  # start-up is paid once per process, outside the timing
    t0, c0 = time.perf_counter(), time.process_time()
    for path in pdfs:
        run(path)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(wall, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux


def bench_processes() -> None:
    """Table 1: pages per second and peak memory, each method in its own process."""
    pdfs = sorted(SHARED.rglob("*.pdf"))
    if not pdfs:
        print(f"(skipped: no PDFs under {SHARED})\n")
        return
    pages = sum(len(pdfium.PdfDocument(str(p))) for p in pdfs)
    print(f"{len(pdfs)} PDFs, {pages} pages\n")
    print(
        "| method | seconds | pages/s | pages/CPU-s | peak RSS MiB | x pdfplumber | x pypdfium2 |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    rates: dict[str, float] = {}
    for method, (label, _) in METHODS.items():
        out = subprocess.run([sys.executable, __file__, "--worker", method],
                             capture_output=True, text=True, check=True)  # fmt: skip
        wall, cpu, rss = out.stdout.split()[-3:]
        rates[method] = pages / float(cpu)
        vs_plain = rates[method] / rates["plain"]
        vs_pdfium = (
            rates[method] / rates["pdfium"] if "pdfium" in rates else float("nan")
        )
        print(
            f"| {label} | {float(wall):.2f} | {pages / float(wall):.1f} "
            f"| {rates[method]:.1f} | {int(rss) / 1024:.0f} | {vs_plain:.2f} | {vs_pdfium:.2f} |"
        )
    print(
        "\nTargets: brief facts >= 25 pages per CPU second and >= 3x pdfplumber; "
        "CPU seconds, not wall: the machine may be shared.\n"
    )


def bench_corpus() -> None:
    """Table 2: facts per bundled corpus document."""
    corpus = load_corpus(ROOT / "corpus")
    print("| document | kind | facts | seconds |")
    print("| --- | --- | ---: | ---: |")
    for doc in corpus.documents:
        t0 = time.perf_counter()
        text = read_bytes(corpus.path_of(doc), read_checked(corpus, doc))
        facts = extract_facts(doc.id, doc.sha256, text, path=corpus.path_of(doc))
        dt = time.perf_counter() - t0
        print(f"| {doc.id} | {doc.kind} | {len(facts)} | {dt:.3f} |")


def main() -> int:
    """Run the three tables (or, with --worker METHOD, one timed run)."""
    if sys.argv[1:2] == ["--worker"]:
        worker(sys.argv[2])
        return 0
    bench_processes()
    if "--only-processes" in sys.argv:
        return 0
    bench_pdfs()
    bench_corpus()
    return 0


if __name__ == "__main__":
    sys.exit(main())
