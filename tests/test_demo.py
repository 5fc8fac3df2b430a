from collections import defaultdict
from io import StringIO
from statistics import mean

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from evaluatiespiegel.management.commands.demo import DEMO_SLUG
from reports.models import HowQuestion, Paradox
from scoring.conditions import CONDITION_FIELDS, Condition
from scoring.models import Allocation
from sessions.models import Evaluation, Phase, Role, SessionState

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> Evaluation:
    call_command("demo", stdout=StringIO())
    return Evaluation.objects.get(slug=DEMO_SLUG)


def test_demo_prints_logins_and_join_code(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "facilitator / " in out
    assert "analist / " in out
    assert "Deelnamecode: DMMD25" in out


def test_running_demo_twice_leaves_one_demo_evaluation(demo):
    call_command("demo", stdout=StringIO())
    assert Evaluation.objects.count() == 1
    evaluation = Evaluation.objects.get()
    assert evaluation.key_moments.count() == 6
    assert evaluation.participants.count() == 35
    assert get_user_model().objects.filter(username__in=["facilitator", "analist"]).count() == 2


def test_demo_is_the_same_every_time(demo):
    first = sorted(
        Allocation.objects.values_list("participant__name", "session__day", *CONDITION_FIELDS)
    )
    call_command("demo", "--reset", stdout=StringIO())
    second = sorted(
        Allocation.objects.values_list("participant__name", "session__day", *CONDITION_FIELDS)
    )
    assert first == second
    assert Evaluation.objects.count() == 1


def test_if_empty_leaves_a_database_with_real_evaluations_alone(db, capsys):
    Evaluation.objects.create(title="Echte evaluatie", slug="echt")
    call_command("demo", "--if-empty")
    assert not Evaluation.objects.filter(slug=DEMO_SLUG).exists()
    assert "niet geladen" in capsys.readouterr().out


def test_demo_has_the_shape_of_the_source_report(demo):
    assert demo.sessions.values("day").distinct().count() == 3
    phases = set(demo.key_moments.values_list("phase", flat=True))
    assert phases == {p.value for p in Phase}
    counts = {r: demo.participants.filter(role=r).count() for r in Role}
    assert counts[Role.VERTELLER] >= 10 and counts[Role.REFLECTOR] >= 10
    assert all(p.organisation for p in demo.participants.all())


def test_groups_are_recomposed_every_day(demo):
    groups_by_day = defaultdict(set)
    for session in demo.sessions.all():
        groups_by_day[session.day].add(frozenset(session.participants.values_list("pk", flat=True)))
    day1, day2, day3 = groups_by_day[1], groups_by_day[2], groups_by_day[3]
    assert not (day1 & day2) and not (day2 & day3) and not (day1 & day3)


def test_every_participant_scored_every_session_that_took_place(demo):
    for session in demo.sessions.exclude(state=SessionState.VOORBEREIDING):
        group = set(session.participants.values_list("pk", flat=True))
        scored = set(session.allocations.values_list("participant_id", flat=True))
        assert group == scored, session
        assert (
            session.reconstruction and session.reflections and session.insights and session.lessons
        )


def test_one_session_waits_in_voorbereiding_for_trying_the_flow(demo):
    upcoming = demo.sessions.get(state=SessionState.VOORBEREIDING)
    assert upcoming.participants.count() > 10
    assert not upcoming.allocations.exists()


def test_every_allocation_is_exactly_ten_points(demo):
    for allocation in Allocation.objects.all():
        assert allocation.total == 10
        assert all(0 <= v <= 10 for v in allocation.points.values())


def test_scores_show_the_expected_patterns(demo):
    by_role = defaultdict(lambda: defaultdict(list))
    overall = defaultdict(list)
    for allocation in Allocation.objects.select_related("participant"):
        for field, value in allocation.points.items():
            by_role[allocation.participant.role][field].append(value)
            overall[field].append(value)
    means = {field: mean(values) for field, values in overall.items()}
    ranked = sorted(means, key=means.get, reverse=True)
    assert set(ranked[:2]) == {Condition.AMBITIE.value, Condition.RELATIE.value}
    assert ranked[-1] == Condition.PROCES.value
    apart = [
        field
        for field in CONDITION_FIELDS
        if abs(mean(by_role[Role.VERTELLER][field]) - mean(by_role[Role.REFLECTOR][field])) >= 0.7
    ]
    assert len(apart) >= 2, apart


def test_demo_has_five_paradoxes_and_the_catalogue_for_every_condition(demo):
    assert set(Paradox.objects.filter(evaluation=demo).values_list("condition", flat=True)) == {
        c.value for c in Condition
    }
    for condition in Condition:
        questions = HowQuestion.objects.filter(evaluation=demo, condition=condition)
        assert questions.exists()
        assert all(q.recommendations.exists() for q in questions)


def test_the_demo_has_a_slotdialoog_under_way(demo):
    from sessions.models import PromptState

    assert demo.prompts.filter(key__startswith="hoevraag:").exists()
    closed = demo.prompts.get(key="paradox:ambitie")
    assert closed.state == PromptState.GESLOTEN and closed.votes_revealed
    assert closed.contributions.count() == 4 and closed.votes.exists()
    assert demo.prompts.filter(state=PromptState.OPEN).count() == 1
