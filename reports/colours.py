"""Colour contrast for the report's house style (WCAG 2.1, success criterion 1.4.3).

The accent colour prints headings, titles and the publisher line on white paper, so it is
text colour and must reach the contrast WCAG asks of normal text: 4.5:1 against white.
Formulas: WCAG 2.1 "relative luminance" and "contrast ratio" (https://www.w3.org/TR/WCAG21/).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

MIN_TEXT_CONTRAST = 4.5
"""WCAG 2.1 AA for normal text; report headings are bold but body-sized ones exist (h4-h6)."""

WHITE = "#ffffff"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _channels(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def relative_luminance(colour: str) -> float:
    """The WCAG relative luminance of `colour` ("#rrggbb"), 0.0 (black) to 1.0 (white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str = WHITE) -> float:
    """WCAG contrast ratio of two "#rrggbb" colours, from 1.0 (same) to 21.0 (black on white)."""
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def darker_for_text(colour: str, minimum: float = MIN_TEXT_CONTRAST) -> str:
    """The lightest shade of `colour` (same hue, channels scaled towards black) that reaches
    `minimum` contrast on white; `colour` itself when it already does."""
    r, g, b = _channels(colour)
    for step in range(101):
        factor = 1 - step / 100
        shade = "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))
        if contrast_ratio(shade) >= minimum:
            return shade
    return "#000000"


@deconstructible
class TextContrastValidator:
    """Refuses a "#rrggbb" colour that, as text on white, is below MIN_TEXT_CONTRAST.

    The message names the ratio and offers the nearest darker shade that passes. Values that
    are not #rrggbb are left to the format check (form and database constraint).
    """

    def __call__(self, value: str) -> None:
        if not isinstance(value, str) or not _HEX.match(value):
            return
        ratio = contrast_ratio(value)
        if ratio < MIN_TEXT_CONTRAST:
            raise ValidationError(
                _(
                    "De accentkleur %(colour)s is te licht voor tekst op wit papier: het "
                    "contrast is %(ratio)s:1, en voor leesbare koppen is minstens 4,5:1 nodig. "
                    "Kies een donkerder kleur, bijvoorbeeld %(suggestion)s (dezelfde tint, "
                    "donkerder)."
                ),
                code="accent_contrast",
                params={
                    "colour": value.lower(),
                    "ratio": number_format(ratio, 1),
                    "suggestion": darker_for_text(value),
                },
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, TextContrastValidator)
