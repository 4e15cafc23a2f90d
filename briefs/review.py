"""The evidence page: ``review.html``, one card per claim and per chart.

It is for reviewers, not readers: each claim's card shows the brief's
sentence, the value, its trace status, the document (metadata and a link,
``url#page=N`` for a PDF), the quote highlighted in its paragraph and, for a
PDF, a crop of the rendered page with the quote's boxes marked. Each chart's
card lists the snapshot rows it plots and where they come from. The page is
one self-contained file (inline CSS, images as data URIs, no script), so it
opens from the file system with no network.
"""

from __future__ import annotations

import base64
import html
import io
import os
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

from briefs.claims import BriefClaims, ChartClaim, Claim
from briefs.locate import Box, paragraph_of
from briefs.trace import ChartCheck, ClaimCheck, Trace, trace
from extract.corpus import WEB_URL, Corpus
from extract.errors import ExtractError
from extract.readers import read_document
from extract.records import Document, DocumentText

REVIEW = "review.html"
SCALE = 2.0  # pixels per PDF point in page crops
MARGIN = 36.0  # points of page shown above and below the quote

CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 60em;
  color: #222; padding: 0 1em; }
.card { border: 1px solid #ccd; border-radius: 6px; padding: 0.8em 1.1em;
  margin: 1.2em 0; }
