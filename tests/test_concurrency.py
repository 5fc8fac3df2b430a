"""200 participants at once against the real production server, with nothing lost.

Starts gunicorn (two worker processes) on a free loopback port, on a fresh database of
the same kind as the test run (SQLite here, PostgreSQL in CI's second run), and stops it.
"""

import os

import pytest

from bench.loadkit import (
    facilitator_client,
    figure_from,
    kit,
    projector_path,
    run_in_thread,
    running_server,
    temporary_database,
    workshop_burst,
)

PARTICIPANTS = 200


@pytest.fixture(scope="module")
def server():
    with (
        temporary_database(os.environ.get("DATABASE_URL")) as url,
        running_server(url, participants=PARTICIPANTS, workers=2) as running,
    ):
        yield running


async def read_projector(server):
    client = facilitator_client(server)
    try:
        return await client.request("GET", projector_path(server))
    finally:
        await client.close()


def test_two_hundred_participants_submit_at_once_and_half_change(server):
    # Everyone within 2 seconds ("the same moment" for a room), changes within the next 2.
    burst = run_in_thread(workshop_burst(server, window=2.0, change_window=2.0, seed=7))
    assert burst.timings.errors == []
    assert len(burst.timings.samples["submit"]) == PARTICIPANTS + PARTICIPANTS // 2
    assert burst.timings.samples["poll"], "the projector polled during the burst"

    check = kit(
        server.database_url, "verify", {"session": server.seed["session"], "last": burst.last}
    )
    assert check["allocations"] == PARTICIPANTS
    assert check["duplicates"] == 0
    assert check["missing"] == 0
    assert check["mismatches"] == 0, "an allocation differs from what its participant sent last"
    assert check["history"] == burst.effective_changes

    projector = run_in_thread(read_projector(server))
    assert projector.status == 200
    vertellers, reflectoren, everyone = figure_from(projector.body)
    means = check["means"]
    assert vertellers == [round(v, 2) for v in means["verteller"]]
    assert reflectoren == [round(v, 2) for v in means["reflector"]]
    assert everyone == [round(v, 2) for v in means["alle"]]
