"""Policy claims: the sentences and bullets that recommend, require, commit or act.

A claim is one sentence (or one bullet) of a document that states a
recommendation ("Refine HTS codes ..."), a requirement ("EVs must meet ..."),
a commitment ("the United States and Japan agreed to ..."), a measure ("the
DOD blacklisted CATL") or a sourced assertion ("According to 2024 data from
Benchmark Intelligence, China controls 70% ..."). Each comes with who acts,
on what, the dates it states, the thresholds of a requirement and, when
someone is cited, the source.

The pipeline is ``spacy.blank("en")`` plus rules (:mod:`extract.nlp`), so there
is no tagger and no parse: cues are Matcher token patterns, kept as data in
``data/claim_patterns.json`` with their weights, vetoes and word lists (and
matched by :mod:`extract.patterns`, which tries a pattern only where its first
word is), and a cue's subject is read off the tokens of its clause, entity labels helping.
The steps:

1. ``passages``: the document's blocks, a paragraph that a page break cut
   mid-sentence joined to its continuation; ``plain`` takes markdown markup
   out (keeping the way back to the document's offsets) before spaCy reads it;
2. ``passage_claims`` walks the passages in order, carrying a ``Context``: are
   we in a recommendations section or in one to skip ("Summary"), does a
   lead-in ("companies had to:") say what the bullets below it are, who has
   the floor ("The spokesperson commented on that:"), which parties did the
   text name last ("the two countries"), whom has it cited ("Nishimura");
3. a bullet that starts with a verb is a claim whole; other text is read a
   sentence at a time, and the strongest usable cue of a sentence makes it a
   claim (none in an "if"/"since" clause, a parenthesis or a headline);
   Chinese sentences, which the English tokenizer cannot split into words,
   are read with the rules file's regular expressions instead;
4. an English sentence in which the rules find no cue goes to the trained
   classifier (:mod:`extract.kinds.claim_model`): when its "none" score is
   below the rules file's ``none_threshold`` it is a claim of the
   classifier's best kind, its actor the subject before that kind's first
   cue (``data/claim_cues.json``). Cross-validated by document on the dev
   gold, the rules alone are the more precise and the classifier finds what
   they miss, so the rules decide where they fire.

Headings, definitions and effective-date sentences ("shall be implemented
from December 1, 2025") are not claims: the gold set's conventions
(``tests/gold/README.md``) say so, and dates have facts of their own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace
from functools import cache
from itertools import islice
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from extract.kinds.claim_model import (
    MIN_WORDS,
    Scores,
    cue_words,
    first_cue,
    score_docs,
)
from extract.nlp import Parses, data_text, pipeline
from extract.patterns import PatternMatcher
from extract.records import Block, DocumentText, Fact, new_fact
from extract.spans import doc_text, sentence_entities, trimmed, trimmed_range

CLAIM_KINDS = ("recommendation", "requirement", "commitment", "measure", "assertion")
PATTERNS_FILE = "claim_patterns.json"

Entities = tuple[tuple[str, str], ...]
Range = tuple[int, int]  # token indices, end exclusive


# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimDate:
    """A date a claim states, as written and as ISO 8601.

    The ISO form is as precise as the text: "2025-12-01", "2027-01", "2026",
    or "--09-29" for a day whose year the sentence leaves out.
    """

    text: str
    date: str

    def to_json(self) -> dict[str, object]:
        """The date as a JSON object."""
        return {"text": self.text, "date": self.date}


@dataclass(frozen=True, slots=True)
class Threshold:
    """A figure a requirement sets, with the year the sentence ties it to."""

    text: str
    value: float
    unit: str
    year: int | None

    def to_json(self) -> dict[str, object]:
        """The threshold as a JSON object."""
        value: object = int(self.value) if self.value.is_integer() else self.value
        return {"text": self.text, "value": value, "unit": self.unit, "year": self.year}


@dataclass(frozen=True, slots=True)
class PolicyClaim:
    """One claim: the sentence or bullet at ``start:end`` of the document text.

    ``actor`` is a canonical entity id ("department-of-defense"), several
    joined by "; " ("united-states; japan"), or the subject as written
    ("President Trump"); None for an imperative or an agentless passive.
    ``source`` is who an assertion cites, in the same forms; for an
    assertion the actor is that source (the speaker acts by saying it).
    """

    start: int
    end: int
    kind: str
    actor: str | None
    object: str | None
    dates: tuple[ClaimDate, ...]
    thresholds: tuple[Threshold, ...]
    source: str | None


# --------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cue:
    """One group of cue patterns and what a match of it means."""

    kind: str
    weight: int
    head: int = 0
    passive: bool = False
    inner: bool = False
    binding: bool = False
    section_only: bool = False
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The word lists of the rules file, by the file's own key names."""

    imperative_verbs: frozenset[str]
    not_after_imperative: frozenset[str]
    subject_stops: frozenset[str]
    clause_words: frozenset[str]
    conditionals: frozenset[str]
    fronted_clauses: frozenset[str]
    be_forms: frozenset[str]
    actor_labels: frozenset[str]
    group_references: frozenset[str]
    agreement_words: frozenset[str]
    government_heads: frozenset[str]
    pronouns: frozenset[str]
    self_sources: frozenset[str]
    person_titles: frozenset[str]
    source_trailers: frozenset[str]
    recommendation_sections: frozenset[str]
    instrument_words: frozenset[str]
    need_words: frozenset[str]
    skipped_sections: frozenset[str]
    fronted_openers: frozenset[str]
    main_verbs: frozenset[str]
    resolved_pronouns: frozenset[str]
    back_references: frozenset[str]


class ClaimRules:
    """The rules of ``data/claim_patterns.json``, with their matchers built."""

    def __init__(self, data: dict[str, Any], doc_vocab: Any) -> None:
        self.cues: dict[int, Cue] = {}
        self.matcher = PatternMatcher(doc_vocab)
        for i, entry in enumerate(data["cues"]):
            key = doc_vocab.strings.add(f"claim_cue_{i}")
            self.cues[key] = cue_of(entry)
            self.matcher.add(f"claim_cue_{i}", entry["patterns"])
        self.vetoes = PatternMatcher(doc_vocab)
        self.vetoes.add("claim_veto", data["vetoes"])
        self.lead_ins = Matcher(doc_vocab)
        for kind, patterns in data["lead_ins"].items():
            self.lead_ins.add(kind, patterns)
        self.words = Lexicon(
            **{f.name: frozenset(data[f.name]) for f in fields(Lexicon)}
        )
        self.zh_cues = [
            (cue_of(entry), re.compile(pattern))
            for entry in data["zh_cues"]
            for pattern in entry["patterns"]
        ]
        self.zh_veto = re.compile("|".join(data["zh_vetoes"]))
        self.zh_actors: tuple[str, ...] = tuple(data["zh_actors"])
        self.speaker_paragraphs: int = data["speaker_paragraphs"]
        self.none_threshold: float = data["none_threshold"]


def cue_of(entry: dict[str, Any]) -> Cue:
    """A cue from its entry in the rules file."""
    return Cue(
        kind=entry["kind"],
        weight=entry["weight"],
        head=entry.get("head", 0),
        passive=entry.get("passive", False),
        inner=entry.get("object") == "inner",
        binding=entry.get("binding", False),
        section_only=entry.get("section_only", False),
        source=entry.get("source"),
    )


