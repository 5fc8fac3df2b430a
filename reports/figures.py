"""Figures that explain the method, drawn by us as vector SVG in the report's style (our own
design): the five conditions as one connected model, an annotated example spider diagram,
and the consequences of too little and too much attention per condition.

The words come from the method's own vocabulary (scoring.conditions) and the theory texts
the app already holds (scoring.insights.CONSEQUENCES), so figure and text never disagree.
"""

import base64
import math
import textwrap
from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _

from scoring.charts import CONDITION_COLOURS, figure_svg, spider_figure
from scoring.conditions import CONDITION_FIELDS, Condition
from scoring.insights import CONSEQUENCES
from scoring.services import ALL_KEY, Aggregate, Series


@dataclass
class Figure:
    """One numbered figure: a chart we draw (svg), or an uploaded image (data URI)."""

    caption: str
    svg: str = ""
    data_uri: str = ""
    alt: str = ""
    css: str = "chart-img"
    width: int = 100
    aggregate: Aggregate | None = None
    note: str = ""
    number: int = 0

    @property
    def src(self) -> str:
        if self.data_uri:
            return self.data_uri
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


INK, MUTED, LINE = "#1d2433", "#5b6475", "#9aa3b2"
FONT = 'font-family="DejaVu Sans, sans-serif"'


def _lines(x: float, y: float, text: str, *, width: int, size: float, anchor="start", **attrs):
    """Wrapped text as <text> lines (SVG does not wrap); returns (svg, number of lines)."""
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    rows = textwrap.wrap(text, width=width) or [""]
    svg = "".join(
        f'<text x="{x:.1f}" y="{y + i * size * 1.3:.1f}" font-size="{size}" '
        f'text-anchor="{anchor}" fill="{INK}"{extra}>{escape(row)}</text>'
        for i, row in enumerate(rows)
    )
    return svg, len(rows)


def model_svg() -> str:
    """The five conditions on a circle, every one linked to every other: a dynamic system in
    which a change on one condition works through on the other four."""
    size, cx, cy, r = 520, 260, 250, 170
    points = []
    for index in range(len(Condition)):
        angle = math.pi / 2 - 2 * math.pi * index / len(Condition)
        points.append((cx + r * math.cos(angle), cy - r * math.sin(angle)))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} 500" width="{size}" '
        f'height="500" role="img" {FONT}>'
    ]
    for i, (x1, y1) in enumerate(points):
        for x2, y2 in points[i + 1 :]:
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="{LINE}" stroke-width="1.5" stroke-dasharray="4 4"/>'
            )
    centre = escape(_("Samenwerking"))  # not inside the f-string: xgettext would not see it
    parts.append(
        f'<circle cx="{cx}" cy="{cy}" r="52" fill="#f4f6f9" stroke="{LINE}"/>'
        f'<text x="{cx}" y="{cy + 5}" font-size="15" font-weight="bold" text-anchor="middle" '
        f'fill="{INK}">{centre}</text>'
    )
    for condition, (x, y) in zip(Condition, points, strict=True):
        colour = CONDITION_COLOURS[condition]
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="44" fill="white" stroke="{colour}" '
            f'stroke-width="4"/>'
            f'<text x="{x:.1f}" y="{y + 5:.1f}" font-size="14" font-weight="bold" '
            f'text-anchor="middle" fill="{INK}">{escape(str(condition.label))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def model_figure():
    return Figure(
        caption=_("Een samenhangende kijk op samenwerking"),
        svg=model_svg(),
        alt=_(
            "De vijf condities Ambitie, Belangen, Relatie, Organisatie en Proces rond "
            "samenwerking, elk verbonden met alle andere."
        ),
        css="drawn-img",
    )


EXAMPLE = {
    "verteller": (_("Vertellers"), [3.5, 1.5, 2.5, 1.5, 1.0]),
    "reflector": (_("Reflectoren"), [3.0, 2.0, 1.5, 2.0, 1.5]),
    ALL_KEY: (_("Alle deelnemers"), [3.25, 1.75, 2.0, 1.75, 1.25]),
}


