"""What a participant was typing on the wall survives their name being released (issue 15,
second new-user pass): the page does not jump to the join page, the text stays in its box,
and after joining again in the same tab it is back in the same prompt's box, marked as a
draft. "Niet jij?" takes the drafts of the name along, for the next person on the device."""

import pytest
from playwright.sync_api import expect

from sessions.models import Participant, Prompt, PromptState, Role
from sessions.services import claim_release
from tests.conftest import personal_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HALF = "Mijn halve gedachte over de risico's:\nwie draagt ze echt"


def test_typing_on_the_wall_survives_a_released_name_and_comes_back_after_joining(
    live_server, browser, evaluation
):
    person = Participant.objects.create(evaluation=evaluation, name="Vera", role=Role.VERTELLER)
    prompt = Prompt.objects.create(
        evaluation=evaluation, title="Welke aanbeveling?", state=PromptState.OPEN
    )
    phone = browser.new_context(viewport={"width": 420, "height": 900})
    page = phone.new_page()
    page.goto(f"{live_server.url}/p/{personal_token(person)}/")
    box = page.locator(f"#nieuw-{prompt.pk}")
    box.fill(HALF)

    claim_release(participant=person)  # the facilitator releases the name meanwhile
    page.locator(f"#vraag-{prompt.pk} button:has-text('Op de wand')").click()
    # The news where the button was pressed, with what was typed in sight (a new-user pass:
    # once the rounds' region said so, the button seemed to do nothing).
    wall = page.locator("#slotdialoog")
    expect(wall.locator("[role=alert]")).to_contain_text("Je persoonlijke link werkt niet meer")
    expect(wall.locator(".wall-text")).to_contain_text("Mijn halve gedachte")
    expect(wall.locator("form")).to_have_count(0)
    assert page.url.startswith(f"{live_server.url}/p/")  # no jump to the join page
    assert not prompt.contributions.exists()

    # Joining again gives a new personal link; the same tab finds the text in the same box.
    page.goto(f"{live_server.url}/p/{personal_token(person)}/")
    expect(page.locator(f"#nieuw-{prompt.pk}")).to_have_value(HALF)
    expect(page.locator(".draft-notice")).to_be_visible()

    # "Niet jij?": the next person on this device does not get Vera's draft.
    page.locator("a:has-text('Niet jij?')").click()
    page.locator("button:has-text('Naam loslaten')").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/p/{personal_token(person)}/")
    expect(page.locator(f"#nieuw-{prompt.pk}")).to_have_value("")
    phone.close()


def test_a_contribution_on_the_wall_leaves_no_draft_behind(live_server, browser, evaluation):
    """The wall's form is swapped away with its region: its sent text is not a draft."""
    person = Participant.objects.create(evaluation=evaluation, name="Vera", role=Role.VERTELLER)
    prompt = Prompt.objects.create(
        evaluation=evaluation, title="Welke aanbeveling?", state=PromptState.OPEN
    )
    page = browser.new_context(viewport={"width": 420, "height": 900}).new_page()
    page.goto(f"{live_server.url}/p/{personal_token(person)}/")
    page.locator(f"#nieuw-{prompt.pk}").fill("Staat er zo op")
    page.locator(f"#vraag-{prompt.pk} button:has-text('Op de wand')").click()
    expect(page.locator("#slotdialoog")).to_contain_text("Je bijdrage staat op de wand.")
    expect(page.locator(f"#nieuw-{prompt.pk}")).to_have_value("")
    page.reload()
    expect(page.locator(".wall-note.mine")).to_contain_text("Staat er zo op")
    expect(page.locator(f"#nieuw-{prompt.pk}")).to_have_value("")
    expect(page.locator(".draft-notice")).to_have_count(0)
