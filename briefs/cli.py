"""The ``brief`` command: a thin layer over the library.

Each command parses its options, calls one library function, and turns the
library's errors into a single ``Error: ...`` line with exit status 1.
"""

from __future__ import annotations

import csv
import functools
import json
import logging
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, ParamSpec, TypeVar

import click
from tqdm import tqdm

from briefs import author, report
from briefs.errors import BriefError
from extract import __version__
from extract.corpus import DOCUMENT_KINDS, load_corpus, sha256_of
from extract.errors import ExtractError
from extract.readers import read_bytes, read_document, read_file
from extract.records import Fact
from extract.refresh import refresh
from extract.search import filter_facts
from extract.store import (
    Extraction,
    connect,
    query_facts,
    store_path,
    stored_documents,
)

if TYPE_CHECKING:
    from briefs.trace import Trace
    from extract.tablegrid import Table

P = ParamSpec("P")
R = TypeVar("R")
F = TypeVar("F", bound=Callable[..., object])

corpus_option = click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=lambda: os.environ.get("TRACEBRIEF_CORPUS", "corpus"),
    show_default="corpus, or $TRACEBRIEF_CORPUS",
    help="The corpus folder (holding corpus.toml).",
)
allow_empty_option = click.option(
    "--allow-empty",
    is_flag=True,
    help="Accept a corpus.toml that lists no documents (it empties the store).",
)
cache_option = click.option(
    "--cache",
    "cache_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=lambda: os.environ.get("TRACEBRIEF_CACHE", ".cache/tracebrief"),
    show_default=".cache/tracebrief, or $TRACEBRIEF_CACHE",
    help="The cache folder holding the fact store.",
)


def out_option(help: str = "Where versions are written.") -> Callable[[F], F]:
    """``--out``: the folder of built versions (``out/<brief>/vN``)."""
    return click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
                        default="out", show_default=True, help=help)  # fmt: skip


def templates_dir_option(help: str) -> Callable[[F], F]:
    """``--templates-dir``: the folder of templates."""
    return click.option("--templates-dir", type=click.Path(path_type=Path, file_okay=False),
                        default="templates", show_default=True, help=help)  # fmt: skip


def reports_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn any error into one ``Error: ...`` line, then the held warnings; exit 1.

    Library errors carry their own message. An OS error names its file. Any
    other exception is a bug: it still gets one line (its traceback with -vv).
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = fn(*args, **kwargs)
        except (click.exceptions.Exit, click.Abort, SystemExit):
            report.flush()
            raise
        except Exception as e:
            fail(e)
        report.flush()
        return result

    return wrapper


def fail(error: Exception) -> NoReturn:
    """Print the error as one line, then the held warnings; exit 1."""
    click.echo(error_line(error), err=True)
    report.flush()
    sys.exit(1)


def error_line(error: Exception) -> str:
    """``Error: ...`` on one line (a tool's output tail follows only under -v)."""
    if isinstance(error, ExtractError | BriefError | click.ClickException):
        text = (
            error.format_message()
            if isinstance(error, click.ClickException)
            else str(error)
        )
    elif isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        text = f"{where}{error.strerror or error}"
    elif isinstance(error, MemoryError):
        text = "out of memory; the input is too large for this machine"
    else:
        logging.getLogger(__name__).debug("unexpected error", exc_info=error)
        text = (
            f"unexpected {type(error).__name__}: {error} "
            "(a bug in tracebrief; run with -vv for the traceback)"
        )
    first, detail = report.one_line(text)
    if detail and report.verbosity() == 0:
        return f"Error: {first} (brief -v shows the tool's last lines)"
    return f"Error: {first}" + (f"\n{detail}" if detail else "")


@click.group()
@click.version_option(__version__, prog_name="brief")
@click.option("-v", "--verbose", count=True, help="Say more (-vv: debug).")
@click.option("-q", "--quiet", is_flag=True, help="Errors only, no warnings.")
def main(verbose: int, quiet: bool) -> None:
    """Tracebrief: policy briefs whose every figure traces to its source."""
    report.configure(verbose, quiet)


