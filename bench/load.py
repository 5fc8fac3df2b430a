"""Load benchmark of the production server (`make serve`: nginx → gunicorn → database).

Usage: python -m bench.load [--quick] [--only burst|capacity|reports|nginx]
PostgreSQL is used when BENCH_POSTGRES_URL is set (make bench sets it where it can).

Every figure that issue 14 sets a goal for is printed beside its goal with "gehaald" or
"niet gehaald", and repeated in a summary at the end. The machine is shared: compare the
ratios within one run, not absolute rates between runs. Capacity ratios are given twice:
requests per second (what a client sees) and server CPU per request (what the server pays,
less sensitive to other load on the machine).

BENCH_ACCESS_LOG=<file> keeps gunicorn's access log of every server the bench starts (with
GUNICORN_CMD_ARGS="--access-logformat '%(m)s %(U)s %(s)s %(D)s'": where the server's time went,
per path).
"""

import argparse
import asyncio
import os
import re
import time
from urllib.parse import urlencode

from .loadkit import (
    Client,
    PagePoll,
    Timings,
    analyst_downloads,
    closed_loop,
    cpu_seconds,
    csrf_from,
    kit,
    participant_join,
    projector_path,
    running_server,
    server_cpu_seconds,
    temporary_database,
    workshop_burst,
)

WINDOW = 10.0
CHANGE_WINDOW = 10.0
CAPACITY_SECONDS = 8.0
CAPACITY_CLIENTS = 16
WORKERS = int(os.environ.get("WEB_CONCURRENCY", max(2, os.cpu_count() or 2)))  # as make serve
GOAL_SUBMIT_RATIO = {"SQLite": 0.25, "PostgreSQL": 0.20}
GOAL_POLL_RATIO = 0.5
GOAL_BURST_P95_MS = 50.0
GOAL_REPORT_FACTOR = 2.0
SUMMARY: list[str] = []


def machine_load() -> str:
    """The machine's load average (1, 5, 15 min) beside its cores: other work on a shared
    machine moves absolute figures, so every figure is read beside it."""
    one, five, fifteen = os.getloadavg()
    return f"belasting {one:.1f} {five:.1f} {fifteen:.1f} op {os.cpu_count()} kernen"


def verdict(ok: bool) -> str:
    return "gehaald" if ok else "niet gehaald"


def goal(database: str, label: str, value: str, target: str, ok: bool) -> None:
    line = f"{database:<11}  {label:<46} {value:>14}   doel {target:<10} {verdict(ok)}"
    print(line, flush=True)
    SUMMARY.append(line)


def burst(database: str, url: str | None, size: int, *, join: bool, waiting: bool) -> None:
    with (
        temporary_database(url) as db_url,
        running_server(db_url, participants=size, workers=WORKERS, claimed=not join) as server,
    ):
        cpu, wall = cpu_seconds(), time.perf_counter()
        server_cpu = server_cpu_seconds(server)
        result = asyncio.run(
            workshop_burst(
                server, window=WINDOW, change_window=CHANGE_WINDOW, join=join, waiting=waiting
            )
        )
        cpu, wall = cpu_seconds() - cpu, time.perf_counter() - wall
        server_cpu = server_cpu_seconds(server) - server_cpu
        check = kit(db_url, "verify", {"session": server.seed["session"], "last": result.last})
        lost = check["missing"] + check["mismatches"] + check["duplicates"]
        history_ok = check["history"] == result.effective_changes
        row = [f"{database:<11}", f"{'code+naam' if join else 'eigen link':<10}", f"{size:>5}"]
        for name in ("submit", "page", "poll", "wacht"):
            p50, p95, p99, n = result.timings.percentiles(name)
            row.append(f"{p50:>6.1f} {p95:>6.1f} {p99:>6.1f}" if n else f"{'-':^20}")
        row.append(f"{len(result.timings.errors):>6}")
        row.append(f"{'ja' if lost == 0 and history_ok else 'NEE'}:{check['allocations']:>5}")
        row.append(f"{100 * cpu / wall:>5.0f}%")
        row.append(f"{100 * server_cpu / wall:>5.0f}%")
        print("  ".join(row), flush=True)
        if waiting:
            rounds, others = (result.timings.percentiles(n)[3] for n in ("wacht", "wacht-overig"))
            print(
                f"    polls van de pagina's: {rounds} van de rondes, {others} van klok en wand "
                "(die pollen alleen zolang er een ronde of vraag open is)",
                flush=True,
            )
        if result.timings.errors:
            print("    eerste fouten:", result.timings.errors[:3], flush=True)
        if size >= 1000 and join and waiting:
            submit_p95 = result.timings.percentiles("submit")[1]
            wait_p95 = result.timings.percentiles("wacht")[1]
            errors = len(result.timings.errors)
            label = f"burst {size} code+naam, wachtschermen pollen:"
            goal(
                database,
                f"{label} p95 submit",
                f"{submit_p95:.1f} ms",
                "≤ 50 ms",
                submit_p95 <= GOAL_BURST_P95_MS,
            )
            goal(
                database,
                f"{label} p95 poll",
                f"{wait_p95:.1f} ms",
                "≤ 50 ms",
                wait_p95 <= GOAL_BURST_P95_MS,
            )
            goal(database, f"{label} fouten", f"{errors}", "0", errors == 0 and lost == 0)


