"""Render a built brief folder (``brief.qmd``, ``charts/``) to HTML and PDF.

Two engines:

* **quarto**: the real thing, run as a subprocess when a ``quarto`` executable is
  found (``$QUARTO_PATH``, else ``PATH``). The argument list follows the documented
  CLI contract: ``quarto render brief.qmd --to html,typst`` in the brief folder.
* **builtin**: for machines without Quarto. pandoc (from the ``pypandoc-binary``
  wheel) with ``filters/quarto.lua`` writes self-contained HTML and Typst markup;
  the ``typst`` wheel compiles the markup to PDF. The filter covers the Quarto
  constructs briefs use (numbered figures and tables, ``@fig-``/``@tbl-``
  references, callouts), so one ``.qmd`` renders alike under both engines.

Either way a render is all or nothing: a failure leaves no new ``brief.html`` or
``brief.pdf`` (and no temporary files) behind, and every error carries the tail of
the failing tool's own output.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from briefs.errors import BriefError

ENGINES = ("auto", "quarto", "builtin")
SOURCE = "brief.qmd"
OUTPUTS = ("brief.html", "brief.pdf")
# What a Quarto render of brief.qmd may write into the folder besides OUTPUTS:
# the Typst intermediate (kept on failure) and HTML support files (when the
# brief does not embed resources). Cleaned up, with OUTPUTS, after a failure.
QUARTO_BYPRODUCTS = ("brief.typ", "brief_files")
TAIL_LINES = 20
log = logging.getLogger(__name__)
# Quarto 1.7 warns "WARNING (brief.qmd:12:5) Unable to resolve crossref @fig-x"
# and still exits 0, publishing "?@fig-x"; the build treats it as an error.
UNRESOLVED = re.compile(
    r"WARN.*Unable to resolve crossref|unresolved reference @(?:fig|tbl|sec|eq|lst)-"
)
STAGE_PREFIX = ".render-"


class RenderError(BriefError):
    """A brief could not be rendered; the message ends with the tool's last lines."""


@dataclass(frozen=True, slots=True)
class RenderResult:
    """Which engine rendered the brief, and the files it produced (HTML, then PDF)."""

    engine: str
    outputs: tuple[Path, ...]


def find_quarto() -> Path | None:
    """The Quarto executable: ``$QUARTO_PATH`` when set, else ``quarto`` on ``PATH``.

    A ``QUARTO_PATH`` that is set but is not an executable file is an error rather
    than silently ignored: the user asked for that Quarto, and falling back to
    another one (or to the built-in engine) would hide the mistake.
    """
    configured = os.environ.get("QUARTO_PATH", "")
    if configured:
        path = Path(configured)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise RenderError(f"QUARTO_PATH={configured} is not an executable file")
        return path
    found = shutil.which("quarto")
    return Path(found) if found else None


def resolve_engine(engine: str) -> str:
    """The engine a build will use: ``auto`` becomes ``quarto`` when it is found.

    Asking for ``quarto`` is not checked here: the render says it is missing.
    """
    if engine not in ENGINES:
        raise RenderError(
            f"unknown render engine '{engine}' (choose one of {', '.join(ENGINES)})"
        )
    if engine == "auto":
        return "quarto" if find_quarto() is not None else "builtin"
    return engine


def render(folder: Path, engine: str = "auto", timeout: float = 300) -> RenderResult:
    """Render ``folder/brief.qmd`` to ``brief.html`` and ``brief.pdf`` in ``folder``.

    ``engine`` is ``"quarto"`` (Quarto required), ``"builtin"`` (pandoc + Typst) or
    ``"auto"`` (Quarto when found, else built-in). ``timeout`` bounds each external
    process, in seconds.
    """
    if engine not in ENGINES:
        raise RenderError(
            f"unknown render engine '{engine}' (choose one of {', '.join(ENGINES)})"
        )
    folder = Path(folder).resolve()
    if not (folder / SOURCE).is_file():
        raise RenderError(f"{folder / SOURCE} does not exist; build the brief first")
    if engine == "builtin":
        return render_builtin(folder, timeout)
    quarto = find_quarto()
    if quarto is not None:
        return render_quarto(quarto, folder, timeout)
    if engine == "quarto":
        raise RenderError(
            "Quarto was not found: install it (https://quarto.org/docs/get-started/) "
            "or set QUARTO_PATH to the quarto executable, or use the built-in engine"
        )
    return render_builtin(folder, timeout)


# Quarto ------------------------------------------------------------------------


def quarto_argv(quarto: Path) -> list[str]:
    """The Quarto command line, per ``quarto render [input] [--to FORMAT[,FORMAT]]``.

    Both formats are named with ``--to`` rather than relying on the front matter:
    a template whose ``format:`` lists only one of them still yields both files, and
    one process means Quarto starts once. Format options (``embed-resources``,
    ``papersize``) still come from the front matter. Quarto's ``typst`` format
    writes ``brief.pdf`` through its bundled Typst (no TeX needed).
    """
    return [str(quarto), "render", SOURCE, "--to", "html,typst"]


