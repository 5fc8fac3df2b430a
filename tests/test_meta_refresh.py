"""Every automatic refresh lands on a page that a browser can fetch.

A participant without JavaScript sent points into a round that had just closed; the answer
(a page rendered for that POST) refreshed itself every 15 seconds, and a refresh without a
target re-requests the page's own address with GET: the POST-only submit URL answered 405
forever. The kind: any page whose meta refresh points at an address that cannot be fetched
with GET. This sweep asks every page of the world (tests/urlmap.py) as every kind of visitor,
and the POST answers of the participant's forms, and follows each refresh.
"""

import re

import pytest
from django.test import Client

from sessions.models import PromptState, SessionState

from .urlmap import Visitor, routes, visit_as

REFRESH = re.compile(
    r"<meta\s+http-equiv=[\"']refresh[\"']\s+content=[\"']([^\"']*)[\"']", re.IGNORECASE
)


def refresh_targets(html: str, own_url: str) -> list[str]:
    """The addresses the page's meta refreshes load: the own address when none is named."""
    targets = []
    for content in REFRESH.findall(html):
        match = re.search(r"url\s*=\s*(\S+)", content, re.IGNORECASE)
        targets.append(match.group(1).strip("'\"") if match else own_url)
    return targets


def _pages(world) -> list[str]:
    urls = []
    for route in routes():
        if route.is_admin or route.name is None or route.pattern.startswith("i18n/"):
            continue
        try:
            urls.append(route.url(world))
        except Exception:  # noqa: BLE001 - a route the world cannot fill is test_urlmap's
            continue
    return urls


def _assert_refreshes_work(client: Client, response, own_url: str, who: str) -> list[str]:
    failures = []
    html = response.content.decode(errors="replace")
    for target in refresh_targets(html, own_url):
        answer = client.get(target)
        if answer.status_code not in (200, 302):
            failures.append(f"{who}: {own_url} ververst naar {target} → {answer.status_code}")
    return failures


@pytest.mark.django_db
def test_every_meta_refresh_in_every_page_answers_get(world):
    # No open round and no open wall: nothing to type in, so the participant's page waits and
    # refreshes itself.
    world.evaluation.sessions.filter(state=SessionState.OPEN).update(state=SessionState.GESLOTEN)
    world.evaluation.prompts.filter(state=PromptState.OPEN).update(state=PromptState.GESLOTEN)
    failures, refreshing = [], 0
    for visitor in (Visitor.PARTICIPANT, Visitor.FACILITATOR, Visitor.ANONYMOUS):
        client = visit_as(Client(), visitor, world)
        for url in _pages(world):
            response = client.get(url)
            refreshing += bool(REFRESH.search(response.content.decode(errors="replace")))
            failures += _assert_refreshes_work(client, response, url, visitor.value)
    assert refreshing, "de sweep vond geen enkele pagina die zichzelf ververst"
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_a_refused_submit_without_javascript_refreshes_to_the_personal_page(world):
    """The tester's path: the round closed while the form was filled in, then Verstuur."""
    from django.urls import reverse

    world.evaluation.sessions.filter(state=SessionState.OPEN).update(state=SessionState.GESLOTEN)
    client = visit_as(Client(), Visitor.PARTICIPANT, world)
    token = world.participant.claim.token
    failures = []
    for session in world.sessions.values():
        url = reverse("participant:submit", args=[token, session.pk])
        response = client.post(url, {"ambitie": 10})
        assert response.status_code < 500
        failures += _assert_refreshes_work(client, response, url, "deelnemer na POST")
    assert not failures, "\n".join(failures)
