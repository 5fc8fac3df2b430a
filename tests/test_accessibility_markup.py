"""Accessibility in the HTML itself (fast; the browser tests run axe-core on every page)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from scoring.charts import figure_text, spider_figure
from scoring.services import session_aggregate, session_state_set
from sessions.models import SessionState

from .conftest import allocate, personal_token


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.references: list[tuple[str, str]] = []
        self.empty_headers = 0
        self._in_th = False
        self._th_text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("aria-describedby", "aria-labelledby"):
            for ref in (attrs.get(name) or "").split():
                self.references.append((name, ref))
        if tag == "th":
            self._in_th, self._th_text = True, ""

    def handle_data(self, data):
        if self._in_th:
            self._th_text += data

    def handle_endtag(self, tag):
        if tag == "th":
            self._in_th = False
            self.empty_headers += not self._th_text.strip()


def parsed(response) -> _Ids:
    assert response.status_code == 200
    parser = _Ids()
    parser.feed(response.content.decode())
    return parser


def missing_references(page: _Ids) -> list[tuple[str, str]]:
    return [(name, ref) for name, ref in page.references if ref not in page.ids]


@pytest.fixture
def logged_in(client, facilitator):
    client.force_login(facilitator)
    return client


def test_help_texts_have_the_ids_the_widgets_point_at(logged_in, evaluation, session):
    pages = [
        reverse("sessions:session", args=[evaluation.slug, session.pk]),
        reverse("sessions:participants", args=[evaluation.slug]),
        reverse("sessions:session_create", args=[evaluation.slug]),
        reverse("sessions:key_moment_create", args=[evaluation.slug]),
    ]
    for url in pages:
        assert missing_references(parsed(logged_in.get(url))) == [], url


def test_field_errors_have_the_ids_the_widgets_point_at(client, logged_in, evaluation):
    response = logged_in.post(reverse("sessions:key_moment_create", args=[evaluation.slug]), {})
    page = _Ids()
    page.feed(response.content.decode())
    assert any(ref.endswith("_error") for _name, ref in page.references)
    assert missing_references(page) == []


def test_the_means_table_names_its_first_column(logged_in, evaluation, session, verteller):
    allocate(session, verteller, ambitie=4, belangen=1, relatie=2, organisatie=2, proces=1)
    session_state_set(session=session, state=SessionState.GESLOTEN, revealed=True)
    page = parsed(logged_in.get(reverse("sessions:projector", args=[evaluation.slug, session.pk])))
    assert page.empty_headers == 0


def test_the_projector_chart_is_an_image_described_by_its_means(
    logged_in, evaluation, session, verteller, reflector
):
    evaluation.min_group_size = 1  # means of one shown here (privacy: test_privacy.py)
    evaluation.save()
    allocate(session, verteller, ambitie=4, belangen=1, relatie=2, organisatie=2, proces=1)
    allocate(session, reflector, ambitie=1, belangen=3, relatie=2, organisatie=2, proces=2)
    session_state_set(session=session, state=SessionState.GESLOTEN, revealed=True)
    response = logged_in.get(reverse("sessions:projector", args=[evaluation.slug, session.pk]))
    html = response.content.decode()
    assert 'role="img" aria-label="Spindiagram: gemiddelde punten per conditie"' in html
    assert f'aria-describedby="figure-{session.pk}-text"' in html
    assert "Alle deelnemers (n = 2): Ambitie 2,5, Belangen 2,0, Relatie 2,0" in html
    assert missing_references(parsed(response)) == []


def test_the_chart_text_lists_every_named_series_and_skips_anonymous_polygons(
    evaluation, session, verteller, reflector
):
    evaluation.min_group_size = 1  # means of one shown here (privacy: test_privacy.py)
    evaluation.save()
    allocate(session, verteller, ambitie=4, belangen=1, relatie=2, organisatie=2, proces=1)
    allocate(session, reflector, ambitie=1, belangen=3, relatie=2, organisatie=2, proces=2)
    figure = spider_figure(session_aggregate(session).series)
    figure["data"].insert(0, {"type": "scatterpolar", "r": [9, 9], "showlegend": False})
    text = figure_text(figure)
    assert text.startswith("Vertellers (n = 1): Ambitie 4,0, Belangen 1,0, Relatie 2,0")
    assert "Reflectoren (n = 1): Ambitie 1,0, Belangen 3,0" in text
    assert "9,0" not in text


def test_the_chart_text_rounds_its_numbers_instead_of_cutting_them_off():
    """4,06 reads 4,1: the demo's first round showed 'Ambitie 4,0' for a mean of 4,06."""
    figure = {
        "data": [
            {"type": "scatterpolar", "name": "Alle deelnemers", "theta": ["Ambitie", "Belangen"],
             "r": [4.06, 0.96]},
            {"type": "bar", "orientation": "h", "name": "Verschil", "y": ["Ambitie"],
             "x": [-1.06]},
        ]
    }  # fmt: skip
    assert figure_text(figure) == (
        "Alle deelnemers: Ambitie 4,1, Belangen 1,0. Verschil: Ambitie −1,1."
    )


def test_the_participant_page_has_a_heading_one_and_steppers_named_as_shown(
    client, session, verteller
):
    page = client.get(
        reverse("participant:page", args=[personal_token(verteller)])
    ).content.decode()
    assert '<h1 class="who">Vera Verteller' in page
    assert 'aria-label="+1 Ambitie">+1</button>' in page
    assert 'aria-label="−1 Ambitie">−1</button>' in page
    assert 'role="status" aria-live="polite" aria-atomic="true" data-counter' in page
