"""The claim-sentence gold of ``tests/gold/claims/``: loading, locating, scoring.

The gold is split by document (``split.json``): ``dev`` is for building and
training, ``test`` and ``test2`` are only ever scored (``test2`` was drawn and
labelled after ``test`` had been scored once, before the detector changed again). Each file is JSON Lines: a scope line
naming the shared document and its reference Markdown, then one labelled unit
per line (``text``, ``label``, ``actor``, ``cue``, ``section``, ``lead_in``);
``tests/gold/claims/CLAIMS.md`` defines the kinds.

Scoring (``make eval`` prints it for both splits side by side):

- the extractor runs end to end on each document: a CRS PDF through the
  project's reader (:func:`extract.readers.read_document`), a MOFCOM page as
  the Markdown file it is;
- texts are compared as word sequences after normalising whitespace, quotes,
  dashes and case (:func:`words`); a unit is located in the document text by
  its word sequence, or, where the reader broke it (hyphenation, footnote
  digits, columns), by the offset most of its word trigrams agree on;
- a predicted claim matches a unit when it covers at least half of the unit's
  words, or the unit covers at least half of the prediction's; a prediction
  matching no unit is ignored (the stretches are partial), one whose best
  unit is ``none`` is a false positive;
- detection precision and recall count claim units (any kind) against
  ``none`` units; per kind, a unit counts as found when its matched prediction
  has its kind; kind accuracy and actor accuracy are among matched units.

Actor agreement (:func:`same_actor`): both empty, or, case-insensitively and
with hyphens read as spaces, one actor contains the other's *head noun
phrase* as whole words: the actor without a leading article ("the", "a", "an") and cut
before the first comma, parenthesis, relative pronoun or preposition after
its first word ("the Secretary of Agriculture" -> "secretary"; "US Trade
Representative Katherine Tai" -> itself; "some analysts" -> itself). So
"Katherine Tai" and "US Trade Representative Katherine Tai" agree, and "USDA"
and "the Department of Agriculture" do not.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLAIMS_GOLD = ROOT / "tests" / "gold" / "claims"
SHARED = ROOT.parent / "shared" / "corpus-candidates"
LABELS = ("recommendation", "requirement", "commitment", "measure", "assertion", "none")
CLAIM_KINDS = LABELS[:-1]
SPLITS = ("dev", "test", "test2")
UNIT_KEYS = frozenset({"text", "label", "actor", "cue", "section", "lead_in"})
SCOPE_KEYS = ("doc", "markdown", "split", "stretches")


class ClaimsGoldError(Exception):
    """A claims gold file that does not follow the format."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path.name} line {line}: {message}")


@dataclass(frozen=True, slots=True)
class Unit:
    """One labelled sentence or list item."""

    doc: str
    text: str
    label: str
    actor: str | None
    lead_in: str | None
    line: int


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One document's gold: where it is, which split, and its units."""

    path: Path
    doc: str  # path relative to corpus-candidates: "crs/pdf/in-focus/IF12024.6.pdf"
    markdown: str | None
    split: str
    units: tuple[Unit, ...]


# --------------------------------------------------------------------------
# Loading and checking
# --------------------------------------------------------------------------


def split_docs(folder: Path = CLAIMS_GOLD) -> dict[str, list[str]]:
    """The documents of each split, as ``split.json`` lists them."""
    data = json.loads((folder / "split.json").read_text(encoding="utf-8"))
    return {s: list(data.get(s, [])) for s in SPLITS}


def load_split(split: str, folder: Path = CLAIMS_GOLD) -> list[GoldDoc]:
    """Every gold file of one split, checked; ClaimsGoldError if malformed."""
    return [load_gold_doc(p) for p in sorted((folder / split).glob("*.jsonl"))]


def load_gold_doc(path: Path) -> GoldDoc:
    """One gold file: its scope line, then one unit a line."""
    lines = [
        (n, line)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.strip()
    ]
    if not lines:
        raise ClaimsGoldError(path, 1, "empty file")
    objs = [(n, parse_line(path, n, line)) for n, line in lines]
    scope = objs[0][1]
    if scope.get("kind") != "scope":
        raise ClaimsGoldError(path, 1, "the first line must be the scope line")
    missing = [k for k in SCOPE_KEYS if k not in scope]
    if missing or not isinstance(scope["doc"], str):
        raise ClaimsGoldError(path, 1, f"scope line lacks {', '.join(missing)}")
    if scope["split"] != path.parent.name:
        raise ClaimsGoldError(path, 1, f"scope split is not {path.parent.name!r}")
    doc = str(scope["doc"])
    units = tuple(check_unit(path, n, obj, doc) for n, obj in objs[1:])
    markdown = scope["markdown"]
    return GoldDoc(
        path, doc, str(markdown) if markdown else None, path.parent.name, units
    )


