"""The browser tests' server gives each request its own database connection, as gunicorn does.

Django's shared in-memory SQLite test database made the live server hand one connection (and
its one transaction) to every request thread: with a projector polling every second, a
facilitator's click could be committed or rolled back by another request half-way, and CI
failed now and then on tests/e2e/test_wall.py. The tests' SQLite database is a file (settings).
"""

import http.cookiejar
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import reverse

from scoring.models import Allocation
from sessions.models import KeyMoment, Participant, Phase, ReconstructionSession, Role, SessionState
from tests.conftest import make_evaluation, personal_token, points

PEOPLE = 12


def submit_over_http(base: str, token: str, session_id: int, spread: dict[str, int]) -> int:
    """What a participant's browser does: open their page (CSRF cookie), then send points."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}{reverse('participant:page', args=[token])}").read()
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    url = f"{base}{reverse('participant:submit', args=[token, session_id])}"
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(spread).encode(),
        headers={"X-CSRFToken": csrf, "HX-Request": "true", "Referer": url},
    )
    with opener.open(request) as answer:
        return answer.status


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_to_the_live_server_are_all_kept(live_server):
    evaluation = make_evaluation()
    moment = KeyMoment.objects.create(
        evaluation=evaluation, order=1, title="Gunning", phase=Phase.START, period="2016"
    )
    session = ReconstructionSession.objects.create(
        evaluation=evaluation, key_moment=moment, day=1, slot=1, state=SessionState.OPEN
    )
    people = [
        Participant.objects.create(
            evaluation=evaluation, name=f"Deelnemer {i}", role=Role.REFLECTOR
        )
        for i in range(PEOPLE)
    ]
    session.participants.set(people)
    tokens = [personal_token(person) for person in people]
    spreads = [points(ambitie=2 + i % 3, proces=2 - i % 3) for i in range(PEOPLE)]

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        statuses = list(
            pool.map(
                lambda job: submit_over_http(live_server.url, job[0], session.pk, job[1]),
                zip(tokens, spreads, strict=True),
            )
        )

    assert statuses == [200] * PEOPLE
    kept = {a.participant_id: a.ambitie for a in Allocation.objects.filter(session=session)}
    assert kept == {
        person.pk: spread["ambitie"] for person, spread in zip(people, spreads, strict=True)
    }
