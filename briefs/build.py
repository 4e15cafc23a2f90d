"""Build a brief: refresh the facts, compose, chart, render, and version the result.

``build_brief`` is the one function ``brief build`` calls per template. The
inputs (tool and extractor versions, the template, the cited documents and the
trade snapshots, each by sha256) are hashed; when the newest version was built
from the same inputs nothing is written and it is reported as up to date.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefs.bibliography import REFERENCES, STYLE
from briefs.claims import CLAIMS, BriefClaims, ChartClaim, csv_rows
from briefs.compose import Composed, Edition, compose, figure_id, resolve
from briefs.errors import BuildError, TemplateError
from briefs.locate import Anchor, anchor
from briefs.snapshot import Snapshot, load_snapshot
from briefs.spec import BriefSpec, ChartSpec, load_spec
from briefs.typed import find_typed_figures
from briefs.versions import (
    MANIFEST,
    digest,
    file_hashes,
    latest_manifest,
    locked,
    publish,
    read_manifest,
    staging,
    versions,
)
from extract import EXTRACTOR_VERSION, __version__
from extract.corpus import Corpus, sha256_of
from extract.readers import read_document
from extract.records import DocumentText, Fact
from extract.refresh import refresh
from extract.store import connect, query_facts

if TYPE_CHECKING:
    from briefs.charts import Figure

log = logging.getLogger(__name__)

MAX_CHART_ROWS = 20_000
MAX_CHART_VALUE = 1e15  # a quadrillion: past any trade value, share or count


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build did: a new version, or none because nothing changed.

    ``same_as`` names an earlier version built from the same inputs (a
    change reverted), so the new version duplicates it.
    """

    brief: str
    version: int
    path: Path
    built: bool
    claims: int
    engine: str
    same_as: int | None = None


def build_brief(
    template: Path,
    corpus: Corpus,
    store: Path,
    out: Path,
    engine: str = "auto",
    force: bool = False,
    strict: bool = False,
) -> BuildResult:
    """Build one template into ``out/<brief-id>/v<N>/`` unless it is up to date.

    The engine is an input: a brief built by one engine is rebuilt when
    another is asked for (and fails if that one is missing). ``force``
    rebuilds even when nothing changed. Figures typed by hand in the prose
    are logged as warnings, or with ``strict`` are an error naming every one.
    """
    from briefs.render import resolve_engine

    spec = load_spec(template)
    check_typed_figures(spec, strict)
    used = resolve_engine(engine)
    refresh(corpus, store)
    with connect(store, create=False) as conn:
        facts = query_facts(conn)
    snapshots = load_snapshots(spec, corpus)
    figures = draw_charts(spec, snapshots, facts)
    tables = make_tables(spec, snapshots, facts)
    brief_dir = out / spec.id
    with locked(brief_dir):  # a concurrent build of this brief waits here
        built = versions(brief_dir)  # the title block names the next version
        composed = compose(
            spec,
            resolve(spec, facts, corpus.documents),
            corpus.documents,
            __version__,
            facts,
            edition=Edition((built[-1] if built else 0) + 1, build_date()),
            alts={name: f.alt_text for name, f in figures.items()},
            tables=tables,
            anchors=Anchors(corpus),
        )
        inputs = {**build_inputs(spec, composed, snapshots), "engine": used}
        latest = latest_manifest(brief_dir)
        if not force and latest and latest[1].get("inputs_sha256") == digest(inputs):
            number = latest[0]
            path = brief_dir / f"v{number}"
            return BuildResult(spec.id, number, path, False, len(composed.claims), "")
        from briefs.render import render  # only a build that writes needs it
        from briefs.review import write_review

        same_as = same_inputs(brief_dir, digest(inputs))
        with staging(brief_dir) as folder:
            try:
                previous = brief_dir / f"v{latest[0]}" / "charts" if latest else None
                claims = write_sources(
                    folder, composed, figures, spec, snapshots, corpus, facts, previous
                )
                used = render(folder, engine=used).engine
                write_review(folder, claims, corpus)
                history: dict[str, object] = {
                    "corpus": str(corpus.root.resolve()),
                    "engine": used,
                    "built": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "previous": latest[0] if latest else None,
                    "same_inputs_as": same_as,
                }
                write_manifest(folder, inputs, history)
                number, final = publish(folder, brief_dir)
            except OSError as e:  # a full disk, a quota: name the folder
                where = e.filename or brief_dir
                msg = f"{where}: cannot write the new version: {e.strerror or e}"
                raise BuildError(msg) from None
    return BuildResult(
        spec.id, number, final, True, len(composed.claims), used, same_as
    )


