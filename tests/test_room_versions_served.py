"""Room versions across processes (issue 14): the real server (nginx, two gunicorn workers,
its memcached) answers idle polls from the cache, and a change made by a third process
reaches the next poll, whichever worker answers it."""

import os

import pytest

from bench.loadkit import Client, kit, run_in_thread, running_server, temporary_database
from sessions import live

HTMX = {"HX-Request": "true"}


@pytest.fixture(scope="module")
def server():
    with (
        temporary_database(os.environ.get("DATABASE_URL")) as url,
        running_server(url, participants=3, workers=2, claimed=True) as running,
    ):
        yield running


async def _polls(server, path: str, params: dict, times: int) -> list:
    client = Client(server.url)
    try:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return [await client.request("GET", f"{path}?{query}", headers=HTMX) for _ in range(times)]
    finally:
        await client.close()


def _first(server, path):
    (response,) = run_in_thread(_polls(server, path, {}, 1))
    signature = response.body.split(b'data-signature="')[1].split(b'"')[0].decode()
    return {"sig": signature, "rv": response.headers[live.HEADER.lower()][0]}


def test_a_change_in_another_process_reaches_the_next_poll(server):
    person = server.seed["participants"][0]
    path = f"/p/{person['token']}/live/"
    params = _first(server, path)
    idle = run_in_thread(_polls(server, path, params, 10))
    assert {r.status for r in idle} == {204}
    assert all(live.HEADER.lower() not in r.headers for r in idle)  # from the cache alone

    kit(
        server.database_url,
        "change",
        {"session": server.seed["session"], "state": "gesloten"},
        memcached=server.memcached,
    )
    (after,) = run_in_thread(_polls(server, path, params, 1))
    assert after.status == 200 and b"Even geduld" in after.body


def test_a_name_released_by_another_process_stops_at_the_next_poll(server):
    person = server.seed["participants"][1]
    path = f"/p/{person['token']}/live/"
    params = _first(server, path)
    assert {r.status for r in run_in_thread(_polls(server, path, params, 4))} == {204}
    kit(server.database_url, "change", {"release": person["pk"]}, memcached=server.memcached)
    (after,) = run_in_thread(_polls(server, path, params, 1))
    assert after.headers.get("hx-redirect") == ["/doe-mee/"]
