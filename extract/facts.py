"""Document text to facts: every fact of a document, each with its sentence and page.

Quantity facts are made here, from the spaCy pipeline; the other kinds come
from their own modules (tables, figures, claims, mofcom, crs), which build
them with :func:`extract.records.new_fact`.

A fact's offsets point into the document text (``DocumentText.text``): for a
text or markdown file that is the file itself, for a PDF or HTML page the text
its reader produces, which is the same on every read.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from extract import EXTRACTOR_VERSION
from extract.kinds.claims import claim_facts
from extract.kinds.crs import crs_facts, furniture_spans
from extract.kinds.figures import figure_facts
from extract.kinds.mofcom import mofcom_facts, scraper_spans
from extract.kinds.quantities import Quantity, tie_year
from extract.kinds.tables import table_facts
from extract.nlp import Parses
from extract.pdftables import document_tables
from extract.progress import page_done
from extract.records import Block, DocumentText, Fact, fact_id, new_fact
from extract.spans import (
    Sentence,
    doc_text,
    line_spans,
    overlaps,
    trimmed,
    trimmed_range,
)


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
    parse = Parses(nlp)  # one spaCy pass: every kind reads the same Docs
    text = within_length(text, parse.nlp.max_length)
    tables = document_tables(text, path)
    in_tables = [(t.start, t.end) for t in tables]
    docs = parse(text.block_text(b) for b in text.blocks)
    facts: list[Fact] = []
    for block, sdoc in zip(text.blocks, docs, strict=True):
        page_done("facts", path, block.page, text.pages)
        quantities = block_facts(doc_id, sha256, block, sdoc)
        facts.extend(f for f in quantities if not overlaps(in_tables, f.start, f.end))
    facts.extend(table_facts(doc_id, sha256, text, tables, parse))
    facts.extend(figure_facts(doc_id, sha256, text, tables))
    facts.extend(claim_facts(doc_id, sha256, text, parse))
    facts.extend(mofcom_facts(doc_id, sha256, text))
    facts.extend(crs_facts(doc_id, sha256, text))
    furniture = furniture_of(text)
    kept = [
        clear_quote(f, furniture, text)
        for f in facts
        if not overlaps(furniture, f.start, f.end)
    ]
    kept.extend(lost_page_facts(doc_id, sha256, text))
    return tuple(sorted(kept, key=lambda f: (f.start, f.end, f.kind, f.id)))


def lost_page_facts(doc_id: str, sha256: str, text: DocumentText) -> Iterator[Fact]:
    """A ``notice`` fact per page that could not be read, so the store records it.

    It is anchored (empty) where the page's text would have begun: before the
    first block of a later page, else at the end.
    """
    for page, why in text.lost:
        at = next((b.start for b in text.blocks if b.page > page), len(text.text))
        message = f"page {page} was lost: {why}"
        fact = new_fact(doc_id, sha256, text, "notice", (at, at), key=message,
                        message=message)  # fmt: skip
        yield replace(fact, page=page)


def within_length(text: DocumentText, limit: int) -> DocumentText:
    """The text with every block longer than ``limit`` characters cut in pieces.

    spaCy refuses a text over its ``max_length``; a block that long (a
    megabyte with no paragraph break) is read piece by piece instead, each
    cut at the last space or line break before the limit.
    """
    if all(b.end - b.start <= limit for b in text.blocks):
        return text
    blocks: list[Block] = []
    for b in text.blocks:
        start = b.start
        while b.end - start > limit:
            cut = max(text.text.rfind(c, start + 1, start + limit) for c in " \n")
            cut = cut if cut > start else start + limit
            blocks.append(replace(b, start=start, end=cut))
            start = cut
        blocks.append(replace(b, start=start, end=b.end))
    return replace(text, blocks=tuple(blocks))


def furniture_of(text: DocumentText) -> tuple[tuple[int, int], ...]:
    """Spans of page furniture in a document's text: a CRS report's running
    footers, and a scraped MOFCOM page's wrapper sections (its Summary repeats
    the announcement; its impact notes and disclaimers are no claims)."""
    return furniture_spans(text.text) + scraper_spans(text.text)


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
    text = doc_text(sdoc)  # joined from the tokens on every access: read it once
    sentences = Sentences(block_sentences(block, sdoc, text), sdoc, text)
    for q in sdoc._.quantities:
        s_start, s_end = sentences.around(q)
        sentence = text[s_start:s_end]
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
            page=block.page_at(start),  # a paragraph may run onto the next page
            quote=sentence,
            quote_start=block.start + s_start,
            quote_end=block.start + s_end,
            value=q.value,
            unit=q.unit,
            qualifier=q.qualifier,
            year=tie_year(sentence, local),
            entities=sentences.entities(s_start, s_end),
            extractor=EXTRACTOR_VERSION,
        )


# A "sentence" longer than this is no sentence (a run-on table, a text with
# no punctuation): it is quoted in pieces of at most this many characters, so
# that quotes, years and entities cost the same per fact at any length.
MAX_SENTENCE = 2000


class Sentences:
    """A block's sentences, sorted, with the entities of each looked up once."""

    def __init__(self, spans: Sequence[Sentence], sdoc: Doc, text: str) -> None:
        cut = (p for s in spans for p in pieces(text, s))
        self.spans = sorted(p for p in cut if p[0] < p[1])
        self.starts = [s for s, _ in self.spans]
        self.sdoc = sdoc
        self.ents = [(e.start_char, e.end_char, e) for e in sdoc.ents]
        self.ent_starts = [e[0] for e in self.ents]
        self.cache: dict[Sentence, tuple[tuple[str, str], ...]] = {}

    def around(self, q: Quantity) -> Sentence:
        """The sentence holding a quantity, widened if the quantity spans two."""
        lo = max(0, bisect.bisect_right(self.starts, q.start) - 1)
        hi = bisect.bisect_left(self.starts, q.end)
        # Only the first sentence it touches and the quantity itself: two
        # pieces of a run-on sentence would make a quote twice the limit.
        return sentence_of(self.spans[lo : min(hi, lo + 1)], q)

    def entities(self, start: int, end: int) -> tuple[tuple[str, str], ...]:
        """The entities named in ``start:end``, as (label, canonical id), once each."""
        if (start, end) not in self.cache:
            i = bisect.bisect_left(self.ent_starts, start)
            seen: dict[tuple[str, str], None] = {}
            for s, e, ent in self.ents[i:]:
                if s >= end:
                    break
                if e <= end:
                    seen[(ent.label_, ent.ent_id_ or ent.text)] = None
            self.cache[(start, end)] = tuple(seen)
        return self.cache[(start, end)]


def pieces(text: str, sentence: Sentence) -> Iterator[Sentence]:
    """A sentence, or pieces of a long one cut at spaces, none over MAX_SENTENCE."""
    start, end = sentence
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        yield trimmed_range(text, start, cut)
        start = cut
    yield trimmed_range(text, start, end)


def block_sentences(block: Block, sdoc: Doc, text: str) -> list[Sentence]:
    """Sentence spans of a block (whose text is ``text``); a table's are its rows."""
    if block.kind == "table":
        return list(line_spans(text))
    return [trimmed(text, s) for s in sdoc.sents]


def sentence_of(sentences: Iterable[Sentence], q: Quantity) -> Sentence:
    """The sentence holding a quantity, widened if the quantity spans two."""
    hits = [s for s in sentences if s[0] < q.end and q.start < s[1]]
    if not hits:
        return q.start, q.end
    return min(min(s[0] for s in hits), q.start), max(max(s[1] for s in hits), q.end)
