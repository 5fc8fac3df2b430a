"""Who took part: one definition behind every "N deelnemers deden mee" (issue 13, room2 item 1).

A name on the list that never scored did not take part; every count of participants the team
or the report reads says how many took part, not how many names are on the list.
"""

import pytest
from django.urls import reverse

from reports.builder import Snapshot
from sessions.models import Participant, Role
from sessions.services import participant_anonymise

from .conftest import allocate


@pytest.fixture
def silent(evaluation, session) -> Participant:
    """A verteller in the group who never scored."""
    person = Participant.objects.create(
        evaluation=evaluation, name="Stille Sien", organisation="Gemeente", role=Role.VERTELLER
    )
    session.participants.add(person)
    return person


@pytest.fixture
def scored(session, verteller, reflector, silent):
    allocate(session, verteller)
    allocate(session, reflector)


def test_a_name_that_never_scored_did_not_take_part(evaluation, scored, silent):
    took_part = set(evaluation.participants.took_part())
    assert silent not in took_part
    assert len(took_part) == 2


def test_someone_taken_out_of_the_group_after_scoring_no_longer_took_part(
    evaluation, session, scored, reflector
):
    session.participants.remove(reflector)
    participation = evaluation.participation()
    assert (participation.vertellers, participation.reflectoren) == (1, 0)


def test_someone_whose_name_was_removed_afterwards_still_took_part(evaluation, scored, verteller):
    participant_anonymise(participant=verteller)
    assert evaluation.participation().took_part == 2


def test_participation_counts_the_list_and_who_took_part_in_one_query(
    evaluation, scored, django_assert_num_queries
):
    with django_assert_num_queries(1):
        participation = evaluation.participation()
    assert participation.registered == 3
    assert participation.took_part == 2
    assert participation.role_counts() == [("Vertellers", 1), ("Reflectoren", 1)]


def test_the_overview_counts_who_took_part(client, facilitator, evaluation, scored):
    client.force_login(facilitator)
    response = client.get(reverse("sessions:overview", args=[evaluation.slug]))
    html = response.content.decode()
    assert '2</span><span class="stat-label">deelnemers deden mee' in html
    assert "van 3 op de lijst" in html
    assert response.context["role_counts"] == [("Vertellers", 1), ("Reflectoren", 1)]


def test_the_list_of_evaluations_says_how_many_took_part(client, facilitator, evaluation, scored):
    client.force_login(facilitator)
    html = client.get(reverse("home")).content.decode()
    assert "3 deelnemers, 2 deden mee" in html


def test_the_insights_page_counts_who_took_part(client, facilitator, evaluation, scored):
    client.force_login(facilitator)
    html = client.get(reverse("sessions:insights", args=[evaluation.slug])).content.decode()
    assert "2 deelnemers deden mee (1 vertellers, 1 reflectoren)" in html


def test_the_reports_method_figures_count_who_took_part(evaluation, scored):
    figures = Snapshot(evaluation).method_figures
    assert (figures["participants"], figures["vertellers"], figures["reflectoren"]) == (2, 1, 1)
