"""The claim-sentence classifier: a small spaCy ``textcat`` shipped as package data.

``extract/models/claims/`` is a spaCy pipeline trained by ``make
train-claims`` (``bench/train_claims.py``, config ``extract/models/claims.cfg``)
from the labelled sentences in ``tests/gold/claims/dev/`` and the seed gold.
It has one exclusive text classifier whose classes are the five claim kinds
and "none"; its tok2vec was trained from scratch, so nothing is downloaded
and it runs on the CPU. Inference is deterministic: the same text gives the
same scores on every load.

The classifier reads the tokens of our own pipeline (:mod:`extract.nlp`): a
sentence is re-made as a Doc of the classifier's vocabulary from those
tokens, so training and use see the same tokenization. After the words come
cue markers (``cue_requirement`` ...), one per claim kind whose cue phrase
(``data/claim_cues.json``) the sentence contains: the lexicon says where a
cue is, the labels teach what it is worth.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import registry

from extract.models import MODELS
from extract.nlp import abbreviations, data_text, pipeline

MODEL = "claims"
CUES_FILE = "claim_cues.json"
LABELS = ("recommendation", "requirement", "commitment", "measure", "assertion", "none")
Scores = dict[str, float]
# Sentences shorter than this are never trained on, so the classifier does not
# score them (a product number such as "IF12135" alone is no claim).
MIN_WORDS = 3


@registry.callbacks("tracebrief.claims_tokenizer.v1")  # type: ignore[untyped-decorator]
def claims_tokenizer() -> Callable[[Language], Language]:
    """The config's ``before_init`` callback: our abbreviations stay whole tokens."""

    def add_abbreviations(nlp: Language) -> Language:
        tokenizer = nlp.tokenizer
        assert isinstance(tokenizer, Tokenizer)
        for abbr in abbreviations():
            tokenizer.add_special_case(abbr, [{ORTH: abbr}])
        return nlp

    return add_abbreviations


def model_path() -> Path:
    """Where the shipped classifier lives (inside the installed package)."""
    return MODELS / MODEL


@cache
def classifier() -> Language:
    """The trained pipeline, loaded once per process."""
    return spacy.load(model_path())


@cache
def cue_matcher() -> PhraseMatcher:
    """The cue phrases of ``data/claim_cues.json``, matched on lower case."""
    data = json.loads(data_text(CUES_FILE))
    nlp = pipeline()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for kind in LABELS[:-1]:
        matcher.add(kind, [nlp.make_doc(w) for w in data[kind]["cues"]])
        matcher.add(f"{kind}_signal", [nlp.make_doc(w) for w in data[kind]["signals"]])
    return matcher


@cache
def cue_words() -> frozenset[str]:
    """The one-word cues of every kind (``data/claim_cues.json``), lower case."""
    data = json.loads(data_text(CUES_FILE))
    return frozenset(
        w for kind in LABELS[:-1] for w in data[kind]["cues"] if " " not in w
    )


def model_doc(nlp: Language, doc: Doc | Span) -> Doc:
    """What the classifier reads: the tokens of a doc (or of a sentence of
    one, read in place), then its cue markers."""
    matcher = cue_matcher()
    found = {doc.vocab.strings[key] for key, _, _ in matcher(doc)}
    kinds = sorted({k.removesuffix("_signal") for k in found})
    words = [t.text for t in doc] + [f"cue_{k}" for k in kinds]
    spaces = [True] * len(words)
    return Doc(nlp.vocab, words=words, spaces=spaces)


def first_cue(sent: Span, kind: str) -> tuple[int, int] | None:
    """The token range (in the doc) of the first cue of ``kind`` in a sentence."""
    matcher = cue_matcher()
    key = sent.doc.vocab.strings[kind]
    found = [(s, e) for k, s, e in matcher(sent) if k == key]
    return min(found) if found else None


def score_docs(docs: Sequence[Doc | Span]) -> list[Scores]:
    """Class scores (summing to 1) for each doc or sentence, read from its
    tokens; one batch, so a document's sentences are best scored in one call.

    >>> from extract.nlp import pipeline
    >>> s = score_docs([pipeline().make_doc("Congress should act.")])[0]
    >>> sorted(s) == sorted(LABELS)
    True
    """
    nlp = classifier()
    own = [model_doc(nlp, d) for d in docs]
    return [{k: float(v) for k, v in d.cats.items()} for d in nlp.pipe(own)]


def best_label(scores: Scores) -> tuple[str, float]:
    """The top class and its score."""
    label = max(LABELS, key=lambda k: scores.get(k, 0.0))
    return label, scores.get(label, 0.0)
