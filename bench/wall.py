"""Load benchmark of the slotdialoog's wall (issue 15): 200 participants write and give stippen.

Usage: python -m bench.wall [--participants 200] [--window 30]
PostgreSQL too when BENCH_POSTGRES_URL is set (make bench sets it where it can).

Every participant opens their personal page at a random moment within the window, writes a
contribution (sent twice, as a double click does), reads the wall and gives three stippen to
others' contributions, while the wall on their page polls every 3 s and one projector polls
every second. Printed: p50/p95/p99 per kind of request in ms, errors, and whether the
database holds exactly one contribution per participant and every stip given (nothing lost,
nothing twice). The p95 of writing and of a stip are printed beside the goal of the room's
submit (issue 14: ≤ 50 ms).
"""

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import time
from urllib.parse import urlencode

from .loadkit import (
    PYTHON,
    ROOT,
    Client,
    Timings,
    _env,
    csrf_from,
    running_server,
    temporary_database,
    timed,
)

GOAL_P95_MS = 50.0
VOTE_URL = re.compile(rb'action="(/p/[^"]+/slotdialoog/bijdragen/(\d+)/stip/)"')
VERSION = re.compile(rb'id="slotdialoog"[^>]*data-version="([^"]+)"')
PROJECTOR_VERSION = re.compile(rb'data-version="([^"]+)"')


