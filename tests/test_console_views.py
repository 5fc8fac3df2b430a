import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring.models import Allocation
from scoring.services import session_state_set
from sessions.models import Participant, ReconstructionSession, Role, SessionState
from sessions.participant_views import COOKIE

from .conftest import allocate, personal_token, points

READ_VIEWS = ["console", "console_live", "results", "insights", "participants"]
SESSION_READ_VIEWS = ["session", "session_live", "projector", "projector_live"]
FACILITATOR_ONLY = ["session_create", "key_moment_create"]
SESSION_FACILITATOR_ONLY = ["session_edit", "reopen"]


def url(name, evaluation, session=None):
    args = [evaluation.slug] + ([session.pk] if session else [])
    return reverse(f"sessions:{name}", args=args)


def all_urls(evaluation, session, names_plain, names_session):
    return [url(n, evaluation) for n in names_plain] + [
        url(n, evaluation, session) for n in names_session
    ]


@pytest.fixture
def read_urls(evaluation, session):
    return all_urls(evaluation, session, READ_VIEWS, SESSION_READ_VIEWS)


@pytest.fixture
def write_urls(evaluation, session):
    return all_urls(evaluation, session, FACILITATOR_ONLY, SESSION_FACILITATOR_ONLY)


class TestAccess:
    def test_anonymous_visitors_are_sent_to_log_in(self, client, read_urls, write_urls):
        for target in read_urls + write_urls:
            response = client.get(target)
            assert response.status_code == 302 and "/accounts/login/" in response.url, target

    def test_a_participant_of_this_evaluation_is_sent_to_log_in(
        self, client, read_urls, write_urls, verteller
    ):
        client.cookies[COOKIE] = personal_token(verteller)
        for target in read_urls + write_urls:
            assert client.get(target).status_code == 302, target

    def test_a_participant_of_another_evaluation_is_sent_to_log_in(
        self, client, read_urls, outsider_participant
    ):
        client.cookies[COOKIE] = personal_token(outsider_participant)
        for target in read_urls:
            assert client.get(target).status_code == 302, target

    def test_a_facilitator_of_another_evaluation_gets_404(
        self, client, other_facilitator, read_urls, write_urls
    ):
        client.force_login(other_facilitator)
        for target in read_urls + write_urls:
            assert client.get(target).status_code == 404, target

    def test_the_facilitator_may_use_every_view(
        self, client, facilitator, read_urls, write_urls, session
    ):
        session_state_set(session=session, state=SessionState.GESLOTEN)
        client.force_login(facilitator)
        for target in read_urls + write_urls:
            assert client.get(target).status_code == 200, target

    def test_the_analyst_may_watch_but_not_run_the_room(
        self, client, analyst, read_urls, write_urls, evaluation, session
    ):
        client.force_login(analyst)
        for target in read_urls:
            assert client.get(target).status_code == 200, target
        for target in write_urls:
            assert client.get(target).status_code == 404, target
        response = client.post(url("session_state", evaluation, session), {"action": "close"})
        assert response.status_code == 404
        session.refresh_from_db()
        assert session.state == SessionState.OPEN

    def test_every_post_needs_a_csrf_token(self, facilitator, evaluation, session):
        client = Client(enforce_csrf_checks=True)
        client.force_login(facilitator)
        response = client.post(url("session_state", evaluation, session), {"action": "close"})
        assert response.status_code == 403
        response = client.post(
            reverse(
                "participant:submit",
                args=[personal_token(session.participants.first()), session.pk],
            ),
            points(),
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 403


class TestRunningARound:
    def test_open_close_and_reveal(self, client, facilitator, evaluation, session):
        client.force_login(facilitator)
        session_state_set(session=session, state=SessionState.VOORBEREIDING)
        for action, check in [
            ("open", lambda s: s.state == SessionState.OPEN and s.opened_at),
            ("close", lambda s: s.state == SessionState.GESLOTEN and s.closed_at),
            ("reveal", lambda s: s.revealed),
            ("hide", lambda s: not s.revealed),
            ("live_on", lambda s: s.live_results),
        ]:
            response = client.post(url("session_state", evaluation, session), {"action": action})
            assert response.status_code == 302
            session.refresh_from_db()
            assert check(session), action

    def test_an_unknown_action_is_refused(self, client, facilitator, evaluation, session):
        client.force_login(facilitator)
        response = client.post(url("session_state", evaluation, session), {"action": "wis"})
        assert response.status_code == 400

    def test_reopening_a_closed_round_asks_for_confirmation(
        self, client, facilitator, evaluation, session
    ):
        client.force_login(facilitator)
        session_state_set(session=session, state=SessionState.GESLOTEN)
        response = client.post(url("session_state", evaluation, session), {"action": "open"})
        assert response.url == url("reopen", evaluation, session)
        session.refresh_from_db()
        assert session.state == SessionState.GESLOTEN
        response = client.post(url("reopen", evaluation, session), {})
        assert "Vink aan dat je het zeker weet." in response.content.decode()
        client.post(url("reopen", evaluation, session), {"confirm": "on"})
        session.refresh_from_db()
        assert session.state == SessionState.OPEN

    def test_the_session_page_names_who_has_and_has_not_scored(
        self, client, facilitator, evaluation, session, verteller, reflector
    ):
        allocate(session, verteller)
        client.force_login(facilitator)
        response = client.get(url("session", evaluation, session))
        assert [p.name for p in response.context["submitted"]] == ["Vera Verteller"]
        assert [p.name for p in response.context["waiting_for"]] == ["Rob Reflector"]
        assert "1 van 2 deelnemers heeft gescoord" in response.content.decode()


class TestPlanningSessions:
    def form_data(self, key_moment, group, **extra):
        data = {"key_moment": key_moment.pk, "day": 2, "slot": 1, "room": "Groep C"}
        data["participants"] = [p.pk for p in group]
        data.update(extra)
        return data

    def test_a_facilitator_creates_a_session_with_a_group(
        self, client, facilitator, evaluation, key_moment, verteller, reflector
    ):
        client.force_login(facilitator)
        response = client.post(
            url("session_create", evaluation), self.form_data(key_moment, [verteller, reflector])
        )
        assert response.status_code == 302
        created = ReconstructionSession.objects.get(day=2)
        assert set(created.participants.all()) == {verteller, reflector}
        assert created.state == SessionState.VOORBEREIDING

    def test_the_group_picker_shows_who_was_in_which_session(
        self, client, facilitator, evaluation, session
    ):
        client.force_login(facilitator)
        html = client.get(url("session_create", evaluation)).content.decode()
        assert "D1R1: Ondertekening" in html

    def test_nobody_is_in_two_sessions_in_the_same_round(
        self, client, facilitator, evaluation, session, verteller
    ):
        from sessions.models import KeyMoment, Phase

        other_moment = KeyMoment.objects.create(
            evaluation=evaluation, order=2, title="Crisis", phase=Phase.CRISIS
        )
        client.force_login(facilitator)
        response = client.post(
            url("session_create", evaluation),
            self.form_data(other_moment, [verteller], day=1, slot=1),
        )
        assert response.status_code == 200
        assert (
            "zitten in dezelfde ronde al in een andere sessie: Vera Verteller"
            in response.content.decode()
        )

    def test_bad_input_gets_dutch_errors(self, client, facilitator, evaluation, key_moment):
        client.force_login(facilitator)
        response = client.post(
            url("session_create", evaluation),
            {"key_moment": key_moment.pk, "day": "nul", "slot": ""},
        )
        html = response.content.decode()
        assert "Voer een geheel getal in." in html
        assert "Dit veld is verplicht." in html


class TestLive:
    def test_the_projector_poll_answers_204_when_nothing_changed(
        self, client, facilitator, evaluation, session, verteller
    ):
        client.force_login(facilitator)
        first = client.get(url("projector_live", evaluation, session))
        version = first.context["version"]
        assert (
            client.get(url("projector_live", evaluation, session), {"v": version}).status_code
            == 204
        )
        allocate_via_service(session, verteller)
        changed = client.get(url("projector_live", evaluation, session), {"v": version})
        assert changed.status_code == 200
        assert "1 van 2 deelnemers heeft gescoord" in changed.content.decode()

    def test_results_stay_hidden_until_revealed(
        self, client, facilitator, evaluation, session, verteller
    ):
        allocate(session, verteller)
        client.force_login(facilitator)
        hidden = client.get(url("projector", evaluation, session))
        assert "aggregate" not in hidden.context
        session_state_set(session=session, revealed=True)
        shown = client.get(url("projector", evaluation, session))
        assert shown.context["aggregate"].n == 1
        # One person's points are never a mean on the screen: one sentence says why.
        assert "data-chart-empty" in shown.content.decode()
        assert 'id="figure-' not in shown.content.decode()

    def test_live_results_show_during_the_round_when_chosen(
        self, client, facilitator, evaluation, session, verteller
    ):
        allocate(session, verteller)
        session_state_set(session=session, live_results=True)
        client.force_login(facilitator)
        assert client.get(url("projector", evaluation, session)).context["aggregate"].n == 1

    def test_the_projector_shows_the_largest_difference_in_words(
        self, client, facilitator, evaluation, session, verteller, reflector
    ):
        evaluation.min_group_size = 1  # a room of two may see both roles (privacy: test_privacy)
        evaluation.save()
        allocate(session, verteller, relatie=4, belangen=1, ambitie=2, organisatie=2, proces=1)
        allocate(session, reflector, relatie=1, belangen=3, ambitie=3, organisatie=2, proces=1)
        session_state_set(session=session, revealed=True)
        client.force_login(facilitator)
        html = client.get(url("projector", evaluation, session)).content.decode()
        assert "Grootste verschil: Relatie — vertellers 4,0 · reflectoren 1,0" in html

    def test_polling_goes_on_once_the_round_is_closed_and_revealed(
        self, client, facilitator, evaluation, session
    ):
        """Issue 9, item 2: a closed and revealed round can still be reopened or hidden."""
        client.force_login(facilitator)
        assert (
            'hx-trigger="every 1s"'
            in client.get(url("projector", evaluation, session)).content.decode()
        )
        session_state_set(session=session, state=SessionState.GESLOTEN, revealed=True)
        html = client.get(url("projector", evaluation, session)).content.decode()
        assert 'hx-trigger="every 5s"' in html

    def test_the_projector_endpoint_needs_the_same_queries_for_5_and_200_participants(
        self, client, facilitator, evaluation, session
    ):
        session_state_set(session=session, revealed=True)
        client.force_login(facilitator)

        def grow_to(n):
            have = session.participants.count()
            people = Participant.objects.bulk_create(
                Participant(evaluation=evaluation, name=f"P{have + i}", role=Role.REFLECTOR)
                for i in range(n - have)
            )
            session.participants.add(*people)
            Allocation.objects.bulk_create(
                Allocation(session=session, participant=p, **points()) for p in people
            )

        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url("projector_live", evaluation, session)).status_code == 200
            return len(queries)

        grow_to(5)
        small = count()
        grow_to(200)
        assert count() == small

    def test_the_console_poll_answers_204_when_nothing_changed(
        self, client, facilitator, evaluation, session, verteller
    ):
        client.force_login(facilitator)
        version = client.get(url("console", evaluation)).context["version"]
        assert client.get(url("console_live", evaluation), {"v": version}).status_code == 204
        allocate_via_service(session, verteller)
        assert client.get(url("console_live", evaluation), {"v": version}).status_code == 200


