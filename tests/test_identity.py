"""Who may be whom: a name is claimed once, by the device that picked it (issue 10, items 1-2)."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from evaluatiespiegel.transfer import evaluation_export
from scoring.services import allocation_submit, session_state_set
from sessions.models import Claim, Participant, SessionState
from sessions.participant_views import COOKIE
from sessions.services import participant_anonymise

from .conftest import allocate, personal_token, points


def joined(evaluation) -> Client:
    """A fresh device that typed the join code."""
    device = Client()
    assert (
        device.post(reverse("participant:join"), {"code": evaluation.join_code}).status_code == 302
    )
    return device


def pick(device: Client, participant):
    return device.post(reverse("participant:pick"), {"participant": participant.pk})


def release_url(participant):
    return reverse(
        "sessions:participant_release", args=[participant.evaluation.slug, participant.pk]
    )


class TestClaimingAName:
    def test_a_second_device_cannot_pick_a_claimed_name_and_is_told_how_to_continue(
        self, evaluation, verteller
    ):
        first = pick(joined(evaluation), verteller)
        assert first.status_code == 302
        second = pick(joined(evaluation), verteller)
        assert second.status_code == 409
        assert COOKIE not in second.cookies
        html = second.content.decode()
        assert "al gekozen op een ander apparaat" in html
        assert "Verder op een ander apparaat" in html and "facilitator" in html
        assert Claim.objects.get(participant=verteller).token == first.cookies[COOKIE].value

    def test_the_device_that_holds_the_name_may_pick_it_again(self, evaluation, verteller):
        device = joined(evaluation)
        first = pick(device, verteller)
        again = pick(device, verteller)
        assert again.status_code == 302 and again.url == first.url

    def test_the_pick_list_shows_which_names_are_taken(self, evaluation, verteller, reflector):
        pick(joined(evaluation), verteller)
        html = joined(evaluation).get(reverse("participant:pick")).content.decode()
        assert html.count("al gekozen") == 1

    def test_picking_another_name_lets_go_of_the_first(self, evaluation, verteller, reflector):
        device = joined(evaluation)
        pick(device, verteller)
        pick(device, reflector)
        assert not Claim.objects.filter(participant=verteller).exists()
        assert pick(joined(evaluation), verteller).status_code == 302

    def test_the_personal_link_moves_to_a_second_device(self, evaluation, verteller, session):
        """ "Verder op een ander apparaat": the second device is asked to take the name over
        (privacy2 item 2) and then holds it."""
        url = pick(joined(evaluation), verteller).url
        phone = Client()
        assert phone.get(url).status_code == 409
        phone.post(reverse("participant:take_over", args=[verteller.claim.token]))
        response = phone.get(url)
        assert response.status_code == 200 and "Ondertekening" in response.content.decode()
        assert phone.cookies[COOKIE].value == verteller.claim.token

    def test_an_anonymised_participant_can_never_be_picked_again_not_even_by_post(
        self, evaluation, verteller
    ):
        old = pick(joined(evaluation), verteller).url
        participant_anonymise(participant=verteller)
        device = joined(evaluation)
        assert verteller.name not in device.get(reverse("participant:pick")).content.decode()
        response = pick(device, verteller)
        assert "Kies je naam uit de lijst" in response.content.decode()
        assert COOKIE not in response.cookies
        assert not Claim.objects.filter(participant=verteller).exists()
        assert Client().get(old).status_code == 404


class TestReleasingAName:
    def test_the_facilitator_releases_a_name_and_the_old_link_stops_working(
        self, client, facilitator, evaluation, verteller
    ):
        old_device = joined(evaluation)
        link = pick(old_device, verteller).url
        client.force_login(facilitator)
        page = client.get(reverse("sessions:participants", args=[evaluation.slug]))
        assert "Naam vrijgeven" in page.content.decode()
        response = client.post(release_url(verteller))
        assert response.status_code == 302
        gone = old_device.get(link)
        assert gone.status_code == 404
        assert "Doe opnieuw mee" in gone.content.decode()
        assert pick(joined(evaluation), verteller).status_code == 302

    def test_the_participant_page_offers_the_same_release_and_returns_there(
        self, client, facilitator, evaluation, verteller
    ):
        link = pick(joined(evaluation), verteller).url
        client.force_login(facilitator)
        edit = reverse("sessions:participant_edit", args=[evaluation.slug, verteller.pk])
        html = client.get(edit).content.decode()
        assert "Naam vrijgeven" in html and release_url(verteller) in html
        response = client.post(release_url(verteller), {"terug": "bewerken"})
        assert response.status_code == 302 and response.url == edit
        assert Client().get(link).status_code == 404
        assert "Naam vrijgeven" not in client.get(edit).content.decode()

    def test_only_the_facilitator_releases_names_and_only_by_post(
        self, client, facilitator, analyst, other_facilitator, evaluation, verteller
    ):
        personal_token(verteller)
        for user in (analyst, other_facilitator):
            client.force_login(user)
            assert client.post(release_url(verteller)).status_code == 404
        client.force_login(facilitator)
        assert client.get(release_url(verteller)).status_code == 405
        assert Claim.objects.filter(participant=verteller).exists()
        assert Client().post(release_url(verteller)).status_code == 302  # to log in
        assert Claim.objects.filter(participant=verteller).exists()

    def test_not_you_asks_first_and_then_frees_the_name(self, evaluation, verteller):
        device = joined(evaluation)
        pick(device, verteller)
        confirm = device.get(reverse("participant:leave"))
        assert confirm.status_code == 200 and "Naam loslaten" in confirm.content.decode()
        assert Claim.objects.filter(participant=verteller).exists()
        device.post(reverse("participant:leave"))
        assert not Claim.objects.filter(participant=verteller).exists()


class TestPastPoints:
    def test_points_of_a_past_round_are_shown_only_to_the_device_that_sent_them(
        self, client, facilitator, evaluation, session, verteller
    ):
        owner = joined(evaluation)
        pick(owner, verteller)
        allocation_submit(
            participant=verteller, session=session, points=points(ambitie=4, proces=0)
        )
        session_state_set(session=session, state=SessionState.GESLOTEN)
        own_page = owner.get(reverse("participant:page", args=[verteller.claim.token]))
        assert own_page.context["cards"][0]["allocation"] is not None
        client.force_login(facilitator)
        client.post(release_url(verteller))
        other = joined(evaluation)
        response = other.get(pick(other, verteller).url)
        card = response.context["cards"][0]
        assert card["allocation"] is None and card["elsewhere"]
        assert "voordat dit apparaat je naam koos" in response.content.decode()

    def test_points_sent_from_this_device_stay_visible_after_the_round(
        self, client, evaluation, session, verteller
    ):
        url = reverse("participant:page", args=[personal_token(verteller)])
        allocate(session, verteller, ambitie=4, proces=0)
        session_state_set(session=session, state=SessionState.GESLOTEN)
        assert client.get(url).context["cards"][0]["allocation"] is not None


class TestPrivatePages:
    def test_every_participant_page_is_private_and_never_stored(
        self, client, evaluation, session, verteller
    ):
        token = personal_token(verteller)
        client.post(reverse("participant:join"), {"code": evaluation.join_code})
        responses = [
            client.get(reverse("participant:join")),
            client.get(reverse("participant:pick")),
            pick(client, verteller),
            client.get(reverse("participant:page", args=[token])),
            client.get(reverse("participant:live", args=[token])),
            client.get(reverse("participant:device", args=[token])),
            client.get(reverse("participant:card", args=[token, session.pk])),
            client.post(reverse("participant:submit", args=[token, session.pk]), points()),
            client.get(reverse("participant:page", args=["onbekend"])),
        ]
        for response in responses:
            cache = response.get("Cache-Control", "")
            assert "private" in cache and "no-store" in cache, (response.request, cache)


class TestPseudonyms:
    def test_a_pseudonym_is_not_derived_from_any_token(self, evaluation, verteller, reflector):
        claim_token = personal_token(verteller)
        for secret in (verteller.token, claim_token):
            digest = hashlib.sha256(f"pseudoniem:{secret}".encode()).hexdigest()
            assert digest[:8].upper() not in verteller.pseudonym
        assert verteller.pseudonym.startswith("Deelnemer-")
        assert verteller.pseudonym != reflector.pseudonym

    def test_a_pseudonym_is_stored_and_stays_the_same(self, evaluation, verteller):
        before = verteller.pseudonym
        again = Participant.objects.get(pk=verteller.pk)
        assert again.pseudonym == before
        participant_anonymise(participant=again)
        again.refresh_from_db()
        assert again.pseudonym == before and again.name == before

    def test_the_backup_file_holds_no_personal_link(self, evaluation, verteller):
        token = personal_token(verteller)
        assert token not in str(evaluation_export(evaluation))

    def test_the_database_refuses_two_equal_pseudonyms_in_one_evaluation(
        self, evaluation, verteller
    ):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            Participant.objects.create(
                evaluation=evaluation,
                name="Tweede",
                role="reflector",
                pseudonym=verteller.pseudonym,
            )
