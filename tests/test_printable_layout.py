"""Every printable keeps its header on every page and sane column widths, also with long
titles. (A new-user pass hung up a day programme whose second page said neither which day
nor which round, with the key moment wrapped one word a line next to a long member list.)"""

import io

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from reports.pdf import BASE_URL, StaticOnlyFetcher, render_pdf
from reports.printables import CARDS, PROGRAMME, printable_html
from sessions.models import KeyMoment, Participant, Phase, ReconstructionSession, Role

LONG_TITLE = (
    "Onderhandelingen over de verdeling van de risico's bij de versterking van de dijk tussen "
    "Hoorn en Amsterdam"
)


@pytest.fixture
def long_day(evaluation):
    """One day with two rounds of six groups each: more than one A4 page. Every group has a
    long key-moment title, a long room name and eight people with long names."""
    people = [
        Participant.objects.create(
            evaluation=evaluation,
            name=f"Persoon met een lange dubbele achternaam Van Gelderen-Tiemersma {n}",
            role=Role.VERTELLER if n % 2 else Role.REFLECTOR,
        )
        for n in range(8)
    ]
    for order in range(1, 13):
        moment = KeyMoment.objects.create(
            evaluation=evaluation, order=order, title=f"{LONG_TITLE} ({order})", phase=Phase.START
        )
        session = ReconstructionSession.objects.create(
            evaluation=evaluation,
            key_moment=moment,
            day=1,
            slot=1 if order <= 6 else 2,
            room=f"Grote vergaderzaal op de derde verdieping, vleugel {order}",
        )
        session.participants.set(people)
    return evaluation


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_every_page_of_a_day_says_the_evaluation_day_and_round(long_day):
    pages = _pages(render_pdf(printable_html(PROGRAMME, long_day)))
    assert len(pages) >= 3, "the fixture is meant to run over pages"
    for number, text in enumerate(pages, start=1):
        assert f"{long_day.title} · Dag 1 · Ronde" in text, f"page {number}"
        assert "Groep of zaal Sleutelmoment Deelnemers" in text, f"page {number}: table head"
    # The round in the header is the one on that page.
    assert "Dag 1 · Ronde 2" in pages[-1]


def _cells(box, found):
    if getattr(box, "element_tag", None) == "td":
        found.append(box)
        return found
    for child in getattr(box, "children", []):
        _cells(child, found)
    return found


def test_the_key_moment_column_is_wide_enough_for_words(long_day):
    html = printable_html(PROGRAMME, long_day)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render()
    cells = [c for page in document.pages for c in _cells(page._page_box, [])]
    assert len(cells) == 12 * 3
    widths = [cell.width for cell in cells[:3]]
    total = sum(widths)
    room, moment, members = (w / total for w in widths)
    # The key moment gets about a third of the row whatever the member list; before, it got
    # ~10 %, one word a line.
    assert moment >= 0.3
    assert room >= 0.12 and members >= 0.35
    for cell in cells:  # nothing runs out of its cell
        assert all(
            line.width <= cell.width + 0.5 for line in cell.children if hasattr(line, "width")
        )


def test_every_card_says_the_evaluation_on_its_own_page(long_day):
    pages = _pages(render_pdf(printable_html(CARDS, long_day, site_url="http://testserver/")))
    assert len(pages) == 8
    assert all(long_day.title in text for text in pages)
