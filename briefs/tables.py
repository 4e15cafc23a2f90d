"""Tables drawn from trade snapshots, as Quarto pipe tables.

A table is markdown with a ``: caption {#tbl-name}`` line (documented Quarto
syntax, numbered by both engines) and a source note under it naming the
dataset and codes, so every number in it is cited. Unknown values are
written as such, never as zero. Pure: the build passes the markdown to the
template's ``table(name)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from briefs.charts import exposure_frame
from briefs.compose import md_escape, table_id
from briefs.snapshot import Snapshot
from briefs.spec import ChartSpec
from briefs.trade.charts import usd_unit
from briefs.trade.exposure import label, latest, share_words


def exposure_markdown(
    table: ChartSpec, snapshot: Snapshot, codes: Sequence[str]
) -> str:
    """The export-control exposure table: per HS-6 subheading, the reference
    codes, US imports from all sources and from China, and China's share."""
    frame, note = exposure_frame(snapshot, codes)
    rows = latest(frame)
    divisor, words = usd_unit(float(rows["total_usd"].max()))
    unit = md_escape(f"$ {words.removesuffix('US dollars').strip()}".strip())
    bounds = rows["bound"] if "bound" in rows.columns else [None] * len(rows)
    lines = [
        f"| HS-6 subheading | Chinese reference codes | US imports, {unit} | From China, {unit} | China's share |",
        # Dashes set the relative column widths (pandoc and Quarto alike).
        "|:------------------------|:----------|-----------:|-----------:|-------------:|",
    ]
    for row, bound in zip(rows.itertuples(index=False), bounds, strict=True):
        china = (
            "unknown"
            if pd.isna(row.china_usd)
            else amount(float(row.china_usd), divisor)
        )
        share = share_words(row.share_percent, bound)
        share = share.removesuffix(" from China").replace("China's share ", "")
        cells = (
            md_escape(label(row.description, row.hs6, row.description_code)),
            md_escape(str(row.reference_codes)),
            amount(float(row.total_usd), divisor),
            china,
            share,
        )
        lines.append("| " + " | ".join(cells) + " |")
    caption = md_escape(table.caption or "US imports under the controlled codes")
    lines += ["", f": {caption} {{#{table_id(table.name)}}}", ""]
    lines.append(f"::: {{.table-note}}\n{md_escape(note)}\n:::")
    return "\n".join(lines) + "\n"


def amount(value: float, divisor: float) -> str:
    """A value in the table's unit, one decimal: ``22.5``.

    >>> amount(22.51e9, 1e9), amount(950e6, 1e9)
    ('22.5', '0.9')
    """
    return f"{value / divisor:,.1f}"


TABLE_BUILDERS = {"export_control_exposure": exposure_markdown}