def allocate_via_service(session, participant):
    from scoring.services import allocation_submit

    allocation_submit(participant=participant, session=session, points=points())


def test_the_results_page_draws_every_closed_session_on_one_scale(
    client, facilitator, evaluation, session, verteller, reflector
):
    evaluation.min_group_size = 1  # a room of two may see both roles (privacy: test_privacy)
    evaluation.save()
    allocate(session, verteller, ambitie=6, belangen=1, relatie=1, organisatie=1, proces=1)
    allocate(session, reflector)
    session_state_set(session=session, state=SessionState.GESLOTEN)
    client.force_login(facilitator)
    response = client.get(url("results", evaluation))
    multiples = response.context["multiples"]
    assert len(multiples) == 1
    assert multiples[0]["figure"]["layout"]["polar"]["radialaxis"]["range"] == [0, 10]
    assert len(multiples[0]["figure"]["data"]) == 3
    overlay = response.context["overlay"]
    assert [t["name"] for t in overlay["data"]] == ["1. Ondertekening (n = 2)"]
    only_vertellers = client.get(url("results", evaluation), {"rol": "vertellers"}).context
    assert [t["name"] for t in only_vertellers["multiples"][0]["figure"]["data"]] == [
        "Vertellers (n = 1)"
    ]


def test_buttons_in_the_polled_console_return_to_the_console_not_the_fragment(
    client, facilitator, evaluation, session
):
    client.force_login(facilitator)
    fragment = client.get(url("console_live", evaluation)).content.decode()
    assert f'name="next" value="{url("console", evaluation)}"' in fragment
    assert "/console/live/" not in fragment.split('name="next"')[1].split(">")[0]


