"""A personal link that stopped working says why, and what to do (issue 13, room2 item 5).

Whose name was removed after the workshop (participant_anonymise) was told to join again and
pick their name: a name that can never be picked again. Every answer to the dead link (the
page, the personal page's live region, an htmx request elsewhere) says the name was removed
and that nothing needs doing; a released name still says to join again.
"""

import pytest
from django.urls import reverse

from sessions.services import claim_release, participant_anonymise

from .conftest import personal_token

pytestmark = pytest.mark.django_db

REMOVED = "Je naam is verwijderd"
JOIN_AGAIN = "Opnieuw meedoen"


@pytest.fixture
def removed(session, verteller) -> str:
    token = personal_token(verteller)
    participant_anonymise(participant=verteller)
    return token


def test_the_link_of_a_removed_name_says_the_name_was_removed(client, removed):
    response = client.get(reverse("participant:page", args=[removed]))
    html = response.content.decode()
    assert response.status_code == 404
    assert REMOVED in html
    assert "tellen anoniem mee" in html
    assert JOIN_AGAIN not in html and "kies je naam" not in html


def test_the_personal_pages_live_region_says_the_name_was_removed(client, removed):
    response = client.get(
        reverse("participant:live", args=[removed]),
        headers={"HX-Request": "true", "HX-Target": "participant-live"},
    )
    html = response.content.decode()
    assert REMOVED in html
    assert JOIN_AGAIN not in html


def test_a_score_sent_from_the_link_of_a_removed_name_says_so(client, removed, session):
    response = client.post(
        reverse("participant:submit", args=[removed, session.pk]),
        {"ambitie": 2, "belangen": 2, "relatie": 2, "organisatie": 2, "proces": 2},
        headers={"HX-Request": "true", "HX-Target": f"sessie-{session.pk}"},
    )
    assert REMOVED in response.content.decode()


def test_every_other_page_behind_the_link_says_so_too(client, removed):
    for name in ("device",):
        response = client.get(reverse(f"participant:{name}", args=[removed]))
        assert REMOVED in response.content.decode(), name


def test_a_released_name_still_advises_joining_again(client, session, verteller):
    token = personal_token(verteller)
    claim_release(participant=verteller)
    html = client.get(reverse("participant:page", args=[token])).content.decode()
    assert JOIN_AGAIN in html
    assert REMOVED not in html


def test_an_unknown_link_advises_joining_again(client, db):
    html = client.get(reverse("participant:page", args=["x" * 43])).content.decode()
    assert JOIN_AGAIN in html