def render_quarto(quarto: Path, folder: Path, timeout: float) -> RenderResult:
    """Run Quarto in the brief folder and check that both outputs appeared.

    Quarto's exit code alone is not trusted (several releases exit 0 on failure),
    so success also requires both output files, fresh and non-empty: earlier
    outputs are moved aside first, and put back if this render fails.
    """
    with quarto_transaction(folder):
        output = run_tool("quarto render", quarto_argv(quarto), folder, timeout)
        unresolved = [line.strip() for line in output.splitlines()
                      if UNRESOLVED.search(line)]  # fmt: skip
        if unresolved:
            shown = "\n".join(f"  {line}" for line in unresolved)
            raise RenderError(
                f"quarto render left cross-references unresolved in {folder / SOURCE}:\n"
                f"{shown}\n(check the @fig-/@tbl- ids against the figures' and tables' ids)"
            )
        outputs = tuple(folder / name for name in OUTPUTS)
        missing = [p.name for p in outputs if not p.is_file() or p.stat().st_size == 0]
        if missing:
            written = ", ".join(missing)
            raise RenderError(f"quarto render exited 0 but did not write {written}")
        check_html(outputs[0])
        check_pdf(outputs[1])
    for line in output.splitlines():  # shown to the author, not swallowed
        if line.lstrip().startswith("WARN"):
            log.warning("quarto: %s", line.strip())
    return RenderResult(engine="quarto", outputs=outputs)


def check_html(path: Path) -> None:
    """Refuse an HTML output that is not UTF-8 HTML with a non-empty body."""
    from bs4 import BeautifulSoup

    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RenderError(f"{path}: the renderer wrote something that is not HTML "
                          f"(not UTF-8: {e.reason} at byte {e.start})") from None  # fmt: skip
    if "\x00" in text or not text.lstrip()[:200].lower().startswith(
        ("<!doctype html", "<html")
    ):
        raise RenderError(f"{path}: the renderer wrote something that is not HTML")
    body = BeautifulSoup(text, "lxml").body
    if body is None or not (body.get_text(strip=True) or body.find(True)):
        raise RenderError(f"{path}: the renderer wrote HTML without a body")


def check_pdf(path: Path) -> None:
    """Refuse a PDF output that does not open, or has no page."""
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
    except Exception as e:  # pdfminer raises many kinds of error on junk
        raise RenderError(f"{path}: the renderer wrote a PDF that does not open "
                          f"({type(e).__name__})") from None  # fmt: skip
    if pages < 1:
        raise RenderError(f"{path}: the renderer wrote a PDF with no pages")


@contextmanager
def quarto_transaction(folder: Path) -> Iterator[None]:
    """Move earlier outputs aside; on failure, drop what Quarto wrote, restore them."""
    names = OUTPUTS + QUARTO_BYPRODUCTS
    with staging(folder) as backup:
        for name in names:
            if (folder / name).exists():
                (folder / name).rename(backup / name)
        try:
            yield
        except BaseException:
            for name in names:
                remove(folder / name)
                if (backup / name).exists():
                    (backup / name).rename(folder / name)
            raise


# Built-in engine -----------------------------------------------------------------


def render_builtin(folder: Path, timeout: float) -> RenderResult:
    """pandoc + the Lua filter for HTML and Typst markup, the typst wheel for the PDF.

    Everything is written into a hidden staging directory in the folder and moved
    into place only when both files are done.
    """
    pandoc = pandoc_path()
    with staging(folder) as stage, lua_filter() as lua:
        html, typ = stage / OUTPUTS[0], stage / "brief.typ"
        run_pandoc(pandoc, lua, folder, "html", html, timeout)
        run_pandoc(pandoc, lua, folder, "typst", typ, timeout)
        compile_typst(typ, folder, stage / OUTPUTS[1])
        outputs = publish(stage, folder, OUTPUTS)
    return RenderResult(engine="builtin", outputs=outputs)


def pandoc_path() -> Path:
    """The pandoc binary shipped by ``pypandoc-binary`` (or one pypandoc finds)."""
    # Imported here so that importing briefs.render (e.g. for the CLI) stays cheap.
    import pypandoc

    try:
        return Path(pypandoc.get_pandoc_path())
    except OSError as e:
        raise RenderError(f"pandoc not found for the built-in engine ({e}); "
                          "install pypandoc-binary") from None  # fmt: skip


@contextmanager
def lua_filter() -> Iterator[Path]:
    """The Quarto-syntax Lua filter as a real file (package data, maybe zipped)."""
    try:
        packaged = resources.files("briefs") / "filters" / "quarto.lua"
    except NotADirectoryError:
        # An editable install made while briefs/ had no __init__.py registers it
        # as a namespace package, which importlib.resources cannot open (3.11).
        packaged = Path(__file__).with_name("filters") / "quarto.lua"
    with resources.as_file(packaged) as path:
        yield path