class TestAddingParticipants:
    def test_the_facilitator_pastes_a_list_of_participants(self, client, facilitator, evaluation):
        client.force_login(facilitator)
        response = client.post(
            url("participants", evaluation),
            {"lines": "Anne de Vries; Waterschap; verteller\n\nBas  Bos;Provincie; Reflector\n"},
        )
        assert response.status_code == 302
        people = {(p.name, p.organisation, p.role) for p in evaluation.participants.all()}
        assert people == {
            ("Anne de Vries", "Waterschap", "verteller"),
            ("Bas Bos", "Provincie", "reflector"),
        }

    def test_a_bad_line_adds_nobody_and_keeps_what_was_typed(
        self, client, facilitator, evaluation, verteller
    ):
        client.force_login(facilitator)
        typed = "Cor; Gemeente; verteller\nDirk; Rijk\nEva; ; chef\nVera Verteller; Waterschap; v"
        response = client.post(url("participants", evaluation), {"lines": typed})
        html = response.content.decode()
        assert "Regel 2: gebruik ‘naam; organisatie; rol’." in html
        assert "Regel 3: de rol moet ‘verteller’ of ‘reflector’ zijn, niet ‘chef’." in html
        assert "Regel 4: Vera Verteller (Waterschap) staat al op de lijst." in html
        assert "Cor; Gemeente; verteller" in html
        assert evaluation.participants.count() == 1

    def test_the_analyst_cannot_add_participants(self, client, analyst, evaluation):
        client.force_login(analyst)
        response = client.post(url("participants", evaluation), {"lines": "X; Y; verteller"})
        assert response.status_code == 404
        assert not evaluation.participants.exists()


