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
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from briefs.bibliography import REFERENCES, STYLE, csl_items
from briefs.claims import Claim
from briefs.errors import TemplateError
from briefs.locate import Anchor, as_read, page_anchor
from briefs.sandbox import render_template
from briefs.spec import BriefSpec, ChartSpec, FactRef
from extract.records import Document, Fact

MD_SPECIAL = re.compile(r"([\\`*_\[\]<>$#|])")
VERBATIM_SPECIAL = re.compile(r"([\\`*_\[\]<>$#|'\"~^@&])")
CLAIM_SPAN = re.compile(r'\[((?:[^\]\\]|\\.)*)\]\{\.claim data-claim="(c\d+)"\}')
NOTE_REF = re.compile(r"\[\^(c\d+)\]")
FACT_ID = re.compile(r"q[0-9a-f]{11}")


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
    lines: dict[str, int | None] = field(default_factory=dict)  # claim -> line
    notes: dict[tuple[str, int, int], str] = field(default_factory=dict)

    def claim_id(self, name: str, fact: Fact) -> str:
        """The claim id of a fact, numbering new ones."""
        if fact.id not in self.facts:
            self.facts[fact.id] = (name, fact)
        return f"c{list(self.facts).index(fact.id) + 1}"

    def note_label(self, fact: Fact, claim: str) -> str:
        """The footnote label of a fact: the first claim quoting its sentence."""
        key = (fact.doc, fact.quote_start, fact.quote_end)
        return self.notes.setdefault(key, claim)


def md_escape(text: str) -> str:
    """Text safe to put in Quarto markdown as is.

    Markdown's special characters are backslash-escaped, ``<`` and ``>``
    among them, so that no text from a manifest, a document or a trade file
    can become raw HTML or Typst markup in the rendered brief.
    """
    return MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def verbatim(text: str) -> str:
    """Source text for Quarto markdown that renders character for character.

    Beyond :func:`md_escape`, straight quotes, ``--`` and ``...`` are escaped so
    that pandoc's (and Quarto's) smart punctuation leaves them alone.
    """
    escaped = VERBATIM_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    escaped = re.sub(r"-(?=-)", r"\\-", escaped)
    return re.sub(r"\.(?=\.)", r"\\.", escaped)


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
    anchors: Callable[[Fact], Anchor] = page_anchor,
) -> Composed:
    """Render the template into Quarto markdown with footnote citations and claims.

    ``edition`` puts the version and build date in the title block; ``alts``
    are the charts' alt texts and ``tables`` the tables' markdown, by name.
    ``anchors`` says where each cited fact's quote lives (page, line or
    section, and the text around it); by default only its page is known.
    """
    cites = Citations()
    by_id = {f.id: f for f in all_facts}
    body = render_body(spec, facts, by_id, cites, alts or {}, tables or {})
    check_printed(spec, body, cites)
    body, numbers = number_notes(body)
    docs = {d.id: d for d in documents}
    cited_docs = tuple(dict.fromkeys(docs[f.doc] for _, f in cites.facts.values()))
    claims = tuple(make_claims(cites, docs, body, numbers, anchors))
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


# Typst: figures float to the top or bottom of a page (never half a page blank);
# tables stay where they are, beside their source note (pandoc's kind, Quarto's).
TYPST_HEADER = (
    "#set figure(placement: auto)\n"
    "#show figure.where(kind: table): set figure(placement: none)\n"
    '#show figure.where(kind: "quarto-float-tbl"): set figure(placement: none)'
)
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
    """``fact(name)``: the value as written, marked as a claim, with its footnote."""

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
        claim = cites.claim_id(name, found)
        cites.lines.setdefault(claim, calling_line())
        return f"{claim_span(found.text, claim)}[^{cites.note_label(found, claim)}]"

    return fact


def claim_span(text: str, claim: str) -> str:
    """A printed value in Quarto markdown: a span naming its claim."""
    return f'[{verbatim(text)}]{{.claim data-claim="{claim}"}}'


def calling_line() -> int | None:
    """The template line of the Jinja expression calling into Python right now."""
    frame = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            return int(template.get_corresponding_lineno(frame.f_lineno))
        frame = frame.f_back  # type: ignore[assignment]
    return None


def check_printed(spec: BriefSpec, body: str, cites: Citations) -> None:
    """Every value ``fact()`` printed must reach the brief unaltered.

    A template filter applied to ``fact(...)`` (``| replace``, ``| upper``)
    would print something other than what the source says under a footnote
    quoting the source: that is an error naming the template line.
    """
    printed = {m.group(2): m.group(1) for m in CLAIM_SPAN.finditer(body)}
    for claim, (name, found) in zip(
        claims_of(cites), cites.facts.values(), strict=True
    ):
        want = verbatim(found.text)
        if printed.get(claim) == want and all(
            m.group(1) == want for m in CLAIM_SPAN.finditer(body) if m.group(2) == claim
        ):
            continue
        shown = printed.get(claim)
        now = f"'{shown}'" if shown is not None else "nothing recognisable"
        msg = (
            f"fact '{name}' prints {now} instead of '{want}': a filter or expression "
            "changed the value after fact(); print fact(...) as it is"
        )
        raise TemplateError(spec.path, cites.lines.get(claim), msg)


