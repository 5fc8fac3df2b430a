from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluatiespiegel.management.commands.demo import DEMO_SLUG

from .conftest import allocate


def overview_url(evaluation) -> str:
    return reverse("sessions:overview", args=[evaluation.slug])


def test_anonymous_visitors_are_sent_to_the_login_page(client, evaluation):
    response = client.get(overview_url(evaluation))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_facilitator_of_another_evaluation_gets_404(client, evaluation, other_facilitator):
    client.force_login(other_facilitator)
    assert client.get(overview_url(evaluation)).status_code == 404


def test_a_logged_in_user_without_any_evaluation_gets_404(client, evaluation, django_user_model):
    client.force_login(django_user_model.objects.create_user("niemand"))
    assert client.get(overview_url(evaluation)).status_code == 404


def test_the_facilitator_sees_key_moments_sessions_participants_and_counts(
    client, facilitator, evaluation, session, verteller, reflector
):
    allocate(session, verteller)
    client.force_login(facilitator)
    response = client.get(overview_url(evaluation))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ondertekening" in html
    assert "Dag 1" in html
    assert "Vera Verteller" in html and "Rob Reflector" in html
    assert "1 / 2" in html  # allocations received / group size
    assert evaluation.join_code in html
    assert response.context["allocation_count"] == 1
    # Only the verteller scored: the reflector is on the list but did not take part.
    assert response.context["role_counts"] == [("Vertellers", 1), ("Reflectoren", 0)]


def test_the_analyst_of_this_evaluation_may_see_the_overview(client, analyst, evaluation):
    client.force_login(analyst)
    assert client.get(overview_url(evaluation)).status_code == 200


def test_home_lists_only_my_evaluations(client, facilitator, evaluation, other_evaluation):
    client.force_login(facilitator)
    html = client.get(reverse("home")).content.decode()
    assert evaluation.title in html
    assert other_evaluation.title not in html


def test_the_demo_overview_renders_with_a_fixed_number_of_queries(client, db):
    call_command("demo", stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="facilitator"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/e/{DEMO_SLUG}/")
    assert response.status_code == 200
    assert "Alliantie Markermeerdijken" in response.content.decode()
    assert len(queries) <= 12, [q["sql"] for q in queries]


@pytest.mark.parametrize("language, heading", [("nl", "Sleutelmomenten"), ("en", "Key moments")])
def test_the_overview_speaks_the_chosen_language(
    client, facilitator, evaluation, language, heading
):
    client.force_login(facilitator)
    client.cookies["django_language"] = language
    assert heading in client.get(overview_url(evaluation)).content.decode()