def test_the_facilitator_adds_a_key_moment_at_the_end(client, facilitator, evaluation, key_moment):
    client.force_login(facilitator)
    response = client.post(
        url("key_moment_create", evaluation),
        {"title": "Oplevering", "phase": "slot", "period": "2025"},
    )
    assert response.status_code == 302
    added = evaluation.key_moments.get(title="Oplevering")
    assert added.order == key_moment.order + 1
    response = client.post(url("key_moment_create", evaluation), {"title": "", "phase": "onbekend"})
    html = response.content.decode()
    assert "Dit veld is verplicht." in html
    assert "Selecteer een geldige keuze" in html


def test_the_participants_list_is_by_role_then_name_and_says_so(client, facilitator, evaluation):
    for name, role in [
        ("bram Bakker", Role.VERTELLER),
        ("Anna Aalders", Role.REFLECTOR),
        ("Chris Claes", Role.VERTELLER),
        ("anouk Arts", Role.VERTELLER),
        ("Ben Boer", Role.REFLECTOR),
    ]:
        Participant.objects.create(evaluation=evaluation, name=name, role=role)
    client.force_login(facilitator)
    html = client.get(url("participants", evaluation)).content.decode()
    assert "Op rol (eerst vertellers, dan reflectoren), daarna op naam." in html
    shown = [n for n in html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]]
    names = [
        next(name for name in ("anouk", "bram", "Chris", "Anna", "Ben") if name in row)
        for row in shown
    ]
    assert names == ["anouk", "bram", "Chris", "Anna", "Ben"]
