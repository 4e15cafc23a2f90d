"""The claim-sentence classifiers: two small spaCy ``textcat`` pipelines shipped as package data.

``extract/models/claims/`` holds two spaCy pipelines trained by ``make
train-claims`` (``bench/train_claims.py``, configs ``extract/models/claims.cfg``
and ``extract/models/claim-kinds.cfg``) from the labelled sentences in
``tests/gold/claims/dev/`` and the seed gold:

- ``detector/``: one exclusive text classifier whose classes are the five
  claim kinds and "none", trained on every sentence; its "none" score says
  whether a sentence is a claim;
- ``kinds/``: one exclusive text classifier over the five kinds alone,
  trained on the claim sentences only; it says which kind a claim is.
  Cross-validated by document on dev, it gets the kind of a held-out claim
  right more often than the detector's best claim class (0.615 against
  0.522 of 299 units).

Their tok2vecs were trained from scratch, so nothing is downloaded and they
run on the CPU. Inference is deterministic: the same text gives the same
scores on every load.

The classifiers read the tokens of our own pipeline (:mod:`extract.nlp`): a
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
DETECTOR = "detector"
KINDS = "kinds"
CUES_FILE = "claim_cues.json"
LABELS = ("recommendation", "requirement", "commitment", "measure", "assertion", "none")
KIND_LABELS = LABELS[:-1]
Scores = dict[str, float]
# Sentences shorter than this are never trained on, so the classifier does not
# score them (a product number such as "IF12135" alone is no claim).
MIN_WORDS = 3
# Sentences scored at a time: the activations of a batch are the peak memory
# of a document's extraction (256 sentences: +50 MB on a 57-page report), and
# small batches are no slower on the CPU. The scores do not depend on it.
BATCH = 32


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
    """Where the shipped classifiers live (inside the installed package)."""
    return MODELS / MODEL


@cache
def classifier() -> Language:
    """The claim detector, loaded once per process.

    Both classifiers share the vocabulary of :func:`extract.nlp.pipeline`, so
    a word's lexeme (its shape, prefix, suffix: what they read) is made once
    per process, not once in each; the scores are the same.
    """
    return spacy.load(model_path() / DETECTOR, vocab=pipeline().vocab)


@cache
def kind_classifier() -> Language:
    """The kind classifier, loaded once per process."""
    return spacy.load(model_path() / KINDS, vocab=pipeline().vocab)


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


def score_docs(docs: Sequence[Doc | Span], none_below: float = 1.0) -> list[Scores]:
    """Class scores (summing to 1) for each doc or sentence, read from its
    tokens; one batch, so a document's sentences are best scored in one call.

    "none" is the detector's; the rest is shared among the kinds as the kind
    classifier weighs them. Only docs whose "none" is below ``none_below``
    are weighed (the others are no claims): the rest share it evenly.

    >>> from extract.nlp import pipeline
    >>> s = score_docs([pipeline().make_doc("Congress should act.")])[0]
    >>> sorted(s) == sorted(LABELS)
    True
    """
    detector, kinds = classifier(), kind_classifier()
    own = (model_doc(detector, d) for d in docs)  # made a batch at a time
    nones = [float(d.cats["none"]) for d in detector.pipe(own, batch_size=BATCH)]
    claims = [d for d, none in zip(docs, nones, strict=True) if none < none_below]
    weighed = iter(kinds.pipe((model_doc(kinds, d) for d in claims), batch_size=BATCH))
    even = {k: 1.0 / len(KIND_LABELS) for k in KIND_LABELS}
    found = []
    for none in nones:
        shares = next(weighed).cats if none < none_below else even
        found.append(
            {"none": none} | {k: (1.0 - none) * float(shares[k]) for k in KIND_LABELS}
        )
    return found


def best_label(scores: Scores) -> tuple[str, float]:
    """The top class and its score."""
    label = max(LABELS, key=lambda k: scores.get(k, 0.0))
    return label, scores.get(label, 0.0)