def _submitter(server):
    session_id = server.seed["session"]
    people = server.seed["participants"]

    async def setup(client: Client, n: int):
        page = await participant_join(client, server.seed, people[n], Timings())
        token = csrf_from((await client.request("GET", page)).body)
        flip = [0]

        async def submit(c: Client):
            # Alternate two allocations so every submit really writes (and is audited), as
            # the browser sends it: htmx, answered with the card.
            flip[0] ^= 1
            points = [4, 2, 2, 1, 1] if flip[0] else [2, 2, 2, 2, 2]
            form = {"csrfmiddlewaretoken": token}
            form.update(
                zip(
                    ["ambitie", "belangen", "relatie", "organisatie", "proces"],
                    map(str, points),
                    strict=True,
                )
            )
            return await c.request(
                "POST", f"{page}sessies/{session_id}/punten/", form, {"HX-Request": "true"}
            )

        return submit

    return setup


def _waiting_poller(server):
    """A phone on its waiting screen (joined by code and name), polling as its scripts do."""
    people = server.seed["participants"]

    async def setup(client: Client, n: int):
        page = await participant_join(client, server.seed, people[CAPACITY_CLIENTS + n], Timings())
        poll = PagePoll.participant((await client.request("GET", page)).body)
        first = await client.request("GET", poll.path(), headers={"HX-Request": "true"})
        poll.seen(first)

        async def get(c: Client):
            response = await c.request("GET", poll.path(), headers={"HX-Request": "true"})
            poll.seen(response)
            return response

        return get

    return setup


def _projector_poller(server):
    async def setup(client: Client, n: int):
        client.cookies["sessionid"] = server.seed["facilitator_session"]
        first = await client.request(
            "GET", projector_path(server) + "?v=", headers={"HX-Request": "true"}
        )
        match = re.search(rb'data-version="([^"]+)"', first.body)
        poll = PagePoll(projector_path(server), match.group(1).decode() if match else "")
        poll.seen(first)

        async def get(c: Client):
            query = urlencode({"v": poll.signature, "rv": poll.version or ""})
            response = await c.request(
                "GET", f"{projector_path(server)}?{query}", headers={"HX-Request": "true"}
            )
            poll.seen(response)
            return response

        return get

    return setup


def _trivial(server):
    async def setup(client: Client, n: int):
        async def get(c: Client):
            return await c.request("GET", "/gezond/")

        return get

    return setup


def measure(server, database: str, kinds) -> dict[str, tuple[float, float]]:
    """Closed-loop rate and server CPU per request for each kind of request."""
    results = {}
    for name, setup in kinds:
        cpu, wall = cpu_seconds(), time.perf_counter()
        server_cpu = server_cpu_seconds(server)
        rate, errors = asyncio.run(
            closed_loop(server, setup(server), clients=CAPACITY_CLIENTS, seconds=CAPACITY_SECONDS)
        )
        cpu, wall = cpu_seconds() - cpu, time.perf_counter() - wall
        server_cpu = server_cpu_seconds(server) - server_cpu
        per_request = 1000 * server_cpu / max(1, rate * wall)
        results[name] = (rate, per_request)
        print(
            f"{database:<11}  {name:<18} {rate:>8.0f} verzoeken/s  fouten {errors:>4}  "
            f"CPU lastgenerator {100 * cpu / wall:>4.0f}%  server {100 * server_cpu / wall:>4.0f}% "
            f"= {per_request:.2f} ms CPU per verzoek",
            flush=True,
        )
    return results


