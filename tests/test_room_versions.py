"""Polls that answer "nothing new" from the room versions alone (issue 14, sessions/live.py).

The rule: every change that a participant's page or the projector shows bumps a version when
it commits; a poll is answered 204 from the cache only while its credential's grant holds and
every version it watches is the one it was given. What ends a credential stops its poll at the
next poll; what ends a login elsewhere, within GRANT_SECONDS.
"""

import pytest
from django.core.cache import caches
from django.db import transaction
from django.urls import reverse

from scoring.services import allocation_submit, session_state_set
from sessions import live
from sessions.models import (
    EvaluationMember,
    KeyMoment,
    Phase,
    ProjectorLink,
    ReconstructionSession,
    SessionState,
)
from sessions.services import (
    claim_release,
    evaluation_join_code_regenerate,
    projector_link_set,
    session_delete,
    session_timer_start,
)

from .conftest import personal_token, points

HTMX = {"HX-Request": "true"}


def _room(evaluation):
    return live.room_key(evaluation.pk)


def _versions(*keys):
    return caches[live.CACHE].get_many(keys)


def _started(*keys):
    """Give the keys a value first, as a poll would have."""
    caches[live.CACHE].set_many({key: "begin" for key in keys})
    return _versions(*keys)


def _add_session(evaluation):
    moment = KeyMoment.objects.create(evaluation=evaluation, order=2, title="B", phase=Phase.SLOT)
    return ReconstructionSession.objects.create(
        evaluation=evaluation, key_moment=moment, day=1, slot=2
    )


def _timer(session):
    session_timer_start(session=session, kind="scoren", minutes=5)


def _min_group_size(session):
    evaluation = session.evaluation
    evaluation.min_group_size = 5
    evaluation.save()


def _rename_key_moment(session):
    moment = session.key_moment
    moment.title = "Nieuwe titel"
    moment.save()


def _role(session):
    participant = session.participants.first()
    participant.role = "reflector" if participant.role == "verteller" else "verteller"
    participant.save()


def _admin_style_close(session):
    stored = ReconstructionSession.objects.get(pk=session.pk)
    stored.state = SessionState.GESLOTEN
    stored.save(update_fields=["state"])


ROOM_CHANGES = {
    "close": lambda s: session_state_set(session=s, state=SessionState.GESLOTEN),
    "reveal": lambda s: session_state_set(session=s, revealed=True),
    "live results": lambda s: session_state_set(session=s, live_results=True),
    "state saved elsewhere (admin)": _admin_style_close,
    "timer": _timer,
    "member removed": lambda s: s.participants.remove(s.participants.first()),
    "member added from the participant's side": lambda s: s.participants.first().sessions.add(
        _add_session(s.evaluation)
    ),
    "group cleared": lambda s: s.participants.clear(),
    "session added": lambda s: _add_session(s.evaluation),
    "session removed": lambda s: session_delete(session=s),
    "join code": lambda s: evaluation_join_code_regenerate(evaluation=s.evaluation),
    "minimum group size": _min_group_size,
    "key moment renamed": _rename_key_moment,
    "participant's role": _role,
    "another module's item (the slotdialoog)": lambda s: live.room_changed(s.evaluation_id),
}


@pytest.mark.parametrize("change", ROOM_CHANGES, ids=list(ROOM_CHANGES))
def test_every_change_the_room_shows_bumps_its_version(
    change, session, django_capture_on_commit_callbacks
):
    key = _room(session.evaluation)
    before = _started(key)
    with django_capture_on_commit_callbacks(execute=True):
        ROOM_CHANGES[change](session)
    assert _versions(key) != before


