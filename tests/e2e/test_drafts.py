"""Typing on a team page is never destroyed: a login that ends while someone types (new-user
pass, major 2: 1,300 characters of session notes gone after a logout in another tab)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.accounts import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def room(evaluation, session, facilitator):
    """One evaluation with one session and the facilitator 'fenna' (log_in's account)."""
    return {"evaluation": evaluation, "sessions": [session]}


NOTE = "Wat we zagen bij de aanbesteding:\n- de risico's werden gedeeld\n- " + "x" * 1200


def log_out_in(page, base):
    page.goto(f"{base}/")
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state()


def test_notes_typed_while_the_login_ends_come_back_after_logging_in(live_server, browser, room):
    base, evaluation = live_server.url, room["evaluation"]
    session = room["sessions"][0]
    laptop = browser.new_context(viewport={"width": 1400, "height": 900})
    page = laptop.new_page()
    log_in(page, base)
    url = f"{base}/e/{evaluation.slug}/sessies/{session.pk}/"
    page.goto(url)
    page.fill("#id_reconstruction", NOTE)

    log_out_in(laptop.new_page(), base)
    # The session page's poll takes it to the login form, and back after logging in.
    expect(page.locator("#id_password")).to_be_visible(timeout=10000)
    page.fill("#id_username", "fenna")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page).to_have_url(url)
    expect(page.locator("#id_reconstruction")).to_have_value(NOTE)
    expect(page.locator(".draft-notice")).to_be_visible()

    page.get_by_role("button", name="Notities opslaan").click()
    expect(page.locator(".message-success")).to_be_visible()
    session.refresh_from_db()
    assert session.reconstruction.replace("\r\n", "\n").strip() == NOTE.strip()
    # Saved: nothing is "restored" any more.
    page.reload()
    expect(page.locator(".draft-notice")).to_have_count(0)


def test_a_form_posted_after_the_login_ended_returns_to_its_page_with_the_text(
    live_server, browser, room
):
    base, evaluation = live_server.url, room["evaluation"]
    session = room["sessions"][0]
    laptop = browser.new_context(viewport={"width": 1400, "height": 900})
    page = laptop.new_page()
    log_in(page, base)
    url = f"{base}/e/{evaluation.slug}/sessies/{session.pk}/"
    page.goto(url)
    # The login ends without the page noticing (a poll has not run yet).
    laptop.clear_cookies(name="sessionid")
    page.fill("#id_lessons", "Een les die niet verloren mag gaan.")
    page.get_by_role("button", name="Notities opslaan").click()
    page.fill("#id_username", "fenna")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    # Back on the session page (not a 405 for the form's POST-only address), text and all.
    expect(page).to_have_url(url)
    expect(page.locator("#id_lessons")).to_have_value("Een les die niet verloren mag gaan.")
    expect(page.locator(".draft-notice")).to_be_visible()


def test_a_draft_can_be_thrown_away(live_server, browser, room):
    base, evaluation = live_server.url, room["evaluation"]
    session = room["sessions"][0]
    page = browser.new_context().new_page()
    log_in(page, base)
    url = f"{base}/e/{evaluation.slug}/sessies/{session.pk}/"
    page.goto(url)
    page.fill("#id_insights", "Nog niet af")
    page.goto(f"{base}/")
    page.goto(url)
    expect(page.locator("#id_insights")).to_have_value("Nog niet af")
    page.get_by_role("button", name="Weggooien").click()
    expect(page.locator("#id_insights")).to_have_value("")
    page.reload()
    expect(page.locator("#id_insights")).to_have_value("")


def test_a_form_that_empties_after_adding_leaves_no_draft_behind(live_server, browser, room):
    base, evaluation = live_server.url, room["evaluation"]
    page = browser.new_context().new_page()
    log_in(page, base)
    url = f"{base}/e/{evaluation.slug}/sleutelmomenten/"
    page.goto(url)
    page.fill("#id_lines", "De schouw; uitvoering")
    page.get_by_role("button", name="Toevoegen", exact=True).click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator("#id_lines")).to_have_value("")
    expect(page.locator(".draft-notice")).to_have_count(0)
    assert evaluation.key_moments.filter(title="De schouw").exists()


def test_a_refused_form_keeps_its_text_without_a_notice(live_server, browser, room):
    base, evaluation = live_server.url, room["evaluation"]
    page = browser.new_context().new_page()
    log_in(page, base)
    page.goto(f"{base}/e/{evaluation.slug}/sleutelmomenten/")
    page.fill("#id_lines", "Zonder fase")
    page.get_by_role("button", name="Toevoegen", exact=True).click()
    expect(page.locator("#id_lines")).to_have_value("Zonder fase")
    expect(page.locator(".draft-notice")).to_have_count(0)
