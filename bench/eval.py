"""Score the extractor against the hand-labeled gold set in ``tests/gold/``.

Run: ``.venv/bin/python bench/eval.py [--misses] [--kind K] [--doc ID]``
(``make eval``). It runs ``extract_facts`` on every gold document (the shared
ones under ``../shared/corpus-candidates/`` only where present, saying which
were skipped) and prints precision, recall and TP/FP/FN per fact kind, then
the same counts per document. ``--misses`` lists every false positive and
false negative with its text and context. ``tests/gold/README.md`` explains
the gold format and the labeling conventions.

Matching rules (one-to-one; where several candidates qualify, the largest
overlap wins):

- quantity: same document, overlapping spans, same value (relative tolerance
  1e-9) and unit; the qualifier is reported as accuracy among matches.
- table cells: the quantity facts that carry a ``table`` field, keyed by
  (document, table, row, column); a cell is right when the value and unit at
  that key are. ``table`` is "Table N" or "Figure N"; ``row`` indexes the data
  rows (header excluded) and ``column`` the columns (0 is the row label), both
  from 0. The note says how many gold cells a predicted cell overlaps at all,
  to tell a numbering mismatch from a missing table.
- control_code, hs_code, date: same normalised value and overlapping spans
  (the date's role is reported among matches). The gold labels the codes an
  announcement lists; a predicted code marked ``listed: false`` (a
  cross-reference such as "controlled by 2B902.f") is not scored.
- announcement: same document and number (e.g. 61/2025), wherever its span.
- table, figure: same document and number, wherever its span.
- claim: the predicted span covers at least half of the gold sentence;
  claim_kind is reported among matches.

Then the claim-sentence gold of ``tests/gold/claims/`` (dev and test splits,
documents nobody tuned the rules for) is scored side by side; see
``bench/claims_gold.py`` for how. With ``--misses`` it lists the dev misses
only: the test split is scored, never read.

Only the kinds a gold file's scope line lists are scored for its document.
The report always exits 0; a malformed gold file is an error (exit 1).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from extract.errors import ExtractError

if TYPE_CHECKING:
    from extract.records import DocumentText

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
if str(ROOT) not in sys.path:  # run as a script: bench.claims_gold is a sibling
    sys.path.insert(0, str(ROOT))

KINDS = ("quantity", "claim", "table", "figure", "announcement", "control_code",
         "hs_code", "date")  # fmt: skip
QUALIFIERS = (None, "about", "more_than", "less_than", "at_least", "at_most", "nearly")
CLAIM_KINDS = ("recommendation", "requirement", "commitment", "measure", "assertion")
ROLES = ("issue", "effective")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TABLE_LABEL = re.compile(r"(?i)(table|figure)\s*(\d+)")
CONTEXT = 50  # characters shown either side of a miss


class GoldError(Exception):
    """A gold file that does not follow the format in tests/gold/README.md."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path} line {line}: {message}")


@dataclass(frozen=True, slots=True)
class Mention:
    """A gold label or a predicted fact: where it is and its fields."""

    doc: str
    kind: str
    start: int
    end: int
    text: str
    data: dict[str, object] = field(compare=False)
    line: int = 0  # the gold file line (0 for a prediction)

    def get(self, key: str) -> object:
        return self.data.get(key)


@dataclass(frozen=True, slots=True)
class GoldFile:
    """One gold file: its scope line and its labels."""

    path: Path
    doc: str
    labeled: tuple[str, ...]
    text_sha256: str
    labels: tuple[Mention, ...]


# --------------------------------------------------------------------------
# Reading and checking the gold files
# --------------------------------------------------------------------------


def load_gold(folder: Path = GOLD) -> tuple[GoldFile, ...]:
    """Every ``*.jsonl`` gold file in ``folder``, checked; GoldError if malformed."""
    files = tuple(load_gold_file(p) for p in sorted(folder.glob("*.jsonl")))
    if not files:
        raise GoldError(folder, 0, "no *.jsonl gold files here")
    return files


