"""The role table (sessions.permissions) holds in the app, in the admin, in the demo and in the README."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from reports.models import HowQuestion
from sessions.models import Evaluation, EvaluationMember, SessionState
from sessions.permissions import (
    ACTION_LABELS,
    ROLE_ACTIONS,
    Action,
    allowed,
    may_create_evaluation,
)
from sessions.services import evaluation_create

from .conftest import make_user


def everything(user):
    """What the demo used to give: staff status and every model permission of our apps."""
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["workshop", "scoring", "reports"])
    )
    return user


class TestTheAdminIsForSuperusersOnly:
    def test_an_analyst_with_every_model_permission_cannot_open_a_round_there(
        self, client, analyst, session
    ):
        session.state = SessionState.VOORBEREIDING
        session.save()
        client.force_login(everything(analyst))
        url = f"/admin/workshop/reconstructionsession/{session.pk}/change/"
        assert client.get(url).status_code == 302
        client.post(
            url,
            {
                "evaluation": session.evaluation_id,
                "key_moment": session.key_moment_id,
                "day": 1,
                "slot": 1,
                "state": "open",
                "allocations-TOTAL_FORMS": 0,
                "allocations-INITIAL_FORMS": 0,
            },
        )
        session.refresh_from_db()
        assert session.state == SessionState.VOORBEREIDING

    def test_an_analyst_cannot_join_the_team_as_facilitator_or_add_an_outsider(
        self, client, analyst, evaluation
    ):
        outsider = make_user("buiten")
        client.force_login(everything(analyst))
        own = evaluation.members.get(user=analyst)
        client.post(
            f"/admin/workshop/evaluation/{evaluation.pk}/change/",
            {
                "title": evaluation.title, "slug": evaluation.slug,
                "join_code": evaluation.join_code,
                "members-TOTAL_FORMS": 2, "members-INITIAL_FORMS": 1,
                "members-0-id": own.pk, "members-0-evaluation": evaluation.pk,
                "members-0-user": analyst.pk, "members-0-role": "facilitator",
                "members-1-evaluation": evaluation.pk,
                "members-1-user": outsider.pk, "members-1-role": "facilitator",
                "key_moments-TOTAL_FORMS": 0, "key_moments-INITIAL_FORMS": 0,
                "sessions-TOTAL_FORMS": 0, "sessions-INITIAL_FORMS": 0,
            },
        )  # fmt: skip
        members = dict(evaluation.members.values_list("user__username", "role"))
        assert members == {"anouk": "analist"}

    def test_staff_see_no_evaluation_titles_in_the_admin(
        self, client, other_facilitator, evaluation, session
    ):
        client.force_login(everything(other_facilitator))
        for url in ("/admin/", "/admin/workshop/keymoment/", "/admin/scoring/allocation/"):
            response = client.get(url)
            assert response.status_code == 302, url
            assert evaluation.title not in response.content.decode()

    def test_the_site_link_to_the_admin_is_for_superusers(self, client, facilitator, admin_user):
        client.force_login(everything(facilitator))
        assert 'href="/admin/"' not in client.get("/").content.decode()
        client.force_login(admin_user)
        assert 'href="/admin/"' in client.get("/").content.decode()


class TestCreatingAnEvaluation:
    def test_the_creator_becomes_its_facilitator_and_gets_the_catalogue(self, db):
        creator = make_user("nieuw")
        creator.user_permissions.add(Permission.objects.get(codename="add_evaluation"))
        evaluation = evaluation_create(user=creator, title="Alliantie Nieuw")
        assert evaluation.slug == "alliantie-nieuw"
        assert allowed(creator, evaluation) == ROLE_ACTIONS[EvaluationMember.Role.FACILITATOR]
        assert HowQuestion.objects.filter(evaluation=evaluation).count() == 16

    def test_without_the_permission_nobody_creates_one(self, db, analyst):
        assert not may_create_evaluation(analyst)
        with pytest.raises(PermissionDenied):
            evaluation_create(user=analyst, title="Mag niet")
        assert not Evaluation.objects.filter(title="Mag niet").exists()

    def test_a_superuser_creating_in_the_admin_is_on_the_team(self, admin_client, admin_user):
        response = admin_client.post(
            "/admin/workshop/evaluation/add/",
            {
                "title": "Via beheer", "slug": "beheer", "join_code": "ABC234",
                "members-TOTAL_FORMS": 0, "members-INITIAL_FORMS": 0,
                "key_moments-TOTAL_FORMS": 0, "key_moments-INITIAL_FORMS": 0,
                "sessions-TOTAL_FORMS": 0, "sessions-INITIAL_FORMS": 0,
            },
        )  # fmt: skip
        assert response.status_code == 302
        evaluation = Evaluation.objects.get(slug="beheer")
        assert evaluation.member_role(admin_user) == EvaluationMember.Role.FACILITATOR
        assert evaluation.members.filter(user=admin_user).exists()


class TestReportViewsTakeTheRole:
    def test_the_facilitator_reads_the_report_but_does_not_write_it(
        self, client, facilitator, evaluation
    ):
        client.force_login(facilitator)
        workspace = client.get(reverse("reports:workspace", args=[evaluation.slug]))
        assert workspace.status_code == 200
        section = reverse("reports:section", args=[evaluation.slug, "omslag"])
        assert section not in workspace.content.decode()
        assert client.get(section).status_code == 404
        response = client.post(section, {"title": "Overschreven"})
        assert response.status_code == 404
        block = workspace.context["blocks"][0]
        edit = reverse("reports:block_action", args=[evaluation.slug, block.pk, "verwijderen"])
        assert edit not in workspace.content.decode()
        assert client.post(edit).status_code == 404
        question = HowQuestion.objects.create(evaluation=evaluation, condition="ambitie", order=1)
        recs = reverse("reports:recommendations", args=[evaluation.slug, question.pk])
        assert client.get(recs).status_code == 404

    def test_the_analyst_writes_it(self, client, analyst, evaluation):
        client.force_login(analyst)
        section = reverse("reports:section", args=[evaluation.slug, "omslag"])
        workspace = client.get(reverse("reports:workspace", args=[evaluation.slug]))
        assert section in workspace.content.decode()
        assert 'id="blok-toevoegen"' in workspace.content.decode()
        assert client.get(section).status_code == 200


class TestTheDemo:
    def test_the_demo_team_gets_no_staff_status_and_only_what_the_role_needs(self, db):
        call_command("demo", stdout=StringIO())
        from django.contrib.auth import get_user_model

        users = {u.username: u for u in get_user_model().objects.all()}
        for user in users.values():
            assert not user.is_staff and not user.is_superuser
        assert may_create_evaluation(users["facilitator"])
        assert not may_create_evaluation(users["analist"])
        assert not users["analist"].user_permissions.exists()
        assert list(users["facilitator"].user_permissions.values_list("codename", flat=True)) == [
            "add_evaluation"
        ]


def test_the_readme_shows_the_role_table_of_the_code():
    """Every action's label is a row, with a mark for exactly the roles that may take it."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme.split("## Rollen", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4:
            rows[cells[0]] = cells[1:]
    for action in Action:
        label = str(ACTION_LABELS[action])
        assert label in rows, label
        facilitator, analyst, superuser = (re.sub(r"\W", "", c) for c in rows[label])
        expected = [
            action in ROLE_ACTIONS[EvaluationMember.Role.FACILITATOR],
            action in ROLE_ACTIONS[EvaluationMember.Role.ANALYST],
            True,
        ]
        assert [facilitator == "ja", analyst == "ja", superuser == "ja"] == expected, label


def test_there_is_no_password_reset_page_that_sends_nothing(client, db):
    assert client.get("/accounts/password_reset/").status_code == 404
    assert "beheerder" in client.get("/accounts/login/").content.decode()
