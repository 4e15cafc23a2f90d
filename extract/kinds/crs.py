"""CRS products: number, version, date, title and authors, and page furniture.

CRS prints its metadata in fixed places. An In Focus opens with its date
("Updated December 15, 2023") and title, and ends with its authors ("Kyla H.
Kitamura, Analyst in International Trade and Finance"), its product number on
a line of its own and a disclaimer page; every page carries the
``https://crsreports.congress.gov`` footer, and the last one ``IF12517 ·
VERSION 3 · UPDATED``. A report opens with its title and date, and lists its
authors under "Author Information" (names above titles, side by side when
there are several).

Two-column pages come out of a naive text extraction interleaved, so the
authors' block may arrive split ("Analyst in International Trade and" ...
"Finance"); ``_authors`` repairs the splits it can recognise.

``furniture_spans`` marks what is no part of the argument (footers, running
titles, "link to page 2" runs, the disclaimer, Word's "Error! Not a valid
bookmark self-reference." artifacts) so a caller can drop facts quoting it.
"""

from __future__ import annotations

import datetime
import itertools
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from extract.records import DocumentText, Fact, new_fact

logger = logging.getLogger(__name__)

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class CrsMeta:
    """A CRS product's metadata as printed on it; None where it is not."""

    product: str | None
    version: int | None
    date: str | None
    authors: tuple[tuple[str, str], ...]  # (name, title)
    title: str | None = None


# --------------------------------------------------------------------------
# Patterns
# --------------------------------------------------------------------------

_PRODUCT = r"(?:IF|IN|RS|RL|R|LSB|TE|IG)\d{4,5}"
_URL = r"https://crsreports\.congress\.gov"
_PRODUCT_LINE_RE = re.compile(rf"(?m)^[^\S\n]*(?P<product>{_PRODUCT})[^\S\n]*$")
_FOOTER_RE = re.compile(
    rf"(?:{_URL}[^\S\n]*\|[^\S\n]*)?(?:Congressional Research Service[^\S\n]+)?"
    rf"(?P<product>{_PRODUCT})[^\S\n]*·[^\S\n]*VERSION[^\S\n]+(?P<version>\d+)"
    r"[^\S\n]*·[^\S\n]*(?:UPDATED|NEW)(?:[^\S\n]+\d+)?"
)
_URL_RE = re.compile(_URL)
_URL_PRODUCT_RE = re.compile(rf"{_URL}[^\S\n]+(?P<product>{_PRODUCT})\b")

_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July",
                "August", "September", "October", "November", "December")  # fmt: skip
_MONTH = f"(?:{'|'.join(_MONTH_NAMES)})"
_DATE_LINE_RE = re.compile(
    rf"(?:Updated[^\S\n]+)?(?P<month>{_MONTH})[^\S\n]+(?P<day>\d{{1,2}}),"
    r"[^\S\n]*(?P<year>(?:19|20)\d{2})"
)
_HEAD_LINES = 12  # the date and title are among a document's first lines

# Furniture and artifacts.
_LINK_RUN_RE = re.compile(r"(?:link to page \d+[^\S\n]*)+")
_DISCLAIMER_RE = re.compile(
    r"(?m)^Disclaimer[^\S\n]*\n\s*This document was prepared by the Congressional"
    r"[\s\S]*?copyrighted material\."
)
_PAGE_FOOTER_RE = re.compile(
    r"(?m)^Congressional Research Service(?:[^\S\n]+\d+)?(?=[^\S\n]*$|[A-Z])"
)
# What a running title may be glued to: the footer of the page before.
_GLUED_BEFORE_RE = re.compile(rf"{_URL}|Congressional Research Service \d+")
_TOC_LINE_RE = re.compile(r"(?m)^.*\.{8,}[^\S\n]*\d+.*$")
# Word fields that failed to update. The two columns of a page may be
# interleaved through one, so a line of the other column can sit between two
# of its words ("(see Error! Not a valid" / other column / "bookmark ...").
_ARTIFACT_PHRASES = (
    "Error! Not a valid bookmark self-reference.",
    "Error! Reference source not found.",
    "Error! Bookmark not defined.",
    "Error! No text of specified style in document.",
)
_WORD_GAP = r"(?:\s+|[^\S\n]*\n[^\n]*\n[^\S\n]*)"
# One pattern per phrase, each word a group, so the pieces can be told apart.
_ARTIFACT_RES = tuple(
    re.compile(_WORD_GAP.join(f"({re.escape(w)})" for w in phrase.split()))
    for phrase in _ARTIFACT_PHRASES
)