def load_gold_file(path: Path) -> GoldFile:
    """One gold file: a scope line, then one label per line."""
    rows = list(read_jsonl(path))
    if not rows or rows[0][1].get("kind") != "scope":
        raise GoldError(path, 1, "the first line must be the scope line (kind 'scope')")
    scope = rows[0][1]
    doc, labeled = check_scope(path, scope)
    labels = tuple(check_label(path, n, obj, doc) for n, obj in rows[1:])
    check_unique(path, labels)
    return GoldFile(path, doc, labeled, str(scope["text_sha256"]), labels)


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    """(line number, object) for each non-blank line."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise GoldError(path, n, f"not JSON: {e.msg}") from None
        if not isinstance(obj, dict):
            raise GoldError(path, n, "a line must be a JSON object")
        yield n, obj


def check_scope(path: Path, scope: dict[str, object]) -> tuple[str, tuple[str, ...]]:
    """The scope line's document and the kinds it says were labeled."""
    doc, labeled = scope.get("doc"), scope.get("labeled")
    if not isinstance(doc, str) or not doc:
        raise GoldError(path, 1, "scope line: 'doc' is missing")
    if not isinstance(labeled, list) or not set(labeled) <= set(KINDS):
        raise GoldError(path, 1, f"scope line: 'labeled' must list kinds of {KINDS}")
    if not isinstance(scope.get("text_sha256"), str):
        raise GoldError(path, 1, "scope line: 'text_sha256' is missing")
    return doc, tuple(labeled)


def check_label(path: Path, n: int, obj: dict[str, object], doc: str) -> Mention:
    """One label line as a Mention, or a GoldError saying what is wrong."""
    kind, start, end, text = (obj.get(k) for k in ("kind", "start", "end", "text"))
    if obj.get("doc") != doc:
        raise GoldError(path, n, f"'doc' must be {doc!r}, as on the scope line")
    if kind not in KINDS:
        raise GoldError(path, n, f"'kind' must be one of {KINDS}, not {kind!r}")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
        raise GoldError(path, n, "'start' and 'end' must be integers, 0 <= start < end")
    if not isinstance(text, str) or len(text) != end - start:
        raise GoldError(path, n, "'text' must be a string of length end - start")
    problem = FIELD_CHECKS[str(kind)](obj)
    if problem:
        raise GoldError(path, n, f"{kind}: {problem}")
    data = {k: v for k, v in obj.items() if k not in ("doc", "kind", "start", "end")}
    return Mention(doc, str(kind), start, end, text, data, n)


def check_unique(path: Path, labels: Sequence[Mention]) -> None:
    """No two labels of one kind at the same span."""
    seen: dict[tuple[str, int, int], int] = {}
    for m in labels:
        key = (m.kind, m.start, m.end)
        if key in seen:
            raise GoldError(path, m.line, f"same {m.kind} span as line {seen[key]}")
        seen[key] = m.line


def _quantity_problem(obj: dict[str, object]) -> str:
    value = obj.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "'value' must be a number"
    if not isinstance(obj.get("unit"), str) or not obj["unit"]:
        return "'unit' must be a non-empty string"
    if obj.get("qualifier", "missing") not in QUALIFIERS:
        return f"'qualifier' must be one of {QUALIFIERS}"
    return _cell_problem(obj) if "table" in obj else ""


def _cell_problem(obj: dict[str, object]) -> str:
    if not TABLE_LABEL.fullmatch(str(obj.get("table"))):
        return "'table' must be 'Table N' or 'Figure N'"
    for key in ("row", "column"):
        value = obj.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return f"'{key}' must be an integer >= 0"
    return "" if isinstance(obj.get("cell"), str) else "'cell' must be the cell's text"


def _required(**types: Callable[[object], bool]) -> Callable[[dict[str, object]], str]:
    """A field check: each named field must pass its test."""

    def check(obj: dict[str, object]) -> str:
        bad = [k for k, ok in types.items() if not ok(obj.get(k))]
        return f"missing or invalid {', '.join(repr(k) for k in bad)}" if bad else ""

    return check


def _text(v: object) -> bool:
    return isinstance(v, str) and bool(v)


def _iso(v: object) -> bool:
    return isinstance(v, str) and ISO_DATE.fullmatch(v) is not None


FIELD_CHECKS: dict[str, Callable[[dict[str, object]], str]] = {
    "quantity": _quantity_problem,
    "claim": _required(claim_kind=lambda v: v in CLAIM_KINDS),
    "table": _required(number=lambda v: label_key(v) is not None, caption=_text),
    "figure": _required(number=lambda v: label_key(v) is not None, caption=_text),
    "announcement": _required(
        number=lambda v: _announcement_key(v) != (), issue_date=_iso
    ),
    "control_code": _required(code=_text, announcement=_text),
    "hs_code": _required(code=lambda v: isinstance(v, str) and v.isdigit()),
    "date": _required(date=_iso, role=lambda v: v in ROLES),
}


