"""Compose a brief: template + facts + documents in, Quarto markdown and claims out.

Pure: no file is read or written here. The template body is rendered by a
sandboxed Jinja environment in which an undefined name is an error, and whose
functions are ``fact(name)`` (the value as the source wrote it, with a
footnote citing document, page and quote), ``chart(name)`` (a figure with an
``#fig-`` id and its alt text) and ``table(name)`` (a pipe table with a
``#tbl-`` id, prepared by the build). Every error names the template file and
line.

The front matter adds what a reader expects of a published brief, in
documented Quarto syntax: the date, a bibliography of the cited documents
(CSL JSON formatted by citeproc with the shipped Chicago author-date style),
the HTML's link to the PDF, and figures that float to the top or bottom of
a page instead of leaving half a page blank.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from briefs.bibliography import REFERENCES, STYLE, csl_items
from briefs.errors import TemplateError
from briefs.sandbox import render_template
from briefs.spec import BriefSpec, ChartSpec, FactRef
from extract.records import Document, Fact

MD_SPECIAL = re.compile(r"([\\`*_\[\]<>$#|])")
FACT_ID = re.compile(r"q[0-9a-f]{11}")


@dataclass(frozen=True, slots=True)
class Claim:
    """One cited fact in a built brief, with everything a reviewer needs."""

    claim: str
    fact: str
    name: str
    rendered: str
    sentence: str
    value: float | None
    unit: str | None
    doc: str
    title: str
    page: int
    quote: str
    start: int
    end: int
    quote_start: int
    quote_end: int

    def to_json(self) -> dict[str, object]:
        """The claim as claims.json stores it."""
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(frozen=True, slots=True)
class Edition:
    """Which version of a brief this is, and when it was built (``YYYY-MM-DD``)."""

    version: int
    built: str

    def line(self, series: str) -> str:
        """The series line of the title block: ``Series · v3, built 2026-12-05``."""
        this = f"v{self.version}, built {self.built}"
        return f"{md_escape(series)} · {this}" if series else this


@dataclass(frozen=True, slots=True)
class Composed:
    """A composed brief, not yet written."""

    qmd: str
    claims: tuple[Claim, ...]
    charts: tuple[ChartSpec, ...]
    documents: tuple[Document, ...]
    references: tuple[dict[str, object], ...] = ()
    tables: tuple[ChartSpec, ...] = ()


@dataclass(slots=True)
class Citations:
    """The facts cited so far, in order of first citation."""

    facts: dict[str, tuple[str, Fact]] = field(
        default_factory=dict
    )  # id -> (name, fact)
    charts: dict[str, ChartSpec] = field(default_factory=dict)
    tables: dict[str, ChartSpec] = field(default_factory=dict)

    def claim_id(self, name: str, fact: Fact) -> str:
        """The footnote label of a fact, numbering new ones."""
        if fact.id not in self.facts:
            self.facts[fact.id] = (name, fact)
        return f"c{list(self.facts).index(fact.id) + 1}"


def md_escape(text: str) -> str:
    """Text safe to put in Quarto markdown as is.

    Markdown's special characters are backslash-escaped, ``<`` and ``>``
    among them, so that no text from a manifest, a document or a trade file
    can become raw HTML or Typst markup in the rendered brief.
    """
    return MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def resolve(
    spec: BriefSpec, facts: Sequence[Fact], docs: Iterable[Document]
) -> dict[str, Fact]:
    """Each of the template's named references, resolved against the store."""
    by_id = {f.id: f for f in facts}
    known_docs = {d.id for d in docs}
    return {ref.name: resolve_one(spec, ref, by_id, known_docs) for ref in spec.facts}


def resolve_one(
    spec: BriefSpec, ref: FactRef, by_id: dict[str, Fact], docs: set[str]
) -> Fact:
    """One reference: by id, or the single fact inside the quoted phrase."""
    if ref.fact_id is not None:
        if ref.fact_id in by_id:
            return by_id[ref.fact_id]
        msg = f"no fact '{ref.fact_id}' (for '{ref.name}'); run 'brief facts --grep TEXT' to find ids"
        raise TemplateError(spec.path, ref.line, msg)
    assert ref.doc is not None and ref.quote is not None
    if ref.doc not in docs:
        raise TemplateError(
            spec.path,
            ref.line,
            f"no document '{ref.doc}' in the corpus (for '{ref.name}')",
        )
    hits = sorted(
        (f for f in by_id.values() if f.doc == ref.doc and inside_phrase(f, ref.quote)),
        key=lambda f: f.start,
    )
    if not hits:
        msg = f"no fact of {ref.doc} lies inside the phrase \"{ref.quote}\" (for '{ref.name}')"
        raise TemplateError(spec.path, ref.line, msg)
    if ref.occurrence is not None:
        if ref.occurrence <= len(hits):
            return hits[ref.occurrence - 1]
        msg = f"'{ref.name}' asks for occurrence {ref.occurrence}, but the phrase holds {len(hits)} facts"
        raise TemplateError(spec.path, ref.line, msg)
    if len(hits) == 1:
        return hits[0]
    found = ", ".join(f"{f.id} '{f.text}' at {f.start}" for f in hits)
    msg = (
        f"the phrase for '{ref.name}' is ambiguous: it holds {len(hits)} facts ({found}); "
        "quote more of the sentence, add 'occurrence: N', or use an id"
    )
    raise TemplateError(spec.path, ref.line, msg)