# Authors: "Name, Title" (In Focus) or names above titles (reports).
_TITLE_START = (
    r"(?:(?:Senior|Acting|Assistant|Deputy|Principal)\s+)?"
    r"(?:Analyst|Specialist|Legislative\s+Attorney|Research\s+Librarian"
    r"|Research\s+Assistant|Section\s+Research\s+Manager|Visiting\s+Scholar"
    r"|Coordinator|Economist|Attorney)\b"
)
_TITLE_START_RE = re.compile(_TITLE_START)
# A name: first name or initial, an optional middle initial, a surname.
_NAME = (
    r"(?:[A-Z]\.[^\S\n]+)?[A-Z][a-z]+(?:[^\S\n]+[A-Z]\.)?[^\S\n]+"
    r"(?:Mc|Mac|O['\u2019])?[A-Z][a-z]+(?:[-'\u2019][A-Z][a-z]+)?"
)
_NAMED_RE = re.compile(rf"(?P<name>{_NAME}),[^\S\n]+(?={_TITLE_START})")
# Titles that are complete without a field ("Legislative Attorney"): words
# after one belong to a title the column layout cut short.
_CLOSED_TITLE_RE = re.compile(
    r"(?P<title>Legislative Attorney|(?:Senior )?Research Librarian"
    r"|Section Research Manager)\s+(?P<rest>\S.*)"
)
_DANGLING_RE = re.compile(r"(?:\b(?:and|of|in|for|on)|[&,])\s*$")
_CONTINUES_RE = re.compile(r"(?:and|of|in|for|on|&)\b")
_CONTINUATION_MAX = 40  # a longer line is body text, not the rest of a title
_AUTHOR_INFO_RE = re.compile(r"(?m)^Author Information[^\S\n]*$")
_DISCLAIMER_LINE_RE = re.compile(r"(?m)^Disclaimer[^\S\n]*$")
_AUTHOR_WINDOW = 2000  # characters before the disclaimer where authors sign
_SMALL_WORDS = frozenset(
    ("a", "an", "the", "and", "or", "of", "in", "on", "for", "to", "at", "by",
     "with", "from", "as", "vs", "via", "under", "into", "beyond", "nor", "but")
)  # fmt: skip


# --------------------------------------------------------------------------
# Metadata
# --------------------------------------------------------------------------


def extract_crs_meta(text: str) -> CrsMeta:
    """Product number, version, date, authors and title of a CRS product's text.

    >>> meta = extract_crs_meta(
    ...     "Updated December 15, 2023\\nU.S.-Japan Critical Minerals Agreement\\n"
    ...     "On March 28, 2023, the United States and Japan signed a\\n...\\n"
    ...     "IF12517\\nKyla H. Kitamura, Analyst in International Trade and\\n"
    ...     "Finance\\nDisclaimer\\n"
    ...     "https://crsreports.congress.gov | IF12517 · VERSION 3 · UPDATED")
    >>> meta.product, meta.version, meta.date, meta.title
    ('IF12517', 3, '2023-12-15', 'U.S.-Japan Critical Minerals Agreement')
    >>> meta.authors
    (('Kyla H. Kitamura', 'Analyst in International Trade and Finance'),)
    """
    product = find_product(text)
    footer = _FOOTER_RE.search(text)
    head = _head_lines(text)
    date_at = _date_line(text, head)
    date = None if date_at is None else _DATE_LINE_RE.fullmatch(text, *head[date_at])
    return CrsMeta(
        product=product[0] if product else None,
        version=int(footer["version"]) if footer else None,
        date=_iso(date),
        authors=_authors(text),
        title=_title(text, head, date_at),
    )


def find_product(text: str) -> tuple[str, Span] | None:
    """The product number and where it is printed, or None.

    Where it stands on a line of its own (as under an In Focus's authors),
    else after a report cover's URL, else in the last page's footer (which
    is furniture, so a last resort); a number quoted in the body ("see CRS
    Report R48875") is never the product's own.
    """
    for pattern in (_PRODUCT_LINE_RE, _URL_PRODUCT_RE, _FOOTER_RE):
        m = pattern.search(text)
        if m is not None:
            return m["product"], m.span("product")
    return None


def _head_lines(text: str) -> list[Span]:
    """The first non-blank lines, trimmed."""
    return list(itertools.islice(_line_spans(text), _HEAD_LINES))


def _line_spans(text: str) -> Iterator[Span]:
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        if body.strip():
            start = pos + len(body) - len(body.lstrip())
            yield start, start + len(body.strip())
        pos += len(raw)


def _date_line(text: str, head: Sequence[Span]) -> int | None:
    """The index of the line holding only the product's date."""
    return next(
        (i for i, s in enumerate(head) if _DATE_LINE_RE.fullmatch(text, *s)), None
    )


def _iso(m: re.Match[str] | None) -> str | None:
    if m is None:
        return None
    month = _MONTH_NAMES.index(m["month"]) + 1
    return datetime.date(int(m["year"]), month, int(m["day"])).isoformat()


