import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring.models import Allocation
from scoring.services import session_state_set
from sessions.models import Participant, ReconstructionSession, Role, SessionState
from sessions.participant_views import COOKIE

from .conftest import allocate, personal_token, points


def page_url(participant):
    return reverse("participant:page", args=[personal_token(participant)])


def submit_url(participant, session):
    return reverse("participant:submit", args=[personal_token(participant), session.pk])


def post_points(client, participant, session, htmx=False, **values):
    data = {k: str(v) for k, v in points().items()}
    data.update({k: str(v) for k, v in values.items()})
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(submit_url(participant, session), data, headers=headers)


class TestJoin:
    def test_the_home_page_asks_a_visitor_for_the_join_code(self, client, db):
        html = client.get("/").content.decode()
        assert "Typ de code" in html

    def test_a_wrong_code_gets_a_clear_message(self, client, evaluation):
        response = client.post(reverse("participant:join"), {"code": "ZZZZZZ"})
        assert response.status_code == 400
        assert "Deze code kennen we niet" in response.content.decode()

    def test_the_code_is_case_insensitive_and_leads_to_the_participant_list(
        self, client, evaluation, verteller
    ):
        response = client.post(
            reverse("participant:join"), {"code": f" {evaluation.join_code.lower()} "}
        )
        assert response.status_code == 302
        html = client.get(response.url).content.decode()
        assert "Vera Verteller" in html

    def test_the_qr_link_with_the_code_goes_straight_to_the_list(self, client, evaluation):
        response = client.get(reverse("participant:join") + f"?code={evaluation.join_code}")
        assert response.url == reverse("participant:pick")

    def test_picking_yourself_gives_a_personal_link_kept_in_a_cookie(
        self, client, evaluation, verteller
    ):
        client.post(reverse("participant:join"), {"code": evaluation.join_code})
        response = client.post(reverse("participant:pick"), {"participant": verteller.pk})
        token = verteller.claim.token
        assert response.url == reverse("participant:page", args=[token])
        assert response.cookies[COOKIE].value == token
        assert response.cookies[COOKIE]["httponly"]
        assert len(token) >= 40

    def test_one_cannot_pick_someone_of_another_evaluation(
        self, client, evaluation, outsider_participant
    ):
        client.post(reverse("participant:join"), {"code": evaluation.join_code})
        response = client.post(
            reverse("participant:pick"), {"participant": outsider_participant.pk}
        )
        assert response.status_code == 200
        assert COOKIE not in response.cookies

    def test_self_registration_only_when_allowed(self, client, evaluation):
        client.post(reverse("participant:join"), {"code": evaluation.join_code})
        assert client.get(reverse("participant:register")).status_code == 302
        evaluation.self_registration = True
        evaluation.save()
        response = client.post(
            reverse("participant:register"),
            {"name": "  Nieuwe   Deelnemer ", "organisation": "Gemeente", "role": "reflector"},
        )
        participant = Participant.objects.get(name="Nieuwe Deelnemer")
        assert response.url == page_url(participant)
        assert participant.evaluation == evaluation

    def test_registration_errors_are_dutch_and_keep_the_input(self, client, evaluation, verteller):
        evaluation.self_registration = True
        evaluation.save()
        client.post(reverse("participant:join"), {"code": evaluation.join_code})
        response = client.post(
            reverse("participant:register"), {"name": "Iemand", "organisation": ""}
        )
        html = response.content.decode()
        assert "Vul je organisatie in." in html
        assert "Kies of je verteller of reflector bent." in html
        assert 'value="Iemand"' in html
        response = client.post(
            reverse("participant:register"),
            {"name": "Vera Verteller", "organisation": "Waterschap", "role": "verteller"},
        )
        assert "Er is al een deelnemer met deze naam" in response.content.decode()

    def test_the_device_page_shows_the_personal_link_and_its_qr_code(self, client, verteller):
        html = client.get(
            reverse("participant:device", args=[personal_token(verteller)])
        ).content.decode()
        assert verteller.claim.token in html
        assert "<svg" in html


