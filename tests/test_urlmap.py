"""The URL map that the site-wide sweeps use knows every URL of the project."""

import pytest
from django.test import Client
from django.urls import resolve

from tests.urlmap import Unfillable, Visitor, routes, visit_as


def test_every_url_pattern_is_found_including_admin_and_participant_pages():
    names = {route.name for route in routes()}
    assert {"home", "sessions:console", "participant:submit", "reports:eindrapport"} <= names
    assert "admin:workshop_evaluation_change" in names


def test_every_url_pattern_can_be_filled_with_real_arguments(world):
    problems = []
    for route in routes():
        try:
            url = route.url(world)
        except Unfillable as error:
            problems.append(str(error))
            continue
        match = resolve(url)
        if match.func != route.view:
            problems.append(f"{route.id}: {url} goes to {match.func}")
    assert not problems, "\n".join(problems)


def test_session_urls_can_point_at_a_session_in_any_state(world):
    route = next(r for r in routes() if r.name == "sessions:projector")
    assert route.targets == {"evaluation", "session"}
    closed = world.sessions["gesloten"]
    assert route.url(world, session=closed).endswith(f"/sessies/{closed.pk}/projector/")


@pytest.mark.parametrize("visitor", list(Visitor), ids=lambda v: v.value)
def test_every_kind_of_visitor_can_be_made(visitor, world):
    client = visit_as(Client(), visitor, world)
    logged_in = visitor in {
        Visitor.FACILITATOR,
        Visitor.ANALYST,
        Visitor.OUTSIDER,
        Visitor.SUPERUSER,
    }
    assert ("_auth_user_id" in client.session) == logged_in
    # The personal link opens on the participant's own device only; anyone else who has it
    # is offered the take-over (privacy2 item 2).
    expected = 200 if visitor is Visitor.PARTICIPANT else 409
    assert client.get(f"/p/{world.participant.claim.token}/").status_code == expected
