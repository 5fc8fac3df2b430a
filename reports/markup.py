"""The small Markdown subset analysts write in: paragraphs, lists, emphasis and quotations.

Nothing typed is ever rendered as HTML: '<' and '&' are escaped before Markdown runs,
so a typed tag shows as text, and the result is cleaned again with an allow-list.
"""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "ul", "ol", "li", "em", "strong", "blockquote", "br"}


def render_markup(text: str) -> SafeString:
    if not text or not text.strip():
        return mark_safe("")
    # '>' stays: Markdown needs it for quotations, and without '<' it cannot start a tag.
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    html = markdown.markdown(escaped, output_format="html")
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, attributes={}, link_rel=None))