@main.command()
@corpus_option
@cache_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="the number of cores",
    help="Documents read at once.",
)
@click.option("--force", is_flag=True, help="Read every document again.")
@click.option(
    "--executor",
    default="local",
    show_default=True,
    metavar="local|dask[=ADDRESS]",
    help="Where documents are read: a local process pool, or Dask distributed "
    "(a LocalCluster of --jobs workers, or the scheduler at ADDRESS).",
)
@allow_empty_option
@reports_errors
def extract(
    corpus_dir: Path,
    cache_dir: Path,
    jobs: int,
    force: bool,
    executor: str,
    allow_empty: bool,
) -> None:
    """Refresh the fact store from the corpus, reading only what changed."""
    corpus = load_corpus(corpus_dir, allow_empty=allow_empty)
    store = store_path(cache_dir)

    def progress(items: Iterable[Extraction], total: int) -> Iterable[Extraction]:
        return tqdm(
            items,
            total=total,
            desc="extract",
            unit="doc",
            file=sys.stderr,
            disable=None if total else True,
            leave=False,
        )

    with report.page_progress():
        s = refresh(
            corpus, store, jobs=jobs, force=force, progress=progress, executor=executor
        )
    click.echo(
        f"{s.documents} documents ({s.read} read, {s.unchanged} unchanged"
        + (f", {s.removed} removed" if s.removed else "")
        + f"), {s.facts} facts in {store}"
    )


@main.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--doc", help="Only facts of this document id.")
@click.option("--kind", help="Only facts of this kind (e.g. quantity).")
@click.option("--grep", help="Only facts whose mention or sentence holds TEXT.")
@click.option(
    "--value", help="Only facts of this value, as typed: 73%, 18.74B, $3,750."
)
@click.option("--unit", help="Only facts in this unit (percent, usd, count, ...).")
@click.option("--year", type=int, help="Only facts tied to this year.")
@click.option(
    "--near", help="Only facts whose sentence holds these words, nearest first."
)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, the fact contract.")
@click.option("--summary", is_flag=True, help="Counts per document and unit.")
@corpus_option
@cache_option
@reports_errors
def facts(
    file: Path | None,
    doc: str | None,
    kind: str | None,
    grep: str | None,
    value: str | None,
    unit: str | None,
    year: int | None,
    near: str | None,
    as_json: bool,
    summary: bool,
    corpus_dir: Path,
    cache_dir: Path,
) -> None:
    """List facts from the store, or extract them from FILE outside the corpus."""
    if file is not None:
        with report.page_progress():
            found = [f for f in file_facts(file) if matches(f, kind, grep)]
    else:
        with connect(store_path(cache_dir), create=False) as conn:
            if doc is not None:
                check_doc_id(doc, set(stored_documents(conn)), store_path(cache_dir))
            found = query_facts(conn, doc=doc, kind=kind, grep=grep)
    found = filter_facts(found, value=value, unit=unit, year=year, phrase=near)
    if summary:
        click.echo(summarise(found))
    elif as_json:
        for fact in found:
            click.echo(json.dumps(fact.to_json(), ensure_ascii=False))
    else:
        for fact in found:
            click.echo(describe(fact))


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@reports_errors
def text(file: Path) -> None:
    """Print a document's text in reading order (like pdftotext: a form feed
    between pages)."""
    click.echo(read_document(file).paged_text())


