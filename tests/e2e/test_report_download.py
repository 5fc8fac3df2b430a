import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from reports.models import Paradox
from scoring.conditions import Condition
from sessions.models import Evaluation, EvaluationMember
from tests.conftest import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_analyst_downloads_the_eindrapport_from_the_workspace(live_server, page, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    evaluation = Evaluation.objects.create(title="Alliantie Downloaddijk", slug="download")
    Paradox.objects.create(
        evaluation=evaluation, condition=Condition.RELATIE, title="Wij versus de wereld"
    )
    analyst = make_user("anouk")
    EvaluationMember.objects.create(
        evaluation=evaluation, user=analyst, role=EvaluationMember.Role.ANALYST
    )
    page.goto(f"{live_server.url}/accounts/login/?next=/e/download/rapport/")
    page.fill("#id_username", "anouk")
    page.fill("#id_password", "geheim-wachtwoord-1")
    page.click("main button[type=submit]")
    page.wait_for_url("**/e/download/rapport/")

    # The PDF is made by the worker; the page polls and then offers the download.
    page.click("text=Eindrapport maken (PDF)")
    status = page.locator("[data-render=eindrapport]")
    expect(status.locator("[data-render-status]")).to_contain_text("In de wachtrij")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    expect(status.locator("[data-render-download]")).to_be_visible(timeout=20000)
    with page.expect_download() as download_info:
        status.locator("[data-render-download]").click()
    download = download_info.value
    assert download.suggested_filename == "eindrapport-download.pdf"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Evaluatiespiegel Alliantie Downloaddijk" in text
    assert "Wij versus de wereld" in text


def test_the_analyst_downloads_the_eindrapport_as_word_beside_the_pdf(live_server, page, settings):
    from docx import Document

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    evaluation = Evaluation.objects.create(title="Alliantie Worddijk", slug="word")
    Paradox.objects.create(
        evaluation=evaluation, condition=Condition.RELATIE, title="Wij versus de wereld"
    )
    analyst = make_user("anouk")
    EvaluationMember.objects.create(
        evaluation=evaluation, user=analyst, role=EvaluationMember.Role.ANALYST
    )
    page.goto(f"{live_server.url}/accounts/login/?next=/e/word/rapport/")
    page.fill("#id_username", "anouk")
    page.fill("#id_password", "geheim-wachtwoord-1")
    page.click("main button[type=submit]")
    page.wait_for_url("**/e/word/rapport/")

    page.click("text=Eindrapport maken (Word)")
    status = page.locator("[data-render=eindrapport-word]")
    expect(status.locator("[data-render-status]")).to_contain_text("In de wachtrij")
    # The PDF's block is untouched: asking for Word made no PDF job.
    expect(page.locator("[data-render=eindrapport] [data-render-status]")).to_contain_text(
        "Nog niet gemaakt"
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    expect(status.locator("[data-render-download]")).to_be_visible(timeout=20000)
    with page.expect_download() as download_info:
        status.locator("[data-render-download]").click()
    download = download_info.value
    assert download.suggested_filename == "eindrapport-word.docx"
    document = Document(download.path())
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Wij versus de wereld" in text
