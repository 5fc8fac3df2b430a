"""The report outline: blocks the analyst adds, moves, switches off and deletes; presets;
uploaded figures; numbering; the PDF's bookmarks follow the outline level by level."""

import base64
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from reports.builder import eindrapport_pdf, report_context, report_render, tussenrapportage_pdf
from reports.images import image_clean
from reports.models import (
    BlockKind,
    ConclusionTheme,
    ContractTheme,
    HowQuestion,
    Paradox,
    Part,
    Recommendation,
    ReportBlock,
)
from reports.outline import (
    block_add,
    block_delete,
    block_move,
    block_toggle,
    outline_for,
    preset_apply,
)
from scoring.conditions import Condition
from sessions.models import ReconstructionSession, SessionState

from .conftest import allocate


def heading(level, title, numbered=True):
    return ReportBlock(kind=BlockKind.HEADING, level=level, title=title, numbered=numbered)


def text(body):
    return ReportBlock(kind=BlockKind.TEXT, body=body)


def part(name):
    return ReportBlock(kind=BlockKind.GENERATED, part=name)


def bookmarks(reader) -> list[tuple[int, str]]:
    result = []

    def walk(entries, level):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, level + 1)
            else:
                result.append((level, entry.title))

    walk(reader.outline, 1)
    return result


# The source report's outline (seeds/eindrapport-evaluatiespiegel-markermeerdijken.txt), with
# our own short texts: headings at their level, figures in chapter 3, nested bullets in the
# appendix.
SOURCE_OUTLINE = [
    part(Part.COVER),
    part(Part.TOC),
    heading(1, "Inleiding"),
    text("Na tien jaar samenwerken kijkt de alliantie terug."),
    heading(2, "Aanleiding"),
    text("Tien jaar geleden tekenden de partners."),
    heading(2, "Evaluatiemethode"),
    heading(3, "Meervoudige blik vanuit de praktijk", numbered=False),
    text("Vakgenoten kijken mee."),
    heading(3, "Met een theoretische bril", numbered=False),
    part(Part.METHOD_FIGURES),
    heading(3, "Centrale vragen", numbered=False),
    text("1. Hoe functioneerde de alliantie?\n2. Wat zijn faal- en succesfactoren?"),
    heading(3, "Vertrouwelijke tussenrapportage", numbered=False),
    text("Alles gebundeld voor de deelnemers."),
    heading(3, "Verdiepende slotdialoog", numbered=False),
    text("De bevindingen verder uitgediept."),
    heading(2, "Doel van dit eindrapport"),
    text("Generieke lessen uit één praktijk."),
    heading(1, "Hoe contractvormen zich onderscheiden"),
    text("Een korte vergelijking."),
    heading(2, "Alliantie vs. traditionele contractvorm"),
    part(Part.CONTRACT_THEMES),
    heading(1, "Theoretisch kader"),
    text("Vijf samenhangende aspecten."),
    part(Part.MODEL_FIGURE),
    text("Tien punten per reconstructie."),
    part(Part.EXAMPLE_SPIDER),
    text("Het model als lens."),
    part(Part.CONSEQUENCES_FIGURE),
    heading(1, "{paradoxen} paradoxen van samenwerken binnen een alliantie"),
    text("Van paradox naar vraag."),
    heading(2, "Paradoxen en hun theoretische duiding"),
    heading(3, "Over de paradoxen", numbered=False),
    text("Communicerende vaten."),
    part(Part.PARADOXES),
    heading(2, "Relevante vragen bij het opstarten en onderhouden van een alliantie"),
    part(Part.HOW_QUESTIONS),
    heading(1, "Conclusie"),
    part(Part.CONCLUSION_THEMES),
    heading(2, "De kunst van het balanceren", numbered=False),
    text("Spanning bespreekbaar houden."),
    heading(1, "Tot slot"),
    text("Dank aan alle betrokkenen."),
    heading(1, "Bijlage: hoe-vragen en aanbevelingen", numbered=False),
    part(Part.APPENDIX),
]


