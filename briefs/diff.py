"""What changed between two versions of a brief.

Claims are matched by the name the template gives them (the fact's id when
the template cites by id), so renumbering does not read as a change. The
diff lists claims added and removed, values that changed, quotes or sources
that changed, the inputs that changed (documents, trade snapshots, template,
tool, extractor and engine, from each version's manifest) and a word diff of
the prose a reader sees.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefs.claims import Claim, load_claims
from briefs.compose import plain_text
from briefs.errors import TraceError
from briefs.versions import read_manifest, versions

CONTEXT_WORDS = 6
VERSION_ARG = re.compile(r"v\d+")


@dataclass(frozen=True, slots=True)
class Change:
    """One claim whose value, quote or source differs between the versions."""

    name: str
    what: str  # "value" or "quote/source"
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Diff:
    """The differences between an old and a new version."""

    old: Path
    new: Path
    added: tuple[Claim, ...]
    removed: tuple[Claim, ...]
    changed: tuple[Change, ...]
    inputs: tuple[tuple[str, str, str], ...]  # input, old, new
    prose: tuple[tuple[str, str, str], ...]  # before, removed, added (and after)

    def text(self) -> str:
        """The diff as lines of text."""
        out = [f"{label(self.old)} -> {label(self.new)}"]
        out += section("claims added", [claim_line(c) for c in self.added])
        out += section("claims removed", [claim_line(c) for c in self.removed])
        out += section("claims changed", [f"{c.name} ({c.what}): {c.old} -> {c.new}"
                                          for c in self.changed])  # fmt: skip
        out += section("inputs changed", [f"{k}: {a or '(none)'} -> {b or '(none)'}"
                                          for k, a, b in self.inputs])  # fmt: skip
        out += section("prose", [f"…{a} [-{r}-]{{+{n}+}} …" for a, r, n in self.prose])
        if len(out) == 1:
            out.append("no differences")
        return "\n".join(out) + "\n"

    def html(self) -> str:
        """The diff as a self-contained page."""
        body = [f"<h1>{esc(label(self.old))} → {esc(label(self.new))}</h1>"]
        body += html_list("Claims added", [esc(claim_line(c)) for c in self.added])
        body += html_list("Claims removed", [esc(claim_line(c)) for c in self.removed])
        body += html_list("Claims changed", [
            f"{esc(c.name)} ({esc(c.what)}): <del>{esc(c.old)}</del> <ins>{esc(c.new)}</ins>"
            for c in self.changed
        ])  # fmt: skip
        body += html_list("Inputs changed", [
            f"{esc(k)}: <del>{esc(a or '(none)')}</del> <ins>{esc(b or '(none)')}</ins>"
            for k, a, b in self.inputs
        ])  # fmt: skip
        body += html_list("Prose", [
            f"…{esc(a)} <del>{esc(r)}</del> <ins>{esc(n)}</ins> …" for a, r, n in self.prose
        ])  # fmt: skip
        style = "del{background:#fdd}ins{background:#dfd}body{font:15px system-ui;max-width:60em;margin:2em auto}"
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>Diff</title><style>{style}</style></head><body>"
            + "\n".join(body) + "</body></html>\n"
        )  # fmt: skip


def esc(text: str) -> str:
    """HTML-escaped text."""
    return html.escape(text, quote=True)


def label(version_dir: Path) -> str:
    """``brief-id v2``."""
    return f"{version_dir.parent.name} {version_dir.name}"


def claim_line(c: Claim) -> str:
    """A claim in one line: name, value, source."""
    return f"{c.name}: {c.rendered} ({c.doc}, {c.location.label})"


def section(title: str, lines: Sequence[str]) -> list[str]:
    """A titled block of lines, or nothing when empty."""
    return [f"{title}:", *(f"  {line}" for line in lines)] if lines else []


def html_list(title: str, items: Sequence[str]) -> list[str]:
    """A titled list, or nothing when empty."""
    if not items:
        return []
    return [f"<h2>{esc(title)}</h2><ul>", *(f"<li>{i}</li>" for i in items), "</ul>"]


def parse_diff_args(args: Sequence[str], out: Path) -> tuple[Path, Path]:
    """``[BRIEF] [vA vB]`` to two version folders (default: the last two)."""
    picks = [a for a in args if VERSION_ARG.fullmatch(a)]
    names = [a for a in args if not VERSION_ARG.fullmatch(a)]
    if len(names) > 1 or len(picks) not in (0, 2):
        raise TraceError("usage: brief diff [BRIEF] [vA vB]")
    brief_dir = find_brief(names[0] if names else None, out)
    built = versions(brief_dir)
    if picks:
        old, new = (brief_dir / p for p in picks)
        for v in (old, new):
            if not v.is_dir():
                have = ", ".join(f"v{n}" for n in built) or "none"
                raise TraceError(f"{v}: no such version (built: {have})")
        return old, new
    if len(built) < 2:
        raise TraceError(
            f"{brief_dir}: needs two versions to compare (has {len(built)})"
        )
    return brief_dir / f"v{built[-2]}", brief_dir / f"v{built[-1]}"


def find_brief(name: str | None, out: Path) -> Path:
    """The folder of a brief: a path, an id under ``out``, or the only one there."""
    if name is not None:
        path = Path(name)
        if path.is_dir() and versions(path):
            return path
        if (out / name).is_dir():
            return out / name
        raise TraceError(f"{out / name}: no such brief")
    briefs = (
        sorted(p for p in out.iterdir() if p.is_dir() and versions(p))
        if out.is_dir()
        else []
    )
    if len(briefs) != 1:
        found = ", ".join(p.name for p in briefs) or "none"
        raise TraceError(f"{out}: name the brief to compare (briefs: {found})")
    return briefs[0]


def diff_versions(old: Path, new: Path) -> Diff:
    """Compare two built versions of a brief."""
    a = {c.name: c for c in load_claims(old).claims}
    b = {c.name: c for c in load_claims(new).claims}
    return Diff(
        old=old,
        new=new,
        added=tuple(b[n] for n in b if n not in a),
        removed=tuple(a[n] for n in a if n not in b),
        changed=tuple(ch for n in a if n in b for ch in claim_changes(a[n], b[n])),
        inputs=tuple(input_changes(read_manifest(old), read_manifest(new))),
        prose=tuple(word_diff(prose(old), prose(new))),
    )


def claim_changes(a: Claim, b: Claim) -> list[Change]:
    """How one claim differs: its value, or its quote or source."""
    out = []
    if (a.rendered, a.value, a.unit) != (b.rendered, b.value, b.unit):
        out.append(Change(a.name, "value", a.rendered, b.rendered))
    old_src = f"{a.doc} {a.location.label}: “{' '.join(a.quote.split())}”"
    new_src = f"{b.doc} {b.location.label}: “{' '.join(b.quote.split())}”"
    if (a.doc, a.quote, a.location.label) != (b.doc, b.quote, b.location.label):
        out.append(Change(a.name, "quote/source", old_src, new_src))
    return out


def flatten(inputs: object, prefix: str = "") -> dict[str, str]:
    """Nested manifest inputs as ``documents.crs-if12517`` -> value."""
    if isinstance(inputs, dict):
        flat: dict[str, str] = {}
        for k, v in inputs.items():
            flat.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return flat
    return {prefix: str(inputs)}


def input_changes(
    a: dict[str, object], b: dict[str, object]
) -> list[tuple[str, str, str]]:
    """Inputs whose value (version or sha256) differs."""
    fa, fb = flatten(a.get("inputs", {})), flatten(b.get("inputs", {}))
    return [
        (k, fa.get(k, ""), fb.get(k, ""))
        for k in sorted(set(fa) | set(fb))
        if fa.get(k) != fb.get(k)
    ]


def prose(version_dir: Path) -> list[str]:
    """The words a reader sees in the brief's body (no notes, no front matter)."""
    qmd = (version_dir / "brief.qmd").read_text(encoding="utf-8")
    body = qmd.split("\n---\n", 1)[1] if qmd.startswith("---") else qmd
    lines = [ln for ln in body.splitlines()
             if not ln.startswith(("[^", "<!--", ":::", "{{"))]  # fmt: skip
    return plain_text("\n".join(lines)).split()


def word_diff(a: list[str], b: list[str]) -> list[tuple[str, str, str]]:
    """Changed runs of words, each with a few words of context before it."""
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before = " ".join(a[max(0, i1 - CONTEXT_WORDS) : i1])
        out.append((before, " ".join(a[i1:i2]), " ".join(b[j1:j2])))
    return out
