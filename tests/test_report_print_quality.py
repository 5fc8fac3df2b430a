"""What the PDF's reader meets besides the words: no layout warnings, a document title
that says each name once, no heading left alone at the foot of a page, characters the
bundled fonts cannot draw never printed as boxes."""

import io
import logging

import pytest
from pypdf import PdfReader

from reports.builder import report_render
from reports.outline import outline_for, preset_apply
from reports.printables import CARDS, PROGRAMME, printable_html
from reports.rendering import render_docx, render_pdf

from .conftest import allocate


@pytest.fixture
def scored(session, verteller, reflector):
    allocate(session, verteller, ambitie=4, belangen=1, relatie=2, organisatie=2, proces=1)
    allocate(session, reflector, ambitie=1, belangen=3, relatie=2, organisatie=2, proces=2)
    preset_apply(outline=outline_for(session.evaluation, "eindrapport"), preset="rijk")
    return session.evaluation


DOCUMENTS = {
    "eindrapport": lambda e: report_render("eindrapport", e, for_pdf=True),
    "tussenrapportage": lambda e: report_render("tussenrapportage", e, for_pdf=True),
    "deelnemerskaarten": lambda e: printable_html(CARDS, e, site_url="http://testserver/"),
    "dagprogramma": lambda e: printable_html(PROGRAMME, e),
}


@pytest.mark.parametrize("document", DOCUMENTS)
def test_weasyprint_lays_out_every_document_without_a_warning(scored, caplog, document):
    """report.css:126 held `@media screen and (max-width: 640px)`: WeasyPrint warned on
    every report. The preview's rules now live in a stylesheet the PDF never loads."""
    html = DOCUMENTS[document](scored)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_pdf(html)
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
    assert warnings == []


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("", "Alliantie Testdijk"),
        ("Eindrapport Alliantie Testdijk", "Eindrapport Alliantie Testdijk"),
        ("Samen sterker", "Samen sterker · Alliantie Testdijk"),
    ],
)
def test_the_pdf_and_word_title_say_the_evaluation_once(scored, title, expected):
    from reports.defaults import report_text_for

    text = report_text_for(scored)
    text.title = title
    text.save()
    html = report_render("eindrapport", scored, for_pdf=True)
    pdf = PdfReader(io.BytesIO(render_pdf(html)))
    assert pdf.metadata.title == expected
    from docx import Document

    assert Document(io.BytesIO(render_docx(html))).core_properties.title == expected
