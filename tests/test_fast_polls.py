"""Every live poll of the room answers "nothing new" before the rest of the stack (issue 14).

sessions.live.FastPollMiddleware answers an idle poll from one cache read, before sessions,
locale, CSRF or messages run. A sweep over every view marked @poll_view: the idle poll costs
no query and carries the headers the full stack gives; a change, an ended credential or a
facilitator taken off the team is seen at the next poll.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from scoring.services import allocation_submit
from sessions import live
from sessions.models import EvaluationMember, ProjectorLink
from sessions.services import claim_release, projector_link_set
from sessions.wall import prompt_add, prompt_state_set

from .conftest import personal_token, points
from .test_access_matrix import TOKEN_PREFIX
from .urlmap import Visitor, routes, visit_as

HTMX = {"HX-Request": "true"}

# What the full stack puts on every answer; the fast answer must carry the same.
SECURITY_HEADERS = [
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Content-Security-Policy",
    "Permissions-Policy",
]


def _link(session):
    return projector_link_set(evaluation=session.evaluation, active=True)


def _url(name, session, verteller):
    slug = session.evaluation.slug
    return {
        "participant:live": lambda: reverse(name, args=[personal_token(verteller)]),
        "participant:timer": lambda: reverse(name, args=[personal_token(verteller)]),
        "participant:wall": lambda: reverse(name, args=[personal_token(verteller)]),
        "projector_link_live": lambda: reverse(name, args=[_link(session).token]),
        "projector_link_session_live": lambda: reverse(
            name, args=[_link(session).token, session.pk]
        ),
        "wall_projector_link_live": lambda: reverse(name, args=[_link(session).token]),
        "sessions:projector_live": lambda: reverse(name, args=[slug, session.pk]),
        "sessions:wall_projector_live": lambda: reverse(name, args=[slug]),
    }[name]()


# How each poll's credential ends: (what ends it, what the poll answers next).
TOKEN_POLLS = {
    "participant:live",
    "participant:timer",
    "participant:wall",
    "projector_link_live",
    "projector_link_session_live",
    "wall_projector_link_live",
}
LOGIN_POLLS = {"sessions:projector_live", "sessions:wall_projector_live"}
WALL_POLLS = {"participant:wall", "wall_projector_link_live", "sessions:wall_projector_live"}


def _marked_routes(patterns=None, prefix=""):
    """Every URL name whose view is marked @poll_view."""
    found = set()
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            space = f"{entry.namespace}:" if entry.namespace else ""
            found |= _marked_routes(entry.url_patterns, prefix + space)
        elif isinstance(entry, URLPattern) and getattr(entry.callback, "room_poll_secret", None):
            found.add(prefix + entry.name)
    return found


def test_the_sweep_covers_every_poll():
    assert _marked_routes() == TOKEN_POLLS | LOGIN_POLLS


@pytest.fixture
def start(client, facilitator, session, verteller, django_capture_on_commit_callbacks):
    """Open a poll as its page does: its URL, and the params of its next, idle poll."""

    def opened(name):
        if name in LOGIN_POLLS:
            client.force_login(facilitator)
        with django_capture_on_commit_callbacks(execute=True):
            if name in WALL_POLLS:  # the projector link shows the wall while a prompt is open
                prompt = prompt_add(evaluation=session.evaluation, title="Wat nemen we mee?")
                prompt_state_set(prompt=prompt, action="open")
            url = _url(name, session, verteller)
        first = client.get(url, headers=HTMX)
        assert first.status_code == 200, (name, first.status_code)
        return url, {"rv": first.headers[live.HEADER]}, first

    return opened


ALL_POLLS = sorted(TOKEN_POLLS | LOGIN_POLLS)


@pytest.mark.parametrize("name", ALL_POLLS)
def test_an_idle_poll_is_answered_before_the_stack_with_its_headers(
    client, start, name, django_assert_num_queries
):
    url, params, first = start(name)
    with django_assert_num_queries(0):
        idle = client.get(url, params, headers=HTMX)
    assert idle.status_code == 204
    assert live.HEADER not in idle.headers  # the cache answered, not the view
    for header in SECURITY_HEADERS:
        assert idle.headers.get(header) == first.headers.get(header), header
    assert "private" in idle.headers["Cache-Control"]
    assert "no-store" in idle.headers["Cache-Control"]
    assert not idle.cookies  # no session, no CSRF cookie, no language cookie


@pytest.mark.parametrize("name", ALL_POLLS)
def test_a_change_in_the_room_reaches_the_next_poll(
    client, start, name, session, django_capture_on_commit_callbacks
):
    url, params, _first = start(name)
    with django_capture_on_commit_callbacks(execute=True):
        if name == "participant:wall":  # the wall alone is on it: its own key (live.wall_key)
            live.wall_changed(session.evaluation_id)
        else:
            live.room_changed(session.evaluation_id)
    checked = client.get(url, params, headers=HTMX)
    assert checked.headers.get(live.HEADER) not in (None, params["rv"])  # the database decided


def _end(name, client, session, verteller):
    if name.startswith("participant:"):
        claim_release(participant=verteller)
    elif name in TOKEN_POLLS:
        projector_link_set(evaluation=session.evaluation, active=False)
        assert not ProjectorLink.objects.active().exists()
    else:
        cookie = client.cookies["sessionid"].value
        client.logout()  # in another tab, while this poll was on its way with the old cookie
        client.cookies["sessionid"] = cookie


@pytest.mark.parametrize("name", ALL_POLLS)
def test_an_ended_credential_stops_at_the_next_poll(
    client, start, name, session, verteller, django_capture_on_commit_callbacks
):
    url, params, _first = start(name)
    with django_capture_on_commit_callbacks(execute=True):
        _end(name, client, session, verteller)
    response = client.get(url, params, headers=HTMX)
    if name in LOGIN_POLLS:
        assert response.headers.get("HX-Trigger") == "evaluatiespiegel:login-verlopen"
    else:
        assert response.status_code in (200, 286) and live.HEADER not in response.headers


@pytest.mark.parametrize("name", sorted(LOGIN_POLLS))
def test_a_facilitator_taken_off_the_team_stops_at_the_next_poll(
    client, start, name, facilitator, django_capture_on_commit_callbacks
):
    url, params, _first = start(name)
    with django_capture_on_commit_callbacks(execute=True):
        EvaluationMember.objects.filter(user=facilitator).delete()
    assert client.get(url, params, headers=HTMX).status_code == 404


def test_the_wall_projector_follows_the_wall(
    client, start, session, django_capture_on_commit_callbacks
):
    url, params, first = start("sessions:wall_projector_live")
    params["v"] = first.context["version"]
    assert client.get(url, params, headers=HTMX).status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        prompt_add(evaluation=session.evaluation, title="Nog een vraag")
    assert client.get(url, params, headers=HTMX).status_code == 200


def test_the_session_projector_follows_a_submit(
    client, start, session, verteller, django_capture_on_commit_callbacks
):
    url, params, _first = start("sessions:projector_live")
    with django_capture_on_commit_callbacks(execute=True):
        allocation_submit(participant=verteller, session=session, points=points())
    assert client.get(url, params, headers=HTMX).status_code == 200


def test_a_version_sent_to_a_page_that_is_no_poll_is_ignored(client, start):
    _url_, params, _first = start("participant:live")
    assert client.get("/gezond/", params).status_code == 200


def test_a_poll_for_another_host_is_refused_as_always(client, start):
    url, params, _first = start("participant:live")
    assert client.get(url, params, headers=HTMX, HTTP_HOST="elders.example").status_code == 400


SECRET_LINK_ROUTES = [r for r in routes() if r.pattern.startswith(TOKEN_PREFIX)]


@pytest.mark.parametrize("route", SECRET_LINK_ROUTES, ids=lambda r: r.id)
def test_every_answer_behind_a_secret_link_is_kept_out_of_shared_caches(world, route):
    """A personal or projector link's secret is in its URL: no answer to it may be kept by a
    proxy or the browser's back button (the projector link's answers were not marked)."""
    link = projector_link_set(evaluation=world.evaluation, active=True)
    # The map fills every `token` with the participant's; let the projector link have it too.
    ProjectorLink.objects.filter(pk=link.pk).update(token=world.participant.claim.token)
    client = visit_as(Client(), Visitor.PARTICIPANT, world)
    url = route.url(world)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    assert response.status_code < 500
    assert "no-store" in response.get("Cache-Control", ""), (route.id, response.status_code)