def capacity(database: str, url: str | None) -> None:
    with (
        temporary_database(url) as db_url,
        running_server(db_url, participants=2 * CAPACITY_CLIENTS, workers=WORKERS) as server,
    ):
        results = measure(
            server,
            database,
            [
                ("triviaal", _trivial),
                ("submit (htmx)", _submitter),
                ("wachtscherm-poll", _waiting_poller),
                ("projector-poll", _projector_poller),
            ],
        )
    trivial_rate, trivial_cpu = results["triviaal"]
    for name, target, label in (
        ("submit (htmx)", GOAL_SUBMIT_RATIO[database], "submit ÷ triviaal"),
        ("wachtscherm-poll", GOAL_POLL_RATIO, "poll zonder nieuws ÷ triviaal (deelnemer)"),
        ("projector-poll", GOAL_POLL_RATIO, "poll zonder nieuws ÷ triviaal (projector)"),
    ):
        rate, cpu = results[name]
        by_rate, by_cpu = rate / trivial_rate, trivial_cpu / cpu
        goal(
            database,
            label,
            f"{by_rate:.2f} (CPU {by_cpu:.2f})",
            f"≥ {target:.2f}",
            by_rate >= target,
        )


def nginx_cost(database: str, url: str | None) -> None:
    """What nginx in front costs: the same requests through nginx and to gunicorn directly."""
    figures = {}
    for proxy in (True, False):
        with (
            temporary_database(url) as db_url,
            running_server(
                db_url, participants=CAPACITY_CLIENTS, workers=WORKERS, proxy=proxy
            ) as server,
        ):
            label = "via nginx" if proxy else "direct"
            figures[proxy] = measure(
                server,
                f"{database} {label}"[:11],
                [("triviaal", _trivial), ("submit (htmx)", _submitter)],
            )
    for name in ("triviaal", "submit (htmx)"):
        (via_rate, via_cpu), (direct_rate, direct_cpu) = figures[True][name], figures[False][name]
        print(
            f"{database:<11}  nginx kost bij {name:<14}: doorvoer {100 * (1 - via_rate / direct_rate):+.0f}%, "
            f"CPU per verzoek {via_cpu - direct_cpu:+.2f} ms (via nginx {via_cpu:.2f}, direct "
            f"{direct_cpu:.2f})",
            flush=True,
        )


