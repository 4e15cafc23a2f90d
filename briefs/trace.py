"""Trace a built brief's claims and charts back to the corpus, and re-check each.

For every claim, in this order:

* the document must still match its sha256 in the corpus manifest, or the
  claim is ``sha-mismatch``;
* the quote must stand in the document: at its offsets (``ok``), or found
  again by its exact text, the best match chosen by the text around it
  (``moved``, with the new offsets), as a W3C TextQuoteSelector re-anchors;
  when only the surrounding text is found, the quote was edited
  (``changed``, old and new text) or deleted (``gone``);
* ``brief.qmd`` must print what the fact's value renders to
  (``value-mismatch`` otherwise: a filter or a hand edit changed it).

For every chart, the snapshot must match the sha256 in its provenance file
(``sha-mismatch``), the chart's plotted numbers must be what the snapshot's
rows give (``value-mismatch``), and the rows claims.json recorded must be
unchanged: ``changed`` when an edit changes the numbers, ``gone`` when every
cited row is deleted, ``moved`` when the edit leaves the drawn numbers as
they were. ``ok`` and ``moved`` hold.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from briefs.claims import ChartClaim, Claim, Row, csv_rows, load_claims
from briefs.compose import CLAIM_SPAN, verbatim
from briefs.errors import BuildError, TraceError
from briefs.snapshot import Snapshot, load_provenance, load_snapshot
from briefs.versions import MANIFEST, read_manifest
from extract.corpus import Corpus, load_corpus, sha256_of
from extract.errors import ExtractError
from extract.readers import read_bytes

STATUSES = ("ok", "moved", "changed", "gone", "value-mismatch", "sha-mismatch")
HOLDING = frozenset({"ok", "moved"})
SLACK = 200  # how much longer than the old quote an edited one may be


@dataclass(frozen=True, slots=True)
class Anchored:
    """Where a quote stands in the current text, if anywhere."""

    status: str  # ok, moved, changed or gone
    quote_start: int | None = None
    quote_end: int | None = None
    now: str = ""  # the text in the quote's place, for changed
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    """One claim and whether it still holds."""

    claim: Claim
    status: str
    detail: str = ""
    start: int | None = None
    end: int | None = None
    quote_start: int | None = None
    quote_end: int | None = None
    now: str = ""

    @property
    def holds(self) -> bool:
        """True for ok and moved."""
        return self.status in HOLDING

    def to_json(self) -> dict[str, object]:
        """One line of ``brief trace --json``."""
        c = self.claim
        out: dict[str, object] = {
            "claim": c.claim,
            "status": self.status,
            "fact": c.fact,
            "doc": c.doc,
            "rendered": c.rendered,
            "location": c.location.label,
            "start": c.start,
            "end": c.end,
            "quote": c.quote,
        }
        if self.status == "moved":
            out.update(new_start=self.start, new_end=self.end,
                       new_quote_start=self.quote_start, new_quote_end=self.quote_end)  # fmt: skip
        if self.status == "changed":
            out["now"] = self.now
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass(frozen=True, slots=True)
class ChartCheck:
    """One chart and whether its numbers still equal its snapshot's rows."""

    chart: ChartClaim
    status: str
    detail: str = ""

    @property
    def holds(self) -> bool:
        """True for ok."""
        return self.status in HOLDING

    def to_json(self) -> dict[str, object]:
        """One line of ``brief trace --json``."""
        out: dict[str, object] = {
            "chart": self.chart.chart,
            "status": self.status,
            "snapshot": self.chart.snapshot,
            "rows": len(self.chart.rows),
        }
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass(frozen=True, slots=True)
class Trace:
    """The checks of one built version."""

    claims: tuple[ClaimCheck, ...]
    charts: tuple[ChartCheck, ...]

    @property
    def holds(self) -> bool:
        """True when every claim and chart holds."""
        return all(c.holds for c in self.claims) and all(c.holds for c in self.charts)


def corpus_of(version_dir: Path) -> Corpus:
    """The corpus a version was built from, as its manifest records it."""
    root = read_manifest(version_dir).get("corpus")
    if not isinstance(root, str) or not root:
        raise TraceError(
            f"{version_dir / MANIFEST}: records no corpus folder; pass --corpus"
        )
    return load_corpus(Path(root))


def trace(
    version_dir: Path, corpus: Corpus | None = None, claim_id: str | None = None
) -> Trace:
    """Check every claim and chart (or one claim) of a built version."""
    found = load_claims(version_dir)
    corpus = corpus if corpus is not None else corpus_of(version_dir)
    claims, charts = found.claims, found.charts
    if claim_id is not None:
        claims = tuple(c for c in claims if c.claim == claim_id)
        charts = ()
        if not claims:
            raise TraceError(f"{version_dir / 'claims.json'}: no claim '{claim_id}'")
    printed = printed_values(version_dir)
    texts: dict[str, tuple[str, str] | str] = {}
    return Trace(
        claims=tuple(check(c, corpus, texts, printed) for c in claims),
        charts=tuple(check_chart(c, corpus, version_dir) for c in charts),
    )