def _title(text: str, head: Sequence[Span], date_at: int | None) -> str | None:
    """The title: the title-case lines after the date (In Focus) or before it
    (reports); a wrapped title spans two or three lines."""
    if date_at is None:
        return None
    if date_at == 0 or not _is_title_case(_line(text, head[date_at - 1])):
        after = [_line(text, s) for s in head[date_at + 1 : date_at + 4]]
        parts = after[:1] if after and _is_title_case(after[0]) else []
        # A wrapped title goes on over more title-case lines; a one-word line
        # after it is the first section heading ("Overview", "Background").
        for line in after[1:]:
            if not (_is_title_case(line) and " " in line):
                break
            parts.append(line)
    else:
        before = head[max(0, date_at - 3) : date_at]
        kept = [_line(text, s) for s in before]
        while kept and not _is_title_case(kept[0]):
            kept.pop(0)
        parts = kept
    return " ".join(parts) or None


def _line(text: str, span: Span) -> str:
    return text[span[0] : span[1]]


def _is_title_case(line: str) -> bool:
    """ "Section 122 of the Trade Act of 1974" yes; "On March 28, the ..." no."""
    words = line.split()
    if not words or len(line) > 120 or line.endswith("."):
        return False
    for word in words[1:]:
        letters = re.sub(r"^[^A-Za-z]+", "", word)
        if letters and letters[0].islower() and letters.lower() not in _SMALL_WORDS:
            return False
    return True


# --------------------------------------------------------------------------
# Authors
# --------------------------------------------------------------------------


def _authors(text: str) -> tuple[tuple[str, str], ...]:
    """(name, title) of each author, in the order printed."""
    info = _AUTHOR_INFO_RE.search(text)
    if info is not None:
        end = _DISCLAIMER_LINE_RE.search(text, info.end())
        region = text[info.end() : end.start() if end else info.end() + 1000]
        named = _named_authors(region)
        return named or tuple(_column_authors(region))
    disclaimers = list(_DISCLAIMER_LINE_RE.finditer(text))
    stop = disclaimers[-1].start() if disclaimers else len(text)
    return _named_authors(text[max(0, stop - _AUTHOR_WINDOW) : stop])


def _named_authors(region: str) -> tuple[tuple[str, str], ...]:
    """Authors written "Name, Title", however the columns interleaved them."""
    found = list(_NAMED_RE.finditer(region))
    titles: list[str] = []
    for k, m in enumerate(found):
        line_end = region.find("\n", m.end())
        end = len(region) if line_end < 0 else line_end
        if k + 1 < len(found):
            end = min(end, found[k + 1].start())
        title = " ".join(region[m.end() : end].split())
        titles.append(_continued(title, region, end))
    return tuple(
        (" ".join(m["name"].split()), t)
        for m, t in zip(found, _repaired(titles), strict=True)
    )


def _continued(title: str, region: str, end: int) -> str:
    """A title with its wrapped rest from the next line: "... Trade and" + "Finance"."""
    if region[end : end + 1] != "\n":
        return title
    line_end = region.find("\n", end + 1)
    following = region[end + 1 : line_end if line_end >= 0 else len(region)].strip()
    if not following or len(following) > _CONTINUATION_MAX:
        return title
    if _NAMED_RE.search(following) or following == "Disclaimer":
        return title
    if _DANGLING_RE.search(title) or _CONTINUES_RE.match(following):
        return f"{title} {following}"
    return title


def _repaired(titles: Sequence[str]) -> list[str]:
    """Titles with words that the column layout moved put back.

    "Analyst in International Trade and" + "Legislative Attorney Finance" ->
    "Analyst in International Trade and Finance" + "Legislative Attorney".
    """
    fixed = list(titles)
    for i, title in enumerate(fixed):
        closed = _CLOSED_TITLE_RE.fullmatch(title)
        dangling = next(
            (k for k, t in enumerate(fixed) if k != i and _DANGLING_RE.search(t)), None
        )
        if closed is not None and dangling is not None:
            fixed[i] = closed["title"]
            fixed[dangling] = f"{fixed[dangling]} {closed['rest']}"
    return fixed


def _column_authors(region: str) -> Iterator[tuple[str, str]]:
    """Authors printed as names above titles: "John Frittelli Ben Goldman" then
    "Specialist in Transportation Policy Analyst in Transportation Policy"."""
    names: list[str] = []
    for line in region.splitlines():
        starts = [m.start() for m in _TITLE_START_RE.finditer(line)]
        prefix = line[: starts[0]] if starts else line
        names.extend(prefix.split())
        if not starts:
            continue
        titles = [
            " ".join(line[a:b].split())
            for a, b in zip(starts, [*starts[1:], len(line)], strict=True)
        ]
        yield from zip(_split_names(names, len(titles)), titles, strict=False)
        names = []


