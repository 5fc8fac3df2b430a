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


# Lines that introduce what follows, like a heading: the paradox's "AMBITIE | vanuit de
# theorie", a session's key moment and names under its heading.
HEADING_LIKE = {"condition-label", "session-meta", "session-names"}


def _lowest_line_is_a_heading(page) -> str | None:
    """The heading's text when the lowest thing laid out on `page` (a line of text or a
    picture, margin boxes aside) belongs to a heading, else None."""
    from weasyprint.formatting_structure import boxes

    found = []  # (bottom, heading text or None)

    def walk(box, heading):
        if isinstance(box, boxes.MarginBox):
            return
        tag = getattr(box, "element_tag", None)
        classes = set((box.element.get("class") or "").split()) if tag else set()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") or classes & HEADING_LIKE:
            heading = " ".join(box.element.itertext()).strip()
        if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
            found.append((box.position_y + box.height, heading))
            return
        for child in getattr(box, "children", []):
            walk(child, heading)

    walk(page._page_box, None)
    return max(found, key=lambda f: f[0])[1] if found else None


@pytest.mark.parametrize("follower", ["text", "figure", "table", "paradoxes"])
def test_no_heading_stands_alone_at_the_foot_of_a_page(evaluation, follower, key_moment):
    """Forty headings, each after a text one line longer than the last: some heading falls
    at every height of the page. None may end a page; it goes over with what it heads."""
    from weasyprint import HTML

    from reports.models import BlockKind, Paradox, Part, ReportBlock
    from reports.outline import block_add
    from reports.pdf import BASE_URL, StaticOnlyFetcher
    from scoring.conditions import Condition

    outline = outline_for(evaluation, "eindrapport")
    outline.blocks.all().delete()
    sentence = "Een regel tekst die ongeveer de breedte van de kolom vult, niet meer. "
    parts = {"figure": Part.MODEL_FIGURE, "table": Part.KEY_MOMENTS, "paradoxes": Part.PARADOXES}
    for number, condition in enumerate(Condition, start=1):
        Paradox.objects.create(
            evaluation=evaluation,
            condition=condition,
            title=f"Kracht {number} versus tegenkracht",
            practice=sentence * (number * 2),
            theory=sentence * (number + 3),
        )
    for n in range(1, 41):
        block_add(
            outline=outline,
            block=ReportBlock(kind=BlockKind.HEADING, level=2, title=f"Kop nummer {n}"),
        )
        if follower in parts and n % 2:
            block_add(
                outline=outline,
                block=ReportBlock(kind=BlockKind.GENERATED, part=parts[follower]),
            )
        block_add(
            outline=outline, block=ReportBlock(kind=BlockKind.TEXT, body=sentence * (n % 9 + 1))
        )
    html = report_render("eindrapport", evaluation, for_pdf=True)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render()
    assert len(document.pages) > 5
    alone = [
        (number, heading)
        for number, page in enumerate(document.pages, start=1)
        if (heading := _lowest_line_is_a_heading(page))
    ]
    assert alone == []


def test_emoji_are_left_out_and_other_undrawable_characters_marked(scored):
    """An emoji or a Chinese word in a text printed as an empty box: the bundled fonts lack
    them. Emoji are left out; other characters become '�' (reports/glyphs.py)."""
    from reports.glyphs import REPLACEMENT, drawable
    from reports.models import BlockKind, ReportBlock
    from reports.outline import block_add

    block_add(
        outline=outline_for(scored, "eindrapport"),
        block=ReportBlock(kind=BlockKind.TEXT, body="Goed gedaan 👍🏽 in 中文, café ✓ → 2,5"),
    )
    person = scored.participants.first()
    person.name = "Vera 🌷 Verteller"
    person.save()
    known = drawable()
    for html in (
        report_render("eindrapport", scored, for_pdf=True),
        report_render("eindrapport", scored, for_pdf=False),
        printable_html(CARDS, scored, site_url="http://testserver/"),
        printable_html(PROGRAMME, scored),
    ):
        assert all(ord(c) in known or c in "\n\r\t" for c in html)
    html = report_render("eindrapport", scored, for_pdf=True)
    assert "Goed gedaan  in " + REPLACEMENT * 2 + ", café ✓ → 2,5" in html
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(html))).pages)
    assert "café ✓ → 2,5" in text and "👍" not in text