# --------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """A gold document's text and what extract_facts needs to read it."""

    doc: str
    sha256: str
    text: DocumentText


def is_shared(doc: str) -> bool:
    """Shared documents are named by their path relative to the repository root."""
    return "/" in doc


def read_source(doc: str) -> Source | None:
    """The document's text, or None for a shared document that is absent."""
    from extract.corpus import load_corpus, read_checked, sha256_of
    from extract.readers import read_bytes, read_document

    if is_shared(doc):
        path = (ROOT / doc).resolve()
        if not path.is_file():
            return None
        return Source(doc, sha256_of(path.read_bytes()), read_document(path))
    corpus = load_corpus(ROOT / "corpus")
    entry = corpus.get(doc)
    text = read_bytes(corpus.path_of(entry), read_checked(corpus, entry))
    return Source(doc, entry.sha256, text)


def anchored(gold: GoldFile, text: str) -> tuple[list[Mention], list[str]]:
    """Labels whose text is at their offsets, re-anchored where it moved.

    A reader change can shift a shared PDF's text; a label whose text no
    longer sits at its offsets is moved to the nearest place the same text
    occurs (and said so), or dropped when it occurs nowhere.
    """
    kept: list[Mention] = []
    notes: list[str] = []
    for m in gold.labels:
        if text[m.start : m.end] == m.text:
            kept.append(m)
            continue
        starts = [i.start() for i in re.finditer(re.escape(m.text), text)]
        if not starts:
            notes.append(f"line {m.line}: {m.text!r} not in the text any more; dropped")
            continue
        start = min(starts, key=lambda i: abs(i - m.start))
        kept.append(
            Mention(m.doc, m.kind, start, start + len(m.text), m.text, m.data, m.line)
        )
        notes.append(f"line {m.line}: {m.text!r} moved {start - m.start:+d}")
    return kept, notes


def predictions(source: Source) -> tuple[list[Mention], str]:
    """The extractor's facts for a document as Mentions, and an error if it failed."""
    from extract.facts import extract_facts

    try:
        facts = extract_facts(source.doc, source.sha256, source.text)
    except Exception as e:  # a report: say it failed and score it as finding nothing
        return [], f"{type(e).__name__}: {e}"
    mentions = []
    for f in facts:
        data = f.to_json()
        mentions.append(Mention(source.doc, f.kind, f.start, f.end, f.text, data))
    return mentions, ""


# --------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------


def overlap(a: Mention, b: Mention) -> int:
    """Characters two spans share."""
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def same_number(a: object, b: object) -> bool:
    """Equal within a relative tolerance of 1e-9."""
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    if not isinstance(a, int | float) or not isinstance(b, int | float):
        return False
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def norm_code(v: object) -> str:
    """A control code as compared: no spaces or trailing dot, lower case."""
    return re.sub(r"\s+", "", str(v or "")).rstrip(".").lower()


def norm_digits(v: object) -> str:
    """An HS code as compared: its digits."""
    return re.sub(r"\D", "", str(v or ""))


def _announcement_key(v: object) -> tuple[int, int] | tuple[()]:
    """(number, year) of "61/2025", "No. 61/2025", "2025年第46号" or "[2025] No. 10"."""
    numbers = [int(n) for n in re.findall(r"\d+", str(v or ""))]
    years = [n for n in numbers if 1990 <= n <= 2100]
    others = [n for n in numbers if n not in years[:1]]
    if not years or not others:
        return ()
    return others[0], years[0]


def label_key(v: object) -> tuple[str, int] | None:
    """("table", 1) for "Table 1", ("figure", 2) for "FIGURE 2"; ("", 3) for 3."""
    if isinstance(v, int) and not isinstance(v, bool):
        return "", v
    m = TABLE_LABEL.fullmatch(str(v or "").strip())
    if m is not None:
        return m[1].lower(), int(m[2])
    return ("", int(str(v))) if str(v).strip().isdigit() else None


def same_label(a: object, b: object) -> bool:
    """Two table or figure numbers name the same one (a bare number matches any word)."""
    ka, kb = label_key(a), label_key(b)
    if ka is None or kb is None or ka[1] != kb[1]:
        return False
    return not ka[0] or not kb[0] or ka[0] == kb[0]


def table_key(m: Mention, by_id: dict[str, Mention]) -> tuple[str, int, int] | None:
    """(label, row, column) of a table cell, e.g. ("table 1", 0, 4)."""
    table, row, column = m.get("table"), m.get("row"), m.get("column")
    if table is None or not isinstance(row, int) or not isinstance(column, int):
        return None
    label = table_label(table, by_id)
    return None if label is None else (label, row, column)


