"""The spider chart: one function builds the figure, for the live page and for the PDF.

`spider_figure` returns a plotly figure as plain data (drawn by plotly.js in the browser);
`figure_svg` draws that same figure as SVG on the server (for phones and for the PDF), so
values, colours, labels, axis order and scale are the same everywhere.
"""

import math
from html import escape

from django.utils.formats import number_format

from .conditions import Condition
from .services import ALL_KEY, Series

COLOURS = {"verteller": "#0b4f6c", "reflector": "#c8553d", ALL_KEY: "#6b7280"}
DEFAULT_COLOUR = "#2f855a"
# Means rarely pass 5 of the 10 points; a fixed scale keeps charts comparable.
SCALE_STEPS = (5, 10)


def radial_max(values) -> int:
    """The fixed radial maximum: 5, or 10 when any value is higher than 5."""
    highest = max((v for v in values), default=0)
    return next(step for step in SCALE_STEPS if highest <= step)


def colour_for(key: str) -> str:
    return COLOURS.get(key, DEFAULT_COLOUR)


def spider_figure(
    series: list[Series], *, scale: int | None = None, title: str = "", compact: bool = False
) -> dict:
    """A plotly radar figure: one closed trace per series, axes in the method's order."""
    labels = [str(c.label) for c in Condition]
    scale = scale or radial_max(v for s in series for v in s.values)
    traces = []
    for s in series:
        values = [round(v, 2) for v in s.values]
        traces.append(
            {
                "type": "scatterpolar",
                "name": f"{s.label} (n = {s.n})",
                "r": values + values[:1],
                "theta": labels + labels[:1],
                "mode": "lines+markers",
                "fill": "toself",
                "opacity": 0.9,
                "line": {
                    "color": colour_for(s.key),
                    "width": 3 if not compact else 2,
                    "dash": "dash" if s.key == ALL_KEY else "solid",
                },
                "fillcolor": _with_alpha(colour_for(s.key), 0.12),
                "hovertemplate": "%{theta}: %{r:.1f}<extra>" + s.label + "</extra>",
                "meta": {"key": s.key, "n": s.n},
            }
        )
    font_size = 12 if compact else 20
    return {
        "data": traces,
        "layout": {
            "title": {"text": title} if title else None,
            "polar": {
                "radialaxis": {
                    "range": [0, scale],
                    "dtick": 1,
                    "angle": 90,
                    "tickfont": {"size": font_size * 0.7},
                },
                "angularaxis": {
                    "direction": "clockwise",
                    "rotation": 90,
                    "tickfont": {"size": font_size},
                },
            },
            "showlegend": not compact,
            "legend": {"orientation": "h", "y": -0.12, "font": {"size": font_size * 0.8}},
            "margin": {"t": 30 if compact else 50, "b": 30 if compact else 60, "l": 50, "r": 50},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "font": {"family": "system-ui, DejaVu Sans, sans-serif"},
        },
    }


def _with_alpha(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def figure_svg(figure: dict, *, size: int = 360, legend: bool = True) -> str:
    """Draw a figure from spider_figure as a self-contained SVG (vector, no browser needed)."""
    polar = figure["layout"]["polar"]
    scale = polar["radialaxis"]["range"][1]
    traces = figure["data"]
    labels = traces[0]["theta"][:-1] if traces else [str(c.label) for c in Condition]
    count = len(labels)
    legend_height = 22 * len(traces) + 8 if legend and traces else 0
    cx, cy = size / 2, size / 2
    radius = size * 0.3

    def point(index: int, value: float) -> tuple[float, float]:
        # Clockwise from the top, as in the plotly layout (rotation 90, clockwise).
        angle = math.pi / 2 - 2 * math.pi * index / count
        r = radius * value / scale
        return cx + r * math.cos(angle), cy - r * math.sin(angle)

    def polygon(values) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(values)))

    parts = [
        # Wider than tall: the labels left and right of the pentagon need room.
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{-size * 0.12:.1f} 0 {size * 1.24:.1f} {size + legend_height}" '
        f'width="{size * 1.24:.0f}" height="{size + legend_height}" role="img" '
        f'font-family="DejaVu Sans, sans-serif">'
    ]
    for ring in range(1, scale + 1):
        colour = "#9aa3b2" if ring == scale else "#d9dee7"
        parts.append(
            f'<polygon points="{polygon([ring] * count)}" fill="none" stroke="{colour}" '
            f'stroke-width="1"/>'
        )
    for index, label in enumerate(labels):
        x, y = point(index, scale)
        parts.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#d9dee7"/>'
        )
        lx, ly = point(index, scale * 1.12)
        anchor = "middle" if abs(lx - cx) < 4 else ("start" if lx > cx else "end")
        parts.append(
            f'<text x="{lx:.1f}" y="{ly + 5:.1f}" text-anchor="{anchor}" font-size="{size / 24:.1f}" '
            f'fill="#1d2433">{escape(label)}</text>'
        )
    for ring in range(1, scale + 1):
        x, y = point(0, ring)
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 4:.1f}" font-size="{size / 36:.1f}" '
            f'fill="#5b6475">{ring}</text>'
        )
    for trace in traces:
        colour = trace["line"]["color"]
        dash = ' stroke-dasharray="6 4"' if trace["line"].get("dash") == "dash" else ""
        values = trace["r"][:-1]
        parts.append(
            f'<polygon points="{polygon(values)}" fill="{trace["fillcolor"]}" stroke="{colour}" '
            f'stroke-width="2.5"{dash}><title>{escape(trace["name"])}</title></polygon>'
        )
        for index, value in enumerate(values):
            x, y = point(index, value)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
    if legend:
        for row, trace in enumerate(traces):
            y = size + 14 + 22 * row
            colour = trace["line"]["color"]
            parts.append(
                f'<rect x="{size * 0.2:.1f}" y="{y - 9}" width="18" height="10" fill="{colour}"/>'
                f'<text x="{size * 0.2 + 26:.1f}" y="{y}" font-size="{size / 28:.1f}" '
                f'fill="#1d2433">{escape(trace["name"])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def format_points(value: float) -> str:
    """A mean as the Dutch read it: one decimal, decimal comma."""
    return number_format(round(value, 1), decimal_pos=1)
