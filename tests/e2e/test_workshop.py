"""The room, in a real browser: participants score on their own devices, the projector follows."""

import pytest
from playwright.sync_api import expect

from scoring.services import session_state_set
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
from tests.conftest import make_user, personal_token
from tests.e2e.accounts import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def room(db):
    # A room of three: means of one or two are shown here (privacy has its own tests).
    evaluation = Evaluation.objects.create(
        title="Alliantie Browserdijk", slug="browserdijk", min_group_size=1
    )
    key_moment = KeyMoment.objects.create(
        evaluation=evaluation, order=1, title="Het beroep bij de Raad van State", phase=Phase.CRISIS
    )
    people = [
        Participant.objects.create(evaluation=evaluation, name=name, organisation=org, role=role)
        for name, org, role in [
            ("Anna Aalders", "Waterschap", Role.VERTELLER),
            ("Bert Bos", "Aannemer", Role.VERTELLER),
            ("Cor Claassen", "Provincie", Role.REFLECTOR),
        ]
    ]
    session = ReconstructionSession.objects.create(
        evaluation=evaluation, key_moment=key_moment, day=1, slot=1, state=SessionState.OPEN
    )
    session.participants.set(people)
    # The facilitator chose to show results live during this round.
    session_state_set(session=session, live_results=True)
    user = make_user("fenna")
    EvaluationMember.objects.create(
        evaluation=evaluation, user=user, role=EvaluationMember.Role.FACILITATOR
    )
    return {"evaluation": evaluation, "session": session, "people": people}


def plotted(page) -> list[list[float]]:
    """The r values plotly actually drew, per trace, without the closing point.

    Waits for a drawn chart: right after a live update swaps the fragment in, the new
    chart element exists for a moment before plotly has drawn it.
    """
    handle = page.wait_for_function(
        "() => document.querySelector('.projector-chart')?.data?.map(t => t.r.slice(0, 5))"
    )
    return handle.json_value()


def score(page, token_url, values):
    """A participant who is already known types their points and submits."""
    page.goto(token_url)
    for field, value in values.items():
        page.fill(f"input[name={field}]", str(value))
    page.click(".submit-points")
    expect(page.locator(".message-success")).to_contain_text("Je punten zijn opgeslagen")


def test_a_round_from_join_to_close(live_server, browser, room):
    base = live_server.url
    evaluation, session = room["evaluation"], room["session"]
    anna, bert, cor = room["people"]

    # Anna joins on her phone with the code, picks herself and uses the buttons.
    phone = browser.new_context(viewport={"width": 360, "height": 780})
    anna_page = phone.new_page()
    anna_page.goto(base + "/")
    anna_page.fill("#id_code", evaluation.join_code.lower())
    anna_page.click("main button[type=submit]")
    anna_page.click("text=Anna Aalders")
    expect(anna_page.locator("h2")).to_contain_text("Het beroep bij de Raad van State")

    counter = anna_page.locator("[data-counter]")
    submit = anna_page.locator(".submit-points")
    expect(counter).to_have_text("Nog 10 punten te verdelen")
    expect(submit).to_be_disabled()
    plus = {
        f: anna_page.locator(f".condition-row:has(input[name={f}]) .step[data-step='1']")
        for f in ("ambitie", "belangen", "relatie", "organisatie", "proces")
    }
    for field, clicks in {"ambitie": 4, "belangen": 1, "relatie": 3, "organisatie": 1}.items():
        for _ in range(clicks):
            plus[field].click()
    expect(counter).to_have_text("Nog 1 punt te verdelen")
    expect(submit).to_be_disabled()
    plus["proces"].click()
    plus["proces"].click()
    expect(counter).to_have_text("1 punt te veel")
    expect(submit).to_be_disabled()
    anna_page.locator(".condition-row:has(input[name=proces]) .step[data-step='-1']").click()
    expect(counter).to_have_text("Alle 10 punten verdeeld")
    expect(submit).to_be_enabled()
    submit.click()
    expect(anna_page.locator(".session-card")).to_contain_text("Je punten zijn opgeslagen")
    expect(anna_page.locator(".points-table")).to_contain_text("Ambitie")

    # The facilitator's projector shows the chart with Anna's points.
    laptop = browser.new_context(viewport={"width": 1600, "height": 900})
    projector = laptop.new_page()
    log_in(projector, base)
    projector.goto(f"{base}/e/{evaluation.slug}/sessies/{session.pk}/projector/")
    expect(projector.locator("[data-count]")).to_have_text("1 van 3 deelnemers heeft gescoord")
    assert plotted(projector)[0] == [4, 1, 3, 1, 1]

    # Two more participants score in their own browsers; the projector follows within 2 s.
    # One browser per person: their personal link is bound to the device that opened it.
    devices = {}
    for person, values in [
        (bert, {"ambitie": 2, "belangen": 2, "relatie": 2, "organisatie": 2, "proces": 2}),
        (cor, {"ambitie": 1, "belangen": 3, "relatie": 1, "organisatie": 3, "proces": 2}),
    ]:
        devices[person] = browser.new_context()
        score(devices[person].new_page(), f"{base}/p/{personal_token(person)}/", values)
    expect(projector.locator("[data-count]")).to_have_text(
        "3 van 3 deelnemers hebben gescoord", timeout=2000
    )
    projector.wait_for_function(
        "() => document.querySelector('.projector-chart')?.data?.[0]?.r?.[0] === 3", timeout=2000
    )
    vertellers, reflectoren, everyone = plotted(projector)
    assert vertellers == [3, 1.5, 2.5, 1.5, 1.5]
    assert reflectoren == [1, 3, 1, 3, 2]
    assert everyone == [2.33, 2, 2, 2, 1.67]
    expect(projector.locator("[data-difference]")).to_have_text(
        "Grootste verschil: Ambitie — vertellers 3,0 · reflectoren 1,0"
    )

    # Cor has the form open again (on his own device), the facilitator closes the round,
    # then Cor submits.
    cor_page = devices[cor].new_page()
    # Simulate a participant whose page has not yet noticed the close (its poll is late).
    cor_page.route("**/live/**", lambda route: route.abort())
    cor_page.goto(f"{base}/p/{personal_token(cor)}/?wijzig={session.pk}")
    cor_page.fill("input[name=ambitie]", "2")
    cor_page.fill("input[name=proces]", "1")
    console = laptop.new_page()
    console.goto(f"{base}/e/{evaluation.slug}/sessies/{session.pk}/")
    console.click("text=Sluit ronde")
    expect(console.locator(".state").first).to_have_text("Gesloten")
    cor_page.click(".submit-points")
    expect(cor_page.locator(".form-error")).to_contain_text("Deze ronde is gesloten")
    session.refresh_from_db()
    assert session.allocations.get(participant=cor).ambitie == 1