def pandoc_argv(pandoc: Path, lua: Path, to: str, output: Path) -> list[str]:
    """pandoc's command line for one output format ("html" or "typst")."""
    # --citeproc after the filter: cross-references are resolved first, and
    # citeproc formats the bibliography the brief names (the Sources section).
    argv = [str(pandoc), SOURCE, "--from", "markdown", "--standalone",
            "--lua-filter", str(lua), "--citeproc", "--output", str(output)]  # fmt: skip
    if to == "html":
        # --embed-resources inlines the SVG charts, so the HTML is one file.
        return [*argv, "--to", "html5", "--embed-resources"]
    return [*argv, "--to", "typst"]


def run_pandoc(
    pandoc: Path, lua: Path, folder: Path, to: str, output: Path, timeout: float
) -> None:
    """Run pandoc in the brief folder, so chart paths resolve as they do for Quarto.

    An unresolved cross-reference fails the render, as it does under Quarto.
    """
    log = run_tool(
        f"pandoc (to {to})", pandoc_argv(pandoc, lua, to, output), folder, timeout
    )
    unresolved = [line.strip() for line in log.splitlines() if UNRESOLVED.search(line)]
    if unresolved:
        shown = "; ".join(dict.fromkeys(unresolved))  # one line: the CLI shows it whole
        raise RenderError(
            f"unresolved cross-references in {folder / SOURCE}: {shown} "
            "(check the @fig-/@tbl- ids against the figures' and tables' ids)"
        )


def compile_typst(typ: Path, folder: Path, pdf: Path) -> None:
    """Compile Typst markup to PDF, resolving chart paths against the brief folder.

    The markup is passed as bytes with ``root=folder``: relative image paths then
    resolve against the folder (not the staging directory) and nothing outside
    the folder can be read. The PDF carries no creation date unless
    ``SOURCE_DATE_EPOCH`` is set, so the same brief gives the same bytes.
    """
    import typst

    source = typ.read_bytes()
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    timestamp = int(epoch) if epoch.isdigit() else None
    if timestamp is None:
        source = b"#set document(date: none)\n" + source
    try:
        compiler = typst.Compiler(source, root=str(folder))
        compiled = compiler.compile(format="pdf", timestamp=timestamp)
    except typst.TypstError as e:
        detail = e.diagnostic or e.message
        raise RenderError(f"typst could not compile the PDF of {folder / SOURCE}:\n"
                          f"{tail(detail)}") from None  # fmt: skip
    except RuntimeError as e:  # not a TypstError: e.g. an unreadable font
        raise RenderError(f"typst could not compile {folder / SOURCE}: {e}") from None
    if not isinstance(compiled, bytes):
        raise RenderError(f"typst returned no PDF for {folder / SOURCE}")
    pdf.write_bytes(compiled)


def publish(stage: Path, folder: Path, names: Sequence[str]) -> tuple[Path, ...]:
    """Move finished files from the staging directory into the folder, all or none."""
    moved: list[Path] = []
    try:
        for name in names:
            os.replace(stage / name, folder / name)
            moved.append(folder / name)
    except OSError as e:
        for path in moved:
            path.unlink(missing_ok=True)
        raise RenderError(f"could not move rendered files into {folder}: {e}") from None
    return tuple(moved)


# Shared helpers -------------------------------------------------------------------


@contextmanager
def staging(folder: Path) -> Iterator[Path]:
    """A hidden temporary directory in the folder (same filesystem: atomic renames)."""
    try:
        stage = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=folder))
    except OSError as e:
        raise RenderError(f"cannot write in {folder}: {e}") from None
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def remove(path: Path) -> None:
    """Delete a file or directory tree if it exists."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def run_tool(what: str, argv: list[str], cwd: Path, timeout: float) -> str:
    """Run a tool without a shell; return its output (stdout and stderr interleaved).

    The tool runs in its own session so that a timeout kills its whole process
    group: Quarto starts deno, pandoc and typst, and a child left running would keep
    the output pipe open and hang the wait.
    """
    try:
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,
        )
    except OSError as e:
        raise RenderError(f"{what}: cannot run {argv[0]}: {e}") from None
    with proc:
        try:
            output, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(proc)
            output, _ = proc.communicate()
            raise RenderError(f"{what} timed out after {timeout:g} s and was stopped:\n"
                              f"{tail(output)}") from None  # fmt: skip
    if proc.returncode != 0:
        raise RenderError(
            f"{what} failed (exit code {proc.returncode}) in {cwd}:\n{tail(output)}"
        )
    return output


def kill_group(proc: subprocess.Popen[str]) -> None:
    """Kill the process and everything it started (its process group)."""
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(proc.pid, signal.SIGKILL)


def tail(output: str, lines: int = TAIL_LINES) -> str:
    """The last non-blank lines of a tool's output, indented, for an error message."""
    kept = [line.rstrip() for line in output.splitlines() if line.strip()][-lines:]
    return "\n".join(f"  {line}" for line in kept) if kept else "  (no output)"
