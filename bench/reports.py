"""Report rendering benchmark: time and memory for the demo reports as PDF and Word, and
growth with key moments; each Word file is opened, saved and converted by LibreOffice.

Runs in one process, on a throw-away SQLite database, after one warm-up render.
Usage: python -m bench.reports  (make bench)
"""

import io
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from functools import partial
from io import StringIO
from pathlib import Path

from pypdf import PdfReader

RUNS = 5
# The Word files take longer (every chart rasterised at 300 dpi): fewer runs keep make bench short.
DOCX_RUNS = 3


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


def measure(render, evaluation, runs: int = RUNS) -> tuple[float, float, bytes]:
    """Median wall time of `runs` renders, then one more render traced for peak Python memory.

    tracemalloc slows rendering several times over, so it is not on during the timed runs.
    It counts Python's allocations (resvg's own, in Rust, only as the PNG bytes it returns).
    """
    render(evaluation)  # warm-up: fonts, templates, imports
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        content = render(evaluation)
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    render(evaluation)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20, content


def pdf_pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def libreoffice_check(docx: bytes, name: str) -> tuple[int, float, str]:
    """Open the DOCX in LibreOffice (headless), save it as DOCX again, convert that to PDF.

    Returns (pages of that PDF, seconds, problem); problem is "" when both steps worked,
    else what went wrong in Dutch. Needs Debian's libreoffice-writer (make libreoffice).
    """
    soffice = shutil.which("soffice")
    if soffice is None:
        return 0, 0.0, "LibreOffice ontbreekt (make libreoffice)"
    folder = Path(tempfile.mkdtemp(prefix="bench-docx-"))
    source = folder / f"{name}.docx"
    source.write_bytes(docx)
    # A profile of its own: never the user's, and no clash with a LibreOffice already open.
    profile = f"-env:UserInstallation=file://{folder}/profiel"
    started = time.perf_counter()
    problems = []
    for target, out in (("docx:MS Word 2007 XML", "opgeslagen"), ("pdf", "pdf")):
        (folder / out).mkdir()
        step = subprocess.run(
            [soffice, profile, "--headless", "--convert-to", target, "--outdir",
             str(folder / out), str(source)],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        made = folder / out / f"{name}.{target.split(':')[0]}"
        if step.returncode != 0 or not made.exists() or "Error" in step.stderr:
            problems.append(f"{out}: {step.returncode} {step.stderr.strip()[:200]}")
            return 0, time.perf_counter() - started, "; ".join(problems)
        source = made
    seconds = time.perf_counter() - started
    pages = pdf_pages((folder / "pdf" / f"{name}.pdf").read_bytes())
    shutil.rmtree(folder, ignore_errors=True)
    return pages, seconds, ""


def main() -> None:
    setup_django()
    from evaluatiespiegel.management.commands.demo import DEMO_SLUG
    from reports.builder import report_docx, report_pdf
    from sessions.models import Evaluation

    cases = [("demo (6 sleutelmomenten)", Evaluation.objects.get(slug=DEMO_SLUG))]
    cases += [(f"{n} sleutelmomenten", scaled_evaluation(n)) for n in (12, 24)]
    print(
        f"Rapporten renderen: mediaan van {RUNS} runs (Word: {DOCX_RUNS}) na opwarmen, "
        "in één proces"
    )
    print(
        f"{'evaluatie':<26}{'rapport':<18}{'formaat':<8}{'tijd':>9}{'piek Python':>13}"
        f"{'pagina':>8}{'kB':>7}"
    )
    checks = []
    for label, evaluation in cases:
        for name in ("eindrapport", "tussenrapportage"):
            for fmt, render in (("pdf", report_pdf), ("docx", report_docx)):
                runs = RUNS if fmt == "pdf" else DOCX_RUNS
                seconds, peak, content = measure(partial(render, name), evaluation, runs)
                if fmt == "pdf":
                    pages = pdf_pages(content)
                    shown = str(pages)
                else:
                    checks.append((label, name, content, pages))
                    shown = "-"
                print(
                    f"{label:<26}{name:<18}{fmt:<8}{seconds:>8.2f}s{peak:>10.0f} MB"
                    f"{shown:>8}{len(content) // 1024:>7}"
                )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Piekgeheugen van het hele proces (RSS): {rss:.0f} MB")
    print()
    print("Word in LibreOffice: openen, opslaan als DOCX, omzetten naar PDF; pagina's tegen de")
    print("PDF van de app (doel: hooguit 20 % verschil, zonder fouten)")
    print(f"{'evaluatie':<26}{'rapport':<18}{'PDF':>5}{'LibreOffice':>13}{'verschil':>10}  oordeel")
    failed = False
    for label, name, docx, pages in checks:
        office_pages, seconds, problem = libreoffice_check(docx, name)
        if problem:
            failed = True
            print(f"{label:<26}{name:<18}{pages:>5}{'-':>13}{'-':>10}  niet gehaald: {problem}")
            continue
        difference = (office_pages - pages) / pages
        verdict = "gehaald" if abs(difference) <= 0.2 else "niet gehaald"
        failed = failed or verdict != "gehaald"
        print(
            f"{label:<26}{name:<18}{pages:>5}{office_pages:>13}{difference:>+9.0%}  "
            f"{verdict} ({seconds:.1f} s)"
        )
    sys.stdout.flush()
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
