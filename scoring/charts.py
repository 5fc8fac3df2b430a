"""The spider chart: one function builds the figure, for the live page and for the PDF.

`spider_figure` returns a plotly figure as plain data (drawn by plotly.js in the browser);
`figure_svg` draws that same figure as SVG on the server (for phones and for the PDF), so
values, colours, labels, axis order and scale are the same everywhere.
"""

import math
from html import escape

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .conditions import CONDITION_FIELDS, Condition
from .services import ALL_KEY, Series

COLOURS = {"verteller": "#0b4f6c", "reflector": "#c8553d", ALL_KEY: "#6b7280"}
DEFAULT_COLOUR = "#2f855a"
# Every series differs by line style and marker too, not only by colour: a report printed in
# greyscale (or read by someone who does not see the colours apart) still tells them apart.
# Plotly's names for both, so the live chart and the PDF's SVG draw the same.
SERIES_STYLES = {
    "verteller": ("solid", "circle"),
    "reflector": ("dash", "square"),
    ALL_KEY: ("dot", "diamond"),
}
DEFAULT_STYLE = ("dashdot", "triangle-up")
DASHARRAYS = {"solid": "", "dash": "7 4", "dot": "2 3", "dashdot": "7 3 2 3", "longdash": "12 4"}
# Key moments compared in one chart ("km1", "km2", …): each its own colour, line and marker,
# in the key moments' order (every one drew the same green dashed line before).
KEY_MOMENT_COLOURS = ("#0b4f6c", "#c8553d", "#2f855a", "#8a5cb8", "#b7791f", "#1d2433")
KEY_MOMENT_DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
KEY_MOMENT_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x")


def _key_moment_index(key: str) -> int | None:
    return int(key[2:]) - 1 if key.startswith("km") and key[2:].isdigit() else None


def style_for(key: str) -> tuple[str, str]:
    """(plotly line dash, plotly marker symbol) of a series."""
    index = _key_moment_index(key)
    if index is not None:
        return (
            KEY_MOMENT_DASHES[index % len(KEY_MOMENT_DASHES)],
            KEY_MOMENT_SYMBOLS[index % len(KEY_MOMENT_SYMBOLS)],
        )
    return SERIES_STYLES.get(key, DEFAULT_STYLE)


def _dash_attr(dash: str | None) -> str:
    pattern = DASHARRAYS.get(dash or "solid", "")
    return f' stroke-dasharray="{pattern}"' if pattern else ""


def marker_svg(symbol: str, x: float, y: float, colour: str, size: float = 3.5) -> str:
    """One plotly marker symbol as SVG, centred on (x, y)."""
    r = size
    if symbol == "square":
        return (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" '
            f'fill="{colour}" data-marker="square"/>'
        )
    if symbol == "diamond":
        d = r * 1.35
        return (
            f'<path d="M{x:.1f} {y - d:.1f}L{x + d:.1f} {y:.1f}L{x:.1f} {y + d:.1f}'
            f'L{x - d:.1f} {y:.1f}Z" fill="{colour}" data-marker="diamond"/>'
        )
    if symbol == "triangle-up":
        d = r * 1.3
        return (
            f'<path d="M{x:.1f} {y - d:.1f}L{x + d:.1f} {y + d * 0.8:.1f}'
            f'L{x - d:.1f} {y + d * 0.8:.1f}Z" fill="{colour}" data-marker="triangle-up"/>'
        )
    if symbol == "x":
        return (
            f'<path d="M{x - r:.1f} {y - r:.1f}L{x + r:.1f} {y + r:.1f}M{x - r:.1f} {y + r:.1f}'
            f'L{x + r:.1f} {y - r:.1f}" stroke="{colour}" stroke-width="2" data-marker="x"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}" data-marker="circle"/>'


def legend_sample_svg(x: float, y: float, colour: str, dash: str, symbol: str, width=26) -> str:
    """A legend key: a short stretch of the series' line with its marker in the middle."""
    return (
        f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + width:.1f}" y2="{y:.1f}" stroke="{colour}" '
        f'stroke-width="2.5"{_dash_attr(dash)}/>' + marker_svg(symbol, x + width / 2, y, colour)
    )


# Means rarely pass 5 of the 10 points; a fixed scale keeps charts comparable.
SCALE_STEPS = (5, 10)


