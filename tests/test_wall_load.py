"""200 participants write on the wall and give stippen at once, against the production
server (gunicorn, two workers) on a fresh database of the test run's kind: every
contribution arrives once (a double click included), every stip given is kept."""

import os

import pytest

from bench.loadkit import run_in_thread, running_server, temporary_database
from bench.wall import room, wall_kit

PARTICIPANTS = 200


@pytest.fixture(scope="module")
def server():
    with (
        temporary_database(os.environ.get("DATABASE_URL")) as url,
        running_server(url, participants=PARTICIPANTS, workers=2, claimed=True) as running,
    ):
        yield running


def test_two_hundred_participants_write_and_vote_with_nothing_lost_or_doubled(server):
    prompt = wall_kit(server.database_url, "prompt", {"slug": server.seed["slug"]})["prompt"]
    timings, given = run_in_thread(room(server, prompt, window=5.0, tail=3.0))
    assert timings.errors == []
    assert len(timings.samples["schrijven"]) == 2 * PARTICIPANTS  # each sent twice
    check = wall_kit(server.database_url, "verify", {"prompt": prompt})
    assert check["contributions"] == PARTICIPANTS
    assert check["per_person_max"] == 1
    assert check["votes"] == given > 0