@cache
def claim_rules() -> ClaimRules:
    """The claim rules, loaded once per process."""
    return ClaimRules(json.loads(data_text(PATTERNS_FILE)), pipeline().vocab)


@dataclass(frozen=True, slots=True)
class Hit:
    """One cue matched at tokens ``start:end`` of a passage."""

    cue: Cue
    start: int
    end: int

    @property
    def head(self) -> int:
        """The token where the cue proper starts."""
        return self.start + self.cue.head

    def rank(self) -> tuple[int, int, int]:
        """Heavier cues first, then earlier ones, then longer ones."""
        return self.cue.weight, -self.start, self.end - self.start


def find_vetoes(doc: Doc, rules: ClaimRules) -> list[Range]:
    """Where the veto patterns match in a passage."""
    return [(s, e) for _, s, e in rules.vetoes(doc)]


def find_hits(doc: Doc, rules: ClaimRules, vetoes: Sequence[Range]) -> list[Hit]:
    """Every cue match of a passage, less those a veto (``find_vetoes``) overlaps."""
    vetoed = {i for s, e in vetoes for i in range(s, e)}
    hits = (Hit(rules.cues[key], s, e) for key, s, e in rules.matcher(doc))
    return [h for h in hits if vetoed.isdisjoint(range(h.start, h.end))]


# --------------------------------------------------------------------------
# Passages
# --------------------------------------------------------------------------

# Markdown the readers keep in the text: link brackets and targets, emphasis,
# escapes, inline HTML.
MARKUP = re.compile(r"\[(?=[^\]\n]*\]\()|\]\([^)\n]*\)|\*+|\\(?=[$*_#\[\]])|</?\w+>")
# Curly quotes and dashes are written as escapes: ruff (RUF001) flags the
# characters themselves as look-alikes.
QUOTES = "\u201c\u201d\u2018\u2019\"'"
DASHES = "\u2013\u2014"
SENTENCE_END = re.compile(rf"[.!?:;)\]{QUOTES}]\s*$")
CLAUSE_PUNCT = frozenset({",", ";", ":", "(", "[", "]", *QUOTES[:2], '"', *DASHES})
OBJECT_STOPS = frozenset({",", ";", ":", ".", "?", "!", *DASHES})
CONJUNCTIONS = frozenset({"and", "or", "&", ",", "/"})
DETERMINERS = frozenset({"the", "a", "an"})
RELATIVES = frozenset({"who", "which", "that"})
# A law as a sentence names it: a section of an act, a public law, an act.
LAW_NAME = re.compile(
    r"(?:Section|Sec\.|Title|Article) [\w().-]+(?: of (?:the )?(?:[A-Z][\w&.,'-]* ?)+)?"
    r"|P\.L\. \d+-\d+"
    r"|(?:the )?(?:[A-Z][\w&.'-]* )+(?:Act|Code|Law)(?: of \d{4})?"
)
QUANTIFIERS = frozenset({"same", "other", "some", "many", "all", "several", "these",
                         "those", "both", "its", "their", "such", "each", "any"})  # fmt: skip
PROPOSING = frozenset({"introduced", "introduce", "introduces", "proposed", "proposes"})
CJK = re.compile(r"[\u4e00-\u9fff]")
# A document speaking of itself or its exhibits: a cross-reference, no claim
# (CLAIMS.md: "This In Focus discusses ...", the issue's "Table 1 compares
# ..."), or framing a question ("At issue for Congress is ...").
SELF_REFERENCE = re.compile(
    r"(?i)(?:this|the following) (?:in focus|report|insight|(?:legal )?sidebar|"
    r"product|section|brief|table|figure)\b|(?:table|figure) \d+\b"
    r"|(?:at issue|an issue|the issue|one issue) for congress\b"
)
# A Chinese list item: "1.", "(1)", "一、" (full-width stops and brackets too).
ZH_ITEM = re.compile(
    r"^\s*(?:\d{1,2}[.\uff0e\u3001]|[\uff08(][\d\u4e00-\u5341]{1,3}[\uff09)]"
    r"|[\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03\u516b\u4e5d\u5341]{1,2}\u3001)"
)
ZH_NOTE = "\u8bf4\u660e"  # "Note" before a list item's remark
ZH_SENTENCE = re.compile(r"[^\u3002\uff01\uff1f]+[\u3002\uff01\uff1f]?")
TITLE_SHARE = 0.6
ENUMERATOR = re.compile(r"(?:[IVXLC]+\.?|\(?\d{1,2}[.)]|\([a-z]\)|[•▪-])$")
LEADING_ENUMERATOR = re.compile(r"^(?:[IVXLC]+\.|\(?\d{1,2}[.)])\s+")
CLEAN_ENDS = " \n\t,;:." + QUOTES


@dataclass(frozen=True, slots=True)
class Passage:
    """A block, or a paragraph joined to the one a page break cut it from."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Plain:
    """A passage's text with its markdown markup taken out, and the way back.

    Markup is deleted rather than blanked: a run of spaces would be a token
    of its own and part "classified" from "as". ``origin[i]`` is the offset in
    the passage of ``text[i]``.
    """

    text: str
    origin: tuple[int, ...]

    def source_range(self, start: int, end: int) -> tuple[int, int]:
        """The passage offsets of ``text[start:end]``."""
        return self.origin[start], self.origin[end - 1] + 1


def plain(text: str) -> Plain:
    """A text without markdown markup.

    >>> plain("the DOD [blacklisted](#) CATL").text
    'the DOD blacklisted CATL'
    """
    dropped = {i for m in MARKUP.finditer(text) for i in range(m.start(), m.end())}
    if not dropped:  # a PDF's text: no markup, nothing to map back
        return Plain(text, tuple(range(len(text))))
    kept = tuple(i for i in range(len(text)) if i not in dropped)
    return Plain("".join(text[i] for i in kept), kept)


def passages(text: DocumentText) -> list[Passage]:
    """The blocks of a document, with broken paragraphs mended."""
    found: list[Passage] = []
    for block in text.blocks:
        if found and continues(text.text, found[-1], block):
            found[-1] = replace(found[-1], end=block.end)
        else:
            found.append(Passage(block.kind, block.start, block.end))
    return found


def continues(text: str, before: Passage, block: Block) -> bool:
    """True when ``block`` goes on with a sentence that ``before`` left open.

    A page break in a PDF rendering leaves "... which" and "could jeopardize
    ..." as two paragraphs; the claim is the whole sentence.
    """
    return (
        before.kind == block.kind == "paragraph"
        and not text[before.end : block.start].strip()
        and not SENTENCE_END.search(text, before.start, before.end)
        and text[block.start : block.start + 1].islower()
    )


# --------------------------------------------------------------------------
# Walking the document
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Context:
    """What the text before a passage says about reading it."""

    in_section: bool = False  # under a RECOMMENDATIONS heading
    skipping: bool = False  # under a heading whose section restates the text
    lead_in: str | None = None  # the kind of the bullets below a lead-in
    speaker: str | None = None  # who "X commented on that:" gives the floor to
    floor: int = 0  # paragraphs the speaker still has
    group: str | None = None  # the last actor naming several countries
    sources: tuple[str, ...] = ()  # who the text has cited, in order
    last_actor: str | None = None  # the actor of the last claim, for "It would"
    lead_claim: Roles | None = None  # the claim of a lead-in its list items complete
    lead_style: str | None = None  # how the lead-in is numbered ("一、", "1.")


@dataclass(frozen=True, slots=True)
class Reading:
    """One passage as spaCy read it: the passage, its plain text and the doc."""

    passage: Passage
    plain: Plain
    doc: Doc

    def source_range(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the document text of ``doc.text[start:end]``."""
        lo, hi = self.plain.source_range(start, end)
        return self.passage.start + lo, self.passage.start + hi


