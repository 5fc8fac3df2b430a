"""Every 4xx a person can meet says what happened and what to do, in Dutch (privacy2 item 3).

A revoked projector link answered the generic "Er ging iets mis … Foutcode 410": the error
page middleware replaced the view's own words with the general text. The kind: a status
without its own page (410), and a view's bare message ("Onbekende actie.") dropped.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from evaluatiespiegel.errors import ERRORS, GENERIC
from sessions.services import projector_link_set

from .test_error_pages import assert_dutch_error_page

REVOKED = "Deze projectorlink is ingetrokken; vraag de facilitator om een nieuwe"


@pytest.fixture
def revoked_link(session):
    link = projector_link_set(evaluation=session.evaluation, active=True)
    projector_link_set(evaluation=session.evaluation, active=False)
    return link


@pytest.mark.parametrize(
    "name, with_session",
    [
        ("projector_link", False),
        ("wall_projector_link", False),
        ("projector_link_session", True),
    ],
)
def test_a_revoked_projector_link_says_so_and_what_to_do(revoked_link, session, name, with_session):
    args = [revoked_link.token, session.pk] if with_session else [revoked_link.token]
    response = Client().get(reverse(name, args=args))
    body = assert_dutch_error_page(response, 410)
    assert REVOKED in body
    assert "Er ging iets mis" not in body


def _statuses_in_source() -> set[int]:
    """Every 4xx the app's own code answers with, read from its source."""
    found = set()
    classes = {
        "HttpResponseBadRequest": 400,
        "HttpResponseForbidden": 403,
        "HttpResponseNotFound": 404,
        "HttpResponseGone": 410,
        "Http404": 404,
        "PermissionDenied": 403,
        "HttpResponseNotAllowed": 405,
    }
    for app in ("sessions", "reports", "scoring", "evaluatiespiegel"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            text = path.read_text()
            found |= {int(s) for s in re.findall(r"\b(4\d\d)\b", text) if "status" in text}
            found |= {status for name, status in classes.items() if name in text}
    return {s for s in found if 400 <= s < 500}


def test_every_4xx_the_app_answers_has_a_page_of_its_own():
    statuses = _statuses_in_source()
    assert {400, 403, 404, 405, 410, 413, 429} <= statuses  # the sweep reads what it should
    missing = sorted(s for s in statuses if ERRORS.get(s, GENERIC) == GENERIC)
    assert not missing, f"4xx without a Dutch page that says what to do: {missing}"


def test_a_views_own_message_is_kept_on_the_dutch_page(client, facilitator, session):
    client.force_login(facilitator)
    url = reverse("sessions:session_state", args=[session.evaluation.slug, session.pk])
    body = assert_dutch_error_page(client.post(url, {"action": "ontploffen"}), 400)
    assert "Onbekende actie." in body
