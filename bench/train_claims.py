"""Train the claim-sentence classifiers (``make train-claims``).

Run: ``.venv/bin/python bench/train_claims.py [--cv K [--rescore]] [--epochs N]``.

1. The training sentences: every unit of ``tests/gold/claims/dev/`` (its text
   and label), plus the seed gold (``tests/gold/*.jsonl`` whose scope labels
   claims): each labelled claim with its kind, and as "none" every other
   sentence of those documents' paragraphs and list items. Chinese text is
   left out (the rules read it). The test splits are never read.
2. Each sentence is tokenized by our own pipeline (:mod:`extract.nlp`) and
   saved as a spaCy DocBin with its class in ``doc.cats``.
3. spaCy's own training (``spacy.cli.train``) runs twice with fixed seeds:
   ``extract/models/claims.cfg`` trains the detector (five kinds and "none",
   every sentence), ``extract/models/claim-kinds.cfg`` the kind classifier
   (five kinds, the claims alone). Both are copied to
   ``extract/models/claims/detector/`` and ``.../kinds/`` (package data),
   whose hash joins the extractor version.

``--cv K`` instead trains K pairs, each without one K-th of the dev documents
(every K-th by path; a seed document that is also a dev document leaves with
it), scores the held-out documents end to end (the rules and that fold's
classifiers, as ``bench/eval.py --claims dev`` scores the shipped ones) and
prints precision, recall, kind and actor right and per-kind P/R, summed over
the folds. The held-out units' class scores go to
``.cache/claims-cv/heldout.jsonl`` and the misses to ``misses.txt``.
``--rescore`` scores the last run's fold models again without training: the
way to measure a change to the rules alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.claims_gold import (  # noqa: E402
    CJK_CHAR,
    CLAIM_KINDS,
    LABELS,
    GoldDoc,
    Tally,
    load_split,
)
from extract.kinds.claim_model import MIN_WORDS  # noqa: E402

CONFIG = ROOT / "extract" / "models" / "claims.cfg"
KIND_CONFIG = ROOT / "extract" / "models" / "claim-kinds.cfg"
TARGET = ROOT / "extract" / "models" / "claims"
WORK = ROOT / ".cache" / "claims-train"
CV_WORK = ROOT / ".cache" / "claims-cv"
TEXTS = ROOT / ".cache" / "claims-texts"
OVERRIDES: dict[str, object] = {}  # config overrides (--epochs)

Example = tuple[str, str, str]  # document, text, label


def dev_examples(docs: Sequence[GoldDoc]) -> list[Example]:
    """The dev units as examples (Chinese ones left out)."""
    return [
        (u.doc, u.text, u.label)
        for d in docs
        for u in d.units
        if not CJK_CHAR.search(u.text)
    ]


def seed_examples() -> list[Example]:
    """The seed gold's claims, and the other sentences of their documents as none."""
    from bench.eval import GOLD, load_gold, read_source

    found: list[Example] = []
    for gold in load_gold(GOLD):
        if "claim" not in gold.labeled:
            continue
        source = read_source(gold.doc)
        if source is None:
            continue
        claims = [m for m in gold.labels if m.kind == "claim"]
        spans = [(m.start, m.end) for m in claims]
        found += [(gold.doc, m.text, str(m.get("claim_kind"))) for m in claims]
        for start, end, text in sentences(source.text):
            if not any(s < end and start < e for s, e in spans):
                found.append((gold.doc, text, "none"))
    return [e for e in found if not CJK_CHAR.search(e[1])]


def sentences(text: object) -> Iterator[tuple[int, int, str]]:
    """The sentences of a document's paragraphs and list items, with offsets."""
    from extract.kinds.claims import Reading, passages, plain, sentence_ranges
    from extract.nlp import pipeline
    from extract.records import DocumentText

    assert isinstance(text, DocumentText)
    found = [p for p in passages(text) if p.kind in ("paragraph", "list_item")]
    plains = [plain(text.text[p.start : p.end]) for p in found]
    for passage, p, doc in zip(
        found, plains, pipeline().pipe(x.text for x in plains), strict=True
    ):
        reading = Reading(passage, p, doc)
        for _, s, e in sentence_ranges(doc):
            if len(doc.text[s:e].split()) >= MIN_WORDS:
                yield *reading.source_range(s, e), doc.text[s:e]


