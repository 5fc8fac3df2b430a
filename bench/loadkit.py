"""Drive the production server (gunicorn) over loopback like a room full of participants.

Used by the concurrency test and by `make bench`. The server runs on its own database
(a temporary SQLite file, or a temporary PostgreSQL database next to DATABASE_URL), is
seeded and verified by subprocesses of this module, and is always stopped at the end.

The client is raw asyncio HTTP/1.1 with keep-alive: lean enough that the load generator
does not eat the two cores it shares with the server.
"""

import asyncio
import hashlib
import json
import os
import random
import re
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from evaluatiespiegel.serve import stack

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CONDITIONS = ["ambitie", "belangen", "relatie", "organisatie", "proces"]


# --- The server and its database ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def temporary_database(base_url: str | None):
    """A fresh, empty database of the same kind as base_url (SQLite when None)."""
    if not base_url or base_url.startswith("sqlite"):
        folder = tempfile.mkdtemp(prefix="spiegel-load-")
        yield f"sqlite:///{folder}/load.sqlite3"
        return
    import psycopg

    parts = urlsplit(base_url)
    name = f"spiegel_load_{uuid.uuid4().hex[:8]}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _env(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="evaluatiespiegel.settings",
        # The same key for the seeding subprocess and the server: the seeded login must hold.
        DJANGO_SECRET_KEY="load-test-" + hashlib.sha256(database_url.encode()).hexdigest(),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONPATH=str(ROOT),
    )
    return env