def same_inputs(brief_dir: Path, inputs_sha256: str) -> int | None:
    """The newest earlier version built from exactly these inputs, if any."""
    for number in reversed(versions(brief_dir)):
        manifest = read_manifest(brief_dir / f"v{number}")
        if manifest.get("inputs_sha256") == inputs_sha256:
            return number
    return None


class Anchors:
    """Where cited quotes live, reading each cited document once."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.texts: dict[str, DocumentText] = {}

    def __call__(self, fact: Fact) -> Anchor:
        path = self.corpus.path_of(self.corpus.get(fact.doc))
        if fact.doc not in self.texts:
            self.texts[fact.doc] = read_document(path)
        return anchor(fact, path, self.texts[fact.doc])


def check_typed_figures(spec: BriefSpec, strict: bool) -> None:
    """Warn about (or, strict, refuse) figures typed by hand in the prose."""
    found = find_typed_figures(spec)
    if strict and found:
        listed = ", ".join(f"'{f.text}' ({f.kind}) at line {f.line}" for f in found)
        msg = (
            f"{len(found)} figure(s) typed by hand, not cited (--strict): {listed}; "
            "cite each with fact(...) or write it in words"
        )
        raise TemplateError(spec.path, found[0].line, msg)
    for figure in found:
        log.warning("%s:%d: %s", spec.path, figure.line, figure.message())


def load_snapshots(spec: BriefSpec, corpus: Corpus) -> dict[str, Snapshot]:
    """The trade snapshots the template names, checked against their provenance."""
    return {name: load_snapshot(corpus.root, name, rel) for name, rel in spec.trade}


def build_inputs(
    spec: BriefSpec, composed: Composed, snapshots: dict[str, Snapshot]
) -> dict[str, object]:
    """Everything a version depends on, by sha256."""
    return {
        "tool": __version__,
        "extractor": EXTRACTOR_VERSION,
        "template": {"path": spec.path.name, "sha256": sha256_of(spec.source.encode())},
        "documents": {d.id: d.sha256 for d in composed.documents},
        "trade": {s.path.name: s.sha256 for s in snapshots.values()},
    }


def build_date() -> str:
    """Today in UTC, or the day of ``$SOURCE_DATE_EPOCH`` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else None
    return (when or datetime.now(UTC)).strftime("%Y-%m-%d")


def chart_codes(
    spec: BriefSpec, chart: ChartSpec, facts: Sequence[Fact]
) -> tuple[str, ...]:
    """The reference HS codes of a chart or table: listed, or the document's hs_code facts."""
    if not chart.codes_from:
        return chart.codes
    found = [f.text for f in facts if f.doc == chart.codes_from and f.kind == "hs_code"]
    if not found:
        msg = f"{chart.name}: codes_from '{chart.codes_from}' names no document with hs_code facts"
        raise TemplateError(spec.path, chart.line, msg)
    return (*chart.codes, *dict.fromkeys(found))


def snapshot_of(
    spec: BriefSpec, chart: ChartSpec, snapshots: dict[str, Snapshot]
) -> Snapshot:
    """The snapshot a chart or table draws on, or an error at its template line."""
    if chart.data not in snapshots:
        msg = (
            f"'{chart.name}' uses data '{chart.data}', which brief.trade does not name"
        )
        raise TemplateError(spec.path, chart.line, msg)
    return snapshots[chart.data]


def draw_charts(
    spec: BriefSpec, snapshots: dict[str, Snapshot], facts: Sequence[Fact]
) -> dict[str, Figure]:
    """Every chart the template declares, as a value with its alt text."""
    from briefs.charts import CHART_BUILDERS  # Altair loads only for a build

    figures = {}
    for c in spec.charts:
        snapshot = snapshot_of(spec, c, snapshots)
        figure = CHART_BUILDERS[c.kind](snapshot, chart_codes(spec, c, facts))
        check_chart_data(snapshot.path, c.name, figure.chart.to_dict())
        figures[c.name] = figure
    return figures