def claims_of(cites: Citations) -> list[str]:
    """The claim ids in order of first citation."""
    return [f"c{i}" for i in range(1, len(cites.facts) + 1)]


def number_notes(body: str) -> tuple[str, dict[str, int]]:
    """Number footnotes in order of first use; a later use refers to the same note.

    pandoc and Quarto give every ``[^label]`` reference its own copy of the
    note, so only the first reference stays a footnote; later ones become the
    same superscript number, linked to the note in HTML.
    """
    numbers: dict[str, int] = {}

    def ref(m: re.Match[str]) -> str:
        label = m.group(1)
        if label not in numbers:
            numbers[label] = len(numbers) + 1
            return m.group(0)
        n = numbers[label]
        html = f'<a href="#fn{n}" class="footnote-ref" role="doc-noteref"><sup>{n}</sup></a>'
        return f"`{html}`{{=html}}`#super[{n}]`{{=typst}}"

    return NOTE_REF.sub(ref, body), numbers


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
    cites: Citations,
    docs: dict[str, Document],
    body: str,
    numbers: dict[str, int],
    anchors: Callable[[Fact], Anchor],
) -> Iterable[Claim]:
    """A claim per cited fact, with the sentence of the brief that cites it."""
    for claim, (name, f) in zip(claims_of(cites), cites.facts.values(), strict=True):
        where = anchors(f)
        label = cites.notes[(f.doc, f.quote_start, f.quote_end)]
        yield Claim(
            claim=claim,
            fact=f.id,
            name=name,
            rendered=f.text,
            sentence=citing_sentence(body, claim),
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
            note=numbers.get(label, 0),
            prefix=where.prefix,
            suffix=where.suffix,
            location=where.location,
            doc_sha256=docs[f.doc].sha256,
        )


def citing_sentence(body: str, claim: str) -> str:
    """The brief's sentence around the first printing of a claim, as plain text."""
    marker = f'data-claim="{claim}"'
    at = body.find(marker)
    if at < 0:
        return ""
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
            if m.start() > offset + len(marker)
        ),
        default=len(para),
    )
    return plain_text(para[start:end])


def plain_text(markdown: str) -> str:
    """Brief markdown as a reader sees it: values, without notes or markup."""
    text = CLAIM_SPAN.sub(lambda m: m.group(1), markdown)
    text = re.sub(r"`[^`]*`\{=\w+\}", "", text)
    text = re.sub(r"\[\^c\d+\]", "", text)
    text = re.sub(r"\\(.)", r"\1", text.replace("**", ""))
    return " ".join(text.split()).lstrip("-*# ")


def short_author(doc: Document) -> str:
    """Authors as a citation names them: "Smith", "Smith and Jones", "Smith et al."."""
    names = [
        a.split(",")[0].strip() if "," in a else a.split()[-1] for a in doc.authors
    ]
    if not names:
        return re.sub(r"\s*\(.*?\)", "", doc.publisher).strip()
    if len(names) <= 2:
        return " and ".join(names)
    return f"{names[0]} et al."


def short_title(title: str) -> str:
    """A title up to its colon, as short citations give it."""
    return title.split(":", 1)[0].strip()


def citation_text(claims: Sequence[Claim], doc: Document) -> str:
    """A footnote's text: who, what, when, where, and the exact quote.

    Several figures quoted from one sentence share the note, which names
    each. Ids and hashes stay out of it (they are in claims.json and on the
    evidence page, which the HTML links to).
    """
    first = claims[0]
    year = re.search(r"\b(?:1[89]|20)\d\d\b", doc.date)
    parts = [
        short_author(doc),
        f"*{md_escape(short_title(doc.title))}*",
        year.group(0) if year else "",
    ]
    where = first.location.label
    cite = ", ".join(md_escape(p) if i != 1 else p for i, p in enumerate(parts) if p)
    named = ""
    if len(claims) > 1:
        values = [verbatim(c.rendered) for c in claims]
        named = f" ({', '.join(values[:-1])} and {values[-1]})"
    link = f'<a class="tb-evidence" href="review.html#{first.claim}">evidence</a>'
    return (
        f"{cite}, {md_escape(where)}{named}: "
        f"[“{verbatim(as_read(first.quote, doc.path))}”]{{.tb-quote}}"
        f" `{link}`{{=html}}"
    )


def footnotes(claims: Sequence[Claim], docs: dict[str, Document]) -> str:
    """The footnote definitions, one per quoted sentence, in note order."""
    groups: dict[tuple[str, int, int], list[Claim]] = {}
    for c in claims:
        groups.setdefault(c.sentence_key, []).append(c)
    ordered = sorted(groups.values(), key=lambda g: g[0].note)
    return "\n".join(
        f"[^{g[0].claim}]: {citation_text(g, docs[g[0].doc])}" for g in ordered
    )


def sources_section(docs: Sequence[Document]) -> str:
    """The Sources heading and the place citeproc puts the bibliography."""
    if not docs:
        return ""
    return "## Sources {.unnumbered}\n\n::: {#refs}\n:::\n"
