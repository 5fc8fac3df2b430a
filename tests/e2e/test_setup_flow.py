"""Issue 13's 'done when': one facilitator (no superuser, no admin) sets up and runs a workshop.

From an empty database: create the evaluation, add 6 key moments, upload 35 participants as
XLSX, plan and save the groups of 3 days, open the first round, let two participants score,
reveal it and show it on a 1920×1080 projector with nothing below the fold. Every click and
every typed field of the facilitator is counted: the whole setup stays under 40 actions.
"""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from sessions.models import Evaluation, ReconstructionSession
from tests.conftest import make_user, personal_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-1"
KEY_MOMENTS = """Handtekening onder de alliantieovereenkomst; start; 2015
Het projectplan en het eerste dijkontwerp; vormgeving; 2016–2017
Het beroep bij de Raad van State; crisis; 2018–2019
De eerste schop in de grond; uitvoering; 2019
Tegenvallende grond en een nieuwe prijs; crisis; 2021
Oplevering en overdracht; slot; 2024"""


def participant_list() -> bytes:
    """The list as an alliance sends it: a title row, then columns in their own order."""
    partners = ["Hoogheemraadschap", "Aannemerscombinatie", "Provincie", "Ingenieursbureau"]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Deelnemers Evaluatiespiegel"])
    sheet.append(["Organisatie", "Naam", "Rol", "E-mail"])
    for i in range(20):
        sheet.append([partners[i % 4], f"Verteller {i + 1:02}", "verteller", ""])
    for i in range(15):
        sheet.append([f"Netwerkpartner {i % 6}", f"Reflector {i + 1:02}", "reflector", ""])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class Counted:
    """The facilitator's page, counting each click, fill and file choice as one action."""

    def __init__(self, page):
        self.page = page
        self.actions = 0

    def click(self, selector: str) -> None:
        self.actions += 1
        self.page.click(selector)

    def fill(self, selector: str, value: str) -> None:
        self.actions += 1
        self.page.fill(selector, value)

    def upload(self, selector: str, name: str, data: bytes) -> None:
        self.actions += 1
        self.page.set_input_files(selector, {"name": name, "mimeType": "", "buffer": data})


def score(browser, base: str, participant, values: dict) -> None:
    page = browser.new_context(viewport={"width": 360, "height": 780}).new_page()
    page.goto(f"{base}/p/{personal_token(participant)}/")
    for field, value in values.items():
        page.fill(f"input[name={field}]", str(value))
    page.click(".submit-points")
    expect(page.locator(".message-success")).to_contain_text("Je punten zijn opgeslagen")


def test_one_facilitator_sets_up_and_runs_a_workshop(live_server, browser, tmp_path):
    base = live_server.url
    user = make_user("fenna")
    user.user_permissions.add(Permission.objects.get(codename="add_evaluation"))
    assert not user.is_superuser and not user.is_staff

    laptop = browser.new_context(viewport={"width": 1280, "height": 800})
    f = Counted(laptop.new_page())
    f.page.goto(f"{base}/accounts/login/")
    f.fill("#id_username", "fenna")
    f.fill("#id_password", PASSWORD)
    f.click("main button[type=submit]")

    # The evaluation, with the minimum group for showing means set low for a small first round.
    f.click("text=Nieuwe evaluatie")
    f.fill("#id_title", "Alliantie Markermeerdijken")
    f.fill("#id_min_group_size", "2")
    f.click("main button[type=submit]")
    expect(f.page.locator("h1")).to_have_text("Sleutelmomenten")

    # Six key moments in one go.
    f.fill("#id_lines", KEY_MOMENTS)
    f.click("main form.paste-form button[type=submit]")
    expect(f.page.locator(".message-success")).to_contain_text("6 sleutelmomenten toegevoegd")

    # 35 participants from the alliance's spreadsheet: preview, then save.
    f.click("nav.setup-tabs >> text=Deelnemers")
    f.upload("#id_file", "deelnemers.xlsx", participant_list())
    f.click("form.upload-form button[type=submit]")
    expect(f.page.locator("main")).to_contain_text("Er worden 35 deelnemers toegevoegd")
    f.click("main button[name=confirm]")
    expect(f.page.locator(".message-success")).to_contain_text("35 deelnemers toegevoegd")

    # The groups of 3 days × 2 rounds × 2 groups, planned at once and saved in one step.
    f.click("nav.setup-tabs >> text=Groepsindeling")
    expect(f.page.locator(".plan-summary")).to_contain_text("12 sessies, 35 deelnemers")
    f.click("text=Maak 12 sessies aan")
    expect(f.page.locator(".message-success")).to_contain_text("12 sessies aangemaakt")
    evaluation = Evaluation.objects.get()
    assert evaluation.member_role(user) == "facilitator"
    assert evaluation.sessions.count() == 12

    # The first round opens; two of its participants score on their phones.
    f.click("#console-sessions tbody tr:first-child button[value=open]")
    first = ReconstructionSession.objects.get(evaluation=evaluation, day=1, slot=1, room="Groep A")
    assert first.is_open
    vertellers = first.participants.filter(role="verteller").order_by("name")
    reflectoren = first.participants.filter(role="reflector").order_by("name")
    score(
        browser,
        base,
        vertellers[0],
        {"ambitie": 4, "belangen": 1, "relatie": 3, "organisatie": 1, "proces": 1},
    )
    score(
        browser,
        base,
        reflectoren[0],
        {"ambitie": 1, "belangen": 3, "relatie": 1, "organisatie": 3, "proces": 2},
    )

    # Reveal, and the projector at 1920×1080 shows it all without scrolling.
    f.page.reload()
    f.click("#console-sessions tbody tr:first-child button[value=reveal]")
    setup_actions = f.actions
    projector = browser.new_context(
        viewport={"width": 1920, "height": 1080}, storage_state=laptop.storage_state()
    ).new_page()
    projector.goto(f"{base}/e/{evaluation.slug}/sessies/{first.pk}/projector/")
    projector.wait_for_function("() => document.querySelector('.projector-chart .main-svg')")
    expect(projector.locator("[data-count]")).to_contain_text("2 van")
    fold = projector.evaluate(
        "() => ({height: innerHeight, scroll: document.scrollingElement.scrollHeight,"
        " chart: document.querySelector('.projector-chart').getBoundingClientRect().bottom})"
    )
    assert fold["scroll"] <= fold["height"] and fold["chart"] <= fold["height"], fold
    print(f"\nSetup actions of the facilitator: {setup_actions}")
    assert setup_actions < 40