def kit(database_url: str, action: str, payload: dict, memcached: str = "") -> dict:
    """Run an action of this module in a subprocess on the server's database (and, given
    `memcached`, with the server's room versions: a change there reaches its polls)."""
    env = _env(database_url)
    if memcached:
        env["DJANGO_MEMCACHED"] = memcached
    result = subprocess.run(
        [PYTHON, "-m", "bench.loadkit", action],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"loadkit {action} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


@dataclass
class Server:
    url: str
    database_url: str
    groups: list[int]  # process groups of the server's parts (gunicorn, nginx)
    seed: dict = field(default_factory=dict)
    memcached: str = ""


@contextmanager
def running_server(
    database_url: str,
    *,
    participants: int,
    workers: int = 2,
    proxy: bool = True,
    worker=False,
    claimed: bool = False,
):
    """Migrate and seed a fresh database, start the server as `make serve` does (nginx in
    front of gunicorn; `proxy=False`: gunicorn alone) on a free port, stop it afterwards.

    With claimed=True every participant already picked their name (holds a claim) and the
    seed carries the token of their personal link.
    """
    env = _env(database_url)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    seed = kit(database_url, "seed", {"participants": participants, "claimed": claimed})
    env.update(
        GUNICORN_ACCESS_LOG=os.environ.get("BENCH_ACCESS_LOG", ""), GUNICORN_MAX_REQUESTS="0"
    )
    with stack(
        host="127.0.0.1",
        port=free_port(),
        env=env,
        workers=workers,
        proxy=proxy,
        worker=worker,
        quiet=True,
    ) as running:
        groups = [p.pid for p in running.processes.values()]
        yield Server(running.url, database_url, groups, seed, running.memcached)


# --- A lean HTTP/1.1 client --------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    def cookie(self, name: str) -> str | None:
        for value in self.headers.get("set-cookie", []):
            key, _, rest = value.partition("=")
            if key.strip() == name:
                return rest.split(";", 1)[0]
        return None


class Client:
    """One keep-alive connection with its own cookie jar, like one participant's browser."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self.reader = self.writer = None

    async def close(self):
        if self.writer:
            self.writer.close()
            with suppress(OSError):
                await self.writer.wait_closed()
            self.writer = None

    async def request(
        self, method: str, path: str, form: dict | None = None, headers=None
    ) -> Response:
        for attempt in range(2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            try:
                return await self._send(method, path, form, headers or {})
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _send(self, method, path, form, headers) -> Response:
        body = urlencode(form).encode() if form is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            lines.append("Content-Type: application/x-www-form-urlencoded")
            lines.append(f"Content-Length: {len(body)}")
        lines += [f"{k}: {v}" for k, v in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readuntil(b"\r\n")
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        parsed: dict[str, list[str]] = {}
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            key, _, value = line.decode("latin-1").partition(":")
            parsed.setdefault(key.strip().lower(), []).append(value.strip())
        length = int(parsed.get("content-length", ["0"])[0])
        data = await self.reader.readexactly(length) if length else b""
        if "close" in parsed.get("connection", [""])[0].lower():
            await self.close()
        response = Response(status, parsed, data)
        for value in parsed.get("set-cookie", []):
            key, _, rest = value.partition("=")
            self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response


CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_from(body: bytes) -> str:
    match = CSRF_FIELD.search(body)
    if not match:
        raise AssertionError("no CSRF token in page")
    return match.group(1).decode()


# --- What a participant and a projector do ----------------------------------------------


@dataclass
class Timings:
    samples: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, name: str, seconds: float) -> None:
        self.samples.setdefault(name, []).append(seconds)

    def percentiles(self, name: str) -> tuple[float, float, float, int]:
        values = sorted(self.samples.get(name, []))
        if not values:
            return (0.0, 0.0, 0.0, 0)

        def pct(p):
            return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000

        return pct(50), pct(95), pct(99), len(values)


async def timed(timings: Timings, name: str, call) -> Response:
    started = time.perf_counter()
    response = await call
    timings.add(name, time.perf_counter() - started)
    return response


def random_points(rng: random.Random) -> dict[str, int]:
    draws = rng.choices(CONDITIONS, k=10)
    return {c: draws.count(c) for c in CONDITIONS}


async def participant_join(client: Client, seed: dict, person: dict, timings: Timings) -> str:
    """Type the code (as from the QR link), pick yourself, open your page. Returns the page path."""
    response = await client.request("GET", f"/doe-mee/?code={seed['join_code']}")
    if response.status != 302:
        timings.errors.append(f"join {response.status}")
    pick = await client.request("GET", f"/doe-mee/kies/?zoek={person['name'].replace(' ', '+')}")
    response = await client.request(
        "POST",
        "/doe-mee/kies/",
        {"csrfmiddlewaretoken": csrf_from(pick.body), "participant": person["pk"]},
    )
    if response.status != 302:
        timings.errors.append(f"pick {response.status}")
    return urlsplit(response.headers["location"][0]).path


@dataclass
class Phone:
    """One participant's browser on their page: the page's path, its CSRF token, what its
    poll sends (updated by a submit's answer, as scoring.js does) and the version of the
    points its form was drawn from."""

    path: str
    csrf: str
    poll: "PagePoll | None"
    version: str | None = ""  # None: the page shows saved points, no form ("Wijzigen" first)
    others: list = field(default_factory=list)  # the page's other regions (PagePoll)


CARD_SIGNATURE = re.compile(rb'class="card session-card"[^>]*?data-signature="([^"]*)"')
FORM_VERSION = re.compile(rb'name="versie" value="([^"]*)"')


async def participant_open(client: Client, page_path: str, timings: Timings) -> Phone | None:
    """Open the participant's page once, as the browser does after picking a name."""
    page = await timed(timings, "page", client.request("GET", page_path))
    if page.status != 200:
        timings.errors.append(f"page {page.status}")
        return None
    version = FORM_VERSION.search(page.body)
    others = [
        poll
        for poll in (
            PagePoll.of_region(page.body, "slotdialoog"),
            PagePoll.of_region(page.body, "participant-timer"),
        )
        if poll is not None
    ]
    return Phone(
        page_path,
        csrf_from(page.body),
        PagePoll.participant(page.body),
        version.group(1).decode() if version else None,
        others,
    )


async def participant_submit(
    client: Client, phone: Phone, session_id: int, points: dict, timings: Timings
) -> None:
    """Send the points as the page's htmx form does. The answer is the card: its signature
    renews the rounds' part of the poll's (the slotdialoog's part after "|" stays)."""
    form = {
        "csrfmiddlewaretoken": phone.csrf,
        "versie": phone.version,
        **{k: str(v) for k, v in points.items()},
    }
    response = await timed(
        timings,
        "submit",
        client.request(
            "POST",
            f"{phone.path}sessies/{session_id}/punten/",
            form,
            {"HX-Request": "true", "X-CSRFToken": phone.csrf},
        ),
    )
    if response.status != 200 or b"Je punten zijn opgeslagen" not in response.body:
        timings.errors.append(f"submit {response.status}")
        return
    signature = CARD_SIGNATURE.search(response.body)
    if signature and phone.poll is not None:
        old = phone.poll.signature or ""
        wall = old[old.index("|") :] if "|" in old else ""
        phone.poll.signature = signature.group(1).decode() + wall


async def participant_change(
    client: Client, phone: Phone, session_id: int, points: dict, timings: Timings
) -> None:
    """'Wijzigen': htmx fetches the card as a form (with the version of the points it shows),
    then the changed points are sent."""
    card = await timed(
        timings,
        "page",
        client.request(
            "GET",
            f"{phone.path}sessies/{session_id}/?wijzig=1",
            headers={"HX-Request": "true"},
        ),
    )
    version = FORM_VERSION.search(card.body)
    if card.status != 200 or not version:
        timings.errors.append(f"wijzigen {card.status}")
        return
    phone.version = version.group(1).decode()
    await participant_submit(client, phone, session_id, points, timings)


def projector_path(server: Server) -> str:
    return f"/e/{server.seed['slug']}/sessies/{server.seed['session']}/projector/live/"


def facilitator_client(server: Server) -> "Client":
    client = Client(server.url)
    client.cookies["sessionid"] = server.seed["facilitator_session"]
    return client


def figure_from(body: bytes) -> list[list[float]]:
    """The r values of each trace in the projector fragment's chart data."""
    match = re.search(
        rb'<script id="figure-\d+" type="application/json">(.*?)</script>', body, re.S
    )
    if not match:
        raise AssertionError("no chart data in the projector fragment")
    figure = json.loads(match.group(1))
    return [trace["r"][:5] for trace in figure["data"]]


async def projector_poll(server: Server, stop: asyncio.Event, timings: Timings, every: float = 1.0):
    """A projector polling its live endpoint, sending the version it has seen."""
    client = facilitator_client(server)
    path = projector_path(server)
    version, room = "", None
    try:
        while not stop.is_set():
            query = urlencode({"v": version, **({"rv": room} if room else {})})
            response = await timed(
                timings,
                "poll",
                client.request("GET", f"{path}?{query}", headers={"HX-Request": "true"}),
            )
            room = (response.headers.get(ROOM_HEADER) or [None])[0] or room
            if response.status == 200:
                match = re.search(rb'data-version="([^"]+)"', response.body)
                version = match.group(1).decode() if match else version
            elif response.status != 204:
                timings.errors.append(f"poll {response.status}")
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every)
    finally:
        await client.close()


LIVE_URL = re.compile(rb'id="participant-live"[^>]*?hx-get="([^"]+)"')
LIVE_SIGNATURE = re.compile(rb'id="participant-live"[^>]*?data-signature="([^"]*)"')
ROOM_HEADER = "x-room-version"


def live_url_from(body: bytes) -> str | None:
    """The poll URL of a participant's waiting screen, as the page's htmx would ask it."""
    match = LIVE_URL.search(body)
    return match.group(1).decode().replace("&amp;", "&") if match else None


@dataclass
class PagePoll:
    """One polling element as the page's scripts drive it: scoring.js sends the signature of
    what the page shows (`sig`), live.js the room version of the last answer (`rv`)."""

    url: str
    signature: str | None = None
    version: str | None = None
    region: str = ""  # the element's id when its hx-get carries what it has seen (outerHTML)
    every: float | None = None  # its hx-trigger's "every N s"; None: only when told (an event)

    @classmethod
    def participant(cls, page: bytes) -> "PagePoll | None":
        url = live_url_from(page)
        if url is None:
            return None
        match = LIVE_SIGNATURE.search(page)
        return cls(url, match.group(1).decode() if match else None)

    @classmethod
    def of_region(cls, page: bytes, element: str) -> "PagePoll | None":
        """A region that polls with its own hx-get (the wall: ?v=, the timer: ?sig=); its
        answer replaces it, and with it the URL of the next poll."""
        url, every = _region(page, element)
        return cls(url, region=element, every=every) if url else None

    def path(self) -> str:
        params = {}
        if self.signature is not None:
            params["sig"] = self.signature
        if self.version:
            params["rv"] = self.version
        joiner = "&" if "?" in self.url else "?"
        return f"{self.url}{joiner}{urlencode(params)}" if params else self.url

    def seen(self, response: "Response") -> None:
        version = (response.headers.get(ROOM_HEADER) or [None])[0]
        if version or response.status in (200, 286):
            self.version = version  # a 204 from the cache names none: the one sent holds
        if response.status == 200 and self.region:
            url, every = _region(response.body, self.region)
            if url:
                self.url, self.every = url, every
        elif response.status == 200:
            match = LIVE_SIGNATURE.search(response.body)
            if match:
                self.signature = match.group(1).decode()


def _region(body: bytes, element: str) -> tuple[str | None, float | None]:
    """The element's poll URL and its interval in seconds (None: it polls only on an event)."""
    match = re.search(rb'<[^>]*id="' + element.encode() + rb'"[^>]*>', body)
    if not match:
        return None, None
    url = re.search(rb'hx-get="([^"]+)"', match.group(0))
    every = re.search(rb'hx-trigger="[^"]*every (\d+)s', match.group(0))
    return (
        url.group(1).decode().replace("&amp;", "&") if url else None,
        float(every.group(1)) if every else None,
    )


async def waiting_poll(
    server: Server,
    phone: Phone,
    stop: asyncio.Event,
    timings: Timings,
    every: float = 3.0,
    cookies: dict[str, str] | None = None,
):
    """A participant's page while it is open, over one more connection (a browser opens a
    second one while the first is busy): the rounds' poll every 3 s, with the signature the
    page's submits renew (timed as "wacht"); the page's wall and clock as their hx-trigger
    says: on their interval while they have something to follow, else once when the rounds'
    answer tells them to look again (HX-Trigger), timed as "wacht-overig". With the
    browser's `cookies` (its device cookie: a personal link answers only the device that
    holds the name)."""
    client = Client(server.url)
    client.cookies.update(cookies or {})
    loop = asyncio.get_running_loop()
    regions = phone.others
    # Phones do not poll in step: each starts at its own moment in its interval.
    live_due = loop.time() + random.random() * every
    due = [loop.time() + random.random() * (r.every or 0) if r.every else None for r in regions]
    try:
        while not stop.is_set():
            waiting = [(live_due, -1)] + [(d, i) for i, d in enumerate(due) if d is not None]
            at, index = min(waiting)
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, at - loop.time()))
            if stop.is_set():
                break
            poll = phone.poll if index < 0 else regions[index]
            name = "wacht" if index < 0 else "wacht-overig"
            response = await timed(
                timings, name, client.request("GET", poll.path(), headers={"HX-Request": "true"})
            )
            poll.seen(response)
            if response.status not in (200, 204) or "hx-redirect" in response.headers:
                # A redirect is a page that stopped following the room (a lost name).
                timings.errors.append(f"{name} {response.status}")
            now = loop.time()
            if index < 0:
                live_due = now + every
                if response.headers.get("hx-trigger"):
                    due = [now for _r in regions]  # the regions look again once, at once
            else:
                due[index] = now + poll.every if poll.every else None
    finally:
        await client.close()


