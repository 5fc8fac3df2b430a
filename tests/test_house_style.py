"""House style per evaluation, and reports that travel in an evaluation file."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from evaluatiespiegel.transfer import evaluation_export, evaluation_import
from reports.builder import eindrapport_pdf, report_render
from reports.colours import contrast_ratio
from reports.defaults import report_text_for
from reports.models import ReportBlock
from reports.outline import outline_for

LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b'<rect width="10" height="10" fill="#0b4f6c"/></svg>'
)


def fonts_of(reader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


class TestHouseStyle:
    def test_the_cover_prints_each_thing_once(self, evaluation):
        text = report_text_for(evaluation)
        text.publisher = "Neerlands diep"
        text.publisher_line2 = "Academie voor publieke bouw- en infraprojecten"
        text.tagline = "Conditie voor samenwerken in en met Allianties"
        text.save()
        first = " ".join(PdfReader(io.BytesIO(eindrapport_pdf(evaluation))).pages[0]
                         .extract_text().split())  # fmt: skip
        for once in [
            "Neerlands diep",
            "Academie voor publieke bouw- en infraprojecten",
            evaluation.title,
            "Conditie voor samenwerken in en met Allianties",
        ]:
            assert first.count(once) == 1, once

    def test_the_running_header_shows_both_publisher_lines(self, evaluation):
        text = report_text_for(evaluation)
        text.publisher, text.publisher_line2 = "Neerlands diep", "Academie voor publieke bouw"
        text.running_header = "publisher"
        text.save()
        pages = PdfReader(io.BytesIO(eindrapport_pdf(evaluation))).pages
        second = " ".join(pages[1].extract_text().split())
        assert "Neerlands diep" in second and "Academie voor publieke bouw" in second

    def test_the_analyst_sets_logo_typeface_and_accent(self, client, analyst, evaluation):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client.force_login(analyst)
        url = reverse("reports:section", args=[evaluation.slug, "omslag"])
        response = client.post(
            url,
            {
                "title": "Evaluatiespiegel",
                "running_header": "publisher",
                "typeface": "serif",
                "accent": "#7A1F5C",
                "logo_upload": SimpleUploadedFile("logo.svg", LOGO, "image/svg+xml"),
            },
        )
        assert response.status_code == 302
        text = report_text_for(evaluation)
        assert text.accent == "#7a1f5c" and text.logo_type == "image/svg+xml"
        html = report_render("eindrapport", evaluation, for_pdf=False)
        assert "--brand: #7a1f5c" in html and 'class="cover-logo"' in html
        fonts = fonts_of(PdfReader(io.BytesIO(eindrapport_pdf(evaluation))))
        assert any("Serif" in name for name in fonts), fonts

    def test_a_colour_that_is_not_a_colour_is_refused(self, client, analyst, evaluation):
        client.force_login(analyst)
        url = reverse("reports:section", args=[evaluation.slug, "omslag"])
        response = client.post(
            url,
            {"title": "x", "running_header": "title", "typeface": "sans",
             "accent": "#zzzzzz"},
        )  # fmt: skip
        assert "Geef een kleur als #rrggbb" in response.content.decode()
        assert report_text_for(evaluation).accent == "#0b4f6c"

    def test_an_accent_too_light_for_text_on_white_is_refused_with_a_darker_suggestion(
        self, client, analyst, evaluation
    ):
        client.force_login(analyst)
        url = reverse("reports:section", args=[evaluation.slug, "omslag"])
        data = {"title": "x", "running_header": "title", "typeface": "sans"}
        # Sunflower yellow: 1,5:1 on white. Headings in it cannot be read on paper.
        html = client.post(url, {**data, "accent": "#FFCC00"}).content.decode()
        assert "te licht voor tekst op wit papier" in html and "1,5:1" in html
        assert "#8f7200" in html  # the same hue, darker, passes
        assert contrast_ratio("#8f7200") >= 4.5
        assert report_text_for(evaluation).accent == "#0b4f6c"
        # Just below the line (4,48:1) is refused; just above (4,54:1) is kept.
        assert "te licht" in client.post(url, {**data, "accent": "#777777"}).content.decode()
        assert client.post(url, {**data, "accent": "#767676"}).status_code == 302
        assert report_text_for(evaluation).accent == "#767676"

    def test_an_evaluation_file_with_a_too_light_accent_is_refused(self, evaluation):
        report_text_for(evaluation)
        data = evaluation_export(evaluation)
        data["evaluation"]["slug"], data["evaluation"]["join_code"] = "licht", "KPQRSW"
        data["report"]["accent"] = "#ffcc00"
        with pytest.raises(ValidationError) as refused:
            evaluation_import(data)
        assert "te licht voor tekst op wit papier" in " ".join(refused.value.messages)


class TestTransfer:
    def test_the_outline_travels_with_the_evaluation(self, evaluation):
        outline = outline_for(evaluation, "eindrapport")
        intro = outline.blocks.get(slot="introduction")
        intro.body = "Onze eigen inleiding."
        intro.save()
        outline.blocks.filter(part="model_figure").update(enabled=False)
        data = evaluation_export(evaluation)
        data["evaluation"]["slug"] = "kopie"
        data["evaluation"]["join_code"] = "KPQRST"
        copy = evaluation_import(data)
        blocks = ReportBlock.objects.filter(outline__evaluation=copy, outline__kind="eindrapport")
        assert blocks.get(slot="introduction").body == "Onze eigen inleiding."
        assert not blocks.get(part="model_figure").enabled
        assert list(blocks.values_list("kind", "title", "part")) == list(
            outline.blocks.values_list("kind", "title", "part")
        )

    def test_a_file_from_before_the_outline_keeps_its_texts_and_switches(self, evaluation):
        report_text_for(evaluation)
        data = evaluation_export(evaluation)
        data["evaluation"]["slug"], data["evaluation"]["join_code"] = "oud", "XYZWVT"
        data.pop("outlines")
        for key in ["publisher_line2", "tagline", "logo", "logo_type", "running_header",
                    "typeface", "accent"]:  # fmt: skip
            data["report"].pop(key, None)
        data["report"].update({"introduction": "Oude inleiding.", "show_roles": False})
        copy = evaluation_import(data)
        blocks = ReportBlock.objects.filter(outline__evaluation=copy)
        assert blocks.get(slot="introduction").body == "Oude inleiding."
        assert not blocks.get(part="roles").enabled
