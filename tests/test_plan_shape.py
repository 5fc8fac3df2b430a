"""The shape of a group plan (days × rounds × groups) is defined once (issue 13, room2 item 7).

The app's form, the groepsindeling command and the planner's own check each wrote out the
three numbers with their limits, defaults and messages; a limit changed in one place would
let the form offer what the planner refuses.
"""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command, load_command_class

from sessions.planner import PLAN_SHAPE, group_plan
from sessions.planner_views import PlanShapeForm

pytestmark = pytest.mark.django_db


def test_the_form_offers_exactly_the_planners_shape():
    form = PlanShapeForm()
    assert list(form.fields) == [part.name for part in PLAN_SHAPE]
    for part in PLAN_SHAPE:
        assert form.fields[part.name].max_value == part.maximum


def test_the_command_takes_the_same_words_and_defaults():
    command = load_command_class("sessions", "groepsindeling")
    parser = command.create_parser("manage.py", "groepsindeling")
    defaults = vars(parser.parse_args(["demo"]))
    for part in PLAN_SHAPE:
        assert defaults[part.name] == part.default


@pytest.mark.parametrize("part", PLAN_SHAPE, ids=lambda p: p.name)
def test_one_more_than_the_limit_is_refused_by_form_and_planner_alike(evaluation, part):
    values = {p.name: p.default for p in PLAN_SHAPE}
    values[part.name] = part.maximum + 1
    form = PlanShapeForm(values)
    assert not form.is_valid()
    assert f"Hoogstens {part.maximum} {part.many}." in form.errors[part.name]
    with pytest.raises(ValidationError):
        group_plan(
            evaluation=evaluation,
            days=values["dagen"],
            rounds=values["rondes"],
            groups=values["groepen"],
        )


def test_the_forms_messages_name_the_part(evaluation):
    form = PlanShapeForm({"dagen": "0", "rondes": "", "groepen": "x"})
    assert not form.is_valid()
    assert form.errors["dagen"] == ["Minstens 1 dag."]
    assert form.errors["rondes"] == ["Vul het aantal rondes in."]
    assert form.errors["groepen"] == ["Vul een heel getal in."]


def test_the_command_refuses_too_many_days_in_dutch(evaluation):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Kies 1 tot"):
        call_command("groepsindeling", evaluation.slug, "--dagen", "99", stdout=StringIO())
