"""A facilitator sets up a whole evaluation in the app, never in the admin."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from reports.models import HowQuestion
from scoring.services import session_state_set
from sessions import services
from sessions.models import (
    Evaluation,
    EvaluationMember,
    KeyMoment,
    Participant,
    Phase,
    ReconstructionSession,
    Role,
    SessionState,
)
from sessions.permissions import may_create_evaluation

from .conftest import allocate, make_user


def url(name, evaluation, *args):
    return reverse(f"sessions:{name}", args=[evaluation.slug, *args])


@pytest.fixture
def creator(db):
    """A plain user (not staff, not superuser) who was given the right to create evaluations."""
    user = make_user("carla", email="carla@example.nl")
    user.user_permissions.add(Permission.objects.get(codename="add_evaluation"))
    return user


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


class TestCreatingAnEvaluation:
    def test_a_user_without_the_permission_is_not_offered_it_and_gets_403(self, client, db):
        client.force_login(make_user("gewoon"))
        assert "Nieuwe evaluatie" not in client.get("/").content.decode()
        assert client.get(reverse("evaluation_create")).status_code == 403
        assert client.post(reverse("evaluation_create"), {"title": "X"}).status_code == 403
        assert not Evaluation.objects.exists()

    def test_the_creator_becomes_its_facilitator_and_lands_on_the_key_moments(
        self, client, creator
    ):
        client.force_login(creator)
        assert "Nieuwe evaluatie" in client.get("/").content.decode()
        response = client.post(reverse("evaluation_create"), {"title": "Alliantie  Zuiderdijk"})
        evaluation = Evaluation.objects.get()
        assert evaluation.title == "Alliantie Zuiderdijk"
        assert evaluation.slug == "alliantie-zuiderdijk"
        assert response.url == url("key_moments", evaluation)
        assert evaluation.member_role(creator) == EvaluationMember.Role.FACILITATOR
        assert HowQuestion.objects.filter(evaluation=evaluation).exists()  # the catalogue
        assert "Alliantie Zuiderdijk" in client.get("/").content.decode()

    def test_a_taken_slug_gets_a_number_or_a_dutch_error_when_typed(self, client, creator):
        Evaluation.objects.create(title="Bestaand", slug="dijk")
        client.force_login(creator)
        client.post(reverse("evaluation_create"), {"title": "Dijk"})
        assert Evaluation.objects.filter(slug="dijk-2").exists()
        response = client.post(reverse("evaluation_create"), {"title": "Ander", "slug": "dijk"})
        assert "Deze korte naam is al in gebruik" in response.content.decode()

    def test_bad_input_gets_dutch_errors(self, client, creator):
        client.force_login(creator)
        response = client.post(
            reverse("evaluation_create"),
            {"title": "", "slug": "Met Spaties!", "starts_on": "gisteren"},
        )
        errors = response.context["form"].errors
        assert errors["title"] == ["Geef de evaluatie een naam."]
        assert "kleine letters" in errors["slug"][0]
        assert "dag-maand-jaar" in errors["starts_on"][0]
        response = client.post(
            reverse("evaluation_create"),
            {"title": "T", "starts_on": "2026-03-14", "ends_on": "2026-03-10"},
        )
        assert "De laatste dag ligt vóór de eerste dag." in response.content.decode()
        assert not Evaluation.objects.exists()

    def test_the_service_refuses_a_user_without_the_permission(self, db):
        with pytest.raises(services.PermissionDenied):
            services.evaluation_create(user=make_user("gewoon"), title="X")


class TestSettings:
    def test_the_facilitator_changes_the_settings(self, client, facilitator, evaluation):
        client.force_login(facilitator)
        response = client.post(
            url("settings", evaluation),
            {
                "title": "Nieuwe naam",
                "client": "Waterschap",
                "starts_on": "14-03-2026",
                "ends_on": "2026-03-16",
                "self_registration": "on",
                "min_group_size": "5",
            },
        )
        assert response.status_code == 302
        evaluation.refresh_from_db()
        assert evaluation.title == "Nieuwe naam"
        assert str(evaluation.starts_on) == "2026-03-14"
        assert evaluation.self_registration and not evaluation.names_in_interim_report
        assert evaluation.min_group_size == 5

    @pytest.mark.parametrize(
        ("size", "error"),
        [("0", "ligt tussen 1 en 100"), ("101", "ligt tussen 1 en 100"), ("drie", "heel getal")],
    )
    def test_a_wrong_minimum_group_gets_a_dutch_error(
        self, client, facilitator, evaluation, size, error
    ):
        client.force_login(facilitator)
        response = client.post(url("settings", evaluation), {"title": "T", "min_group_size": size})
        assert error in response.content.decode()

    def test_a_new_join_code_replaces_the_old(self, client, facilitator, evaluation):
        old = evaluation.join_code
        client.force_login(facilitator)
        response = client.post(url("join_code_regenerate", evaluation), follow=True)
        evaluation.refresh_from_db()
        assert evaluation.join_code != old
        assert evaluation.join_code in messages_of(response)[0]
        assert client.get(url("join_code_regenerate", evaluation)).status_code == 405


class TestKeyMoments:
    def test_pasting_adds_them_in_order(self, client, facilitator, evaluation, key_moment):
        client.force_login(facilitator)
        client.post(
            url("key_moments", evaluation),
            {"lines": "Ontwerp; vormgeving; 2016\nBeroep;Crisis\n"},
        )
        moments = list(evaluation.key_moments.values_list("order", "title", "phase", "period"))
        assert moments == [
            (1, "Ondertekening", "start", "2015"),
            (2, "Ontwerp", "vormgeving", "2016"),
            (3, "Beroep", "crisis", ""),
        ]

    def test_a_wrong_line_saves_nothing_and_names_the_line(self, client, facilitator, evaluation):
        client.force_login(facilitator)
        response = client.post(
            url("key_moments", evaluation), {"lines": "Goed; start\nFout; middenfase\n" + "x" * 3}
        )
        text = response.content.decode()
        assert "Regel 2: de fase moet start" in text and "Regel 3:" in text
        assert not evaluation.key_moments.exists()

    def test_moving_swaps_with_the_neighbour(self, client, facilitator, evaluation):
        a, b, c = (
            KeyMoment.objects.create(evaluation=evaluation, order=n, title=t, phase=Phase.START)
            for n, t in [(1, "A"), (2, "B"), (3, "C")]
        )
        client.force_login(facilitator)
        client.post(url("key_moment_move", evaluation, c.pk), {"richting": "omhoog"})
        client.post(url("key_moment_move", evaluation, a.pk), {"richting": "omhoog"})  # no-op
        client.post(url("key_moment_move", evaluation, a.pk), {"richting": "omlaag"})
        assert list(evaluation.key_moments.values_list("title", flat=True)) == ["C", "A", "B"]
        response = client.post(url("key_moment_move", evaluation, a.pk), {"richting": "zijwaarts"})
        assert response.status_code == 302

    def test_an_unused_key_moment_is_deleted_and_the_rest_close_up(
        self, client, facilitator, evaluation
    ):
        a, b, c = (
            KeyMoment.objects.create(evaluation=evaluation, order=n, title=t, phase=Phase.START)
            for n, t in [(1, "A"), (2, "B"), (3, "C")]
        )
        client.force_login(facilitator)
        client.post(url("key_moment_delete", evaluation, a.pk))
        assert list(evaluation.key_moments.values_list("order", "title")) == [(1, "B"), (2, "C")]

    def test_a_key_moment_in_use_is_kept_with_a_dutch_reason(
        self, client, facilitator, evaluation, session, key_moment
    ):
        client.force_login(facilitator)
        response = client.post(url("key_moment_delete", evaluation, key_moment.pk), follow=True)
        assert "wordt nog in een sessie gereconstrueerd" in messages_of(response)[0]
        assert KeyMoment.objects.filter(pk=key_moment.pk).exists()
        assert "Verwijderen" not in client.get(url("key_moments", evaluation)).content.decode()

    def test_editing_a_key_moment(self, client, facilitator, evaluation, key_moment):
        client.force_login(facilitator)
        client.post(
            url("key_moment_edit", evaluation, key_moment.pk),
            {"title": "Getekend", "phase": "start", "period": "2014", "description": ""},
        )
        key_moment.refresh_from_db()
        assert (key_moment.title, key_moment.period) == ("Getekend", "2014")


class TestParticipants:
    def test_editing_a_participant(self, client, facilitator, evaluation, verteller):
        client.force_login(facilitator)
        response = client.post(
            url("participant_edit", evaluation, verteller.pk),
            {"name": " Vera  de Verteller ", "organisation": "Provincie", "role": "reflector"},
        )
        assert response.status_code == 302
        verteller.refresh_from_db()
        assert (verteller.name, verteller.organisation, verteller.role) == (
            "Vera de Verteller",
            "Provincie",
            Role.REFLECTOR,
        )

    def test_a_duplicate_name_gets_a_dutch_error(
        self, client, facilitator, evaluation, verteller, reflector
    ):
        client.force_login(facilitator)
        response = client.post(
            url("participant_edit", evaluation, reflector.pk),
            {"name": verteller.name, "organisation": verteller.organisation, "role": "reflector"},
        )
        assert "Er is al een deelnemer met deze naam" in response.content.decode()

    def test_removing_someone_who_has_not_scored_takes_them_out_of_groups(
        self, client, facilitator, evaluation, session, verteller
    ):
        client.force_login(facilitator)
        client.post(url("participant_delete", evaluation, verteller.pk))
        assert not Participant.objects.filter(pk=verteller.pk).exists()
        assert session.participants.count() == 1

    def test_someone_who_scored_is_kept(self, client, facilitator, evaluation, session, verteller):
        allocate(session, verteller)
        client.force_login(facilitator)
        response = client.post(url("participant_delete", evaluation, verteller.pk), follow=True)
        assert "heeft al gescoord" in messages_of(response)[0]
        assert Participant.objects.filter(pk=verteller.pk).exists()


class TestSessions:
    def test_an_unscored_session_can_be_deleted(self, client, facilitator, evaluation, session):
        client.force_login(facilitator)
        assert (
            "Sessie verwijderen"
            in client.get(url("session_edit", evaluation, session.pk)).content.decode()
        )
        response = client.post(url("session_delete", evaluation, session.pk))
        assert response.url == url("console", evaluation)
        assert not ReconstructionSession.objects.exists()

    def test_a_scored_session_is_kept(self, client, facilitator, evaluation, session, verteller):
        allocate(session, verteller)
        client.force_login(facilitator)
        assert (
            "Sessie verwijderen"
            not in client.get(url("session_edit", evaluation, session.pk)).content.decode()
        )
        response = client.post(url("session_delete", evaluation, session.pk), follow=True)
        assert "al gescoord" in messages_of(response)[0]
        assert ReconstructionSession.objects.filter(pk=session.pk).exists()


class TestTeam:
    def test_inviting_by_user_name_or_email(self, client, facilitator, evaluation):
        make_user("anouk")
        make_user("co", email="Co.Facilitator@Example.nl")
        client.force_login(facilitator)
        client.post(url("team", evaluation), {"who": "anouk", "role": "analist"})
        client.post(
            url("team", evaluation), {"who": "co.facilitator@example.NL", "role": "facilitator"}
        )
        roles = dict(evaluation.members.values_list("user__username", "role"))
        assert roles == {"fenna": "facilitator", "anouk": "analist", "co": "facilitator"}

    @pytest.mark.parametrize(
        ("who", "role", "error"),
        [
            ("niemand", "analist", "Er is geen gebruiker met gebruikersnaam of e-mailadres"),
            ("fenna", "analist", "fenna hoort al bij het team."),
            ("", "analist", "Vul een gebruikersnaam of e-mailadres in."),
            ("anouk", "baas", "Kies facilitator of analist."),
        ],
    )
    def test_wrong_invites_get_dutch_errors(
        self, client, facilitator, evaluation, who, role, error
    ):
        make_user("anouk")
        client.force_login(facilitator)
        response = client.post(url("team", evaluation), {"who": who, "role": role})
        assert error in response.content.decode()
        assert evaluation.members.count() == 1

    def test_an_email_used_twice_asks_for_the_user_name(self, evaluation):
        make_user("a", email="dubbel@example.nl")
        make_user("b", email="DUBBEL@example.nl")
        with pytest.raises(ValidationError, match="gebruik de gebruikersnaam"):
            services.team_member_invite(
                evaluation=evaluation, identifier="dubbel@example.nl", role="analist"
            )

    def test_removing_a_member_but_never_the_last_facilitator(
        self, client, facilitator, analyst, evaluation
    ):
        client.force_login(facilitator)
        client.post(url("team_remove", evaluation, analyst.evaluation_memberships.get().pk))
        assert list(evaluation.members.values_list("user__username", flat=True)) == ["fenna"]
        own = facilitator.evaluation_memberships.get()
        response = client.post(url("team_remove", evaluation, own.pk), follow=True)
        assert "enige facilitator" in messages_of(response)[-1]
        assert evaluation.members.count() == 1


class TestAccess:
    @pytest.fixture
    def setup_urls(self, evaluation, session, verteller, key_moment, facilitator):
        member = facilitator.evaluation_memberships.get()
        return [
            url("settings", evaluation),
            url("join_code_regenerate", evaluation),
            url("team", evaluation),
            url("team_remove", evaluation, member.pk),
            url("key_moments", evaluation),
            url("key_moment_create", evaluation),
            url("key_moment_edit", evaluation, key_moment.pk),
            url("key_moment_move", evaluation, key_moment.pk),
            url("key_moment_delete", evaluation, key_moment.pk),
            url("participant_edit", evaluation, verteller.pk),
            url("participant_delete", evaluation, verteller.pk),
            url("session_delete", evaluation, session.pk),
        ]

    def test_anonymous_visitors_are_sent_to_log_in(self, client, setup_urls):
        for target in setup_urls + [reverse("evaluation_create")]:
            response = client.post(target)
            assert response.status_code == 302 and "/accounts/login/" in response.url, target

    def test_analysts_and_outsiders_get_404_and_change_nothing(
        self, client, analyst, other_facilitator, setup_urls, evaluation
    ):
        for user in (analyst, other_facilitator):
            client.force_login(user)
            for target in setup_urls:
                assert client.post(target).status_code == 404, target
        assert evaluation.members.count() == 2
        assert ReconstructionSession.objects.count() == 1


class TestSmallFaults:
    def test_one_who_scored_heeft_several_hebben(
        self, client, facilitator, evaluation, session, verteller, reflector
    ):
        client.force_login(facilitator)
        allocate(session, verteller)
        assert (
            "1 van 2 deelnemers heeft gescoord"
            in client.get(url("session", evaluation, session.pk)).content.decode()
        )
        allocate(session, reflector)
        assert (
            "2 van 2 deelnemers hebben gescoord"
            in client.get(url("projector", evaluation, session.pk)).content.decode()
        )

    def test_results_are_not_offered_for_a_round_in_preparation(
        self, client, facilitator, evaluation, session
    ):
        session_state_set(session=session, state=SessionState.VOORBEREIDING)
        client.force_login(facilitator)
        for page in (url("console", evaluation), url("session", evaluation, session.pk)):
            assert "Toon resultaten" not in client.get(page).content.decode()
        response = client.post(
            url("session_state", evaluation, session.pk), {"action": "reveal"}, follow=True
        )
        assert "Open de ronde eerst" in messages_of(response)[0]
        session.refresh_from_db()
        assert not session.revealed
        session_state_set(session=session, state=SessionState.OPEN)
        assert "Toon resultaten" in client.get(url("console", evaluation)).content.decode()


class TestGrantingTheRight:
    def test_the_command_grants_and_withdraws_it(self, db):
        make_user("nieuw")
        call_command("aanmaakrecht", "nieuw")
        assert may_create_evaluation(User.objects.get(username="nieuw"))
        call_command("aanmaakrecht", "nieuw", "--intrekken")
        assert not may_create_evaluation(User.objects.get(username="nieuw"))


def test_every_setup_page_opens_for_the_facilitator(
    client, facilitator, evaluation, session, verteller, key_moment
):
    client.force_login(facilitator)
    for target in [
        url("settings", evaluation),
        url("team", evaluation),
        url("key_moments", evaluation),
        url("key_moment_create", evaluation),
        url("key_moment_edit", evaluation, key_moment.pk),
        url("participant_edit", evaluation, verteller.pk),
        url("participants", evaluation),
        url("session_edit", evaluation, session.pk),
    ]:
        assert client.get(target).status_code == 200, target