def parse_line(path: Path, n: int, line: str) -> dict[str, object]:
    """One JSON object, or a ClaimsGoldError naming the line."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise ClaimsGoldError(path, n, f"not JSON: {e.msg}") from None
    if not isinstance(obj, dict):
        raise ClaimsGoldError(path, n, "a line must be a JSON object")
    return obj


def check_unit(path: Path, n: int, obj: dict[str, object], doc: str) -> Unit:
    """One unit line as a Unit, or a ClaimsGoldError saying what is wrong."""
    text, label, actor, lead_in = (
        obj.get(k) for k in ("text", "label", "actor", "lead_in")
    )
    if not isinstance(text, str) or not text.strip():
        raise ClaimsGoldError(path, n, "'text' must be a non-empty string")
    if label not in LABELS:
        raise ClaimsGoldError(path, n, f"'label' must be one of {LABELS}")
    if not set(obj) <= UNIT_KEYS:
        raise ClaimsGoldError(path, n, f"unknown keys {sorted(set(obj) - UNIT_KEYS)}")
    if actor is not None and not isinstance(actor, str):
        raise ClaimsGoldError(path, n, "'actor' must be a string or null")
    if lead_in is not None and not isinstance(lead_in, str):
        raise ClaimsGoldError(path, n, "'lead_in' must be a string or null")
    return Unit(doc, text, str(label), actor or None, lead_in or None, n)


# --------------------------------------------------------------------------
# Texts as words
# --------------------------------------------------------------------------

# Curly quotes and dashes written as escapes (ruff flags the characters).
QUOTE_FOLD = str.maketrans(
    {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u2013": "-",
     "\u2014": "-", "\u2010": "-", "\u2011": "-", "\u00a0": " "}
)  # fmt: skip
WORD = re.compile(r"[^\W_]+", re.UNICODE)
CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
TRIGRAM_SHARE = 0.5


def normalise(text: str) -> str:
    """Quotes and dashes folded, whitespace collapsed, lower case."""
    return " ".join(text.translate(QUOTE_FOLD).split()).lower()


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """The words of a text with their offsets; each Chinese character is a word."""
    found = []
    for m in WORD.finditer(text.translate(QUOTE_FOLD).lower()):
        w = m.group()
        if CJK_CHAR.search(w):
            found.extend((c, m.start() + i, m.start() + i + 1) for i, c in enumerate(w))
        else:
            found.append((w, m.start(), m.end()))
    return found


def words(text: str) -> list[str]:
    """A text as the word sequence it is compared by."""
    return [w for w, _, _ in word_spans(text)]


@dataclass(frozen=True, slots=True)
class Located:
    """A unit and the word range ``[start, end)`` it has in the document."""

    unit: Unit
    start: int
    end: int


def locate(
    units: Sequence[Unit],
    doc_words: Sequence[str],
    avoid: Sequence[tuple[int, int]] = (),
) -> list[Located | None]:
    """Each unit's word range in the document, or None where it cannot be found.

    An exact run of the unit's words is taken first (the one after the
    previous unit's, units being in document order); failing that, the start
    offset most of the unit's word trigrams agree on, when at least half do.
    A place inside ``avoid`` (word ranges of page furniture: a scraped
    page's Summary repeats its announcement) is taken only when there is no
    other.
    """
    index: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(doc_words) - 2):
        if not any(s <= i < e for s, e in avoid):
            index.setdefault(tuple(doc_words[i : i + 3]), []).append(i)
    for i in range(len(doc_words) - 2):
        if any(s <= i < e for s, e in avoid):
            index.setdefault(tuple(doc_words[i : i + 3]), []).append(i)
    found: list[Located | None] = []
    after = 0
    for unit in units:
        w = words(unit.text)
        where = exact_run(w, doc_words, index, after, avoid) or voted_run(
            w, index, after
        )
        found.append(None if where is None else Located(unit, *where))
        if where is not None:
            after = where[0]
    return found


def exact_run(
    w: Sequence[str],
    doc_words: Sequence[str],
    index: dict[tuple[str, ...], list[int]],
    after: int,
    avoid: Sequence[tuple[int, int]] = (),
) -> tuple[int, int] | None:
    """The first place at or after ``after`` (else anywhere) where ``w``
    occurs, outside ``avoid`` if it can be."""
    if len(w) < 3:
        starts = [
            i
            for i in range(len(doc_words))
            if list(doc_words[i : i + len(w)]) == list(w)
        ]
    else:
        starts = [
            i
            for i in index.get(tuple(w[:3]), [])
            if list(doc_words[i : i + len(w)]) == list(w)
        ]
    if not starts:
        return None
    start = min(starts, key=lambda i: (any(s <= i < e for s, e in avoid), i < after, i))
    return start, start + len(w)


def voted_run(
    w: Sequence[str], index: dict[tuple[str, ...], list[int]], after: int
) -> tuple[int, int] | None:
    """The range most of ``w``'s trigrams point to, if at least half agree."""
    grams = [tuple(w[i : i + 3]) for i in range(len(w) - 2)]
    if not grams:
        return None
    votes: Counter[int] = Counter()
    for i, g in enumerate(grams):
        for pos in index.get(g, []):
            votes[pos - i] += 1
    if not votes:
        return None
    best = max(votes.items(), key=lambda kv: (kv[1], kv[0] >= after, -kv[0]))
    if best[1] < TRIGRAM_SHARE * len(grams):
        return None
    return max(best[0], 0), best[0] + len(w)


# --------------------------------------------------------------------------
# Actors
# --------------------------------------------------------------------------

ARTICLES = ("the ", "a ", "an ")
HEAD_BREAK = re.compile(
    r"\s*[,(;:]|\s+(?:of|for|in|on|at|to|from|with|under|by|who|which|that|and|or)\s"
)


def actor_text(actor: str) -> str:
    """An actor as compared: lower case, hyphens and "; " read as spaces."""
    return " ".join(re.sub(r"[-;/]", " ", actor.translate(QUOTE_FOLD).lower()).split())


def head_phrase(actor: str) -> str:
    """The head noun phrase: no leading article, cut before the first comma,
    parenthesis, preposition or relative pronoun after the first word."""
    text = actor_text(actor)
    for article in ARTICLES:
        if text.startswith(article):
            text = text[len(article) :]
    m = HEAD_BREAK.search(text, text.find(" ") + 1 if " " in text else len(text))
    return (text[: m.start()] if m else text).strip()


def same_actor(gold: str | None, predicted: str | None) -> bool:
    """True when both are empty, or one contains the other's head noun phrase."""
    if not gold or not predicted:
        return not gold and not predicted
    g, p = actor_text(gold), actor_text(predicted)
    hg, hp = head_phrase(gold), head_phrase(predicted)
    return bool(hg and f" {hg} " in f" {p} ") or bool(hp and f" {hp} " in f" {g} ")


def iter_units(docs: Sequence[GoldDoc]) -> Iterator[Unit]:
    """Every unit of some gold documents, in order."""
    for d in docs:
        yield from d.units


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Predicted:
    """A predicted claim: its kind, actor, text and word range in the document."""

    kind: str
    actor: str | None
    text: str
    start: int
    end: int


@dataclass
class Tally:
    """Counts over units of one split (or one document)."""

    units: Counter[str]  # gold units by label
    located: int = 0  # units found in the reader's text
    tp: int = 0  # claim units matched by a claim
    fp: int = 0  # none units matched by a claim
    kind_right: Counter[str] | None = (
        None  # matched claim units whose kind agrees, by kind
    )
    predicted_as: Counter[str] | None = (
        None  # matched units (none too), by predicted kind
    )
    predicted_right: Counter[str] | None = None  # ... whose kind agrees
    actor_right: int = 0
    misses: list[str] | None = None

    def __post_init__(self) -> None:
        self.kind_right = self.kind_right or Counter()
        self.predicted_as = self.predicted_as or Counter()
        self.predicted_right = self.predicted_right or Counter()
        self.misses = self.misses if self.misses is not None else []

    def add(self, other: Tally) -> None:
        """Add another tally's counts to this one."""
        self.units += other.units
        self.located += other.located
        self.tp += other.tp
        self.fp += other.fp
        self.actor_right += other.actor_right
        for mine, theirs in (
            (self.kind_right, other.kind_right),
            (self.predicted_as, other.predicted_as),
            (self.predicted_right, other.predicted_right),
        ):
            assert mine is not None and theirs is not None
            mine.update(theirs)
        assert self.misses is not None and other.misses is not None
        self.misses.extend(other.misses)

    @property
    def claims(self) -> int:
        return sum(n for k, n in self.units.items() if k != "none")


def covers(unit: Located, p: Predicted) -> float:
    """How well a prediction and a unit cover each other (0 when neither
    covers half of the other)."""
    shared = max(0, min(unit.end, p.end) - max(unit.start, p.start))
    share = max(
        shared / max(unit.end - unit.start, 1), shared / max(p.end - p.start, 1)
    )
    return share if share >= 0.5 else 0.0


def match(
    located: Sequence[Located], predicted: Sequence[Predicted]
) -> dict[int, Predicted]:
    """For each unit (by index) the prediction matched to it.

    Each prediction goes to the unit it covers best; a unit hit by several
    predictions keeps the one that covers it best.
    """
    best: dict[int, tuple[float, Predicted]] = {}
    for p in predicted:
        scored = [(covers(u, p), i) for i, u in enumerate(located)]
        share, i = max(scored, default=(0.0, -1))
        if share > 0 and (i not in best or share > best[i][0]):
            best[i] = (share, p)
    return {i: p for i, (_, p) in best.items()}


def tally(
    units: Sequence[Unit], where: Sequence[Located | None], hits: dict[int, Predicted]
) -> Tally:
    """Counts for one document from its units, their places and their matches."""
    t = Tally(Counter(u.label for u in units))
    located = [w for w in where if w is not None]
    t.located = len(located)
    assert t.kind_right is not None and t.predicted_as is not None
    assert t.predicted_right is not None and t.misses is not None
    by_unit = {id(w.unit): hits.get(i) for i, w in enumerate(located)}
    for u in units:
        p = by_unit.get(id(u))
        if p is None:
            if u.label != "none":
                t.misses.append(f"FN {u.label} {u.text[:150]!r}")
            continue
        t.predicted_as[p.kind] += 1
        if u.label == "none":
            t.fp += 1
            t.misses.append(f"FP {p.kind} {u.text[:150]!r}")
            continue
        t.tp += 1
        if p.kind == u.label:
            t.kind_right[u.label] += 1
            t.predicted_right[p.kind] += 1
        else:
            t.misses.append(f"KIND {u.label}->{p.kind} {u.text[:150]!r}")
        if same_actor(u.actor, p.actor):
            t.actor_right += 1
        else:
            t.misses.append(f"ACTOR {u.actor!r} vs {p.actor!r} {u.text[:100]!r}")
    return t


def predicted_claims(facts: Sequence[object], text: str) -> list[Predicted]:
    """Claim facts as word ranges of the document text."""
    import bisect

    starts = [s for _, s, _ in word_spans(text)]
    found = []
    for f in facts:
        data = f.to_json()  # type: ignore[attr-defined]
        if data["kind"] != "claim":
            continue
        lo = bisect.bisect_left(starts, data["start"])
        hi = bisect.bisect_left(starts, data["end"])
        found.append(
            Predicted(str(data["claim_kind"]), data.get("actor"), data["text"], lo, hi)
        )
    return found


def score_document(gold: GoldDoc) -> Tally | None:
    """Run the extractor on one gold document and count; None if it is absent."""
    from extract.corpus import sha256_of
    from extract.facts import extract_facts
    from extract.readers import read_document

    path = SHARED / gold.doc
    if not path.is_file():
        return None
    text = read_document(path)
    facts = extract_facts(gold.doc, sha256_of(path.read_bytes()), text, path=path)
    doc_words = words(text.text)
    where = locate(gold.units, doc_words, furniture_words(text))
    located = [w for w in where if w is not None]
    return tally(gold.units, where, match(located, predicted_claims(facts, text.text)))


def claims_tally(gold: GoldDoc, text: object) -> Tally:
    """Count one document's claims alone (no other kind is extracted), as
    :func:`score_document` does: the claims in page furniture are dropped.
    Cross-validation scores the held-out documents with this."""
    from extract.facts import furniture_of
    from extract.kinds.claims import claim_facts
    from extract.records import DocumentText

    assert isinstance(text, DocumentText)
    furniture = furniture_of(text)
    facts = [
        f
        for f in claim_facts(gold.doc, "0" * 64, text)
        if not any(s < f.end and f.start < e for s, e in furniture)
    ]
    where = locate(gold.units, words(text.text), furniture_words(text))
    located = [w for w in where if w is not None]
    return tally(gold.units, where, match(located, predicted_claims(facts, text.text)))


def furniture_words(text: object) -> list[tuple[int, int]]:
    """The word ranges of a document's page furniture (where the extractor
    finds no claims: a CRS footer, a scraped page's Summary)."""
    import bisect

    from extract.facts import furniture_of
    from extract.records import DocumentText

    assert isinstance(text, DocumentText)
    starts = [s for _, s, _ in word_spans(text.text)]
    return [
        (bisect.bisect_left(starts, s), bisect.bisect_left(starts, e))
        for s, e in furniture_of(text)
    ]


def score_gold_text(gold: GoldDoc) -> Tally:
    """The extractor fed each unit's text alone, as one paragraph."""
    from extract.kinds.claims import find_claims
    from extract.records import Block, DocumentText

    t = Tally(Counter())
    for u in gold.units:
        text = " ".join(u.text.split())
        claims = find_claims(DocumentText(text, (Block("paragraph", 1, 0, len(text)),)))
        n = len(words(text))
        preds = [
            Predicted(c.kind, c.actor, text[c.start : c.end], 0, n) for c in claims[:1]
        ]
        one = Located(u, 0, n)
        t.add(tally([u], [one], match([one], preds)))
    return t


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def ratio(a: int, b: int) -> float | None:
    return None if b == 0 else a / b


def f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None or p + r == 0:
        return None
    return 2 * p * r / (p + r)


def figures(t: Tally) -> dict[str, float | int | str | None]:
    """The reported figures of one tally, by row name."""
    assert t.kind_right is not None and t.predicted_as is not None
    assert t.predicted_right is not None
    p, r = ratio(t.tp, t.tp + t.fp), ratio(t.tp, t.claims)
    rows: dict[str, float | int | str | None] = {
        "documents": None,
        "units (claims / all)": None,
        "units found in the reader's text": ratio(t.located, sum(t.units.values())),
        "precision": p,
        "recall": r,
        "F1": f1(p, r),
        "kind right among matches": ratio(sum(t.kind_right.values()), t.tp),
        "actor right among matches": ratio(t.actor_right, t.tp),
    }
    for k in CLAIM_KINDS:
        pk = ratio(t.predicted_right[k], t.predicted_as[k])
        rk = ratio(t.kind_right[k], t.units[k])
        rows[f"{k} P / R / F1 (gold units)"] = (
            f"{cell(pk)} / {cell(rk)} / {cell(f1(pk, rk))} ({t.units[k]})"
        )
    return rows


def cell(v: float | int | str | None) -> str:
    if v is None:
        return "—"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def split_tallies(split: str) -> tuple[Tally, Tally, int, list[str]]:
    """End-to-end and gold-text tallies of one split, documents scored, skips."""
    end, gold_text = Tally(Counter()), Tally(Counter())
    skipped: list[str] = []
    docs = load_split(split)
    scored = 0
    for gold in docs:
        t = score_document(gold)
        if t is None:
            skipped.append(gold.doc)
            continue
        scored += 1
        assert t.misses is not None
        t.misses[:] = [f"{Path(gold.doc).name}: {m}" for m in t.misses]
        end.add(t)
        gold_text.add(score_gold_text(gold))
    return end, gold_text, scored, skipped


def print_table(tallies: dict[str, Tally], counts: dict[str, int]) -> None:
    """Dev and test side by side, one row a figure."""
    names = list(tallies)
    print("| figure | " + " | ".join(names) + " |")
    print("| --- |" + " ---: |" * len(names))
    rows = {n: figures(t) for n, t in tallies.items()}
    for key in rows[names[0]]:
        if key == "documents":
            values = [str(counts[n]) for n in names]
        elif key.startswith("units ("):
            values = [
                f"{tallies[n].claims} / {sum(tallies[n].units.values())}" for n in names
            ]
        else:
            values = [cell(rows[n][key]) for n in names]
        print(f"| {key} | " + " | ".join(values) + " |")
    print()


def report(splits: Sequence[str] = SPLITS, misses: bool = False) -> None:
    """Score the splits and print them side by side (dev misses on request)."""
    end: dict[str, Tally] = {}
    text: dict[str, Tally] = {}
    counts: dict[str, int] = {}
    for split in splits:
        end[split], text[split], counts[split], skipped = split_tallies(split)
        for doc in skipped:
            print(f"skipped (not present): {doc}")
    held_out = [s for s in splits if s != "dev"]
    if len(held_out) > 1:  # the held-out splits together, as one test set
        both = " + ".join(held_out)
        for tallies in (end, text):
            tallies[both] = Tally(Counter())
            for s in held_out:
                tallies[both].add(tallies[s])
        counts[both] = sum(counts[s] for s in held_out)
    print("\n## Claims on unseen documents (tests/gold/claims/)\n")
    print("End to end: the extractor on each document (CRS PDF through the reader).\n")
    print_table(end, counts)
    print("Classifier on gold text: the extractor fed each labelled unit alone.\n")
    print_table(text, counts)
    if misses and "dev" in end:
        assert end["dev"].misses is not None
        print("### Dev misses (end to end)\n")
        print("\n".join(end["dev"].misses))