@pytest.fixture
def source_report(evaluation, session, verteller, reflector):
    allocate(session, verteller, ambitie=4, proces=0)
    allocate(session, reflector)
    for condition, title in [
        (Condition.AMBITIE, "Sterke motor versus effectief proces"),
        (Condition.BELANGEN, "Best for project versus best for society"),
        (Condition.RELATIE, "Wij-gevoel versus het stakeholderveld"),
        (Condition.ORGANISATIE, "Kracht versus tegenkracht"),
        (Condition.PROCES, "Flexibiliteit versus rolduidelijkheid"),
    ]:
        Paradox.objects.create(
            evaluation=evaluation, condition=condition, title=title, practice="Uit de praktijk."
        )
    question = HowQuestion.objects.create(
        evaluation=evaluation,
        condition=Condition.BELANGEN,
        text="Hoe zorg je dat belangen in de tijd meebewegen?",
    )
    Recommendation.objects.create(
        how_question=question,
        text="Zorg voor een **ritme** van belangentoetsing bij:\n  - Wisselingen in team\n"
        "  - Nieuwe fasen",
    )
    ContractTheme.objects.create(evaluation=evaluation, title="Flexibiliteit", alliance="Meer.")
    ConclusionTheme.objects.create(evaluation=evaluation, title="Eigen entiteit", text="Kracht.")
    outline = outline_for(evaluation, "eindrapport")
    for block in list(outline.blocks.all()):
        block_delete(block=block)
    for block in SOURCE_OUTLINE:
        block.pk = None
        block_add(outline=outline, block=block)
    return evaluation


class TestSourceOutline:
    def test_the_pdf_bookmarks_follow_the_outline_level_by_level(self, source_report):
        reader = PdfReader(io.BytesIO(eindrapport_pdf(source_report)))
        assert bookmarks(reader) == [
            (1, "1. Inleiding"),
            (2, "1.1 Aanleiding"),
            (2, "1.2 Evaluatiemethode"),
            (3, "Meervoudige blik vanuit de praktijk"),
            (3, "Met een theoretische bril"),
            (3, "Centrale vragen"),
            (3, "Vertrouwelijke tussenrapportage"),
            (3, "Verdiepende slotdialoog"),
            (2, "1.3 Doel van dit eindrapport"),
            (1, "2. Hoe contractvormen zich onderscheiden"),
            (2, "2.1 Alliantie vs. traditionele contractvorm"),
            (1, "3. Theoretisch kader"),
            (1, "4. Vijf paradoxen van samenwerken binnen een alliantie"),
            (2, "4.1 Paradoxen en hun theoretische duiding"),
            (3, "Over de paradoxen"),
            (2, "4.2 Relevante vragen bij het opstarten en onderhouden van een alliantie"),
            (1, "5. Conclusie"),
            (2, "De kunst van het balanceren"),
            (1, "6. Tot slot"),
            (1, "Bijlage: hoe-vragen en aanbevelingen"),
        ]

    def test_chapter_3_holds_the_three_figures_in_order(self, source_report):
        text = " ".join(
            " ".join(p.extract_text().split())
            for p in PdfReader(io.BytesIO(eindrapport_pdf(source_report))).pages
        )
        assert "Figuur 1 — Een samenhangende kijk op samenwerking" in text
        assert "Figuur 2 — Voorbeeld van een spindiagram" in text
        assert "Figuur 3 — De gevolgen van onevenwichtige aandacht" in text
        assert "Figuur 4" not in text

    def test_appendix_recommendations_have_bold_and_nested_lists(self, source_report):
        html = report_render("eindrapport", source_report, for_pdf=False)
        assert "<strong>ritme</strong>" in html and "**" not in html
        assert "Zorg voor een <strong>ritme</strong> van belangentoetsing bij:</p>\n<ul>" in html
        assert "<ul>\n<li>Wisselingen in team</li>\n<li>Nieuwe fasen</li>\n</ul>" in html

    def test_the_number_of_paradoxes_is_written_out(self, source_report):
        Paradox.objects.filter(condition__in=["relatie", "organisatie"]).delete()
        html = report_render("eindrapport", source_report, for_pdf=False)
        assert "Drie paradoxen van samenwerken" in html and "Vijf paradoxen" not in html