@dataclass(frozen=True, slots=True)
class Roles:
    """What a claim's sentence says, before it is placed in the document."""

    kind: str
    actor: str | None
    object: str | None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Found:
    """A claim with the entities its sentence names."""

    claim: PolicyClaim
    entities: Entities


@dataclass(frozen=True, slots=True)
class Pending:
    """A sentence the rules found no claim in, left for the classifier.

    The classifier scores every pending sentence of a document in one batch
    once the walk is done; ``context`` is what the walk knew at the sentence.
    """

    reading: Reading
    sent: Span
    start: int
    end: int
    context: Context
    vetoed: bool  # a veto pattern overlaps the sentence


def find_claims(text: DocumentText) -> tuple[PolicyClaim, ...]:
    """Every policy claim of a document, in text order.

    >>> s = "In January 2025, the DOD blacklisted CATL."
    >>> [c.kind for c in find_claims(DocumentText(s, (Block("paragraph", 1, 0, len(s)),)))]
    ['measure']
    """
    return tuple(f.claim for f in located_claims(text))


def claim_facts(
    doc_id: str, sha256: str, text: DocumentText, parse: Parses | None = None
) -> list[Fact]:
    """The claims of a document as ``claim`` facts, quote and text alike.

    ``parse`` is the document's shared spaCy pass (:class:`extract.nlp.Parses`).
    """
    found = located_claims(text, parse)
    return [claim_fact(doc_id, sha256, text, f) for f in found]


def claim_fact(doc_id: str, sha256: str, text: DocumentText, found: Found) -> Fact:
    """One claim as a fact: the sentence is both its text and its quote."""
    c = found.claim
    span = (c.start, c.end)
    return new_fact(
        doc_id, sha256, text, "claim", span, quote=span, key=c.kind,
        entities=found.entities, claim_kind=c.kind, actor=c.actor, object=c.object,
        dates=[d.to_json() for d in c.dates],
        thresholds=[t.to_json() for t in c.thresholds], source=c.source,
    )  # fmt: skip


def located_claims(text: DocumentText, parse: Parses | None = None) -> Iterator[Found]:
    """The claims of a document with their entities, in text order.

    The rules walk the passages first; the sentences they find no claim in
    are then scored by the classifier in one batch for the whole document.
    """
    rules = claim_rules()
    found = passages(text)
    plains = [plain(text.text[p.start : p.end]) for p in found]
    docs = (parse or Parses())(p.text for p in plains)
    context = Context()
    walked: list[Found | Pending] = []
    for passage, text_of, doc in zip(found, plains, docs, strict=True):
        claims, context = passage_claims(Reading(passage, text_of, doc), context, rules)
        walked.extend(claims)
    pending = [w for w in walked if isinstance(w, Pending)]
    scores = dict(
        zip(
            map(id, pending),
            score_docs([p.sent for p in pending], rules.none_threshold),
            strict=True,
        )
    )
    last: str | None = None  # the last claim's actor, the classifier's too
    for item in walked:
        if isinstance(item, Found):
            last = item.claim.actor or last
            yield item
            continue
        score = scores[id(item)]
        item = replace(item, context=replace(item.context, last_actor=last))
        if (roles := model_roles(item, score, rules)) is not None:
            last = roles.actor or last
            yield placed(item.reading, item.start, item.end, roles)


def passage_claims(
    reading: Reading, context: Context, rules: ClaimRules
) -> tuple[list[Found | Pending], Context]:
    """The claims of one passage, and the context the next one reads in."""
    kind = reading.passage.kind
    if kind == "heading":
        return [], heading_context(reading.doc, context, rules)
    if context.skipping or kind not in ("paragraph", "list_item"):
        return [], context
    lead = context.lead_claim
    if kind == "list_item" and imperative_verb(reading.doc, rules) is not None:
        bullet = context.lead_in or (lead.kind if lead else "recommendation")
        return [imperative_claim(reading, bullet, rules)], context
    if is_title_line(doc_text(reading.doc)):
        return [], replace(context, lead_in=None, speaker=None)
    cited = len(context.sources)
    before = context
    claims, context = sentence_claims(reading, context, rules)
    if not claims and (item := zh_item(reading, before, rules)) is not None:
        return [item], context  # the lead-in goes on to the next item
    if before.lead_in and doc_text(reading.doc).startswith(ZH_NOTE):
        return claims, context  # a note among the items keeps their lead-in
    if kind == "list_item" and lead is not None:
        return completed(reading, claims, lead), context
    if kind == "paragraph":
        context = after_paragraph(reading.doc, context, cited, rules)
        lead = lead_in_claim(reading, claims)
        context = replace(context, lead_claim=lead)
        if lead is not None and lead.kind != "assertion":
            context = replace(context, speaker=None, floor=0)  # a plan, not a speech
    return claims, context


def numbering(text: str) -> str | None:
    """How a Chinese paragraph is numbered: "一、", "1.", "(一)", or None."""
    m = ZH_ITEM.match(text)
    if m is None:
        return None
    mark = m.group().strip()
    if mark[0] in "(\uff08":
        return "paren"
    return "number" if mark[0].isdigit() else "ordinal"


def lead_in_claim(reading: Reading, claims: Sequence[Found | Pending]) -> Roles | None:
    """The claim of a paragraph that leads into a list: its last sentence is a
    claim the rules found, and it ends in ':' or runs on ("... a range of
    actions including")."""
    text = doc_text(reading.doc).rstrip()
    if not claims or not isinstance(claims[-1], Found) or not text:
        return None
    if not (text.endswith(":") or text[-1].isalpha()):
        return None
    last = claims[-1].claim
    if last.end < reading.source_range(0, len(text))[1] - 1:
        return None
    return Roles(last.kind, last.actor, None)


def completed(
    reading: Reading, claims: list[Found | Pending], lead: Roles
) -> list[Found | Pending]:
    """A list item's claims: its own where the rules find one, else each of
    its sentences completes the lead-in and takes its kind and actor."""
    return [
        placed(reading, c.start, c.end, lead) if isinstance(c, Pending) else c
        for c in claims
    ]


def zh_item(reading: Reading, context: Context, rules: ClaimRules) -> Found | None:
    """A Chinese list item ("1.锑矿及原料 ..."), with no cue of its own, under
    a lead-in ending in a full-width colon ("...未经许可 不得出口"): a claim
    of the lead-in's kind, as CLAIMS.md's list items inherit it."""
    text = doc_text(reading.doc)
    listed = ZH_ITEM.match(text) or reading.passage.kind == "list_item"
    if context.lead_in is None or not listed or not CJK.search(text):
        return None
    if numbering(text) == context.lead_style:
        return None  # "八、" after the lead-in "一、..." is its sibling, not its item
    if rules.zh_veto.search(text):
        return None  # an effective date, the website's notice
    start, end = trimmed_range(text, 0, len(text))
    return placed(reading, start, end, Roles(context.lead_in, None, None))