def table_label(table: object, by_id: dict[str, Mention]) -> str | None:
    """ "table 1" / "figure 1", from a label, a table number, or a table fact's id."""
    if isinstance(table, str) and table in by_id:
        table = by_id[table].get("number")
    key = label_key(table)
    if key is None:
        return None
    return f"{key[0] or 'table'} {key[1]}"


Same = Callable[[Mention, Mention], bool]


@dataclass(frozen=True, slots=True)
class Rule:
    """How one kind is matched: the pairing test, a score, and a field to report."""

    same: Same
    score: Callable[[Mention, Mention], float] = lambda g, p: float(overlap(g, p))
    detail: str = ""  # a field compared among matches ("qualifier", "claim_kind")


def _quantity_same(g: Mention, p: Mention) -> bool:
    return (
        overlap(g, p) > 0
        and same_number(g.get("value"), p.get("value"))
        and g.get("unit") == p.get("unit")
    )


def _claim_score(g: Mention, p: Mention) -> float:
    return overlap(g, p) / (g.end - g.start)


def _field_same(key: str, norm: Callable[[object], object]) -> Same:
    def same(g: Mention, p: Mention) -> bool:
        value = p.get(key) if p.get(key) is not None else p.text
        return overlap(g, p) > 0 and norm(g.get(key)) == norm(value)

    return same


def _number_same(g: Mention, p: Mention) -> bool:
    return same_label(g.get("number"), p.get("number"))


RULES: dict[str, Rule] = {
    "quantity": Rule(_quantity_same, detail="qualifier"),
    "claim": Rule(lambda g, p: _claim_score(g, p) >= 0.5, _claim_score, "claim_kind"),
    "control_code": Rule(_field_same("code", norm_code)),
    "hs_code": Rule(_field_same("code", norm_digits)),
    "date": Rule(_field_same("date", lambda v: str(v or "")[:10]), detail="role"),
    "announcement": Rule(
        lambda g, p: (
            _announcement_key(g.get("number")) == _announcement_key(p.get("number"))
        ),
        lambda g, p: 1.0,
        "issue_date",
    ),
    "table": Rule(_number_same, lambda g, p: 1.0),
    "figure": Rule(_number_same, lambda g, p: 1.0),
}


def pair(
    gold: Sequence[Mention], pred: Sequence[Mention], rule: Rule
) -> list[tuple[Mention, Mention]]:
    """One-to-one pairs that the rule accepts, best score first."""
    candidates = [
        (rule.score(g, p), i, j)
        for i, g in enumerate(gold)
        for j, p in enumerate(pred)
        if rule.same(g, p)
    ]
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((gold[i], pred[j]))
    return pairs


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------