@main.command()
@click.argument("templates", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--engine",
    type=click.Choice(["auto", "quarto", "builtin"]),
    default="auto",
    show_default=True,
    help="quarto when found, else the built-in engine.",
)
@out_option()
@templates_dir_option("Where to find templates when none is named.")
@click.option("--force", is_flag=True, help="Build a new version even if up to date.")
@click.option(
    "--strict",
    is_flag=True,
    help="A figure typed by hand in the prose (not cited) is an error, not a warning.",
)
@click.option(
    "--watch",
    is_flag=True,
    help="Build, then rebuild whenever a template or corpus file changes (Ctrl-C stops).",
)
@corpus_option
@cache_option
@allow_empty_option
@reports_errors
def build(
    templates: tuple[Path, ...],
    engine: str,
    out_dir: Path,
    templates_dir: Path,
    force: bool,
    strict: bool,
    watch: bool,
    corpus_dir: Path,
    cache_dir: Path,
    allow_empty: bool,
) -> None:
    """Build briefs from TEMPLATES (all in templates/ when none is named).

    Every template is attempted; each failure is one 'Error:' line, and the
    exit status is 1 when any template failed. With --watch, the templates
    are built again after every save, until Ctrl-C.
    """
    paths = list(templates) or sorted(templates_dir.glob("*.qmd.j2"))
    if not paths:
        raise click.ClickException(f"{templates_dir}: no *.qmd.j2 templates here")
    options = BuildOptions(
        engine, out_dir, corpus_dir, cache_dir, force, strict, allow_empty
    )
    if not watch:
        if build_paths(paths, options):
            sys.exit(1)
        return

    def rebuild() -> None:
        try:
            build_paths(paths, options)
        except (ExtractError, BriefError) as e:
            click.echo(f"Error: {e}", err=True)
        click.echo("watching for changes (Ctrl-C to stop)", err=True)

    try:
        author.watch([*paths, corpus_dir], rebuild)
    except KeyboardInterrupt:
        click.echo("stopped watching", err=True)


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What ``brief build`` was told, for each template it builds."""

    engine: str
    out_dir: Path
    corpus_dir: Path
    cache_dir: Path
    force: bool
    strict: bool
    allow_empty: bool


def build_paths(paths: list[Path], o: BuildOptions) -> int:
    """Build each template, saying what happened and where to look; the failures."""
    from briefs.build import build_brief

    corpus = load_corpus(o.corpus_dir, allow_empty=o.allow_empty)
    failed = 0
    for path in paths:
        try:
            r = build_brief(path, corpus, store_path(o.cache_dir), o.out_dir,
                            engine=o.engine, force=o.force, strict=o.strict)  # fmt: skip
        except (ExtractError, BriefError) as e:
            click.echo(error_line(e), err=True)
            failed += 1
            continue
        if r.built:
            same = f"; same inputs as v{r.same_as}" if r.same_as else ""
            click.echo(
                f"{r.brief}: built v{r.version} ({r.claims} claims, {r.engine} engine{same}) in {r.path}"
            )
        else:
            click.echo(f"{r.brief}: up to date (v{r.version}) in {r.path}")
        click.echo(f"  open {r.path / 'brief.html'}")
    return failed


@main.command()
@click.argument("version_dir", type=click.Path(path_type=Path, file_okay=False))
@click.argument("claim_id", required=False)
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The corpus folder; by default the one the version was built from.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object per claim and chart."
)
@reports_errors
def trace(
    version_dir: Path, claim_id: str | None, corpus_dir: Path | None, as_json: bool
) -> None:
    """Re-check each claim and chart of a built brief against the corpus.

    Statuses: ok, moved (the quote is elsewhere now), changed (edited), gone,
    value-mismatch (the brief prints something else), sha-mismatch (the
    document no longer matches the corpus manifest). A chart is moved when its
    snapshot rows changed but not the numbers it draws. Exit 0 only when every
    claim and chart is ok or moved.
    """
    from briefs.trace import summary
    from briefs.trace import trace as trace_claims

    corpus = load_corpus(corpus_dir) if corpus_dir is not None else None
    result = trace_claims(version_dir, corpus, claim_id)
    if as_json:
        lines = [c.to_json() for c in result.claims]
        lines += [c.to_json() for c in result.charts]
        for line in lines:
            click.echo(json.dumps(line, ensure_ascii=False))
    else:
        echo_trace(result)
    if not result.holds:
        raise click.ClickException(summary(result))
    if not as_json:
        click.echo(summary(result))


def echo_trace(result: Trace) -> None:
    """The human-readable trace: a line per claim, its quote, and what is wrong."""
    for c in result.claims:
        k = c.claim
        click.echo(
            f"{c.status:<14} {k.claim}  {k.rendered}  {k.doc} {k.location.label}  {k.title}"
        )
        click.echo(f"               \u201c{' '.join(k.quote.split())}\u201d")
        if c.detail:
            click.echo(f"               {c.detail}")
    for ch in result.charts:
        click.echo(
            f"{ch.status:<14} chart {ch.chart.chart}  {ch.chart.snapshot} ({len(ch.chart.rows)} rows)"
        )
        if ch.detail:
            click.echo(f"               {ch.detail}")


@main.command()
@click.argument("args", nargs=-1)
@out_option("Where versions are.")
@click.option("--html", "html_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the diff as a page to this file.")  # fmt: skip
@reports_errors
def diff(args: tuple[str, ...], out_dir: Path, html_path: Path | None) -> None:
    """What changed between two versions: brief diff [BRIEF] [vA vB].

    BRIEF is a brief id under --out (or a brief folder); by default the only
    brief there. vA and vB default to the last two versions.
    """
    from briefs.diff import diff_versions, parse_diff_args

    old, new = parse_diff_args(args, out_dir)
    result = diff_versions(old, new)
    click.echo(result.text(), nl=False)
    if html_path is not None:
        html_path.write_text(result.html(), encoding="utf-8")
        click.echo(f"wrote {html_path}")


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="The tables as JSON, cells included."
)
@click.option("--csv", "csv_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Write one CSV per table into this folder.")  # fmt: skip
@reports_errors
def tables(file: Path, as_json: bool, csv_dir: Path | None) -> None:
    """Print the tables of a document (PDF, HTML, text or markdown)."""
    from extract.pdftables import document_tables  # pdfplumber loads only here

    found = document_tables(read_document(file), file)
    if csv_dir is not None:
        for path in write_csv(found, csv_dir):
            click.echo(str(path))
    elif as_json:
        click.echo(json.dumps(tables_json(found), indent=2, ensure_ascii=False))
    else:
        for t in found:
            click.echo(f"{t.number or 'Table'} (p{t.page}): {t.caption or ''}".rstrip())
            for row in (*t.header, *t.rows):
                click.echo("  " + " | ".join(row))
            if t.source_note:
                click.echo(f"  {t.source_note}")
            click.echo()


# Output of `brief tables`: JSON and CSV


def tables_json(tables: Iterable[Table]) -> list[dict[str, object]]:
    """The tables as JSON objects, cells included."""
    return [table_json(t) for t in tables]


def table_json(t: Table) -> dict[str, object]:
    """One table as a JSON object."""
    cells = [
        {
            "row": c.row,
            "column": c.column,
            "start": c.start,
            "end": c.end,
            "text": c.text,
        }
        for c in t.cells
    ]
    return {
        "number": t.number, "caption": t.caption,
        "caption_span": list(t.caption_span) if t.caption_span else None,
        "title": t.title, "page": t.page, "start": t.start, "end": t.end,
        "bbox": list(t.bbox) if t.bbox else None,
        "header": [list(r) for r in t.header], "rows": [list(r) for r in t.rows],
        "totals": list(t.totals), "source_note": t.source_note,
        "source_span": list(t.source_span) if t.source_span else None,
        "cells": cells,
    }  # fmt: skip


def write_csv(tables: Iterable[Table], folder: Path) -> list[Path]:
    """One CSV per table in ``folder`` (header rows, then body rows).

    Files are named by position and number: ``01-table-1.csv``,
    ``02-figure-1.csv``, ``03-table.csv``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, table in enumerate(tables, start=1):
        slug = re.sub(r"[^a-z0-9]+", "-", (table.number or "table").lower()).strip("-")
        path = folder / f"{i:02d}-{slug}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([*table.header, *table.rows])
        paths.append(path)
    return paths