def heading_context(doc: Doc, context: Context, rules: ClaimRules) -> Context:
    """The context under a heading: a recommendations section opens at one
    ("RECOMMENDATIONS FOR ...") and runs on through headings that start with
    a verb ("1. UPDATE TRADE CODES ..."); a section that restates the
    document ("Summary") is skipped. Headings themselves are not claims."""
    title = " ".join(doc_text(doc).lower().split())
    cleared = replace(context, lead_in=None, speaker=None, lead_claim=None)
    skipping = title in rules.words.skipped_sections
    if any(words in title for words in rules.words.recommendation_sections):
        return replace(cleared, in_section=True, skipping=False)
    if not any(t.is_alpha for t in doc):
        return cleared
    in_section = context.in_section and imperative_verb(doc, rules) is not None
    return replace(cleared, in_section=in_section, skipping=skipping)


def is_title_line(text: str) -> bool:
    """True for a headline written as a paragraph ("China Implements New
    Export Controls on ..."): no closing punctuation, mostly capitalised words."""
    words = [w for w in text.split() if len(w) > 3 and w[0].isalpha()]
    if len(words) < 3 or SENTENCE_END.search(text) or CJK.search(text):
        return False
    return sum(w[0].isupper() for w in words) >= TITLE_SHARE * len(words)


def after_paragraph(
    doc: Doc, context: Context, cited: int, rules: ClaimRules
) -> Context:
    """The context a paragraph leaves: what its lead-in makes of the bullets
    below it, and who has the floor after "The spokesperson commented on
    that:" (the speaker of the next few paragraphs, up to the next lead-in)."""
    text = doc_text(doc)
    context = replace(
        context, lead_in=lead_in_kind(doc, rules), lead_style=numbering(text)
    )
    if doc_text(doc).rstrip().endswith(":"):
        speaker = context.sources[-1] if len(context.sources) > cited else None
        return replace(context, speaker=speaker, floor=rules.speaker_paragraphs)
    if context.floor <= 1:
        return replace(context, speaker=None, floor=0)
    return replace(context, floor=context.floor - 1)


def lead_in_kind(doc: Doc, rules: ClaimRules) -> str | None:
    """The kind of the bullets a paragraph ending in ':' introduces, else None;
    after a Chinese lead-in ending in a full-width colon, the kind of its own
    claim."""
    text = doc_text(doc).rstrip()
    if text.endswith("\uff1a"):
        last = list(ZH_SENTENCE.finditer(text))[-1].group()
        roles = zh_roles(last, rules)
        return roles.kind if roles is not None else None
    if not text.endswith(":"):
        return None
    kinds = [doc.vocab.strings[key] for key, _, _ in rules.lead_ins(doc)]
    return kinds[0] if kinds else "recommendation"


def imperative_verb(doc: Doc, rules: ClaimRules) -> int | None:
    """The index of the verb an imperative bullet or heading starts with.

    There is no tagger, so "a base-form verb" is one of the listed verbs, not
    followed by what makes it a noun ("Review of the codes ...").
    """
    tokens = (t for t in doc if not (t.is_space or t.is_punct or t.like_num))
    words = list(islice((t for t in tokens if not ENUMERATOR.match(t.text)), 2))
    if not words or words[0].lower_ not in rules.words.imperative_verbs:
        return None
    if len(words) > 1 and words[1].lower_ in rules.words.not_after_imperative:
        return None
    return int(words[0].i)


def imperative_claim(reading: Reading, kind: str, rules: ClaimRules) -> Found:
    """A bullet that starts with a verb, as one claim."""
    doc = reading.doc
    verb = imperative_verb(doc, rules)
    assert verb is not None
    start, end = trimmed_range(doc_text(doc), 0, len(doc_text(doc)))
    return placed(
        reading, start, end, Roles(kind, None, object_after(doc[:], verb + 1))
    )


def placed(reading: Reading, start: int, end: int, roles: Roles) -> Found:
    """A claim at ``doc.text[start:end]``, with its dates, thresholds and entities."""
    doc = reading.doc
    doc_start, doc_end = reading.source_range(start, end)
    claim = PolicyClaim(
        start=doc_start,
        end=doc_end,
        kind=roles.kind,
        actor=roles.actor,
        object=roles.object,
        dates=tuple(d for _, _, d in find_dates(doc_text(doc)[start:end])),
        thresholds=thresholds(doc, start, end) if roles.kind == "requirement" else (),
        source=roles.source,
    )
    return Found(claim, sentence_entities(doc, start, end))


# --------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------


def sentence_claims(
    reading: Reading, context: Context, rules: ClaimRules
) -> tuple[list[Found | Pending], Context]:
    """The claims of a paragraph or bullet, a sentence at a time.

    An English sentence is a claim when the rules find a usable cue in it
    (they give its kind, actor and object), or else when the classifier
    (:mod:`extract.kinds.claim_model`) puts it in a claim class: such a
    sentence is returned ``Pending``, for ``located_claims`` to score.
    """
    text = doc_text(reading.doc)
    vetoes = find_vetoes(reading.doc, rules)
    hits = find_hits(reading.doc, rules, vetoes)
    claims: list[Found | Pending] = []
    for sent, start, end in sentence_ranges(reading.doc):
        if CJK.search(text, start, end):
            claims.extend(zh_claims(reading, start, end, rules))
            continue
        if SELF_REFERENCE.match(text, start):
            continue  # "This In Focus summarizes ...", "Table 1 presents ..."
        own = [h for h in hits if sent.start <= h.head < sent.end]
        roles, context = sentence_roles(sent, own, context, rules)
        if roles is not None:
            claims.append(placed(reading, start, end, roles))
            context = replace(context, last_actor=roles.actor or context.last_actor)
        elif len(text[start:end].split()) >= MIN_WORDS:
            vetoed = any(s < sent.end and sent.start < e for s, e in vetoes)
            claims.append(Pending(reading, sent, start, end, context, vetoed))
    return claims, context


def model_roles(pending: Pending, scores: Scores, rules: ClaimRules) -> Roles | None:
    """The claim the classifier sees in a sentence the rules found none in.

    Its actor is the subject of the main clause (:func:`main_subject`), else
    the subject before the first cue of its kind (the cue lexicon's).
    """
    sent, context = pending.sent, pending.context
    if scores["none"] >= rules.none_threshold or introduces(sent):
        return None
    if pending.vetoed:
        return None  # what the rules rule out (an effective date, "Having said that")
    if opens_with_condition(sent):
        return None  # hypothetical analysis ("If the credits are eliminated, ...")
    kind = max(CLAIM_KINDS, key=lambda k: scores[k])
    cue = first_cue(sent, kind)
    actor = name_of(sent.doc, main_subject(sent, rules), context, rules)
    if cue is None:
        return Roles(kind, actor, None)
    if actor is None:
        subject = subject_range(sent, cue[0], rules)
        actor = name_of(sent.doc, subject, context, rules)
    if kind == "assertion":
        return Roles(kind, actor, object_after(sent, cue[1]), actor)
    return Roles(kind, actor, object_after(sent, cue[1]))


def opens_with_source(sent: Span) -> bool:
    """True for "According to the Army, ...": whatever the kind, the source
    is who plans or acts (CLAIMS.md's lead-in "According to the Army, nine
    battalions are to be fielded as follows:")."""
    return sent.text.lower().startswith("according to ")


