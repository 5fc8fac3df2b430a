import io
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from evaluatiespiegel.management.commands.demo import DEMO_SLUG
from reports.builder import eindrapport_context, eindrapport_pdf, tussenrapportage_pdf
from reports.export import COLUMNS
from reports.markup import render_markup
from reports.models import HowQuestion, Paradox, RenderedReport
from reports.pdf import RefusedURL, StaticOnlyFetcher, render_pdf
from scoring.conditions import Condition
from scoring.models import Allocation
from sessions.models import Evaluation, Participant, Role

from .conftest import allocate, personal_token, points


@pytest.fixture(scope="module")
def demo_pdfs(django_db_blocker, django_db_setup):
    """The demo's reports, rendered once for all PDF tests (rendering takes a second)."""
    with django_db_blocker.unblock():
        call_command("demo", "--reset", stdout=StringIO())
        evaluation = Evaluation.objects.get(slug=DEMO_SLUG)
        facts = {
            "paradoxes": list(
                Paradox.objects.filter(evaluation=evaluation).values_list("title", flat=True)
            ),
            "questions": list(
                HowQuestion.objects.filter(evaluation=evaluation).values_list("text", flat=True)
            ),
            "allocations": Allocation.objects.filter(session__evaluation=evaluation).count(),
            "sessions": evaluation.sessions.count(),
            "scored": evaluation.sessions.filter(allocations__isnull=False).distinct().count(),
            "vertellers": evaluation.participants.filter(role=Role.VERTELLER).count(),
            "reflectoren": evaluation.participants.filter(role=Role.REFLECTOR).count(),
        }
        eind = eindrapport_pdf(evaluation)
        tussen = tussenrapportage_pdf(evaluation)
        evaluation.delete()
    return {"eind": PdfReader(io.BytesIO(eind)), "tussen": PdfReader(io.BytesIO(tussen)), **facts}


def page_texts(reader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def all_text(reader) -> str:
    return " ".join(page_texts(reader))


class TestEindrapportPdf:
    def test_it_has_the_chapters_of_the_source_report(self, demo_pdfs):
        text = all_text(demo_pdfs["eind"])
        for heading in [
            "Inhoud",
            "1. Inleiding",
            "1.1 Aanleiding",
            "1.2 Evaluatiemethode",
            "1.3 Doel van dit eindrapport",
            "2. Hoe contractvormen zich onderscheiden",
            "2.1 Alliantie vs. traditionele contractvorm",
            "3. Theoretisch kader",
            "4. Vijf paradoxen van samenwerken binnen een alliantie",
            "4.1 Paradoxen en hun theoretische duiding",
            "4.2 Relevante vragen bij het opstarten en onderhouden van een alliantie",
            "5. Conclusie",
            "6. Tot slot",
            "Bijlage: hoe-vragen en aanbevelingen",
            "Bijlage: de scores",
        ]:
            assert heading in text, heading

    def test_the_method_figures_come_from_the_data(self, demo_pdfs):
        text = all_text(demo_pdfs["eind"])
        expected = (
            f"{demo_pdfs['vertellers'] + demo_pdfs['reflectoren']} deelnemers mee: "
            f"{demo_pdfs['vertellers']} vertellers en {demo_pdfs['reflectoren']} reflectoren. "
            f"In 3 dagen reconstrueerden zij 6 sleutelmomenten in {demo_pdfs['scored']} "
            f"reconstructiesessies, waarin {demo_pdfs['allocations']} puntenverdelingen"
        )
        assert expected in text

    def test_every_paradox_title_and_how_question_is_in_it(self, demo_pdfs):
        def unhyphenated(text):
            return text.replace("\u2010 ", "").replace("- ", "")

        text = unhyphenated(all_text(demo_pdfs["eind"]))
        for title in demo_pdfs["paradoxes"]:
            assert unhyphenated(title) in text, title
        for question in demo_pdfs["questions"]:
            assert unhyphenated(question) in text, question

    def test_every_figure_is_numbered_in_order_of_appearance(self, demo_pdfs):
        text = all_text(demo_pdfs["eind"])
        captions = re.findall(r"Figuur (\d+) —", text)
        # The three explanatory figures of chapter 3, then in the appendix the overview, one
        # chart per key moment, the role differences and the lifecycle.
        assert captions == [str(n) for n in range(1, 13)]
        assert "Figuur 1 — Een samenhangende kijk op samenwerking" in text
        assert "Figuur 4 — Alle sleutelmomenten samen" in text

    def test_the_table_of_contents_points_to_the_right_pages(self, demo_pdfs):
        pages = page_texts(demo_pdfs["eind"])
        toc = pages[1]
        assert toc.startswith("Inhoud")
        entries = re.findall(r"(\d\.(?:\d)?)\s+([A-Z][^.]+?)\s*\.{3,}\s*(\d+)", toc)
        assert len(entries) >= 10
        for number, title, page in entries:
            heading = f"{number} {title.strip()}"
            actual = next(i + 1 for i, text in enumerate(pages[2:], start=2) if heading in text)
            assert int(page) == actual, heading

    def test_a4_with_page_numbers_in_the_footer(self, demo_pdfs):
        reader = demo_pdfs["eind"]
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)
        total = len(reader.pages)
        assert f"pagina 2 van {total}" in page_texts(reader)[1]

    def test_charts_are_vector_graphics_and_the_font_is_embedded(self, demo_pdfs):
        for page in demo_pdfs["eind"].pages:
            assert not page.images, "a chart was embedded as a raster image"
        fonts = set()
        for page in demo_pdfs["eind"].pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                descriptor = font.get_object().get("/FontDescriptor")
                if descriptor is None:
                    descendants = font.get_object().get("/DescendantFonts")
                    descriptor = descendants[0].get_object()["/FontDescriptor"]
                descriptor = descriptor.get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
                fonts.add(str(descriptor["/FontName"]))
        assert any("Report-Sans" in name for name in fonts)  # the font bundled in static/fonts


