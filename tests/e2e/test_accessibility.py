"""Every page of every role, in Chromium, is clean for axe-core (WCAG 2.1 A/AA + best practices).

Phones (360 px) and laptops (1280 px) for every page, the projector at 1920×1080 as well. A
new violation anywhere fails the test with the page, the rule and the element. The data is
the demo evaluation, with one round open and one revealed, so every state of a page shows.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from reports.forms import SECTIONS
from scoring.services import session_state_set
from sessions.management.commands.demo import DEMO_USERS
from sessions.models import Evaluation, SessionState
from tests.e2e.accessibility import assert_csp_enforced, page_problems

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1920, "height": 1080}


@pytest.fixture
def site(db):
    """The demo evaluation: closed rounds, one revealed, one open round with a form to fill."""
    call_command("demo", stdout=io.StringIO())
    evaluation = Evaluation.objects.get()
    sessions = list(evaluation.sessions.order_by("day", "slot", "room"))
    revealed = session_state_set(session=sessions[0], revealed=True)
    open_round = session_state_set(session=sessions[-1], state=SessionState.OPEN)
    group = list(open_round.participants.order_by("pk"))
    return {
        "evaluation": evaluation,
        "revealed": revealed,
        "closed": sessions[1],
        "open": open_round,
        "scorer": group[0],  # in the open round, has not scored yet
        "how_question": evaluation.how_questions.order_by("pk").first(),
    }


def team_pages(site) -> dict[str, list[str]]:
    e = f"/e/{site['evaluation'].slug}"
    revealed, closed, open_round = site["revealed"].pk, site["closed"].pk, site["open"].pk
    return {
        "facilitator": [
            "/",
            f"{e}/",
            f"{e}/console/",
            f"{e}/resultaten/",
            f"{e}/resultaten/?rol=vertellers",
            f"{e}/inzichten/",
            f"{e}/deelnemers/",
            f"{e}/deelnemers/{site['scorer'].pk}/anonimiseren/",
            f"{e}/sleutelmomenten/nieuw/",
            f"{e}/sessies/nieuw/",
            f"{e}/sessies/{revealed}/",
            f"{e}/sessies/{open_round}/",
            f"{e}/sessies/{closed}/bewerken/",
            f"{e}/sessies/{closed}/heropenen/",
        ],
        "analist": [
            f"{e}/rapport/",
            f"{e}/rapport/voorbeeld/",
            f"{e}/rapport/tussenrapportage/voorbeeld/",
            *(f"{e}/rapport/hoofdstuk/{key}/" for key, _title, _fields in SECTIONS),
            f"{e}/rapport/hoe-vragen/{site['how_question'].pk}/",
        ],
    }


def projector_pages(site) -> list[str]:
    e = f"/e/{site['evaluation'].slug}/sessies"
    revealed = f"{e}/{site['revealed'].pk}/projector/"
    return [
        f"{e}/{site['open'].pk}/projector/",
        f"{e}/{site['closed'].pk}/projector/",
        revealed,
        f"{revealed}?weergave=individueel",
        f"{revealed}?weergave=spreiding",
    ]


def log_in(browser, base: str, username: str) -> dict:
    """The signed-in browser state of a team member (cookies), to open contexts with."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_USERS[username][0])
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Mijn evaluaties")
    state = context.storage_state()
    context.close()
    return state


