"""The author's loop: add a document, start a brief, list what exists, rebuild on save.

Each function returns records and raises the library's errors; ``briefs.cli``
only prints them.

- ``add_document`` copies a file into ``corpus/documents/``, guesses its
  metadata (a PDF's info dictionary or first page, an HTML ``<title>``, a
  Markdown heading) where the author gave none, and appends its manifest
  entry with the sha256, writing the manifest atomically and reloading it to
  prove it still parses.
- ``scaffold`` writes a commented template that builds at once, citing one
  real fact of the corpus by quote selector.
- ``list_briefs`` gives the templates, the briefs built from them and their
  versions with build dates.
- ``watch`` rebuilds whenever a template, a corpus file or a trade snapshot
  changes.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from briefs.errors import BuildError
from briefs.versions import MANIFEST, versions
from extract.corpus import DOCUMENT_KINDS, MANIFEST_NAME, SLUG, load_corpus, sha256_of
from extract.errors import ManifestError
from extract.records import Fact

DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?")
DOCUMENTS = "documents"


# --------------------------------------------------------------------------
# Adding a document to the corpus
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """A manifest entry about to be written (or just written)."""

    id: str
    file: str
    kind: str
    title: str
    sha256: str
    publisher: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""
    url: str = ""
    language: str = "en"
    guessed: tuple[str, ...] = ()  # the fields read off the file, not given

    def toml(self) -> str:
        """The entry as a ``[[document]]`` table (TOML strings are JSON strings)."""
        q = json.dumps
        lines = [
            "[[document]]",
            f"id = {q(self.id)}",
            f"file = {q(self.file)}",
            f"kind = {q(self.kind)}",
            f"title = {q(self.title, ensure_ascii=False)}",
            f"publisher = {q(self.publisher, ensure_ascii=False)}",
            f"authors = [{', '.join(q(a, ensure_ascii=False) for a in self.authors)}]",
            f"date = {q(self.date)}",
            f"url = {q(self.url)}",
            f"language = {q(self.language)}",
            f"sha256 = {q(self.sha256)}",
        ]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class Metadata:
    """What an author told us about a document; empty strings are unknown."""

    kind: str
    id: str = ""
    title: str = ""
    date: str = ""
    publisher: str = ""
    authors: tuple[str, ...] = ()
    url: str = ""
    language: str = "en"


def plan_document(corpus_root: Path, source: Path, given: Metadata) -> Entry:
    """The manifest entry ``add_document`` would write, guessing what was not given."""
    if given.kind not in DOCUMENT_KINDS:
        raise ManifestError(source, f"unknown kind '{given.kind}'")
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        raise ManifestError(source, "file not found") from None
    except IsADirectoryError:
        raise ManifestError(source, "is a folder, not a document") from None
    if not data:
        raise ManifestError(source, "is empty")
    if given.date and not DATE.fullmatch(given.date):
        raise ManifestError(
            source, f"--date '{given.date}' is not YYYY, YYYY-MM or YYYY-MM-DD"
        )
    doc_id = given.id or re.sub(r"[^a-z0-9]+", "-", source.stem.lower()).strip("-")
    if not SLUG.fullmatch(doc_id):
        raise ManifestError(
            source, f"id '{doc_id}' is not a lowercase slug (a-z, 0-9, -)"
        )
    corpus = load_corpus(corpus_root)
    sha = sha256_of(data)
    for doc in corpus.documents:
        if doc.id == doc_id:
            raise ManifestError(
                corpus.manifest, f"a document '{doc_id}' is already listed"
            )
        if doc.sha256 == sha:
            raise ManifestError(source, f"is already in the corpus as '{doc.id}'")
    guess = guess_metadata(source, data)
    filled = {
        k: getattr(given, k) or guess.get(k, "") for k in ("title", "date", "publisher")
    }
    authors = given.authors or tuple(
        a for a in guess.get("authors", "").split(";") if a.strip()
    )
    guessed = tuple(
        k
        for k in ("title", "date", "publisher")
        if not getattr(given, k) and guess.get(k)
    )
    guessed += ("authors",) if authors and not given.authors else ()
    return Entry(
        id=doc_id,
        file=f"{DOCUMENTS}/{source.name}",
        kind=given.kind,
        title=filled["title"] or source.stem,
        sha256=sha,
        publisher=filled["publisher"],
        authors=tuple(a.strip() for a in authors),
        date=filled["date"],
        url=given.url,
        language=given.language,
        guessed=guessed,
    )


def add_document(corpus_root: Path, source: Path, entry: Entry) -> Path:
    """Copy ``source`` into the corpus and append ``entry``; nothing half-written.

    The file is copied first, then the manifest is rewritten through a
    temporary file and reloaded; if it does not load, both are undone.
    """
    target = corpus_root / entry.file
    if target.exists() and sha256_of(target.read_bytes()) != entry.sha256:
        raise ManifestError(target, "a different file of this name is already there")
    manifest = corpus_root / MANIFEST_NAME
    before = manifest.read_text(encoding="utf-8")
    copied = not target.exists()
    target.parent.mkdir(parents=True, exist_ok=True)
    if copied:
        shutil.copyfile(source, target)
    sep = (
        ""
        if before.endswith("\n\n") or not before
        else "\n"
        if before.endswith("\n")
        else "\n\n"
    )
    try:
        write_atomically(manifest, before + sep + entry.toml())
        load_corpus(corpus_root)
    except BaseException:
        write_atomically(manifest, before)
        if copied:
            target.unlink(missing_ok=True)
        raise
    return target


def write_atomically(path: Path, text: str) -> None:
    """Replace a file's text through a temporary file and a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def guess_metadata(source: Path, data: bytes) -> dict[str, str]:
    """Title, date, authors and publisher read off the file, where it says."""
    suffix = source.suffix.lower()
    if suffix == ".pdf":
        return pdf_metadata(source)
    text = data.decode("utf-8", "replace")
    if suffix in (".html", ".htm"):
        m = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        return {"title": " ".join(m.group(1).split())} if m else {}
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return {"title": line[:200]}
    return {}