@dataclass
class Score:
    """Counts for one kind (over one document or all of them)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    detail_ok: int = 0
    detail_n: int = 0
    located: int = 0  # table cells only: gold cells some predicted cell overlaps
    # ("FN", gold, nearest prediction), ("FP", prediction, None), or
    # ("WRONG", gold, its match) when a matched pair disagrees on the detail field
    misses: list[tuple[str, Mention, Mention | None]] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.detail_ok += other.detail_ok
        self.detail_n += other.detail_n
        self.located += other.located
        self.misses.extend(other.misses)


def score_kind(kind: str, gold: list[Mention], pred: list[Mention]) -> Score:
    """TP/FP/FN of one kind in one document, with the misses."""
    rule = RULES[kind]
    pairs = pair(gold, pred, rule)
    matched_g = {id(g) for g, _ in pairs}
    matched_p = {id(p) for _, p in pairs}
    s = Score(tp=len(pairs))
    if rule.detail:
        s.detail_n = len(pairs)
        wrong = [(g, p) for g, p in pairs if g.get(rule.detail) != p.get(rule.detail)]
        s.detail_ok = len(pairs) - len(wrong)
        s.misses.extend(("WRONG", g, p) for g, p in wrong)
    for g in gold:
        if id(g) not in matched_g:
            s.fn += 1
            s.misses.append(("FN", g, _nearest(g, pred)))
    for p in pred:
        if id(p) not in matched_p:
            s.fp += 1
            s.misses.append(("FP", p, None))
    return s


def _nearest(g: Mention, pred: Iterable[Mention]) -> Mention | None:
    """The prediction overlapping a missed label most, to show what went wrong."""
    best = max(pred, key=lambda p: overlap(g, p), default=None)
    return best if best is not None and overlap(g, best) > 0 else None


Cells = dict[tuple[str, int, int], Mention]


def score_cells(
    gold: list[Mention], pred: list[Mention], everything: list[Mention]
) -> Score:
    """Table cells: exact value and unit at (table, row, column)."""
    by_id = {str(m.get("id")): m for m in everything}
    s = Score()
    want, _ = keyed_cells(gold, by_id)
    have, unnamed = keyed_cells(pred, by_id)
    s.fp += len(unnamed)  # cells of no table we can name
    s.misses.extend(("FP", p, None) for p in unnamed)
    s.located = sum(any(overlap(g, p) for p in have.values()) for g in gold)
    for key, g in want.items():
        p = have.get(key)
        if p is not None and _quantity_same_value(g, p):
            s.tp += 1
        else:
            s.fn += 1
            s.misses.append(("FN", g, p or _nearest(g, have.values())))
    for key, p in have.items():
        if key not in want or not _quantity_same_value(want[key], p):
            s.fp += 1
            s.misses.append(("FP", p, None))
    return s


def keyed_cells(
    cells: Iterable[Mention], by_id: dict[str, Mention]
) -> tuple[Cells, list[Mention]]:
    """Cells by (table, row, column), and those whose table has no name."""
    keyed: Cells = {}
    unnamed = []
    for m in cells:
        key = table_key(m, by_id)
        if key is None:
            unnamed.append(m)
        else:
            keyed[key] = m
    return keyed, unnamed


def _quantity_same_value(g: Mention, p: Mention) -> bool:
    return same_number(g.get("value"), p.get("value")) and g.get("unit") == p.get(
        "unit"
    )


CELLS = "table cell"
REPORTED = (*KINDS, CELLS)


def is_reference(m: Mention) -> bool:
    """A control code the extractor marks as a cross-reference ("controlled by
    2B902.f"), not an item the announcement lists: not scored."""
    return m.kind == "control_code" and m.get("listed") is False


def score_document(
    gold: GoldFile, labels: list[Mention], pred: list[Mention]
) -> dict[str, Score]:
    """Scores per reported kind for one document (kinds outside its scope left out)."""
    scores: dict[str, Score] = {}
    for kind in gold.labeled:
        g = [m for m in labels if m.kind == kind]
        p = [m for m in pred if m.kind == kind and not is_reference(m)]
        scores[kind] = score_kind(kind, g, p)
    if "quantity" in gold.labeled:
        cells_g = [m for m in labels if m.kind == "quantity" and "table" in m.data]
        cells_p = [
            m for m in pred if m.kind == "quantity" and m.get("table") is not None
        ]
        scores[CELLS] = score_cells(cells_g, cells_p, pred)
    return scores


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def ratio(a: int, b: int) -> str:
    return "—" if b == 0 else f"{a / b:.3f}"


def kind_row(kind: str, s: Score) -> str:
    """One markdown row of the summary table."""
    p, r = ratio(s.tp, s.tp + s.fp), ratio(s.tp, s.tp + s.fn)
    note = ""
    rule = RULES.get(kind)
    if rule and rule.detail and s.detail_n:
        note = f"{rule.detail} right in {s.detail_ok}/{s.detail_n} matches"
    if kind == CELLS:
        note = f"exact-match share {ratio(s.tp, s.tp + s.fn)}; {s.located} gold cells overlapped by any predicted cell"
    return f"| {kind} | {s.tp + s.fn} | {s.tp + s.fp} | {s.tp} | {s.fp} | {s.fn} | {p} | {r} | {note} |"


def print_summary(totals: dict[str, Score]) -> None:
    print("| kind | gold | predicted | TP | FP | FN | precision | recall | note |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for kind in REPORTED:
        if kind in totals:
            print(kind_row(kind, totals[kind]))
    print()


def print_per_document(per_doc: dict[str, dict[str, Score]]) -> None:
    kinds = [k for k in REPORTED if any(k in s for s in per_doc.values())]
    print("TP/FP/FN per document:\n")
    print("| document | " + " | ".join(kinds) + " |")
    print("| --- |" + " ---: |" * len(kinds))
    for doc, scores in per_doc.items():
        cells = [f"{s.tp}/{s.fp}/{s.fn}" if (s := scores.get(k)) else "" for k in kinds]
        print(f"| {short(doc)} | " + " | ".join(cells) + " |")
    print()


def short(doc: str) -> str:
    return doc.rsplit("/", 1)[-1] if is_shared(doc) else doc


def context(text: str, m: Mention) -> str:
    """The mention in [[ ]] with some text either side, on one line."""
    before = text[max(0, m.start - CONTEXT) : m.start]
    after = text[m.end : m.end + CONTEXT]
    return re.sub(r"\s+", " ", f"…{before}[[{m.text}]]{after}…")


def describe(m: Mention) -> str:
    """The fields that matter for a miss."""
    keys = ("value", "unit", "qualifier", "table", "row", "column", "code", "date",
            "role", "number", "claim_kind")  # fmt: skip
    parts = [f"{k}={m.get(k)!r}" for k in keys if m.get(k) is not None]
    return " ".join(parts)


def print_misses(
    doc: str, text: str, scores: dict[str, Score], only: str | None
) -> None:
    for kind, s in scores.items():
        if only and kind != only:
            continue
        for tag, m, near in sorted(s.misses, key=lambda x: (x[1].start, x[0])):
            print(f"{tag} {kind} {short(doc)}@{m.start} {describe(m)}")
            print(f"    {context(text, m) if kind != 'claim' else repr(m.text[:160])}")
            if near is not None:
                label = "predicted" if tag == "WRONG" else "nearest prediction"
                print(f"    {label}: {near.kind} {near.text!r} {describe(near)}")


def main(argv: Sequence[str] | None = None) -> int:
    """Score every gold document and print the report."""
    args = parse_args(argv)
    try:
        golds = load_gold(args.gold)
    except GoldError as e:
        print(f"Error: {e}; see tests/gold/README.md for the format", file=sys.stderr)
        return 1
    print("# Extraction against the gold set")
    results: list[Result] = []
    for gold in golds:
        if args.doc and args.doc not in gold.doc:
            continue
        try:
            source = read_source(gold.doc)
        except ExtractError as e:
            print(f"skipped (unreadable): {e}")
            continue
        if source is None:
            print(f"skipped (not present): {gold.doc}")
            continue
        results.append(evaluate(gold, source))
    report(results, args)
    if not args.doc and args.gold == GOLD and args.claims != "none":
        from bench.claims_gold import SPLITS
        from bench.claims_gold import report as report_claims

        splits = SPLITS if args.claims == "both" else (args.claims,)
        report_claims(splits, misses=args.misses)
    return 0


@dataclass(frozen=True, slots=True)
class Result:
    """One scored document."""

    doc: str
    text: str
    scores: dict[str, Score]
    unscored: Counter[str]  # predicted facts of kinds the gold does not label


def evaluate(gold: GoldFile, source: Source) -> Result:
    """Score one document, saying where its text or extraction went wrong."""
    text = source.text.text
    labels, notes = anchored(gold, text)
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != gold.text_sha256:
        print(f"note: {short(gold.doc)}: its text changed since it was labeled")
    for note in notes:
        print(f"note: {short(gold.doc)} {note}")
    pred, error = predictions(source)
    if error:
        print(f"note: extract_facts failed on {short(gold.doc)} ({error}); no facts")
    unscored = Counter(m.kind for m in pred if m.kind not in KINDS)
    return Result(gold.doc, text, score_document(gold, labels, pred), unscored)


def report(results: Sequence[Result], args: argparse.Namespace) -> None:
    """The summary, the per-document counts, and with --misses every miss."""
    totals: dict[str, Score] = {}
    for r in results:
        for kind, s in r.scores.items():
            totals.setdefault(kind, Score()).add(s)
    print(f"\n{len(results)} documents scored.\n")
    print_summary(totals)
    unscored = sum((r.unscored for r in results), Counter[str]())
    if unscored:
        kinds = ", ".join(f"{k} ({n})" for k, n in sorted(unscored.items()))
        print(f"Not scored (the gold does not label them): {kinds}\n")
    print_per_document({r.doc: r.scores for r in results})
    if args.misses:
        for r in results:
            print(f"## Misses in {short(r.doc)}\n")
            print_misses(r.doc, r.text, r.scores, args.kind)
            print()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every FP and FN")
    parser.add_argument(
        "--kind", choices=REPORTED, help="with --misses: only this kind"
    )
    parser.add_argument("--doc", help="only documents whose id or path contains this")
    parser.add_argument("--gold", type=Path, default=GOLD, help="gold folder")
    parser.add_argument(
        "--claims",
        choices=("both", "dev", "none"),
        default="both",
        help="which splits of the claim-sentence gold to score (test only with both)",
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