def reports_during_room(database: str, url: str | None, size: int = 200) -> None:
    """The room's submit p95 in a burst, without and then with two analysts downloading
    reports (the eindrapport and the tussenrapportage) over and over, on one server."""
    with (
        temporary_database(url) as db_url,
        # The room comes back through personal links: every name is claimed already.
        running_server(
            db_url, participants=size, workers=WORKERS, worker=True, claimed=True
        ) as server,
    ):
        devices: dict[int, dict[str, str]] = {}  # the same phones come back for the second burst

        async def room(with_reports: bool, seed: int):
            stop = asyncio.Event()
            timings = Timings()
            analysts = []
            if with_reports:
                analysts = [
                    asyncio.create_task(analyst_downloads(server, kind, stop, timings))
                    for kind in ("eindrapport", "tussenrapportage")
                ]
                await asyncio.sleep(1.0)  # the worker is busy when the room starts
            result = await workshop_burst(
                server,
                window=WINDOW,
                change_window=CHANGE_WINDOW,
                join=False,
                seed=seed,
                devices=devices,
            )
            stop.set()
            downloads = sum(await asyncio.gather(*analysts)) if analysts else 0
            return result, downloads, timings

        base, _none, _t = asyncio.run(room(False, seed=3))
        loaded, downloads, timings = asyncio.run(room(True, seed=4))
    without = base.timings.percentiles("submit")[1]
    with_reports = loaded.timings.percentiles("submit")[1]
    errors = len(base.timings.errors) + len(loaded.timings.errors) + len(timings.errors)
    made = {k: timings.percentiles(f"rapport-{k}") for k in ("eindrapport", "tussenrapportage")}
    print(
        f"{database:<11}  {size} deelnemers, eigen link: p95 submit zonder rapporten "
        f"{without:.1f} ms, met twee analisten die rapporten downloaden {with_reports:.1f} ms; "
        f"{downloads} PDF's gedownload (p50 aanvraag→download: eindrapport "
        f"{made['eindrapport'][0] / 1000:.1f} s, tussenrapportage "
        f"{made['tussenrapportage'][0] / 1000:.1f} s); fouten {errors}",
        flush=True,
    )
    if errors:
        print(
            "    eerste fouten:", (base.timings.errors + loaded.timings.errors + timings.errors)[:3]
        )
    goal(
        database,
        "p95 submit met 2 rapportdownloads ÷ zonder",
        f"{with_reports / max(without, 0.001):.2f}",
        f"≤ {GOAL_REPORT_FACTOR:.1f}",
        with_reports <= GOAL_REPORT_FACTOR * without and downloads > 0 and errors == 0,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="alleen 50 en 200 deelnemers")
    parser.add_argument("--only", choices=["burst", "capacity", "reports", "nginx"])
    args = parser.parse_args()
    sizes = (50, 200) if args.quick else (50, 200, 1000)
    databases = [("SQLite", None)]
    if os.environ.get("BENCH_POSTGRES_URL"):
        databases.append(("PostgreSQL", os.environ["BENCH_POSTGRES_URL"]))
    else:
        print("(PostgreSQL overgeslagen: zet BENCH_POSTGRES_URL, of draai make bench als root)")
    run = {args.only} if args.only else {"burst", "capacity", "reports", "nginx"}
    started = machine_load()
    print(f"Machine bij het begin: {started}")
    if "burst" in run:
        print(
            "\nWorkshopburst: N deelnemers doen mee (met code en naam, of via hun eigen link zoals "
            "in elke ronde na de eerste) en sturen in op een willekeurig moment binnen "
            f"{WINDOW:.0f} s; de helft wijzigt binnen de {CHANGE_WINDOW:.0f} s daarna; één "
            "projector vraagt elke seconde; met 'wacht' pollt daarna ieder wachtscherm elke 3 s. "
            f"make serve (nginx → gunicorn, {WORKERS} sync-workers). Tijden in ms (p50 p95 p99)."
        )
        print(
            f"{'database':<11}  {'meedoen':<10}  {'N':>5}  {'submit':^20}  "
            f"{'deelnemerspagina':^20}  {'projectorpoll':^20}  {'wachtschermpoll':^20}  "
            f"{'fouten':>6}  {'niets kwijt':>10}  {'CPU gen.':>6}  {'server':>6}"
        )
        for database, url in databases:
            for join in (True, False):
                for size in sizes:
                    burst(database, url, size, join=join, waiting=join)
    if "capacity" in run:
        print(
            f"\nCapaciteit: {CAPACITY_CLIENTS} clients zonder denktijd, {CAPACITY_SECONDS:.0f} s "
            "per meting; verhouding in verzoeken/s, tussen haakjes in server-CPU per verzoek."
        )
        for database, url in databases:
            print(f"({database}: {machine_load()})", flush=True)
            capacity(database, url)
    if "nginx" in run:
        print("\nWat nginx voor gunicorn kost (make serve tegenover gunicorn direct), SQLite:")
        nginx_cost("SQLite", None)
    if "reports" in run:
        print(
            "\nRapporten tijdens de zaal: dezelfde burst zonder en met twee analisten die steeds "
            "opnieuw een PDF aanvragen en downloaden (de worker maakt ze, met lagere prioriteit)."
        )
        for database, url in databases:
            reports_during_room(database, url)
    print("\nDoelen (issue 14), deze run:")
    for line in SUMMARY:
        print(line)
    print(f"Machine bij het begin: {started}; aan het eind: {machine_load()}")


if __name__ == "__main__":
    main()
