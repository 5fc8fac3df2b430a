"""A form posted after the login ended comes back to its page after logging in, not to the
form's POST-only address (new-user pass: a 405 page, and the typed text gone)."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _next(response) -> str:
    assert response.status_code == 302
    return parse_qs(urlparse(response["Location"]).query)["next"][0]


@pytest.fixture
def notes_url(evaluation, session):
    page = reverse("sessions:session", args=[evaluation.slug, session.pk])
    post = reverse("reports:session_notes", args=[evaluation.slug, session.pk])
    return page, post


def test_a_post_without_login_returns_to_the_page_it_came_from(client, notes_url):
    page, post = notes_url
    response = client.post(post, {"lessons": "x"}, HTTP_REFERER=f"http://testserver{page}")
    assert _next(response) == page


def test_a_post_from_another_site_returns_home(client, notes_url):
    _page, post = notes_url
    response = client.post(post, {"lessons": "x"}, HTTP_REFERER="http://elders.example/e/x/")
    assert _next(response) == reverse("home")


def test_a_post_without_referer_returns_home(client, notes_url):
    _page, post = notes_url
    assert _next(client.post(post, {"lessons": "x"})) == reverse("home")


def test_a_page_opened_without_login_returns_to_itself(client, notes_url):
    page, _post = notes_url
    assert _next(client.get(page)) == page
