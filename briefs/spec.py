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
          alt: "..."                               # optional; else generated
        exposure:
          kind: export_control_exposure
          data: top_imports
          codes_from: mofcom-oct-2025-export-controls   # its hs_code facts
          # or codes: ["85076000", "28429040"]
      tables:
        exposure_table:                            # same keys as a chart
          kind: export_control_exposure
          data: top_imports
          codes_from: mofcom-oct-2025-export-controls
          caption: "US imports under the controlled codes"
      series: "Tracebrief Trade Briefs"            # optional series line

The body is Jinja (sandboxed, undefined names are errors) and calls
``fact("li_share")``, ``chart("partners")``, ``table("exposure_table")``.
This module only parses; every problem is a TemplateError naming the file
and line.
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
    "export_control_exposure",
)
TABLE_KINDS = ("export_control_exposure",)


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
    alt: str = ""
    codes: tuple[str, ...] = ()
    codes_from: str = ""


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
    tables: tuple[ChartSpec, ...] = ()
    series: str = ""

    def fact_ref(self, name: str) -> FactRef | None:
        """The reference of this name, if the front matter has one."""
        return next((r for r in self.facts if r.name == name), None)

    def chart(self, name: str) -> ChartSpec | None:
        """The chart of this name, if the front matter has one."""
        return next((c for c in self.charts if c.name == name), None)

    def table(self, name: str) -> ChartSpec | None:
        """The table of this name, if the front matter has one."""
        return next((t for t in self.tables if t.name == name), None)


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
        tables=parse_charts(path, block.get("tables") or {}, lines, "tables"),
        series=parse_series(path, block.get("series"), lines),
    )


def parse_series(path: Path, raw: object, lines: dict[tuple[str, ...], int]) -> str:
    """The optional series line: one line of text."""
    if raw is None:
        return ""
    if not isinstance(raw, str) or "\n" in raw.strip():
        line = lines.get(("brief", "series"))
        raise TemplateError(path, line, "brief.series must be one line of text")
    return raw.strip()


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
    path: Path, raw: object, lines: dict[tuple[str, ...], int], key: str = "charts"
) -> tuple[ChartSpec, ...]:
    """The ``brief.charts`` (or ``brief.tables``) mapping."""
    if not isinstance(raw, dict):
        raise TemplateError(
            path, lines.get(("brief", key)), f"brief.{key} must be a mapping"
        )
    kinds = CHART_KINDS if key == "charts" else TABLE_KINDS
    what = key.removesuffix("s")
    charts = []
    for name, value in raw.items():
        line = lines.get(("brief", key, str(name)), 1)
        if not isinstance(value, dict) or value.get("kind") not in kinds:
            raise TemplateError(
                path, line, f"{what} '{name}' needs kind: one of {', '.join(kinds)}"
            )
        if not NAME.fullmatch(str(name)):
            raise TemplateError(
                path, line, f"{what} name '{name}' is not an identifier"
            )
        charts.append(
            ChartSpec(
                name=str(name),
                line=line,
                kind=value["kind"],
                data=str(value.get("data", "")),
                caption=str(value.get("caption", "")),
                alt=" ".join(str(value.get("alt", "")).split()),
                codes=parse_codes(path, line, value.get("codes")),
                codes_from=str(value.get("codes_from", "")),
            )
        )
    return tuple(charts)


def parse_codes(path: Path, line: int, raw: object) -> tuple[str, ...]:
    """``codes:``, a list of HS codes of 6 to 10 digits (dots allowed)."""
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    codes = tuple(str(c).replace(".", "").strip() for c in items)
    if not all(re.fullmatch(r"\d{6,10}", c) for c in codes):
        raise TemplateError(path, line, "codes: must list HS codes of 6 to 10 digits")
    return codes
