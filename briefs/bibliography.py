"""The Sources section as data: CSL JSON items for the documents a brief cites.

pandoc's citeproc (under Quarto or the built-in engine) formats the items
with the CSL style shipped in ``templates/`` (Chicago author-date), so the
reader gets a real bibliography and the markdown carries no hand-formatted
entry. Only what a reader needs goes in: authors, title, publisher, date and
a web address; the corpus id, sha256 and the manifest's "inferred" notes
stay in ``claims.json`` and the manifest.

Everything is data, never markup: values are plain strings in JSON, and an
address that is not ``http(s)`` is left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extract.corpus import WEB_URL
from extract.records import Document

STYLE = "chicago-author-date.csl"
REFERENCES = "references.json"
# The manifest marks guessed fields "(…; inferred)" or "(inferred)".
INFERRED = re.compile(r"\s*\((?:[^()]*;\s*)?inferred\)|;\s*inferred\b", re.I)
CSL_TYPES = {
    "crs": "report",
    "briefer": "report",
    "analysis": "report",
    "news": "article-newspaper",
    "mofcom": "article-magazine",
}
# Characters citeproc would read as its own markup in a CSL JSON string.
CSL_MARKUP = re.compile(r"[<>]")


def csl_items(docs: Sequence[Document]) -> list[dict[str, object]]:
    """One CSL JSON item per document, in the order given.

    >>> from extract.records import Document
    >>> doc = Document(id="crs-if1", path="x", sha256="0" * 64, kind="crs",
    ...     title="A Title", publisher="CRS (inferred)", authors=("Kyla H. Kitamura",),
    ...     date="2023-12-15", url="javascript:alert(1)")
    >>> csl_items([doc])[0]
    {'id': 'crs-if1', 'type': 'report', 'title': 'A Title', 'publisher': 'CRS', 'author': [{'family': 'Kitamura', 'given': 'Kyla H.'}], 'issued': {'date-parts': [[2023, 12, 15]]}}
    """
    return [csl_item(d) for d in docs]


def csl_item(doc: Document) -> dict[str, object]:
    """The CSL JSON of one document."""
    publisher = plain(INFERRED.sub("", doc.publisher))
    item: dict[str, object] = {
        "id": doc.id,
        "type": CSL_TYPES.get(doc.kind, "document"),
        "title": plain(doc.title),
    }
    if doc.kind in ("news", "mofcom") and publisher:
        item["container-title"] = publisher
    elif publisher:
        item["publisher"] = publisher
    if doc.authors:
        item["author"] = [person(a) for a in doc.authors]
    parts = date_parts(doc.date)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    if web_address(doc.url):
        item["URL"] = doc.url.strip()
    return item


def plain(text: str) -> str:
    """Text with its whitespace folded and citeproc's markup characters removed."""
    return CSL_MARKUP.sub("", " ".join(text.split()))


def person(name: str) -> dict[str, str]:
    """A CSL name: "Family, Given" or "Given Family"; one word stays literal.

    >>> person("Chung, Yun-Hsi"), person("Ben Taulli"), person("USITC")
    ({'family': 'Chung', 'given': 'Yun-Hsi'}, {'family': 'Taulli', 'given': 'Ben'}, {'literal': 'USITC'})
    """
    name = plain(name)
    if "," in name:
        family, given = (p.strip() for p in name.split(",", 1))
        return {"family": family, "given": given}
    words = name.split()
    if len(words) < 2:
        return {"literal": name}
    return {"family": words[-1], "given": " ".join(words[:-1])}


def date_parts(date: str) -> list[int]:
    """``2025-05-30`` -> [2025, 5, 30]; ``2025-10`` -> [2025, 10]; else []."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", date.strip())
    return [int(p) for p in match.groups() if p] if match else []


def web_address(url: str) -> bool:
    """True for an http(s) address (the manifest's own rule; checked again here
    because a Document can be made without the manifest)."""
    return bool(WEB_URL.match(url.strip()))