def opens_with_condition(sent: Span) -> bool:
    """True for a sentence that opens with "If" or "Unless"."""
    first = next((t for t in sent if not (t.is_space or t.is_punct)), None)
    return first is not None and first.lower_ in ("if", "unless")


def sentence_ranges(doc: Doc) -> Iterator[tuple[Span, int, int]]:
    """Each sentence with its trimmed character range.

    The sentencizer leaves an opening quote at the end of the sentence before
    it; the quote goes back to the sentence it opens.
    """
    carry: int | None = None
    text = doc_text(doc)
    for sent in doc.sents:
        start, end = trimmed(text, sent)
        if carry is not None:
            start, carry = carry, None
        if end - start > 1 and opens_quote(text, end - 1):
            carry = end - 1
            end = trimmed_range(text, start, end - 1)[1]
        if end > start:
            yield sent, start, end


def opens_quote(text: str, i: int) -> bool:
    """True when the quote mark at ``i`` opens a quotation rather than closes one."""
    return text[i] in "\u201c\u2018" or (text[i] in "\"'" and text[i - 1].isspace())


def sentence_roles(
    sent: Span, hits: list[Hit], context: Context, rules: ClaimRules
) -> tuple[Roles | None, Context]:
    """The claim a sentence makes, if any, and the context after it."""
    hits = usable_hits(sent, hits, context.in_section, rules)
    cited = max((h for h in hits if h.cue.source), key=Hit.rank, default=None)
    source = source_of(sent, cited, context, rules) if cited else None
    if source is not None:
        context = replace(context, sources=(*context.sources, source))
    law = cited is not None and cites_instrument(sent, cited, rules)
    best = strongest(hits, None if law or source is None else cited)
    if best is None:
        return spoken(sent, context, rules), context
    roles = roles_of(sent, best, context, rules)
    if roles.kind == "assertion" and (roles.object is None or introduces(sent)):
        return None, context  # "The spokesperson commented on that:"
    roles = replace(roles, source=source or context.speaker)
    if roles.kind == "assertion" or (source and opens_with_source(sent)):
        roles = replace(roles, actor=roles.source)  # the speaker is who acts
    if roles.actor and is_group(sent.doc, roles.actor):
        context = replace(context, group=roles.actor)
    return roles, context


def spoken(sent: Span, context: Context, rules: ClaimRules) -> Roles | None:
    """A sentence with no cue of its own, said by the speaker who has the floor."""
    if context.speaker is None or introduces(sent):
        return None
    return Roles("assertion", context.speaker, None, context.speaker)


def introduces(sent: Span) -> bool:
    """True for a sentence that ends in ':', introducing what follows."""
    text = doc_text(sent.doc)[sent.start_char : sent.end_char]  # = sent.text, kept
    return text.rstrip().endswith(":")


def usable_hits(
    sent: Span, hits: list[Hit], in_section: bool, rules: ClaimRules
) -> list[Hit]:
    """The hits that count: no section-only cue outside a section, none in a
    condition ("If ...", "when ...") or a parenthesis, and none in a fronted
    clause ("While ...,", "As ...,") when others remain."""
    hits = [
        h
        for h in hits
        if (in_section or not h.cue.section_only)
        and not conditional(sent, h.head, rules)
        and not in_parentheses(sent, h.head)
    ]
    first = next((t for t in sent if not (t.is_space or t.is_punct)), None)
    if first is None or first.lower_ not in rules.words.fronted_clauses:
        return hits
    comma = next((t.i for t in sent if t.text == ","), sent.end)
    return [h for h in hits if h.head > comma] or hits


def conditional(sent: Span, head: int, rules: ClaimRules) -> bool:
    """True for a cue in a clause that "if", "when", "unless" ... opens."""
    start = clause_start(sent, head, rules)
    return start > sent.start and sent.doc[start - 1].lower_ in rules.words.conditionals


def in_parentheses(sent: Span, head: int) -> bool:
    """True for a cue inside a parenthesis: an aside, not the claim."""
    depth = 0
    for tok in sent.doc[sent.start : head]:
        depth += {"(": 1, ")": -1}.get(tok.text, 0)
    return depth > 0


def cites_instrument(sent: Span, hit: Hit, rules: ClaimRules) -> bool:
    """True when the source is a text of law ("USMCA Article 34.7 states that")."""
    start, end = source_range(sent, hit, rules)
    return any(
        t.ent_type_ == "LAW" or t.lower_ in rules.words.instrument_words
        for t in sent.doc[start:end]
    )


def strongest(hits: list[Hit], cited: Hit | None) -> Hit | None:
    """The cue that gives a sentence its kind.

    A policy cue outranks an assertion cue, except when the sentence opens by
    saying who says it ("The US officials said that the USTR does not intend
    ..."): then the sentence is that person's assertion.
    """
    policy = [h for h in hits if h.cue.kind != "assertion"]
    best = max(policy, key=Hit.rank, default=None)
    if cited is None:
        return best
    if best is None or (cited.cue.source == "before" and cited.start < best.start):
        return cited
    return best


def roles_of(sent: Span, hit: Hit, context: Context, rules: ClaimRules) -> Roles:
    """The kind, actor and object a cue gives its sentence."""
    if hit.cue.kind == "assertion":
        return Roles("assertion", *asserted(sent, hit, rules))
    doc = sent.doc
    subject = subject_range(sent, hit.head, rules)
    kind = hit.cue.kind
    if hit.cue.binding and names_agreement(doc, subject, rules):
        kind = "commitment"  # an agreement's terms bind its parties
    if kind == "requirement" and doc[subject[0]].lower_ in rules.words.need_words:
        kind = "recommendation"  # "More data is required": a need, not a rule
    if kind in ("requirement", "measure") and proposed(sent, subject[1], hit.head):
        kind = "recommendation"  # "H.R. 7004 would prohibit ...": a bill's content
    if hit.cue.passive or is_passive(doc, subject[1], hit.head, rules):
        return passive_roles(sent, hit, kind, subject, context, rules)
    actor = name_of(doc, subject, context, rules)
    if actor is None and subject[0] == subject[1]:
        actor = nearest_actor(sent, hit.head, rules)
    if actor is None or misread_subject(actor, rules):
        actor = name_of(doc, main_subject(sent, rules), context, rules)
    obj = inner_object(doc, hit) if hit.cue.inner else object_after(sent, hit.end)
    return Roles(kind, actor, obj)


# --------------------------------------------------------------------------
# Subjects, agents and objects, read off the tokens of a clause
# --------------------------------------------------------------------------


def passive_roles(
    sent: Span, hit: Hit, kind: str, subject: Range, context: Context, rules: ClaimRules
) -> Roles:
    """A passive claim: its actor follows "by"; for a rule, it is the law the
    sentence names; a law that is the subject acts itself ("UNCLOS was adopted")."""
    doc = sent.doc
    agent = name_of(doc, agent_range(sent, hit.end, rules), context, rules)
    if kind == "requirement":
        agent = law_named(sent)  # "is authorized in Section 203 of the Act"
    if subject[0] == subject[1]:  # a subject with commas in it: take it whole
        subject = phrase_from(sent, sent.start, hit.head, rules)
    if agent is None and is_law(doc, subject):
        agent = name_of(doc, subject, context, rules)
    return Roles(kind, agent, span_text(doc, *subject))