def printed_values(version_dir: Path) -> dict[str, list[str]]:
    """What brief.qmd prints for each claim (every occurrence)."""
    try:
        qmd = (version_dir / "brief.qmd").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TraceError(f"{version_dir / 'brief.qmd'}: not found") from None
    printed: dict[str, list[str]] = {}
    for m in CLAIM_SPAN.finditer(qmd):
        printed.setdefault(m.group(2), []).append(m.group(1))
    return printed


def current_text(
    corpus: Corpus, doc_id: str, cache: dict[str, tuple[str, str] | str]
) -> tuple[str, str] | str:
    """A document's (text, sha256) as it is now, or why it cannot be read."""
    if doc_id not in cache:
        try:
            doc = corpus.get(doc_id)
            path = corpus.path_of(doc)
            data = path.read_bytes()
            cache[doc_id] = (read_bytes(path, data).text, sha256_of(data))
        except ExtractError as e:
            cache[doc_id] = e.message
        except OSError as e:
            cache[doc_id] = f"cannot read it ({e.strerror or e})"
    return cache[doc_id]


def check(
    claim: Claim,
    corpus: Corpus,
    cache: dict[str, tuple[str, str] | str],
    printed: dict[str, list[str]],
) -> ClaimCheck:
    """One claim's status (see the module docstring for the order of checks)."""
    now = current_text(corpus, claim.doc, cache)
    if isinstance(now, str):
        return ClaimCheck(claim, "gone", f"document {claim.doc}: {now}")
    text, sha = now
    expected = corpus.get(claim.doc).sha256
    if sha != expected:
        return ClaimCheck(
            claim,
            "sha-mismatch",
            f"{corpus.get(claim.doc).path} has sha256 {sha[:12]}…, the corpus "
            f"manifest says {expected[:12]}…; update corpus.toml if the edit is intended",
        )
    where = reanchor(text, claim)
    shown = printed.get(claim.claim, [])
    want = verbatim(claim.rendered)
    if not shown or any(p != want for p in shown):
        got = next((p for p in shown if p != want), None)
        what = f"prints '{got}'" if got is not None else "does not print it"
        return ClaimCheck(claim, "value-mismatch",
                          f"brief.qmd {what}; the fact renders as '{want}'")  # fmt: skip
    if where.status in ("ok", "moved") and where.quote_start is not None:
        offset = where.quote_start - claim.quote_start
        return ClaimCheck(claim, where.status, where.detail, claim.start + offset,
                          claim.end + offset, where.quote_start, where.quote_end)  # fmt: skip
    return ClaimCheck(claim, where.status, where.detail, now=where.now,
                      quote_start=where.quote_start, quote_end=where.quote_end)  # fmt: skip


def reanchor(text: str, claim: Claim) -> Anchored:
    """Find the claim's quote (and its mention) in the document's current text."""
    qs, qe = claim.quote_start, claim.quote_end
    if text[qs:qe] == claim.quote:
        return Anchored("ok", qs, qe)
    hits = list(occurrences(text, claim.quote))
    if hits:
        best = max(hits, key=lambda at: (context_score(text, at, claim), -abs(at - qs)))
        shift = f"{'+' if best >= qs else ''}{best - qs}"
        return Anchored("moved", best, best + len(claim.quote),
                        detail=f"quote now at {best}:{best + len(claim.quote)} ({shift})")  # fmt: skip
    return edited(text, claim)


def occurrences(text: str, needle: str) -> Iterator[int]:
    """Every offset where ``needle`` starts in ``text``."""
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


def context_score(text: str, at: int, claim: Claim) -> int:
    """How many characters of the stored prefix and suffix surround ``at``."""
    before = text[max(0, at - len(claim.prefix)) : at]
    after_at = at + len(claim.quote)
    after = text[after_at : after_at + len(claim.suffix)]
    return common_suffix(before, claim.prefix) + common_prefix(after, claim.suffix)


