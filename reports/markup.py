"""The one Markdown subset every analyst text is written in (report texts, paradoxes, themes,
recommendations, session notes): paragraphs, sub-headings ('# ', '## ', '### '), lists that
nest (indent a '- ' line by two or more spaces, as people and Word do), *italics*, **bold**,
'> ' quotations, web links `[tekst](https://…)` and simple tables (a header row, a
'|---|---|' line, then rows: Python-Markdown's tables extension, as GitHub writes them; a
column is right-aligned with '|---:|', centred with '|:---:|', as GitHub does). Straight quotes
become typographic ones ("…" → “…”, 'x' → ‘x’), '--' an en dash, '...' an ellipsis: never
inside a web address, an e-mail address or a `code span`, where they are part of what has
to be typed exactly.

Nothing typed is ever rendered as HTML: '<' and '&' are escaped before Markdown runs,
so a typed tag shows as text, and the result is cleaned again with an allow-list.

The cost is bounded: Python-Markdown's own link, image and reference patterns are off (they
are quadratic: `"[" * 8000 + "]" * 8000` took 11 s); links use LINK below, whose text and
address have bounded lengths and no brackets, so each attempt is bounded too. Lists
and quotations nest at most MAX_DEPTH deep (150 nested quotations made WeasyPrint fail with
a RecursionError). Forms refuse deeper nesting with a message naming the field; text that
arrives deeper anyway (an old row, the admin) is rendered flat instead of failing.
"""

import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor, InlineProcessor
from markdown.util import AtomicString

ALLOWED_TAGS = {
    "p", "ul", "ol", "li", "em", "strong", "blockquote", "br", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "wbr",
}  # fmt: skip
LIST_LINE = re.compile(r"^( *)([-*+]|\d{1,9}[.)]) ")
HEADING = re.compile(r"<(/?)h([1-6])>")
# A web address in running text: never hyphenated, or a copied link is wrong.
URL = r"(?<![^\W_])(?:https?://|www\.)[^\s<>]+[^\s<>.,;:!?)’”'\"*_]"
# An e-mail address in running text: a '--' in it is no dash.
EMAIL = r"(?<![^\W_])[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
# Python-Markdown's tables extension writes a column's alignment as a style attribute, which
# the allow-list drops; a class of our own (report.css, app.css, docx.py) carries it instead.
ALIGN_STYLE = re.compile(r' style="text-align: (left|right|center);"')
ALIGN_CLASSES = {"align-left", "align-right", "align-center"}
NESTING_TAGS = {"ul", "ol", "blockquote"}
# A link as the analyst types it: [text](http(s)://address). Only web addresses: a report
# never points at files, mail or scripts, and WeasyPrint never fetches a link's target.
LINK = r"\[([^\[\]\n]{1,300})\]\((https?://[^\s()<>\[\]]{1,2000})\)"
# Lists within lists and quotations within quotations: deeper than this is never a report.
MAX_DEPTH = 4
# Inline patterns for syntax outside the subset; each would only produce a tag that the
# allow-list removes again, and some are quadratic on unbalanced brackets.
_UNUSED_INLINE = (
    "reference",
    "link",
    "image_link",
    "image_reference",
    "short_reference",
    "short_image_ref",
    "autolink",
    "automail",
    "html",
)


# One container marker at the start of a line: a quotation '>' or a list item '-', '*', '+',
# '1.' or '1)' followed by a space (Python-Markdown's own rules for both).
_MARKER = re.compile(r"[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]))")


def _line_depth(line: str) -> tuple[int, int]:
    """How deep a line nests (indentation levels + markers) and where its text starts."""
    expanded = line.expandtabs(4)
    indent = len(expanded) - len(expanded.lstrip(" "))
    markers = position = 0
    while match := _MARKER.match(line, position):
        markers += 1
        position = match.end()
    return indent // 4 + markers, position


def _bounded(text: str) -> str:
    """`text` with every line that nests deeper than MAX_DEPTH turned into plain text.

    Python-Markdown recurses once per level: "- " * 10000 exhausts the stack before any
    check on its output could run, so the bound is applied to the input.
    """
    lines = []
    for line in text.splitlines():
        depth, start = _line_depth(line)
        lines.append(line[start:].lstrip() if depth > MAX_DEPTH else line)
    return "\n".join(lines)