def pdf_metadata(source: Path) -> dict[str, str]:
    """A PDF's info dictionary, and its first page's first line for a title."""
    import pdfplumber  # only a PDF needs it

    out: dict[str, str] = {}
    try:
        with pdfplumber.open(source) as pdf:
            info = {k: str(v).strip() for k, v in (pdf.metadata or {}).items()}
            first = (pdf.pages[0].extract_text() or "") if pdf.pages else ""
    except Exception as e:  # pdfminer raises many kinds on a damaged file
        raise ManifestError(
            source, f"not a readable PDF ({type(e).__name__})"
        ) from None
    title = info.get("Title", "")
    if not title or title.lower() in ("untitled", "microsoft word - document1"):
        title = next(
            (ln.strip() for ln in first.splitlines() if len(ln.strip()) > 8), ""
        )
    out["title"] = title
    if m := PDF_DATE.match(info.get("CreationDate", "")):
        out["date"] = "-".join(p for p in m.groups() if p)
    if info.get("Author"):
        out["authors"] = info["Author"].replace(",", ";")
    return {k: v for k, v in out.items() if v}


# --------------------------------------------------------------------------
# A new template
# --------------------------------------------------------------------------


def new_template_path(templates_dir: Path, name: str) -> Path:
    """Where a new brief's template goes, refusing a bad or taken name."""
    if not SLUG.fullmatch(name):
        raise BuildError(f"{name}: a brief name is a lowercase slug (a-z, 0-9, -)")
    path = templates_dir / f"{name}.qmd.j2"
    if path.exists():
        raise BuildError(f"{path}: already exists; pick another name or edit it")
    return path


def scaffold(templates_dir: Path, name: str, facts: Sequence[Fact]) -> Path:
    """Write ``templates_dir/NAME.qmd.j2``, citing one quantity of ``facts``."""
    path = new_template_path(templates_dir, name)
    example = example_fact(facts)
    templates_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(template_text(name, example), encoding="utf-8")
    return path


def example_fact(facts: Sequence[Fact]) -> tuple[str, str] | None:
    """A (document, phrase) that selects exactly one quantity: its mention, if unique."""
    for fact in facts:
        if fact.kind != "quantity" or fact.value is None:
            continue
        same_doc = [f for f in facts if f.doc == fact.doc and fact.text in f.quote]
        if len(same_doc) == 1 and '"' not in fact.text and "\\" not in fact.text:
            return fact.doc, fact.text
    return None