class TestTussenrapportage:
    def test_every_page_says_vertrouwelijk(self, demo_pdfs):
        pages = page_texts(demo_pdfs["tussen"])
        assert len(pages) > 3
        assert all("VERTROUWELIJK" in text for text in pages)

    def test_every_session_has_its_notes_and_chart(self, demo_pdfs):
        text = all_text(demo_pdfs["tussen"])
        assert text.count("Reconstructie ") >= 11
        assert "Lessen" in text and "Reflecties" in text and "Inzichten" in text
        assert "groep: " in text
        assert (
            len(re.findall(r"Figuur \d+ —", text)) == 11
        )  # the session in voorbereiding has no scores


class TestEscaping:
    def test_markup_renders_paragraphs_lists_emphasis_and_quotes(self):
        html = str(render_markup("Eerste *nadruk* en **vet**.\n\n- een\n- twee\n\n> citaat"))
        assert "<em>nadruk</em>" in html and "<strong>vet</strong>" in html
        assert "<li>een</li>" in html
        assert "<blockquote>" in html

    def test_typed_html_is_shown_as_text(self):
        html = str(
            render_markup('<script>alert(1)</script> <b onclick="x">vet</b> [a](javascript:x)')
        )
        assert "<script>" not in html and "<b " not in html and "href" not in html
        assert "&lt;script&gt;" in html

    def test_html_in_a_paradox_shows_as_text_in_the_preview_and_the_pdf(
        self, client, facilitator, evaluation, session, verteller
    ):
        allocate(session, verteller)
        Paradox.objects.create(
            evaluation=evaluation,
            condition=Condition.AMBITIE,
            title="Motor <i>versus</i> rem",
            practice='Zie <script>alert("x")</script> en <img src="file:///etc/passwd">',
        )
        client.force_login(facilitator)
        html = client.get(reverse("reports:preview", args=[evaluation.slug])).content.decode()
        assert "<script>alert" not in html and '<img src="file:' not in html
        assert "&lt;script&gt;alert" in html
        assert "Motor &lt;i&gt;versus&lt;/i&gt; rem" in html
        text = all_text(PdfReader(io.BytesIO(eindrapport_pdf(evaluation))))
        assert "Motor <i>versus</i> rem" in text
        assert "<script>alert(“x”)</script>" in text


class TestUrlFetcher:
    def test_only_our_static_files_and_data_urls_are_fetched(self):
        fetcher = StaticOnlyFetcher()
        assert fetcher.fetch("https://evaluatiespiegel.invalid/static/css/report.css").read()
        assert fetcher.fetch("data:text/plain;base64,aGFsbG8=").read() == b"hallo"
        for url in [
            "file:///etc/passwd",
            "http://127.0.0.1:8000/",
            "https://example.org/static/css/report.css",
            "https://evaluatiespiegel.invalid/static/../../settings.py",
            "https://evaluatiespiegel.invalid/static/%2e%2e/%2e%2e/evaluatiespiegel/settings.py",
            "https://evaluatiespiegel.invalid/admin/",
        ]:
            with pytest.raises(ValueError):
                fetcher.fetch(url)

    def test_a_report_with_local_file_references_embeds_nothing(self, tmp_path):
        secret = tmp_path / "geheim.txt"
        secret.write_text("STRIKT-GEHEIM")
        pdf = render_pdf(
            f'<html><head><link rel="attachment" href="file://{secret}"></head>'
            f'<body><p>tekst</p><img src="file://{secret}"><img src="http://127.0.0.1:9/x.png">'
            f'<link rel="stylesheet" href="file://{secret}"></body></html>'
        )
        assert b"STRIKT-GEHEIM" not in pdf
        assert b"/EmbeddedFile" not in pdf
        assert RefusedURL