def round_scale(series) -> int:
    """The radial maximum of a round's chart on the projector: 5 (the reports' scale) while
    every mean it shows is at most 5, else 10.

    `series`: scoring.services.Series; hidden ones do not count. Means, not single
    allocations: one person's 8 made the axis 0–10 and it snapped to 0–5 as others came
    (issue 9), while a fixed 0–10 drew the room's means of about 2 in the middle fifth of the
    chart, too small for the back of the room. A shown mean is of at least the minimum group,
    and 10 points over five conditions put a mean above 5 only where most of the group agree,
    so the scale changes rarely, and then because the picture did.
    """
    return radial_max(v for s in series if s.shown for v in s.values)


def radial_max(values) -> int:
    """The fixed radial maximum: 5, or 10 when any value is higher than 5."""
    highest = max((v for v in values), default=0)
    return next(step for step in SCALE_STEPS if highest <= step)


def colour_for(key: str) -> str:
    index = _key_moment_index(key)
    if index is not None:
        return KEY_MOMENT_COLOURS[index % len(KEY_MOMENT_COLOURS)]
    return COLOURS.get(key, DEFAULT_COLOUR)


def spider_figure(
    series: list[Series], *, scale: int | None = None, title: str = "", compact: bool = False
) -> dict:
    """A plotly radar figure: one closed trace per series, axes in the method's order."""
    labels = [str(c.label) for c in Condition]
    scale = scale or radial_max(v for s in series for v in s.values)
    traces = []
    # An empty role is not a dot in the centre, and a hidden one gives nobody away.
    for s in (s for s in series if s.shown):
        values = [round(v, 2) for v in s.values]
        dash, symbol = style_for(s.key)
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
                    "dash": dash,
                },
                "marker": {"symbol": symbol, "size": 9 if not compact else 6},
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
                    # Eleven numbers up one spoke ran into a blob on a 1280x720 projector:
                    # every other ring is numbered on a 0-10 scale.
                    "dtick": 1 if scale <= 5 else 2,
                    # Off the Ambitie spoke (towards Belangen), steep enough that the numbers stay apart.
                    "angle": 72,
                    "tickfont": {"size": font_size * 0.7, "color": "#5b6475"},
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
    in_legend = [t for t in traces if t.get("showlegend", True) and t.get("name")]
    legend_height = 22 * len(in_legend) + 8 if legend and in_legend else 0
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
    for trace in traces:
        colour = trace["line"]["color"]
        dash = trace["line"].get("dash")
        values = trace["r"][:-1]
        title = f"<title>{escape(trace['name'])}</title>" if trace.get("name") else ""
        width = trace["line"].get("width", 2.5)
        key = escape(str(trace.get("meta", {}).get("key", "")))
        parts.append(
            f'<g data-series="{key}"><polygon points="{polygon(values)}" '
            f'fill="{trace.get("fillcolor", "none")}" stroke="{colour}" stroke-width="{width}"'
            f"{_dash_attr(dash)}>{title}</polygon>"
        )
        if "markers" in trace.get("mode", ""):
            symbol = trace.get("marker", {}).get("symbol", "circle")
            for index, value in enumerate(values):
                parts.append(marker_svg(symbol, *point(index, value), colour))
        parts.append("</g>")
    # The ring values on top of the data, with a white halo, so a line never hides them.
    for ring in range(1, scale + 1):
        x, y = point(0, ring)
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 4:.1f}" font-size="{size / 30:.1f}" fill="#3b4252" '
            f'stroke="white" stroke-width="3" paint-order="stroke">{ring}</text>'
        )
    if legend:
        for row, trace in enumerate(in_legend):
            y = size + 14 + 22 * row
            colour = trace["line"]["color"]
            symbol = trace.get("marker", {}).get("symbol", "circle")
            parts.append(
                legend_sample_svg(size * 0.2, y - 4, colour, trace["line"].get("dash"), symbol)
                + f'<text x="{size * 0.2 + 34:.1f}" y="{y}" font-size="{size / 28:.1f}" '
                f'fill="#1d2433">{escape(trace["name"])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def format_points(value: float) -> str:
    """A mean as the Dutch read it: one decimal, decimal comma."""
    return number_format(round(value, 1), decimal_pos=1)


def signed_points(value: float) -> str:
    """A difference as printed everywhere (tables, bars, projector): one decimal, a sign
    when it is not zero, and never '-0,0'."""
    shown = round(value, 1) + 0.0  # adding 0.0 turns -0.0 into 0.0
    text = number_format(shown, decimal_pos=1)
    return f"+{text}" if shown > 0 else text


# --- Insight charts: agreement on the spider chart, role differences, lifecycle ----------

CONDITION_COLOURS = {
    Condition.AMBITIE: "#0b4f6c",
    Condition.BELANGEN: "#c8553d",
    Condition.RELATIE: "#2f855a",
    Condition.ORGANISATIE: "#8a5cb8",
    Condition.PROCES: "#b7791f",
}
# Line style and marker per condition (greyscale-safe, as SERIES_STYLES).
CONDITION_STYLES = {
    Condition.AMBITIE: ("solid", "circle"),
    Condition.BELANGEN: ("dash", "square"),
    Condition.RELATIE: ("dot", "diamond"),
    Condition.ORGANISATIE: ("dashdot", "triangle-up"),
    Condition.PROCES: ("longdash", "x"),
}


def with_agreement(figure: dict, *, individual=None, spread=None, means=None) -> dict:
    """Add the room's agreement to a spider figure: every allocation as a faint polygon
    (anonymous), or the spread per axis as rings at mean ± one standard deviation."""
    labels = [str(c.label) for c in Condition]
    extra = []
    for values in individual or []:
        extra.append(
            {
                "type": "scatterpolar",
                "r": list(values) + list(values[:1]),
                "theta": labels + labels[:1],
                "mode": "lines",
                # Legible from the back of the room, yet under the means (drawn on top).
                "line": {"color": "rgba(29,36,51,0.45)", "width": 2},
                "hoverinfo": "skip",
                "showlegend": False,
                "meta": {"key": "individueel"},
            }
        )
    if spread and means:
        for sign, name in ((1, _("gemiddelde + spreiding")), (-1, _("gemiddelde − spreiding"))):
            values = [round(max(0.0, means[f] + sign * spread[f]), 2) for f in CONDITION_FIELDS]
            extra.append(
                {
                    "type": "scatterpolar",
                    "name": str(name),
                    "r": values + values[:1],
                    "theta": labels + labels[:1],
                    "mode": "lines",
                    "line": {"color": COLOURS[ALL_KEY], "width": 1.5, "dash": "dot"},
                    "hoverinfo": "skip",
                    "meta": {"key": "spreiding"},
                }
            )
    # Every line inside the chart: single allocations and mean + spread can pass the means'.
    top = max((v for trace in extra for v in trace["r"]), default=0)
    radial = figure["layout"]["polar"]["radialaxis"]
    radial["range"] = [0, max(radial["range"][1], radial_max([top]))]
    # Underneath the means, so the means stay readable.
    figure["data"] = extra + figure["data"]
    return figure


def difference_figure(differences) -> dict:
    """Diverging bars: per condition vertellers minus reflectoren (right: vertellers higher)."""
    labels = [str(d.condition.label) for d in differences]
    # The difference of the means as shown (one decimal), so bar, table and text agree.
    values = [d.shown_difference for d in differences]
    colours = [
        COLOURS["verteller"] if v > 0 else COLOURS["reflector"] if v < 0 else "#9aa3b2"
        for v in values
    ]
    opacity = [1.0 if d.called_out else 0.45 for d in differences]
    limit = max([2.0, *(abs(v) for v in values)])
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": values,
                "marker": {"color": colours, "opacity": opacity},
                "hovertemplate": "%{y}: %{x:+.1f}<extra></extra>",
            }
        ],
        "layout": {
            "xaxis": {
                "range": [-limit, limit],
                "zeroline": True,
                "title": {"text": str(_("← reflectoren hoger · vertellers hoger →"))},
            },
            "yaxis": {"autorange": "reversed"},
            "margin": {"t": 10, "b": 50, "l": 100, "r": 20},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "font": {"family": "system-ui, DejaVu Sans, sans-serif"},
        },
    }


