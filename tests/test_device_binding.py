"""A personal link is bound to the device that first opens it (privacy2 item 2).

"Stuur mij even de link": a link copied from the address bar made anyone that participant
on any number of devices, silently. Now the first device that opens the link (or picks the
name) holds it; another device gets a page that explains and lets the person take the name
over; the first device then hears so at its next poll, and the facilitator's Deelnemers
page shows the take-over with its time.
"""

import pytest
from django.test import Client
from django.urls import reverse

from scoring.models import Allocation
from sessions.models import Claim
from sessions.services import claims_for_cards

from .conftest import points

HTMX_LIVE = {"HX-Request": "true", "HX-Target": "participant-live"}


@pytest.fixture
def card_link(session, verteller):
    """A printed card's link: the claim exists before any device opened it."""
    claims_for_cards(evaluation=session.evaluation)
    return reverse("participant:page", args=[Claim.objects.get(participant=verteller).token])


def test_the_first_device_that_opens_a_card_holds_the_name(card_link, verteller):
    first = Client()
    assert first.get(card_link).status_code == 200
    assert Claim.objects.get(participant=verteller).device
    assert first.get(card_link).status_code == 200


def test_a_second_device_gets_a_page_that_explains_and_no_points(card_link, session, verteller):
    Client().get(card_link)
    second = Client()
    response = second.get(card_link)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Je naam is open op een ander apparaat" in html
    assert "Mijn naam hier overnemen" in html
    assert 'name="points' not in html and "sessie-" not in html
    token = Claim.objects.get(participant=verteller).token
    submit = reverse("participant:submit", args=[token, session.pk])
    assert second.post(submit, points()).status_code == 409
    assert not Allocation.objects.filter(participant=verteller).exists()


def test_taking_the_name_over_moves_it_and_the_first_device_hears_so(
    card_link, client, facilitator, session, verteller
):
    first, second = Client(), Client()
    first.get(card_link)
    token = Claim.objects.get(participant=verteller).token
    response = second.post(reverse("participant:take_over", args=[token]))
    assert response.status_code == 302 and response["Location"] == card_link
    assert second.get(card_link).status_code == 200

    poll = first.get(reverse("participant:live", args=[token]), headers=HTMX_LIVE)
    assert poll.status_code == 286
    assert "Je naam is op een ander apparaat geopend" in poll.content.decode()
    assert first.get(card_link).status_code == 409

    client.force_login(facilitator)
    page = client.get(reverse("sessions:participants", args=[session.evaluation.slug]))
    assert "overgenomen op een ander apparaat om" in page.content.decode()


def test_the_device_that_picked_the_name_holds_it(client, evaluation, verteller):
    client.post(reverse("participant:join"), {"code": evaluation.join_code})
    response = client.post(reverse("participant:pick"), {"participant": verteller.pk})
    assert response.status_code == 302
    link = response["Location"]
    assert client.get(link).status_code == 200
    assert Client().get(link).status_code == 409


def test_taking_over_works_without_javascript(card_link, verteller):
    """A plain form POST with its CSRF token: no script needed."""
    Client().get(card_link)
    second = Client(enforce_csrf_checks=True)
    page = second.get(card_link)
    csrf = page.cookies["csrftoken"].value
    token = Claim.objects.get(participant=verteller).token
    response = second.post(
        reverse("participant:take_over", args=[token]), {"csrfmiddlewaretoken": csrf}
    )
    assert response.status_code == 302