class TestOutlineServices:
    def test_a_new_report_starts_from_the_source_preset(self, evaluation):
        outline = outline_for(evaluation, "eindrapport")
        assert outline.preset == "bron"
        assert outline.blocks.filter(part=Part.MODEL_FIGURE).exists()

    def test_move_switch_and_delete_keep_the_order_whole(self, evaluation):
        outline = outline_for(evaluation, "eindrapport")
        first, second = list(outline.blocks.all())[:2]
        block_move(block=second, direction=-1)
        assert list(outline.blocks.values_list("pk", flat=True))[:2] == [second.pk, first.pk]
        block_move(block=second, direction=-1)  # already first: nothing happens
        block_toggle(block=first)
        first.refresh_from_db()
        assert not first.enabled
        block_delete(block=first)
        orders = list(outline.blocks.values_list("order", flat=True))
        assert orders == list(range(1, len(orders) + 1))

    def test_a_switched_off_block_is_not_printed(self, evaluation):
        outline = outline_for(evaluation, "eindrapport")
        model = outline.blocks.get(part=Part.MODEL_FIGURE)
        block_toggle(block=model)
        html = report_render("eindrapport", evaluation, for_pdf=False)
        assert "Een samenhangende kijk op samenwerking" not in html
        assert "Figuur 1</span> Voorbeeld van een spindiagram" in html

    def test_applying_a_preset_keeps_texts_and_figures(self, evaluation):
        outline = outline_for(evaluation, "eindrapport")
        intro = outline.blocks.get(slot="introduction")
        intro.body = "Mijn eigen inleiding."
        intro.save()
        own = block_add(outline=outline, block=text("Een tekst zonder plek in een opzet."))
        preset_apply(outline=outline, preset="rijk")
        assert outline.blocks.get(slot="introduction").body == "Mijn eigen inleiding."
        own.refresh_from_db()
        assert not own.enabled and own.order == outline.blocks.count()
        assert outline.blocks.filter(part=Part.AGREEMENT, enabled=True).exists()

    def test_applying_a_preset_keeps_the_analysts_own_headings(self, evaluation):
        """New-user pass, minor 8: an own chapter heading vanished without a word."""
        outline = outline_for(evaluation, "eindrapport")
        heading = block_add(
            outline=outline,
            block=ReportBlock(kind=BlockKind.HEADING, level=1, title="Eigen hoofdstuk “Lessen”"),
        )
        own = block_add(outline=outline, block=text("Wat we leerden."), after=heading)
        preset_apply(outline=outline, preset="rijk")
        kept = list(outline.blocks.filter(enabled=False).order_by("order"))
        assert [b.pk for b in kept[-2:]] == [heading.pk, own.pk]

    def test_a_preset_of_the_other_report_is_refused(self, evaluation):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            preset_apply(outline=outline_for(evaluation, "eindrapport"), preset="tussen")

    def test_the_database_refuses_a_heading_without_title_or_a_level_4(self, evaluation):
        from django.db import IntegrityError, transaction

        outline = outline_for(evaluation, "eindrapport")
        for bad in [
            ReportBlock(outline=outline, kind="heading", title=""),
            ReportBlock(outline=outline, kind="heading", title="x", level=4),
            ReportBlock(outline=outline, kind="generated", part=""),
            ReportBlock(outline=outline, kind="figure", title="zonder beeld"),
        ]:
            with pytest.raises(IntegrityError), transaction.atomic():
                bad.save()


SVG_WITH_REFERENCES = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 10 10" onload="alert(1)">
  <script>alert(2)</script>
  <image href="file:///etc/passwd" width="10" height="10"/>
  <use xlink:href="https://example.org/x.svg#a"/>
  <rect width="10" height="10" fill="url(https://example.org/p)"/>
  <circle cx="5" cy="5" r="4" fill="#c8553d"/>
  <foreignObject><p>html</p></foreignObject>
