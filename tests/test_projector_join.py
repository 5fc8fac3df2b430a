"""The projector shows how to join whenever people can join: before the round opens too.

The tester's room saw only "De ronde is nog niet geopend" before "Open scoren", exactly when
people needed the code and the QR code; the projector link without an open round showed
nothing but "Nog geen ronde geopend".
"""

import pytest
from django.urls import reverse

from scoring.services import session_state_set
from sessions.models import SessionState
from sessions.services import projector_link_set


def _shows_join(html: str, evaluation) -> bool:
    return evaluation.join_code in html and 'class="qr"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("state", [SessionState.VOORBEREIDING, SessionState.OPEN])
def test_the_projector_shows_code_and_qr_before_and_during_the_round(
    client, facilitator, evaluation, session, state
):
    session_state_set(session=session, state=state)
    client.force_login(facilitator)
    html = client.get(reverse("sessions:projector", args=[evaluation.slug, session.pk])).content
    assert _shows_join(html.decode(), evaluation)


@pytest.mark.django_db
def test_the_projector_link_shows_the_code_while_no_round_is_open(
    client, facilitator, evaluation, session
):
    session_state_set(session=session, state=SessionState.VOORBEREIDING)
    link = projector_link_set(evaluation=evaluation, active=True, by=facilitator)
    html = client.get(reverse("projector_link", args=[link.token])).content.decode()
    assert "Nog geen ronde geopend" in html
    assert _shows_join(html, evaluation)


@pytest.mark.django_db
def test_a_closed_rounds_results_take_the_screen(client, facilitator, evaluation, session):
    session_state_set(session=session, state=SessionState.GESLOTEN, revealed=True)
    client.force_login(facilitator)
    html = client.get(reverse("sessions:projector", args=[evaluation.slug, session.pk])).content
    assert 'class="qr"' not in html.decode()
