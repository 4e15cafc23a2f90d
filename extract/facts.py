"""Document text to facts: every fact of a document, each with its sentence and page.

Quantity facts are made here, from the spaCy pipeline; the other kinds come
from their own modules (tables, figures, claims, mofcom, crs), which build
them with :func:`new_fact`.

A fact's offsets point into the document text (``DocumentText.text``): for a
text or markdown file that is the file itself, for a PDF or HTML page the text
its reader produces, which is the same on every read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from extract import EXTRACTOR_VERSION
from extract.nlp import pipeline
from extract.quantities import Quantity, tie_year
from extract.records import Block, DocumentText, Fact

if TYPE_CHECKING:
    from extract.tables import Table

Sentence = tuple[int, int]  # start, end within a block's text


# The first letter of an id says its kind, so ids read well in templates.
ID_PREFIX = {"quantity": "q", "table": "t", "figure": "f", "claim": "c",
             "announcement": "a", "control_code": "k", "hs_code": "h", "date": "d",
             "listed_entity": "e", "document": "m"}  # fmt: skip


def fact_id(doc_sha256: str, kind: str, start: int, end: int, value: str) -> str:
    """A fact id that stays the same while the document and the fact do.

    It hashes the document's sha256, the fact's kind, offsets and normalised
    value, so re-extracting an unchanged document gives the same ids.
    """
    key = f"{doc_sha256}:{kind}:{start}:{end}:{value}"
    return ID_PREFIX.get(kind, "x") + hashlib.sha256(key.encode()).hexdigest()[:11]


def new_fact(
    doc_id: str,
    sha256: str,
    text: DocumentText,
    kind: str,
    span: tuple[int, int],
    quote: tuple[int, int] | None = None,
    key: str = "",
    **fields: Any,
) -> Fact:
    """A fact of any kind at ``span`` (its mention) within ``quote`` (its sentence).

    Offsets are into ``text.text``; ``quote`` defaults to the span itself.
    ``key`` joins the id hash (use the normalised value). Contract fields
    (value, unit, qualifier, year, entities) go by name; any other keyword
    becomes a kind-specific field.
    """
    start, end = span
    quote_start, quote_end = quote or span
    known = {
        k: fields.pop(k)
        for k in ("value", "unit", "qualifier", "year", "entities")
        if k in fields
    }
    return Fact(
        id=fact_id(sha256, kind, start, end, key),
        doc=doc_id,
        kind=kind,
        text=text.text[start:end],
        start=start,
        end=end,
        page=text.page_at(start),
        quote=text.text[quote_start:quote_end],
        quote_start=quote_start,
        quote_end=quote_end,
        extractor=EXTRACTOR_VERSION,
        extra=tuple(sorted(fields.items())),
        **known,
    )


KindExtractor = Callable[[str, str, DocumentText], list[Fact]]


def kind_extractors() -> tuple[KindExtractor, ...]:
    """The extractors of the other fact kinds, each ``(doc_id, sha256, text) -> facts``.

    Imported here, not at the top: those modules build their facts with
    :func:`new_fact` from this one.
    """
    from extract.claims import claim_facts
    from extract.crs import crs_facts
    from extract.mofcom import mofcom_facts

    return (claim_facts, mofcom_facts, crs_facts)


def extract_facts(
    doc_id: str,
    sha256: str,
    text: DocumentText,
    nlp: Language | None = None,
    path: Path | None = None,
) -> tuple[Fact, ...]:
    """All facts of one document, ordered by position and kind.

    Quantities come from the spaCy pipeline; tables, figures, claims, MOFCOM
    announcements and CRS metadata from their own modules. Numbers inside a
    table become the table's cell facts instead of sentence quantities. A
    fact whose mention lies in page furniture (a CRS running footer, a
    disclaimer, a broken cross-reference) is dropped. ``path`` is the file the
    text was read from; PDF tables are found on its pages.
    """
    from extract.figures import figure_facts
    from extract.tables import table_facts

    nlp = nlp or pipeline()
    tables = document_tables(text, path)
    in_tables = [(t.start, t.end) for t in tables]
    docs = nlp.pipe(text.block_text(b) for b in text.blocks)
    facts: list[Fact] = []
    for block, sdoc in zip(text.blocks, docs, strict=True):
        quantities = block_facts(doc_id, sha256, block, sdoc)
        facts.extend(f for f in quantities if not overlaps(in_tables, f.start, f.end))
    facts.extend(table_facts(doc_id, sha256, text, tables, nlp))
    facts.extend(figure_facts(doc_id, sha256, text, tables))
    for extractor in kind_extractors():
        facts.extend(extractor(doc_id, sha256, text))
    furniture = furniture_of(text)
    kept = [
        clear_quote(f, furniture, text)
        for f in facts
        if not overlaps(furniture, f.start, f.end)
    ]
    return tuple(sorted(kept, key=lambda f: (f.start, f.end, f.kind, f.id)))


def document_tables(text: DocumentText, path: Path | None) -> tuple[Table, ...]:
    """The tables of a document: from its text, and from a PDF's pages."""
    from extract.tables import find_pdf_tables, find_tables

    found = find_tables(text)
    if path is not None and path.suffix.lower() == ".pdf":
        found += find_pdf_tables(path, text)
    return found


