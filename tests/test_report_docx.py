"""The reports as Word documents: the same outline, numbers and figures as the PDF, in Word's
own structures (heading styles, a TOC field, numbered lists with levels, tables, captioned
images, running header and footer with fields), opened back with python-docx."""

import io
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from lxml import html as lxml_html
from pypdf import PdfReader

from evaluatiespiegel.management.commands.demo import DEMO_SLUG
from reports import rendering
from reports.builder import report_docx, report_pdf, report_render
from reports.docx import RefusedImage, render_docx
from reports.models import RenderedReport
from sessions.models import Evaluation

from .conftest import allocate
from .test_outline import bookmarks, source_report  # noqa: F401 - a fixture used below

W_NUMPR = qn("w:numPr")


def open_docx(content: bytes):
    return Document(io.BytesIO(content))


def headings(document) -> list[tuple[int, str]]:
    """Word's Heading 1-3 paragraphs as (level, text): the document's outline."""
    return [
        (int(p.style.name.removeprefix("Heading ")), p.text)
        for p in document.paragraphs
        if p.style.name.startswith("Heading ")
    ]


def list_levels(document) -> list[tuple[int, str]]:
    """(ilvl, text) of every paragraph that is an item of a Word list."""
    found = []
    for p in document.paragraphs:
        num_pr = p._p.pPr.find(W_NUMPR) if p._p.pPr is not None else None
        if num_pr is not None:
            found.append((int(num_pr.find(qn("w:ilvl")).get(qn("w:val"))), p.text))
    return found


def captions(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "Caption"]


def html_tables(html: str) -> list[list[list[str]]]:
    root = lxml_html.document_fromstring(html)
    for br in root.iter("br"):  # a line break in a cell: a space in the compared text
        br.tail = " " + (br.tail or "")
    return [
        [
            [" ".join(cell.text_content().split()) for cell in row if cell.tag in ("td", "th")]
            for row in table.iter("tr")
        ]
        for table in root.iter("table")
    ]


def docx_tables(document) -> list[list[list[str]]]:
    return [
        [[" ".join(cell.text.split()) for cell in row.cells] for row in table.rows]
        for table in document.tables
    ]


@pytest.fixture
def demo(db) -> Evaluation:
    call_command("demo", stdout=StringIO())
    return Evaluation.objects.get(slug=DEMO_SLUG)


class TestSameDocumentAsThePdf:
    def test_the_headings_are_the_pdf_bookmarks_level_by_level(self, source_report):  # noqa: F811
        pdf = PdfReader(io.BytesIO(report_pdf("eindrapport", source_report)))
        document = open_docx(report_docx("eindrapport", source_report))
        assert headings(document) == bookmarks(pdf)
        assert (3, "Meervoudige blik vanuit de praktijk") in headings(document)

    def test_the_demo_headings_figures_and_tables_are_the_pdfs(self, demo):
        html = report_render("eindrapport", demo, for_pdf=True)
        pdf = PdfReader(io.BytesIO(report_pdf("eindrapport", demo)))
        document = open_docx(report_docx("eindrapport", demo))
        assert headings(document) == bookmarks(pdf)
        pdf_text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
        shown = captions(document)
        assert shown, "the demo has figures"
        assert [c.split(" — ")[0] for c in shown] == [
            f"Figuur {n}" for n in range(1, len(shown) + 1)
        ]
        # The caption as the HTML gives it (the PDF may hyphenate it); its number in the PDF.
        root = lxml_html.document_fromstring(html)
        assert shown == [
            " ".join(f.text_content().split()).replace(number, number + " —", 1)
            for f in root.iter("figcaption")
            for number in [" ".join(f.find("span").text_content().split())]
        ]
        for caption in shown:
            assert caption.split(" — ")[0] + " — " in pdf_text
        assert docx_tables(document) == html_tables(html)

    def test_every_figure_is_an_inline_image_right_above_its_caption(self, demo):
        document = open_docx(report_docx("eindrapport", demo))
        paragraphs = document.paragraphs
        figure_captions = [
            i for i, p in enumerate(paragraphs) if p.style.name == "Caption"
        ]  # fmt: skip
        for index in figure_captions:
            image = paragraphs[index - 1]._p.findall(".//" + qn("wp:inline"))
            assert image, paragraphs[index].text
        assert len(document.inline_shapes) >= len(figure_captions)

    def test_a_chart_stays_vector_for_word_beside_its_print_resolution_png(self, demo):
        document = open_docx(report_docx("eindrapport", demo))
        part = document.part
        for shape in document.inline_shapes:
            blip = shape._inline.graphic.graphicData.pic.blipFill.blip
            png = part.related_parts[blip.embed]
            assert png.content_type == "image/png"
            vector = blip.find(
                ".//{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip"
            )
            svg = part.related_parts[vector.get(qn("r:embed"))]
            assert svg.content_type == "image/svg+xml"
            # Word ignores paint-order: the tick labels' halo is drawn as a copy beneath.
            assert b"paint-order" not in svg.blob
            pixels_wide = int.from_bytes(png.blob[16:20], "big")
            assert pixels_wide / (shape.width.mm / 25.4) >= 290  # print resolution

    def test_the_caption_number_is_a_seq_field_word_can_renumber(self, source_report):  # noqa: F811
        document = open_docx(report_docx("eindrapport", source_report))
        caption = next(p for p in document.paragraphs if p.style.name == "Caption")
        instructions = [t.text for t in caption._p.iter(qn("w:instrText"))]
        assert any("SEQ Figuur" in i for i in instructions)
        assert caption.text == "Figuur 1 — Een samenhangende kijk op samenwerking"


