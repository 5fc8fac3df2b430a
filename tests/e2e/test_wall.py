"""The slotdialoog in a real browser (issue 15): the facilitator opens a prompt, three
participants write and give stippen, the projector follows live and shows the totals after
the reveal, and the analyst takes two contributions into the appendix of the eindrapport."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from reports.catalogue import catalogue_install
from scoring.conditions import condition_order
from sessions.models import Evaluation, EvaluationMember, Participant, Role
from tests.conftest import make_user, personal_token
from tests.e2e.accounts import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_room_writes_the_recommendations_of_the_appendix(live_server, browser, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    base = live_server.url
    evaluation = Evaluation.objects.create(title="Alliantie Wanddijk", slug="wanddijk")
    catalogue_install(evaluation=evaluation)
    question = evaluation.how_questions.order_by(condition_order(), "order", "pk").first()
    people = [
        Participant.objects.create(
            evaluation=evaluation, name=f"Deelnemer {i}", role=Role.VERTELLER
        )
        for i in range(1, 4)
    ]
    for username, role in (("fenna", "facilitator"), ("anouk", "analist")):
        EvaluationMember.objects.create(evaluation=evaluation, user=make_user(username), role=role)

    # The facilitator sets out the default prompts and opens the one of the first how-question.
    laptop = browser.new_context(viewport={"width": 1400, "height": 900})
    console = laptop.new_page()
    log_in(console, base, "fenna", f"/e/{evaluation.slug}/slotdialoog/")
    console.click("text=Standaardvragen klaarzetten")
    # The console answers in place (htmx), beside what was done.
    expect(console.locator("#wall-console [data-feedback][role=status]")).to_contain_text(
        "klaargezet"
    )
    prompt = evaluation.prompts.get(key=f"hoevraag:{question.pk}")
    section = console.locator(f"#vraag-{prompt.pk}")
    section.locator("button[value=open]").click()
    expect(console.locator(f"#vraag-{prompt.pk} .state")).to_have_text("Open")

    projector = laptop.new_page()
    projector.goto(f"{base}/e/{evaluation.slug}/slotdialoog/projector/")
    expect(projector.locator(".join-code")).to_have_text(evaluation.join_code)
    expect(projector.locator("h1")).to_have_text(question.text)

    # Three participants write on their own devices.
    texts = [
        "Vier de eerste mijlpaal met alle partners samen.",
        "Neem bestuurders elk half jaar mee in de ambitie.",
        "Schrijf op wat je bewust nog niet doet.",
    ]
    phones = []
    for person, text in zip(people, texts, strict=True):
        phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        phone.goto(f"{base}/p/{personal_token(person)}/")
        wall = phone.locator(f"#vraag-{prompt.pk}")
        wall.locator("textarea[name=text]").fill(text)
        wall.locator("button", has_text="Op de wand").click()
        expect(phone.locator("#slotdialoog")).to_contain_text("Je bijdrage staat op de wand.")
        phones.append(phone)
        # The projector follows without a reload.
        expect(projector.locator(".wall-note", has_text=text)).to_be_visible(timeout=8000)
    expect(projector.locator(".wall-note")).to_have_count(3)

    # Stippen: everyone votes for the first two texts they did not write.
    for index, phone in enumerate(phones):
        others = [t for i, t in enumerate(texts) if i != index]
        for text in others:
            note = phone.locator(f"#vraag-{prompt.pk} .wall-note", has_text=text)
            expect(note).to_be_visible(timeout=8000)
            note.locator("button", has_text="Stip geven").click()
            expect(
                phone.locator(f"#vraag-{prompt.pk} .wall-note", has_text=text).locator(
                    "button", has_text="Stip weghalen"
                )
            ).to_be_visible()
        expect(phone.locator("[data-votes-left]")).to_have_text("Je hebt nog 1 van 3 stippen.")
    # Nobody's own card has a vote button.
    expect(phones[0].locator(".wall-note.mine button", has_text="Stip geven")).to_have_count(0)

    # The totals appear on the projector only after the reveal.
    expect(projector.locator("[data-votes]")).to_have_count(0)
    console.reload()
    console.locator(f"#vraag-{prompt.pk} button[value=reveal]").click()
    expect(projector.locator("[data-votes]")).to_have_count(3, timeout=8000)
    expect(projector.locator("[data-votes='2']")).to_have_count(3)

    # The analyst takes two contributions into the report.
    desk = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    log_in(desk, base, "anouk", f"/e/{evaluation.slug}/rapport/slotdialoog/")
    expect(desk.locator("main")).to_contain_text(
        "3 bijdragen zijn nog niet in het rapport gebruikt."
    )
    for text, edited in (
        (texts[0], texts[0]),
        (texts[1], "Neem bestuurders elk half jaar mee in de **ambitie**."),
    ):
        card = desk.locator(".wall-pick", has_text=text)
        card.locator("summary").click()
        card.locator("textarea[name=text]").fill(edited)
        expect(card.locator("select[name=target]")).to_have_value(f"hoevraag:{question.pk}")
        card.locator("button", has_text="Overnemen").click()
        expect(desk.locator(".messages")).to_contain_text("Overgenomen in het rapport.")
    expect(desk.locator("main")).to_contain_text("1 bijdrage is nog niet in het rapport gebruikt.")

    # The eindrapport PDF has them in the appendix, under their how-question. The room's
    # pages stop polling first: the worker needs SQLite's shared test database to itself.
    for other in [laptop, *(phone.context for phone in phones)]:
        other.close()
    desk.goto(f"{base}/e/{evaluation.slug}/rapport/")
    desk.click("text=Eindrapport maken (PDF)")
    status = desk.locator("[data-render=eindrapport]")
    expect(status.locator("[data-render-status]")).to_contain_text("In de wachtrij")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    expect(status.locator("[data-render-download]")).to_be_visible(timeout=20000)
    with desk.expect_download() as download_info:
        status.locator("[data-render-download]").click()
    content = Path(download_info.value.path()).read_bytes()
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages
    )
    appendix = text[text.rindex(question.text[:40]) :]
    next_question = evaluation.how_questions.order_by(condition_order(), "order", "pk")[1].text
    under = (
        appendix[: appendix.index(next_question[:40])]
        if next_question[:40] in appendix
        else appendix
    )
    assert texts[0] in under
    assert re.search(r"Neem bestuurders elk half jaar mee in de ambitie", under)
    assert texts[2] not in text
