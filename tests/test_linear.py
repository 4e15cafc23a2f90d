"""Extraction time grows linearly with the length of a sentence.

A 100k-character sentence once took 270 s (quadratic span checks in
``extract.kinds.quantities`` and per-fact scans of the whole sentence in
``extract.facts``). The long case runs in a subprocess bounded by memory and
time, so a regression fails instead of taking the machine down.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from extract.facts import MAX_SENTENCE, extract_facts, within_length
from extract.readers import read_bytes

ROOT = Path(__file__).resolve().parents[1]
PHRASE = (
    "exports rose 12% to $3.4 billion in 2024 while 45 tonnes of graphite under "
    "HS 2504 cost about 7,500 yuan per ton from March 3, 2025 and 14 such firms, "
)
MEMORY = 3 * 1024**3  # bytes of address space for the child
TIMEOUT = 90  # seconds; the 200k sentence takes a few (plus spaCy's import)

CHILD = textwrap.dedent(
    """
    import resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))
    from pathlib import Path
    from extract.facts import extract_facts
    from extract.nlp import pipeline
    from extract.readers import read_bytes
    text = ({phrase!r} * {repeat})[:200_000]
    doc = read_bytes(Path("long.txt"), text.encode())
    pipeline()
    t0 = time.perf_counter()
    facts = extract_facts("long", "0" * 64, doc)
    assert all(doc.text[f.start:f.end] == f.text for f in facts)
    print(len(facts), round(time.perf_counter() - t0, 2))
    """
)


def test_a_200k_character_sentence_is_read_in_seconds_within_bounded_memory() -> None:
    code = CHILD.format(memory=MEMORY, phrase=PHRASE, repeat=200_000 // len(PHRASE) + 1)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    facts, seconds = done.stdout.split()
    assert int(facts) > 5000
    assert float(seconds) < 30, f"200k characters took {seconds} s"


def test_quotes_of_a_run_on_sentence_are_bounded() -> None:
    text = read_bytes(Path("run-on.txt"), (PHRASE * 200).encode())
    facts = [f for f in extract_facts("x", "0" * 64, text) if f.kind == "quantity"]
    assert len(facts) >= 1000
    assert max(len(f.quote) for f in facts) <= MAX_SENTENCE + 20
    assert all(text.text[f.quote_start : f.quote_end] == f.quote for f in facts)
    assert facts[0].text == "12%" and facts[0].year == 2024


def test_a_block_over_the_length_limit_is_cut_at_spaces() -> None:
    text = read_bytes(Path("long.txt"), ("word " * 50).encode())
    cut = within_length(text, 32)
    assert len(cut.blocks) > 1
    assert all(b.end - b.start <= 32 for b in cut.blocks)
    assert cut.blocks[0].start == text.blocks[0].start
    assert cut.blocks[-1].end == text.blocks[-1].end
    assert all(
        a.end == b.start for a, b in zip(cut.blocks, cut.blocks[1:], strict=False)
    )
    assert within_length(text, 10_000) is text
