"""The database's own rules speak Dutch, and a name is the same name in any case (tester's
Minor 2 and Minor 6)."""

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.test import Client
from django.urls import reverse

from sessions.forms import ParticipantForm
from sessions.models import Evaluation, Participant, Role
from sessions.participant_import import Row, participant_rows_check

from .conftest import make_evaluation

OUR_APPS = ["workshop", "scoring", "reports"]


def _constraints():
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            for constraint in model._meta.constraints:
                yield model, constraint


def test_every_constraint_of_our_apps_has_its_own_dutch_message():
    default = str(models.BaseConstraint.default_violation_error_message)
    anonymous = [
        f"{model.__name__}.{constraint.name}"
        for model, constraint in _constraints()
        if str(constraint.violation_error_message) == default
        or "%(name)s" in str(constraint.violation_error_message)
    ]
    assert anonymous == []


def test_a_session_on_day_0_gets_a_dutch_message_not_the_constraint_name(
    client, facilitator, evaluation, key_moment
):
    client.force_login(facilitator)
    response = client.post(
        reverse("sessions:session_create", args=[evaluation.slug]),
        {"key_moment": key_moment.pk, "day": 0, "slot": 1, "room": ""},
    )
    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert "session_day_from_1" not in html and "Beperking" not in html
    assert "De dag is 1 of hoger." in html


class TestANameIsTheSameInAnyCase:
    def test_the_database_refuses_a_case_variant(self, evaluation):
        Participant.objects.create(
            evaluation=evaluation,
            name="Anne de Vries",
            organisation="Rijkswaterstaat",
            role=Role.VERTELLER,
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            Participant.objects.create(
                evaluation=evaluation,
                name="anne  de vries ",
                organisation="RIJKSWATERSTAAT",
                role=Role.REFLECTOR,
            )

    def test_self_registration_refuses_a_case_variant_in_dutch(self, evaluation):
        evaluation.self_registration = True
        evaluation.save()
        Participant.objects.create(
            evaluation=evaluation,
            name="Anne de Vries",
            organisation="Rijkswaterstaat",
            role=Role.VERTELLER,
        )
        device = Client(REMOTE_ADDR="192.0.2.44")
        device.post("/doe-mee/", {"code": evaluation.join_code})
        response = device.post(
            reverse("participant:register"),
            {"name": "anne de vries", "organisation": "rijkswaterstaat", "role": "verteller"},
        )
        assert response.status_code == 200
        assert "Er is al een deelnemer met deze naam en organisatie" in response.content.decode()
        assert evaluation.participants.count() == 1

    def test_the_facilitators_form_refuses_a_case_variant(self, evaluation):
        Participant.objects.create(evaluation=evaluation, name="Anne de Vries", role=Role.VERTELLER)
        form = ParticipantForm(
            {"name": "ANNE DE VRIES", "organisation": "", "role": "reflector"},
            evaluation=evaluation,
        )
        assert not form.is_valid()
        assert "Er is al een deelnemer met deze naam" in str(form.errors)

    def test_a_pasted_list_refuses_a_case_variant(self, evaluation):
        Participant.objects.create(evaluation=evaluation, name="Anne de Vries", role=Role.VERTELLER)
        rows = [Row(1, "anne de vries", "", "reflector")]
        _people, errors = participant_rows_check(evaluation, rows)
        assert errors and "staat al op de lijst" in errors[0]

    def test_an_evaluations_short_name_is_unique_in_any_case(self, db):
        make_evaluation(slug="ammd")
        with pytest.raises(IntegrityError), transaction.atomic():
            Evaluation.objects.create(title="Tweede", slug="AMMD")
