"""One way to put a plotly chart on a page, so every chart has a role and a text alternative."""

from django import template
from django.utils.translation import gettext as _

from scoring.charts import figure_has_data, figure_text

register = template.Library()


@register.inclusion_tag("charts/_plotly.html")
def plotly_chart(figure: dict, figure_id: str, css_class: str, label: str, empty: str = "") -> dict:
    """A chart drawn by static/js/charts.js, for screen readers an image with its values.

    ``figure`` is a figure from scoring.charts (data reaches the script through json_script),
    ``figure_id`` must be unique on the page (the description gets ``<figure_id>-text``),
    ``label`` says what the chart shows (its accessible name); the description lists the
    values of every named trace (``figure_text``). A figure without any value to draw
    (``figure_has_data``) is not drawn: ``empty`` (or a general sentence) stands in its place,
    so no page shows bare axes.
    """
    if not figure_has_data(figure):
        return {
            "css_class": css_class,
            "empty": empty
            or _(
                "Nog niets om te tekenen: te weinig puntenverdelingen om een gemiddelde te tonen."
            ),
        }
    return {
        "figure": figure,
        "figure_id": figure_id,
        "css_class": css_class,
        "label": label,
        "text": figure_text(figure),
    }
