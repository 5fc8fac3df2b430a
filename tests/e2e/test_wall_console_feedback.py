"""The console's answer to a wall action shows where the facilitator acted, in view (wallfix
item 1): a refused merge far down a long wall is announced beside its card, with htmx and
without JavaScript, not at the top of the page."""

import pytest
from playwright.sync_api import expect

from sessions.models import Evaluation, EvaluationMember, Participant, Prompt, Role
from sessions.wall import contribution_submit, prompt_state_set
from tests.conftest import make_user
from tests.e2e.accounts import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _long_wall():
    evaluation = Evaluation.objects.create(title="Alliantie Lange Wand", slug="lang")
    EvaluationMember.objects.create(
        evaluation=evaluation, user=make_user("fenna"), role="facilitator"
    )
    prompt = Prompt.objects.create(evaluation=evaluation, title="Wat neem je mee?")
    prompt_state_set(prompt=prompt, action="open")
    cards = []
    for i in range(30):
        person = Participant.objects.create(
            evaluation=evaluation, name=f"Deelnemer {i}", role=Role.VERTELLER
        )
        card, _created = contribution_submit(
            participant=person, prompt_id=prompt.pk, text=f"Bijdrage {i}", client_token=str(i)
        )
        cards.append(card)
    return evaluation, cards[0]  # oldest: last in the console's list


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "zonder-js"])
def test_a_refused_merge_is_announced_beside_its_card_in_view(live_server, browser, javascript):
    evaluation, card = _long_wall()
    context = browser.new_context(
        viewport={"width": 1280, "height": 720}, java_script_enabled=javascript
    )
    page = context.new_page()
    url = f"/e/{evaluation.slug}/slotdialoog/"
    log_in(page, live_server.url, "fenna", url)  # a plain form: works without JS too
    row = page.locator(f"#bijdrage-{card.pk}")
    row.locator("input[name=into]").fill(str(card.pk))
    row.locator("button", has_text="Samenvoegen").click()
    alert = page.locator(f"#bijdrage-{card.pk} + tr [role=alert]")
    expect(alert).to_contain_text("Kies een andere bijdrage")
    expect(alert).to_be_in_viewport()
    expect(page.locator("ul.messages")).to_have_count(0)
    context.close()


def test_a_refused_new_prompt_opens_at_its_error_in_view(live_server, browser):
    evaluation, _card = _long_wall()
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    log_in(page, live_server.url, "fenna", f"/e/{evaluation.slug}/slotdialoog/")
    form = page.locator("#vraag-toevoegen form")
    form.locator("input[name=votes]").fill("99")
    form.locator("button[type=submit]").click()
    error = page.locator("#vraag-toevoegen [role=alert]").first
    expect(error).to_be_visible()
    expect(error).to_be_in_viewport()
    context.close()