@main.group()
def trade() -> None:
    """US trade data: load an export you have, or fetch from the Census API."""


@trade.command("load")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The snapshot to write, e.g. corpus/trade/li-ion.csv (and its .toml).",
)
@click.option(
    "--hts",
    multiple=True,
    help="Keep codes starting with this (repeatable); names the commodity of a DataWeb export that does not.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["dataweb", "census", "comtrade"]),
    help="The file's format (detected when left out).",
)
@click.option(
    "--flow",
    help="The flow to keep (general_imports, imports_for_consumption, imports, exports) when the file has several.",
)
@click.option("--title", help="The snapshot's title (generated when left out).")
@reports_errors
def trade_load(
    file: Path,
    out: Path,
    hts: tuple[str, ...],
    fmt: str | None,
    flow: str | None,
    title: str | None,
) -> None:
    """Turn a DataWeb CSV/XLSX, Census API JSON/CSV or Comtrade file into a snapshot.

    The snapshot (CSV plus a .toml provenance file with the source's sha256)
    can be named under brief.trade in a template and charted with the
    trade_* chart kinds and export_control_exposure.
    """
    from briefs.trade.load import load_trade_file, write_snapshot

    loaded = load_trade_file(file, hts, fmt, flow)
    csv_path, toml_path = write_snapshot(loaded, out, title)
    click.echo(
        f"{len(loaded.frame)} rows of {loaded.flow} ({loaded.span}, {loaded.format}) "
        f"in {csv_path} (provenance {toml_path.name})"
    )