DOWNLOAD_LINK = re.compile(rb'href="([^"]+)" data-render-download')


async def analyst_downloads(
    server: Server, kind: str, stop: asyncio.Event, timings: Timings
) -> int:
    """An analyst who asks for a report as PDF, waits for it and downloads it, again and again
    until `stop`. Returns how many PDFs were downloaded."""
    client = facilitator_client(server)
    base = f"/e/{server.seed['slug']}/rapport/"
    done = 0
    try:
        workspace = await client.request("GET", base)
        token = csrf_from(workspace.body)
        while not stop.is_set():
            started = time.perf_counter()
            status = await client.request(
                "POST",
                f"{base}{kind}/",
                {"csrfmiddlewaretoken": token},
                {"HX-Request": "true", "X-CSRFToken": token},
            )
            while not DOWNLOAD_LINK.search(status.body) and not stop.is_set():
                if status.status != 200 or b"data-render-error" in status.body:
                    timings.errors.append(f"rapport {status.status}")
                    return done
                await asyncio.sleep(0.5)
                status = await client.request(
                    "GET", f"{base}{kind}/", headers={"HX-Request": "true"}
                )
            match = DOWNLOAD_LINK.search(status.body)
            if match:
                pdf = await client.request("GET", match.group(1).decode())
                if not pdf.body.startswith(b"%PDF"):
                    timings.errors.append(f"download {pdf.status}")
                done += 1
                timings.add(f"rapport-{kind}", time.perf_counter() - started)
    finally:
        await client.close()
    return done


