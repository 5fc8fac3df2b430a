"""The live room follows every change without losing anything (issue 9, items 2, 3 and 11)."""

import pytest
from playwright.sync_api import expect

from scoring.services import allocation_submit, session_state_set
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
    evaluation = Evaluation.objects.create(title="Alliantie Livedijk", slug="livedijk")
    moments = [
        KeyMoment.objects.create(evaluation=evaluation, order=i, title=title, phase=Phase.START)
        for i, title in enumerate(["De aanbesteding", "Het eerste ontwerp"], start=1)
    ]
    people = [
        Participant.objects.create(evaluation=evaluation, name=f"Deelnemer {i}", role=role)
        for i, role in enumerate([Role.VERTELLER] * 3 + [Role.REFLECTOR] * 3, start=1)
    ]
    sessions = []
    for slot, moment in enumerate(moments, start=1):
        session = ReconstructionSession.objects.create(
            evaluation=evaluation, key_moment=moment, day=1, slot=slot
        )
        session.participants.set(people)
        sessions.append(session)
    user = make_user("fenna")
    EvaluationMember.objects.create(
        evaluation=evaluation, user=user, role=EvaluationMember.Role.FACILITATOR
    )
    return {"evaluation": evaluation, "sessions": sessions, "people": people}


def test_reopening_a_revealed_round_reaches_the_open_projector(live_server, browser, room):
    """Item 2: after "Heropenen…" the projector kept the old numbers and stopped polling."""
    base, evaluation = live_server.url, room["evaluation"]
    session = room["sessions"][0]
    session_state_set(session=session, state=SessionState.OPEN)
    for person in room["people"]:
        allocation_submit(
            participant=person,
            session=session,
            points=dict(ambitie=4, belangen=2, relatie=2, organisatie=1, proces=1),
        )
    session_state_set(session=session, state=SessionState.GESLOTEN, revealed=True)
    laptop = browser.new_context(viewport={"width": 1600, "height": 900})
    projector = laptop.new_page()
    log_in(projector, base)
    projector.goto(f"{base}/e/{evaluation.slug}/sessies/{session.pk}/projector/")
    expect(projector.locator(".join-code")).to_have_count(0)
    expect(projector.locator("[data-means]")).to_be_visible()

    console = laptop.new_page()
    console.goto(f"{base}/e/{evaluation.slug}/sessies/{session.pk}/")
    console.click("text=Heropenen…")
    console.check("input[name=confirm]")
    console.click("main button[type=submit]")
    expect(console.locator(".state").first).to_have_text("Open")

    expect(projector.locator(".join-code")).to_have_text(evaluation.join_code, timeout=8000)
    # And hiding the results again reaches it too.
    console.click("text=Verberg resultaten")
    expect(projector.locator("[data-means]")).to_have_count(0, timeout=8000)


def test_typing_survives_a_change_of_another_round(live_server, browser, room):
    """Item 3: the page redrew when another round opened, and the typed values were gone."""
    base = live_server.url
    first, second = room["sessions"]
    session_state_set(session=first, state=SessionState.OPEN)
    person = room["people"][0]
    page = browser.new_context().new_page()
    page.goto(f"{base}/p/{personal_token(person)}/")
    card = page.locator(f"#sessie-{first.pk}")
    card.locator("input[name=ambitie]").fill("4")
    card.locator("input[name=relatie]").fill("3")
    expect(card.locator("[data-counter]")).to_have_text("Nog 3 punten te verdelen")

    session_state_set(session=second, state=SessionState.OPEN)
    expect(page.locator(f"#sessie-{second.pk}")).to_be_visible(timeout=8000)
    expect(card.locator("input[name=ambitie]")).to_have_value("4")
    expect(card.locator("input[name=relatie]")).to_have_value("3")
    expect(card.locator("[data-counter]")).to_have_text("Nog 3 punten te verdelen")

    # The kept form still submits in place.
    card.locator("input[name=belangen]").fill("3")
    card.locator(".submit-points").click()
    expect(card).to_contain_text("Je punten zijn opgeslagen")


def test_a_second_device_never_leaves_stale_points_on_the_first(live_server, browser, room):
    """Item 3: a change on the phone left the laptop showing the old points as saved."""
    base = live_server.url
    session = room["sessions"][0]
    session_state_set(session=session, state=SessionState.OPEN)
    person = room["people"][0]
    laptop = browser.new_context().new_page()
    laptop.goto(f"{base}/p/{personal_token(person)}/")
    for field, value in dict(ambitie=4, belangen=2, relatie=2, organisatie=1, proces=1).items():
        laptop.fill(f"input[name={field}]", str(value))
    laptop.click(".submit-points")
    expect(laptop.locator(".message-success")).to_contain_text("Je punten zijn opgeslagen")

    allocation_submit(
        participant=person,
        session=session,
        points=dict(ambitie=10, belangen=0, relatie=0, organisatie=0, proces=0),
    )
    expect(laptop.locator(".points-table")).to_contain_text("10", timeout=8000)
    expect(laptop.locator(".message-success")).to_have_count(0)