def proposed(sent: Span, subject_end: int, head: int) -> bool:
    """True for a rule or action only proposed: "would" (or "would have")
    between the subject and the cue, as a pending bill's content is put, or a
    proposal before it ("introduced legislation to prohibit ...")."""
    doc = sent.doc
    return any(t.lower_ == "would" for t in doc[subject_end:head]) or any(
        t.lower_ in PROPOSING for t in doc[sent.start : head]
    )


def clause_start(sent: Span, i: int, rules: ClaimRules) -> int:
    """The first token of the clause that runs up to token ``i``.

    Reading back, a parenthesis is skipped whole: "Foreign organizations and
    individuals (hereinafter referred to as ...) must obtain".
    """
    doc = sent.doc
    while i > sent.start:
        tok = doc[i - 1]
        if tok.text == ")":
            i = opening_paren(sent, i - 1)
        elif tok.text in CLAUSE_PUNCT or tok.lower_ in rules.words.clause_words:
            break
        else:
            i -= 1
    return i


def opening_paren(sent: Span, close: int) -> int:
    """The index of the "(" that the ")" at ``close`` closes (or the sentence start)."""
    depth = 0
    for i in range(close, sent.start - 1, -1):
        depth += {")": 1, "(": -1}.get(sent.doc[i].text, 0)
        if depth == 0:
            return i
    return sent.start


def subject_range(sent: Span, head: int, rules: ClaimRules) -> Range:
    """The noun phrase before a cue.

    It runs from its clause start to the first auxiliary or adverb ("MOFCOM
    also added" gives "MOFCOM"). When the cue's clause has no subject of its
    own, the phrase is the sentence's first: after "by" ("The deal also aims
    to reduce ... by requiring") or a conjunction ("The Chinese government,
    as always, welcomes ... and remains committed"). A relative clause is
    skipped ("Export operators who have obtained licenses shall ...").
    """
    doc = sent.doc
    start = clause_start(sent, head, rules)
    stops = rules.words.subject_stops
    relative = start > sent.start and doc[start - 1].lower_ in RELATIVES
    if relative and start < head and doc[start].lower_ in stops:
        start = clause_start(sent, start - 1, rules)
    if doc[head - 1].lower_ == "by" or doc[start].lower_ in CONJUNCTIONS:
        start = sent.start
    return phrase_from(sent, start, head, rules)


def main_subject(sent: Span, rules: ClaimRules) -> Range:
    """The subject of a sentence's main clause, read without a parse: after
    a fronted phrase that ends at a comma ("In 1980, Congress passed ..."),
    up to the first auxiliary, adverb or verb; X in "According to X, ..."."""
    doc = sent.doc
    if sent.text.lower().startswith("according to "):
        comma = next((int(t.i) for t in sent if t.text == ","), sent.end)
        return sent.start + 2, comma
    start = main_clause_start(sent, rules)
    if start is None:
        return sent.start, sent.start
    start, end = phrase_from(sent, start, sent.end, rules)
    end = next((int(t.i) for t in doc[start + 1 : end] if is_verb(t, rules)), end)
    return start, end


def main_clause_start(sent: Span, rules: ClaimRules) -> int | None:
    """The first token after the fronted phrases ("In addition, in 1931,
    ..."); None when a fronted phrase runs to the end (no comma)."""
    doc = sent.doc
    start = int(sent.start)
    for _ in range(2):
        words = [t for t in doc[start : sent.end] if not (t.is_space or t.is_punct)]
        if not words or words[0].lower_ not in rules.words.fronted_openers:
            break
        comma = next((int(t.i) for t in doc[start : sent.end] if t.text == ","), None)
        if comma is None:
            return None
        start = comma + 1
        if start + 1 < sent.end and doc[start].like_num and doc[start + 1].text == ",":
            start += 2  # the year of "On February 17, 2026, ..."
    return start


def is_law(doc: Doc, span: Range) -> bool:
    """True for a phrase that names a law: a LAW entity or a law's name."""
    tokens = phrase(doc, span)
    if not tokens:
        return False
    if all(t.ent_type_ == "LAW" for t in tokens):
        return True
    return LAW_NAME.fullmatch(joined(tokens)) is not None


def law_named(sent: Span) -> str | None:
    """The law a sentence names ("Section 203 of the Stafford Act", "P.L.
    111-267"): the actor of a passive rule (CLAIMS.md), else None."""
    m = LAW_NAME.search(sent.text)
    return " ".join(m.group().split()).rstrip(".,") if m else None


def misread_subject(actor: str, rules: ClaimRules) -> bool:
    """True for a "subject" that is a fronted phrase or a date the token
    rules took for one ("In September 2021", "2026")."""
    first = actor.split()[0].lower()
    return first in rules.words.fronted_openers or first.isdigit()


def is_verb(tok: Token, rules: ClaimRules) -> bool:
    """True for a token read as a verb: a cue word, a listed verb, or a
    lower-case word in -ed; never after a determiner ("the proposed rule",
    "the same states")."""
    low = tok.lower_
    before = tok.doc[tok.i - 1].lower_ if tok.i > 0 else ""
    if before in DETERMINERS or before in QUANTIFIERS:
        return False  # "the proposed rule", "the same states"
    if low in rules.words.main_verbs or low in cue_words():
        return True
    return tok.is_lower and low.endswith("ed")


def phrase_from(sent: Span, start: int, limit: int, rules: ClaimRules) -> Range:
    """The phrase from ``start``: up to an auxiliary, adverb, clause word or
    comma, with the adverbs that open it left out ("Perhaps USGS could")."""
    doc = sent.doc
    stops = rules.words.subject_stops
    while start < limit and doc[start].lower_ in stops and doc[start].lower_ != "to":
        start += 1
    end = start
    while end < limit and not ends_phrase(doc[end], rules):
        end += 1
    return start, end


def ends_phrase(tok: Token, rules: ClaimRules) -> bool:
    """True for a token no subject runs past."""
    low = tok.lower_
    return (
        low in rules.words.subject_stops
        or low in rules.words.clause_words
        or (tok.text in CLAUSE_PUNCT)
    )


def is_passive(doc: Doc, subject_end: int, head: int, rules: ClaimRules) -> bool:
    """True for "BTR was classified as", "were finalized": a form of "be"
    between subject and cue, and a cue word in -ed."""
    between = {t.lower_ for t in doc[subject_end:head]}
    return doc[head].lower_.endswith("ed") and not between.isdisjoint(
        rules.words.be_forms
    )


def agent_range(sent: Span, start: int, rules: ClaimRules) -> Range:
    """The noun phrase after "by" in the rest of the clause, if there is one."""
    end = clause_end(sent, start, rules)
    by = next((t.i for t in sent.doc[start:end] if t.lower_ == "by"), None)
    return (end, end) if by is None else (by + 1, end)


def clause_end(sent: Span, start: int, rules: ClaimRules) -> int:
    """The end of the clause that goes on from token ``start``."""
    for tok in sent.doc[start : sent.end]:
        if tok.text in OBJECT_STOPS or tok.lower_ in rules.words.clause_words:
            return int(tok.i)
    return int(sent.end)


def object_after(sent: Span, start: int, limit: int = 40) -> str | None:
    """What a cue acts on: the rest of its clause, at most ``limit`` tokens."""
    doc = sent.doc
    end = start
    while end < min(sent.end, start + limit) and doc[end].text not in OBJECT_STOPS:
        end += 1
    return span_text(doc, start, end)


