"""Number fields in the setup forms allow what the method allows, and say so in one wording.

The session form accepted round 0 as far as the form was concerned ("Zorg ervoor dat deze
waarde minstens 0 is." beside "De dag is 1 of hoger."): the form knew only the column type.
Now every integer field of every ModelForm takes its bounds and message from the model's
database constraint (evaluatiespiegel.bounds); the sweep below covers every ModelForm of the
app and every integer field with a bound, so a new form or a new constraint is checked too.
"""

import pytest
from django import forms
from django.db import IntegrityError, transaction
from django.urls import reverse

import reports.forms
import sessions.forms
from evaluatiespiegel.bounds import constraint_bounds
from sessions.models import ReconstructionSession

pytestmark = pytest.mark.django_db


def _all_model_forms() -> set[type]:
    found, todo = set(), [forms.ModelForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            ours = sub.__module__ in ("sessions.forms", "reports.forms")
            if ours and getattr(getattr(sub, "_meta", None), "model", None) is not None:
                found.add(sub)
    return found


FACTORIES = {
    sessions.forms.SessionForm: lambda e: sessions.forms.SessionForm(evaluation=e),
    sessions.forms.EvaluationForm: lambda e: sessions.forms.EvaluationForm(instance=e),
    sessions.forms.EvaluationCreateForm: lambda e: sessions.forms.EvaluationCreateForm(),
    reports.forms.BlockForm: lambda e: reports.forms.BlockForm(report_kind="eindrapport"),
}


def _bounded_fields(form_class):
    model = form_class._meta.model
    for name in form_class.base_fields:
        field = form_class.base_fields[name]
        if isinstance(field, forms.IntegerField):
            low, high, message = constraint_bounds(model, name)
            if low is not None or high is not None:
                yield name, low, high, message


def test_every_model_form_with_a_bounded_number_is_in_the_sweep():
    bounded = {f for f in _all_model_forms() if list(_bounded_fields(f))}
    assert bounded <= set(FACTORIES), f"add to FACTORIES: {bounded - set(FACTORIES)}"
    assert bounded, "the sweep found no bounded field at all"


CASES = [
    (form_class, name, low, high, message)
    for form_class in FACTORIES
    for name, low, high, message in _bounded_fields(form_class)
]


@pytest.mark.parametrize(
    "form_class, name, low, high, message",
    CASES,
    ids=[f"{c[0].__name__}.{c[1]}" for c in CASES],
)
def test_a_number_outside_the_methods_range_gets_the_constraints_one_dutch_message(
    evaluation, form_class, name, low, high, message
):
    form = FACTORIES[form_class](evaluation)
    field = form.fields[name]
    assert (field.min_value, field.max_value) == (low, high)
    assert field.widget.attrs.get("min") == low
    for wrong in [v for v in (low - 1 if low is not None else None, high and high + 1) if v]:
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(str(wrong))
        assert refused.value.messages == [message]
    if low is not None:
        assert field.clean(str(low)) == low


@pytest.mark.parametrize("day, slot, message", [(0, 1, "De dag is 1 of hoger."),
                                                 (1, 0, "De ronde is 1 of hoger."),
                                                 (-1, 1, "De dag is 1 of hoger.")])  # fmt: skip
def test_the_session_form_says_day_and_round_start_at_1_once_in_dutch(
    client, facilitator, evaluation, key_moment, day, slot, message
):
    client.force_login(facilitator)
    response = client.post(
        reverse("sessions:session_create", args=[evaluation.slug]),
        {"key_moment": key_moment.pk, "day": day, "slot": slot, "room": ""},
    )
    html = response.content.decode()
    assert html.count(message) == 1
    assert "minstens 0" not in html
    assert 'min="1"' in html
    assert not ReconstructionSession.objects.exists()


@pytest.mark.parametrize("field", ["day", "slot"])
def test_model_validation_and_the_database_hold_day_and_round_to_1(key_moment, field):
    values = {"day": 1, "slot": 1, field: 0}
    session = ReconstructionSession(
        evaluation=key_moment.evaluation, key_moment=key_moment, **values
    )
    with pytest.raises(Exception) as refused:
        session.full_clean()
    expected = "De dag is 1 of hoger." if field == "day" else "De ronde is 1 of hoger."
    assert refused.value.messages == [expected]
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_the_wall_form_says_how_many_stippen_in_dutch(client, facilitator, evaluation):
    from sessions.wall_views import PromptForm

    for wrong in ("-1", "11"):
        form = PromptForm({"title": "Vraag", "votes": wrong})
        assert form.errors["votes"] == ["Geef 0 tot en met 10 stippen per persoon."]
