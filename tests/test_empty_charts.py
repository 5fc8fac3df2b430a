"""No chart without data: a placeholder sentence instead, and each message once.

The tester saw, on the projector of a round with live results and no scores, an empty x/y
chart (plotly's fallback for a figure without traces) with axes −1…6 and −1…4, an empty
condition table and "Balans 100%"; with one or two scores "Te weinig puntenverdelingen…"
twice; and the same empty chart on /resultaten/ for a session with one score. The kind: every
chart, table or figure of the team's pages with empty or hidden data. This sweep goes through
the states of tests/test_state_sweep.py and reads every chart a page would draw.
"""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from scoring.charts import figure_has_data, spider_figure
from scoring.models import Allocation
from scoring.services import empty_aggregate

from .test_state_sweep import WORLDS, build_world

CHART = re.compile(r'data-figure="([^"]+)"')


def _figures(html: str) -> dict[str, dict]:
    figures = {}
    for figure_id in CHART.findall(html):
        match = re.search(
            rf'<script id="{re.escape(figure_id)}" type="application/json">(.*?)</script>',
            html,
            re.DOTALL,
        )
        assert match, f"chart {figure_id} without its data"
        figures[figure_id] = json.loads(match.group(1))
    return figures


def _pages(world: dict) -> list[str]:
    slug, pk = world["evaluation"].slug, world["session"].pk
    return [
        reverse("sessions:projector", args=[slug, pk]),
        reverse("sessions:projector", args=[slug, pk]) + "?weergave=individueel",
        reverse("sessions:projector", args=[slug, pk]) + "?weergave=spreiding",
        reverse("sessions:session", args=[slug, pk]),
        reverse("sessions:results", args=[slug]),
        reverse("sessions:results", args=[slug]) + "?rol=vertellers",
        reverse("sessions:insights", args=[slug]),
        reverse("sessions:insights", args=[slug]) + "?rol=reflectoren",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "stamps", "visibility", "group"), WORLDS)
def test_no_page_draws_a_chart_without_data(state, stamps, visibility, group):
    world = build_world(state, stamps, visibility, group)
    client = Client()
    client.force_login(world["facilitator"])
    counted = Allocation.objects.counted().filter(session=world["session"]).count()
    failures = []
    for url in _pages(world):
        html = client.get(url).content.decode()
        for figure_id, figure in _figures(html).items():
            if not figure_has_data(figure):
                failures.append(f"{url}: grafiek {figure_id} zonder gegevens")
        text = re.sub(r"<[^>]+>", " ", html)
        repeated = len(re.findall(r"te weinig puntenverdelingen", text, re.IGNORECASE))
        if "/projector/" in url and repeated > 1:
            failures.append(f"{url}: 'te weinig puntenverdelingen' {repeated} keer")
        if "/projector/" in url and not counted and "Balans" in text:
            failures.append(f"{url}: een balans zonder puntenverdelingen")
    assert not failures, "\n".join(failures)


def test_a_figure_without_a_shown_series_has_no_data():
    assert not figure_has_data(spider_figure(empty_aggregate().series))


@pytest.mark.django_db
def test_the_projector_says_once_why_there_is_no_chart(client, facilitator, evaluation, session):
    from scoring.services import session_state_set

    from .conftest import allocate

    session_state_set(session=session, live_results=True)
    client.force_login(facilitator)
    url = reverse("sessions:projector", args=[evaluation.slug, session.pk])
    text = client.get(url).content.decode()
    assert "Nog geen puntenverdelingen: het spindiagram verschijnt zodra er gescoord is." in text
    assert "data-figure=" not in text and "Balans" not in text and "data-means" not in text
    allocate(session, session.participants.first())
    text = client.get(url).content.decode()
    assert text.count("Te weinig puntenverdelingen") == 1
    assert "1 ingestuurd, minstens 3 nodig" in text
