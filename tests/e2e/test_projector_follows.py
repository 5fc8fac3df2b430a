"""The evaluation's projector link in real Chromium, through the sequence a new-user pass reported:
a round open with its results shown, a prompt of the slotdialoog reopened, another opened and
closed, the results hidden and shown again, a group change. The link keeps showing the round
and follows each change within a few seconds; once the round closes it shows the open prompt's
wall, and a round opened again takes it back (sessions.wall.live_screen)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from scoring.models import Allocation
from scoring.services import session_state_set
from sessions.models import (
    KeyMoment,
    Participant,
    Phase,
    Prompt,
    ReconstructionSession,
    Role,
    SessionState,
)
from sessions.services import projector_link_set
from sessions.wall import prompt_state_set
from tests.conftest import make_evaluation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FOLLOWS = 6000  # ms: the link polls every second; a few seconds is what the room notices
ROUND_SCREEN = "#projector-live:not(.wall-projector)"
WALL_SCREEN = "#projector-live.wall-projector"


@pytest.fixture
def room():
    evaluation = make_evaluation()
    moment = KeyMoment.objects.create(
        evaluation=evaluation, order=1, title="Ondertekening", phase=Phase.START, period="2015"
    )
    people = [
        Participant.objects.create(
            evaluation=evaluation, name=f"Persoon {i}", organisation="Org", role=role
        )
        for i, role in enumerate([Role.VERTELLER] * 4 + [Role.REFLECTOR] * 4)
    ]
    session = ReconstructionSession.objects.create(
        evaluation=evaluation, key_moment=moment, day=1, slot=1
    )
    session.participants.set(people)
    session = session_state_set(session=session, state=SessionState.OPEN)
    for person in people[:6]:
        Allocation.objects.create(
            session=session, participant=person, ambitie=4, belangen=1, relatie=2,
            organisatie=2, proces=1,
        )  # fmt: skip
    session = session_state_set(session=session, revealed=True)
    first = Prompt.objects.create(evaluation=evaluation, title="Wat nemen we mee?", order=1)
    second = Prompt.objects.create(evaluation=evaluation, title="Wat laten we los?", order=2)
    prompt_state_set(prompt=first, action="open")
    prompt_state_set(prompt=first, action="close")
    link = projector_link_set(evaluation=evaluation, active=True)
    return session, first, second, link


def test_the_link_follows_the_reported_sequence(live_server, browser, room):
    session, first, second, link = room
    page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    page.goto(live_server.url + reverse("projector_link", args=[link.token]))
    expect(page.locator(ROUND_SCREEN)).to_be_visible()
    expect(page.locator("[data-means]")).to_be_visible()

    prompt_state_set(prompt=first, action="open")  # reopened during the round
    prompt_state_set(prompt=second, action="open")
    page.wait_for_timeout(2500)  # a few polls
    expect(page.locator(ROUND_SCREEN)).to_be_visible()
    prompt_state_set(prompt=second, action="close")

    session_state_set(session=session, revealed=False)
    expect(page.locator("[data-means]")).to_have_count(0, timeout=FOLLOWS)
    session_state_set(session=session, revealed=True)  # "Toon resultaten" again
    expect(page.locator("[data-means]")).to_be_visible(timeout=FOLLOWS)

    before = page.locator("[data-count]").inner_text()
    session.participants.remove(session.participants.order_by("-pk").first())  # group change
    expect(page.locator("[data-count]")).not_to_have_text(before, timeout=FOLLOWS)
    expect(page.locator(ROUND_SCREEN)).to_be_visible()

    # The round closes while a prompt is open: the link shows the wall, at the same URL.
    url = page.url
    session_state_set(session=session, state=SessionState.GESLOTEN)
    expect(page.locator(WALL_SCREEN)).to_be_visible(timeout=FOLLOWS)
    expect(page.locator(WALL_SCREEN)).to_contain_text("Wat nemen we mee?")
    assert page.url == url
    # A round opened again wins over the wall.
    session_state_set(session=session, state=SessionState.OPEN)
    expect(page.locator(ROUND_SCREEN)).to_be_visible(timeout=FOLLOWS)
    page.context.close()


def test_the_walls_own_link_shows_the_wall_during_a_round(live_server, browser, room):
    session, first, second, link = room
    prompt_state_set(prompt=first, action="open")
    page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    page.goto(live_server.url + reverse("wall_projector_link", args=[link.token]))
    expect(page.locator(WALL_SCREEN)).to_be_visible()
    prompt_state_set(prompt=second, action="open")  # live: the second prompt appears
    expect(page.locator(WALL_SCREEN)).to_contain_text("Wat laten we los?", timeout=FOLLOWS)
    # A round opened after the prompt: the wall's own link stays on the wall.
    session_state_set(session=session, state=SessionState.GESLOTEN)
    session_state_set(session=session, state=SessionState.OPEN)
    page.wait_for_timeout(2500)  # a few polls
    expect(page.locator(WALL_SCREEN)).to_be_visible()
    page.reload()
    expect(page.locator(WALL_SCREEN)).to_be_visible()
    assert page.url.endswith("/slotdialoog/")
    page.context.close()
