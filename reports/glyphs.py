"""Characters the bundled fonts can draw, and what happens to the others.

The PDF embeds only our own fonts (static/fonts: DejaVu Sans, Liberation Serif); a character
none of them has prints as an empty box. The choice (no emoji or CJK font is bundled: the
smallest that covers CJK weighs ~16 MB): emoji, with their joiners, variation selectors and
skin tones, are left out, since in a contribution they decorate what the words say; any other
character the fonts lack (CJK, other scripts) becomes U+FFFD "�", which DejaVu draws and
which says plainly that something was there. The same HTML feeds the preview, the PDF and the
Word file, so all three say the same.
"""

import functools
import re
from pathlib import Path

from django.conf import settings

FONTS = ["DejaVuSans.ttf", "LiberationSerif-Regular.ttf"]
REPLACEMENT = "\ufffd"
# Emoji blocks, and the marks that only make sense inside an emoji sequence.
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U0001fc00-\U0001ffff\u2600-\u27bf\u2b00-\u2bff"
    "\U000e0000-\U000e007f\ufe0e\ufe0f\u200d\u20e3]"
)


@functools.cache
def drawable() -> frozenset[int]:
    """Every code point the sans font (the fallback of every typeface) has a glyph for."""
    from fontTools.ttLib import TTFont

    font = TTFont(Path(settings.BASE_DIR) / "static" / "fonts" / FONTS[0], lazy=True)
    return frozenset(font.getBestCmap())


def printable(text: str) -> str:
    """`text` with every character the bundled fonts cannot draw left out (emoji) or
    replaced by U+FFFD (anything else). Line ends and tabs stay; text that is all drawable
    is returned as is."""
    known = drawable()
    if all(ord(c) in known or c in "\n\r\t" for c in text):
        return text
    out = []
    for char in text:
        if ord(char) in known or char in "\n\r\t":
            out.append(char)
        elif _EMOJI.match(char):
            continue
        else:
            out.append(REPLACEMENT)
    return "".join(out)