def wall_kit(database_url: str, action: str, payload: dict) -> dict:
    """Run an action of this module ("prompt", "verify") in a subprocess on the database."""
    result = subprocess.run(
        [PYTHON, "-m", "bench.wall", action],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(database_url),
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"bench.wall {action} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


async def _participant(server, person: dict, prompt: int, rng, window: float, timings, stop):
    client = Client(server.url)
    await asyncio.sleep(rng.uniform(0, window))
    page_path = f"/p/{person['token']}/"
    page = await timed(timings, "pagina", client.request("GET", page_path))
    if page.status != 200:
        timings.errors.append(f"pagina {page.status}")
        return 0
    csrf = csrf_from(page.body)
    headers = {"HX-Request": "true", "X-CSRFToken": csrf}
    form = {
        "csrfmiddlewaretoken": csrf,
        "text": f"Aanbeveling van {person['name']}: {rng.random():.6f}",
        "client_token": f"bench-{person['pk']}",
    }
    url = f"{page_path}slotdialoog/vragen/{prompt}/schrijven/"
    for _twice in range(2):  # a double click: the same form, twice
        response = await timed(timings, "schrijven", client.request("POST", url, form, headers))
        if response.status != 200 or b"slotdialoog" not in response.body:
            timings.errors.append(f"schrijven {response.status}")
    wall_path = f"{page_path}slotdialoog/"
    given = 0
    await asyncio.sleep(rng.uniform(1, 4))
    wall = await timed(timings, "wand-poll", client.request("GET", wall_path, headers=headers))
    votes = [m.group(1).decode() for m in VOTE_URL.finditer(wall.body)]
    for vote_url in rng.sample(votes, min(3, len(votes))):
        response = await timed(
            timings,
            "stip",
            client.request("POST", vote_url, {"csrfmiddlewaretoken": csrf}, headers),
        )
        if response.status != 200 or b"Je stip staat erop" not in response.body:
            timings.errors.append(f"stip {response.status}")
        else:
            given += 1
    match = VERSION.search(wall.body)
    version = match.group(1).decode() if match else ""
    # As static/js/live.js does: the room version of the last answer goes back as `rv`.
    seen = (wall.headers.get("x-room-version") or [""])[0]
    while not stop.is_set():
        await asyncio.sleep(3)
        query = urlencode({"v": version, "rv": seen})
        poll = await timed(
            timings, "wand-poll", client.request("GET", f"{wall_path}?{query}", headers=headers)
        )
        if poll.status in (200, 204):
            seen = (poll.headers.get("x-room-version") or [seen])[0]
        if poll.status == 200:
            match = VERSION.search(poll.body)
            version = match.group(1).decode() if match else version
        elif poll.status != 204:
            timings.errors.append(f"wand-poll {poll.status}")
    await client.close()
    return given


async def _projector(server, timings, stop):
    client = Client(server.url)
    client.cookies["sessionid"] = server.seed["facilitator_session"]
    path = f"/e/{server.seed['slug']}/slotdialoog/projector/live/"
    version = ""
    while not stop.is_set():
        response = await timed(
            timings,
            "projector",
            client.request("GET", f"{path}?v={version}", headers={"HX-Request": "true"}),
        )
        if response.status == 200:
            match = PROJECTOR_VERSION.search(response.body)
            version = match.group(1).decode() if match else version
        elif response.status != 204:
            timings.errors.append(f"projector {response.status}")
        await asyncio.sleep(1)
    await client.close()


async def room(server, prompt: int, window: float, seed: int = 7, tail: float = 8.0):
    """The whole room writing and voting within `window` seconds, the polls going on `tail`
    seconds after; returns the timings and how many stippen were given."""
    rng = random.Random(seed)
    timings = Timings()
    stop = asyncio.Event()
    people = server.seed["participants"]
    projector = asyncio.create_task(_projector(server, timings, stop))
    tasks = [
        asyncio.create_task(
            _participant(server, p, prompt, random.Random(rng.random()), window, timings, stop)
        )
        for p in people
    ]
    await asyncio.sleep(window + tail)
    stop.set()
    given = sum(await asyncio.gather(*tasks))
    await projector
    return timings, given


def run(database: str, url: str | None, participants: int, window: float) -> list[str]:
    lines = []
    workers = int(os.environ.get("WEB_CONCURRENCY", max(2, os.cpu_count() or 2)))
    with (
        temporary_database(url) as db_url,
        running_server(db_url, participants=participants, workers=workers, claimed=True) as server,
    ):
        prompt = wall_kit(db_url, "prompt", {"slug": server.seed["slug"]})["prompt"]
        started = time.perf_counter()
        timings, given = asyncio.run(room(server, prompt, window))
        elapsed = time.perf_counter() - started
        check = wall_kit(db_url, "verify", {"prompt": prompt})
    exact = check["contributions"] == participants and check["per_person_max"] == 1
    votes_ok = check["votes"] == given
    print(
        f"{database:<11}  {participants} deelnemers in {window:.0f} s "
        f"({60 * participants / window:.0f} bijdragen per minuut), {elapsed:.0f} s gemeten",
        flush=True,
    )
    for name in ("pagina", "schrijven", "stip", "wand-poll", "projector"):
        p50, p95, p99, n = timings.percentiles(name)
        print(f"{'':<11}  {name:<10} p50 {p50:6.1f}  p95 {p95:6.1f}  p99 {p99:6.1f} ms  (n={n})")
    print(
        f"{'':<11}  fouten {len(timings.errors)}; bijdragen {check['contributions']} "
        f"(één per deelnemer, dubbelklik niet dubbel: {'ja' if exact else 'NEE'}); stippen "
        f"{check['votes']} van {given} gegeven ({'ja' if votes_ok else 'NEE'})",
        flush=True,
    )
    if timings.errors:
        print("    eerste fouten:", timings.errors[:3], flush=True)
    for name in ("schrijven", "stip"):
        p95 = timings.percentiles(name)[1]
        ok = p95 <= GOAL_P95_MS and not timings.errors and exact and votes_ok
        lines.append(
            f"{database:<11}  wand {participants} deelnemers: p95 {name:<10} {p95:>8.1f} ms"
            f"   doel ≤ {GOAL_P95_MS:.0f} ms   {'gehaald' if ok else 'niet gehaald'}"
        )
    return lines


# --- Subprocess actions on the server's database -------------------------------------------


def _prompt(payload: dict) -> dict:
    from sessions.models import Evaluation, Prompt, PromptState

    evaluation = Evaluation.objects.get(slug=payload["slug"])
    prompt = Prompt.objects.create(
        evaluation=evaluation,
        title="Welke aanbeveling geef je een nieuwe alliantie?",
        state=PromptState.OPEN,
    )
    return {"prompt": prompt.pk}


def _verify(payload: dict) -> dict:
    from django.db.models import Count, Max

    from sessions.models import Contribution, Vote

    contributions = Contribution.objects.filter(prompt_id=payload["prompt"])
    per_person = contributions.values("participant").annotate(n=Count("pk"))
    return {
        "contributions": contributions.count(),
        "per_person_max": per_person.aggregate(m=Max("n"))["m"] or 0,
        "votes": Vote.objects.filter(prompt_id=payload["prompt"]).count(),
    }


def main() -> None:
    import sys

    if len(sys.argv) > 1 and sys.argv[1] in ("prompt", "verify"):
        import django

        django.setup()
        payload = json.loads(sys.stdin.read() or "{}")
        action = {"prompt": _prompt, "verify": _verify}[sys.argv[1]]
        print(json.dumps(action(payload)))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--window", type=float, default=30.0)
    args = parser.parse_args()
    databases = [("SQLite", None)]
    if os.environ.get("BENCH_POSTGRES_URL"):
        databases.append(("PostgreSQL", os.environ["BENCH_POSTGRES_URL"]))
    print(
        "\nWand van de slotdialoog: ieder schrijft één bijdrage (twee keer verstuurd, zoals een "
        "dubbelklik), leest de wand en geeft drie stippen; de wand op ieders pagina pollt elke "
        "3 s, één projector elke seconde."
    )
    summary = []
    for database, url in databases:
        summary += run(database, url, args.participants, args.window)
    print("\nDoelen (issue 15), deze run:")
    for line in summary:
        print(line)


if __name__ == "__main__":
    main()