.card:target { border-color: #0d6efd; box-shadow: 0 0 0 3px #cfe2ff; }
.card h2 { font-size: 1.05em; margin: 0 0 0.5em; }
.status { font: 600 0.8em ui-monospace, monospace; padding: 0.1em 0.5em;
  border-radius: 3px; background: #e8f5ee; color: #14532d; }
.status.bad { background: #fdecee; color: #842029; }
.sentence { font-style: italic; }
.value { font-weight: 600; background: #fff3bf; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em;
  margin: 0.6em 0; font-size: 0.92em; }
dt { color: #555; }
dd { margin: 0; overflow-wrap: anywhere; }
.paragraph { border-left: 3px solid #ccd; padding-left: 0.8em; color: #333; }
mark { background: #ffe066; }
mark b { text-decoration: underline; }
.crop { position: relative; display: inline-block; max-width: 100%;
  border: 1px solid #ccd; margin-top: 0.6em; }
.crop img { display: block; max-width: 100%; }
.hl { position: absolute; background: rgba(255, 214, 0, 0.35);
  outline: 2px solid rgba(220, 150, 0, 0.9); }
table { border-collapse: collapse; font-size: 0.85em; }
td, th { border: 1px solid #dde; padding: 0.15em 0.4em; text-align: left; }
"""


def write_review(folder: Path, claims: BriefClaims, corpus: Corpus) -> Path:
    """Trace the version in ``folder`` and write its ``review.html``."""
    result = trace(folder, corpus)
    page = review_page(claims, result, corpus, folder)
    path = folder / REVIEW
    path.write_text(page, encoding="utf-8")
    return path


def review_page(
    claims: BriefClaims, result: Trace, corpus: Corpus, folder: Path
) -> str:
    """The whole page as HTML text; local links are relative to ``folder``."""
    texts: dict[str, DocumentText | None] = {}
    cards = [claim_card(c, corpus, texts, folder) for c in result.claims]
    cards += [chart_card(c, corpus) for c in result.charts]
    held = sum(c.holds for c in result.claims) + sum(c.holds for c in result.charts)
    total = len(result.claims) + len(result.charts)
    title = f"Evidence for {claims.brief}"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{esc(title)}</title>",
            f"<style>{CSS}</style></head><body>",
            f"<h1>{esc(title)}</h1>",
            f"<p>{held} of {total} claims and charts hold. "
            '<a href="brief.html">Back to the brief</a>.</p>',
            *cards,
            "</body></html>",
        ]
    )


def esc(text: object) -> str:
    """HTML-escaped text."""
    return html.escape(str(text), quote=True)


def status_badge(status: str, holds: bool) -> str:
    """The trace status as a coloured label."""
    return f'<span class="status{"" if holds else " bad"}">{esc(status)}</span>'


def claim_card(
    check: ClaimCheck,
    corpus: Corpus,
    texts: dict[str, DocumentText | None],
    folder: Path,
) -> str:
    """One claim's card."""
    c = check.claim
    doc = corpus.get(c.doc) if c.doc in {d.id for d in corpus.documents} else None
    text = document_text(corpus, doc, texts)
    parts = [
        f'<section class="card claim" id="{esc(c.claim)}">',
        f"<h2>{esc(c.claim)} · note {c.note} · {status_badge(check.status, check.holds)}</h2>",
        f'<p class="sentence">{highlight_value(c.sentence, c.rendered)}</p>',
        "<dl>",
        f"<dt>Value</dt><dd>{esc(c.rendered)}{value_of(c)}</dd>",
        *document_rows(c, doc, local_link(corpus.path_of(doc), folder) if doc else ""),
        f"<dt>Fact</dt><dd><code>{esc(c.fact)}</code>, characters {c.start} to {c.end}</dd>",
    ]
    if check.detail:
        parts.append(f"<dt>Trace</dt><dd>{esc(check.detail)}</dd>")
    parts.append("</dl>")
    parts.append(quote_in_paragraph(c, text))
    if c.location.boxes and doc is not None:
        parts.append(page_crop(corpus.path_of(doc), c.location.boxes))
    parts.append("</section>")
    return "\n".join(parts)


def value_of(c: Claim) -> str:
    """The parsed value and unit, when the fact has them."""
    if c.value is None:
        return ""
    return f" <small>({c.value:,.12g} {esc(c.unit or '')})</small>"


def local_link(path: Path, folder: Path) -> str:
    """A relative URL from ``folder`` to ``path``, so the page moves with its tree
    and stays byte-identical across checkouts."""
    rel = os.path.relpath(path.resolve(), folder.resolve())
    return urllib.parse.quote(Path(rel).as_posix())


def document_rows(c: Claim, doc: Document | None, local: str = "") -> list[str]:
    """The document's metadata and a link to the place (the local file without a URL)."""
    if doc is None:
        return [f"<dt>Document</dt><dd>{esc(c.doc)} (no longer in the corpus)</dd>"]
    meta = ", ".join(x for x in ("; ".join(doc.authors), doc.publisher, doc.date) if x)
    link = doc.url if WEB_URL.match(doc.url) else local
    if link and c.location.kind == "page" and doc.path.lower().endswith(".pdf"):
        link = f"{link}#page={c.location.page}"
    anchor = f' <a href="{esc(link)}">{esc(link)}</a>' if link else ""
    return [
        f"<dt>Document</dt><dd><cite>{esc(doc.title)}</cite> ({esc(doc.kind)})</dd>",
        f"<dt>By</dt><dd>{esc(meta)}</dd>" if meta else "",
        f"<dt>Where</dt><dd>{esc(c.location.label)} of <code>{esc(doc.path)}</code>{anchor}</dd>",
        f"<dt>sha256</dt><dd><code>{esc(c.doc_sha256)}</code></dd>",
    ]


def document_text(
    corpus: Corpus, doc: Document | None, texts: dict[str, DocumentText | None]
) -> DocumentText | None:
    """A document's text, read once (None when it cannot be read)."""
    if doc is None:
        return None
    if doc.id not in texts:
        try:
            texts[doc.id] = read_document(corpus.path_of(doc))
        except ExtractError:
            texts[doc.id] = None
    return texts[doc.id]


def highlight_value(sentence: str, value: str) -> str:
    """The brief's sentence with the printed value marked."""
    at = sentence.find(value)
    if at < 0 or not value:
        return esc(sentence)
    end = at + len(value)
    return f'{esc(sentence[:at])}<span class="value">{esc(value)}</span>{esc(sentence[end:])}'


def quote_in_paragraph(c: Claim, text: DocumentText | None) -> str:
    """The quote marked inside its paragraph as the document has it now."""
    if text is None or text.text[c.quote_start : c.quote_end] != c.quote:
        return f'<blockquote class="paragraph"><mark>{esc(c.quote)}</mark></blockquote>'
    p0, p1 = paragraph_of(text, c.quote_start, c.quote_end)
    t = text.text
    inner = (
        esc(t[c.quote_start : c.start]) + f"<b>{esc(t[c.start : c.end])}</b>"
        + esc(t[c.end : c.quote_end])
    )  # fmt: skip
    return (
        f'<blockquote class="paragraph">{esc(t[p0 : c.quote_start])}'
        f"<mark>{inner}</mark>{esc(t[c.quote_end : p1])}</blockquote>"
    )


def page_crop(pdf: Path, boxes: Sequence[Box]) -> str:
    """A band of the rendered page around the quote, its boxes highlighted."""
    import pypdfium2 as pdfium

    page_no = boxes[0].page
    on_page = [b for b in boxes if b.page == page_no]
    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[page_no - 1]
        width, height = page.get_size()
        top = max(0.0, min(b.top for b in on_page) - MARGIN)
        bottom = min(height, max(b.bottom for b in on_page) + MARGIN)
        image = page.render(scale=SCALE).to_pil()
    finally:
        document.close()
    band = image.crop((0, int(top * SCALE), image.width, int(bottom * SCALE)))
    buffer = io.BytesIO()
    band.save(buffer, format="PNG", optimize=True)
    data = base64.b64encode(buffer.getvalue()).decode()
    span = bottom - top
    marks = "".join(
        f'<div class="hl" style="left:{100 * b.x0 / width:.2f}%;'
        f"top:{100 * (b.top - top) / span:.2f}%;width:{100 * (b.x1 - b.x0) / width:.2f}%;"
        f'height:{100 * (b.bottom - b.top) / span:.2f}%"></div>'
        for b in on_page
    )
    alt = f"Page {page_no} of {pdf.name}, with the quote highlighted"
    return (
        f'<div class="crop"><img alt="{esc(alt)}" src="data:image/png;base64,{data}">'
        f"{marks}</div>"
    )


def chart_card(check: ChartCheck, corpus: Corpus) -> str:
    """One chart's card: its snapshot, provenance and rows."""
    c: ChartClaim = check.chart
    header = [k for k, _ in c.rows[0].cells] if c.rows else []
    rows = "".join(
        f"<tr><td>{r.line}</td>"
        + "".join(f"<td>{esc(v)}</td>" for _, v in r.cells)
        + "</tr>"
        for r in c.rows
    )
    head = "<tr><th>line</th>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr>"
    detail = f"<dt>Trace</dt><dd>{esc(check.detail)}</dd>" if check.detail else ""
    return "\n".join(
        [
            f'<section class="card chart" id="{esc(c.figure)}">',
            f"<h2>Chart {esc(c.chart)} · {status_badge(check.status, check.holds)}</h2>",
            f"<p>{esc(c.caption)}</p>",
            "<dl>",
            f"<dt>Data</dt><dd><code>{esc(c.snapshot)}</code> ({len(c.rows)} rows), "
            f"sha256 <code>{esc(c.sha256)}</code></dd>",
            f"<dt>Source</dt><dd>{esc(c.source)}</dd>",
            detail,
            "</dl>",
            f"<table>{head}{rows}</table>",
            "</section>",
        ]
    )
