"""The typography step (straight quotes to curly ones, '--' to a dash, '...' to an ellipsis)
never changes what must be typed exactly: a web address, an e-mail address, a code span.
Tester: a '--' in a bare URL became an en dash and the link broke."""

import re

import pytest
from lxml import html as lxml_html

from reports.markup import render_markup

# Everything the typography step would change, inside each place it must leave alone.
TOUCHY = ["a--b", "a---b", "a...b", "'a'", '"a"', "a'b"]


def shown(markup: str) -> str:
    """What a reader sees: the rendered text without tags or line-break chances."""
    return lxml_html.fromstring(f"<div>{markup}</div>").text_content()


def verbatim_places(piece: str) -> list[str]:
    return [
        f"https://example.org/{piece}/x",
        f"http://example.org/?q={piece}&r=1",
        f"www.example.org/{piece}/x",
        f"naam.{piece}.x@example.org".replace("'", "").replace('"', "").replace("...", "."),
        f"`{piece}`",
    ]


@pytest.mark.parametrize("piece", TOUCHY)
@pytest.mark.parametrize("where", range(5))
@pytest.mark.parametrize(
    "around",
    [
        "Zie {} voor meer.",
        "# Kop met {}",
        "- punt met {}",
        "> citaat met {}",
        "| a |\n|---|\n| {} |",
    ],
)
def test_typography_never_touches_an_address_or_code(piece, where, around):
    place = verbatim_places(piece)[where]
    typed = place.strip("`")
    text = shown(render_markup(around.format(place)))
    assert typed in text


def test_typography_still_works_in_the_words_around_them():
    text = shown(render_markup('"Zie" https://example.org/a--b -- en...'))
    assert text == "“Zie” https://example.org/a--b – en…"


def test_a_bare_address_is_still_cut_into_unbreakable_pieces():
    html = render_markup("Zie https://example.org/een--lang-pad/met-veel-tekens.")
    assert '<span class="url">' in html and "<wbr>" in html
    assert re.search(r"</span>\.</p>$", html)  # the full stop is not part of the address


def test_a_typed_ampersand_in_a_code_span_shows_as_typed():
    assert shown(render_markup("`a & b < c &lt;`")) == "a & b < c &lt;"