def _nest_lists(text: str) -> str:
    """Python-Markdown nests a list only under four spaces; people (and Word) indent by two.
    Each list line is re-indented by its depth: deeper than the line above is one level in.
    A list straight under a sentence ("… bij:") is still a list."""
    lines: list[str] = []
    stack: list[int] = []  # indents of the open list levels
    for line in text.splitlines():
        match = LIST_LINE.match(line)
        if not match:
            if not line.strip():
                stack = stack[:1] if stack else []
            elif stack and not line.startswith(" "):
                stack = []  # a paragraph after a list ends it
            lines.append(line)
            continue
        if not stack and lines and lines[-1].strip():
            lines.append("")
        indent = len(match.group(1))
        while stack and indent < stack[-1]:
            stack.pop()
        if not stack or indent > stack[-1]:
            stack.append(indent)
        lines.append("    " * (len(stack) - 1) + line.lstrip(" "))
    return "\n".join(lines)


TABLE_RULE = re.compile(r"^ {0,3}\|?(?: *:?-+:? *\|)+ *:?-+:? *\|? *$|^ {0,3}\|? *:?-+:? *\| *$")


def _tables_apart(text: str) -> str:
    """A table straight under a sentence is still a table: Python-Markdown needs an empty
    line before its header row (a line followed by a '|---|---|' line)."""
    lines = text.splitlines()
    out: list[str] = []
    for index, line in enumerate(lines):
        header = "|" in line and index + 1 < len(lines) and TABLE_RULE.match(lines[index + 1])
        if header and out and out[-1].strip() and "|" not in out[-1]:
            out.append("")
        out.append(line)
    return "\n".join(out)


class _WebLink(InlineProcessor):
    """[text](https://…) as <a href>; the text keeps its emphasis, the address stays as typed."""

    def handleMatch(self, m, data):  # noqa: N802 - Python-Markdown's name
        element = etree.Element("a", {"href": m.group(2)})
        element.text = m.group(1)
        return element, m.start(0), m.end(0)


class _Verbatim(InlineProcessor):
    """A web address or e-mail address in running text, kept exactly as typed.

    Its text is atomic: the typography step (smarty, which runs after the inline patterns)
    and emphasis never see it, so "a--b" stays "a--b", "..." stays "...". A web address is
    cut into url_pieces, each unbroken, with a line-break chance between them.
    """

    def handleMatch(self, m, data):  # noqa: N802 - Python-Markdown's name
        text = m.group(0)
        if "@" in text and not re.match(URL, text):
            element = etree.Element("span", {"class": "email"})
            element.text = AtomicString(text)
            return element, m.start(0), m.end(0)
        element = etree.Element("span", {"class": "url"})
        for index, piece in enumerate(url_pieces(text)):
            if index:
                etree.SubElement(element, "wbr")
            nobr = etree.SubElement(element, "span", {"class": "nobr"})
            nobr.text = AtomicString(piece)
        return element, m.start(0), m.end(0)


class _Code(BacktickInlineProcessor):
    """`code` as Python-Markdown makes it, less its second escape: '&' and '<' are escaped
    before Markdown runs (see _markdown), and its own escape made a typed '&' show as "&amp;"."""

    def handleMatch(self, m, data):  # noqa: N802 - Python-Markdown's name
        element, start, end = super().handleMatch(m, data)
        if isinstance(element, etree.Element) and element.text:
            element.text = AtomicString(re.sub(r"&amp;(amp|lt);", r"&\1;", element.text))
        return element, start, end


