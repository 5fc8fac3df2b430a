"""'Niet verstuurd' only for points that differ from what was saved (issue 13, room2 item 5).

A participant who sent points, chose Wijzigen and was still looking at the same points when
the round closed was told that what they had typed was not sent: the page compared with
nothing. The server compares a refused submit with the saved points; the form carries the
saved points so that the page's script can compare too (tests/e2e/test_unsent_points.py).
"""

import pytest
from django.urls import reverse

from scoring.services import session_state_set
from sessions.models import SessionState

from .conftest import allocate, personal_token, points

pytestmark = pytest.mark.django_db

SAVED = dict(ambitie=4, belangen=2, relatie=2, organisatie=1, proces=1)


@pytest.fixture
def saved(session, verteller):
    allocation = allocate(session, verteller, **SAVED)
    return allocation


def _submit(client, session, participant, values, version):
    return client.post(
        reverse("participant:submit", args=[personal_token(participant), session.pk]),
        {**values, "versie": version},
        headers={"HX-Request": "true", "HX-Target": f"sessie-{session.pk}"},
    )


def test_resending_the_saved_points_after_the_round_closed_is_not_marked_unsent(
    client, session, verteller, saved
):
    session_state_set(session=session, state=SessionState.GESLOTEN)
    html = _submit(client, session, verteller, points(**SAVED), saved.version).content.decode()
    assert "data-unsent" not in html
    assert "niet verstuurd" not in html
    assert "al opgeslagen" in html


def test_other_points_after_the_round_closed_are_marked_unsent(client, session, verteller, saved):
    session_state_set(session=session, state=SessionState.GESLOTEN)
    other = points(ambitie=2, belangen=4)
    html = _submit(client, session, verteller, other, saved.version).content.decode()
    assert "data-unsent" in html
    assert "niet verstuurd" in html


def test_points_sent_to_a_closed_round_without_saved_points_are_marked_unsent(
    client, session, verteller
):
    session_state_set(session=session, state=SessionState.GESLOTEN)
    html = _submit(client, session, verteller, points(**SAVED), "").content.decode()
    assert "data-unsent" in html


def test_the_form_carries_the_saved_points_for_the_page_to_compare(
    client, session, verteller, saved
):
    url = reverse("participant:page", args=[personal_token(verteller)])
    html = client.get(url, {"wijzig": session.pk}).content.decode()
    assert 'data-saved="4,2,2,1,1"' in html


def test_a_new_form_carries_no_saved_points(client, session, verteller):
    html = client.get(reverse("participant:page", args=[personal_token(verteller)])).content
    assert b'data-saved=""' in html
