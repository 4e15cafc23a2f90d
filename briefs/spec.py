"""Brief templates: Quarto markdown with Jinja, and a ``brief:`` block naming inputs.

A template's YAML front matter holds the Quarto options (title, format, ...) and
a ``brief:`` block::

    brief:
      id: battery-dependence
      facts:
        li_share: q3f9a2c71b0e                     # a stable fact id
        ev_share:                                  # or a quote selector:
          doc: briefer-75-battery-dependence       #   a document id
          quote: "only about 30% of electric"      #   an exact phrase around the figure
          occurrence: 2                            #   (only if the phrase repeats)
      trade:
        top_imports: trade/usitc-battery-top-imports-2024.csv   # under the corpus folder
      charts:
        partners:
          kind: partner_shares
          data: top_imports
          caption: "Where US battery supply-chain imports came from, 2024"

The body is Jinja (sandboxed, undefined names are errors) and calls
``fact("li_share")``, ``chart("partners")``. This module only parses; every
problem is a TemplateError naming the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefs.errors import TemplateError

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
CHART_KINDS = (
    "partner_shares",
    "china_share",
    "trade_partner_shares",
    "trade_china_share",
    "trade_imports_by_partner",
)


@dataclass(frozen=True, slots=True)
class FactRef:
    """How a template names a fact: by id, or by document and exact phrase."""

    name: str
    line: int
    fact_id: str | None = None
    doc: str | None = None
    quote: str | None = None
    occurrence: int | None = None


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """A chart a template asks for."""

    name: str
    line: int
    kind: str
    data: str
    caption: str


@dataclass(frozen=True, slots=True)
class BriefSpec:
    """A parsed template."""

    id: str
    path: Path
    source: str
    quarto: dict[str, Any]
    facts: tuple[FactRef, ...]
    trade: tuple[tuple[str, str], ...]
    charts: tuple[ChartSpec, ...]

    def fact_ref(self, name: str) -> FactRef | None:
        """The reference of this name, if the front matter has one."""
        return next((r for r in self.facts if r.name == name), None)

    def chart(self, name: str) -> ChartSpec | None:
        """The chart of this name, if the front matter has one."""
        return next((c for c in self.charts if c.name == name), None)


def load_spec(path: Path) -> BriefSpec:
    """Read and check a template file."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateError(path, None, "template not found") from None
    except UnicodeDecodeError:
        raise TemplateError(path, None, "not valid UTF-8") from None
    return parse_spec(path, source)


def parse_spec(path: Path, source: str) -> BriefSpec:
    """Parse a template's text; ``path`` names it in errors."""
    m = FRONT_MATTER.match(source)
    if not m:
        raise TemplateError(path, 1, "no YAML front matter (--- ... ---) at the top")
    node = compose(path, m.group(1))
    front = yaml.safe_load(m.group(1))
    if not isinstance(front, dict) or not isinstance(front.get("brief"), dict):
        raise TemplateError(path, 1, "front matter needs a 'brief:' block")
    block = front.pop("brief")
    lines = key_lines(node)
    brief_line = lines.get(("brief",), 1)
    brief_id = block.get("id")
    if not isinstance(brief_id, str) or not SLUG.fullmatch(brief_id):
        raise TemplateError(path, brief_line, "brief.id must be a lowercase slug")
    return BriefSpec(
        id=brief_id,
        path=path,
        source=source,
        quarto=front,
        facts=parse_facts(path, block.get("facts") or {}, lines),
        trade=parse_trade(path, block.get("trade") or {}, lines),
        charts=parse_charts(path, block.get("charts") or {}, lines),
    )


def compose(path: Path, text: str) -> yaml.Node | None:
    """The YAML node tree (with line marks), or an error at the bad line."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 2 if e.problem_mark else 1
        raise TemplateError(path, line, f"front matter: {e.problem}") from None


def key_lines(
    node: yaml.Node | None, prefix: tuple[str, ...] = ()
) -> dict[tuple[str, ...], int]:
    """The file line of every mapping key, by its path of keys."""
    found: dict[tuple[str, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = (*prefix, str(key.value))
            found[path] = key.start_mark.line + 2  # after the opening '---'
            found.update(key_lines(value, path))
    return found


def parse_facts(
    path: Path, raw: object, lines: dict[tuple[str, ...], int]
) -> tuple[FactRef, ...]:
    """The ``brief.facts`` mapping as references."""
    if not isinstance(raw, dict):
        raise TemplateError(
            path, lines.get(("brief", "facts")), "brief.facts must be a mapping"
        )
    refs = []
    for name, value in raw.items():
        line = lines.get(("brief", "facts", str(name)), 1)
        refs.append(parse_fact(path, str(name), line, value))
    return tuple(refs)


def parse_fact(path: Path, name: str, line: int, value: object) -> FactRef:
    """One fact reference: an id string, or {doc, quote}."""
    if not NAME.fullmatch(name):
        raise TemplateError(path, line, f"fact name '{name}' is not an identifier")
    if isinstance(value, str):
        return FactRef(name=name, line=line, fact_id=value)
    if isinstance(value, dict) and {"doc", "quote"} <= value.keys():
        doc, quote, nth = value["doc"], value["quote"], value.get("occurrence")
        valid_nth = nth is None or (isinstance(nth, int) and nth >= 1)
        if (
            isinstance(doc, str)
            and isinstance(quote, str)
            and quote.strip()
            and valid_nth
        ):
            return FactRef(name=name, line=line, doc=doc, quote=quote, occurrence=nth)
    msg = f"fact '{name}' must be a fact id or {{doc: ID, quote: \"exact phrase\"[, occurrence: N]}}"
    raise TemplateError(path, line, msg)


def parse_trade(
    path: Path, raw: object, lines: dict[tuple[str, ...], int]
) -> tuple[tuple[str, str], ...]:
    """The ``brief.trade`` mapping: name to a CSV path under the corpus folder."""
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        line = lines.get(("brief", "trade"))
        raise TemplateError(path, line, "brief.trade must map names to CSV paths")
    return tuple((str(k), v) for k, v in raw.items())


def parse_charts(
    path: Path, raw: object, lines: dict[tuple[str, ...], int]
) -> tuple[ChartSpec, ...]:
    """The ``brief.charts`` mapping."""
    if not isinstance(raw, dict):
        raise TemplateError(
            path, lines.get(("brief", "charts")), "brief.charts must be a mapping"
        )
    charts = []
    for name, value in raw.items():
        line = lines.get(("brief", "charts", str(name)), 1)
        if not isinstance(value, dict) or value.get("kind") not in CHART_KINDS:
            kinds = ", ".join(CHART_KINDS)
            raise TemplateError(
                path, line, f"chart '{name}' needs kind: one of {kinds}"
            )
        if not NAME.fullmatch(str(name)):
            raise TemplateError(path, line, f"chart name '{name}' is not an identifier")
        charts.append(
            ChartSpec(
                name=str(name),
                line=line,
                kind=value["kind"],
                data=str(value.get("data", "")),
                caption=str(value.get("caption", "")),
            )
        )
    return tuple(charts)