@trade.command("fetch")
@click.option(
    "--hts", required=True, help="HS or HTS code, 2 to 10 digits (e.g. 850760)."
)
@click.option("--years", required=True, help="A year or a range, e.g. 2019-2024.")
@click.option("--by", type=click.Choice(["partner"]), help="One row per partner.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write a trade snapshot for templates, e.g. corpus/trade/li-ion.csv.",
)
@click.option(
    "--flow",
    type=click.Choice(["general_imports", "imports_for_consumption"]),
    default="general_imports",
    show_default=True,
    help="The value basis the snapshot keeps.",
)
@cache_option
@reports_errors
def trade_fetch(
    hts: str, years: str, by: str | None, out: Path | None, flow: str, cache_dir: Path
) -> None:
    """Fetch US imports by HS code from the Census API into the cache.

    Set CENSUS_API_KEY to use a key. A query already in the cache is not
    fetched again; delete the cached file to refresh it. With --out, the rows
    of one flow are written as a snapshot (CSV plus a .toml provenance file)
    that a template can name under brief.trade.
    """
    from briefs.trade.fetch import fetch_command
    from briefs.trade.load import load_fetched, write_snapshot

    fetched = fetch_command(hts, years, by, cache_dir)
    loaded = load_fetched(fetched, flow)
    click.echo(f"{loaded.rows_read} rows ({loaded.span}) in {fetched.path}")
    if out is not None:
        title = f"US {flow} of HS {hts}, {loaded.span}"
        csv_path, toml_path = write_snapshot(loaded, out, title)
        click.echo(
            f"{len(loaded.frame)} rows of {flow} in {csv_path} (provenance {toml_path.name})"
        )


def check_doc_id(doc: str, known: set[str], store: Path) -> None:
    """An unknown --doc is an error naming the ids there are."""
    if doc not in known:
        ids = ", ".join(sorted(known)) or "none; run 'brief extract'"
        raise ExtractError(store, f"no document '{doc}' in the fact store (ids: {ids})")


@main.command("new")
@click.argument("name")
@templates_dir_option("Where to write the template.")
@click.option("--doc", help="Cite a fact of this document (default: the first one).")
@corpus_option
@cache_option
@reports_errors
def new_brief(
    name: str, templates_dir: Path, doc: str | None, corpus_dir: Path, cache_dir: Path
) -> None:
    """Start a brief: write templates/NAME.qmd.j2, citing one fact of the corpus."""
    author.new_template_path(templates_dir, name)  # a bad name fails before any work
    store = store_path(cache_dir)
    refresh(load_corpus(corpus_dir), store)
    with connect(store, create=False) as conn:
        if doc is not None:
            check_doc_id(doc, set(stored_documents(conn)), store)
        known = query_facts(conn, doc=doc, kind="quantity")
    path = author.scaffold(templates_dir, name, known)
    click.echo(f"wrote {path}; build it with: brief build {path}")


@main.command("list")
@templates_dir_option("Where the templates are.")
@out_option()
@reports_errors
def list_command(templates_dir: Path, out_dir: Path) -> None:
    """List the templates, the briefs built from them, and their versions."""
    found = author.list_briefs(templates_dir, out_dir)
    if not found:
        click.echo(f"no templates in {templates_dir} and no briefs in {out_dir}")
    for item in found:
        where = str(item.template) if item.template else "(no template)"
        click.echo(f"{item.brief}  {where}  {item.title}".rstrip())
        if not item.versions:
            click.echo("  not built yet")
        for v in item.versions:
            mark = "  <- latest" if v.latest else ""
            click.echo(
                f"  v{v.number}  built {v.built}  {out_dir / item.brief / f'v{v.number}'}{mark}"
            )


