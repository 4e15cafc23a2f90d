"""The spaCy pipeline: ``spacy.blank("en")`` plus rules and data of our own.

No trained model is loaded, so nothing is downloaded at run time. The pipeline:

1. the English tokenizer, with every abbreviation in ``data/abbreviations.txt``
   kept whole as one token ("U.S.", "No.", "P.L.", "e.g."), so that
2. the rule-based ``sentencizer`` never ends a sentence inside one;
3. ``tracebrief_entities``, an entity ruler whose patterns are the data file
   ``data/entities.jsonl`` (countries and their adjectives, agencies,
   companies, minerals, laws and programs), longest match first. The patterns
   are spaCy EntityRuler token patterns; those made of ``ORTH`` or of ``LOWER``
   tokens alone run on PhraseMatchers, which on the seed corpus is ~40x faster
   than spaCy's own ``entity_ruler`` feeding all 2,400 patterns to a Matcher,
   and the few others on :class:`extract.patterns.PatternMatcher`;
4. ``tracebrief_quantities``, which puts the quantities of the text on
   ``doc._.quantities`` (see :mod:`extract.kinds.quantities`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib import resources

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extract.kinds.quantities import find_quantities
from extract.patterns import PatternMatcher

QUANTITIES = "tracebrief_quantities"
ENTITIES = "tracebrief_entities"
Pattern = dict[str, object]

if not Doc.has_extension("quantities"):
    Doc.set_extension("quantities", default=())


@Language.component(QUANTITIES)
def quantities_component(doc: Doc) -> Doc:
    """Find the quantities in the doc's text and keep them on ``doc._.quantities``."""
    doc._.quantities = find_quantities(doc.text)
    return doc


class EntityRules:
    """Set ``doc.ents`` from token patterns; the longest match wins."""

    def __init__(self, nlp: Language, patterns: list[Pattern]) -> None:
        self.vocab = nlp.vocab
        self.phrases = {
            "ORTH": PhraseMatcher(nlp.vocab, attr="ORTH"),
            "LOWER": PhraseMatcher(nlp.vocab, attr="LOWER"),
        }
        self.tokens = PatternMatcher(nlp.vocab)
        for p in patterns:
            self.add(p)

    def add(self, pattern: Pattern) -> None:
        """Add one EntityRuler-style pattern, keyed by label and id."""
        tokens = pattern["pattern"]
        key = f"{pattern['label']}|{pattern.get('id', '')}"
        assert isinstance(tokens, list)
        attrs = {attr for token in tokens for attr in token}
        if len(attrs) == 1 and next(iter(attrs)) in self.phrases:
            attr = next(iter(attrs))
            words = [str(token[attr]) for token in tokens]
            self.phrases[attr].add(key, [Doc(self.vocab, words=words)])
        else:
            self.tokens.add(key, [tokens])

    def __call__(self, doc: Doc) -> Doc:
        matches = [
            *self.phrases["ORTH"](doc),
            *self.phrases["LOWER"](doc),
            *self.tokens(doc),
        ]
        spans = []
        for key, start, end in matches:
            label, _, ent_id = self.vocab.strings[key].partition("|")
            spans.append(Span(doc, start, end, label=label, span_id=ent_id))
        doc.ents = filter_spans(spans)
        return doc


@Language.factory(ENTITIES)
def make_entities(nlp: Language, name: str) -> EntityRules:
    """The entity ruler, loaded with the package's patterns."""
    return EntityRules(nlp, entity_patterns())


def data_text(name: str) -> str:
    """A data file shipped in ``extract/data``."""
    return resources.files("extract").joinpath("data", name).read_text("utf-8")


def abbreviations() -> list[str]:
    """The abbreviations that never end a sentence."""
    lines = (line.strip() for line in data_text("abbreviations.txt").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def entity_patterns() -> list[Pattern]:
    """The entity ruler's patterns, one JSON object a line."""
    lines = data_text("entities.jsonl").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@cache
def pipeline() -> Language:
    """The shared pipeline, built once per process.

    >>> doc = pipeline()("The U.S. imports 73% of it. China exports the rest.")
    >>> [s.text for s in doc.sents]
    ['The U.S. imports 73% of it.', 'China exports the rest.']
    """
    nlp = spacy.blank("en")
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, Tokenizer)
    for abbr in abbreviations():
        tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(ENTITIES)
    nlp.add_pipe(QUANTITIES)
    return nlp


class Parses:
    """One spaCy pass per document: each distinct text is parsed once, and
    every kind extractor reads the same ``Doc`` (a claim passage that is a
    whole block is the block's parse).

    >>> parse = Parses()
    >>> a, b = parse(["China exports 73%.", "China exports 73%."])
    >>> a is b
    True
    """

    def __init__(self, nlp: Language | None = None) -> None:
        self.nlp = nlp or pipeline()
        self._docs: dict[str, Doc] = {}

    def __call__(self, texts: Iterable[str]) -> list[Doc]:
        """The parses of ``texts``, in order; new texts in one ``nlp.pipe`` call."""
        wanted = list(texts)
        new = [t for t in dict.fromkeys(wanted) if t not in self._docs]
        for t, doc in zip(new, self.nlp.pipe(new), strict=True):
            doc.user_data["text"] = t  # Doc.text joins every token on each call
            self._docs[t] = doc
        return [self._docs[t] for t in wanted]

    def one(self, text: str) -> Doc:
        """The parse of one text."""
        return self([text])[0]