</svg>"""


class TestUploadedFigures:
    def test_an_svg_keeps_its_drawing_and_loses_every_reference(self):
        data, kind = image_clean(io.BytesIO(SVG_WITH_REFERENCES))
        assert kind == "image/svg+xml"
        assert b"<circle" in data
        for gone in [b"script", b"onload", b"image", b"example.org", b"passwd", b"foreign"]:
            assert gone not in data

    def test_an_svg_with_an_entity_is_refused(self):
        from django.core.exceptions import ValidationError

        bomb = b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa">]><svg>&a;</svg>'
        with pytest.raises(ValidationError):
            image_clean(io.BytesIO(bomb))

    def test_a_png_is_re_encoded_and_a_fake_one_refused(self):
        from django.core.exceptions import ValidationError
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
        data, kind = image_clean(io.BytesIO(buffer.getvalue() + b"TRAILING-SECRET"))
        assert kind == "image/png" and b"TRAILING-SECRET" not in data
        with pytest.raises(ValidationError):
            image_clean(io.BytesIO(b"\x89PNG not really"))

    def test_the_analyst_uploads_a_figure_and_it_is_numbered(self, client, analyst, evaluation):
        client.force_login(analyst)
        outline = outline_for(evaluation, "eindrapport")
        theory = outline.blocks.get(kind="heading", title="Theoretisch kader")
        upload = SimpleUploadedFile("eigen.svg", SVG_WITH_REFERENCES, "image/svg+xml")
        response = client.post(
            reverse("reports:block_add", args=[evaluation.slug, "eindrapport"]),
            {"kind": "figure", "title": "Ons eigen model", "width": 60, "upload": upload,
             "after": theory.pk},
        )  # fmt: skip
        assert response.status_code == 302
        html = report_render("eindrapport", evaluation, for_pdf=False)
        assert "Figuur 1</span> Ons eigen model" in html
        assert "Figuur 2</span> Een samenhangende kijk op samenwerking" in html
        encoded = html.split('alt="Ons eigen model"')[0].rsplit("base64,", 1)[1].split('"')[0]
        assert b"example.org" not in base64.b64decode(encoded)


class TestWorkspace:
    def test_the_analyst_adds_a_heading_and_text_and_sees_them_in_the_preview(
        self, client, analyst, evaluation
    ):
        client.force_login(analyst)
        url = reverse("reports:block_add", args=[evaluation.slug, "eindrapport"])
        assert client.post(url, {"kind": "heading", "title": "Nieuw hoofdstuk", "level": 1,
                                 "numbered": "on"}).status_code == 302  # fmt: skip
        assert (
            client.post(url, {"kind": "text", "body": "# Tussenkop\n\nInhoud."}).status_code == 302
        )
        preview = client.get(reverse("reports:preview", args=[evaluation.slug])).content.decode()
        assert "Nieuw hoofdstuk</h2>" in preview
        assert "<h3>Tussenkop</h3>" in preview

    def test_the_analyst_edits_a_text_block(self, client, analyst, evaluation):
        client.force_login(analyst)
        block = outline_for(evaluation, "eindrapport").blocks.get(slot="introduction")
        url = reverse("reports:block", args=[evaluation.slug, block.pk])
        assert 'name="body"' in client.get(url).content.decode()
        assert client.post(url, {"body": "Onze eigen inleiding."}).status_code == 302
        block.refresh_from_db()
        assert block.body == "Onze eigen inleiding."

    def test_a_heading_without_title_is_refused_in_dutch(self, client, analyst, evaluation):
        client.force_login(analyst)
        url = reverse("reports:block_add", args=[evaluation.slug, "eindrapport"])
        response = client.post(url, {"kind": "heading", "title": "", "level": 1})
        assert response.status_code == 400
        assert "Een kop heeft een titel nodig." in response.content.decode()

    def test_the_workspace_moves_switches_and_deletes(self, client, analyst, evaluation):
        client.force_login(analyst)
        outline = outline_for(evaluation, "eindrapport")
        block = outline.blocks.get(part=Part.MODEL_FIGURE)
        for action in ["omhoog", "aan-uit"]:
            url = reverse("reports:block_action", args=[evaluation.slug, block.pk, action])
            assert client.post(url).status_code == 302
        block.refresh_from_db()
        assert not block.enabled
        url = reverse("reports:block_action", args=[evaluation.slug, block.pk, "verwijderen"])
        client.post(url)
        assert not ReportBlock.objects.filter(pk=block.pk).exists()

    def test_a_preset_is_applied_from_the_workspace(self, client, analyst, evaluation):
        client.force_login(analyst)
        url = reverse("reports:preset", args=[evaluation.slug, "eindrapport"])
        assert client.post(url, {"preset": "rijk", "bevestig": "1"}).status_code == 302
        assert outline_for(evaluation, "eindrapport").preset == "rijk"
        client.post(url, {"preset": "bestaat-niet"})
        assert outline_for(evaluation, "eindrapport").preset == "rijk"

    def test_a_preset_first_shows_what_happens_to_the_analysts_own_blocks(
        self, client, analyst, evaluation
    ):
        outline = outline_for(evaluation, "eindrapport")
        block_add(
            outline=outline, block=ReportBlock(kind=BlockKind.HEADING, level=1, title="Lessen")
        )
        before = list(outline.blocks.values_list("pk", "order", "enabled"))
        client.force_login(analyst)
        url = reverse("reports:preset", args=[evaluation.slug, "eindrapport"])
        response = client.post(url, {"preset": "rijk"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "Lessen" in html and "uitgeschakeld, onderaan" in html
        assert 'name="bevestig" value="1"' in html
        # Nothing changed yet.
        assert list(outline.blocks.values_list("pk", "order", "enabled")) == before
        assert outline_for(evaluation, "eindrapport").preset != "rijk"

    def test_other_teams_cannot_touch_the_blocks(self, client, other_facilitator, evaluation):
        block = outline_for(evaluation, "eindrapport").blocks.first()
        client.force_login(other_facilitator)
        for url in [
            reverse("reports:outline", args=[evaluation.slug, "eindrapport"]),
            reverse("reports:block", args=[evaluation.slug, block.pk]),
        ]:
            assert client.get(url).status_code == 404
        url = reverse("reports:block_action", args=[evaluation.slug, block.pk, "verwijderen"])
        assert client.post(url).status_code == 404
        assert ReportBlock.objects.filter(pk=block.pk).exists()


class TestTussenrapportage:
    def test_an_unscored_session_leaves_no_gap_in_the_figure_numbers(
        self, evaluation, session, key_moment, verteller, reflector
    ):
        allocate(session, verteller)
        ReconstructionSession.objects.create(
            evaluation=evaluation, key_moment=key_moment, day=1, slot=2
        )
        third = ReconstructionSession.objects.create(
            evaluation=evaluation, key_moment=key_moment, day=1, slot=3, state=SessionState.OPEN
        )
        third.participants.set([reflector])
        allocate(third, reflector)
        context = report_context("tussenrapportage", evaluation)
        sessions = next(
            item for sheet in context["sheets"] for item in sheet if item.part == Part.SESSIONS
        )
        assert [f.number for f in sessions.figures] == [1, 2]

    def test_it_has_a_table_of_contents_and_every_page_says_vertrouwelijk(
        self, evaluation, session, verteller
    ):
        allocate(session, verteller)
        reader = PdfReader(io.BytesIO(tussenrapportage_pdf(evaluation)))
        pages = [" ".join(p.extract_text().split()) for p in reader.pages]
        assert "Inhoud" in pages[1] and "Dag 1, ronde 1" in pages[1]
        assert all("VERTROUWELIJK" in page for page in pages)
