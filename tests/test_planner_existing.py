"""The group planner says up front what exists and what saving will do.

After sessions existed it showed a fresh plan and "Maak 12 sessies aan" as if that worked,
and only on the click said "Op deze dagen is al een ronde geopend of gescoord…". Now the page
names the sessions that stay (opened or scored) and does not offer a button that will be
refused; where saving replaces sessions that were only planned, it says so, on the button too.
"""

import re

import pytest
from django.urls import reverse

from scoring.services import session_state_set
from sessions.models import EvaluationMember, SessionState
from sessions.planner import group_plan, group_plan_save, plan_save_effect

from .conftest import allocate, make_user
from .test_planner import workshop  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

SAVE = re.compile(r'<button type="submit" class="button primary">\s*Maak \d+ sessies? aan')


@pytest.fixture
def page(client, workshop):  # noqa: F811
    user = make_user("fenna")
    EvaluationMember.objects.create(evaluation=workshop, user=user, role="facilitator")
    client.force_login(user)
    return client


def url(evaluation) -> str:
    return reverse("sessions:group_planner", args=[evaluation.slug])


@pytest.fixture
def planned(workshop):  # noqa: F811
    group_plan_save(
        evaluation=workshop, plan=group_plan(evaluation=workshop, days=3, rounds=2, groups=2)
    )
    return workshop


def test_without_sessions_the_button_just_makes_them(page, workshop):  # noqa: F811
    html = page.get(url(workshop)).content.decode()
    assert SAVE.search(html)
    assert "vervangt" not in html and "al een ronde geopend" not in html


def test_planned_sessions_are_named_as_replaced_before_the_click(page, planned):
    html = page.get(url(planned)).content.decode()
    assert "Op deze dagen staan al 12 sessies gepland die nog niet geopend zijn" in html
    assert "Maak 12 sessies aan (vervangt 12 geplande sessies)" in html
    assert page.post(url(planned), {"dagen": 3, "rondes": 2, "groepen": 2}).status_code == 302
    assert planned.sessions.count() == 12


@pytest.mark.parametrize("how", ["geopend", "gescoord", "gesloten"])
def test_an_opened_or_scored_round_is_named_up_front_and_no_save_is_offered(page, planned, how):
    first = planned.sessions.order_by("day", "slot", "room").first()
    if how == "gescoord":
        # Scores in a round back in voorbereiding: what an import or the admin can leave.
        first = session_state_set(session=first, state=SessionState.OPEN)
        allocate(first, first.participants.first())
        type(first).objects.filter(pk=first.pk).update(state=SessionState.VOORBEREIDING)
    else:
        state = SessionState.OPEN if how == "geopend" else SessionState.GESLOTEN
        session_state_set(session=first, state=state)

    html = page.get(url(planned)).content.decode()

    assert "Op deze dagen is al 1 ronde geopend of gescoord" in html
    assert f"Dag 1, ronde 1: {first.key_moment.title}" in html
    assert html.index("al 1 ronde geopend") < html.index("Plan (opnieuw)"), "up front"
    assert not SAVE.search(html), "a button that will be refused is offered"
    assert "Nieuwe sessie in de console" in html


def test_the_page_and_the_save_apply_one_rule(planned):
    first = planned.sessions.order_by("day", "slot", "room").first()
    session_state_set(session=first, state=SessionState.OPEN)
    effect = plan_save_effect(evaluation=planned, days=3)
    assert effect.kept == [first] and len(effect.replaced) == 11 and not effect.possible
    later = plan_save_effect(evaluation=planned, days=1)
    assert later.later == 8
