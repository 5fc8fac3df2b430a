"""Typed points are never lost without a word (new-user test M7 and minor 4).

M7: a phone went offline and tapped Verstuur: nothing happened, no error, no retry, and back
online the points had never been sent; no page said the connection was gone. Minor 4: taken
out of the group while typing, or the name released, and the form vanished without a word.
"""

import pytest
from playwright.sync_api import expect

from scoring.models import Allocation
from scoring.services import session_state_set
from sessions.models import SessionState
from sessions.services import claim_release
from tests.conftest import personal_token
from tests.e2e.accounts import log_in
from tests.e2e.test_live_room import room  # noqa: F401 (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

POINTS = dict(ambitie=4, belangen=2, relatie=2, organisatie=1, proces=1)


def _fill(card, values=POINTS):
    for field, value in values.items():
        card.locator(f"input[name={field}]").fill(str(value))


def test_a_submit_while_offline_says_so_and_is_sent_when_back_online(live_server, browser, room):  # noqa: F811
    session = room["sessions"][0]
    session_state_set(session=session, state=SessionState.OPEN)
    person = room["people"][0]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/p/{personal_token(person)}/")
    card = page.locator(f"#sessie-{session.pk}")
    _fill(card)

    context.set_offline(True)
    card.locator(".submit-points").click()
    error = card.locator("[data-send-error]")
    expect(error).to_be_visible(timeout=8000)
    expect(error).to_contain_text("Je punten zijn niet verstuurd")
    expect(page.locator("[data-connection]")).to_be_visible(timeout=8000)
    expect(card.locator("input[name=ambitie]")).to_have_value("4")  # nothing typed is lost
    assert not Allocation.objects.filter(participant=person).exists()

    context.set_offline(False)
    expect(card).to_contain_text("Je punten zijn opgeslagen", timeout=10000)
    expect(page.locator("[data-connection]")).to_be_hidden(timeout=8000)
    assert Allocation.objects.get(participant=person).points == POINTS


def test_the_projector_says_when_it_has_no_connection(live_server, browser, room):  # noqa: F811
    session = room["sessions"][0]
    session_state_set(session=session, state=SessionState.OPEN)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    projector = context.new_page()
    log_in(projector, live_server.url)
    projector.goto(f"{live_server.url}/e/{room['evaluation'].slug}/sessies/{session.pk}/projector/")
    line = projector.locator("[data-connection]")
    expect(line).to_be_hidden()
    context.set_offline(True)
    expect(line).to_be_visible(timeout=8000)
    expect(line).to_contain_text("Geen verbinding")
    context.set_offline(False)
    expect(line).to_be_hidden(timeout=8000)


def test_typed_points_stay_in_sight_when_taken_out_of_the_group(live_server, browser, room):  # noqa: F811
    session = room["sessions"][0]
    session_state_set(session=session, state=SessionState.OPEN)
    person = room["people"][0]
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/p/{personal_token(person)}/")
    _fill(page.locator(f"#sessie-{session.pk}"))

    session.participants.remove(person)
    notice = page.locator("[data-unsent-card]")
    expect(notice).to_be_visible(timeout=8000)
    expect(notice).to_contain_text("wat je had ingevuld is niet verstuurd")
    expect(notice).to_contain_text("Ambitie: 4")
    expect(notice).to_contain_text("Organisatie: 1")


def test_typed_points_stay_in_sight_when_the_name_is_released(live_server, browser, room):  # noqa: F811
    session = room["sessions"][0]
    session_state_set(session=session, state=SessionState.OPEN)
    person = room["people"][0]
    page = browser.new_context().new_page()
    url = f"{live_server.url}/p/{personal_token(person)}/"
    page.goto(url)
    _fill(page.locator(f"#sessie-{session.pk}"))

    claim_release(participant=person)
    expect(page.get_by_text("Je persoonlijke link werkt niet meer")).to_be_visible(timeout=8000)
    assert page.url == url  # not bounced to /doe-mee/ with the values gone
    notice = page.locator("[data-unsent-card]")
    expect(notice).to_contain_text("Ambitie: 4")
    expect(page.get_by_role("link", name="Opnieuw meedoen")).to_be_visible()


def test_a_round_closed_while_typing_says_it_once(live_server, browser, room):  # noqa: F811
    session = room["sessions"][0]
    session_state_set(session=session, state=SessionState.OPEN)
    person = room["people"][0]
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/p/{personal_token(person)}/")
    _fill(page.locator(f"#sessie-{session.pk}"))
    session_state_set(session=session, state=SessionState.GESLOTEN)
    notice = page.locator("[data-unsent-card]")
    expect(notice).to_contain_text("intussen gesloten", timeout=8000)
    expect(notice).to_contain_text("Proces: 1")
    expect(page.locator(".form-error")).to_have_count(1)


def _editing_saved_points(live_server, browser, room):  # noqa: F811
    """A participant who sent POINTS and chose Wijzigen: the form shows the saved points."""
    session = session_state_set(session=room["sessions"][0], state=SessionState.OPEN)
    person = room["people"][0]
    token = personal_token(person)  # the name picked first, then the points sent from it
    Allocation.objects.create(session=session, participant=person, **POINTS)
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/p/{token}/?wijzig={session.pk}")
    card = page.locator(f"#sessie-{session.pk}")
    expect(card.locator("input[name=ambitie]")).to_have_value("4")
    card.locator("input[name=ambitie]").focus()  # being looked at: kept through a redraw
    return session, page, card


def test_the_saved_points_on_screen_are_not_marked_unsent_when_the_round_closes(
    live_server,
    browser,
    room,  # noqa: F811
):
    """Item 5 (issue 13): 'niet verstuurd' showed for the very points that were saved."""
    session, page, card = _editing_saved_points(live_server, browser, room)
    session_state_set(session=session, state=SessionState.GESLOTEN)
    expect(card.locator(".state-gesloten")).to_be_visible(timeout=8000)
    # The notice is made in the same swap that shows the closed card: none now, none later.
    expect(page.locator("[data-unsent-card]")).to_have_count(0)
    expect(card).to_contain_text("Jouw punten")


def test_changed_points_on_screen_are_marked_unsent_when_the_round_closes(
    live_server,
    browser,
    room,  # noqa: F811
):
    session, page, card = _editing_saved_points(live_server, browser, room)
    card.locator("input[name=ambitie]").fill("3")
    card.locator("input[name=proces]").fill("2")
    session_state_set(session=session, state=SessionState.GESLOTEN)
    expect(card.locator(".state-gesloten")).to_be_visible(timeout=8000)
    notice = page.locator("[data-unsent-card]")
    expect(notice).to_contain_text("Ambitie: 3")
    expect(notice).to_contain_text("Proces: 2")
