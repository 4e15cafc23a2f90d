"""The gold set itself: every file well-formed, every label where it says it is.

The format and its rules are in ``tests/gold/README.md``; the loader that
enforces them is ``bench/eval.py``'s, so ``make eval`` and this test agree.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from bench.eval import GOLD, GoldError, GoldFile, is_shared, load_gold_file, main
from extract.corpus import load_corpus, read_checked
from extract.readers import read_bytes, read_document
from tests.conftest import CORPUS, ROOT

GOLD_FILES = sorted(GOLD.glob("*.jsonl"))


def document_text(gold: GoldFile) -> str:
    """The text a gold file's offsets point into, or a skip if it is absent."""
    if is_shared(gold.doc):
        path = (ROOT / gold.doc).resolve()
        if not path.is_file():
            pytest.skip(
                f"{gold.doc} not present (shared documents live beside the checkout)"
            )
        return read_document(path).text
    corpus = load_corpus(CORPUS)
    doc = corpus.get(gold.doc)
    return read_bytes(corpus.path_of(doc), read_checked(corpus, doc)).text


def test_there_is_a_gold_file_per_seed_document() -> None:
    docs = {load_gold_file(p).doc for p in GOLD_FILES}
    corpus = load_corpus(CORPUS).documents
    assert {d.id for d in corpus if not d.path.endswith(".pdf")} <= docs
    assert sum(is_shared(d) for d in docs) >= 3
    # The bundled CRS PDFs are copies of shared ones whose claims are labelled
    # in the claim-sentence gold (dev split).
    split = json.loads((GOLD / "claims" / "split.json").read_text(encoding="utf-8"))
    pdfs = {d.id for d in corpus if d.path.endswith(".pdf")}
    labelled = {"crs-" + Path(n).name.split(".")[0].lower() for n in split["dev"]}
    assert pdfs and pdfs <= labelled


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_gold_file_is_well_formed(path: Path) -> None:
    gold = load_gold_file(path)  # raises GoldError naming the line
    assert gold.labels
    for m in gold.labels:
        if "table" in m.data:
            assert m.text in str(m.get("cell")), (
                f"line {m.line}: mention not in its cell"
            )


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_every_label_is_at_its_offsets(path: Path) -> None:
    gold = load_gold_file(path)
    text = document_text(gold)
    wrong = [
        f"line {m.line}: {m.kind} {m.text!r} != {text[m.start : m.end]!r}"
        for m in gold.labels
        if text[m.start : m.end] != m.text
    ]
    hint = (
        "; the document text changed since it was labeled (text_sha256 differs)"
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != gold.text_sha256
        else ""
    )
    assert not wrong, f"{path.name}: labels off their text{hint}:\n" + "\n".join(wrong)


def write_gold(folder: Path, lines: list[object]) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "doc.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


SCOPE = {"doc": "d", "kind": "scope", "labeled": ["quantity"], "text_sha256": "0"}
QUANTITY = {"doc": "d", "kind": "quantity", "start": 0, "end": 3, "text": "20%",
            "value": 20, "unit": "percent", "qualifier": None}  # fmt: skip


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([QUANTITY], "line 1: the first line must be the scope line (kind 'scope')"),
        (
            [SCOPE, {**QUANTITY, "end": 4}],
            "line 2: 'text' must be a string of length end - start",
        ),
        (
            [SCOPE, {**QUANTITY, "qualifier": "roughly"}],
            "line 2: quantity: 'qualifier' must be one of",
        ),
        (
            [SCOPE, {**QUANTITY, "doc": "e"}],
            "line 2: 'doc' must be 'd', as on the scope line",
        ),
        ([SCOPE, QUANTITY, QUANTITY], "line 3: same quantity span as line 2"),
        (
            [SCOPE, {**QUANTITY, "kind": "claim"}],
            "line 2: claim: missing or invalid 'claim_kind'",
        ),
    ],
)
def test_malformed_gold_is_an_error_naming_the_line(
    tmp_path: Path, lines: list[object], message: str
) -> None:
    path = write_gold(tmp_path, lines)
    with pytest.raises(GoldError, match=re.escape(message)):
        load_gold_file(path)


def test_eval_exits_1_on_malformed_gold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_gold(tmp_path / "gold", [SCOPE, {**QUANTITY, "value": "20"}])
    assert main(["--gold", str(tmp_path / "gold")]) == 1
    err = capsys.readouterr().err
    assert (
        err.startswith("Error: ")
        and "line 2: quantity: 'value' must be a number" in err
    )
