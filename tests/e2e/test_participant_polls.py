"""A participant's page in a real browser polls once per 3 s while it waits (issue 14: in a
1,000-person room every extra poll is hundreds of requests a second), and still shows the
slotdialoog and the round clock as soon as they start: the rounds' poll tells the page's wall
and clock to look again."""

import pytest
from playwright.sync_api import expect

from scoring.services import session_state_set
from sessions.models import (
    Evaluation,
    KeyMoment,
    Participant,
    Phase,
    ReconstructionSession,
    Role,
    SessionState,
    TimerKind,
)
from sessions.services import session_timer_start
from sessions.wall import prompt_add, prompt_state_set
from tests.conftest import personal_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _polls(page) -> list[str]:
    """The paths of the page's GET requests to its own live regions, as they are sent."""
    sent: list[str] = []
    page.on(
        "request",
        lambda request: (
            sent.append(request.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1])
            if request.method == "GET" and request.headers.get("hx-request")
            else None
        ),
    )
    return sent


def test_a_waiting_page_polls_only_its_rounds_and_follows_the_wall_and_the_clock(
    live_server, browser
):
    evaluation = Evaluation.objects.create(title="Alliantie Wachtdijk", slug="wachtdijk")
    moment = KeyMoment.objects.create(
        evaluation=evaluation, order=1, title="De eerste schop", phase=Phase.START
    )
    person = Participant.objects.create(evaluation=evaluation, name="Wim", role=Role.VERTELLER)
    session = ReconstructionSession.objects.create(
        evaluation=evaluation, key_moment=moment, day=1, slot=1
    )
    session.participants.add(person)
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sent = _polls(phone)
    phone.goto(f"{live_server.url}/p/{personal_token(person)}/")
    expect(phone.locator("[data-status=wachten]")).to_be_visible()

    # Waiting: only the rounds' poll runs (every 3 s); the wall and the clock do not poll.
    phone.wait_for_timeout(7000)
    assert sent.count("live") >= 2
    assert set(sent) == {"live"}, sent

    # The facilitator opens a prompt of the slotdialoog: the wall appears without a reload.
    prompt = prompt_add(evaluation=evaluation, title="Wat neem je mee?")
    prompt_state_set(prompt=prompt, action="open")
    expect(phone.locator(f"#vraag-{prompt.pk}")).to_be_visible(timeout=10000)
    # While it is open, the wall polls for the others' contributions.
    sent.clear()
    phone.wait_for_timeout(7000)
    assert "slotdialoog" in sent, sent
    prompt_state_set(prompt=prompt, action="close")
    expect(phone.locator(f"#vraag-{prompt.pk}")).to_have_count(0, timeout=10000)

    # A round with a running clock opens: the clock appears, and polls while the round is open.
    session_timer_start(session=session, kind=TimerKind.SCOREN, minutes=5)
    session_state_set(session=session, state=SessionState.OPEN)
    expect(phone.locator("#participant-timer [data-clock]")).to_be_visible(timeout=10000)
    sent.clear()
    phone.wait_for_timeout(6000)
    assert "klok" in sent, sent