def test_a_team_change_bumps_the_room(session, facilitator, django_capture_on_commit_callbacks):
    key = _room(session.evaluation)
    before = _started(key)
    other = EvaluationMember.objects.get(user=facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        EvaluationMember.objects.filter(pk=other.pk).get().delete()
    assert _versions(key) != before


def test_a_submit_bumps_its_session_and_its_participant_only(
    session, verteller, django_capture_on_commit_callbacks
):
    room, scores, mine = (
        _room(session.evaluation),
        live.session_key(session.pk),
        live.participant_key(verteller.pk),
    )
    before = _started(room, scores, mine)
    with django_capture_on_commit_callbacks(execute=True):
        allocation_submit(participant=verteller, session=session, points=points())
    after = _versions(room, scores, mine)
    assert after[room] == before[room]  # every other phone's poll stays free
    assert after[scores] != before[scores] and after[mine] != before[mine]


def test_saving_notes_leaves_the_room_alone(session, django_capture_on_commit_callbacks):
    key = _room(session.evaluation)
    before = _started(key)
    with django_capture_on_commit_callbacks(execute=True):
        stored = ReconstructionSession.objects.get(pk=session.pk)
        stored.reconstruction = "Wat er gebeurde."
        stored.save()
    assert _versions(key) == before


def test_a_change_that_is_rolled_back_bumps_nothing(session, django_capture_on_commit_callbacks):
    key = _room(session.evaluation)
    before = _started(key)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                session_state_set(session=session, state=SessionState.GESLOTEN)
                raise RuntimeError
        except RuntimeError:
            pass
    assert _versions(key) == before


# --- The participant's poll -------------------------------------------------------------


def _poll(client, url, params):
    response = client.get(url, params, headers=HTMX)
    return response, response.headers.get(live.HEADER)


def _participant_poll(client, verteller):
    url = reverse("participant:live", args=[personal_token(verteller)])
    first = client.get(url, headers=HTMX)
    params = {"sig": first.context["signature"], "rv": first.headers[live.HEADER]}
    return url, params


def test_an_idle_participant_poll_touches_no_database(
    client, session, verteller, django_assert_num_queries
):
    url, params = _participant_poll(client, verteller)
    with django_assert_num_queries(0):
        assert client.get(url, params, headers=HTMX).status_code == 204


def test_a_poll_after_a_change_in_another_worker_sees_it(
    client, session, verteller, django_capture_on_commit_callbacks
):
    url, params = _participant_poll(client, verteller)
    assert client.get(url, params, headers=HTMX).status_code == 204
    # Another worker: nothing in this process's memory knows; only the shared cache and the
    # database do.
    with django_capture_on_commit_callbacks(execute=True):
        session_state_set(session=session, state=SessionState.GESLOTEN)
    response = client.get(url, params, headers=HTMX)
    assert response.status_code == 200
    assert response.headers[live.HEADER] != params["rv"]


def test_a_participant_poll_follows_their_points_from_another_device(
    client, session, verteller, django_capture_on_commit_callbacks
):
    url, params = _participant_poll(client, verteller)
    with django_capture_on_commit_callbacks(execute=True):
        allocation_submit(participant=verteller, session=session, points=points())
    assert client.get(url, params, headers=HTMX).status_code == 200


def test_a_change_that_does_not_concern_them_costs_one_database_check(
    client, session, verteller, django_capture_on_commit_callbacks
):
    url, params = _participant_poll(client, verteller)
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_join_code_regenerate(evaluation=session.evaluation)
    checked, version = _poll(client, url, params)
    assert checked.status_code == 204 and version != params["rv"]
    params["rv"] = version
    assert client.get(url, params, headers=HTMX).status_code == 204


def test_a_released_name_stops_at_the_next_poll(
    client, session, verteller, django_capture_on_commit_callbacks
):
    url, params = _participant_poll(client, verteller)
    with django_capture_on_commit_callbacks(execute=True):
        claim_release(participant=verteller)
    response = client.get(url, params, headers=HTMX)
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/doe-mee/"


def test_the_round_clock_poll_is_free_until_a_timer_starts(
    client, session, verteller, django_capture_on_commit_callbacks, django_assert_num_queries
):
    url = reverse("participant:timer", args=[personal_token(verteller)])
    first = client.get(url, headers=HTMX)
    params = {"sig": first.context["timer_signature"], "rv": first.headers[live.HEADER]}
    with django_assert_num_queries(0):
        assert client.get(url, params, headers=HTMX).status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        _timer(session)
    assert client.get(url, params, headers=HTMX).status_code == 200


def test_without_a_shared_cache_every_poll_checks_the_database(
    client, session, verteller, settings, django_assert_num_queries
):
    settings.CACHES = {k: v for k, v in settings.CACHES.items() if k != live.CACHE}
    url = reverse("participant:live", args=[personal_token(verteller)])
    first = client.get(url, headers=HTMX)
    assert live.HEADER not in first.headers
    # The claim, the rounds, the open prompts of the slotdialoog (the status line's).
    with django_assert_num_queries(3):
        response = client.get(url, {"sig": first.context["signature"], "rv": "x"}, headers=HTMX)
    assert response.status_code == 204


# --- The projector's poll ----------------------------------------------------------------


def _projector_poll(client, session):
    url = reverse("sessions:projector_live", args=[session.evaluation.slug, session.pk])
    first = client.get(url, headers=HTMX)
    params = {"v": first.context["version"], "rv": first.headers[live.HEADER]}
    return url, params


def test_an_idle_projector_poll_touches_no_database(
    client, facilitator, session, django_assert_num_queries
):
    client.force_login(facilitator)
    url, params = _projector_poll(client, session)
    with django_assert_num_queries(0):
        assert client.get(url, params, headers=HTMX).status_code == 204


def test_the_projector_follows_a_submit(
    client, facilitator, session, verteller, django_capture_on_commit_callbacks
):
    client.force_login(facilitator)
    url, params = _projector_poll(client, session)
    with django_capture_on_commit_callbacks(execute=True):
        allocation_submit(participant=verteller, session=session, points=points())
    assert client.get(url, params, headers=HTMX).status_code == 200


def test_a_logged_out_projector_stops_at_the_next_poll(
    client, facilitator, session, django_capture_on_commit_callbacks
):
    client.force_login(facilitator)
    url, params = _projector_poll(client, session)
    cookie = client.cookies["sessionid"].value
    with django_capture_on_commit_callbacks(execute=True):
        client.logout()  # in another tab, whose poll was on its way with the old cookie
    client.cookies["sessionid"] = cookie
    response = client.get(url, params, headers=HTMX)
    assert response.headers.get("HX-Trigger") == "evaluatiespiegel:login-verlopen"


def test_a_facilitator_taken_off_the_team_stops_at_the_next_poll(
    client, facilitator, session, django_capture_on_commit_callbacks
):
    client.force_login(facilitator)
    url, params = _projector_poll(client, session)
    with django_capture_on_commit_callbacks(execute=True):
        EvaluationMember.objects.filter(user=facilitator).delete()
    assert client.get(url, params, headers=HTMX).status_code == 404


def test_a_login_ended_elsewhere_stops_within_the_grant(client, facilitator, session, monkeypatch):
    """A session deleted on the server (expired, password changed elsewhere) bumps nothing:
    the grant runs out after GRANT_SECONDS and the next poll checks the login again."""
    from django.contrib.sessions.models import Session
    from django.core.cache.backends import locmem

    client.force_login(facilitator)
    url, params = _projector_poll(client, session)
    Session.objects.all().delete()
    assert client.get(url, params, headers=HTMX).status_code == 204  # still within the grant
    later = locmem.time.time() + live.GRANT_SECONDS + 1
    monkeypatch.setattr(locmem.time, "time", lambda: later)
    response = client.get(url, params, headers=HTMX)
    assert response.headers.get("HX-Trigger") == "evaluatiespiegel:login-verlopen"


def test_a_revoked_projector_link_stops_at_the_next_poll(
    client, facilitator, session, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        link = projector_link_set(evaluation=session.evaluation, active=True)
    url = reverse("projector_link_live", args=[link.token])
    first = client.get(url, headers=HTMX)
    params = {"v": first.context["version"], "rv": first.headers[live.HEADER]}
    with django_assert_num_queries(0):
        assert client.get(url, params, headers=HTMX).status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        projector_link_set(evaluation=session.evaluation, active=False)
    assert ProjectorLink.objects.active().count() == 0
    assert client.get(url, params, headers=HTMX).status_code == 286


def test_a_version_from_another_credential_gives_no_free_answer(
    client, session, verteller, reflector
):
    url, params = _participant_poll(client, verteller)
    other = reverse("participant:live", args=[personal_token(reflector)])
    response = client.get(other, params, headers=HTMX)  # never granted: the database decides
    assert response.headers.get(live.HEADER)


def test_keys_named_by_the_client_count_only_when_they_are_the_grants(client, session, verteller):
    url, params = _participant_poll(client, verteller)
    keys, _tilde, versions = params["rv"].partition("~")
    room_only = keys.split(",")[0]  # leave out their own points: never granted like this
    forged = f"{room_only}~{'.'.join(versions.split('.')[:2])}"
    response = client.get(url, {**params, "rv": forged}, headers=HTMX)
    assert response.headers.get(live.HEADER)  # the database decided, not the cache
