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
from django.test import Client
from playwright.sync_api import expect

from evaluatiespiegel.management.commands.demo import DEMO_USERS
from reports.forms import SECTIONS
from scoring.services import session_state_set
from sessions.models import Evaluation, EvaluationMember, ReconstructionSession, SessionState
from sessions.participant_views import DEVICE_COOKIE
from tests.conftest import personal_token
from tests.e2e.accessibility import assert_csp_enforced, page_problems
from tests.urlmap import Visitor, World, own_device, route_by_name, routes, visit_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1920, "height": 1080}


@pytest.fixture
def site(db):
    """The demo evaluation with a round in every state; a participant with a form to fill."""
    call_command("demo", stdout=io.StringIO())
    evaluation = Evaluation.objects.get()
    evaluation.self_registration = True  # so the registration page is swept too
    evaluation.save(update_fields=["self_registration"])
    sessions = list(evaluation.sessions.order_by("day", "slot", "room"))
    open_round = session_state_set(session=sessions[-1], state=SessionState.OPEN)
    group = list(open_round.participants.order_by("pk"))
    personal_token(group[0])  # the scorer picked their name: the personal link exists
    upcoming = ReconstructionSession.objects.create(
        evaluation=evaluation, key_moment=open_round.key_moment, day=4, slot=1
    )
    upcoming.participants.set(group)
    return {
        "evaluation": evaluation,
        "sessions": {
            "voorbereiding": upcoming,
            "open": open_round,
            "live": session_state_set(
                session=sessions[2], state=SessionState.OPEN, live_results=True
            ),
            "gesloten": sessions[1],
            "onthuld": session_state_set(session=sessions[0], revealed=True),
        },
        "scorer": group[0],  # in the open round, has not scored it yet
        "revealed": sessions[0],
        "open": open_round,
        "closed": sessions[1],
    }


def demo_world(site) -> World:
    """The demo as a tests/urlmap World, so every route gets real arguments."""
    evaluation = site["evaluation"]
    users = {m.role: m.user for m in evaluation.members.select_related("user")}
    # The slotdialoog under way in the demo: its open prompt and someone else's contribution.
    prompt = evaluation.prompts.get(state="open")
    contribution = prompt.contributions.exclude(participant=site["scorer"]).first()
    own_device(site["scorer"])  # the scorer opened their page on their own phone
    return World(
        extra={"prompt": prompt, "contribution": contribution},
        evaluation=evaluation,
        other_evaluation=None,
        key_moments=list(evaluation.key_moments.order_by("order")),
        sessions=site["sessions"],
        participant=site["scorer"],
        reflector=None,
        other_participant=None,
        outsider_participant=None,
        facilitator=users[EvaluationMember.Role.FACILITATOR],
        analyst=users[EvaluationMember.Role.ANALYST],
        outsider=None,
        superuser=None,
    )


# Visitors whose pages are ours (the admin is Django's, for superusers only).
VISITORS = [Visitor.ANONYMOUS, Visitor.PARTICIPANT, Visitor.FACILITATOR, Visitor.ANALYST]


def swept_pages(world: World, visitor: Visitor) -> list[str]:
    """Every full HTML page this visitor can open, every session route in every state.

    Asks the Django test client first: redirects, refusals, downloads and htmx fragments
    (no ``<html``) are not pages to sweep. New views are swept as soon as they are routed.
    """
    client = visit_as(Client(), visitor, world)
    pages = []
    for route in routes():
        if route.is_admin or route.name in SKIPPED:
            continue
        if "session" in route.targets:
            urls = [route.url(world, session=s) for s in world.sessions.values()]
        elif route.name == "reports:section":
            first = route.url(world)
            urls = [first.replace(SECTIONS[0][0], key) for key, _t, _f in SECTIONS]
        else:
            urls = [route.url(world)]
        for url in urls:
            response = client.get(url)
            html = response.get("Content-Type", "").startswith("text/html")
            if response.status_code == 200 and html and b"<html" in response.content[:400]:
                pages.append(url)
    return pages


# Leaving forgets the participant on this device: visited last by hand, not in the sweep.
SKIPPED = {"participant:leave", "logout"}


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
    world = demo_world(site)
    problems = []
    swept = 0
    for visitor in VISITORS:
        client = visit_as(Client(), visitor, world)
        scan = Scan(browser, base, viewport, f"{width} {visitor.value}")
        scan.context.add_cookies(
            [{"name": k, "value": v.value, "url": base} for k, v in client.cookies.items()]
        )
        for url in swept_pages(world, visitor):
            scan.visit(url)
            swept += 1
        if visitor is Visitor.ANONYMOUS:
            # Forms with errors: Django points the fields at their error messages.
            scan.visit("/accounts/login/")
            scan.page.click("main button[type=submit]")
            scan.check("/accounts/login/ (fouten)")
            scan.visit("/doe-mee/")
            scan.page.fill("#id_code", "XXXXXX")
            scan.page.click("main button[type=submit]")
            scan.check("/doe-mee/ (verkeerde code)")
            # Someone's personal link on a device that does not hold the name: the page that
            # explains and offers to take the name over (a 409, so not in the sweep).
            link = f"/p/{personal_token(world.participant)}/"
            assert scan.page.goto(base + link).status == 409
            scan.check(f"{link} (ander apparaat)")
        if visitor is Visitor.FACILITATOR:
            scan.visit(f"/e/{world.evaluation.slug}/sleutelmomenten/nieuw/")
            scan.page.click("main button[type=submit]")
            scan.check("sleutelmoment (fouten)")
        problems += scan.close()
    # The sweep found the pages (a broken world would make an empty, green sweep).
    assert swept > 40
    assert not problems, f"{len(problems)} accessibility problems:\n" + "\n".join(problems)


def test_the_projector_is_accessible(live_server, browser, site):
    base = live_server.url
    world = demo_world(site)
    projector = Scan(
        browser, base, PROJECTOR, "1920px projector", log_in(browser, base, "facilitator")
    )
    route = route_by_name("sessions:projector")
    for session in world.sessions.values():
        projector.visit(route.url(world, session=session))
    revealed = route.url(world, session=site["revealed"])
    projector.visit(f"{revealed}?weergave=individueel")
    projector.visit(f"{revealed}?weergave=spreiding")
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
    phone = browser.new_context(viewport=PHONE)
    phone.add_cookies(
        [{"name": DEVICE_COOKIE, "value": own_device(site["scorer"]), "url": live_server.url}]
    )
    page = phone.new_page()
    # This participant's page has not yet noticed the round closing (its poll is late).
    page.route("**/live/**", lambda route: route.abort())
    page.goto(f"{live_server.url}/p/{personal_token(site['scorer'])}/")

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