def write_docbin(
    examples: Sequence[Example], path: Path, labels: Sequence[str] = LABELS
) -> None:
    """The examples as a DocBin, tokenized by our pipeline, one class each."""
    from spacy.tokens import DocBin

    from extract.kinds.claim_model import model_doc
    from extract.nlp import pipeline

    nlp = pipeline()
    docs = DocBin(store_user_data=False)
    for _, text, label in examples:
        doc = model_doc(nlp, nlp.make_doc(" ".join(text.split())))
        doc.cats = {k: float(k == label) for k in labels}
        docs.add(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    docs.to_disk(path)


def train_one(
    examples: Sequence[Example],
    held: Sequence[Example],
    out: Path,
    config: Path,
    labels: Sequence[str],
) -> Path:
    """spaCy's training on ``examples`` (``held`` only logged); the last model."""
    from spacy.cli.train import train as spacy_train

    import extract.kinds.claim_model  # noqa: F401  (registers the tokenizer callback)

    write_docbin(examples, out / "train.spacy", labels)
    write_docbin(held or examples[:50], out / "dev.spacy", labels)
    spacy_train(
        config,
        out / "output",
        overrides={
            "paths.train": str(out / "train.spacy"),
            "paths.dev": str(out / "dev.spacy"),
            **OVERRIDES,
        },
    )
    return out / "output" / "model-last"


def train(examples: Sequence[Example], held: Sequence[Example], out: Path) -> Path:
    """The detector (every example) and the kind classifier (the claims
    alone), assembled in ``out/model`` as the package ships them."""
    if os.environ.get("TRACEBRIEF_RULE_LESS") == "all":
        examples = rule_less(examples)
    claims = [e for e in examples if e[2] != "none"]
    if os.environ.get("TRACEBRIEF_RULE_LESS") == "kinds":
        claims = rule_less(claims)
    held_claims = [e for e in held if e[2] != "none"]
    detector = train_one(examples, held, out / "detector", detector_config(), LABELS)
    kinds = train_one(claims, held_claims, out / "kinds", kind_config(), CLAIM_KINDS)
    model = out / "model"
    if model.exists():
        shutil.rmtree(model)
    for name, trained in (("detector", detector), ("kinds", kinds)):
        shutil.copytree(trained, model / name)
        meta = json.loads((model / name / "meta.json").read_text())
        meta.pop("performance", None)  # training-set figures, not a measurement
        text = json.dumps(meta, indent=2, sort_keys=True) + "\n"
        (model / name / "meta.json").write_text(text)
    return model


def rule_less(examples: Sequence[Example]) -> list[Example]:
    """The examples the rules find no claim in (read alone): the only
    sentences the classifiers are asked about."""
    from extract.kinds.claims import claim_rules, find_claims
    from extract.records import Block, DocumentText

    rules = claim_rules()
    kept, rules.none_threshold = rules.none_threshold, 0.0  # the rules alone
    try:
        found = []
        for e in examples:
            text = " ".join(e[1].split())
            one = DocumentText(text, (Block("paragraph", 1, 0, len(text)),))
            if not find_claims(one):
                found.append(e)
    finally:
        rules.none_threshold = kept
    return found


def detector_config() -> Path:
    """The detector's config (``--config`` to try another)."""
    return Path(os.environ.get("TRACEBRIEF_CLAIMS_CONFIG", CONFIG))


def kind_config() -> Path:
    """The kind classifier's config (``--kind-config`` to try another)."""
    return Path(os.environ.get("TRACEBRIEF_KINDS_CONFIG", KIND_CONFIG))


def ship(model: Path) -> None:
    """Copy the trained pipelines into the package, replacing the old ones."""
    if TARGET.exists():
        shutil.rmtree(TARGET)
    shutil.copytree(model, TARGET)


def cv_work() -> Path:
    """The cross-validation folder of the config being tried."""
    config, kinds = detector_config(), kind_config()
    if config == CONFIG and kinds == KIND_CONFIG:
        return CV_WORK
    return CV_WORK.with_name(f"claims-cv-{config.stem}-{kinds.stem}")


def folds(docs: Sequence[GoldDoc], k: int) -> list[list[GoldDoc]]:
    """The dev documents in ``k`` folds (every k-th by sorted path)."""
    ordered = sorted(docs, key=lambda d: d.doc)
    return [ordered[fold::k] for fold in range(k)]


def same_document(seed_doc: str, held: set[str]) -> bool:
    """True when a seed document is one of the held-out dev documents (IF11175
    is both): its seed sentences would leak the held-out labels."""
    return Path(seed_doc).name in {Path(d).name for d in held}


def cross_validate(
    docs: Sequence[GoldDoc], seeds: Sequence[Example], k: int, retrain: bool = True
) -> None:
    """K models, each trained without one fold of dev documents; the held-out
    documents scored end to end (rules and that fold's model), summed.

    The held-out units' class scores go to ``heldout.jsonl``; with
    ``retrain=False`` the fold models of the last run are scored again (to
    measure a change to the rules alone).
    """
    from bench.claims_gold import print_table

    rows: list[dict[str, object]] = []
    total = Tally(Counter())
    for fold, held in enumerate(folds(docs, k)):
        names = {d.doc for d in held}
        out = cv_work() / f"fold{fold}"
        held_ex = [e for e in dev_examples(docs) if e[0] in names]
        if retrain:
            train_ex = [e for e in dev_examples(docs) if e[0] not in names]
            kept = [e for e in seeds if not same_document(e[0], names)]
            train([*train_ex, *kept], held_ex, out)
        model = out / "model"
        rows += heldout_scores(model, held_ex, fold)
        for gold in held:
            total.add(heldout_tally(gold, model))
    out_file = cv_work() / "heldout.jsonl"
    out_file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(f"{len(rows)} held-out units scored by the classifier: {out_file}")
    print(f"\n## {k}-fold cross-validation by document, end to end\n")
    print_table({f"dev CV {k}": total}, {f"dev CV {k}": len(docs)})
    assert total.misses is not None
    (cv_work() / "misses.txt").write_text("\n".join(total.misses) + "\n")


def heldout_scores(
    model: Path, held: Sequence[Example], fold: int
) -> list[dict[str, object]]:
    """The classifiers' class scores of each held-out unit alone."""
    from extract.kinds.claim_model import score_docs
    from extract.nlp import pipeline

    use_model(model)
    made = [pipeline().make_doc(" ".join(t.split())) for _, t, _ in held]
    return [
        {
            "fold": fold,
            "doc": doc,
            "text": text,
            "label": label,
            "scores": {c: round(v, 4) for c, v in scores.items()},
        }
        for (doc, text, label), scores in zip(held, score_docs(made), strict=True)
    ]


def use_model(model: Path) -> None:
    """Make the extractor read the classifiers in ``model`` (a fold's)."""
    from extract.kinds import claim_model

    if claim_model.model_path() != model:
        claim_model.model_path = lambda: model  # type: ignore[assignment]
        claim_model.classifier.cache_clear()
        claim_model.kind_classifier.cache_clear()


def heldout_tally(gold: GoldDoc, model: Path) -> Tally:
    """One held-out document scored end to end with a fold's model."""
    from bench.claims_gold import claims_tally

    use_model(model)
    t = claims_tally(gold, document_text(gold))
    assert t.misses is not None
    t.misses[:] = [f"{Path(gold.doc).name}: {m}" for m in t.misses]
    return t


def document_text(gold: GoldDoc) -> object:
    """The reader's text of a gold document, kept in ``.cache`` between runs
    (keyed by the file's bytes and the reader's version)."""
    import hashlib
    import pickle

    from bench.claims_gold import SHARED
    from extract.readers import read_document

    path = SHARED / gold.doc
    key = hashlib.sha256(path.read_bytes() + reader_version().encode()).hexdigest()
    cached = TEXTS / f"{key[:16]}.pickle"
    if cached.is_file():
        return pickle.loads(cached.read_bytes())
    text = read_document(path)
    TEXTS.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(pickle.dumps(text))
    return text


def reader_version() -> str:
    """What the cached texts depend on: the reader's source files."""
    import hashlib

    sources = sorted((ROOT / "extract" / "readers").rglob("*.py"))
    sources += [ROOT / "extract" / n for n in ("pages.py", "records.py")]
    digest = hashlib.sha256()
    for path in sources:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cv", type=int, default=0, help="K-fold cross-validation on dev"
    )
    parser.add_argument("--no-seeds", action="store_true", help="dev labels only")
    parser.add_argument(
        "--rescore",
        action="store_true",
        help="with --cv: score the last run's fold models again, no training",
    )
    parser.add_argument("--config", type=Path, default=CONFIG, help="a config to try")
    parser.add_argument(
        "--kind-config", type=Path, default=KIND_CONFIG, help="a kind config to try"
    )
    parser.add_argument("--epochs", type=int, help="override training.max_epochs")
    args = parser.parse_args(argv)
    if args.epochs:
        OVERRIDES["training.max_epochs"] = args.epochs
    os.environ["TRACEBRIEF_CLAIMS_CONFIG"] = str(args.config)
    os.environ["TRACEBRIEF_KINDS_CONFIG"] = str(args.kind_config)
    docs = load_split("dev")
    seeds = [] if args.no_seeds else seed_examples()
    print(
        f"{len(docs)} dev documents, {len(dev_examples(docs))} dev units, {len(seeds)} seed sentences"
    )
    if args.cv:
        cross_validate(docs, seeds, args.cv, retrain=not args.rescore)
        return 0
    model = train([*dev_examples(docs), *seeds], [], WORK)
    ship(model)
    print(f"model shipped to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
