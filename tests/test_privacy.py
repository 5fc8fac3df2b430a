"""Nobody's own points can be read off a screen or a report (issue 9, items 5 and 6).

A role's mean is shown only with at least `Evaluation.min_group_size` people (the setting
MIN_GROUP_SIZE, default 3); below that the room reads "te weinig vertellers om apart te tonen".
"""

import json

import pytest
from django.urls import reverse

from scoring.services import session_aggregate, session_state_set
from sessions.models import Participant, Role, SessionState

from .conftest import allocate

NOTE = "te weinig vertellers om apart te tonen"


@pytest.fixture
def one_verteller_three_reflectors(session, verteller, reflector):
    """Vera is the only verteller: her exact points are 7 on ambitie."""
    group = [reflector]
    for name in ("Rita", "Ruud"):
        group.append(
            Participant.objects.create(
                evaluation=session.evaluation, name=name, role=Role.REFLECTOR
            )
        )
    session.participants.add(*group)
    allocate(session, verteller, ambitie=7, belangen=1, relatie=1, organisatie=1, proces=0)
    for person in group:
        allocate(session, person)
    return session


def _projector(client, user, session, **params):
    client.force_login(user)
    url = reverse("sessions:projector", args=[session.evaluation.slug, session.pk])
    return client.get(url, params)


def _trace_names(response) -> list[str]:
    return [t["name"] for t in response.context["figure"]["data"]]


def test_a_role_of_one_is_not_shown_on_the_projector(
    client, facilitator, one_verteller_three_reflectors
):
    session = one_verteller_three_reflectors
    session_state_set(session=session, revealed=True)
    response = _projector(client, facilitator, session)
    html = response.content.decode()
    assert "(n = 1)" not in html
    assert NOTE in html.lower()
    # The reflectoren are not drawn either: everyone minus reflectoren would give Vera away.
    assert _trace_names(response) == ["Alle deelnemers (n = 4)"]
    assert response.context["difference"] is None


def test_live_results_after_the_first_submit_show_no_mean(client, facilitator, session, verteller):
    session_state_set(session=session, live_results=True)
    allocate(session, verteller, ambitie=8, belangen=0, relatie=0, organisatie=1, proces=1)
    response = _projector(client, facilitator, session)
    assert _trace_names(response) == []
    assert "te weinig puntenverdelingen" in response.content.decode().lower()


def test_single_allocations_need_the_minimum_too(
    client, facilitator, session, verteller, reflector
):
    allocate(session, verteller, ambitie=8, belangen=0, relatie=0, organisatie=1, proces=1)
    allocate(session, reflector)
    session_state_set(session=session, revealed=True)
    response = _projector(client, facilitator, session, weergave="individueel")
    assert response.context["insight"].individual == []
    assert "te weinig puntenverdelingen" in response.content.decode().lower()


def test_an_evaluation_can_set_its_own_minimum(one_verteller_three_reflectors, evaluation):
    evaluation.min_group_size = 1
    evaluation.save()
    aggregate = session_aggregate(one_verteller_three_reflectors)
    assert aggregate.vertellers.shown and aggregate.vertellers.means["ambitie"] == 7


def test_the_minimum_comes_from_the_setting(settings, db):
    from sessions.models import Evaluation

    settings.MIN_GROUP_SIZE = 5
    assert Evaluation.objects.create(title="X", slug="x").min_group_size == 5


def test_insights_and_both_reports_say_so(
    client, analyst, evaluation, one_verteller_three_reflectors
):
    session_state_set(session=one_verteller_three_reflectors, state=SessionState.GESLOTEN)
    client.force_login(analyst)
    slug = evaluation.slug
    for name in ("sessions:insights", "reports:preview", "reports:interim_preview"):
        html = client.get(reverse(name, args=[slug])).content.decode()
        assert NOTE in html.lower(), name
        assert "(n = 1)" not in html, name


def test_the_projector_scale_stays_fixed_for_the_round(client, facilitator, session, verteller):
    """Issue 9, item 6: the axis went 0–10 after 8/0/0/1/1 and snapped to 0–5 later."""
    session_state_set(session=session, live_results=True)
    ranges = []
    for person_points in [dict(ambitie=8, belangen=0, relatie=0, organisatie=1, proces=1)]:
        allocate(session, verteller, **person_points)
        ranges.append(_projector(client, facilitator, session).context["figure"])
    for name in ("A", "B", "C"):
        person = Participant.objects.create(
            evaluation=session.evaluation, name=name, role=Role.REFLECTOR
        )
        session.participants.add(person)
        allocate(session, person)
        ranges.append(_projector(client, facilitator, session).context["figure"])
    scales = {json.dumps(f["layout"]["polar"]["radialaxis"]["range"]) for f in ranges}
    # The means stay under 5 all round: the reports' scale, from the first submit to the last.
    assert scales == {"[0, 5]"}


def test_an_empty_role_is_not_drawn(client, facilitator, session, verteller):
    for name in ("Victor", "Vince"):
        person = Participant.objects.create(
            evaluation=session.evaluation, name=name, role=Role.VERTELLER
        )
        session.participants.add(person)
        allocate(session, person)
    allocate(session, verteller)
    session_state_set(session=session, revealed=True)
    response = _projector(client, facilitator, session)
    assert _trace_names(response) == ["Vertellers (n = 3)", "Alle deelnemers (n = 3)"]
    assert "(n = 0)" not in response.content.decode()