def inside_phrase(fact: Fact, phrase: str) -> bool:
    """True when the fact's mention lies within an occurrence of the phrase in its sentence."""
    offset = fact.start - fact.quote_start
    pos = fact.quote.find(phrase)
    while pos >= 0:
        if pos <= offset and offset + len(fact.text) <= pos + len(phrase):
            return True
        pos = fact.quote.find(phrase, pos + 1)
    return False


def compose(
    spec: BriefSpec,
    facts: dict[str, Fact],
    documents: Sequence[Document],
    tool: str,
    all_facts: Sequence[Fact] = (),
    edition: Edition | None = None,
    alts: Mapping[str, str] | None = None,
    tables: Mapping[str, str] | None = None,
) -> Composed:
    """Render the template into Quarto markdown with footnote citations and claims.

    ``edition`` puts the version and build date in the title block; ``alts``
    are the charts' alt texts and ``tables`` the tables' markdown, by name.
    """
    cites = Citations()
    by_id = {f.id: f for f in all_facts}
    body = render_body(spec, facts, by_id, cites, alts or {}, tables or {})
    docs = {d.id: d for d in documents}
    cited_docs = tuple(dict.fromkeys(docs[f.doc] for _, f in cites.facts.values()))
    claims = tuple(make_claims(cites, docs, body))
    qmd = "\n".join(
        [
            front_matter(spec, tool, edition, bool(cited_docs)),
            f"<!-- Generated by tracebrief {tool} from {spec.path.name}; edit the template, not this file. -->",
            "",
            series_line(spec, edition),
            body.rstrip(),
            "",
            sources_section(cited_docs),
            footnotes(claims, docs),
        ]
    )
    return Composed(
        qmd=qmd.rstrip() + "\n",
        claims=claims,
        charts=tuple(cites.charts.values()),
        documents=cited_docs,
        references=tuple(csl_items(cited_docs)),
        tables=tuple(cites.tables.values()),
    )


# Typst: figures float to the top or bottom of a page (never half a page blank).
TYPST_HEADER = "#set figure(placement: auto)"
HTML_HEADER = (
    "<style>.brief-meta{color:#555;font-size:0.9em;text-align:center;margin:0 0 1.5em}"
    ".table-note{color:#555;font-size:0.85em}</style>"
)
PDF_LINK = {"text": "PDF", "href": "brief.pdf", "icon": "file-pdf"}