class TestEmptySections:
    def test_a_new_evaluation_exports_without_empty_headings(self, evaluation):
        context = eindrapport_context(evaluation)
        # The method chapter has the real figures, the theory its explanatory figures;
        # starting texts alone do not make a chapter.
        assert [e["title"] for e in context["toc"]] == [
            "Inleiding",
            "Evaluatiemethode",
            "Theoretisch kader",
        ]
        text = all_text(PdfReader(io.BytesIO(eindrapport_pdf(evaluation))))
        for absent in ["Conclusie", "Tot slot", "Bijlage", "Paradoxen", "Spindiagram"]:
            assert absent not in text

    def test_the_method_sections_print_with_their_starting_texts(self, evaluation):
        """Second new-user pass: three switched-on method sections (Meervoudige blik,
        Vertrouwelijke tussenrapportage, Verdiepende slotdialoog) were left out silently."""
        text = " ".join(all_text(PdfReader(io.BytesIO(eindrapport_pdf(evaluation)))).split())
        for present in [
            "Meervoudige blik vanuit de praktijk",
            "Met een theoretische bril",
            "Vertrouwelijke tussenrapportage",
            "Verdiepende slotdialoog",
        ]:
            assert present in text

    def test_the_report_queries_do_not_grow_with_participants(
        self, evaluation, session, key_moment
    ):
        def count():
            with CaptureQueriesContext(connection) as queries:
                eindrapport_context(evaluation)
            return len(queries)

        def add(n, start):
            people = Participant.objects.bulk_create(
                Participant(evaluation=evaluation, name=f"P{start + i}", role=Role.REFLECTOR)
                for i in range(n)
            )
            session.participants.add(*people)
            Allocation.objects.bulk_create(
                Allocation(session=session, participant=p, **points()) for p in people
            )

        eindrapport_context(evaluation)  # creates the report texts once
        add(5, 0)
        small = count()
        add(200, 5)
        assert count() == small


