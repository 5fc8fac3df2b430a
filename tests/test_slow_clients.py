"""Slow clients cannot stop the server (issue 9.13).

Clients that send one header line every few seconds used to hold gunicorn's sync workers:
with two of them, `/gezond/` timed out for as long as they stayed. `make serve` puts nginx
in front, which reads whole requests before gunicorn sees them. This starts the server as
`make serve` does, on a fresh database of the same kind as the test run.
"""

import os
import socket
import threading
from urllib.parse import urlsplit

import pytest

from bench.loadkit import running_server, temporary_database

WORKERS = 2


@pytest.fixture(scope="module")
def server():
    with (
        temporary_database(os.environ.get("DATABASE_URL")) as url,
        running_server(url, participants=2, workers=WORKERS) as running,
    ):
        yield running


def address(server) -> tuple[str, int]:
    parts = urlsplit(server.url)
    return parts.hostname, parts.port


def trickle(server, stop: threading.Event, started: threading.Event) -> None:
    """A client that starts a request and then sends one header line per second."""
    with socket.create_connection(address(server)) as s:
        s.sendall(b"GET /gezond/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        started.set()
        line = 0
        while not stop.wait(1.0):
            line += 1
            try:
                s.sendall(f"X-Traag-{line}: ja\r\n".encode())
            except OSError:
                return  # the server dropped us: that is allowed


def health(server) -> int:
    # Not a speed limit: a server that answers at all answers this within seconds.
    with socket.create_connection(address(server), timeout=5) as s:
        s.sendall(b"GET /gezond/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        return int(s.recv(64).split()[1])


def test_the_server_answers_while_more_slow_clients_than_workers_trickle_headers(server):
    stop = threading.Event()
    slow = []
    for _ in range(2 * WORKERS):
        started = threading.Event()
        thread = threading.Thread(target=trickle, args=(server, stop, started), daemon=True)
        thread.start()
        started.wait(5)
        slow.append(thread)
    try:
        stop.wait(2.0)  # the slow clients are well into their requests
        assert [health(server) for _ in range(5)] == [200] * 5
    finally:
        stop.set()
        for thread in slow:
            thread.join(5)