@dataclass
class Burst:
    timings: Timings
    last: dict[int, dict]  # participant pk -> the points they sent last
    effective_changes: int  # submits that changed something: each one an audit record


async def workshop_burst(
    server: Server,
    *,
    window: float,
    change_window: float,
    seed: int = 1,
    join: bool = True,
    waiting: bool = False,
    devices: dict[int, dict[str, str]] | None = None,
) -> Burst:
    """Everyone joins and submits once at a random moment in `window` seconds; then half of
    them change their points within the next `change_window` seconds; a projector polls
    its live endpoint every second meanwhile. Each participant does what their browser does:
    open the page once, send the points with htmx, and for a change fetch the card as a form
    ("Wijzigen") and send again; their page's poll sends the signature the answers renewed.

    With join=False participants already joined earlier in the day (the usual shape of
    every round after the first): they come back through their personal link. With
    waiting=True every participant's page then polls every 3 s until the burst ends, as
    their phones do (every region of the page that polls). `devices` ({participant pk:
    cookies}) is each participant's browser across bursts on one server: a personal link
    belongs to the device that opened it first, so a later round comes from the same one."""
    rng = random.Random(seed)
    timings = Timings()
    last: dict[int, dict] = {}
    effective = 0
    start = asyncio.get_running_loop().time()
    stop = asyncio.Event()
    projector = asyncio.create_task(projector_poll(server, stop, timings))
    people = server.seed["participants"]
    changers = set(rng.sample(range(len(people)), len(people) // 2))
    session_id = server.seed["session"]

    loop = asyncio.get_running_loop()

    async def one(index: int, person: dict):
        nonlocal effective
        client = Client(server.url)
        if devices is not None:
            client.cookies = devices.setdefault(person["pk"], client.cookies)
        first_at = start + rng.random() * window
        change_at = start + window + rng.random() * change_window
        points, changed = random_points(rng), random_points(rng)
        try:
            await asyncio.sleep(max(0.0, first_at - loop.time()))
            if join:
                page = await participant_join(client, server.seed, person, timings)
            else:
                page = f"/p/{person['token']}/"
            phone = await participant_open(client, page, timings)
            if phone is None:
                return
            # Points saved in an earlier burst show as a card: "Wijzigen" first, as in a browser.
            send = participant_submit if phone.version is not None else participant_change
            await send(client, phone, session_id, points, timings)
            last[person["pk"]] = points
            effective += 1
            if waiting:
                if phone.poll is None:
                    timings.errors.append("wachtscherm zonder poll-URL")
                else:
                    pollers.append(
                        asyncio.create_task(
                            waiting_poll(
                                server, phone, stop_waiting, timings, cookies=client.cookies
                            )
                        )
                    )
            if index in changers:
                await asyncio.sleep(max(0.0, change_at - loop.time()))
                await participant_change(client, phone, session_id, changed, timings)
                last[person["pk"]] = changed
                effective += changed != points
        except Exception as error:  # a load test reports every failure, it does not stop
            timings.errors.append(f"{type(error).__name__}: {error}")
        finally:
            await client.close()

    pollers: list[asyncio.Task] = []
    stop_waiting = asyncio.Event()
    await asyncio.gather(*(one(i, p) for i, p in enumerate(people)))
    stop_waiting.set()
    stop.set()
    await asyncio.gather(projector, *pollers)
    return Burst(timings, last, effective)


async def closed_loop(
    server: Server, path_for, *, clients: int, seconds: float
) -> tuple[float, int]:
    """Clients without think time hammer one request; returns (requests per second, errors)."""
    done = 0
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker(n: int):
        nonlocal done, errors
        client = Client(server.url)
        try:
            setup = await path_for(client, n)
            while time.perf_counter() < deadline:
                response = await setup(client)
                if response.status >= 400:
                    errors += 1
                done += 1
        finally:
            await client.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(clients)))
    return done / (time.perf_counter() - started), errors