def front_matter(
    spec: BriefSpec, tool: str, edition: Edition | None = None, cites: bool = False
) -> str:
    """The Quarto options of the template, with the brief's own, marked as generated."""
    options = publishing_options(spec.quarto, edition, cites)
    text = yaml.safe_dump(options, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n# Generated by tracebrief {tool} from {spec.path.name}\n{text}---\n"


def publishing_options(
    quarto: dict[str, Any], edition: Edition | None, cites: bool
) -> dict[str, Any]:
    """The template's options plus date, bibliography, PDF link and float placement.

    What the template sets itself wins; only documented Quarto options are added.
    """
    options = dict(quarto)
    if edition is not None:
        options.setdefault("date", edition.built)
    if cites:
        options.setdefault("bibliography", REFERENCES)
        options.setdefault("csl", STYLE)
        options.setdefault("nocite", "@*")
    formats = options.get("format")
    formats = dict(formats) if isinstance(formats, dict) else {}
    html = dict(formats.get("html") or {})
    html.setdefault("format-links", [PDF_LINK])
    html.setdefault("include-in-header", {"text": HTML_HEADER})
    typst = dict(formats.get("typst") or {})
    typst.setdefault("include-in-header", {"text": TYPST_HEADER})
    if cites:
        typst.setdefault("citeproc", True)  # pandoc's citeproc, as in the HTML
    formats["html"], formats["typst"] = html, typst
    options["format"] = formats
    return options


def series_line(spec: BriefSpec, edition: Edition | None) -> str:
    """The line under the title: the series, the version and the build date."""
    if edition is None and not spec.series:
        return ""
    text = edition.line(spec.series) if edition else md_escape(spec.series)
    return f"::: {{.brief-meta}}\n{text}\n:::\n"


def render_body(
    spec: BriefSpec,
    facts: dict[str, Fact],
    by_id: dict[str, Fact],
    cites: Citations,
    alts: Mapping[str, str],
    tables: Mapping[str, str],
) -> str:
    """The template body through the sandbox; front matter lines kept blank so lines match."""
    end = spec.source.index("\n---", 3) + 4
    blanked = "\n" * spec.source[:end].count("\n") + spec.source[end:]
    names = {
        "fact": fact_function(spec, facts, by_id, cites),
        "chart": chart_function(spec, cites, alts),
        "table": table_function(spec, cites, tables),
    }
    return render_template(spec.path, blanked, names).lstrip("\n")


def fact_function(
    spec: BriefSpec, facts: dict[str, Fact], by_id: dict[str, Fact], cites: Citations
) -> Any:
    """``fact(name)``: the value as written, with its footnote."""

    def fact(name: str) -> str:
        found = facts.get(name) or by_id.get(name)
        if found is None:
            hint = (
                "a name under brief.facts"
                if not FACT_ID.fullmatch(name)
                else "a fact id in the store"
            )
            raise TemplateError(
                spec.path,
                None,
                f"no fact '{name}' ({hint}); run 'brief facts --grep TEXT' to find ids",
            )
        return f"{md_escape(found.text)}[^{cites.claim_id(name, found)}]"

    return fact


def chart_function(spec: BriefSpec, cites: Citations, alts: Mapping[str, str]) -> Any:
    """``chart(name)``: a figure with a caption, a ``#fig-`` id and alt text."""

    def chart(name: str) -> str:
        found = spec.chart(name)
        if found is None:
            raise TemplateError(
                spec.path, None, f"no chart '{name}' under brief.charts"
            )
        cites.charts[name] = found
        alt = found.alt or alts.get(name) or found.caption
        attrs = f'#{figure_id(name)} fig-alt="{attribute(alt)}"'
        return f"![{md_escape(found.caption)}](charts/{name}.svg){{{attrs}}}"

    return chart


def table_function(spec: BriefSpec, cites: Citations, tables: Mapping[str, str]) -> Any:
    """``table(name)``: a pipe table the build prepared, with a ``#tbl-`` id."""

    def table(name: str) -> str:
        found = spec.table(name)
        if found is None or name not in tables:
            raise TemplateError(
                spec.path, None, f"no table '{name}' under brief.tables"
            )
        cites.tables[name] = found
        return tables[name]

    return table


def attribute(text: str) -> str:
    """Text safe inside a double-quoted markdown attribute value."""
    return " ".join(text.replace("\\", "/").replace('"', "'").split())


def table_id(name: str) -> str:
    """The Quarto table id of a table: ``tbl-`` and the name with hyphens."""
    return "tbl-" + name.replace("_", "-")


def figure_id(name: str) -> str:
    """The Quarto figure id of a chart: ``fig-`` and the name with hyphens."""
    return "fig-" + name.replace("_", "-")


def make_claims(
    cites: Citations, docs: dict[str, Document], body: str
) -> Iterable[Claim]:
    """A claim per cited fact, with the sentence of the brief that cites it."""
    for i, (fact_id, (name, f)) in enumerate(cites.facts.items(), 1):
        yield Claim(
            claim=f"c{i}",
            fact=fact_id,
            name=name,
            rendered=f.text,
            sentence=citing_sentence(body, f"[^c{i}]"),
            value=f.value,
            unit=f.unit,
            doc=f.doc,
            title=docs[f.doc].title,
            page=f.page,
            quote=f.quote,
            start=f.start,
            end=f.end,
            quote_start=f.quote_start,
            quote_end=f.quote_end,
        )


def citing_sentence(body: str, marker: str) -> str:
    """The brief's sentence around the first use of a footnote marker, as plain text."""
    at = body.find(marker)
    para_start = body.rfind("\n\n", 0, at) + 2 if body.rfind("\n\n", 0, at) >= 0 else 0
    para_end = body.find("\n\n", at)
    para = body[para_start : para_end if para_end >= 0 else len(body)]
    offset = at - para_start
    starts = [0] + [m.end() for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z\"“(])", para)]
    start = max(s for s in starts if s <= offset)
    end = min(
        (
            m.end()
            for m in re.finditer(r"[.!?](?=\s+[A-Z\"“(]|\s*$)", para)
            if m.start() > offset + len(marker) - 1
        ),
        default=len(para),
    )
    text = re.sub(r"\[\^c\d+\]", "", para[start:end])
    return " ".join(text.replace("\\", "").replace("**", "").split()).lstrip("-*# ")


def citation_text(claim: Claim, doc: Document) -> str:
    """A footnote's text: who, what, when, where, the exact quote, and the ids."""
    who = f"{md_escape('; '.join(doc.authors))}, " if doc.authors else ""
    when = f" ({md_escape(doc.date)})" if doc.date else ""
    return (
        f"{who}*{md_escape(doc.title)}*{when}, p. {claim.page}: “{md_escape(claim.quote)}” "
        f"(claim {claim.claim}, fact `{claim.fact}`)"
    )


def footnotes(claims: Sequence[Claim], docs: dict[str, Document]) -> str:
    """The footnote definitions, one per claim."""
    return "\n".join(f"[^{c.claim}]: {citation_text(c, docs[c.doc])}" for c in claims)


def sources_section(docs: Sequence[Document]) -> str:
    """The Sources heading and the place citeproc puts the bibliography."""
    if not docs:
        return ""
    return "## Sources {.unnumbered}\n\n::: {#refs}\n:::\n"
