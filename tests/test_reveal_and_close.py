"""Showing the results of an open round says that the round stays open, and offers to close it.

"Toon resultaten" used to leave the round open ("Open voor scores · onthuld") without a word:
people could still change their points and the projector's chart moved. The console now
offers "Sluiten en tonen" where the facilitator reveals, says what revealing an open round
means, and every button it offers in any state does what it says (none is refused).
"""

import re

import pytest
from django.urls import reverse

from sessions.models import SessionState

pytestmark = pytest.mark.django_db

STATES = [
    (state, revealed)
    for state in SessionState.values
    for revealed in (False, True)
    if not (state == SessionState.VOORBEREIDING and revealed)
]


def _pages(evaluation, session):
    return [
        reverse("sessions:console", args=[evaluation.slug]),
        reverse("sessions:session", args=[evaluation.slug, session.pk]),
    ]


def _actions(html: str) -> list[str]:
    """The actions of the round's state buttons (the form that posts to session_state)."""
    forms = re.findall(r"<form[^>]*state-buttons.*?</form>", html, flags=re.S)
    return [a for form in forms for a in re.findall(r'name="action" value="([a-z_]+)"', form)]


def test_closing_and_showing_is_one_step(client, facilitator, evaluation, session):
    client.force_login(facilitator)
    response = client.post(
        reverse("sessions:session_state", args=[evaluation.slug, session.pk]),
        {"action": "close_reveal"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.state == SessionState.GESLOTEN and session.revealed
    assert session.closed_at is not None


@pytest.mark.parametrize("state, revealed", STATES, ids=[f"{s}-{r}" for s, r in STATES])
def test_where_the_facilitator_reveals_the_console_says_what_stays_open(
    client, facilitator, evaluation, session, state, revealed
):
    session.state, session.revealed = state, revealed
    session.save()
    client.force_login(facilitator)
    for url in _pages(evaluation, session):
        html = client.get(url).content.decode()
        actions = _actions(html)
        if state == SessionState.OPEN:
            assert "close" in actions
            if revealed:
                assert "de resultaten zijn zichtbaar terwijl de ronde open is" in html
                assert "het diagram op de projector verandert mee" in html
            else:
                assert "close_reveal" in actions and "Sluiten en tonen" in html
                assert "Toon resultaten, ronde blijft open" in html
        else:
            assert "close_reveal" not in actions
            assert "terwijl de ronde open is" not in html


@pytest.mark.parametrize("state, revealed", STATES, ids=[f"{s}-{r}" for s, r in STATES])
def test_every_state_button_the_console_offers_works(
    client, facilitator, evaluation, session, state, revealed
):
    """A button that will be refused is not offered: each one, pressed, changes the round
    (or, for reopening a closed round, asks to confirm) without an error message."""
    client.force_login(facilitator)
    session.state, session.revealed = state, revealed
    session.save()
    page = reverse("sessions:session", args=[evaluation.slug, session.pk])
    offered = _actions(client.get(page).content.decode())
    assert offered
    for action in offered:
        session.state, session.revealed = state, revealed
        session.save()
        response = client.post(
            reverse("sessions:session_state", args=[evaluation.slug, session.pk]),
            {"action": action, "next": page},
            follow=True,
        )
        assert response.status_code == 200, action
        assert not [m for m in response.context["messages"] if m.level_tag == "error"], action