class TestExport:
    def test_csv_has_the_columns_and_one_row_per_allocation(
        self, client, analyst, evaluation, session, verteller, reflector
    ):
        allocate(session, verteller, ambitie=4, proces=0)
        allocate(session, reflector)
        evaluation.names_in_interim_report = True  # names are asked for and allowed
        evaluation.save()
        client.force_login(analyst)
        response = client.get(
            reverse("reports:export", args=[evaluation.slug]), {"format": "csv", "names": "on"}
        )
        lines = response.content.decode("utf-8-sig").strip().splitlines()
        assert lines[0].split(";") == COLUMNS
        assert len(lines) == 3
        assert any(";Rob Reflector;" in line for line in lines)
        assert response["Content-Disposition"].endswith('.csv"')

    def test_pseudonyms_replace_names_and_stay_the_same_between_exports(
        self, client, facilitator, evaluation, session, verteller
    ):
        allocate(session, verteller)
        client.force_login(facilitator)
        url = reverse("reports:export", args=[evaluation.slug])
        first = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
        second = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
        assert first == second
        assert "Vera" not in first and "Waterschap" not in first
        assert verteller.pseudonym in first

    def test_xlsx_keeps_numbers_as_numbers(
        self, client, facilitator, evaluation, session, verteller
    ):
        allocate(session, verteller, ambitie=4, proces=0)
        client.force_login(facilitator)
        response = client.get(reverse("reports:export", args=[evaluation.slug]), {"format": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        header = [c.value for c in sheet[1]]
        assert header == COLUMNS
        row = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
        assert row["punten ambitie"] == 4 and isinstance(row["punten ambitie"], int)
        assert row["dag"] == 1
        assert row["ingediend"].year >= 2026

    def test_an_unknown_format_is_refused(self, client, facilitator, evaluation):
        client.force_login(facilitator)
        response = client.get(reverse("reports:export", args=[evaluation.slug]), {"format": "pdf"})
        assert response.status_code == 400


REPORT_URLS = [
    "workspace",
    "preview",
    "interim_preview",
    "eindrapport",
    "tussenrapportage",
    "export",
]


class TestAccess:
    def urls(self, evaluation):
        return [reverse(f"reports:{name}", args=[evaluation.slug]) for name in REPORT_URLS]

    def test_anonymous_and_participants_are_sent_to_log_in(self, client, evaluation, verteller):
        client.cookies["deelnemer"] = personal_token(verteller)
        for url in self.urls(evaluation):
            assert client.get(url).status_code == 302, url

    def test_other_users_get_404(self, client, evaluation, other_facilitator, django_user_model):
        for user in [other_facilitator, django_user_model.objects.create_user("los")]:
            client.force_login(user)
            for url in self.urls(evaluation):
                assert client.get(url).status_code == 404, url

    @pytest.mark.parametrize("who", ["facilitator", "analyst"])
    def test_the_team_may_read_and_download(self, client, evaluation, who, request):
        client.force_login(request.getfixturevalue(who))
        for url in self.urls(evaluation):
            assert client.get(url).status_code == 200, url
        client.post(reverse("reports:tussenrapportage", args=[evaluation.slug]))
        job = RenderedReport.objects.get(evaluation=evaluation)
        pdf = client.get(reverse("reports:download", args=[evaluation.slug, job.pk]))
        assert pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")


class TestWorkspace:
    def test_the_analyst_changes_a_paradox_and_sees_it_in_the_preview(
        self, client, analyst, evaluation
    ):
        client.force_login(analyst)
        url = reverse("reports:section", args=[evaluation.slug, "paradoxen"])
        data = {"paradoxes_intro": "Inleiding op de paradoxen."}
        data.update(
            {
                "ambitie-title": "Motor versus proces",
                "ambitie-practice": "Uit de praktijk.",
                "ambitie-theory": "",
            }
        )
        response = client.post(url, data)
        assert response.status_code == 302
        assert Paradox.objects.get(evaluation=evaluation).title == "Motor versus proces"
        assert Paradox.objects.count() == 1  # untouched conditions stay empty
        html = client.get(reverse("reports:preview", args=[evaluation.slug])).content.decode()
        assert "Motor versus proces" in html

    def test_a_paradox_text_without_a_title_is_refused_and_kept(self, client, analyst, evaluation):
        client.force_login(analyst)
        url = reverse("reports:section", args=[evaluation.slug, "paradoxen"])
        response = client.post(url, {"relatie-practice": "Een verhaal zonder titel."})
        html = response.content.decode()
        assert "Geef de paradox een titel" in html
        assert "Een verhaal zonder titel." in html
        assert not Paradox.objects.exists()

    def test_how_questions_can_be_added_reordered_and_removed(self, client, analyst, evaluation):
        from reports.catalogue import catalogue_install

        catalogue_install(evaluation=evaluation)
        client.force_login(analyst)
        url = reverse("reports:section", args=[evaluation.slug, "hoe-vragen"])
        formset = client.get(url).context["formset"]
        data = {
            "how_questions_intro": "Intro",
            "questions-TOTAL_FORMS": len(formset.forms),
            "questions-INITIAL_FORMS": formset.initial_form_count(),
        }
        for i, form in enumerate(formset.forms):
            if form.instance.pk:
                data.update(
                    {
                        f"questions-{i}-id": form.instance.pk,
                        f"questions-{i}-condition": form.instance.condition,
                        f"questions-{i}-order": form.instance.order,
                        f"questions-{i}-text": form.instance.text,
                    }
                )
        first = formset.forms[0].instance
        data["questions-0-DELETE"] = "on"
        data["questions-1-order"] = 9
        new = formset.initial_form_count()
        data.update(
            {
                f"questions-{new}-condition": "proces",
                f"questions-{new}-order": 4,
                f"questions-{new}-text": "Hoe houd je het ritme vast?",
            }
        )
        data[f"questions-{new + 1}-order"] = 1  # the untouched extra form, as a browser sends it
        response = client.post(url, data)
        assert response.status_code == 302, (
            response.context["form"].errors,
            response.context["formset"].errors[-3:],
            response.context["formset"].non_form_errors(),
        )
        assert not HowQuestion.objects.filter(pk=first.pk).exists()
        assert HowQuestion.objects.get(pk=formset.forms[1].instance.pk).order == 9
        assert HowQuestion.objects.filter(
            text="Hoe houd je het ritme vast?", evaluation=evaluation
        ).exists()

    def test_session_notes_are_editable_by_facilitators_and_analysts(
        self, client, analyst, evaluation, session
    ):
        client.force_login(analyst)
        url = reverse("reports:session_notes", args=[evaluation.slug, session.pk])
        client.post(
            url,
            {
                "reconstruction": "Zo ging het.",
                "reflections": "",
                "insights": "",
                "lessons": "- les",
            },
        )
        session.refresh_from_db()
        assert session.reconstruction == "Zo ging het." and session.lessons == "- les"


def test_the_commands_write_pdfs(tmp_path, evaluation):
    for command in ("eindrapport", "tussenrapportage"):
        target = tmp_path / f"{command}.pdf"
        call_command(command, evaluation.slug, "-o", str(target), stdout=StringIO())
        assert target.read_bytes().startswith(b"%PDF")
