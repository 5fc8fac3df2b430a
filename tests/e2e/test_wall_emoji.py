"""Emoji on the wall are drawn, not boxes (wallfix item 4): the wall's pages carry an emoji
font of their own (Symbola's emoji, served locally, static/fonts/LICENSE-Symbola.txt) as the
last fallback, for the venue's PC without one. This machine's Chromium has no emoji font
installed, so the wall's own font is what draws them here."""

import pytest
from django.urls import reverse

from sessions.models import Evaluation, Participant, Prompt, Role
from sessions.services import projector_link_set
from sessions.wall import contribution_submit, prompt_state_set
from tests.conftest import personal_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The state of the wall's emoji font on the page, once the page's fonts are in.
EMOJI_FONT = """async () => {
  await document.fonts.ready;
  const faces = [...document.fonts].filter(f => f.family.replace(/"/g, "") === "Wand Emoji");
  return faces.map(f => f.status);
}"""


def test_an_emoji_on_the_wall_is_drawn_with_the_walls_own_font(live_server, browser):
    evaluation = Evaluation.objects.create(title="Alliantie Emoji", slug="emoji")
    person = Participant.objects.create(evaluation=evaluation, name="Ans", role=Role.VERTELLER)
    prompt = Prompt.objects.create(evaluation=evaluation, title="Wat neem je mee? \U0001f680")
    prompt_state_set(prompt=prompt, action="open")
    contribution_submit(
        participant=person,
        prompt_id=prompt.pk,
        text="Samen verder \U0001f91d en vieren \U0001f389",
        client_token="t",
    )
    token = projector_link_set(evaluation=evaluation, active=True).token
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    for url in (
        reverse("wall_projector_link", args=[token]),
        reverse("participant:page", args=[personal_token(person)]),
    ):
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate(EMOJI_FONT) == ["loaded"], url
        family = page.evaluate("getComputedStyle(document.querySelector('.wall-text')).fontFamily")
        assert "Wand Emoji" in family, url
    # Served from here, a real WOFF2 file.
    font = page.request.get(f"{live_server.url}/static/fonts/SymbolaEmoji.woff2")
    assert font.ok and font.body()[:4] == b"wOF2"
    context.close()
