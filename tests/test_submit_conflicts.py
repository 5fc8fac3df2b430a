"""A submit that cannot be stored says so once, accurately, and shows what counts.

Minor 5: a submit into a round that had just closed showed two red banners saying the same,
and "je punten zijn niet meer opgeslagen" read as if the earlier points were gone (they still
count) without showing them. Minor 16: one person on two devices overwrote silently (the
phone's stale form replaced the laptop's 4,3,1,1,1 with 5,5,0,0,0): the form now carries the
version of the points it was drawn from, and a submit from an older version is refused with
the current points and the typed ones; sending again replaces them knowingly.
"""

import re

import pytest
from django.urls import reverse

from scoring.models import Allocation
from scoring.services import allocation_submit, session_state_set
from sessions.models import SessionState

from .conftest import personal_token, points

LAPTOP = points(ambitie=4, belangen=3, relatie=1, organisatie=1, proces=1)
PHONE = points(ambitie=5, belangen=5, relatie=0, organisatie=0, proces=0)
HTMX = {"HX-Request": "true", "HX-Target": "sessie-1"}


def _version_in(html: str) -> str:
    return re.search(r'name="versie" value="([^"]*)"', html).group(1)


@pytest.fixture
def page_url(verteller):
    return reverse("participant:page", args=[personal_token(verteller)])


def _submit_url(verteller, session):
    return reverse("participant:submit", args=[personal_token(verteller), session.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["zonder-js", "htmx"])
def test_a_form_drawn_before_another_device_sent_points_does_not_overwrite_them(
    client, session, verteller, page_url, htmx
):
    phone_form = client.get(page_url).content.decode()  # drawn before any points
    allocation_submit(participant=verteller, session=session, points=LAPTOP, based_on="")
    headers = HTMX if htmx else {}
    data = {**PHONE, "versie": _version_in(phone_form)}
    response = client.post(_submit_url(verteller, session), data, headers=headers)
    html = response.content.decode()
    assert Allocation.objects.get(participant=verteller).points == LAPTOP
    assert "intussen gewijzigd" in html
    assert html.count("intussen gewijzigd") == 1
    # The current points and what was typed, both on screen: nothing is lost.
    assert "Deze punten gelden nu:" in html
    assert re.search(r"Belangen: <strong>3</strong>", html)
    assert 'value="5"' in html
    # Sending again from this answer (it carries the current version) replaces them.
    again = {**PHONE, "versie": _version_in(html)}
    client.post(_submit_url(verteller, session), again, headers=headers)
    assert Allocation.objects.get(participant=verteller).points == PHONE


@pytest.mark.django_db
def test_a_resend_of_the_same_points_is_no_conflict(client, session, verteller, page_url):
    """After a lost answer the page sends again with the old version: same points, stored once."""
    version = _version_in(client.get(page_url).content.decode())
    url = _submit_url(verteller, session)
    assert client.post(url, {**LAPTOP, "versie": version}).status_code == 302
    resent = client.post(url, {**LAPTOP, "versie": version}, headers=HTMX)
    assert "Je punten zijn opgeslagen" in resent.content.decode()
    assert verteller.allocation_changes.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["zonder-js", "htmx"])
def test_a_submit_into_a_closed_round_says_once_which_points_count(
    client, session, verteller, page_url, htmx
):
    allocation_submit(participant=verteller, session=session, points=LAPTOP)
    session_state_set(session=session, state=SessionState.GESLOTEN)
    headers = HTMX if htmx else {}
    response = client.post(_submit_url(verteller, session), PHONE, headers=headers)
    html = response.content.decode()
    assert html.count("Deze ronde is gesloten") == 1
    assert "niet meer opgeslagen" not in html
    assert "Deze punten, eerder opgeslagen, tellen mee:" in html
    assert re.search(r"Belangen: <strong>3</strong>", html)
    assert "Wat je had ingevuld (niet verstuurd):" in html
    assert Allocation.objects.get(participant=verteller).points == LAPTOP
