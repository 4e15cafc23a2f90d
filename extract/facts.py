"""Document text to facts: every fact of a document, each with its sentence and page.

Quantity facts are made here, from the spaCy pipeline; the other kinds come
from their own modules (tables, figures, claims, mofcom, crs), which build
them with :func:`extract.records.new_fact`.

A fact's offsets point into the document text (``DocumentText.text``): for a
text or markdown file that is the file itself, for a PDF or HTML page the text
its reader produces, which is the same on every read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from extract import EXTRACTOR_VERSION
from extract.kinds.claims import claim_facts
from extract.kinds.crs import crs_facts, furniture_spans
from extract.kinds.figures import figure_facts
from extract.kinds.mofcom import mofcom_facts
from extract.kinds.quantities import Quantity, tie_year
from extract.kinds.tables import table_facts
from extract.nlp import pipeline
from extract.pdftables import document_tables
from extract.records import Block, DocumentText, Fact, fact_id
from extract.spans import (
    Sentence,
    line_spans,
    overlaps,
    sentence_entities,
    trimmed,
    trimmed_range,
)

KindExtractor = Callable[[str, str, DocumentText], list[Fact]]


def kind_extractors() -> tuple[KindExtractor, ...]:
    """The extractors of the other fact kinds, each ``(doc_id, sha256, text) -> facts``."""
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


def furniture_of(text: DocumentText) -> tuple[tuple[int, int], ...]:
    """Spans of page furniture in a document's text."""
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


def sentence_of(sentences: Iterable[Sentence], q: Quantity) -> Sentence:
    """The sentence holding a quantity, widened if the quantity spans two."""
    hits = [s for s in sentences if s[0] < q.end and q.start < s[1]]
    if not hits:
        return q.start, q.end
    return min(min(s[0] for s in hits), q.start), max(max(s[1] for s in hits), q.end)