def furniture_of(text: DocumentText) -> tuple[tuple[int, int], ...]:
    """Spans of page furniture in a document's text."""
    from extract.crs import furniture_spans

    return furniture_spans(text.text)


def clear_quote(
    fact: Fact, spans: Sequence[tuple[int, int]], text: DocumentText
) -> Fact:
    """The fact with its quote narrowed to stop short of any furniture in it.

    The quote stays an exact slice of the text, on the mention's side of the
    furniture (e.g. a Word "Error! Not a valid bookmark" artifact mid-sentence).
    """
    start, end = fact.quote_start, fact.quote_end
    for s, e in spans:
        if s < end and start < e:
            start, end = (
                (max(start, e), end) if e <= fact.start else (start, min(end, s))
            )
    if (start, end) == (fact.quote_start, fact.quote_end):
        return fact
    start, end = trimmed_range(text.text, start, end)
    return replace(fact, quote=text.text[start:end], quote_start=start, quote_end=end)


def overlaps(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    """True when ``start:end`` overlaps any of the spans."""
    return any(s < end and start < e for s, e in spans)


def block_facts(doc_id: str, sha256: str, block: Block, sdoc: Doc) -> Iterator[Fact]:
    """The quantity facts of one block."""
    sentences = block_sentences(block, sdoc)
    for q in sdoc._.quantities:
        s_start, s_end = sentence_of(sentences, q)
        sentence = sdoc.text[s_start:s_end]
        local = Quantity(
            q.start - s_start, q.end - s_start, q.text, q.value, q.unit, q.qualifier
        )
        start, end = block.start + q.start, block.start + q.end
        yield Fact(
            id=fact_id(sha256, "quantity", start, end, f"{q.value!r}:{q.unit}"),
            doc=doc_id,
            kind="quantity",
            text=q.text,
            start=start,
            end=end,
            page=block.page,
            quote=sentence,
            quote_start=block.start + s_start,
            quote_end=block.start + s_end,
            value=q.value,
            unit=q.unit,
            qualifier=q.qualifier,
            year=tie_year(sentence, local),
            entities=sentence_entities(sdoc, s_start, s_end),
            extractor=EXTRACTOR_VERSION,
        )


def block_sentences(block: Block, sdoc: Doc) -> list[Sentence]:
    """Sentence spans of a block; a table's sentences are its rows."""
    if block.kind == "table":
        return list(line_spans(sdoc.text))
    return [trimmed(sdoc.text, s) for s in sdoc.sents]


def line_spans(text: str) -> Iterator[Sentence]:
    """The non-blank lines of a text, as spans."""
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            yield trimmed_range(text, pos, pos + len(line))
        pos += len(line) + 1


def trimmed(text: str, sent: Span) -> Sentence:
    """A sentence's span without the whitespace around it."""
    return trimmed_range(text, sent.start_char, sent.end_char)


def trimmed_range(text: str, start: int, end: int) -> Sentence:
    """The span with leading and trailing whitespace left out."""
    chunk = text[start:end]
    return start + len(chunk) - len(chunk.lstrip()), end - len(chunk) + len(
        chunk.rstrip()
    )


def sentence_of(sentences: Iterable[Sentence], q: Quantity) -> Sentence:
    """The sentence holding a quantity, widened if the quantity spans two."""
    hits = [s for s in sentences if s[0] < q.end and q.start < s[1]]
    if not hits:
        return q.start, q.end
    return min(min(s[0] for s in hits), q.start), max(max(s[1] for s in hits), q.end)


def sentence_entities(sdoc: Doc, start: int, end: int) -> tuple[tuple[str, str], ...]:
    """The entities named in a sentence, as (label, canonical id), once each."""
    seen: dict[tuple[str, str], None] = {}
    for ent in sdoc.ents:
        if ent.start_char >= start and ent.end_char <= end:
            seen[(ent.label_, ent.ent_id_ or ent.text)] = None
    return tuple(seen)
