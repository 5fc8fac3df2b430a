"""Load benchmark of the production server: a workshop burst and closed-loop capacity.

Usage: python -m bench.load [--quick]   (make bench runs it on SQLite and PostgreSQL)
PostgreSQL is used when BENCH_POSTGRES_URL is set (make bench sets it where it can).
"""

import argparse
import asyncio
import os
import time

from .loadkit import (
    Client,
    closed_loop,
    cpu_seconds,
    csrf_from,
    kit,
    participant_join,
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


def burst(database: str, url: str | None, size: int, *, join: bool = True) -> None:
    with (
        temporary_database(url) as db_url,
        running_server(db_url, participants=size, workers=WORKERS) as server,
    ):
        cpu, wall = cpu_seconds(), time.perf_counter()
        server_cpu = server_cpu_seconds(server)
        result = asyncio.run(
            workshop_burst(server, window=WINDOW, change_window=CHANGE_WINDOW, join=join)
        )
        cpu, wall = cpu_seconds() - cpu, time.perf_counter() - wall
        server_cpu = server_cpu_seconds(server) - server_cpu
        check = kit(db_url, "verify", {"session": server.seed["session"], "last": result.last})
        lost = check["missing"] + check["mismatches"] + check["duplicates"]
        history_ok = check["history"] == result.effective_changes
        row = [f"{database:<11}", f"{'code+naam' if join else 'eigen link':<10}", f"{size:>5}"]
        for name in ("submit", "page", "poll"):
            p50, p95, p99, n = result.timings.percentiles(name)
            row.append(f"{p50:>6.1f} {p95:>6.1f} {p99:>6.1f}")
        row.append(f"{len(result.timings.errors):>6}")
        row.append(f"{'ja' if lost == 0 and history_ok else 'NEE'}:{check['allocations']:>5}")
        row.append(f"{100 * cpu / wall:>5.0f}%")
        row.append(f"{100 * server_cpu / wall:>5.0f}%")
        print("  ".join(row), flush=True)
        if result.timings.errors:
            print("    eerste fouten:", result.timings.errors[:3], flush=True)


def capacity(database: str, url: str | None) -> None:
    with (
        temporary_database(url) as db_url,
        running_server(db_url, participants=CAPACITY_CLIENTS, workers=WORKERS) as server,
    ):
        session_id = server.seed["session"]
        people = server.seed["participants"]

        async def submitter(client: Client, n: int):
            page = await participant_join(client, server.seed, people[n], _Ignore())
            form_page = await client.request("GET", page)
            token = csrf_from(form_page.body)
            flip = [0]

            async def submit(c: Client):
                # Alternate two allocations so every submit really writes (and is audited).
                flip[0] ^= 1
                points = [4, 2, 2, 1, 1] if flip[0] else [2, 2, 2, 2, 2]
                form = {"csrfmiddlewaretoken": token}
                form.update(
                    dict(
                        zip(
                            ["ambitie", "belangen", "relatie", "organisatie", "proces"],
                            map(str, points),
                            strict=True,
                        )
                    )
                )
                return await c.request(
                    "POST", f"{page}sessies/{session_id}/punten/", form, {"HX-Request": "true"}
                )

            return submit

        async def trivial(client: Client, n: int):
            async def get(c: Client):
                return await c.request("GET", "/gezond/")

            return get

        results = {}
        for name, setup in (("submit", submitter), ("trivial", trivial)):
            cpu, wall = cpu_seconds(), time.perf_counter()
            server_cpu = server_cpu_seconds(server)
            rate, errors = asyncio.run(
                closed_loop(server, setup, clients=CAPACITY_CLIENTS, seconds=CAPACITY_SECONDS)
            )
            cpu, wall = cpu_seconds() - cpu, time.perf_counter() - wall
            server_cpu = server_cpu_seconds(server) - server_cpu
            results[name] = rate
            print(
                f"{database:<11}  {name:<8} {rate:>8.0f} verzoeken/s  fouten {errors:>4}  "
                f"CPU lastgenerator {100 * cpu / wall:>4.0f}%  server {100 * server_cpu / wall:>4.0f}% "
                f"= {1000 * server_cpu / max(1, rate * wall):.2f} ms CPU per verzoek",
                flush=True,
            )
        print(
            f"{database:<11}  verhouding submit / triviaal: {results['submit'] / results['trivial']:.2f}",
            flush=True,
        )


class _Ignore:
    """Timings sink for setup requests that are not part of a measurement."""

    errors: list = []

    def add(self, *_args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="alleen 50 en 200 deelnemers")
    parser.add_argument(
        "--only", choices=["burst", "capacity"], help="alleen één van beide metingen"
    )
    args = parser.parse_args()
    sizes = (50, 200) if args.quick else (50, 200, 1000)
    databases = [("SQLite", None)]
    if os.environ.get("BENCH_POSTGRES_URL"):
        databases.append(("PostgreSQL", os.environ["BENCH_POSTGRES_URL"]))
    else:
        print("(PostgreSQL overgeslagen: zet BENCH_POSTGRES_URL, of draai make bench als root)")
    print(
        "\nWorkshopburst: N deelnemers doen mee (met code en naam, of via hun eigen link zoals in "
        "elke ronde na de eerste) en sturen in op een willekeurig moment binnen "
        f"{WINDOW:.0f} s; de helft wijzigt binnen de {CHANGE_WINDOW:.0f} s daarna; één projector "
        f"vraagt elke seconde. gunicorn, {WORKERS} sync-workers. Tijden in ms (p50 p95 p99)."
    )
    print(
        f"{'database':<11}  {'meedoen':<10}  {'N':>5}  {'submit':^20}  {'deelnemerspagina':^20}  "
        f"{'projectorpoll':^20}  {'fouten':>6}  {'niets kwijt':>10}  {'CPU gen.':>6}  {'server':>6}"
    )
    for database, url in databases:
        for join in (True, False):
            for size in sizes if args.only != "capacity" else ():
                burst(database, url, size, join=join)
    if args.only == "burst":
        return
    print(
        f"\nCapaciteit: {CAPACITY_CLIENTS} clients zonder denktijd, {CAPACITY_SECONDS:.0f} s per meting."
    )
    for database, url in databases:
        capacity(database, url)


if __name__ == "__main__":
    main()