class Scan:
    """Visits pages in one context and collects every problem, so one run reports them all."""

    def __init__(self, browser, base: str, viewport: dict, label: str, storage_state=None):
        self.context = browser.new_context(viewport=viewport, storage_state=storage_state)
        self.page = self.context.new_page()
        self.base = base
        self.label = label
        self.problems: list[str] = []
        self.csp_checked = False

    def visit(self, url: str) -> None:
        response = self.page.goto(self.base + url)
        assert response.ok, f"{url}: {response.status}"
        self.check(url)
        if not self.csp_checked:
            # Once per context: axe ran while the CSP was being enforced.
            assert_csp_enforced(self.page, response)
            self.csp_checked = True

    def check(self, where: str) -> None:
        # Charts are drawn after load; wait until every chart has its svg.
        self.page.wait_for_function(
            "() => [...document.querySelectorAll('[data-figure]')]"
            ".every(el => el.querySelector('svg'))"
        )
        self.problems += page_problems(self.page, f"{self.label} {where}")

    def close(self) -> list[str]:
        self.context.close()
        return self.problems


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["360px", "1280px"])
def test_every_page_of_every_role_is_accessible(live_server, browser, site, viewport):
    base = live_server.url
    width = f"{viewport['width']}px"
    problems = []

    # A participant: the join page, a wrong code, the name list, the scoring page.
    visitor = Scan(browser, base, viewport, f"{width} deelnemer")
    visitor.visit("/")
    visitor.visit("/accounts/login/")
    visitor.page.click("main button[type=submit]")  # empty login: field errors
    visitor.check("/accounts/login/ (fouten)")
    visitor.visit("/doe-mee/")
    visitor.page.fill("#id_code", "XXXXXX")
    visitor.page.click("main button[type=submit]")
    visitor.check("/doe-mee/ (verkeerde code)")
    visitor.page.fill("#id_code", site["evaluation"].join_code)
    visitor.page.click("main button[type=submit]")
    visitor.check("/doe-mee/kies/")
    token = site["scorer"].token
    visitor.visit(f"/p/{token}/")
    visitor.visit(f"/p/{token}/apparaat/")
    closed_member = site["closed"].participants.order_by("pk").first()
    visitor.visit(f"/p/{closed_member.token}/")
    problems += visitor.close()

    for username, urls in team_pages(site).items():
        member = Scan(
            browser, base, viewport, f"{width} {username}", log_in(browser, base, username)
        )
        for url in urls:
            member.visit(url)
        problems += member.close()

    assert not problems, f"{len(problems)} accessibility problems:\n" + "\n".join(problems)


def test_the_projector_is_accessible(live_server, browser, site):
    base = live_server.url
    projector = Scan(
        browser, base, PROJECTOR, "1920px projector", log_in(browser, base, "facilitator")
    )
    for url in projector_pages(site):
        projector.visit(url)
    chart = projector.page.get_by_role("img", name="Spindiagram: gemiddelde punten per conditie")
    # The chart's text alternative gives the means (the revealed round's "alle deelnemers").
    means = site["revealed"].allocations.all()
    n = means.count()
    ambitie = sum(a.ambitie for a in means) / n
    expected = f"Alle deelnemers (n = {n}): Ambitie {ambitie:.1f}".replace(".", ",")
    expect(chart).to_have_accessible_description(re.compile(re.escape(expected)))
    problems = projector.close()
    assert not problems, f"{len(problems)} accessibility problems:\n" + "\n".join(problems)


def test_a_screen_reader_hears_the_counter_and_why_a_submit_was_refused(live_server, browser, site):
    page = browser.new_context(viewport=PHONE).new_page()
    # This participant's page has not yet noticed the round closing (its poll is late).
    page.route("**/live/**", lambda route: route.abort())
    page.goto(f"{live_server.url}/p/{site['scorer'].token}/")

    counter = page.get_by_role("status").filter(has_text="punten")
    expect(counter).to_have_attribute("aria-live", "polite")
    expect(counter).to_have_text("Nog 10 punten te verdelen")
    page.evaluate("document.querySelector('[data-counter]').__original = true")
    plus = page.get_by_role("button", name="+1 Ambitie")
    plus.click()
    expect(counter).to_have_text("Nog 9 punten te verdelen")
    # The same live region changed its words: it was not replaced (that would go unannounced).
    assert page.evaluate("document.querySelector('[data-counter]').__original === true")
    for _ in range(9):
        plus.click()
    expect(counter).to_have_text("Alle 10 punten verdeeld")

    session_state_set(session=site["open"], state=SessionState.GESLOTEN)
    page.click(".submit-points")
    message = page.locator(".form-error")
    expect(message).to_contain_text("Deze ronde is gesloten")
    expect(message).to_be_focused()
