"""One definition of "who scored" on every screen (issue 9, item 4).

A participant taken out of a group after scoring counted on one screen (3/17) and not on
another (2/17). The rule now: an allocation counts while its author is in the session's group.
"""

import re

import pytest
from django.urls import reverse

from scoring.models import Allocation
from scoring.services import session_aggregate
from sessions.models import Participant, Role

from .conftest import allocate


@pytest.fixture
def removed_after_scoring(session, verteller, reflector):
    """Three scored; then the verteller was moved out of the group."""
    extra = Participant.objects.create(
        evaluation=session.evaluation, name="Rita Reflector", role=Role.REFLECTOR
    )
    session.participants.add(extra)
    for person in (verteller, reflector, extra):
        allocate(session, person, ambitie=6, belangen=1, relatie=1, organisatie=1, proces=1)
    session.participants.remove(verteller)
    return session


def _counts(html: str) -> set[str]:
    return set(re.findall(r"(\d+) (?:van|/) (\d+)", html))


def test_a_removed_participant_no_longer_counts_anywhere(
    client, facilitator, evaluation, removed_after_scoring
):
    session = removed_after_scoring
    client.force_login(facilitator)
    slug = evaluation.slug
    pages = {
        "projector": reverse("sessions:projector", args=[slug, session.pk]),
        "console": reverse("sessions:console", args=[slug]),
        "overview": reverse("sessions:overview", args=[slug]),
    }
    for name, url in pages.items():
        html = client.get(url).content.decode()
        assert ("2", "2") in _counts(html), name
        assert ("3", "2") not in _counts(html), name
    session_page = client.get(reverse("sessions:session", args=[slug, session.pk]))
    assert len(session_page.context["submitted"]) == 2
    assert session_aggregate(session).n == 2


def test_putting_them_back_counts_their_points_again(removed_after_scoring, verteller):
    removed_after_scoring.participants.add(verteller)
    assert session_aggregate(removed_after_scoring).n == 3
    assert Allocation.objects.counted().count() == 3


def test_the_reports_count_the_same(client, analyst, evaluation, removed_after_scoring):
    client.force_login(analyst)
    preview = client.get(reverse("reports:preview", args=[evaluation.slug]))
    assert preview.status_code == 200
    figures = next(
        item.ctx["figures_"]
        for sheet in preview.context["sheets"]
        for item in sheet
        if item.part == "method_figures"
    )
    assert figures["allocations"] == 2
