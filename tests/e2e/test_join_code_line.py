"""The join code on every projector stays on one line (second new-user pass: the wall showed
"DMMD2" with "5" beneath at 1920x1080, and the room types what it reads)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from evaluatiespiegel.management.commands.demo import DEMO_SLUG, DEMO_USERS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LINES = """(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
}"""


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_the_walls_join_code_is_one_line(live_server, browser, size):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = browser.new_context(viewport={"width": size[0], "height": size[1]}).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "facilitator")
    page.fill("#id_password", DEMO_USERS["facilitator"][0])
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_be_visible()
    page.goto(f"{live_server.url}/e/{DEMO_SLUG}/slotdialoog/projector/")
    code = page.locator(".join-code").first
    expect(code).to_be_visible()
    assert code.evaluate(LINES) == 1