def lifecycle_figure(key_moments, insights: dict, *, role: str | None = None) -> dict:
    """How each condition's mean moves from key moment to key moment (for all, or per role)."""
    shown = [km for km in key_moments if km.pk in insights and insights[km.pk].n]
    labels = [f"{km.order}. {km.get_phase_display()}" for km in shown]
    traces = []
    for condition in Condition:
        values = []
        for km in shown:
            insight = insights[km.pk]
            diff = next((d for d in insight.differences if d.condition == condition), None)
            if insight.too_small:
                values.append(None)  # too few people: nothing of theirs is drawn
            elif role is None:
                values.append(round(insight.means[condition.field], 2))
            elif diff is None:
                values.append(None)  # a role too small to show apart
            else:
                stats = diff.verteller if role == "verteller" else diff.reflector
                values.append(round(stats.mean, 2) if stats.n else None)
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": str(condition.label),
                "x": labels,
                "y": values,
                "line": {
                    "color": CONDITION_COLOURS[condition],
                    "width": 3,
                    "dash": CONDITION_STYLES[condition][0],
                },
                "marker": {"symbol": CONDITION_STYLES[condition][1], "size": 9},
                "meta": {"key": condition.value},
            }
        )
    top = max((v for t in traces for v in t["y"] if v is not None), default=0)
    return {
        "data": traces,
        "layout": {
            "yaxis": {
                "range": [0, radial_max([top])],
                "dtick": 1,
                "title": {"text": str(_("gemiddelde punten"))},
            },
            "xaxis": {"title": {"text": str(_("sleutelmoment en fase"))}},
            "legend": {"orientation": "h", "y": -0.3},
            "margin": {"t": 10, "b": 90, "l": 60, "r": 20},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "font": {"family": "system-ui, DejaVu Sans, sans-serif"},
        },
    }


