"""Rewrite tests/golden/facts/ from the current extractor (``make golden``).

The golden files pin the exact facts of every bundled corpus document. When
extraction output changes on purpose, bump ``EXTRACTOR_VERSION`` in
``extract/__init__.py`` (so every user's store is refreshed) and run this;
review the diff of tests/golden/ like any other change. It refuses to rewrite
changed files under an unchanged version (a document new to the corpus just
gets its file).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from extract import EXTRACTOR_VERSION
from extract.corpus import load_corpus, read_checked
from extract.facts import extract_facts
from extract.readers import read_bytes

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "facts"


def golden_lines(doc_id: str) -> str:
    """The golden JSON Lines of one bundled document, as extracted now."""
    corpus = load_corpus(ROOT / "corpus")
    doc = corpus.get(doc_id)
    text = read_bytes(corpus.path_of(doc), read_checked(corpus, doc))
    facts = extract_facts(doc.id, doc.sha256, text, path=corpus.path_of(doc))
    return "".join(
        json.dumps(f.to_json(), ensure_ascii=False, sort_keys=True) + "\n"
        for f in facts
    )


def main() -> int:
    """Rewrite the golden files, or refuse (exit 1) if the version was not bumped."""
    GOLDEN.mkdir(parents=True, exist_ok=True)
    version_file = GOLDEN / "VERSION"
    pinned = version_file.read_text().strip() if version_file.exists() else None
    changed = []
    for doc in load_corpus(ROOT / "corpus").documents:
        path = GOLDEN / f"{doc.id}.jsonl"
        new = golden_lines(doc.id)
        if not path.exists() or path.read_text(encoding="utf-8") != new:
            changed.append((path, new))
    # A document new to the corpus gets its file under any version; a changed
    # file means the extractor's output changed, which needs a new version.
    altered = [(p, n) for p, n in changed if p.exists()]
    if altered and pinned == EXTRACTOR_VERSION:
        names = ", ".join(p.name for p, _ in altered)
        print(f"Error: facts changed ({names}) but EXTRACTOR_VERSION is still {pinned}; "
              "bump it in extract/__init__.py first", file=sys.stderr)  # fmt: skip
        return 1
    for path, new in changed:
        path.write_text(new, encoding="utf-8")
    version_file.write_text(EXTRACTOR_VERSION + "\n")
    print(
        f"{len(changed)} golden files rewritten; extractor version {EXTRACTOR_VERSION}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
