"""The room's hot paths in hand-written SQL (issue 14) read and write what the ORM would.

A submit reads its session, the participant's group, their allocation and their rounds in one
statement, and every request behind a personal link finds its claim in one; these tests hold
them to what the ORM gives, in every state a participant's rounds can be in.
"""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from scoring.models import Allocation, AllocationChange
from scoring.services import allocation_submit, session_state_set
from sessions.models import Claim, KeyMoment, Phase, ReconstructionSession, SessionState

from .conftest import allocate, personal_token, points

HTMX = {"HX-Request": "true"}


def _other_round(evaluation, participant, state, slot):
    moment = KeyMoment.objects.create(
        evaluation=evaluation, order=slot, title=f"Moment {slot}", phase=Phase.SLOT
    )
    opened = SessionState.VOORBEREIDING if state == SessionState.VOORBEREIDING else "open"
    other = ReconstructionSession.objects.create(
        evaluation=evaluation, key_moment=moment, day=1, slot=slot, state=opened
    )
    other.participants.add(participant)
    if state == SessionState.GESLOTEN:
        allocation_submit(
            participant=participant, session=other, points=points(ambitie=4, proces=0)
        )
        allocation_submit(participant=participant, session=other, points=points())
        session_state_set(session=other, state=state)
    return other


# What else the participant's page holds when they send their points.
ROUNDS = {
    "only this round": [],
    "a closed round with their points": [SessionState.GESLOTEN],
    "a round in preparation": [SessionState.VOORBEREIDING],
    "another open round": [SessionState.OPEN],
    "all of them": [SessionState.GESLOTEN, SessionState.VOORBEREIDING, SessionState.OPEN],
}


@pytest.mark.parametrize("earlier", [False, True], ids=["first submit", "a change"])
@pytest.mark.parametrize("rounds", ROUNDS, ids=list(ROUNDS))
def test_the_signature_a_submit_answers_with_is_the_pages_own(
    client, session, verteller, evaluation, rounds, earlier
):
    """The card carries the page's signature after the save, so this device's poll does not
    redraw its own save; the poll computes it from the database and must agree exactly."""
    for slot, state in enumerate(ROUNDS[rounds], start=2):
        _other_round(evaluation, verteller, state, slot)
    if earlier:
        allocate(session, verteller, ambitie=4, proces=0)
    token = personal_token(verteller)
    url = reverse("participant:submit", args=[token, session.pk])
    response = client.post(url, points(belangen=4, relatie=0), headers=HTMX)
    assert response.status_code == 200
    signature = re.search(r'data-signature="([^"]+)"', response.content.decode()).group(1)
    live = reverse("participant:live", args=[token])
    # The page's signature goes on with the slotdialoog's part, which a submit leaves as it
    # was (scoring.js renews the part before the "|").
    rounds, bar, wall = client.get(live).context["signature"].partition("|")
    assert rounds == signature
    assert client.get(live, {"sig": signature + bar + wall}).status_code == 204


def test_a_submit_from_another_device_still_redraws_this_one(client, session, verteller):
    token = personal_token(verteller)
    url = reverse("participant:submit", args=[token, session.pk])
    answer = client.post(url, points(), headers=HTMX).content.decode()
    signature = re.search(r'data-signature="([^"]+)"', answer).group(1)
    live = reverse("participant:live", args=[token])
    wall = client.get(live).context["signature"].partition("|")[2]
    allocation_submit(participant=verteller, session=session, points=points(ambitie=4, proces=0))
    assert client.get(live, {"sig": f"{signature}|{wall}"}).status_code == 200


@pytest.mark.parametrize("earlier", [False, True], ids=["first submit", "a change"])
def test_a_submit_stores_what_the_orm_reads_back(session, verteller, earlier):
    if earlier:
        allocate(session, verteller, ambitie=4, proces=0)
    sent = points(belangen=3, relatie=1)
    allocation = allocation_submit(participant=verteller, session=session, points=sent)
    stored = Allocation.objects.get(participant=verteller, session=session)
    assert (stored.pk, stored.points, stored.version) == (
        allocation.pk,
        sent,
        allocation.version,
    )
    assert allocation.session.key_moment.title == session.key_moment.title
    change = AllocationChange.objects.filter(participant=verteller).last()
    assert change.new_points == sent
    assert change.old_points == (points(ambitie=4, proces=0) if earlier else None)
    assert change.changed_by == verteller.name


def test_a_change_based_on_the_version_it_answered_is_accepted(session, verteller):
    """The version a submit answers with (the card's form) is the stored one to the
    microsecond: the next change from that card is not refused as stale."""
    first = allocation_submit(participant=verteller, session=session, points=points())
    again = allocation_submit(
        participant=verteller,
        session=session,
        points=points(ambitie=4, proces=0),
        based_on=first.version,
    )
    assert again.points == points(ambitie=4, proces=0)


def test_a_claim_by_its_token_is_what_the_orm_reads(verteller):
    token = personal_token(verteller)
    fast = Claim.objects.by_token(token)
    orm = Claim.objects.select_related("participant__evaluation").get(token=token)

    def fields(instance):
        return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.fields}

    assert fields(fast) == fields(orm)
    assert fields(fast.participant) == fields(orm.participant)
    assert fields(fast.participant.evaluation) == fields(orm.participant.evaluation)


LINK_URLS = [
    f"/p/{{}}/{suffix}"
    for suffix in ["", "live/", "klok/", "apparaat/", "sessies/1/", "slotdialoog/"]
] + [f"/projector/{{}}/{suffix}" for suffix in ["", "live/", "slotdialoog/", "sessies/1/live/"]]
JUNK_TOKENS = ["nu\x00l", "x" * 65, "ë", "a b", "%"]


@pytest.mark.parametrize("url", LINK_URLS)
@pytest.mark.parametrize("token", JUNK_TOKENS, ids=["NUL", "too long", "non-ascii", "space", "%"])
def test_a_link_that_is_no_token_is_not_found_not_an_error(client, session, token, url):
    """Personal and projector links: a NUL reached PostgreSQL as a 500."""
    assert client.get(url.format(quote(token, safe=""))).status_code == 404


@pytest.mark.parametrize("token", JUNK_TOKENS, ids=["NUL", "too long", "non-ascii", "space", "%"])
def test_a_submit_to_a_link_that_is_no_token_is_gone_not_an_error(client, session, token):
    response = client.post(f"/p/{quote(token, safe='')}/sessies/{session.pk}/punten/", points())
    assert response.status_code == 404
