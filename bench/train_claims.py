"""Train the claim-sentence classifier (``make train-claims``).

Run: ``.venv/bin/python bench/train_claims.py [--cv K]``.

1. The training sentences: every unit of ``tests/gold/claims/dev/`` (its text
   and label), plus the seed gold (``tests/gold/*.jsonl`` whose scope labels
   claims): each labelled claim with its kind, and as "none" every other
   sentence of those documents' paragraphs and list items. Chinese text is
   left out (the rules read it). The test split is never read.
2. Each sentence is tokenized by our own pipeline (:mod:`extract.nlp`) and
   saved as a spaCy DocBin with its class in ``doc.cats``.
3. spaCy's own training (``spacy.cli.train``) runs ``extract/models/claims.cfg``
   with its fixed seed; the last model is copied to ``extract/models/claims/``
   (package data), whose hash joins the extractor version.

``--cv K`` instead trains K models, each without one K-th of the dev
documents, and writes every held-out unit's scores to
``.cache/claims-cv/heldout.jsonl``: the figures to decide, on dev alone,
where the rules beat the classifier.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.claims_gold import CJK_CHAR, LABELS, GoldDoc, load_split  # noqa: E402
from extract.kinds.claim_model import MIN_WORDS  # noqa: E402

CONFIG = ROOT / "extract" / "models" / "claims.cfg"
TARGET = ROOT / "extract" / "models" / "claims"
WORK = ROOT / ".cache" / "claims-train"
CV_WORK = ROOT / ".cache" / "claims-cv"

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


def write_docbin(examples: Sequence[Example], path: Path) -> None:
    """The examples as a DocBin, tokenized by our pipeline, one class each."""
    from spacy.tokens import DocBin

    from extract.kinds.claim_model import model_doc
    from extract.nlp import pipeline

    nlp = pipeline()
    docs = DocBin(store_user_data=False)
    for _, text, label in examples:
        doc = model_doc(nlp, nlp.make_doc(" ".join(text.split())))
        doc.cats = {k: float(k == label) for k in LABELS}
        docs.add(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    docs.to_disk(path)


def train(examples: Sequence[Example], held: Sequence[Example], out: Path) -> Path:
    """spaCy's training on ``examples`` (``held`` only logged); the last model."""
    from spacy.cli.train import train as spacy_train

    import extract.kinds.claim_model  # noqa: F401  (registers the tokenizer callback)

    write_docbin(examples, out / "train.spacy")
    write_docbin(held or examples[:50], out / "dev.spacy")
    spacy_train(
        Path(os.environ.get("TRACEBRIEF_CLAIMS_CONFIG", CONFIG)),
        out / "output",
        overrides={
            "paths.train": str(out / "train.spacy"),
            "paths.dev": str(out / "dev.spacy"),
        },
    )
    return out / "output" / "model-last"


def ship(model: Path) -> None:
    """Copy a trained pipeline into the package, replacing the old one."""
    if TARGET.exists():
        shutil.rmtree(TARGET)
    shutil.copytree(model, TARGET)
    meta = json.loads((TARGET / "meta.json").read_text())
    meta.pop("performance", None)  # training-set figures, not a measurement
    (TARGET / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")


def cv_work() -> Path:
    """The cross-validation folder of the config being tried."""
    config = Path(os.environ.get("TRACEBRIEF_CLAIMS_CONFIG", CONFIG))
    return (
        CV_WORK if config == CONFIG else CV_WORK.with_name(f"claims-cv-{config.stem}")
    )


def cross_validate(docs: Sequence[GoldDoc], seeds: Sequence[Example], k: int) -> None:
    """K models, each trained without one fold of dev documents; held-out scores."""
    import spacy

    from extract.kinds.claim_model import LABELS as MODEL_LABELS
    from extract.kinds.claim_model import model_doc
    from extract.nlp import pipeline

    names = sorted(d.doc for d in docs)
    rows = []
    for fold in range(k):
        held_docs = {n for i, n in enumerate(names) if i % k == fold}
        train_ex = [e for e in dev_examples(docs) if e[0] not in held_docs]
        held_ex = [e for e in dev_examples(docs) if e[0] in held_docs]
        model = train([*train_ex, *seeds], held_ex, cv_work() / f"fold{fold}")
        nlp = spacy.load(model)
        made = [pipeline().make_doc(" ".join(t.split())) for _, t, _ in held_ex]
        own = [model_doc(nlp, d) for d in made]
        for (doc, text, label), scored in zip(held_ex, nlp.pipe(own), strict=True):
            scores = {c: round(float(scored.cats[c]), 4) for c in MODEL_LABELS}
            rows.append(
                {
                    "fold": fold,
                    "doc": doc,
                    "text": text,
                    "label": label,
                    "scores": scores,
                }
            )
    out = cv_work() / "heldout.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(f"{len(rows)} held-out units scored: {out}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cv", type=int, default=0, help="K-fold cross-validation on dev"
    )
    parser.add_argument("--no-seeds", action="store_true", help="dev labels only")
    parser.add_argument("--config", type=Path, default=CONFIG, help="a config to try")
    args = parser.parse_args(argv)
    os.environ["TRACEBRIEF_CLAIMS_CONFIG"] = str(args.config)
    docs = load_split("dev")
    seeds = [] if args.no_seeds else seed_examples()
    print(
        f"{len(docs)} dev documents, {len(dev_examples(docs))} dev units, {len(seeds)} seed sentences"
    )
    if args.cv:
        cross_validate(docs, seeds, args.cv)
        return 0
    model = train([*dev_examples(docs), *seeds], [], WORK)
    ship(model)
    print(f"model shipped to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
