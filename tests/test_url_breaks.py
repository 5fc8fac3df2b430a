"""A web address is never broken at its own hyphen: not in the report's text, not on the
participant cards (a reader typing "…IJH-" / "Ch1s…" from paper drops the "-")."""

import io
import random
import string

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from reports.markup import render_markup, url_pieces
from reports.printables import CARDS, printable_html
from reports.rendering import render_pdf
from sessions.models import Claim
from sessions.services import claim_create

TOKEN_ALPHABET = string.ascii_letters + string.digits + "-_"
# Hyphens at the places a break once fell, and in a row.
TOKEN = "x7Qk2LmZpRtIJH-Ch1sVbNwEe--Yu3-Oa9Df_Gh4Jk-"


def tokens(n: int) -> list[str]:
    rng = random.Random(13)
    return [TOKEN] + ["".join(rng.choices(TOKEN_ALPHABET, k=43)) for _ in range(n)]


@pytest.mark.parametrize("token", tokens(200))
def test_no_piece_of_a_link_starts_or_ends_at_its_own_hyphen(token):
    url = f"https://spiegel.example.nl/doe-mee/{token}/"
    pieces = url_pieces(url)
    assert "".join(pieces) == url
    for before, after in zip(pieces, pieces[1:], strict=False):
        assert not before.endswith("-") and not after.startswith("-"), (before, after)


def test_a_link_in_a_text_breaks_only_between_pieces():
    # Without "--": the typographic quotes and dashes of the text reach a bare address too.
    url = "https://example.org/a-b/" + TOKEN.replace("--", "-")
    html = render_markup(f"Zie {url} voor meer.")
    span = lxml_html.fromstring(str(html)).find_class("url")[0]
    assert span.text_content() == url
    pieces = [p.text for p in span.find_class("nobr")]
    assert len(pieces) > 3 and "".join(pieces) == url
    for before, after in zip(pieces, pieces[1:], strict=False):
        assert not before.endswith("-") and not after.startswith("-"), (before, after)


def test_a_participant_card_never_prints_a_line_of_its_link_ending_at_a_hyphen(
    evaluation, verteller
):
    claim_create(participant=verteller)
    Claim.objects.filter(participant=verteller).update(token=TOKEN)
    html = printable_html(CARDS, evaluation, site_url="https://spiegel.example.nl/")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(html))).pages)
    lines = [line.strip() for line in text.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("https://"))
    link_lines = []
    for line in lines[start:]:
        link_lines.append(line)
        if TOKEN in "".join(link_lines) or len(link_lines) > 4:
            break
    assert TOKEN in "".join(link_lines)
    assert not any(line.endswith("-") for line in link_lines[:-1]), link_lines
