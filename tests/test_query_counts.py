"""What the room's hot paths cost in queries, pinned (issue 14): a submit, and the polls that
answer "nothing new". A change here is a change in the room's capacity: measure it with
`make bench` before changing the number."""

import json

from django.urls import reverse

from scoring.models import Allocation
from sessions.models import Participant, Role, TimerKind
from sessions.participant_views import DEVICE_COOKIE
from sessions.services import session_timer_start

from .conftest import personal_token, points
from .urlmap import own_device

HTMX = {"HX-Request": "true"}


def submit_url(participant, session) -> str:
    return reverse("participant:submit", args=[personal_token(participant), session.pk])


def test_a_first_htmx_submit_costs_a_fixed_number_of_queries(
    client, session, verteller, django_assert_num_queries
):
    url = submit_url(verteller, session)
    # The claim; in one transaction (2 of the 6: its savepoint and release) one read of the
    # session with its group, state, the participant's own allocation and their rounds (the
    # page's new signature in the answer, issue 9 item 3: this device does not redraw its own
    # save, another device's change does reach it), the allocation, the audit row.
    # Was 9, then 7 (issue 14).
    with django_assert_num_queries(6):
        response = client.post(url, points(), headers=HTMX)
    assert response.status_code == 200
    assert Allocation.objects.filter(participant=verteller).exists()


def test_a_changed_htmx_submit_costs_a_fixed_number_of_queries(
    client, session, verteller, django_assert_num_queries
):
    url = submit_url(verteller, session)
    client.post(url, points(), headers=HTMX)
    with django_assert_num_queries(6):
        client.post(url, points(ambitie=4, proces=0), headers=HTMX)


def test_a_participant_poll_with_nothing_new_costs_a_fixed_number_of_queries(
    client, session, verteller, django_assert_num_queries
):
    live = reverse("participant:live", args=[personal_token(verteller)])
    signature = client.get(live).context["signature"]
    # The claim, the rounds, and the open prompts of the slotdialoog (the status line says
    # what is open besides the rounds).
    with django_assert_num_queries(3):
        assert client.get(live, {"sig": signature}, headers=HTMX).status_code == 204


def test_an_idle_participant_poll_with_its_room_version_costs_no_query(
    client, session, verteller, django_assert_num_queries
):
    """The poll that phones send every 3 s, answered from the room versions (sessions/live.py)."""
    live_url = reverse("participant:live", args=[personal_token(verteller)])
    first = client.get(live_url, headers=HTMX)
    params = {"sig": first.context["signature"], "rv": first.headers["X-Room-Version"]}
    with django_assert_num_queries(0):
        assert client.get(live_url, params, headers=HTMX).status_code == 204


def test_an_idle_projector_poll_with_its_room_version_costs_no_query(
    client, facilitator, session, django_assert_num_queries
):
    client.force_login(facilitator)
    url = reverse("sessions:projector_live", args=[session.evaluation.slug, session.pk])
    first = client.get(url, headers=HTMX)
    params = {"v": first.context["version"], "rv": first.headers["X-Room-Version"]}
    with django_assert_num_queries(0):
        assert client.get(url, params, headers=HTMX).status_code == 204


def test_the_personal_page_costs_a_fixed_number_of_queries_whatever_the_room(
    client, session, verteller, evaluation, django_assert_num_queries
):
    """Every participant opens it once when they join: in a 1,000-person burst it was the
    costliest request (issue 14). The claim, the rounds (their clocks read with them), the own
    points, the open prompts, the wall's version; the wall's prompts are not read again when
    none is open. Was 7. On the device that holds the name (picking it binds it); the first
    opening of a printed card's link writes the binding once more (tests/test_device_binding)."""
    url = reverse("participant:page", args=[personal_token(verteller)])
    client.cookies[DEVICE_COOKIE] = own_device(verteller)
    others = Participant.objects.bulk_create(
        Participant(evaluation=evaluation, name=f"Deelnemer {i}", role=Role.REFLECTOR)
        for i in range(40)
    )
    session.participants.add(*others)
    for person in others[:10]:
        client.post(submit_url(person, session), points(), headers=HTMX)
    session_timer_start(session=session, kind=TimerKind.SCOREN, minutes=5)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200
    assert 'class="round-timer' in response.text


def test_a_redraw_of_the_rounds_tells_the_clock_and_the_wall_to_look_again(
    client, session, verteller
):
    """Only the rounds' poll runs all the time; the clock and the wall poll while there is
    something to follow, and hear from it when that changes (tests/e2e/test_participant_polls)."""
    live = reverse("participant:live", args=[personal_token(verteller)])
    response = client.get(live, {"sig": "verouderd"}, headers=HTMX)
    assert response.status_code == 200
    assert json.loads(response.headers["HX-Trigger"]) == {
        "spiegel-klok": {},
        "spiegel-wand": {},
    }
    signature = response.context["signature"]
    assert "HX-Trigger" not in client.get(live, {"sig": signature}, headers=HTMX).headers


def test_the_room_s_hot_statements_are_planned_once_per_connection_on_postgresql(
    client, session, verteller
):
    """On PostgreSQL, planning the submit's read cost more than running it (issue 14): the
    statements of evaluatiespiegel.rawsql are prepared once a connection ran them a few times,
    and Django's own queries are not (they bind on the client)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return  # SQLite prepares every statement anyway (its statement cache)
    url = submit_url(verteller, session)
    for ambitie in (0, 1, 3, 4, 0, 1, 3):
        response = client.post(url, points(ambitie=ambitie, proces=4 - ambitie), headers=HTMX)
        assert "Je punten zijn opgeslagen" in response.text
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"workshop_claim"' in sql and "$1" in sql for sql in prepared), prepared
    assert any('"scoring_allocationchange"' in sql and "INSERT" in sql for sql in prepared)
    assert not any("django_" in sql for sql in prepared)
