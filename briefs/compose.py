"""Compose a brief: template + facts + documents in, Quarto markdown and claims out.

Pure: no file is read or written here. The template body is rendered by a
sandboxed Jinja environment in which an undefined name is an error, and whose
functions are ``fact(name)`` (the value as the source wrote it, with a
footnote citing document, page and quote) and ``chart(name)`` (a figure with
an ``#fig-`` id). Every error names the template file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from briefs.errors import TemplateError
from briefs.sandbox import render_template
from briefs.spec import BriefSpec, ChartSpec, FactRef
from extract.corpus import WEB_URL
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
class Composed:
    """A composed brief, not yet written."""

    qmd: str
    claims: tuple[Claim, ...]
    charts: tuple[ChartSpec, ...]
    documents: tuple[Document, ...]


@dataclass(slots=True)
class Citations:
    """The facts cited so far, in order of first citation."""

    facts: dict[str, tuple[str, Fact]] = field(
        default_factory=dict
    )  # id -> (name, fact)
    charts: dict[str, ChartSpec] = field(default_factory=dict)

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
) -> Composed:
    """Render the template into Quarto markdown with footnote citations and claims."""
    cites = Citations()
    by_id = {f.id: f for f in all_facts}
    body = render_body(spec, facts, by_id, cites)
    docs = {d.id: d for d in documents}
    cited_docs = tuple(dict.fromkeys(docs[f.doc] for _, f in cites.facts.values()))
    claims = tuple(make_claims(cites, docs, body))
    qmd = "\n".join(
        [
            front_matter(spec, tool),
            f"<!-- Generated by tracebrief {tool} from {spec.path.name}; edit the template, not this file. -->",
            "",
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
    )


def front_matter(spec: BriefSpec, tool: str) -> str:
    """The Quarto options of the template, marked as generated."""
    options = yaml.safe_dump(
        spec.quarto, sort_keys=False, allow_unicode=True, width=1000
    )
    return (
        f"---\n# Generated by tracebrief {tool} from {spec.path.name}\n{options}---\n"
    )


def render_body(
    spec: BriefSpec, facts: dict[str, Fact], by_id: dict[str, Fact], cites: Citations
) -> str:
    """The template body through the sandbox; front matter lines kept blank so lines match."""
    end = spec.source.index("\n---", 3) + 4
    blanked = "\n" * spec.source[:end].count("\n") + spec.source[end:]
    names = {
        "fact": fact_function(spec, facts, by_id, cites),
        "chart": chart_function(spec, cites),
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


def chart_function(spec: BriefSpec, cites: Citations) -> Any:
    """``chart(name)``: a figure with a caption and a ``#fig-`` id."""

    def chart(name: str) -> str:
        found = spec.chart(name)
        if found is None:
            raise TemplateError(
                spec.path, None, f"no chart '{name}' under brief.charts"
            )
        cites.charts[name] = found
        return f"![{md_escape(found.caption)}](charts/{name}.svg){{#{figure_id(name)}}}"

    return chart


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
    """A list of every document the brief cites."""
    lines = ["## Sources {.unnumbered}", ""]
    for d in docs:
        parts = [
            md_escape("; ".join(d.authors)),
            f"*{md_escape(d.title)}*",
            md_escape(d.publisher),
            md_escape(d.date),
        ]
        url = f" <{d.url}>" if WEB_URL.match(d.url) else ""
        cite = ". ".join(p for p in parts if p)
        lines.append(
            f"- {cite}.{url} Corpus document `{d.id}`, sha256 `{d.sha256[:12]}`."
        )
    return "\n".join(lines) + "\n"