def inner_object(doc: Doc, hit: Hit) -> str | None:
    """The object inside a match: "added X to the Unreliable Entity List" gives X."""
    to = max(t.i for t in doc[hit.start : hit.end] if t.lower_ == "to")
    return span_text(doc, hit.start + 1, to)


def nearest_actor(sent: Span, head: int, rules: ClaimRules) -> str | None:
    """The last organisation or country named before a cue whose own clause
    names none ("the Working Mechanism has decided, ..., to add ...")."""
    labels = rules.words.actor_labels - {"LAW"}
    ents = [e for e in sent.ents if e.end <= head and e.label_ in labels]
    return str(ents[-1].ent_id_ or ents[-1].text) if ents else None


def span_text(doc: Doc, start: int, end: int) -> str | None:
    """Tokens as one line of text, loose punctuation trimmed; None when empty."""
    if end <= start:
        return None
    text = " ".join(doc[start:end].text.split())
    return LEADING_ENUMERATOR.sub("", text).strip(CLEAN_ENDS) or None


# --------------------------------------------------------------------------
# Names: actors and sources as entity ids or text
# --------------------------------------------------------------------------

# A longer subject is a clause the token rules misread, not a name.
MAX_NAME_TOKENS = 10
POSSESSIVES = frozenset({"'s", "\u2019s"})


def phrase(doc: Doc, span: Range) -> list[Token]:
    """A noun phrase's tokens without enumerators, parentheses, loose
    punctuation or the leading article."""
    tokens: list[Token] = []
    depth = 0
    for tok in doc[span[0] : span[1]]:
        depth += {"(": 1, ")": -1}.get(tok.text, 0)
        if depth or tok.text == ")" or tok.is_space or tok.text in CLAUSE_PUNCT - {","}:
            continue
        tokens.append(tok)
    while tokens and (
        ENUMERATOR.match(tokens[0].text) or tokens[0].lower_ in DETERMINERS
    ):
        tokens.pop(0)
    while tokens and (tokens[-1].lower_ in CONJUNCTIONS or tokens[-1].is_punct):
        tokens.pop()
    return tokens


def joined(tokens: Sequence[Token]) -> str:
    """Tokens as one line of text, with the spacing they had."""
    parts = []
    for tok in tokens:
        doc = tok.doc
        spaced = tok.whitespace_ or (tok.i + 1 < len(doc) and doc[tok.i + 1].is_space)
        parts.append(tok.text + (" " if spaced else ""))
    return " ".join("".join(parts).split())


def name_of(doc: Doc, span: Range, context: Context, rules: ClaimRules) -> str | None:
    """An actor: entity ids when the phrase is entities, the parties for "the
    two countries" or "the deal", None for a pronoun, else the phrase."""
    tokens = phrase(doc, span)
    if tokens and refers_back(doc, span, tokens, rules):
        return context.last_actor
    if not tokens or tokens[0].lower_ in rules.words.pronouns:
        return None
    text = joined(tokens)
    if refers_to_parties(tokens, rules):
        return context.group or text
    ids = entity_ids(tokens, rules)
    return ids or (text if len(tokens) <= MAX_NAME_TOKENS else None)


def refers_back(
    doc: Doc, span: Range, tokens: Sequence[Token], rules: ClaimRules
) -> bool:
    """True for a subject that stands for the last claim's actor: "It",
    "Their model" opening the sentence (a pronoun after a clause refers to
    that clause: "If operators cannot ..., they may consult"), "The bill"
    (the article counts: "a bill" is new)."""
    if tokens[0].lower_ in rules.words.resolved_pronouns:
        return bool(tokens[0].is_sent_start)
    text = " ".join(t.lower_ for t in doc[span[0] : span[1]] if not t.is_space)
    return text in rules.words.back_references


def refers_to_parties(tokens: Sequence[Token], rules: ClaimRules) -> bool:
    """True for "the two countries", "both sides", "the swiftly negotiated agreement"."""
    text = joined(tokens).lower()
    groups = rules.words.group_references
    return tokens[-1].lower_ in rules.words.agreement_words or any(
        text.endswith(g) for g in groups
    )


def names_agreement(doc: Doc, span: Range, rules: ClaimRules) -> bool:
    """True when a subject is an agreement ("The deal also aims ...")."""
    tokens = phrase(doc, span)
    return bool(tokens) and tokens[-1].lower_ in rules.words.agreement_words


def entity_ids(tokens: Sequence[Token], rules: ClaimRules) -> str | None:
    """The ids of a phrase made of entities ("Treasury and the U.S. Energy
    Department"), joined by "; "; None if any part is not one entity."""
    parts: list[list[Token]] = [[]]
    for tok in tokens:
        if tok.lower_ in CONJUNCTIONS and not tok.ent_type_:
            parts.append([])
        else:
            parts[-1].append(tok)
    ids = [sole_entity(p, rules) for p in parts if p]
    if not ids or None in ids:
        return None
    return "; ".join(dict.fromkeys(i for i in ids if i))


def sole_entity(tokens: Sequence[Token], rules: ClaimRules) -> str | None:
    """The id of the one entity a phrase is ("the US Department of Defense",
    "the Chinese government", "the Department of Energy's Office of ...")."""
    owner = [i for i, t in enumerate(tokens) if t.text in POSSESSIVES]
    words = [
        t
        for t in tokens[owner[-1] + 1 if owner else 0 :]
        if t.lower_ not in DETERMINERS
    ]
    inside = [t for t in words if t.ent_type_ in rules.words.actor_labels]
    rest = [t for t in words if t.ent_type_ not in rules.words.actor_labels]
    if len({t.ent_id_ or t.text for t in inside}) != 1:
        return None
    if sum(t.ent_iob_ == "B" for t in inside) != 1:
        return None
    government = inside[0].ent_type_ == "COUNTRY" and len(rest) == 1
    if rest and not (government and rest[0].lower_ in rules.words.government_heads):
        return None
    return str(inside[0].ent_id_ or inside[0].text)


def is_group(doc: Doc, actor: str) -> bool:
    """True for an actor naming two or more countries ("united-states; japan")."""
    ids = actor.split("; ")
    if len(ids) < 2:
        return False  # one actor: no need to read the doc's countries
    countries = {t.ent_id_ for t in doc if t.ent_type_ == "COUNTRY"}
    return all(i in countries for i in ids)


# --------------------------------------------------------------------------
# Assertions and their sources
# --------------------------------------------------------------------------


def source_range(sent: Span, hit: Hit, rules: ClaimRules) -> Range:
    """Where the cited source is: after "according to", before "said"."""
    if hit.cue.source == "after":
        return hit.end, clause_end(sent, hit.end, rules)
    return subject_range(sent, hit.head, rules)


def source_of(sent: Span, hit: Hit, context: Context, rules: ClaimRules) -> str | None:
    """Who a sentence cites, or None when it cites its own authors ("we").

    A title is left out ("trade minister Yasutoshi Nishimura" cites "Yasutoshi
    Nishimura"); "they" is the source cited last; a bare "Nishimura" or "the
    officials" is the source cited before that ends so.
    """
    tokens = source_tokens(phrase(sent.doc, source_range(sent, hit, rules)), rules)
    if not tokens:
        return None
    text = joined(tokens)
    low = text.lower()
    if low in rules.words.self_sources:
        return None
    if low in rules.words.pronouns:
        return context.sources[-1] if context.sources else None
    person = name_after_title(tokens, rules)
    if person:
        return person
    earlier = [s for s in context.sources if s.lower().endswith(" " + low)]
    if len(tokens) == 1 and earlier:
        return earlier[-1]
    return entity_ids(tokens, rules) or text