class TestWordStructures:
    def test_nested_bullets_are_word_list_items_with_levels(self, source_report):  # noqa: F811
        document = open_docx(report_docx("eindrapport", source_report))
        levels = list_levels(document)
        parent = next(i for i, (_lvl, t) in enumerate(levels) if t.startswith("Zorg voor een"))
        assert levels[parent] == (0, "Zorg voor een ritme van belangentoetsing bij:")
        assert levels[parent + 1 : parent + 3] == [
            (1, "Wisselingen in team"),
            (1, "Nieuwe fasen"),
        ]
        bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
        assert "ritme" in bold
        # A comparison's label and its text are one item, as in the PDF.
        assert (0, "Alliantie: Meer.") in levels

    def test_a_numbered_list_has_its_own_numbering_definition(self, source_report):  # noqa: F811
        document = open_docx(report_docx("eindrapport", source_report))
        numbering = document.part.numbering_part.element
        formats = {
            a.get(qn("w:abstractNumId")): [
                lvl.find(qn("w:numFmt")).get(qn("w:val")) for lvl in a.findall(qn("w:lvl"))
            ]
            for a in numbering.findall(qn("w:abstractNum"))
        }
        assert any(f[:2] == ["decimal", "lowerLetter"] for f in formats.values())
        assert any(f[:2] == ["bullet", "bullet"] for f in formats.values())
        texts = [t for _lvl, t in list_levels(document)]
        assert "Hoe functioneerde de alliantie?" in texts

    def test_italics_and_quotations_keep_their_form(self, source_report):  # noqa: F811
        from reports.outline import outline_for

        block = outline_for(source_report, "eindrapport").blocks.filter(kind="text").first()
        block.body = "Een *schuine* gedachte.\n\n> Een citaat uit de zaal."
        block.save()
        document = open_docx(report_docx("eindrapport", source_report))
        italic = [r.text for p in document.paragraphs for r in p.runs if r.italic]
        assert "schuine" in italic
        quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
        assert quotes == ["Een citaat uit de zaal."]

    def test_the_table_of_contents_is_a_field_word_refreshes(self, source_report):  # noqa: F811
        content = report_docx("eindrapport", source_report)
        document = open_docx(content)
        instructions = [t.text for t in document.element.body.iter(qn("w:instrText"))]
        assert any(i.strip().startswith("TOC ") for i in instructions)
        assert any("PAGEREF _Toc" in i for i in instructions)
        update = document.settings.element.find(qn("w:updateFields"))
        assert update is not None and update.get(qn("w:val")) == "true"
        entries = [p.text for p in document.paragraphs if p.style.name.startswith("toc ")]
        assert entries[0].startswith("1. Inleiding")

    def test_the_document_is_dutch_in_the_house_typeface(self, source_report):  # noqa: F811
        from reports.defaults import report_text_for

        text = report_text_for(source_report)
        text.typeface, text.accent = "serif", "#123456"
        text.save()
        document = open_docx(report_docx("eindrapport", source_report))
        defaults = document.styles.element.find(qn("w:docDefaults"))
        lang = defaults.find(".//" + qn("w:lang"))
        assert lang.get(qn("w:val")) == "nl-NL"
        assert document.core_properties.language == "nl-NL"
        assert document.styles["Normal"].font.name == "Liberation Serif"
        assert str(document.styles["Heading 1"].font.color.rgb) == "123456"

    def test_the_logo_and_publisher_are_on_the_cover_and_in_the_running_header(
        self,
        source_report,  # noqa: F811
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from reports.defaults import report_text_for
        from reports.images import image_clean

        logo = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'
        text = report_text_for(source_report)
        text.logo, text.logo_type = image_clean(SimpleUploadedFile("logo.svg", logo))
        text.publisher, text.publisher_line2 = "Academie voor samenwerken", "Netwerk"
        text.running_header = "publisher"
        text.save()
        document = open_docx(report_docx("eindrapport", source_report))
        header = document.sections[0].header
        assert header._element.findall(".//" + qn("wp:inline"))
        assert header.paragraphs[0].text == "Academie voor samenwerken\nNetwerk"
        cover_logo = document.paragraphs[0]
        assert cover_logo.style.name == "Omslaglogo" and cover_logo._p.findall(
            ".//" + qn("wp:inline")
        )
        assert document.paragraphs[1].text == "Academie voor samenwerken\nNetwerk"

    def test_the_footer_numbers_pages_with_fields(self, source_report):  # noqa: F811
        document = open_docx(report_docx("eindrapport", source_report))
        footer = document.sections[0].footer
        instructions = [t.text.strip() for t in footer._element.iter(qn("w:instrText"))]
        assert instructions == ["PAGE", "NUMPAGES"]
        assert footer.paragraphs[0].text.startswith("pagina ")
        # The cover has no running header or page number, as in the PDF.
        assert document.sections[0].different_first_page_header_footer


class TestTussenrapportage:
    def test_its_headings_and_tables_are_the_pdfs(self, evaluation, session, verteller, reflector):
        allocate(session, verteller, ambitie=4, proces=0)
        allocate(session, reflector)
        session.reconstruction = "Wat er gebeurde:\n\n- eerst dit\n  - en daarbinnen dat"
        session.save()
        html = report_render("tussenrapportage", evaluation, for_pdf=True)
        pdf = PdfReader(io.BytesIO(report_pdf("tussenrapportage", evaluation)))
        document = open_docx(report_docx("tussenrapportage", evaluation))
        assert headings(document) == bookmarks(pdf)
        assert docx_tables(document) == html_tables(html)
        assert list_levels(document)[-2:] == [(0, "eerst dit"), (1, "en daarbinnen dat")]

    def test_every_header_says_vertrouwelijk(self, evaluation, session, verteller):
        allocate(session, verteller)
        document = open_docx(report_docx("tussenrapportage", evaluation))
        for section in document.sections:
            assert not section.different_first_page_header_footer
            assert "VERTROUWELIJK" in section.header.paragraphs[0].text
        session_headings = [t for _lvl, t in headings(document)]
        assert any(t.startswith("Dag 1, ronde 1") for t in session_headings)


@pytest.fixture
def word_layouts(monkeypatch):
    """Counts the Word layouts wherever they run."""
    calls = []
    real = rendering.render_docx

    def counted(html):
        calls.append(html)
        return real(html)

    monkeypatch.setattr(rendering, "render_docx", counted)
    return calls


def make_word(client, evaluation, kind="eindrapport"):
    return client.post(reverse(f"reports:{kind}_docx", args=[evaluation.slug]))


class TestInTheWorkspace:
    def test_the_worker_makes_the_word_file_and_the_workspace_offers_it_beside_the_pdf(
        self, client, analyst, evaluation, word_layouts
    ):
        client.force_login(analyst)
        make_word(client, evaluation)
        job = RenderedReport.objects.get(evaluation=evaluation)
        assert (job.format, job.status) == ("docx", RenderedReport.Status.DONE)
        assert len(word_layouts) == 1
        page = client.get(reverse("reports:workspace", args=[evaluation.slug])).content.decode()
        download = reverse("reports:download_docx", args=[evaluation.slug, job.pk])
        assert download in page and "Eindrapport downloaden (Word)" in page
        assert "Eindrapport maken (PDF)" in page  # the PDF is still offered on its own
        response = client.get(download)
        assert response["Content-Type"] == rendering_type("docx")
        assert response["Content-Disposition"] == 'attachment; filename="eindrapport-ammd.docx"'
        assert headings(open_docx(response.content))[0] == (1, "1. Inleiding")

    def test_word_and_pdf_are_cached_apart_and_an_unchanged_report_is_reused(
        self, client, analyst, evaluation, word_layouts
    ):
        client.force_login(analyst)
        make_word(client, evaluation)
        client.post(reverse("reports:eindrapport", args=[evaluation.slug]))
        make_word(client, evaluation)
        assert len(word_layouts) == 1
        formats = sorted(RenderedReport.objects.values_list("format", flat=True))
        assert formats == ["docx", "pdf"]
        latest = rendering.report_latest(evaluation=evaluation, kind="eindrapport", format="docx")
        assert latest.reused

    def test_a_word_file_is_not_served_as_a_pdf_nor_to_another_team(
        self, client, analyst, evaluation, other_facilitator
    ):
        client.force_login(analyst)
        make_word(client, evaluation, "tussenrapportage")
        job = RenderedReport.objects.get(evaluation=evaluation)
        assert (
            client.get(reverse("reports:download", args=[evaluation.slug, job.pk])).status_code
            == 404
        )
        word = reverse("reports:download_docx", args=[evaluation.slug, job.pk])
        response = client.get(word)
        assert response["Content-Disposition"] == (
            'attachment; filename="tussenrapportage-ammd-vertrouwelijk.docx"'
        )
        client.force_login(other_facilitator)
        assert client.get(word).status_code == 404


def rendering_type(fmt: str) -> str:
    from reports.views import CONTENT_TYPES

    return CONTENT_TYPES[fmt]


class TestNothingIsFetched:
    @pytest.mark.parametrize(
        "src",
        ["https://example.com/x.png", "file:///etc/passwd", "/static/img/favicon.svg", ""],
    )
    def test_an_image_that_is_not_a_data_uri_is_refused(self, src):
        html = f'<html><body><main><p>x</p><img src="{src}" alt=""></main></body></html>'
        with pytest.raises(RefusedImage):
            render_docx(html)


class TestCommand:
    def test_the_extension_chooses_word(self, source_report, tmp_path):  # noqa: F811
        target = tmp_path / "rapport.docx"
        call_command("eindrapport", source_report.slug, "-o", str(target), stdout=StringIO())
        assert zipfile.is_zipfile(target)
        assert headings(Document(str(target)))[0] == (1, "1. Inleiding")

    def test_the_tussenrapportage_command_writes_word_too(self, evaluation, tmp_path):
        target = tmp_path / "tussen.DOCX"
        call_command("tussenrapportage", evaluation.slug, "-o", str(target), stdout=StringIO())
        assert zipfile.is_zipfile(target)

    def test_an_unknown_extension_is_a_clear_dutch_error(self, evaluation, tmp_path):
        with pytest.raises(CommandError, match="Onbekend formaat '.txt'.*\\.pdf of \\.docx"):
            call_command("eindrapport", evaluation.slug, "-o", str(tmp_path / "r.txt"))
        assert not (tmp_path / "r.txt").exists()
