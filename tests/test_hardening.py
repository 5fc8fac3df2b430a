import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from evaluatiespiegel.management.commands.demo import DEMO_SLUG
from evaluatiespiegel.transfer import evaluation_export
from scoring.models import Allocation, AllocationChange
from scoring.services import allocation_submit, session_aggregate, session_state_set
from sessions.models import Evaluation, Participant, SessionState
from sessions.services import participant_anonymise

from .conftest import personal_token, points

ROOT = Path(__file__).resolve().parent.parent


def one_more(allocation: dict) -> int:
    """Ambitie changed by one point, so the allocation no longer adds up to 10."""
    return allocation["ambitie"] + 1 if allocation["ambitie"] < 10 else 9


class TestBackup:
    def test_export_import_export_is_identical(self, db, tmp_path):
        call_command("demo", stdout=StringIO())
        first = tmp_path / "eerste.json"
        call_command("export_evaluation", DEMO_SLUG, "-o", str(first), stdout=StringIO())
        Evaluation.objects.all().delete()
        assert not Allocation.objects.exists()
        call_command("import_evaluation", str(first), stdout=StringIO())
        second = tmp_path / "tweede.json"
        call_command("export_evaluation", DEMO_SLUG, "-o", str(second), stdout=StringIO())
        assert first.read_text() == second.read_text()
        data = json.loads(first.read_text())
        assert len(data["allocations"]) == 192 and len(data["history"]) == 192
        assert data["report"]["analyst"] == "Anouk Alders"

    @pytest.mark.parametrize(
        "damage, message",
        [
            (lambda d: d.update(format="iets anders"), "geen exportbestand"),
            (lambda d: d.pop("key_moments"), "mist 'key_moments'"),
            (
                lambda d: d["allocations"][5].update(ambitie=one_more(d["allocations"][5])),
                "punten verdeeld",
            ),
            (lambda d: d["allocations"][7].update(participant="onbekend"), "onbekende deelnemer"),
            (lambda d: d["sessions"][0].update(key_moment=99), "onbekend sleutelmoment"),
            (lambda d: d["history"][3].update(changed_at="gisteren"), "Ongeldig tijdstip"),
        ],
    )
    def test_a_malformed_file_is_refused_and_changes_nothing(self, db, tmp_path, damage, message):
        call_command("demo", stdout=StringIO())
        data = evaluation_export(Evaluation.objects.get())
        Evaluation.objects.all().delete()
        damage(data)
        path = tmp_path / "kapot.json"
        path.write_text(json.dumps(data))
        with pytest.raises(CommandError, match=message):
            call_command("import_evaluation", str(path), stdout=StringIO())
        assert not Evaluation.objects.exists()
        assert not Participant.objects.exists()

    def test_an_existing_evaluation_is_not_overwritten(self, db, tmp_path):
        call_command("demo", stdout=StringIO())
        path = tmp_path / "demo.json"
        call_command("export_evaluation", DEMO_SLUG, "-o", str(path), stdout=StringIO())
        with pytest.raises(CommandError, match="bestaat al"):
            call_command("import_evaluation", str(path), stdout=StringIO())

    def test_a_file_that_is_not_json_is_refused(self, db, tmp_path):
        path = tmp_path / "niet.json"
        path.write_text("{kapot")
        with pytest.raises(CommandError, match="geen geldige JSON"):
            call_command("import_evaluation", str(path), stdout=StringIO())


class TestAnonymise:
    def test_personal_data_goes_and_the_scores_stay(self, session, verteller, reflector):
        allocation_submit(
            participant=verteller, session=session, points=points(ambitie=4, proces=0)
        )
        allocation_submit(participant=reflector, session=session, points=points())
        before = session_aggregate(session)
        old_token = verteller.token
        expected = verteller.pseudonym
        participant = participant_anonymise(participant=verteller)
        assert participant.name == expected and participant.organisation == ""
        assert participant.pseudonym == expected  # stable after the token changed
        assert participant.token != old_token
        assert session_aggregate(session) == before
        assert not AllocationChange.objects.filter(changed_by="Vera Verteller").exists()

    def test_the_facilitator_removes_personal_data_after_confirming(
        self, client, facilitator, analyst, evaluation, verteller
    ):
        url = reverse("sessions:participant_anonymise", args=[evaluation.slug, verteller.pk])
        client.force_login(analyst)
        assert client.post(url, {"confirm": "on"}).status_code == 404
        client.force_login(facilitator)
        assert "Vink aan" in client.post(url, {}).content.decode()
        client.post(url, {"confirm": "on"})
        verteller.refresh_from_db()
        assert verteller.anonymised_at and verteller.name.startswith("Deelnemer-")
        html = client.get(reverse("sessions:participants", args=[evaluation.slug])).content.decode()
        assert "Vera Verteller" not in html


class TestHeaders:
    def test_every_page_has_security_headers(self, client, db):
        response = client.get("/")
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"

    def test_no_page_needs_an_inline_script(
        self, client, facilitator, evaluation, session, verteller
    ):
        session_state_set(session=session, revealed=True)
        client.force_login(facilitator)
        pages = [
            reverse("sessions:overview", args=[evaluation.slug]),
            reverse("sessions:console", args=[evaluation.slug]),
            reverse("sessions:projector", args=[evaluation.slug, session.pk]),
            reverse("sessions:results", args=[evaluation.slug]),
            reverse("reports:workspace", args=[evaluation.slug]),
            reverse("participant:page", args=[personal_token(verteller)]),
        ]
        import re

        for page in pages:
            html = client.get(page).content.decode()
            for tag in re.findall(r"<script\b[^>]*>", html):
                assert "src=" in tag or 'type="application/json"' in tag, (page, tag)


class TestSubmitEdgeCases:
    def test_the_same_submission_posted_twice_leaves_one_allocation(
        self, client, session, verteller
    ):
        url = reverse("participant:submit", args=[personal_token(verteller), session.pk])
        data = {k: str(v) for k, v in points().items()}
        assert client.post(url, data).status_code == 302
        assert client.post(url, data).status_code == 302
        assert Allocation.objects.count() == 1
        assert AllocationChange.objects.count() == 1

    def test_a_submit_after_the_round_closed_is_a_clear_message_not_an_error(
        self, client, session, verteller
    ):
        session_state_set(session=session, state=SessionState.GESLOTEN)
        url = reverse("participant:submit", args=[personal_token(verteller), session.pk])
        response = client.post(
            url, {k: str(v) for k, v in points().items()}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
        assert "Deze ronde is gesloten" in response.content.decode()
        assert not Allocation.objects.exists()

    def test_the_facilitator_sees_the_audit_trail(
        self, client, facilitator, evaluation, session, verteller
    ):
        allocation_submit(participant=verteller, session=session, points=points())
        allocation_submit(
            participant=verteller, session=session, points=points(ambitie=3, proces=1)
        )
        client.force_login(facilitator)
        html = client.get(
            reverse("sessions:session", args=[evaluation.slug, session.pk])
        ).content.decode()
        assert "2 2 2 2 2" in html and "3 2 2 2 1" in html


def test_check_deploy_has_no_warnings_in_production(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SECURE="1",
        DJANGO_SECRET_KEY_FILE=str(tmp_path / "key"),
        DJANGO_ALLOWED_HOSTS="spiegel.example.nl",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
