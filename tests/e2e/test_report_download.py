import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from reports.models import Paradox
from scoring.conditions import Condition
from sessions.models import Evaluation, EvaluationMember
from tests.conftest import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_analyst_downloads_the_eindrapport_from_the_workspace(live_server, page):
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

    # Hold the PDF request until we have seen what the page says while it waits.
    held = []
    page.route("**/eindrapport.pdf", lambda route: held.append(route))
    with page.expect_download() as download_info:
        page.click("text=Eindrapport downloaden (PDF)")
        status = page.locator("[data-download-status]")
        expect(status).to_be_visible()
        expect(status).to_have_text("Rapport wordt gemaakt…")
        while not held:
            page.wait_for_timeout(50)
        held[0].continue_()
    download = download_info.value
    assert download.suggested_filename == "eindrapport-download.pdf"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Evaluatiespiegel Alliantie Downloaddijk" in text
    assert "Wij versus de wereld" in text
