import base64

from django import template
from django.utils.safestring import SafeString

from reports.markup import render_markup

register = template.Library()


@register.filter
def markup(text: str) -> SafeString:
    return render_markup(text)


@register.filter
def svg_data_uri(svg: str) -> str:
    """An SVG as a data: URI for <img>: WeasyPrint renders it faster than inline SVG."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)
