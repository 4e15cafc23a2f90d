"""Reading order over every shared CRS PDF: our reader against plain pdfplumber.

Run: ``.venv/bin/python bench/reading_order.py`` (``make eval`` runs it too).

For each PDF under ``../shared/corpus-candidates/crs/pdf`` with a reference
markdown (the congress.gov page of the same product), scores our reader's text
and plain pdfplumber ``extract_text()`` with ``../shared/tools/reading_order.py``
(the share of reference sentences found intact; the scorer itself skips the
congress.gov header). Prints the mean of both, and the five worst documents.

``--json FILE`` also writes the per-document scores; ``--baseline FILE``
prints the change against such a file; ``--no-plain`` skips pdfplumber (slow).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType

import pdfplumber

from extract.errors import ReadError
from extract.readers.pdf import read_pdf

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CRS = SHARED / "corpus-candidates" / "crs"
SCORER = SHARED / "tools" / "reading_order.py"


def load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("reading_order", SCORER)
    if spec is None or spec.loader is None:
        sys.exit(f"cannot load the scorer {SCORER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reference(pdf: Path) -> Path | None:
    """The markdown of the same product: IF11175.11.pdf -> IF11175v11-....md,
    IF13199v1-section-122.pdf -> IF13199v1-....md, 98-317.22.pdf -> 98-317v22-....md."""
    m = re.match(r"(?P<id>[A-Z]*\d+(?:-\d+)?)(?:\.(?P<v>\d+)|v(?P<v2>\d+))?", pdf.name)
    if m is None:
        return None
    folder = CRS / "markdown" / pdf.parent.name
    version = m["v"] or m["v2"]
    exact = sorted(folder.glob(f"{m['id']}v{version}-*.md")) if version else []
    found = (
        exact
        or sorted(folder.glob(f"{m['id']}v*.md"))
        or sorted(folder.glob(f"{m['id'].replace('-', '')}-*.md"))  # 98317-types-...
    )
    return found[0] if found else None


def plain(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def ours(path: Path) -> str:
    try:
        return read_pdf(path).text
    except ReadError as exc:
        print(f"  {exc}", file=sys.stderr)
        return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write per-document scores here")
    parser.add_argument("--baseline", type=Path, help="compare with such a file")
    parser.add_argument("--no-plain", action="store_true", help="skip pdfplumber")
    args = parser.parse_args()
    if not (CRS / "pdf").is_dir() or not SCORER.is_file():
        print(f"(skipped: {CRS / 'pdf'} or {SCORER} not present)")
        return 0
    scorer = load_scorer()
    scores: dict[str, dict[str, float]] = {}
    seconds = {"ours": 0.0, "plain": 0.0}
    for pdf in sorted((CRS / "pdf").rglob("*.pdf")):
        ref = reference(pdf)
        if ref is None:
            print(f"  no reference markdown for {pdf.name}", file=sys.stderr)
            continue
        md = ref.read_text(encoding="utf-8")
        row: dict[str, float] = {}
        methods = {"ours": ours} if args.no_plain else {"ours": ours, "plain": plain}
        for name, read in methods.items():
            t0 = time.perf_counter()
            text = read(pdf)
            seconds[name] += time.perf_counter() - t0
            intact, total = scorer.score(md, text)
            row[name] = intact / total if total else 1.0
        scores[f"{pdf.parent.name}/{pdf.name}"] = row
    report(scores, seconds, args.baseline)
    if args.json:
        args.json.write_text(json.dumps(scores, indent=1), encoding="utf-8")
    return 0


def report(
    scores: dict[str, dict[str, float]],
    seconds: dict[str, float],
    baseline: Path | None,
) -> None:
    mean = statistics.mean(r["ours"] for r in scores.values())
    print(f"{len(scores)} CRS PDFs with reference markdown")
    print(f"reading order, ours:  mean {mean:.3f}  ({seconds['ours']:.1f} s)")
    if all("plain" in r for r in scores.values()):
        pmean = statistics.mean(r["plain"] for r in scores.values())
        print(
            f"reading order, plain pdfplumber: mean {pmean:.3f}  ({seconds['plain']:.1f} s)"
        )
    print("five worst (ours, plain):")
    for name, r in sorted(scores.items(), key=lambda kv: kv[1]["ours"])[:5]:
        print(f"  {name:<70} {r['ours']:.3f}  {r.get('plain', float('nan')):.3f}")
    if baseline is not None and baseline.is_file():
        base = json.loads(baseline.read_text(encoding="utf-8"))
        common = [k for k in scores if k in base]
        bmean = statistics.mean(base[k]["ours"] for k in common)
        cmean = statistics.mean(scores[k]["ours"] for k in common)
        print(f"against {baseline.name}: mean {bmean:.3f} -> {cmean:.3f}")
        for k in sorted(common, key=lambda k: scores[k]["ours"] - base[k]["ours"])[:8]:
            delta = scores[k]["ours"] - base[k]["ours"]
            if abs(delta) > 0.001:
                print(f"  {k:<70} {base[k]['ours']:.3f} -> {scores[k]['ours']:.3f}")


if __name__ == "__main__":
    sys.exit(main())
