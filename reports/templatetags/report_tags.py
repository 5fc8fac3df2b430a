import base64

from django import template
from django.utils.safestring import SafeString

from reports.markup import breakable_url as _breakable_url
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


@register.filter
def htag(depth: int, offset: int) -> str:
    """The heading tag for a sub-heading `offset` levels below outline depth `depth`
    (the outline's level 1 is <h2>; the cover title is the only <h1>); at most h6."""
    return f"h{min(6, int(depth) + int(offset))}"


@register.filter
def lowerfirst(text: str) -> str:
    """A sentence continued after a colon: its first letter in lower case ('Te weinig' →
    'te weinig'). Only for our own sentences, which never start with a name."""
    text = str(text)
    return text[:1].lower() + text[1:]


@register.filter
def logo_uri(report_text) -> str:
    """The evaluation's sanitised logo as a data: URI (never a URL to fetch)."""
    if not report_text.logo:
        return ""
    encoded = base64.b64encode(bytes(report_text.logo)).decode()
    return f"data:{report_text.logo_type};base64,{encoded}"


@register.inclusion_tag("reports/_session_notes_form.html", takes_context=True)
def session_notes_form(context, session) -> dict:
    """The facilitator's report notes on a session page, posted to the reports app.

    The notes are report text (markup rules live in reports), so the form is built here and
    the sessions app's view needs no import of reports.
    """
    from reports.forms import SessionNotesForm

    return {
        "evaluation": session.evaluation,
        "session": session,
        "notes_form": SessionNotesForm(instance=session),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def breakable_url(url: str) -> SafeString:
    """A web address that breaks only between its pieces, never at its own hyphen."""
    return _breakable_url(str(url))