def common_prefix(a: str, b: str) -> int:
    """Length of the common start of two strings."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def common_suffix(a: str, b: str) -> int:
    """Length of the common end of two strings."""
    return common_prefix(a[::-1], b[::-1])


def edited(text: str, claim: Claim) -> Anchored:
    """The quote is not in the text: is its context, with something else between?"""
    span = between_context(text, claim)
    if span is None:
        return Anchored(
            "gone", detail="neither the quote nor its context is in the document"
        )
    start, end = span
    now = text[start:end]
    if not now.strip():
        return Anchored("gone", start, end,
                        detail=f"the quote was deleted; its context is still at {start}")  # fmt: skip
    old = " ".join(claim.quote.split())
    new = " ".join(now.split())
    return Anchored("changed", start, end, now=now,
                    detail=f'was "{old}"; now "{new}" at {start}:{end}')  # fmt: skip


def between_context(text: str, claim: Claim) -> tuple[int, int] | None:
    """The span between the stored prefix and suffix, nearest the old place."""
    limit = len(claim.quote) + SLACK
    starts = [0] if not claim.prefix else [
        at + len(claim.prefix) for at in occurrences(text, claim.prefix)
    ]  # fmt: skip
    best: tuple[int, int] | None = None
    for start in starts:
        if not claim.suffix:
            end = len(text) if len(text) - start <= limit else -1
        else:
            end = text.find(claim.suffix, start, start + limit + len(claim.suffix))
        if end < 0:
            continue
        if best is None or abs(start - claim.quote_start) < abs(
            best[0] - claim.quote_start
        ):
            best = (start, end)
    return best


# Charts ------------------------------------------------------------------------


def check_chart(chart: ChartClaim, corpus: Corpus, version_dir: Path) -> ChartCheck:
    """Do the snapshot's rows still say what the chart plotted?"""
    path = corpus.root / chart.snapshot
    try:
        data = path.read_bytes()
        recorded = load_provenance(path.with_suffix(".toml")).get("sha256")
    except OSError:
        return ChartCheck(chart, "gone", f"{path}: the snapshot is not there")
    except BuildError as e:
        return ChartCheck(chart, "sha-mismatch", str(e))
    sha = sha256_of(data)
    if sha != recorded:
        return ChartCheck(chart, "sha-mismatch",
                          f"{path} has sha256 {sha[:12]}…, its provenance file says "
                          f"{str(recorded)[:12]}…")  # fmt: skip
    rows = {r.line: r for r in csv_rows(data)}
    changed = [(r, rows.get(r.line)) for r in chart.rows if rows.get(r.line) != r]
    if changed and all(new is None for _, new in changed):
        return ChartCheck(chart, "gone", row_changes(path, changed))
    try:
        snapshot = load_snapshot(corpus.root, chart.data, chart.snapshot)
    except BuildError as e:
        return ChartCheck(chart, "changed", str(e))
    plotted = check_plotted(chart, snapshot, version_dir)
    if not changed:
        return plotted
    if plotted.holds:
        # Cells the chart does not draw (a code, a rank), or rows shifted by
        # an insertion: the numbers it shows still follow from the snapshot.
        return ChartCheck(chart, "moved",
                          f"{row_changes(path, changed)}; the chart's numbers are unchanged")  # fmt: skip
    return ChartCheck(chart, "changed", row_changes(path, changed))


def row_changes(path: Path, changed: list[tuple[Row, Row | None]]) -> str:
    """What changed in the cited rows, cell by cell (the first few)."""
    notes = []
    for old, new in changed[:5]:
        if new is None:
            notes.append(f"{path.name} line {old.line}: the row is gone")
            continue
        now = dict(new.cells)
        cells = ", ".join(f"{k} {v} -> {now.get(k, '')}" for k, v in old.cells
                          if now.get(k) != v)  # fmt: skip
        notes.append(f"{path.name} line {old.line}: {cells}")
    more = f" (and {len(changed) - 5} more rows)" if len(changed) > 5 else ""
    return "; ".join(notes) + more


def check_plotted(
    chart: ChartClaim, snapshot: Snapshot, version_dir: Path
) -> ChartCheck:
    """The chart file's numbers equal those its builder draws from the rows."""
    from briefs.charts import CHART_BUILDERS

    spec_path = version_dir / "charts" / f"{chart.chart}.vl.json"
    try:
        plotted = json.loads(spec_path.read_text(encoding="utf-8")).get("datasets")
    except (OSError, json.JSONDecodeError):
        return ChartCheck(chart, "value-mismatch", f"{spec_path}: missing or not JSON")
    try:
        wanted = (
            CHART_BUILDERS[chart.kind](snapshot, chart.codes)
            .chart.to_dict()
            .get("datasets")
        )
    except BuildError as e:
        return ChartCheck(chart, "value-mismatch", str(e))
    if json.loads(json.dumps(wanted)) != plotted:
        return ChartCheck(chart, "value-mismatch",
                          f"{spec_path.name} plots numbers its snapshot rows do not give")  # fmt: skip
    return ChartCheck(chart, "ok")


def summary(result: Trace) -> str:
    """``all N claims and M charts hold`` or which do not."""
    failed = [c.claim.claim for c in result.claims if not c.holds]
    failed += [c.chart.chart for c in result.charts if not c.holds]
    total = f"{len(result.claims)} claims" + (
        f" and {len(result.charts)} charts" if result.charts else ""
    )
    if not failed:
        return f"all {total} hold"
    return f"{len(failed)} of {total} no longer hold: {', '.join(failed)}"