@main.group()
def corpus() -> None:
    """The corpus: add documents to it."""


@corpus.command("add")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--kind", required=True, type=click.Choice(list(DOCUMENT_KINDS)))
@click.option(
    "--id", "doc_id", default="", help="A slug; from the file name if not given."
)
@click.option("--title", default="", help="From the file if not given.")
@click.option("--date", default="", help="YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--publisher", default="")
@click.option("--author", "authors", multiple=True, help="Repeat for several.")
@click.option(
    "--url", default="", help="Where the document is published (http or https)."
)
@click.option("--language", default="en", show_default=True)
@click.option("--yes", "-y", is_flag=True, help="Write without asking.")
@corpus_option
@reports_errors
def corpus_add(
    file: Path,
    kind: str,
    doc_id: str,
    title: str,
    date: str,
    publisher: str,
    authors: tuple[str, ...],
    url: str,
    language: str,
    yes: bool,
    corpus_dir: Path,
) -> None:
    """Copy FILE into corpus/documents/ and write its manifest entry with the sha256."""
    given = author.Metadata(
        kind, doc_id, title, date, publisher, authors, url, language
    )
    entry = author.plan_document(corpus_dir, file, given)
    click.echo(entry.toml().rstrip())
    if entry.guessed:
        click.echo(f"# read off the file: {', '.join(entry.guessed)}; check them")
    if not yes and sys.stdin.isatty() and not click.confirm("Add it?", default=True):
        click.echo("nothing written")
        return
    target = author.add_document(corpus_dir, file, entry)
    click.echo(f"added {entry.id}: {target}; run 'brief extract' to read its facts")


def file_facts(path: Path) -> tuple[Fact, ...]:
    """Facts of a file outside the corpus; its id is a slug of its name."""
    data = read_file(path)
    doc_id = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "document"
    from extract.facts import extract_facts  # spaCy loads only when it is needed

    return extract_facts(doc_id, sha256_of(data), read_bytes(path, data), path=path)


def matches(fact: Fact, kind: str | None, grep: str | None) -> bool:
    """The same filter the store applies, for facts not in the store."""
    if kind and fact.kind != kind:
        return False
    needle = (grep or "").lower()
    return needle in fact.quote.lower() or needle in fact.text.lower()


def describe(fact: Fact) -> str:
    """One line for a person: id, where, the value, and the sentence."""
    value = f"{fact.value:g} {fact.unit}" if fact.value is not None else ""
    extra = ", ".join(x for x in (fact.qualifier, str(fact.year or "")) if x)
    value += f" ({extra})" if extra else ""
    quote = " ".join(fact.quote.split())
    quote = quote if len(quote) <= 120 else quote[:117] + "..."
    mention = " ".join(fact.text.split())
    if fact.kind == "notice":  # what the extractor could not find, said once
        return f"{fact.id}  {fact.doc} p{fact.page}  notice: {dict(fact.extra).get('message')}"
    return f"{fact.id}  {fact.doc} p{fact.page}  {value}  [{mention}]  {quote}"


def summarise(found: list[Fact]) -> str:
    """Fact counts per document and per unit."""
    if not found:
        return "no facts"
    per_doc = Counter(f.doc for f in found)
    per_unit = Counter(f.unit or f.kind for f in found)
    width = max(len(d) for d in per_doc)
    lines = [f"{d:<{width}}  {n:>5}" for d, n in sorted(per_doc.items())]
    lines.append(f"{'total':<{width}}  {len(found):>5}")
    units = ", ".join(f"{u} {n}" for u, n in per_unit.most_common())
    lines.append(f"by unit (or kind): {units}")
    lines += [
        f"notice: {f.doc}: {dict(f.extra).get('message')}"
        for f in found
        if f.kind == "notice"
    ]
    return "\n".join(lines)
