"""The core records: frozen, slotted dataclasses with their provenance."""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from extract import EXTRACTOR_VERSION

if TYPE_CHECKING:
    from extract.pages import Page

BLOCK_KINDS = ("paragraph", "heading", "list_item", "table", "caption")


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, heading, list item, table or caption, in reading order.

    The block's text is ``DocumentText.text[start:end]``; it is not stored twice.
    ``page`` is 1-based; ``bbox`` is ``(x0, top, x1, bottom)`` in PDF points for
    blocks read from a PDF, and None otherwise. A paragraph continued on a
    later page is one block; ``continued`` locates its later parts.
    """

    kind: str
    page: int
    start: int
    end: int
    bbox: tuple[float, float, float, float] | None = None
    # A PDF paragraph that a page break cut goes on as one block: the start
    # offset, page and bbox of each later part (``page`` and ``bbox`` are the
    # first part's).
    continued: tuple[tuple[int, int, tuple[float, float, float, float]], ...] = ()

    def page_at(self, offset: int) -> int:
        """The page of the part of this block that holds ``offset``."""
        later = [page for start, page, _ in self.continued if start <= offset]
        return later[-1] if later else self.page


@dataclass(frozen=True, slots=True)
class DocumentText:
    """A document's text in reading order, and its blocks.

    Invariant: blocks are sorted and do not overlap; the text between two
    blocks is whitespace, or markup a reader left out of the blocks (a
    markdown heading's ``#``, a list item's bullet or number).
    """

    text: str
    blocks: tuple[Block, ...]
    pages: int = 1
    # A PDF's parsed pages (words and rects, no characters), for the readers
    # of its geometry after the text: tables, figures, crops. Parsed once.
    layout: tuple[Page, ...] = field(default=(), repr=False, compare=False)
    # Pages that could not be read, as (page, why): their text is missing.
    lost: tuple[tuple[int, str], ...] = ()
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(b.start for b in self.blocks))

    def block_text(self, block: Block) -> str:
        """The text of one block."""
        return self.text[block.start : block.end]

    def paged_text(self) -> str:
        """The text with a form feed where a new page starts, as pdftotext
        writes it ("...end of page 1.\n\fStart of page 2"); offsets differ
        from ``text``'s, so this is for reading, not for facts."""
        parts: list[str] = []
        pos, page = 0, self.blocks[0].page if self.blocks else 1
        for block in self.blocks:
            gap = self.text[pos : block.start]
            if block.page > page:
                gap, page = "\n" + "\f" * (block.page - page), block.page
            parts.append(gap + self.text[block.start : block.end])
            pos = block.end
        parts.append(self.text[pos:])
        return "".join(parts)

    def page_at(self, offset: int) -> int:
        """The page of the block holding ``offset`` (or the block before it)."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if not self.blocks:
            return 1
        return self.blocks[max(i, 0)].page_at(offset)


@dataclass(frozen=True, slots=True)
class Document:
    """One corpus document as the manifest describes it."""

    id: str
    path: str
    sha256: str
    kind: str
    title: str
    publisher: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""
    url: str = ""
    language: str = "en"
    notes: str = ""


CONTRACT_KEYS = frozenset(
    {"id", "doc", "kind", "quote", "page", "start", "end", "text", "value", "unit",
     "qualifier", "year", "quote_start", "quote_end", "entities", "extractor"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact, tied to the exact passage it came from.

    Invariants (tested on every fact of the corpus): the document text sliced
    at ``start:end`` equals ``text`` (the mention as written), and sliced at
    ``quote_start:quote_end`` equals ``quote`` (the sentence holding it).
    """

    id: str
    doc: str
    kind: str
    text: str
    start: int
    end: int
    page: int
    quote: str
    quote_start: int
    quote_end: int
    value: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    year: int | None = None
    entities: tuple[tuple[str, str], ...] = ()
    extractor: str = ""
    # Kind-specific fields (a table's rows, a control code's thresholds...),
    # emitted as top-level keys of the JSON object. Values must be JSON.
    extra: tuple[tuple[str, object], ...] = ()

    def to_json(self) -> dict[str, object]:
        """The fact as a JSON object, in the contract's field order."""
        value: object = self.value
        if isinstance(self.value, float) and self.value.is_integer():
            value = int(self.value)
        return {
            "id": self.id,
            "doc": self.doc,
            "kind": self.kind,
            "quote": self.quote,
            "page": self.page,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": value,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "year": self.year,
            "quote_start": self.quote_start,
            "quote_end": self.quote_end,
            "entities": [list(e) for e in self.entities],
            "extractor": self.extractor,
            **dict(self.extra),
        }

    @classmethod
    def from_json(cls, obj: dict[str, object]) -> Fact:
        """The inverse of :meth:`to_json`."""
        value = obj.get("value")
        year = obj.get("year")
        return cls(
            id=str(obj["id"]),
            doc=str(obj["doc"]),
            kind=str(obj["kind"]),
            text=str(obj["text"]),
            start=int(obj["start"]),  # type: ignore[call-overload]
            end=int(obj["end"]),  # type: ignore[call-overload]
            page=int(obj["page"]),  # type: ignore[call-overload]
            quote=str(obj["quote"]),
            quote_start=int(obj["quote_start"]),  # type: ignore[call-overload]
            quote_end=int(obj["quote_end"]),  # type: ignore[call-overload]
            value=None if value is None else float(value),  # type: ignore[arg-type]
            unit=None if obj.get("unit") is None else str(obj["unit"]),
            qualifier=None if obj.get("qualifier") is None else str(obj["qualifier"]),
            year=None if year is None else int(year),  # type: ignore[call-overload]
            entities=tuple(
                (str(a), str(b))
                for a, b in obj.get("entities", ())  # type: ignore[attr-defined]
            ),
            extractor=str(obj.get("extractor", "")),
            extra=tuple((k, v) for k, v in obj.items() if k not in CONTRACT_KEYS),
        )


# The first letter of an id says its kind, so ids read well in templates.
ID_PREFIX = {"quantity": "q", "table": "t", "figure": "f", "claim": "c", "notice": "n",
             "threshold": "r",
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
