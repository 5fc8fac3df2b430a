"""The round timer: the facilitator sets and starts it; projector and participants count down."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from scoring.services import live_version
from sessions import services
from sessions.models import ReconstructionSession, TimerKind

from .conftest import personal_token


def url(name, evaluation, session):
    return reverse(f"sessions:{name}", args=[evaluation.slug, session.pk])


def test_starting_shows_the_clock_on_every_page(
    client, facilitator, evaluation, session, verteller
):
    client.force_login(facilitator)
    before = live_version(session)
    response = client.post(
        url("session_timer", evaluation, session), {"kind": "scoren", "minutes": "5"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.timer_kind == TimerKind.SCOREN
    assert 295 <= session.timer_seconds_left <= 300
    assert live_version(session) != before  # live pages redraw with the clock
    for page in (url("session", evaluation, session), url("projector", evaluation, session)):
        text = client.get(page).content.decode()
        assert "data-timer" in text and "Scoren" in text
        assert ">5:00<" in text or ">4:59<" in text
    participant_page = client.get(reverse("participant:page", args=[personal_token(verteller)]))
    assert 'data-remaining="' in participant_page.content.decode()


def test_the_end_of_scoring_is_announced(client, evaluation, session, verteller):
    ReconstructionSession.objects.filter(pk=session.pk).update(
        timer_kind=TimerKind.SCOREN, timer_ends_at=timezone.now() - timedelta(seconds=1)
    )
    text = client.get(
        reverse("participant:page", args=[personal_token(verteller)])
    ).content.decode()
    assert "De tijd voor scoren is om. Stuur je punten nu in." in text
    assert "data-timer-over hidden" not in text


def test_the_participant_clock_polls_apart_from_the_score_form(
    client, evaluation, session, verteller
):
    timer_url = reverse("participant:timer", args=[personal_token(verteller)])
    first = client.get(timer_url)
    sig = first.context["timer_signature"]
    assert client.get(timer_url, {"sig": sig}).status_code == 204
    services.session_timer_start(session=session, kind="reconstructie", minutes=45)
    changed = client.get(timer_url, {"sig": sig})
    assert changed.status_code == 200 and "Reconstructie" in changed.content.decode()


def test_stopping_takes_it_away(client, facilitator, evaluation, session):
    services.session_timer_start(session=session, kind="reconstructie", minutes=45)
    client.force_login(facilitator)
    client.post(url("session_timer", evaluation, session), {"action": "stop"})
    session.refresh_from_db()
    assert session.timer_ends_at is None and session.timer_kind == ""


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"kind": "koffie", "minutes": "5"}, "Kies reconstructie of scoren."),
        ({"kind": "scoren", "minutes": "0"}, "Minstens 1 minuut."),
        ({"kind": "scoren", "minutes": "999"}, "Hoogstens 240 minuten."),
        ({"kind": "scoren", "minutes": "vijf"}, "Vul een heel aantal minuten in."),
    ],
)
def test_wrong_settings_get_a_dutch_message(client, facilitator, evaluation, session, data, error):
    client.force_login(facilitator)
    response = client.post(url("session_timer", evaluation, session), data, follow=True)
    assert error in [str(m) for m in response.context["messages"]][0]
    session.refresh_from_db()
    assert session.timer_ends_at is None


def test_the_service_and_the_database_refuse_half_a_timer(session):
    with pytest.raises(ValidationError):
        services.session_timer_start(session=session, kind="scoren", minutes=0)
    with pytest.raises(IntegrityError):
        ReconstructionSession.objects.filter(pk=session.pk).update(timer_kind="scoren")


def test_analysts_cannot_start_it(client, analyst, evaluation, session):
    client.force_login(analyst)
    response = client.post(
        url("session_timer", evaluation, session), {"kind": "scoren", "minutes": "5"}
    )
    assert response.status_code == 404


def test_a_one_minute_clock_is_announced_in_the_singular(client, facilitator, evaluation, session):
    client.force_login(facilitator)
    response = client.post(
        url("session_timer", evaluation, session), {"kind": "scoren", "minutes": "1"}, follow=True
    )
    text = response.content.decode()
    assert "De klok loopt: 1 minuut." in text
    assert "1 minuten" not in text
