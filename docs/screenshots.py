"""Screenshots of the bundled briefs in docs/ (``make screenshots``).

Builds the named briefs (default: both bundled templates) with the built-in
engine on a copy of the corpus in a temporary folder, then writes, for each:

- ``docs/<brief>-pdf-page-1.png`` and ``-2.png``: PDF pages at 90 dpi (pypdfium2);
- ``docs/<brief>-html-top.png``: the top 1100 x 1400 px of ``brief.html``;

and ``docs/review-card.png``, the evidence card of one of the default brief's
claims quoted from a PDF (``CARD``), 900 px wide. The browser is Debian's ``chromium``
driven by Playwright (no browser is downloaded).

Run: ``.venv/bin/python docs/screenshots.py [TEMPLATE_NAME ...]``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BRIEF = Path(sys.executable).parent / "brief"
CHROMIUM = "/usr/bin/chromium"
DEFAULT = "battery-dependence"
CARD = "noaa_compliant"  # a fact of crs-if12608, on one column of page 2


def build(work: Path, name: str) -> Path:
    """Build one bundled template in ``work`` and return its latest version folder."""
    subprocess.run(
        [str(BRIEF), "-q", "build", f"templates/{name}.qmd.j2", "--engine", "builtin"],
        cwd=work,
        check=True,
    )
    return (work / "out" / name / "latest").resolve()


def pdf_pages(version: Path, name: str) -> None:
    """Pages 1 and 2 of the brief's PDF at 90 dpi."""
    pdf = pdfium.PdfDocument(version / "brief.pdf")
    for number in (1, 2):
        image = pdf[number - 1].render(scale=90 / 72).to_pil().convert("RGB")
        image.save(DOCS / f"{name}-pdf-page-{number}.png", dpi=(90, 90))


def browser_shots(version: Path, name: str) -> None:
    """The top of the HTML and, for the default brief, one PDF evidence card."""
    from playwright.sync_api import sync_playwright

    from briefs.claims import load_claims

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.goto((version / "brief.html").as_uri())
        page.screenshot(path=DOCS / f"{name}-html-top.png")
        if name == DEFAULT:
            claim = next(c.claim for c in load_claims(version).claims if c.name == CARD)
            page.set_viewport_size({"width": 900, "height": 1400})
            page.goto((version / "review.html").as_uri())
            page.locator(f"section#{claim}").screenshot(path=DOCS / "review-card.png")
        browser.close()


def main(names: list[str]) -> int:
    """Write the screenshots of each named brief."""
    names = names or [p.name.removesuffix(".qmd.j2")
                      for p in sorted((ROOT / "templates").glob("*.qmd.j2"))]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "corpus", work / "corpus")
        shutil.copytree(ROOT / "templates", work / "templates")
        for name in names:
            version = build(work, name)
            pdf_pages(version, name)
            browser_shots(version, name)
            print(f"{name}: docs/{name}-pdf-page-{{1,2}}.png, docs/{name}-html-top.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
