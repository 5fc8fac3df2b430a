"""Printables for the room (issue 13, item 6): participant cards and the day programme.

Both come from the report machinery: a request queues a RenderedReport, the worker lays it
out (in tests the immediate task backend does), the page offers the download. The cards carry
live personal links, so only the facilitator gets them, once, and they are not kept.
"""

import base64
import io
import re
from datetime import timedelta

import pytest
import segno
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from reports.models import RenderedReport
from reports.printables import CARDS, printable_html
from reports.rendering import printables_purge, render_pdf
from sessions.models import Claim, KeyMoment, Participant, Phase, ReconstructionSession, Role
from sessions.services import claim_create, participant_anonymise

SITE = "http://testserver/"


@pytest.fixture
def room(evaluation, key_moment, verteller, reflector):
    """Three participants (one already picked a name on a device, one anonymised) and two
    days of sessions."""
    anne = Participant.objects.create(
        evaluation=evaluation, name="Anne de Wit", organisation="Provincie", role=Role.VERTELLER
    )
    gone = Participant.objects.create(
        evaluation=evaluation, name="Weg Gegevens", role=Role.REFLECTOR
    )
    participant_anonymise(participant=gone)
    claim_create(participant=verteller)
    second = KeyMoment.objects.create(
        evaluation=evaluation, order=2, title="Eerste schop", phase=Phase.UITVOERING
    )
    a = ReconstructionSession.objects.create(
        evaluation=evaluation, key_moment=key_moment, day=1, slot=1, room="Zaal Noord"
    )
    a.participants.set([verteller, reflector])
    b = ReconstructionSession.objects.create(
        evaluation=evaluation, key_moment=second, day=1, slot=1, room="Zaal Zuid"
    )
    b.participants.set([anne])
    c = ReconstructionSession.objects.create(
        evaluation=evaluation, key_moment=second, day=2, slot=1, room="Groep C"
    )
    c.participants.set([verteller, anne])
    return evaluation


def cards_url(evaluation):
    return reverse("reports:deelnemerskaarten", args=[evaluation.slug])


def make_cards(client, evaluation) -> RenderedReport:
    assert client.post(cards_url(evaluation)).status_code == 302
    return RenderedReport.objects.get(evaluation=evaluation, kind=CARDS)


def pages_text(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


class TestParticipantCards:
    def test_one_card_per_participant_with_name_role_and_personal_link(
        self, client, facilitator, room, verteller
    ):
        held = verteller.claim.token
        client.force_login(facilitator)
        job = make_cards(client, room)
        assert job.status == "klaar", job.error
        pages = pages_text(bytes(job.content))
        people = list(room.participants.filter(anonymised_at__isnull=True).in_list_order())
        assert len(pages) == len(people) == 3
        for page, person in zip(pages, people, strict=True):
            assert person.name in page and person.get_role_display() in page
        # Everyone now holds a claim; the name picked on a device keeps its link.
        verteller.refresh_from_db()
        assert verteller.claim.token == held
        assert Claim.objects.filter(participant__evaluation=room).count() == 3

    def test_each_qr_code_encodes_exactly_that_participants_personal_link(self, facilitator, room):
        from sessions.services import claims_for_cards

        claims_for_cards(evaluation=room)
        html = printable_html(CARDS, room, site_url=SITE)
        cards = html.split("data-card")[1:]
        people = list(room.participants.filter(anonymised_at__isnull=True).in_list_order())
        assert len(cards) == len(people)
        for card, person in zip(cards, people, strict=True):
            link = f"{SITE}p/{person.claim.token}/"
            # The printed link is in pieces that never break at its own hyphen (markup.py).
            assert link in re.sub(r"<[^>]+>", "", card) and person.name in card
            svg = base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', card)[1])
            # At segno's level: the drawn modules are those of the link, at error level M.
            expected = segno.make(link, error="m")
            assert expected.designator.endswith("-M")
            assert svg.decode() == expected.svg_inline(scale=4, border=2, dark="#000000")
            assert segno.make(link, error="m").matrix == expected.matrix

    def test_the_pdf_is_handed_out_once_and_then_wiped(self, client, facilitator, room):
        client.force_login(facilitator)
        job = make_cards(client, room)
        url = reverse("reports:cards_download", args=[room.slug, job.pk])
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert "persoonlijk" in response["Content-Disposition"]
        assert not RenderedReport.objects.filter(pk=job.pk).exists()
        again = client.get(url, follow=True)
        assert "al gedownload of verlopen" in again.content.decode()

    def test_cards_never_leave_through_the_report_download_nor_reach_the_analyst(
        self, client, facilitator, analyst, room
    ):
        client.force_login(facilitator)
        job = make_cards(client, room)
        assert client.get(reverse("reports:download", args=[room.slug, job.pk])).status_code == 404
        client.force_login(analyst)
        assert (
            client.get(reverse("reports:cards_download", args=[room.slug, job.pk])).status_code
            == 404
        )
        assert client.post(cards_url(room)).status_code == 404
        page = client.get(reverse("sessions:participants", args=[room.slug])).content.decode()
        assert "Deelnemerskaarten" not in page and "Dagprogramma" in page
        assert RenderedReport.objects.filter(pk=job.pk).exists()

    def test_cards_not_fetched_are_wiped_after_half_an_hour(self, client, facilitator, room):
        client.force_login(facilitator)
        job = make_cards(client, room)
        RenderedReport.objects.filter(pk=job.pk).update(
            requested_at=job.requested_at - timedelta(minutes=31)
        )
        assert printables_purge() == 1
        assert client.get(cards_url(room)).status_code == 200


class TestDayProgramme:
    def test_a_page_per_day_with_room_key_moment_and_members(self, client, analyst, room):
        client.force_login(analyst)
        response = client.post(reverse("reports:dagprogramma", args=[room.slug]))
        assert response.status_code == 302
        job = RenderedReport.objects.get(evaluation=room, kind="dagprogramma")
        assert job.status == "klaar", job.error
        first, second = pages_text(bytes(job.content))
        assert "Dag 1" in first and "Ronde 1" in first
        assert first.index("Zaal Noord") < first.index("Zaal Zuid")
        assert "Ondertekening" in first and "Vera Verteller" in first and "Rob Reflector" in first
        assert "Dag 2" in second and "Groep C" in second and "Eerste schop" in second
        assert "Rob Reflector" not in second
        status = client.get(reverse("reports:dagprogramma", args=[room.slug])).content.decode()
        assert reverse("reports:download", args=[room.slug, job.pk]) in status


def test_the_management_commands_write_both_pdfs(room, tmp_path):
    cards = tmp_path / "kaarten.pdf"
    call_command(
        "deelnemerskaarten", room.slug, "--adres", "https://spiegel.example.nl", "-o", str(cards),
        stdout=io.StringIO(),
    )  # fmt: skip
    pages = pages_text(cards.read_bytes())
    assert len(pages) == 3 and all("https://spiegel.example.nl/p/" in p for p in pages)
    programme = tmp_path / "programma.pdf"
    call_command("dagprogramma", room.slug, "-o", str(programme), stdout=io.StringIO())
    assert len(pages_text(programme.read_bytes())) == 2
    assert render_pdf  # laid out by the same renderer as the reports