def example_spider():
    """A spider diagram with made-up scores and numbered call-outs, and their explanation."""
    series = [
        Series(key, str(label), 8, dict(zip(CONDITION_FIELDS, values, strict=True)))
        for key, (label, values) in EXAMPLE.items()
    ]
    size = 420
    svg = figure_svg(spider_figure(series, scale=5), size=size)
    cx = cy = size / 2
    radius = size * 0.3

    def at(index: float, value: float) -> tuple[float, float]:
        angle = math.pi / 2 - 2 * math.pi * index / len(Condition)
        return cx + radius * value / 5 * math.cos(angle), cy - radius * value / 5 * math.sin(angle)

    callouts = [at(0, 3.5), at(2.5, 2.0), at(2, 2.5), at(4, 5.3)]
    marks = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="{INK}"/>'
        f'<text x="{x:.1f}" y="{y + 4:.1f}" font-size="11" font-weight="bold" '
        f'text-anchor="middle" fill="white">{number}</text>'
        for number, (x, y) in enumerate(callouts, start=1)
    )
    svg = svg.replace("</svg>", marks + "</svg>")
    explanation = [
        _("Elke as is een conditie; hoe verder van het midden, hoe meer van de 10 punten."),
        _(
            "Een evenwichtige verdeling (2 punten per conditie) is een regelmatige vijfhoek "
            "op de tweede ring; een uitstulping laat zien waar de energie zat."
        ),
        _(
            "Waar de lijn van de vertellers en die van de reflectoren uiteenlopen, zagen zij "
            "het moment verschillend."
        ),
        _(
            "De ringen geven de punten aan (1 tot 5); de scores zijn relatief: geen cijfer "
            "voor hoe goed het ging, maar waar de aandacht lag."
        ),
    ]
    figure = Figure(
        caption=_("Voorbeeld van een spindiagram (verzonnen scores)"),
        svg=svg,
        alt=_("Voorbeeld van een spindiagram met genummerde uitleg"),
    )
    return figure, explanation


def consequences_svg() -> str:
    """Per condition: what too little attention leads to (left) and too much (right)."""
    width, left_x, mid_w, col_w = 640, 10, 120, 250
    right_x = left_x + col_w + mid_w
    size = 10
    rows = []
    y = 44
    for condition in Condition:
        colour = CONDITION_COLOURS[condition]
        little, n1 = _lines(
            left_x + 8, y + 16, str(CONSEQUENCES[condition]["onderbelicht"]), width=44, size=size
        )
        much, n2 = _lines(
            right_x + 8, y + 16, str(CONSEQUENCES[condition]["dominant"]), width=44, size=size
        )
        height = max(n1, n2) * size * 1.3 + 14
        mid = left_x + col_w + mid_w / 2
        rows.append(
            f'<rect x="{left_x}" y="{y}" width="{col_w - 6}" height="{height:.1f}" rx="4" '
            f'fill="#f4f6f9" stroke="{LINE}"/>{little}'
            f'<rect x="{right_x}" y="{y}" width="{col_w - 6}" height="{height:.1f}" rx="4" '
            f'fill="#f4f6f9" stroke="{LINE}"/>{much}'
            f'<rect x="{mid - 52}" y="{y + height / 2 - 14:.1f}" width="104" height="28" '
            f'rx="14" fill="white" stroke="{colour}" stroke-width="3"/>'
            f'<text x="{mid}" y="{y + height / 2 + 4:.1f}" font-size="11" font-weight="bold" '
            f'text-anchor="middle" fill="{INK}">{escape(str(condition.label))}</text>'
            f'<path d="M{mid - 54} {y + height / 2:.1f} l-8 -5 v10 z" fill="{MUTED}"/>'
            f'<path d="M{mid + 54} {y + height / 2:.1f} l8 -5 v10 z" fill="{MUTED}"/>'
        )
        y += height + 10
    too_little, too_much = escape(_("Te weinig aandacht")), escape(_("Te veel aandacht"))
    header = (
        f'<text x="{left_x + col_w / 2}" y="24" font-size="12" font-weight="bold" '
        f'text-anchor="middle" fill="{INK}">{too_little}</text>'
        f'<text x="{right_x + col_w / 2}" y="24" font-size="12" font-weight="bold" '
        f'text-anchor="middle" fill="{INK}">{too_much}</text>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {y:.0f}" '
        f'width="{width}" height="{y:.0f}" role="img" {FONT}>' + header + "".join(rows) + "</svg>"
    )


def consequences_figure():
    return Figure(
        caption=_("De gevolgen van onevenwichtige aandacht"),
        svg=consequences_svg(),
        alt=_("Per conditie de gevolgen van te weinig en van te veel aandacht"),
        css="drawn-wide-img",
    )