def _split_names(tokens: Sequence[str], count: int) -> list[str]:
    """``tokens`` cut into ``count`` names of two or more words, none ending in
    an initial: ["Danielle", "M.", "Trachtenberg", "Ben", "Goldman"] -> two."""
    if count <= 1:
        return [" ".join(tokens)] if tokens else []
    for cuts in itertools.combinations(range(2, len(tokens) - 1), count - 1):
        bounds = [0, *cuts, len(tokens)]
        groups = [tokens[a:b] for a, b in itertools.pairwise(bounds)]
        if all(len(g) >= 2 and not g[-1].endswith(".") for g in groups):
            return [" ".join(g) for g in groups]
    return []


# --------------------------------------------------------------------------
# Furniture
# --------------------------------------------------------------------------


def furniture_spans(text: str) -> tuple[Span, ...]:
    """Spans of page furniture and artifacts, sorted and merged.

    Footers (``https://crsreports.congress.gov``, ``IF12517 · VERSION 3 ·
    UPDATED``, "Congressional Research Service 5"), running titles repeated
    on later pages, "link to page 2" runs, the table of contents' dotted
    lines, the disclaimer, and Word's "Error! ..." field artifacts. Facts
    whose quote overlaps one are dropped by the caller.
    """
    patterns = (
        _FOOTER_RE, _LINK_RUN_RE, _DISCLAIMER_RE, _PAGE_FOOTER_RE, _TOC_LINE_RE,
        _URL_RE,
    )  # fmt: skip
    spans = [m.span() for p in patterns for m in p.finditer(text)]
    spans.extend(_running_titles(text))
    spans.extend(artifact_spans(text))
    return tuple(_merged(spans))


def artifact_spans(text: str) -> tuple[Span, ...]:
    """Spans of Word field artifacts ("Error! Not a valid bookmark self-reference.").

    An artifact cut by a line of the other column is two spans, so that line
    is not taken for furniture.
    """
    return tuple(piece for found in _artifacts(text) for piece in found)


def _artifacts(text: str) -> Iterator[tuple[Span, ...]]:
    """Each artifact, in text order, as the spans of its pieces."""
    found = [m for p in _ARTIFACT_RES for m in p.finditer(text)]
    for m in sorted(found, key=_start):
        pieces: list[Span] = []
        for i in range(1, len(m.groups()) + 1):
            start, end = m.span(i)
            if pieces and not text[pieces[-1][1] : start].strip():
                pieces[-1] = (pieces[-1][0], end)  # same piece: only space between
            else:
                pieces.append((start, end))
        yield tuple(pieces)


def _start(m: re.Match[str]) -> int:
    return m.start()


def _running_titles(text: str) -> Iterator[Span]:
    """The title printed again at the top of later pages: on a line of its own,
    or glued to the footer before it ("https://crsreports.congress.govU.S.-...")."""
    head = _head_lines(text)
    title = _title(text, head, _date_line(text, head))
    if not title:
        return
    pattern = re.compile(r"[^\S\n]+".join(re.escape(w) for w in title.split()))
    for m in pattern.finditer(text, max(e for _, e in head)):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        before = text[line_start : m.start()].strip()
        after = text[m.end() : line_end if line_end >= 0 else len(text)].strip()
        if not after and (not before or _GLUED_BEFORE_RE.fullmatch(before)):
            yield m.span()


def _merged(spans: Sequence[Span]) -> Iterator[Span]:
    """Sorted spans with overlapping and touching ones joined."""
    current: Span | None = None
    for start, end in sorted(spans):
        if current is not None and start <= current[1]:
            current = (current[0], max(current[1], end))
            continue
        if current is not None:
            yield current
        current = (start, end)
    if current is not None:
        yield current


# --------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------


def crs_facts(doc_id: str, sha256: str, text: DocumentText) -> list[Fact]:
    """The ``document`` fact of a CRS product: its metadata, at its number.

    A text with no CRS product number gives no fact. Each Word field artifact
    is logged, naming the document: it was left in the text, and the caller
    narrows quotes to stop short of it (see ``furniture_spans``).
    """
    for pieces in _artifacts(text.text):
        start = pieces[0][0]
        written = " ".join(" ".join(text.text[s:e].split()) for s, e in pieces)
        logger.warning(
            "%s: Word artifact %r at offset %d (page %d); dropped from quotes",
            doc_id, written, start, text.page_at(start),
        )  # fmt: skip
    found = find_product(text.text)
    if found is None:
        return []
    meta = extract_crs_meta(text.text)
    fact = new_fact(
        doc_id, sha256, text, "document", found[1], key=found[0],
        product=meta.product, version=meta.version, date=meta.date,
        title=meta.title,
        authors=[{"name": name, "title": title} for name, title in meta.authors],
    )  # fmt: skip
    return [fact]
