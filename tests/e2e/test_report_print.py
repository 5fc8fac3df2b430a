"""The report preview printed from a browser: the workspace's preview is the document."""

import io

import pytest
from pypdf import PdfReader

from scoring.models import Allocation
from sessions.models import (
    Evaluation,
    EvaluationMember,
    KeyMoment,
    Participant,
    Phase,
    ReconstructionSession,
    Role,
    SessionState,
)
from tests.conftest import make_user, points

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_printed_tussenrapportage_preview_says_vertrouwelijk_on_every_page(live_server, page):
    evaluation = Evaluation.objects.create(title="Alliantie Printdijk", slug="print")
    moment = KeyMoment.objects.create(evaluation=evaluation, order=1, title="Start",
                                      phase=Phase.START)  # fmt: skip
    people = [
        Participant.objects.create(evaluation=evaluation, name=f"Deelnemer {i}",
                                   role=Role.VERTELLER if i % 2 else Role.REFLECTOR)
        for i in range(4)
    ]  # fmt: skip
    for slot in range(1, 6):
        session = ReconstructionSession.objects.create(
            evaluation=evaluation, key_moment=moment, day=1, slot=slot, state=SessionState.OPEN,
            reconstruction="Wat er gebeurde.\n\n" * 30,
        )  # fmt: skip
        session.participants.set(people)
        for person in people:
            Allocation.objects.create(session=session, participant=person, **points())
    analyst = make_user("anouk")
    EvaluationMember.objects.create(
        evaluation=evaluation, user=analyst, role=EvaluationMember.Role.ANALYST
    )
    page.goto(
        f"{live_server.url}/accounts/login/?next=/e/print/rapport/tussenrapportage/voorbeeld/"
    )
    page.fill("#id_username", "anouk")
    page.fill("#id_password", "geheim-wachtwoord-1")
    page.click("main button[type=submit]")
    page.wait_for_url("**/tussenrapportage/voorbeeld/")
    # Chromium hides text while its web fonts load: print once they have, not by luck.
    page.evaluate("() => document.fonts.ready.then(() => document.fonts.size)")
    printed = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(printed.pages) > 3
    for number, sheet in enumerate(printed.pages, start=1):
        # Letter-spaced on the cover: compare without spaces.
        assert "VERTROUWELIJK" in sheet.extract_text().replace(" ", ""), number