def _markdown(text: str, heading_level: int = 4) -> str:
    # A Markdown instance keeps state between calls and is not thread-safe: one per call.
    md = markdown.Markdown(output_format="html", extensions=["sane_lists", "smarty", "tables"])
    for name in _UNUSED_INLINE:
        md.inlinePatterns.deregister(name, strict=False)
    # Before emphasis (priority 60), as Python-Markdown's own link pattern is (160).
    md.inlinePatterns.register(_WebLink(LINK, md), "weblink", 160)
    md.inlinePatterns.register(_Code(BACKTICK_RE), "backtick", 190)
    # After links (an address in [text](…) is the link's) and before everything else that
    # could change an address: escapes (180) and backticks (190) go first and are atomic too.
    md.inlinePatterns.register(_Verbatim(f"{URL}|{EMAIL}", md), "verbatim", 155)
    # '>' stays: Markdown needs it for quotations, and without '<' it cannot start a tag.
    escaped = _bounded(_tables_apart(_nest_lists(text))).replace("&", "&amp;").replace("<", "&lt;")
    html = md.convert(escaped)
    # '# ' is a sub-heading below the outline heading the text belongs to (at most h6).
    shift = max(0, heading_level - 1)
    html = HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}>", html)
    html = ALIGN_STYLE.sub(r' class="align-\1"', html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS | {"span", "a"},
        attributes={"span": {"class"}, "a": {"href"}},
        allowed_classes={"td": ALIGN_CLASSES, "th": ALIGN_CLASSES},
        url_schemes={"http", "https"},
        link_rel=None,
    )


# One character of a web address, or one character reference of escaped HTML ("&amp;").
_URL_CHARACTER = re.compile(r"&#?\w+;|.", re.S)


def url_pieces(url: str, size: int = 8) -> list[str]:
    """`url` cut into pieces of at least `size` characters, to print each unbroken with a
    line-break chance between them. Never next to a '-': a reader who types a link broken
    after its own hyphen ("…IJH-" / "Ch1s…") takes the hyphen for the line's and drops it.
    Character references of escaped HTML stay whole."""
    pieces, current = [], []
    characters = _URL_CHARACTER.findall(url)
    for index, character in enumerate(characters):
        current.append(character)
        following = characters[index + 1] if index + 1 < len(characters) else ""
        if len(current) >= size and following and "-" not in (character, following):
            pieces.append("".join(current))
            current = []
    if current:
        pieces.append("".join(current))
    return pieces


def breakable_url(url: str) -> SafeString:
    """`url` (plain text) as HTML that breaks only between url_pieces: each piece in a
    span.nobr (report.css, printables.css: white-space: nowrap), <wbr> between them."""
    return mark_safe(
        "<wbr>".join(f'<span class="nobr">{escape(p)}</span>' for p in url_pieces(url))
    )


class _DepthCounter(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag in NESTING_TAGS:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag):
        if tag in NESTING_TAGS:
            self.depth -= 1


def _depth(html: str) -> int:
    counter = _DepthCounter()
    counter.feed(html)
    return counter.deepest


def _flat(text: str) -> str:
    """The text without list and quotation markers at the start of its lines."""
    return "\n".join(line[_line_depth(line)[1] :].lstrip() for line in text.splitlines())


def markup_depth(text: str) -> int:
    """How deep lists and quotations nest in `text` (0: not at all), line by line."""
    if not text:
        return 0
    return max((_line_depth(line)[0] for line in text.splitlines()), default=0)


def render_markup(text: str, *, heading_level: int = 4) -> SafeString:
    """`text` in the subset as safe HTML; nesting deeper than MAX_DEPTH is rendered flat.
    '# ' becomes <h{heading_level}>, '## ' one deeper, and so on (at most h6)."""
    if not text or not text.strip():
        return mark_safe("")
    try:
        html = _markdown(text, heading_level)
    except RecursionError:
        html = ""
    if not html or _depth(html) > MAX_DEPTH:
        # A structure the line bound did not catch: the words, without their nesting.
        html = _markdown(_flat(text), heading_level)
    return mark_safe(html)


@deconstructible
class MarkupDepthValidator:
    """Refuses text whose lists or quotations nest deeper than MAX_DEPTH, naming the field."""

    message = _(
        "%(field)s: lijsten en citaten staan %(depth)s niveaus diep in elkaar; "
        "hooguit %(limit)s kan in een rapport."
    )

    def __init__(self, field: str):
        self.field = field

    def __call__(self, value) -> None:
        depth = markup_depth(value)
        if depth > MAX_DEPTH:
            raise ValidationError(
                self.message,
                code="markup_depth",
                params={"field": capfirst(self.field), "depth": depth, "limit": MAX_DEPTH},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, MarkupDepthValidator) and self.field == other.field
