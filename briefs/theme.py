"""The house look of every chart: one theme, one palette, one label rule.

Both chart modules (:mod:`briefs.charts` for published tables and
:mod:`briefs.trade.charts` for trade frames) draw with these values, so a
chart looks the same whichever data it comes from and whichever engine
renders the brief.

Sizes are chosen for the page, not the screen: a chart is ``WIDTH`` pixels
wide in all (labels and legend included, Vega-Lite's ``fit-x``) and is shown
at the text width, which is 468 pt on US letter with Typst's margins and
about 620-720 px in the HTML column. At that scale the ``NOTE_SIZE`` source
note prints at about 9 pt in the PDF and at 12 px or more in the HTML.

The palette is Okabe and Ito's, designed to stay distinct under the common
colour-vision deficiencies: China in vermillion, other partners in blues and
greens, what is not broken down in grey. Nothing here writes files.
"""

from __future__ import annotations

import re
import textwrap

import altair as alt

FONT = "Liberation Sans"
WIDTH = 560  # px, the whole chart
LABEL_SIZE = 12  # px, axis and legend labels
NOTE_SIZE = 13  # px, the source note under the chart
NOTE_COLOR = "#444444"
NOTE_CHARS = 80  # characters per source-note line at NOTE_SIZE and WIDTH
LABEL_CHARS = 38  # characters per category-label line
CATEGORY_STEP = 36  # px per category band: room for two label lines
TEXT_COLOR = "#222222"

# Okabe & Ito (2008), "Color Universal Design".
CHINA_COLOR = "#D55E00"  # vermillion
PARTNER_COLORS = ("#0072B2", "#56B4E9", "#009E73", "#CC79A7", "#E69F00", "#F0E442")
REST_COLOR = "#B8B8B8"  # grey: the part a source does not break down

# Category labels carry "\n" where they wrap; Vega draws an array as lines.
LINES_EXPR = "split(datum.label, '\\n')"
NBSP = "\u00a0"


def wrap_label(text: str, width: int = LABEL_CHARS) -> str:
    """A category label wrapped onto lines of at most ``width`` characters;
    a closing parenthesis (the code) is kept on one line.

    >>> wrap_label("Lithium-Ion Storage Batteries, Nesoi (8507600020)", 24)
    'Lithium-Ion Storage\\nBatteries, Nesoi\\n(8507600020)'
    >>> wrap_label("Lithium iron phosphate, etc. (HS 284290)", 38)
    'Lithium iron phosphate, etc.\\n(HS 284290)'
    """
    text = re.sub(
        r"\([^()]*\)$", lambda m: m[0].replace(" ", NBSP), " ".join(text.split())
    )
    lines = textwrap.wrap(text, width, break_on_hyphens=False)
    return "\n".join(lines).replace(NBSP, " ") or text


def category_axis(field: str, sort: list[str]) -> alt.Y:
    """A y axis of wrapped category labels in the given order, never cut short."""
    return alt.Y(
        field,
        sort=sort,
        title=None,
        axis=alt.Axis(labelExpr=LINES_EXPR, labelLimit=0, labelLineHeight=14),
    )


def banded(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """A chart of category bands, each tall enough for its wrapped label."""
    return chart.properties(height=alt.Step(CATEGORY_STEP))


def theme(chart: alt.TopLevelMixin, source_note: str) -> alt.Chart:
    """The house look, with the source note under the chart."""
    lines = textwrap.wrap(source_note, NOTE_CHARS)
    themed: alt.Chart = (
        chart.properties(
            width=WIDTH,
            title=alt.TitleParams(
                lines,
                orient="bottom",
                anchor="start",
                fontSize=NOTE_SIZE,
                fontWeight="normal",
                color=NOTE_COLOR,
                offset=14,
                lineHeight=15,
            ),
        )
        .configure(
            font=FONT,
            autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        )
        .configure_view(stroke=None)
        .configure_axis(
            labelFontSize=LABEL_SIZE,
            titleFontSize=LABEL_SIZE,
            labelColor=TEXT_COLOR,
            titleColor=TEXT_COLOR,
            titleFontWeight="normal",
            grid=False,
        )
        .configure_legend(
            orient="top", title=None, labelFontSize=LABEL_SIZE, labelLimit=0
        )
    )
    return themed
