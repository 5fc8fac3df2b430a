"""Report rendering benchmark: time and memory for the demo reports, and growth with key moments.

Runs in one process, on a throw-away SQLite database, after one warm-up render.
Usage: python -m bench.reports  (make bench)
"""

import io
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from io import StringIO

from pypdf import PdfReader

RUNS = 5


def setup_django() -> None:
    folder = tempfile.mkdtemp(prefix="bench-reports-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evaluatiespiegel.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demo", stdout=StringIO())


def scaled_evaluation(key_moment_count: int):
    """The demo's shape with more key moments: 35 people, two sessions per key moment."""
    from evaluatiespiegel.management.commands.demo import Command as Demo
    from scoring.models import Allocation
    from sessions.models import (
        Evaluation,
        KeyMoment,
        Participant,
        Phase,
        ReconstructionSession,
        Role,
        SessionState,
    )

    rng = random.Random(key_moment_count)
    evaluation = Evaluation.objects.create(
        title=f"Schaaltest {key_moment_count}", slug=f"schaal-{key_moment_count}"
    )
    people = Participant.objects.bulk_create(
        Participant(
            evaluation=evaluation,
            name=f"Deelnemer {i}",
            organisation="Org",
            role=Role.VERTELLER if i < 15 else Role.REFLECTOR,
        )
        for i in range(35)
    )
    phases = list(Phase)
    for order in range(1, key_moment_count + 1):
        km = KeyMoment.objects.create(
            evaluation=evaluation,
            order=order,
            title=f"Sleutelmoment {order}",
            phase=phases[order % 5],
        )
        rng.shuffle(people)
        for slot, group in ((1, people[::2]), (2, people[1::2])):
            session = ReconstructionSession.objects.create(
                evaluation=evaluation,
                key_moment=km,
                day=order,
                slot=slot,
                state=SessionState.GESLOTEN,
                reconstruction="Reconstructie. " * 40,
                reflections="Reflecties. " * 30,
                insights="Inzichten. " * 20,
                lessons="- Les een\n- Les twee",
            )
            session.participants.set(group)
            Allocation.objects.bulk_create(
                Allocation(
                    session=session, participant=p, **Demo._allocation(p.role, km.phase, rng)
                )
                for p in group
            )
    from reports.catalogue import catalogue_install

    catalogue_install(evaluation=evaluation)
    return evaluation


def measure(render, evaluation) -> tuple[float, float, int, int]:
    """Median wall time of RUNS renders, then one more render traced for peak Python memory.

    tracemalloc slows rendering several times over, so it is not on during the timed runs.
    """
    render(evaluation)  # warm-up: fonts, templates, imports
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        pdf = render(evaluation)
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    render(evaluation)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return statistics.median(times), peak / 2**20, len(pdf), pages


def main() -> None:
    setup_django()
    from evaluatiespiegel.management.commands.demo import DEMO_SLUG
    from reports.builder import eindrapport_pdf, tussenrapportage_pdf
    from sessions.models import Evaluation

    cases = [("demo (6 sleutelmomenten)", Evaluation.objects.get(slug=DEMO_SLUG))]
    cases += [(f"{n} sleutelmomenten", scaled_evaluation(n)) for n in (12, 24)]
    print(f"Rapporten renderen: mediaan van {RUNS} runs na opwarmen, in één proces")
    print(f"{'evaluatie':<26}{'rapport':<18}{'tijd':>9}{'piek Python':>13}{'pagina':>8}{'kB':>7}")
    for label, evaluation in cases:
        for name, render in (
            ("eindrapport", eindrapport_pdf),
            ("tussenrapportage", tussenrapportage_pdf),
        ):
            seconds, peak, size, pages = measure(render, evaluation)
            print(
                f"{label:<26}{name:<18}{seconds:>8.2f}s{peak:>10.0f} MB{pages:>8}{size // 1024:>7}"
            )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Piekgeheugen van het hele proces (RSS): {rss:.0f} MB")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