def server_cpu_seconds(server: "Server") -> float:
    """CPU time used so far by the server's processes: gunicorn, its workers, nginx and the
    report worker when it runs (from /proc)."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # fields[2] is the parent pid, [3] the process group; [11], [12] utime and stime.
        if int(fields[3]) in server.groups:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def run_in_thread(coroutine):
    """asyncio.run in a thread of its own: callers may already have an event loop running
    (pytest-playwright keeps one open in the main thread for the whole test session)."""
    result: dict = {}

    def target():
        try:
            result["value"] = asyncio.run(coroutine)
        except BaseException as error:  # handed to the caller below
            result["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- Subprocess actions on the server's database ----------------------------------------


def _seed(payload: dict) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from sessions.models import (
        Claim,
        Evaluation,
        EvaluationMember,
        KeyMoment,
        Participant,
        Phase,
        ReconstructionSession,
        Role,
        SessionState,
    )

    evaluation = Evaluation.objects.create(title="Belastingtest", slug="belasting")
    km = KeyMoment.objects.create(
        evaluation=evaluation, order=1, title="Piekmoment", phase=Phase.CRISIS
    )
    people = Participant.objects.bulk_create(
        Participant(
            evaluation=evaluation,
            name=f"Deelnemer {i:04d}",
            role=Role.VERTELLER if i % 3 == 0 else Role.REFLECTOR,
        )
        for i in range(payload["participants"])
    )
    session = ReconstructionSession.objects.create(
        evaluation=evaluation,
        key_moment=km,
        day=1,
        slot=1,
        state=SessionState.OPEN,
        live_results=True,
    )
    session.participants.set(people)
    tokens = {}
    if payload.get("claimed"):
        claims = Claim.objects.bulk_create(Claim(participant=p) for p in people)
        tokens = {c.participant_id: c.token for c in claims}
    user = get_user_model().objects.create_user("projector", password=uuid.uuid4().hex)
    EvaluationMember.objects.create(evaluation=evaluation, user=user, role="facilitator")
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return {
        "slug": evaluation.slug,
        "join_code": evaluation.join_code,
        "session": session.pk,
        "participants": [
            {"pk": p.pk, "token": tokens.get(p.pk, ""), "name": p.name} for p in people
        ],
        "facilitator_session": store.session_key,
    }


def _verify(payload: dict) -> dict:
    from django.db.models import Count

    from scoring.conditions import CONDITION_FIELDS
    from scoring.models import Allocation, AllocationChange
    from scoring.services import session_aggregate
    from sessions.models import ReconstructionSession

    session = ReconstructionSession.objects.get(pk=payload["session"])
    expected = {int(k): v for k, v in payload["last"].items()}
    stored = {a.participant_id: a.points for a in Allocation.objects.filter(session=session)}
    per_participant = dict(
        Allocation.objects.filter(session=session)
        .values_list("participant_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    aggregate = session_aggregate(session)
    return {
        "allocations": len(stored),
        "duplicates": sum(1 for n in per_participant.values() if n != 1),
        "mismatches": sum(1 for pk, pts in expected.items() if stored.get(pk) != pts),
        "missing": sum(1 for pk in expected if pk not in stored),
        "history": AllocationChange.objects.filter(session=session).count(),
        "means": {s.key: [round(v, 6) for v in s.values] for s in aggregate.series},
        "fields": list(CONDITION_FIELDS),
    }


def _change(payload: dict) -> dict:
    """A change made by another process than the server's: close or reopen the session, or
    release a participant's name."""
    from scoring.services import session_state_set
    from sessions.models import Participant, ReconstructionSession
    from sessions.services import claim_release

    if "state" in payload:
        session = ReconstructionSession.objects.get(pk=payload["session"])
        session_state_set(session=session, state=payload["state"])
    if "release" in payload:
        claim_release(participant=Participant.objects.get(pk=payload["release"]))
    return {}


def _main() -> None:
    import django

    django.setup()
    action = sys.argv[1]
    payload = json.loads(sys.stdin.read() or "{}")
    result = {"seed": _seed, "verify": _verify, "change": _change}[action](payload)
    print(json.dumps(result))


if __name__ == "__main__":
    _main()
