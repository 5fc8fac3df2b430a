"""Report text cannot take the room down: bounded size, bounded nesting, Dutch messages."""

import re

import markdown.inlinepatterns
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports.builder import report_pdf
from reports.markup import MAX_DEPTH, markup_depth, render_markup
from reports.models import Paradox
from reports.outline import outline_for
from sessions.models import ReconstructionSession


class TestMarkupIsCheap:
    def test_a_bracket_storm_never_reaches_the_quadratic_link_scanner(self, monkeypatch):
        def refuse(*args, **kwargs):
            raise AssertionError("the link pattern ran")

        monkeypatch.setattr(markdown.inlinepatterns.LinkInlineProcessor, "getText", refuse)
        html = str(render_markup("[" * 8000 + "]" * 8000))
        assert html.count("[") == 8000

    def test_a_web_link_is_a_link_and_an_image_stays_the_text_that_was_typed(self):
        """New-user pass, minor 9: `[het plan](https://…)` printed literally everywhere."""
        html = str(render_markup("Zie [de site](https://example.nl/a?b=1) en ![beeld](x.png)"))
        assert '<a href="https://example.nl/a?b=1">de site</a>' in html
        # A web address is wrapped only to keep it from being hyphenated (reports.markup.URL).
        assert "![beeld](x.png)" in re.sub(r"</?span[^>]*>", "", html)

    @pytest.mark.parametrize(
        "typed",
        [
            "[klik](javascript:alert(1))",
            "[bestand](file:///etc/passwd)",
            "[mail](mailto:a@b.nl)",
            "[hier](/admin/)",
        ],
    )
    def test_only_web_addresses_become_links(self, typed):
        html = str(render_markup(typed))
        assert "<a" not in html and typed.split("](")[0][1:] in html

    @pytest.mark.parametrize(
        "typed", ['[x](https://a.nl/"onmouseover=alert(1))', '[x](https://a.nl/"onmouseover=1)']
    )
    def test_a_typed_quote_cannot_leave_the_address(self, typed):
        from html.parser import HTMLParser

        names = set()

        class Attributes(HTMLParser):
            def handle_starttag(self, tag, attrs):
                names.update(name for name, _value in attrs)

        Attributes().feed(str(render_markup(typed)))
        assert names <= {"href", "class"}

    @pytest.mark.parametrize(
        "text", ["- " * 10000 + "x", "> " * 10000 + "x", "1. " * 5000 + "x", "\t" * 5000 + "- x"]
    )
    def test_markers_nested_without_end_render_as_plain_text(self, text):
        html = str(render_markup(text))
        assert html.endswith("x</p>")

    def test_nesting_up_to_the_limit_keeps_its_structure(self):
        text = "\n".join("    " * level + "- niveau" for level in range(MAX_DEPTH))
        assert str(render_markup(text)).count("<ul>") == MAX_DEPTH
        assert markup_depth(text) == MAX_DEPTH


class TestTheReportStillRenders:
    def test_150_nested_quotations_in_a_session_note_give_a_pdf(self, session):
        session.reconstruction = ">" * 150 + " Zo ging het."
        session.save()
        assert report_pdf("tussenrapportage", session.evaluation).startswith(b"%PDF")

    def test_a_link_in_a_note_prints_its_text_and_address_and_is_clickable(self, session):
        import io

        from pypdf import PdfReader

        session.lessons = "Zie [het plan](https://example.org/plan-2024) voor de details."
        session.save()
        reader = PdfReader(io.BytesIO(report_pdf("tussenrapportage", session.evaluation)))
        text = " ".join(page.extract_text() for page in reader.pages)
        assert "het plan (https://example.org/plan-2024)" in " ".join(text.split())
        uris = [
            annotation.get_object()["/A"].get("/URI")
            for page in reader.pages
            for annotation in page.get("/Annots", [])
            if annotation.get_object().get("/A")
        ]
        assert "https://example.org/plan-2024" in uris


class TestFormsRefuseWithTheFieldsName:
    def test_a_paradox_longer_than_the_limit_is_refused_naming_the_field(
        self, client, analyst, evaluation
    ):
        client.force_login(analyst)
        url = reverse("reports:section", args=[evaluation.slug, "paradoxen"])
        response = client.post(
            url, {"ambitie-title": "Motor versus proces", "ambitie-practice": "- punt\n" * 3000}
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "Beschrijving vanuit de praktijk is te lang: hooguit 20000 tekens, nu 20999." in html
        assert not Paradox.objects.exists()

    def test_quotations_nested_too_deep_are_refused_naming_the_field(
        self, client, analyst, evaluation
    ):
        client.force_login(analyst)
        block = outline_for(evaluation, "eindrapport").blocks.get(slot="reason")
        url = reverse("reports:block", args=[evaluation.slug, block.pk])
        response = client.post(url, {"body": ">" * 150 + " diep"})
        html = response.content.decode()
        assert "Tekst: lijsten en citaten staan 150 niveaus diep in elkaar" in html
        block.refresh_from_db()
        assert "diep" not in block.body

    def test_a_session_note_that_is_too_long_is_refused_with_the_reason(
        self, client, analyst, evaluation, session
    ):
        client.force_login(analyst)
        url = reverse("reports:session_notes", args=[evaluation.slug, session.pk])
        response = client.post(url, {"lessons": "x" * 20001}, follow=True)
        assert "Lessen is te lang: hooguit 20000 tekens, nu 20001." in response.content.decode()
        session.refresh_from_db()
        assert session.lessons == ""

    def test_the_model_refuses_too_long_text_outside_forms_too(self, session):
        session.insights = "x" * 20001
        with pytest.raises(ValidationError) as error:
            session.full_clean()
        assert error.value.message_dict["insights"] == [
            "Inzichten is te lang: hooguit 20000 tekens, nu 20001."
        ]

    def test_the_admin_form_refuses_too_long_text(self, admin_client, session):
        url = reverse("admin:workshop_reconstructionsession_change", args=[session.pk])
        page = admin_client.get(url)
        assert page.status_code == 200
        assert 'maxlength="20000"' in page.content.decode()
        assert isinstance(ReconstructionSession._meta.get_field("lessons").max_length, int)