def source_tokens(tokens: list[Token], rules: ClaimRules) -> list[Token]:
    """A source phrase without "2024 data from", a trailing "data", or "As"."""
    lead = rules.words.source_trailers | {"from", "by", "as", "but", "and", "so"}
    while tokens and (tokens[0].like_num or tokens[0].lower_ in lead):
        tokens = tokens[1:]
    while tokens and tokens[-1].lower_ in rules.words.source_trailers:
        tokens = tokens[:-1]
    return tokens


def name_after_title(tokens: Sequence[Token], rules: ClaimRules) -> str | None:
    """The name after a person's title ("US Trade Representative Katherine Tai")."""
    titles = [i for i, t in enumerate(tokens) if t.lower_ in rules.words.person_titles]
    if not titles:
        return None
    name = tokens[titles[-1] + 1 :]
    if name and all(t.is_title and t.is_alpha for t in name):
        return joined(name)
    return None


def asserted(sent: Span, hit: Hit, rules: ClaimRules) -> tuple[str | None, str | None]:
    """An assertion's actor and object.

    What is asserted is the larger side of the sentence around the attribution
    ("According to ... Intelligence, | China controls 70% ..."); its actor is
    the first organisation or country named there.
    """
    doc = sent.doc
    src = source_range(sent, hit, rules)
    before = (sent.start, min(src[0], hit.start))
    after = (max(src[1], hit.end), sent.end)
    side = max((after, before), key=lambda r: len(doc[r[0] : r[1]].text))
    labels = rules.words.actor_labels
    ents = [e for e in doc[side[0] : side[1]].ents if e.label_ in labels]
    actor = str(ents[0].ent_id_ or ents[0].text) if ents else None
    text = span_text(doc, *side)
    if text and text.lower().startswith("that "):
        text = text[5:]
    return actor, text


# --------------------------------------------------------------------------
# Chinese
# --------------------------------------------------------------------------


def zh_claims(
    reading: Reading, start: int, end: int, rules: ClaimRules
) -> Iterator[Found]:
    """The claims of a Chinese sentence run, one per sentence (split at the
    full stop), by the regular-expression cues of the rules file."""
    text = doc_text(reading.doc)
    for m in ZH_SENTENCE.finditer(text, start, end):
        s, e = trimmed_range(text, m.start(), m.end())
        roles = zh_roles(text[s:e], rules) if e > s else None
        if roles is not None:
            yield placed(reading, s, e, roles)


def zh_roles(sentence: str, rules: ClaimRules) -> Roles | None:
    """The kind of a Chinese sentence's strongest cue, and what follows it."""
    if rules.zh_veto.search(sentence):
        return None  # an effective date, a list update, the website's notice
    hits = [
        (cue, m) for cue, pattern in rules.zh_cues for m in pattern.finditer(sentence)
    ]
    if not hits:
        return None
    cue, m = max(hits, key=lambda h: (h[0].weight, -h[1].start()))
    rest = re.split(r"[\uff0c\u3002\uff1b]", sentence[m.end() :])[0]
    clause = re.split(r"[\uff0c\u3002\uff1b]", sentence[: m.start()])[-1]
    clause = ZH_ITEM.sub("", clause, count=1).strip()
    actor = next((a for a in rules.zh_actors if clause.startswith(a)), None)
    return Roles(cue.kind, actor, rest.strip() or None)


# --------------------------------------------------------------------------
# Dates and thresholds
# --------------------------------------------------------------------------

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")  # fmt: skip
_MONTH = (
    r"(?P<{g}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?"
    r"|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_YEAR = r"(?P<{g}>(?:19|20)\d{{2}})"
DATE_RE = re.compile(
    "|".join(
        (
            rf"\b{_MONTH.format(g='m1')}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR.format(g='y1')}\b",
            rf"\b(?P<d2>\d{{1,2}})\s+{_MONTH.format(g='m2')}\s+{_YEAR.format(g='y2')}\b",
            rf"\b{_MONTH.format(g='m3')},?\s+{_YEAR.format(g='y3')}\b",
            rf"\b{_MONTH.format(g='m4')}\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?\b",
            rf"\b{_YEAR.format(g='y5')}-(?P<m5>\d{{2}})-(?P<d5>\d{{2}})\b",
            rf"(?<![\w$/.,-]){_YEAR.format(g='y6')}(?![\w/%-]|\.\d|,\d)",
            rf"{_YEAR.format(g='y7')}\u5e74(?:(?P<m7>\d{{1,2}})\u6708(?:(?P<d7>\d{{1,2}})\u65e5)?)?",
        )
    )
)


def find_dates(text: str) -> Iterator[tuple[int, int, ClaimDate]]:
    """The dates a sentence states, with their offsets in it.

    >>> [d.date for _, _, d in find_dates("from December 1, 2025 until the end of 2026")]
    ['2025-12-01', '2026']
    """
    for m in DATE_RE.finditer(text):
        yield m.start(), m.end(), ClaimDate(m.group(), iso_date(m))


def iso_date(m: re.Match[str]) -> str:
    """A date match as ISO 8601, as precise as the text."""
    parts = {k[0]: v for k, v in m.groupdict().items() if v is not None}
    year, month, day = parts.get("y"), parts.get("m"), parts.get("d")
    if month is not None and not month.isdigit():
        month = f"{month_number(month):02d}"
    if day is not None:
        day = f"{int(day):02d}"
    if year is None:
        return f"--{month}-{day}"  # ISO 8601's form for a day of an unstated year
    return "-".join(p for p in (year, month, day) if p)


def month_number(name: str) -> int:
    """1-12 for a month's name or its abbreviation."""
    key = name.rstrip(".").lower()[:3]
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(key))


# Clauses within a sentence, for tying a threshold to its year: "50% in
# January 2024 and increases annually, reaching 80% in January 2027".
SEGMENT_BREAK = re.compile(rf"[;:{DASHES}]|,(?!\d)")


def thresholds(doc: Doc, start: int, end: int) -> tuple[Threshold, ...]:
    """The figures of a requirement sentence (not counts), each with its year."""
    text = doc_text(doc)[start:end]
    dates = [(s, d) for s, _, d in find_dates(text) if d.date[:1] != "-"]
    found = []
    for q in doc._.quantities:
        if start <= q.start and q.end <= end and q.unit != "count":
            year = year_near(text, q.start - start, dates)
            found.append(Threshold(q.text, q.value, q.unit, year))
    return tuple(found)


def year_near(text: str, at: int, dates: list[tuple[int, ClaimDate]]) -> int | None:
    """The year of the nearest date in the same clause as offset ``at``."""
    bounds = [0, *(m.end() for m in SEGMENT_BREAK.finditer(text)), len(text) + 1]
    lo = max(b for b in bounds if b <= at)
    hi = min(b for b in bounds if b > at)
    near = [(abs(s - at), d) for s, d in dates if lo <= s < hi]
    return int(min(near, key=lambda n: n[0])[1].date[:4]) if near else None