def template_text(name: str, example: tuple[str, str] | None) -> str:
    """A new brief's template: front matter, comments, and one cited figure."""
    title = name.replace("-", " ").capitalize()
    cited = ""
    facts_block = "  facts: {}\n"
    if example is not None:
        doc, phrase = example
        facts_block = (
            "  facts:\n"
            "    # A name for each figure you cite, and where it is: the document's\n"
            "    # id and an exact phrase around the figure (find both with\n"
            "    # `brief facts --grep WORD` or `brief facts --value 73%`).\n"
            "    example:\n"
            f"      doc: {doc}\n"
            f"      quote: {json.dumps(phrase, ensure_ascii=False)}\n"
        )
        cited = (
            'One figure from the corpus, cited: {{ fact("example") }}. Every figure in\n'
            "the prose should come through `fact()` like this one, so that readers\n"
            "see its source and `brief trace` can check it.\n"
        )
    return (
        "---\n"
        f"title: {json.dumps(title)}\n"
        'author: "Your name"\n'
        "lang: en\n"
        "format:\n"
        "  html:\n"
        "    embed-resources: true\n"
        "  typst:\n"
        "    papersize: us-letter\n"
        "brief:\n"
        f"  id: {name}\n"
        f"{facts_block}"
        "---\n"
        "{#- This is Quarto markdown with Jinja. Comments like this one are not\n"
        "    printed. Build with `brief build templates/" + name + ".qmd.j2`; the\n"
        "    result is in out/" + name + "/latest/. See the README's \"Writing a\n"
        '    brief" for charts (brief.charts) and trade snapshots (brief.trade). -#}\n'
        "\n"
        "## Key points\n"
        "\n"
        f"{cited}"
        "\n"
        "::: {.callout-note}\n"
        "## Next steps\n"
        "\n"
        "Replace this note with the brief's argument.\n"
        ":::\n"
    )


# --------------------------------------------------------------------------
# What exists
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Version:
    """One built version of a brief."""

    number: int
    built: str  # ISO 8601 UTC, from the manifest or the folder's time
    latest: bool


@dataclass(frozen=True, slots=True)
class Listing:
    """A template and the versions built from it."""

    brief: str
    template: Path | None
    title: str
    versions: tuple[Version, ...]


def list_briefs(templates_dir: Path, out_dir: Path) -> list[Listing]:
    """Every template's brief and every built brief, with their versions."""
    seen: dict[str, Listing] = {}
    for path in sorted(templates_dir.glob("*.qmd.j2")):
        brief, title = template_identity(path)
        seen[brief] = Listing(brief, path, title, built_versions(out_dir / brief))
    if out_dir.is_dir():
        for folder in sorted(p for p in out_dir.iterdir() if p.is_dir()):
            if folder.name not in seen and versions(folder):
                seen[folder.name] = Listing(
                    folder.name, None, "", built_versions(folder)
                )
    return [seen[k] for k in sorted(seen)]


def template_identity(path: Path) -> tuple[str, str]:
    """A template's brief id and title, read from its front matter."""
    text = path.read_text(encoding="utf-8", errors="replace")
    parts = text.split("---", 2)
    meta: object = None
    if len(parts) == 3:
        try:
            meta = yaml.safe_load(parts[1])
        except yaml.YAMLError:
            meta = None
    stem = path.name.removesuffix(".qmd.j2")
    if not isinstance(meta, dict):
        return stem, "(front matter does not parse)"
    brief = meta.get("brief")
    brief_id = brief.get("id", stem) if isinstance(brief, dict) else stem
    return str(brief_id), str(meta.get("title", ""))


def built_versions(brief_dir: Path) -> tuple[Version, ...]:
    """The versions in a brief's folder, oldest first, with when each was built."""
    numbers = versions(brief_dir)
    link = brief_dir / "latest"
    newest = link.resolve().name if link.is_symlink() else ""
    return tuple(
        Version(n, built_time(brief_dir / f"v{n}"), f"v{n}" == newest) for n in numbers
    )


def built_time(folder: Path) -> str:
    """The build time a version's manifest records, else its folder's time."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        manifest = {}
    for key in ("built_at", "built", "build_time"):
        if isinstance(manifest.get(key), str):
            return str(manifest[key])
    stamp = datetime.datetime.fromtimestamp(folder.stat().st_mtime, datetime.UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------
# Rebuild on save
# --------------------------------------------------------------------------


def snapshot_times(roots: Iterable[Path]) -> dict[Path, float]:
    """The modification time of every file under the roots (or of a root file)."""
    times: dict[Path, float] = {}
    for root in roots:
        paths = [root] if root.is_file() else root.rglob("*") if root.is_dir() else []
        for path in paths:
            try:
                if path.is_file() and not path.name.startswith("."):
                    times[path] = path.stat().st_mtime_ns
            except OSError:
                continue
    return times


def watch(
    roots: Sequence[Path],
    rebuild: Callable[[], None],
    interval: float = 0.5,
    stop: Callable[[], bool] = lambda: False,
) -> None:
    """Call ``rebuild`` now and after every change under ``roots``, until ``stop``.

    The files are looked at before each build, so a save made while a build
    runs starts another one.
    """
    seen = snapshot_times(roots)
    rebuild()
    while not stop():
        time.sleep(interval)
        now = snapshot_times(roots)
        if now != seen:
            seen = now
            rebuild()
