"""The import tree of both packages has no cycle, function-level imports included.

Every ``import`` statement counts, wherever it sits (a function-level import
hides a cycle from Python's loader but not from the reader of the code), so
the modules of ``extract/`` and ``briefs/`` form a tree that follows the
pipeline: ``facts`` above the kind extractors, readers and records below.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("extract", "briefs")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {
        module_name(p): p
        for pkg in PACKAGES
        for p in sorted((ROOT / pkg).rglob("*.py"))
    }


def imported(path: Path, name: str, known: dict[str, Path]) -> Iterator[str]:
    """The project modules a module imports, anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in known:
                    yield sub
                elif base in known:
                    yield base


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {
        name: set(imported(path, name, known)) - {name} for name, path in known.items()
    }


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph.get(start, ()))
    while todo:
        v = todo.pop()
        if v not in seen:
            seen.add(v)
            todo.extend(graph.get(v, ()))
    return seen


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or not."""
    reach = {v: reachable(graph, v) for v in graph}
    groups = {
        tuple(sorted({v} | {w for w in reach[v] if v in reach.get(w, ())}))
        for v in graph
        if v in reach[v]
    }
    return sorted(list(g) for g in groups)


def test_the_graph_sees_the_real_imports() -> None:
    graph = import_graph()
    assert "extract.kinds.claims" in graph["extract.facts"]
    assert "extract.records" in graph["extract.kinds.claims"]


def test_cycles_are_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


# No cycle is left (the chart modules share briefs.theme); add nothing here.
KNOWN: list[list[str]] = []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle(package: str) -> None:
    graph = import_graph()
    found = [c for c in cycles(graph) if c[0].split(".")[0] == package]
    known = [c for c in KNOWN if c[0].split(".")[0] == package]
    assert found == known, f"import cycles in {package}/: {found}"


def test_both_chart_modules_use_the_one_theme() -> None:
    graph = import_graph()
    assert "briefs.theme" in graph["briefs.charts"]
    assert "briefs.theme" in graph["briefs.trade.charts"]
    assert "briefs.charts" not in graph["briefs.trade.charts"]
    assert graph["briefs.theme"] == set()


def test_kind_extractors_import_nothing_above_them() -> None:
    graph = import_graph()
    above = {"extract.facts", "extract.refresh", "extract.store"}
    for name, deps in graph.items():
        if name.startswith("extract.kinds."):
            assert not deps & above, f"{name} imports {sorted(deps & above)}"