def check_chart_data(source: Path, name: str, spec: dict[str, Any]) -> None:
    """Bound what reaches vl-convert, whose failures abort the process natively.

    A share of 3,000,000% once asked it for 60 GB; too many rows or a number
    past any trade value is refused here, naming the chart and its data file.
    """
    datasets = spec.get("datasets") or {}
    rows = [r for values in datasets.values() for r in values]
    if len(rows) > MAX_CHART_ROWS:
        raise BuildError(f"{source}: chart '{name}' would draw {len(rows):,} rows, "
                         f"more than {MAX_CHART_ROWS:,}")  # fmt: skip
    for row in rows:
        for key, value in row.items():
            if isinstance(value, float | int) and not (
                math.isfinite(value) and abs(value) <= MAX_CHART_VALUE
            ):
                raise BuildError(
                    f"{source}: chart '{name}' would draw {key} = {value!r}, "
                    "which no trade figure can be"
                )


def make_tables(
    spec: BriefSpec, snapshots: dict[str, Snapshot], facts: Sequence[Fact]
) -> dict[str, str]:
    """Every table the template declares, as markdown."""
    from briefs.tables import TABLE_BUILDERS

    return {
        t.name: TABLE_BUILDERS[t.kind](
            t, snapshot_of(spec, t, snapshots), chart_codes(spec, t, facts)
        )
        for t in spec.tables
    }


def write_sources(
    folder: Path,
    composed: Composed,
    figures: dict[str, Figure],
    spec: BriefSpec,
    snapshots: dict[str, Snapshot],
    corpus: Corpus,
    facts: Sequence[Fact],
    previous: Path | None = None,
) -> BriefClaims:
    """Write brief.qmd, claims.json, the bibliography and the charts into a
    staging folder; a chart whose spec is unchanged since the ``previous``
    version's charts is copied, not rendered again."""
    from briefs.charts import save_chart

    (folder / "brief.qmd").write_text(composed.qmd, encoding="utf-8")
    if composed.references:
        references = json.dumps(list(composed.references), indent=2, ensure_ascii=False)
        (folder / REFERENCES).write_text(references + "\n", encoding="utf-8")
        shutil.copyfile(csl_style(spec.path.parent), folder / STYLE)
    charts = []
    for chart in composed.charts:
        save_chart(figures[chart.name].chart, folder / "charts", chart.name, previous)
        snapshot = snapshot_of(spec, chart, snapshots)
        codes = chart_codes(spec, chart, facts)
        charts.append(chart_claim(chart, snapshot, corpus, codes))
    claims = BriefClaims(spec.id, composed.claims, tuple(charts))
    (folder / CLAIMS).write_text(claims.to_text(), encoding="utf-8")
    return claims


def chart_claim(
    chart: ChartSpec, snapshot: Snapshot, corpus: Corpus, codes: Sequence[str]
) -> ChartClaim:
    """A chart's provenance: its snapshot and every row it plots, by CSV line."""
    return ChartClaim(
        chart=chart.name,
        figure=figure_id(chart.name),
        kind=chart.kind,
        caption=chart.caption,
        data=chart.data,
        snapshot=snapshot.path.relative_to(corpus.root).as_posix(),
        sha256=snapshot.sha256,
        source=snapshot.source_note,
        rows=csv_rows(snapshot.path.read_bytes()),
        codes=tuple(codes),
    )


def csl_style(templates: Path) -> Path:
    """The CSL style beside the template, else the one shipped in the
    repository's templates/ (Chicago author-date)."""
    for path in (
        templates / STYLE,
        Path(__file__).resolve().parents[1] / "templates" / STYLE,
    ):
        if path.is_file():
            return path
    raise BuildError(
        f"{templates / STYLE}: the bibliography style is missing; copy it from the repository's templates/"
    )


def write_manifest(
    folder: Path, inputs: dict[str, object], history: dict[str, object]
) -> None:
    """Record the inputs, the sha256 of every output, and where and when.

    The build time and the previous version live only here, never in the
    outputs, so the same inputs still give byte-identical outputs.
    """
    manifest = {
        "inputs": inputs,
        "inputs_sha256": digest(inputs),
        "outputs": file_hashes(folder),
        **history,
    }
    text = json.dumps(manifest, indent=2, sort_keys=True)
    (folder / MANIFEST).write_text(text + "\n", encoding="utf-8")
