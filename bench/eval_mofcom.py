"""MOFCOM field recall per file group, against tests/gold/mofcom-fields.json.

For each hand-labelled file, the announcement facts the extractor gives are
matched to the labelled announcements by number, and each labelled field is
counted as found or missed: the number, each issuing body, the issue date,
each effective date, each control code, each reference customs (HS) code and
each threshold (value, unit and qualifier). A file labelled with no number,
or with no announcement at all, must also get a notice fact. Shared files
absent from ``../shared`` are skipped, and said so.

    python bench/eval_mofcom.py [--misses]
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold" / "mofcom-fields.json"
GROUPS = ("verbatim-zh", "verbatim-zh-more", "seeds")
FIELDS = (
    "number", "authority", "issue_date", "effective", "control_code", "hs_code",
    "threshold", "notice",
)  # fmt: skip


@dataclass
class Tally:
    """Found and labelled counts per field, and what was missed."""

    found: Counter[str] = field(default_factory=Counter)
    labelled: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def count(self, name: str, hit: bool, what: str) -> None:
        self.labelled[name] += 1
        if hit:
            self.found[name] += 1
        else:
            self.misses.append(f"{name}: {what}")

    def add(self, other: Tally) -> None:
        self.found.update(other.found)
        self.labelled.update(other.labelled)


def number_key(text: object) -> str | None:
    """ "58/2025" from "MOFCOM Announcement No. 58/2025" or "公告2025年第58号"."""
    s = str(text or "")
    m = re.search(r"No\.\s*(\d+)\s*/\s*(\d{4})", s) or re.search(r"(\d+)/(\d{4})", s)
    if m is not None:
        return f"{int(m[1])}/{m[2]}"
    m = re.search(r"(\d{4})\s*年?\s*第\s*(\d+)\s*号", s)
    if m is not None:
        return f"{int(m[2])}/{m[1]}"
    m = re.search(r"\[(\d{4})\]\s*No\.\s*(\d+)", s)
    return f"{int(m[2])}/{m[1]}" if m else None


def threshold_key(value: object, unit: object, qualifier: object) -> tuple[str, ...]:
    return (f"{float(str(value)):.9g}", str(unit), str(qualifier))


@dataclass
class Predicted:
    """What the extractor said about one announcement."""

    fact: dict[str, object]
    codes: set[str] = field(default_factory=set)
    hs: set[str] = field(default_factory=set)
    thresholds: Counter[tuple[str, ...]] = field(default_factory=Counter)


def predicted(facts: Iterable[dict[str, object]]) -> tuple[list[Predicted], bool]:
    """The announcements of a document's facts, and whether it has a notice."""
    facts = list(facts)
    by_number = {
        str(f["number"]): Predicted(f) for f in facts if f["kind"] == "announcement"
    }
    for f in facts:
        a = by_number.get(str(f.get("announcement")))
        if a is None:
            continue
        if f["kind"] == "control_code":
            a.codes.add(str(f["code"]))
        if f["kind"] == "hs_code":
            a.hs.add(str(f["code"]))
        if f["kind"] == "threshold":
            a.thresholds[threshold_key(f["value"], f["unit"], f["qualifier"])] += 1
        for t in f.get("thresholds") or ():  # type: ignore[attr-defined]
            a.thresholds[threshold_key(t["value"], t["unit"], t["qualifier"])] += 1
    notice = any(f["kind"] == "notice" for f in facts)
    return list(by_number.values()), notice


def match(label: dict[str, object], found: Sequence[Predicted]) -> Predicted | None:
    """The predicted announcement with the label's number (or the only one)."""
    if label["number"] is None:
        return found[0] if len(found) == 1 else None
    for p in found:
        keys = {number_key(p.fact.get("number")), number_key(p.fact.get("number_en"))}
        if label["number"] in keys:
            return p
    return None


def score_announcement(label: dict[str, object], p: Predicted | None, t: Tally) -> None:
    fact = p.fact if p else {}
    if label["number"] is not None:
        t.count("number", p is not None, str(label["number"]))
    authority = (
        str(fact.get("authority") or "") + " " + str(fact.get("authorities") or "")
    )
    for body in label["authorities"]:  # type: ignore[attr-defined]
        t.count("authority", p is not None and str(body) in authority, str(body))
    if label["issue_date"] is not None:
        t.count(
            "issue_date",
            fact.get("issue_date") == label["issue_date"],
            str(label["issue_date"]),
        )
    dates = {e.get("date") for e in fact.get("effective") or ()}  # type: ignore[attr-defined]
    for d in label["effective"]:  # type: ignore[attr-defined]
        t.count("effective", d in dates, str(d))
    for c in label["control_codes"]:  # type: ignore[attr-defined]
        t.count("control_code", p is not None and c in p.codes, str(c))
    for h in label["hs_codes"]:  # type: ignore[attr-defined]
        t.count("hs_code", p is not None and h in p.hs, str(h))
    left = Counter(p.thresholds) if p else Counter()
    for value, unit, qualifier in label["thresholds"]:  # type: ignore[attr-defined]
        key = threshold_key(value, unit, qualifier)
        t.count("threshold", left[key] > 0, " ".join(key))
        left[key] -= 1


def score_file(entry: dict[str, object]) -> Tally | None:
    """The tally of one labelled file, or None when the file is absent."""
    from extract.corpus import sha256_of
    from extract.kinds.mofcom import mofcom_facts
    from extract.readers import read_document

    path = ROOT / str(entry["path"])
    if not path.is_file():
        return None
    text = read_document(path)
    facts = [
        f.to_json() for f in mofcom_facts(path.stem, sha256_of(path.read_bytes()), text)
    ]
    found, notice = predicted(facts)
    t = Tally()
    labels: list[dict[str, object]] = entry["announcements"]  # type: ignore[assignment]
    for label in labels:
        score_announcement(label, match(label, found), t)
    if not labels or any(a["number"] is None for a in labels):
        t.count("notice", notice, "no notice for what could not be found")
    return t


def ratio(found: int, labelled: int) -> str:
    return f"{found}/{labelled} ({found / labelled:.2f})" if labelled else "-"


def report(tallies: dict[str, Tally], skipped: list[str], misses: bool) -> None:
    print("MOFCOM field recall per file group (tests/gold/mofcom-fields.json)")
    header = f"{'field':<14}" + "".join(f"{g:>22}" for g in GROUPS)
    print(header)
    for name in (*FIELDS, "all"):
        row = f"{name:<14}"
        for g in GROUPS:
            t = tallies[g]
            f = sum(t.found.values()) if name == "all" else t.found[name]
            n = sum(t.labelled.values()) if name == "all" else t.labelled[name]
            row += f"{ratio(f, n):>22}"
        print(row)
    for s in skipped:
        print(f"skipped (absent): {s}")
    if misses:
        for g in GROUPS:
            for m in tallies[g].misses:
                print(f"  miss [{g}] {m}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every missed field")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    logging.basicConfig(level=logging.ERROR)  # notices are scored, not printed
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    tallies = {g: Tally() for g in GROUPS}
    skipped: list[str] = []
    for entry in gold["files"]:
        t = score_file(entry)
        if t is None:
            skipped.append(str(entry["path"]))
            continue
        tallies[str(entry["group"])].add(t)
        tallies[str(entry["group"])].misses.extend(
            f"{Path(str(entry['path'])).name[:40]}: {m}" for m in t.misses
        )
    report(tallies, skipped, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
