"""Dates and numbers read as the reader's language writes them; the backup file is private
and can be read back beside its original (tester's Minor 18, Minor 19 and the cosmetic ones)."""

import json
import os
import stat
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from scoring.models import AllocationChange
from sessions.models import Evaluation
from sessions.planner import PlanSummary

from .conftest import points


class TestTheBackupFile:
    def test_it_is_readable_by_its_owner_only_even_over_an_older_file(self, evaluation, tmp_path):
        path = tmp_path / "evaluatie.json"
        path.write_text("oud")
        path.chmod(0o644)
        call_command("export_evaluation", evaluation.slug, "-o", str(path), stdout=StringIO())
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert json.loads(path.read_text())["evaluation"]["slug"] == evaluation.slug

    def test_reading_it_back_beside_the_original_says_how_and_slug_does_it(
        self, evaluation, session, tmp_path
    ):
        path = tmp_path / "evaluatie.json"
        call_command("export_evaluation", evaluation.slug, "-o", str(path), stdout=StringIO())
        with pytest.raises(CommandError, match="--slug"):
            call_command("import_evaluation", str(path), stdout=StringIO())
        call_command("import_evaluation", str(path), "--slug", "ammd-kopie", stdout=StringIO())
        copy = Evaluation.objects.get(slug="ammd-kopie")
        assert copy.title == evaluation.title
        assert copy.join_code != evaluation.join_code
        assert copy.sessions.count() == 1

    def test_a_taken_slug_given_with_slug_is_refused_too(self, evaluation, tmp_path):
        path = tmp_path / "evaluatie.json"
        call_command("export_evaluation", evaluation.slug, "-o", str(path), stdout=StringIO())
        with pytest.raises(CommandError, match="korte naam 'AMMD'"):
            call_command("import_evaluation", str(path), "--slug", "AMMD", stdout=StringIO())


@pytest.mark.parametrize(("language", "month"), [("nl", "okt"), ("en", "oct")])
def test_the_change_log_writes_months_in_the_pages_language(
    client, facilitator, session, verteller, language, month
):
    change = AllocationChange.objects.create(
        session=session, participant=verteller, new_points=points(), changed_by=verteller.name
    )
    moment = timezone.make_aware(datetime(2026, 10, 5, 14, 7, 9))
    AllocationChange.objects.filter(pk=change.pk).update(changed_at=moment)
    # Times of day beside a person's points only where names are allowed (privacy2 item 1).
    session.evaluation.names_in_interim_report = True
    session.evaluation.save()
    client.force_login(facilitator)
    client.cookies["django_language"] = language
    url = reverse("sessions:session", args=[session.evaluation.slug, session.pk])
    html = client.get(url).content.decode()
    assert f"5 {month} 14:07:09" in html


def _summary(**changes) -> PlanSummary:
    values = dict(
        sessions=4,
        people=12,
        size_min=5,
        size_max=6,
        met_average=10.6,
        met_possible=11,
        reflector_met_average=9.25,
        repeated_pairs=0,
        same_organisation_pairs=0,
        key_moment_repeats=0,
        lived_placed=0,
        lived_asked=0,
    )
    return PlanSummary(**{**values, **changes})


def test_the_planner_writes_decimals_as_the_language_does():
    with translation.override("nl"):
        assert "gemiddeld 10,6 van de 11" in " ".join(_summary().lines())
    with translation.override("en"):
        assert "10.6" in " ".join(_summary().lines())


def test_the_planner_says_something_sensible_when_nobody_lived_a_key_moment():
    lines = " ".join(_summary().lines())
    assert "0 van de 0" not in lines
    assert "Er is nog niet opgegeven welke vertellers een sleutelmoment beleefden." in lines
    assert "2 van de 3 vertellers" in " ".join(_summary(lived_placed=2, lived_asked=3).lines())


def test_the_group_checkboxes_show_role_and_organisation_vertellers_first(
    client, facilitator, evaluation, verteller, reflector, key_moment
):
    client.force_login(facilitator)
    html = client.get(reverse("sessions:session_create", args=[evaluation.slug])).content.decode()
    assert "Vera Verteller (verteller, Waterschap)" in html
    assert "Rob Reflector (reflector, Provincie)" in html
    assert html.index("Vera Verteller (verteller") < html.index("Rob Reflector (reflector")