class TestScoringPage:
    def test_it_shows_the_open_session_with_the_five_conditions(self, client, session, verteller):
        html = client.get(page_url(verteller)).content.decode()
        assert "Ondertekening" in html
        for label in ("Ambitie", "Belangen", "Relatie", "Organisatie", "Proces"):
            assert label in html
        assert "Het gezamenlijke doel" in html
        assert "Verstuur" in html

    def test_an_unknown_token_is_404(self, client, db):
        assert client.get("/p/geen-geldige-sleutel/").status_code == 404

    def test_without_an_open_session_it_is_a_waiting_screen(self, client, session, verteller):
        session_state_set(session=session, state=SessionState.VOORBEREIDING)
        html = client.get(page_url(verteller)).content.decode()
        assert "Even geduld" in html
        assert "Verstuur" not in html
        assert 'http-equiv="refresh"' in html  # picks up the next round without JavaScript

    def test_a_valid_submit_is_stored_and_shown_with_a_chart(self, client, session, verteller):
        response = post_points(client, verteller, session, ambitie=4, proces=0)
        assert response.status_code == 302
        assert Allocation.objects.get().points == points(ambitie=4, proces=0)
        html = client.get(page_url(verteller)).content.decode()
        assert "Jouw punten" in html and "<svg" in html
        assert "Wijzigen" in html

    def test_an_htmx_submit_answers_with_the_card(self, client, session, verteller):
        response = post_points(client, verteller, session, htmx=True)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Je punten zijn opgeslagen" in html
        assert "<html" not in html

    @pytest.mark.parametrize(
        "values, message",
        [
            ({"ambitie": "twee"}, "Vul bij Ambitie een heel getal in"),
            ({"ambitie": "2,5"}, "Vul bij Ambitie een heel getal in"),
            ({"belangen": "-1", "ambitie": "5"}, "Belangen kan niet minder dan 0 punten krijgen."),
            ({"relatie": "11"}, "Relatie kan hoogstens 10 punten krijgen."),
            ({"ambitie": "1"}, "er moet nog 1 punt bij"),
            ({"ambitie": "5"}, "dat zijn 3 punten te veel"),
        ],
    )
    def test_wrong_input_gets_a_dutch_message_and_keeps_the_values(
        self, client, session, verteller, values, message
    ):
        for htmx in (False, True):
            response = post_points(client, verteller, session, htmx=htmx, **values)
            html = response.content.decode()
            assert message in html
            for value in values.values():
                assert f'value="{value}"' in html
        assert not Allocation.objects.exists()

    def test_a_closed_round_refuses_the_submit_and_shows_what_was_typed(
        self, client, session, verteller
    ):
        session_state_set(session=session, state=SessionState.GESLOTEN)
        response = post_points(client, verteller, session, ambitie=3, proces=1)
        html = response.content.decode()
        assert response.status_code == 409
        assert "Deze ronde is gesloten" in html
        assert "Wat je had ingevuld" in html
        assert not Allocation.objects.exists()

    def test_a_round_not_yet_open_refuses_the_submit(self, client, session, verteller):
        session_state_set(session=session, state=SessionState.VOORBEREIDING)
        response = post_points(client, verteller, session)
        assert response.status_code == 409
        assert "nog niet geopend" in response.content.decode()

    def test_a_session_of_another_group_is_refused(self, client, session, evaluation, key_moment):
        stranger = Participant.objects.create(
            evaluation=evaluation, name="Sam", role=Role.REFLECTOR
        )
        response = post_points(client, stranger, session)
        assert response.status_code == 403
        assert "hoort niet bij jouw groep" in response.content.decode()
        assert not Allocation.objects.exists()

    def test_a_session_of_another_evaluation_does_not_exist_for_the_participant(
        self, client, session, outsider_participant
    ):
        assert post_points(client, outsider_participant, session).status_code == 404

    def test_a_participant_only_sees_their_own_points(self, client, session, verteller, reflector):
        allocate(session, reflector, ambitie=7, belangen=0, relatie=1, organisatie=1, proces=1)
        allocate(session, verteller)
        response = client.get(page_url(verteller))
        shown = [card["allocation"] for card in response.context["cards"]]
        assert [a.participant for a in shown] == [verteller]
        html = response.content.decode()
        assert "Rob Reflector" not in html
        assert "Alle deelnemers" not in html

    def test_the_poll_answers_204_until_a_round_opens_or_closes(self, client, session, verteller):
        live = reverse("participant:live", args=[personal_token(verteller)])
        first = client.get(live)
        signature = first.context["signature"]
        assert client.get(live, {"sig": signature}).status_code == 204
        session_state_set(session=session, state=SessionState.GESLOTEN)
        assert client.get(live, {"sig": signature}).status_code == 200

    def test_the_page_needs_the_same_queries_for_5_and_for_200_participants(
        self, client, session, evaluation, verteller
    ):
        url = page_url(verteller)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            return len(queries)

        allocate(session, verteller)
        others = Participant.objects.bulk_create(
            Participant(evaluation=evaluation, name=f"P{i}", role=Role.REFLECTOR) for i in range(3)
        )
        session.participants.add(*others)
        client.get(url)  # the first opening binds the link to this device (one write)
        small = count()
        more = Participant.objects.bulk_create(
            Participant(evaluation=evaluation, name=f"Q{i}", role=Role.REFLECTOR)
            for i in range(195)
        )
        session.participants.add(*more)
        Allocation.objects.bulk_create(
            Allocation(session=session, participant=p, **points()) for p in more
        )
        assert count() == small


def test_closed_sessions_of_another_group_never_show(
    client, session, evaluation, key_moment, verteller
):
    other = ReconstructionSession.objects.create(
        evaluation=evaluation, key_moment=key_moment, day=2, slot=1, state=SessionState.OPEN
    )
    html = client.get(page_url(verteller)).content.decode()
    assert f"sessie-{other.pk}" not in html


def test_a_large_room_finds_its_names_by_search_instead_of_a_long_list(client, evaluation):
    Participant.objects.bulk_create(
        Participant(evaluation=evaluation, name=f"Deelnemer {i:03d}", role=Role.REFLECTOR)
        for i in range(100)
    )
    client.post(reverse("participant:join"), {"code": evaluation.join_code})
    page = client.get(reverse("participant:pick"))
    assert list(page.context["people"]) == []
    assert "Typ een deel van je naam" in page.content.decode()
    found = client.get(reverse("participant:pick"), {"zoek": "nemer 04"}).context["people"]
    assert [p.name for p in found] == [f"Deelnemer 04{i}" for i in range(10)]


def test_a_participant_can_choose_english(client, session, verteller):
    client.cookies["django_language"] = "en"
    html = client.get(page_url(verteller)).content.decode()
    assert "Submit" in html and "Ambition" in html
    assert 'data-msg-left="{n} points left to distribute"' in html