def bar_svg(figure: dict, *, width: int = 420) -> str:
    """The diverging bar chart as SVG, for the PDF."""
    trace = figure["data"][0]
    limit = figure["layout"]["xaxis"]["range"][1]
    row, left, right = 26, 110, 20
    height = row * len(trace["y"]) + 40
    axis_width = width - left - right
    zero = left + axis_width / 2

    def x(value: float) -> float:
        return zero + value / limit * axis_width / 2

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="DejaVu Sans, sans-serif">'
    ]
    for index, (label, value) in enumerate(zip(trace["y"], trace["x"], strict=True)):
        y = 10 + index * row
        colour = trace["marker"]["color"][index]
        opacity = trace["marker"]["opacity"][index]
        x0, x1 = sorted((zero, x(value)))
        parts.append(
            f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" font-size="12" '
            f'fill="#1d2433">{escape(label)}</text>'
            f'<rect x="{x0:.1f}" y="{y + 3}" width="{max(1.0, x1 - x0):.1f}" height="{row - 8}" '
            f'fill="{colour}" fill-opacity="{opacity}"/>'
            f'<text x="{x(value) + (4 if value >= 0 else -4):.1f}" y="{y + 15}" font-size="11" '
            f'text-anchor="{"start" if value >= 0 else "end"}" fill="#1d2433">'
            f"{escape(signed_points(value))}</text>"
        )
    bottom = 10 + row * len(trace["y"])
    parts.append(
        f'<line x1="{zero}" y1="6" x2="{zero}" y2="{bottom}" stroke="#5b6475"/>'
        f'<text x="{zero}" y="{bottom + 22}" text-anchor="middle" font-size="10" fill="#5b6475">'
        f"{escape(figure['layout']['xaxis']['title']['text'])}</text></svg>"
    )
    return "".join(parts)


