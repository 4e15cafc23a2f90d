"""Build a brief: refresh the facts, compose, chart, render, and version the result.

``build_brief`` is the one function ``brief build`` calls per template. The
inputs (tool and extractor versions, the template, the cited documents and the
trade snapshots, each by sha256) are hashed; when the newest version was built
from the same inputs nothing is written and it is reported as up to date.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from briefs.compose import Composed, compose, resolve
from briefs.errors import TemplateError
from briefs.snapshot import Snapshot, load_snapshot
from briefs.spec import BriefSpec, load_spec
from briefs.versions import (
    MANIFEST,
    digest,
    file_hashes,
    latest_manifest,
    locked,
    publish,
    staging,
)
from extract import EXTRACTOR_VERSION, __version__
from extract.corpus import Corpus, sha256_of
from extract.refresh import refresh
from extract.store import connect, query_facts


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build did: a new version, or none because nothing changed."""

    brief: str
    version: int
    path: Path
    built: bool
    claims: int
    engine: str


def build_brief(
    template: Path, corpus: Corpus, store: Path, out: Path, engine: str = "auto"
) -> BuildResult:
    """Build one template into ``out/<brief-id>/v<N>/`` unless it is up to date."""
    spec = load_spec(template)
    refresh(corpus, store)
    with connect(store, create=False) as conn:
        facts = query_facts(conn)
    composed = compose(
        spec,
        resolve(spec, facts, corpus.documents),
        corpus.documents,
        __version__,
        facts,
    )
    snapshots = load_snapshots(spec, corpus)
    inputs = build_inputs(spec, composed, snapshots)
    brief_dir = out / spec.id
    with locked(brief_dir):  # a concurrent build of this brief waits here
        latest = latest_manifest(brief_dir)
        if latest and latest[1].get("inputs_sha256") == digest(inputs):
            number = latest[0]
            path = brief_dir / f"v{number}"
            return BuildResult(spec.id, number, path, False, len(composed.claims), "")
        from briefs.render import render  # only a build that writes needs it

        with staging(brief_dir) as folder:
            write_sources(folder, composed, snapshots, spec)
            used = render(folder, engine=engine).engine
            write_manifest(folder, inputs)
            number, final = publish(folder, brief_dir)
    return BuildResult(spec.id, number, final, True, len(composed.claims), used)


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


def write_sources(
    folder: Path, composed: Composed, snapshots: dict[str, Snapshot], spec: BriefSpec
) -> None:
    """Write brief.qmd, claims.json and the charts into a staging folder."""
    from briefs.charts import CHART_BUILDERS, save_chart  # Altair loads only here

    (folder / "brief.qmd").write_text(composed.qmd, encoding="utf-8")
    claims = [c.to_json() for c in composed.claims]
    text = json.dumps(
        {"brief": spec.id, "claims": claims}, indent=2, ensure_ascii=False
    )
    (folder / "claims.json").write_text(text + "\n", encoding="utf-8")
    for chart in composed.charts:
        if chart.data not in snapshots:
            msg = f"chart '{chart.name}' uses data '{chart.data}', which brief.trade does not name"
            raise TemplateError(spec.path, chart.line, msg)
        spec_chart = CHART_BUILDERS[chart.kind](snapshots[chart.data])
        save_chart(spec_chart, folder / "charts", chart.name)


def write_manifest(folder: Path, inputs: dict[str, object]) -> None:
    """Record the inputs and the sha256 of every output."""
    manifest = {
        "inputs": inputs,
        "inputs_sha256": digest(inputs),
        "outputs": file_hashes(folder),
    }
    text = json.dumps(manifest, indent=2, sort_keys=True)
    (folder / MANIFEST).write_text(text + "\n", encoding="utf-8")