def test_a_points_field_refuses_what_is_not_a_number(live_server, browser, room):
    """Item 7: "e" gave an empty value, "Alle 10 punten verdeeld" and a stored 0."""
    base = live_server.url
    session = room["sessions"][0]
    session_state_set(session=session, state=SessionState.OPEN)
    page = browser.new_context().new_page()
    page.goto(f"{base}/p/{personal_token(room['people'][0])}/")
    assert page.input_value("input[name=ambitie]") == ""  # no stuck "0" in front of a 4
    page.locator("input[name=ambitie]").press_sequentially("4")
    assert page.input_value("input[name=ambitie]") == "4"
    for field, value in dict(belangen=2, relatie=2, organisatie=1).items():
        page.fill(f"input[name={field}]", str(value))
    page.locator("input[name=proces]").press_sequentially("e")
    counter = page.locator("[data-counter]")
    expect(counter).to_have_text("Vul bij Proces een heel getal in, van 0 tot en met 10.")
    expect(page.locator(".submit-points")).to_be_disabled()
    page.locator("input[name=proces]").fill("1")
    expect(counter).to_have_text("Alle 10 punten verdeeld")


def test_the_projector_after_the_facilitator_logs_out_elsewhere(live_server, browser, room):
    """Item 11: the next poll swapped the login page into the projector and polling stopped."""
    base, evaluation = live_server.url, room["evaluation"]
    session = room["sessions"][0]
    session_state_set(session=session, state=SessionState.OPEN)
    laptop = browser.new_context(viewport={"width": 1600, "height": 900})
    projector = laptop.new_page()
    log_in(projector, base)
    projector.goto(f"{base}/e/{evaluation.slug}/sessies/{session.pk}/projector/")
    expect(projector.locator(".join-code")).to_have_text(evaluation.join_code)

    other_tab = laptop.new_page()
    other_tab.goto(f"{base}/e/{evaluation.slug}/console/")
    other_tab.evaluate(
        """() => { const f = document.createElement('form'); f.method = 'post';
        f.action = '/accounts/logout/'; const t = document.createElement('input');
        t.name = 'csrfmiddlewaretoken';
        t.value = document.querySelector('[name=csrfmiddlewaretoken]').value;
        f.appendChild(t); document.body.appendChild(f); f.submit(); }"""
    )
    other_tab.wait_for_load_state()

    status = projector.locator("[data-live-status]")
    expect(status).to_be_visible(timeout=8000)
    # The last picture stays; no login form in the projector.
    expect(projector.locator(".join-code")).to_have_text(evaluation.join_code)
    expect(projector.locator("input[name=password]")).to_have_count(0)
    # Logging in again (in any tab) and the projector picks up by itself.
    log_in(other_tab, base)
    session_state_set(session=session, state=SessionState.GESLOTEN)
    # (The join code stays up between rounds: people still join for the next one.)
    expect(projector.get_by_text("De ronde is gesloten.", exact=False)).to_be_visible(timeout=8000)
    expect(status).to_be_hidden()


def test_the_projector_link_needs_no_login_and_can_be_revoked(live_server, browser, room):
    base, evaluation = live_server.url, room["evaluation"]
    session = room["sessions"][0]
    laptop = browser.new_context()
    console = laptop.new_page()
    log_in(console, base)
    console.goto(f"{base}/e/{evaluation.slug}/console/")
    console.click("text=Maak een projectorlink")
    link = console.locator("[data-projector-link]").get_attribute("href")

    venue = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    venue.goto(link)
    expect(venue.locator("h1")).to_have_text("Nog geen ronde geopend")
    session_state_set(session=session, state=SessionState.OPEN)
    expect(venue.locator(".join-code")).to_have_text(evaluation.join_code, timeout=8000)

    console.click("text=Link intrekken")
    expect(venue.locator("h1")).to_have_text("Deze projectorlink is ingetrokken", timeout=8000)


def test_a_waiting_phone_polls_from_the_room_version_and_still_sees_the_round_open(
    live_server, browser, room
):
    """Issue 14: the page sends back the room version it was given (static/js/live.js), the
    server answers those polls from its cache, and a round opened meanwhile still appears."""
    base = live_server.url
    person = room["people"][0]
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = phone.new_page()
        polls = []
        page.on(
            "response",
            lambda r: (
                polls.append((r.url, r.status, r.headers.get("x-room-version")))
                if "/live/" in r.url
                else None
            ),
        )
        page.goto(f"{base}/p/{personal_token(person)}/")
        expect(page.locator(".waiting")).to_be_visible()
        page.wait_for_timeout(7000)  # two or three polls of 3 s
        from_cache = [p for p in polls if "rv=" in p[0] and p[1] == 204 and not p[2]]
        assert from_cache, polls
        session_state_set(session=room["sessions"][0], state=SessionState.OPEN)
        expect(page.locator(".allocation-form")).to_be_visible(timeout=8000)
    finally:
        phone.close()