def line_svg(figure: dict, *, width: int = 460, height: int = 260) -> str:
    """The lifecycle chart as SVG, for the PDF."""
    traces = figure["data"]
    labels = traces[0]["x"] if traces else []
    top = figure["layout"]["yaxis"]["range"][1]
    left, right, top_pad, bottom = 46, 20, 10, 70
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    count = max(1, len(labels) - 1)

    def pos(index: int, value: float) -> tuple[float, float]:
        return left + plot_w * index / count, top_pad + plot_h * (1 - value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 20}" '
        f'width="{width}" height="{height + 20}" font-family="DejaVu Sans, sans-serif">'
    ]
    for tick in range(0, int(top) + 1):
        _x, y = pos(0, tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e3e7ee"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="10" '
            f'fill="#5b6475">{tick}</text>'
        )
    for index, label in enumerate(labels):
        x, _y = pos(index, 0)
        parts.append(
            f'<text x="{x:.1f}" y="{top_pad + plot_h + 16}" text-anchor="middle" font-size="9" '
            f'fill="#1d2433">{escape(label)}</text>'
        )
    for trace in traces:
        points = [pos(i, v) for i, v in enumerate(trace["y"]) if v is not None]
        colour = trace["line"]["color"]
        dash = trace["line"].get("dash")
        symbol = trace.get("marker", {}).get("symbol", "circle")
        key = escape(str(trace.get("meta", {}).get("key", "")))
        parts.append(f'<g data-series="{key}">')
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"'
                f"{_dash_attr(dash)}/>"
            )
        parts.extend(marker_svg(symbol, x, y, colour) for x, y in points)
        parts.append("</g>")
    y_title = figure["layout"]["yaxis"].get("title", {}).get("text", "")
    x_title = figure["layout"]["xaxis"].get("title", {}).get("text", "")
    parts.append(
        f'<text x="12" y="{top_pad + plot_h / 2:.1f}" font-size="10" fill="#3b4252" '
        f'text-anchor="middle" transform="rotate(-90 12 {top_pad + plot_h / 2:.1f})">'
        f"{escape(y_title)}</text>"
        f'<text x="{left + plot_w / 2:.1f}" y="{top_pad + plot_h + 32}" font-size="10" '
        f'fill="#3b4252" text-anchor="middle">{escape(x_title)}</text>'
    )
    for index, trace in enumerate(traces):
        x = left + index * (plot_w / max(1, len(traces)))
        symbol = trace.get("marker", {}).get("symbol", "circle")
        parts.append(
            legend_sample_svg(x, height - 2, trace["line"]["color"], trace["line"].get("dash"),
                              symbol, width=22)
            + f'<text x="{x + 26:.1f}" y="{height + 2}" font-size="10" fill="#1d2433">'
            f"{escape(trace['name'])}</text>"
        )  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def figure_has_data(figure: dict | None) -> bool:
    """Whether a figure from this module draws any value at all.

    A spider figure without a shown series, or a line figure whose every value is hidden,
    draws as an empty plot (plotly falls back to bare x/y axes): pages show a placeholder
    sentence instead (scoring/templatetags/chart_tags.py).
    """
    for trace in (figure or {}).get("data", []):
        values = trace.get("r") if trace.get("type") == "scatterpolar" else trace.get("x")
        if trace.get("type") == "scatter":
            values = trace.get("y")
        if any(value is not None for value in values or []):
            return True
    return False


def figure_text(figure: dict) -> str:
    """The chart in words, as its text alternative: every named trace with its values.

    Works on the three figure kinds built here: spider (scatterpolar: ``theta``/``r``, the
    closing point dropped), diverging bars (``y`` labels, ``x`` signed values) and lines
    (``x`` labels, ``y`` values). Unnamed traces (the anonymous individual polygons) are
    left out: they are not means, and naming them would single people out. Numbers use the
    active locale (``2,3`` in Dutch). Returns e.g. ``"Vertellers (n = 2): Ambitie 3,0,
    Belangen 1,5, …. Reflectoren (n = 1): …"``.
    """
    parts = []
    for trace in figure.get("data", []):
        kind = trace.get("type")
        if kind == "scatterpolar":
            if not trace.get("name") or trace.get("showlegend") is False:
                continue
            labels, values = trace["theta"], trace["r"]
            if len(labels) > 1 and labels[0] == labels[-1]:
                labels, values = labels[:-1], values[:-1]
        elif kind == "bar" and trace.get("orientation") == "h":
            labels, values = trace["y"], trace["x"]
        else:
            labels, values = trace.get("x", []), trace.get("y", [])
        pairs = ", ".join(
            f"{label} {_number(value, signed=kind == 'bar')}"
            for label, value in zip(labels, values, strict=False)
        )
        parts.append(f"{trace['name']}: {pairs}" if trace.get("name") else pairs)
    return ". ".join(parts) + ("." if parts else "")


def _number(value, *, signed: bool = False) -> str:
    if value is None:
        return "–"
    # Round first: Django's number_format cuts a float's decimals off (4.06 would read 4,0).
    text = number_format(round(abs(value) if signed else value, 1) + 0.0, 1)
    if signed:
        return ("+" if value > 0 else "−" if value < 0 else "") + text
    return text
