"""The analyst takes the outline out as a file and reads an edited one back, in the browser."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from reports.outline import outline_for
from sessions.models import Evaluation, EvaluationMember
from tests.conftest import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_analyst_downloads_edits_and_reads_back_the_outline(live_server, page, tmp_path):
    evaluation = Evaluation.objects.create(title="Alliantie Bestanddijk", slug="bestand")
    analyst = make_user("anouk")
    EvaluationMember.objects.create(
        evaluation=evaluation, user=analyst, role=EvaluationMember.Role.ANALYST
    )
    page.goto(f"{live_server.url}/accounts/login/?next=/e/bestand/rapport/")
    page.fill("#id_username", "anouk")
    page.fill("#id_password", "geheim-wachtwoord-1")
    page.click("main button[type=submit]")
    page.wait_for_url("**/e/bestand/rapport/")

    with page.expect_download() as download_info:
        page.click("text=Opzet downloaden (.md)")
    download = download_info.value
    assert download.suggested_filename == "opzet-eindrapport-bestand.md"
    text = Path(download.path()).read_text(encoding="utf-8")
    edited = tmp_path / "opzet.md"
    edited.write_text(text.replace("# Tot slot\n", "# Tot besluit\n"), encoding="utf-8")

    page.set_input_files("#opzet-als-bestand input[type=file]", str(edited))
    page.click("text=Bestand inlezen")
    expect(page.locator("h1")).to_contain_text("Opzet inlezen")
    expect(page.locator(".change-added")).to_have_count(1)
    expect(page.locator(".change-added")).to_contain_text("Kop 1: Tot besluit")
    expect(page.locator(".change-removed")).to_contain_text("Kop 1: Tot slot")
    assert outline_for(evaluation, "eindrapport").blocks.filter(title="Tot slot").exists()

    page.click("text=Opzet vervangen")
    expect(page.locator("ul.messages")).to_contain_text("De opzet is vervangen")
    outline = outline_for(evaluation, "eindrapport")
    assert outline.blocks.filter(title="Tot besluit").exists()
    assert not outline.blocks.filter(title="Tot slot").exists()
