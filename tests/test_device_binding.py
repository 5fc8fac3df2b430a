"""A personal link is bound to the device that first opens it (privacy2 item 2).

"Stuur mij even de link": a link copied from the address bar made anyone that participant
on any number of devices, silently. Now the first device that opens the link (or picks the
name) holds it; another device gets a page that explains and lets the person take the name
over; the first device then hears so at its next poll, and the facilitator's Deelnemers
page shows the take-over with its time.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring.models import Allocation
from sessions.models import Claim, Prompt, PromptState
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


def test_verder_op_een_ander_apparaat_says_the_other_device_takes_the_name_over(
    card_link, verteller
):
    phone = Client()
    phone.get(card_link)
    token = Claim.objects.get(participant=verteller).token
    page = phone.get(reverse("participant:device", args=[token])).content.decode()
    assert "vraagt of je je naam daar overneemt" in page


def test_taking_over_twice_from_the_same_device_moves_nothing(card_link, verteller):
    Client().get(card_link)
    second = Client()
    token = Claim.objects.get(participant=verteller).token
    second.post(reverse("participant:take_over", args=[token]))
    moved = Claim.objects.get(participant=verteller).moved_at
    second.post(reverse("participant:take_over", args=[token]))
    assert Claim.objects.get(participant=verteller).moved_at == moved


def test_a_contribution_sent_from_the_device_that_lost_the_name_keeps_its_text(
    card_link, evaluation, verteller
):
    """As after a release (test_wall_rules): the news in place, no jump, the text a draft."""
    prompt = Prompt.objects.create(evaluation=evaluation, title="Welke?", state=PromptState.OPEN)
    first = Client()
    first.get(card_link)
    token = Claim.objects.get(participant=verteller).token
    Client().post(reverse("participant:take_over", args=[token]))
    response = first.post(
        reverse("participant:contribute", args=[token, prompt.pk]),
        {"text": "Wat ik net typte", "client_token": "x"},
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{card_link}"},
    )
    assert response.status_code == 200 and "HX-Redirect" not in response.headers
    assert response["HX-Retarget"] == "#participant-live"
    assert "Je naam is op een ander apparaat geopend" in response.content.decode()
    assert response["X-Draft-Keep"] == "1"
    assert not prompt.contributions.exists()


def test_on_the_device_that_holds_the_name_the_check_costs_no_query(
    card_link, session, verteller, django_assert_num_queries
):
    """The device check reads the claim that every personal request reads anyway: a submit,
    a poll and an idle poll cost what they cost before (tests/test_query_counts.py)."""
    phone = Client()
    phone.get(card_link)  # binds the link to this device (one write, once)
    token = Claim.objects.get(participant=verteller).token
    with django_assert_num_queries(6):
        submit = reverse("participant:submit", args=[token, session.pk])
        assert phone.post(submit, points(), headers={"HX-Request": "true"}).status_code == 200
    live = reverse("participant:live", args=[token])
    first = phone.get(live, headers=HTMX_LIVE)
    params = {"sig": first.context["signature"]}
    with django_assert_num_queries(3):
        assert phone.get(live, params, headers=HTMX_LIVE).status_code == 204
    params["rv"] = first.headers["X-Room-Version"]
    with django_assert_num_queries(0):
        assert phone.get(live, params, headers=HTMX_LIVE).status_code == 204


def test_the_device_that_lost_the_name_cannot_let_go_of_it_for_the_other(
    evaluation, verteller, reflector
):
    """'Niet jij?' and picking another name let go of the name this device holds: after a
    take-over that is not this device's any more, so the other device keeps it."""
    first = Client()
    first.post(reverse("participant:join"), {"code": evaluation.join_code})
    link = first.post(reverse("participant:pick"), {"participant": verteller.pk})["Location"]
    token = Claim.objects.get(participant=verteller).token
    second = Client()
    second.post(reverse("participant:take_over", args=[token]))

    first.post(reverse("participant:leave"))
    assert Claim.objects.filter(token=token).exists()
    first.post(reverse("participant:join"), {"code": evaluation.join_code})
    first.post(reverse("participant:pick"), {"participant": reflector.pk})
    assert Claim.objects.filter(token=token).exists()
    assert second.get(link).status_code == 200


@pytest.mark.parametrize("delete", [False, True], ids=["schrijven", "weghalen"])
def test_a_wall_button_on_the_device_that_lost_the_name_answers_on_the_wall(
    card_link, evaluation, verteller, delete
):
    """As on a page whose name ended (tests/test_released_page.py): the news where the
    button was pressed, what was typed in sight, nothing usable left, nothing polls."""
    prompt = Prompt.objects.create(evaluation=evaluation, title="Welke?", state=PromptState.OPEN)
    first = Client()
    first.get(card_link)
    token = Claim.objects.get(participant=verteller).token
    Client().post(reverse("participant:take_over", args=[token]))
    form = {"action": "delete"} if delete else {"text": "Wat ik net typte", "client_token": "x"}
    response = first.post(
        reverse("participant:contribute", args=[token, prompt.pk]),
        form,
        headers={
            "HX-Request": "true",
            "HX-Target": "slotdialoog",
            "HX-Current-URL": f"http://testserver{card_link}",
        },
    )
    html = response.text
    assert response.status_code == 200 and "HX-Retarget" not in response.headers
    assert html.lstrip().startswith('<div id="slotdialoog"') and 'role="alert"' in html
    assert "Je naam is op een ander apparaat overgenomen" in html
    assert ("Wat ik net typte" in html) is not delete
    assert "<form" not in html and "every" not in html
    assert not prompt.contributions.exists()


def test_the_first_opening_of_a_card_costs_one_write_once(card_link):
    """Binding the link is one conditional UPDATE on the first opening; the next openings
    read the claim as before (tests/test_query_counts.py pins the page)."""
    phone = Client()
    with CaptureQueriesContext(connection) as first:
        phone.get(card_link)
    with CaptureQueriesContext(connection) as again:
        phone.get(card_link)
    assert len(first) == len(again) + 1
    assert sum(q["sql"].startswith("UPDATE") for q in first) == 1
    assert not any(q["sql"].startswith("UPDATE") for q in again)


def test_printed_cards_do_not_take_the_names_of_those_who_join_with_the_code(
    card_link, evaluation, verteller, reflector
):
    """A new-user pass: after the facilitator made the cards, everyone who joined with the code
    read "al gekozen op een ander apparaat" for their own name, although no device had it.
    A card nobody opened is not a device's choice: picking the name is as good as scanning
    it, and from then on the card's link asks the phone to take the name over."""
    laptop = Client()
    laptop.post(reverse("participant:join"), {"code": evaluation.join_code})
    listing = laptop.get(reverse("participant:pick")).content.decode()
    assert "al gekozen" not in listing
    response = laptop.post(reverse("participant:pick"), {"participant": verteller.pk})
    assert response.status_code == 302
    assert response["Location"] == card_link  # the card's link, now this laptop's
    assert laptop.get(card_link).status_code == 200
    assert Client().get(card_link).status_code == 409  # a phone scanning the card later

    # A card that a phone did open is that phone's: the name is taken for the code.
    Client().get(reverse("participant:page", args=[Claim.objects.get(participant=reflector).token]))
    other = Client()
    other.post(reverse("participant:join"), {"code": evaluation.join_code})
    assert other.post(reverse("participant:pick"), {"participant": reflector.pk}).status_code == 409
