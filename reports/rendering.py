"""Reports as PDF and Word files, made in the background and kept by content.

Laying out a PDF takes seconds of CPU and hundreds of MB; it never runs in the web workers
that serve the room. A request creates a RenderedReport row and enqueues `render_report`
(reports/tasks.py), which the worker process (`manage.py db_worker`) runs. The page polls
the row. A finished row keeps its file and the SHA-256 of the HTML it was made from: when the
next request for the same format gives the same HTML, the file is reused instead of laid out
again, so an unchanged report is ready as soon as its HTML is built. PDF and DOCX are laid
out from that one HTML, so both say the same.
"""

import hashlib
import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sessions.models import Evaluation

from . import builder, printables
from .markup import MarkupDepthValidator
from .models import BlockKind, RenderedReport, ReportBlock

logger = logging.getLogger(__name__)

# A job that has not finished after this long lost its worker (a restart, a kill): a new
# request starts a new job instead of waiting for it forever.
STALE_AFTER = timedelta(minutes=10)


def report_request(
    *, evaluation: Evaluation, kind: str, format: str = "pdf", site_url: str = ""
) -> RenderedReport:
    """The job that will make `kind` as `format` ("pdf", "docx") for `evaluation`: a pending
    one if there is, else a new one.

    Two analysts pressing the button at once share one job. `kind` is a report
    (builder.REPORTS) or a printable (printables.PRINTABLES, PDF only); `site_url` is the
    app's address for the personal links on participant cards. Raises KeyError for an
    unknown kind or format (the URLs only pass known ones).
    """
    from .tasks import render_report

    if kind in printables.PRINTABLES:
        if format != "pdf":  # printables are for paper
            raise KeyError(format)
    else:
        builder.REPORTS[kind]  # noqa: B018 - an unknown kind is refused before anything is queued
    RENDERERS[format]  # noqa: B018 - and so is an unknown format
    printables_purge()
    fresh = timezone.now() - STALE_AFTER
    with transaction.atomic():
        pending = (
            RenderedReport.objects.filter(
                evaluation=evaluation,
                kind=kind,
                format=format,
                status__in=[RenderedReport.Status.QUEUED, RenderedReport.Status.RUNNING],
                requested_at__gte=fresh,
            )
            .order_by("-requested_at")
            .first()
        )
        if pending:
            return pending
        job = RenderedReport.objects.create(
            evaluation=evaluation, kind=kind, format=format, site_url=site_url
        )
    render_report.enqueue(job.pk)
    job.refresh_from_db()
    return job


def printables_purge() -> int:
    """Wipe participant cards older than printables.CARDS_KEEP, downloaded or not: they carry
    live personal links and are kept no longer than it takes to fetch them. Returns how many."""
    deleted, _per_model = RenderedReport.objects.filter(
        kind__in=printables.PRIVATE, requested_at__lt=timezone.now() - printables.CARDS_KEEP
    ).delete()
    return deleted


def printable_take(*, evaluation: Evaluation, pk: int) -> bytes | None:
    """The finished participant cards `pk` of `evaluation`, wiped in the same step: a card
    PDF is handed out once. None when there is no such finished PDF (any longer)."""
    printables_purge()
    with transaction.atomic():
        job = (
            RenderedReport.objects.select_for_update()
            .filter(
                pk=pk,
                evaluation=evaluation,
                kind__in=printables.PRIVATE,
                status=RenderedReport.Status.DONE,
            )
            .first()
        )
        if job is None:
            return None
        content = bytes(job.content)
        job.delete()
    return content


def report_latest(
    *, evaluation: Evaluation, kind: str, format: str = "pdf"
) -> RenderedReport | None:
    """The newest job for `kind` as `format`, without its file's bytes."""
    if kind in printables.PRIVATE:
        printables_purge()
    return (
        RenderedReport.objects.filter(evaluation=evaluation, kind=kind, format=format)
        .defer("content")
        .order_by("-requested_at", "-pk")
        .first()
    )


def _version_of(kind: str, html: str) -> str:
    return hashlib.sha256(f"{kind}\n{html}".encode()).hexdigest()


def report_version(*, evaluation: Evaluation, kind: str) -> str:
    """The version of report (or day programme) `kind` of `evaluation` as it would be made
    now: the SHA-256 of the HTML every format is laid out from, the same hash a finished job
    keeps as `content_hash`. Whatever the document shows counts (outline, texts, house
    style, scores, the wall as curated, the rounds); what it does not show does not. Takes
    one HTML build (0.1-0.3 s for the demo's reports), no layout. Raises KeyError for the
    participant cards: they are never compared, only made anew."""
    if kind in printables.PRIVATE:
        raise KeyError(kind)
    if kind in printables.PRINTABLES:
        return _version_of(kind, printables.printable_html(kind, evaluation))
    return _version_of(kind, builder.report_render(kind, evaluation, for_pdf=True))


def report_outdated(job: RenderedReport | None, *, version: str | None = None) -> bool:
    """Whether finished `job` was made from an older version of its document than the
    current one (`version`, from report_version; computed when not given). False for no
    job, a job not finished, and participant cards (never reused, wiped once fetched)."""
    if job is None or job.status != RenderedReport.Status.DONE or job.kind in printables.PRIVATE:
        return False
    if version is None:
        version = report_version(evaluation=job.evaluation, kind=job.kind)
    return job.content_hash != version


def _text_sources(evaluation: Evaluation, kind: str):
    """(label, model instance, field names) for every typed text that goes into `kind`."""
    for block in ReportBlock.objects.filter(
        outline__evaluation=evaluation, outline__kind=kind, kind=BlockKind.TEXT, enabled=True
    ).defer("image"):
        yield _("Tekstblok %(n)s van de opzet") % {"n": block.order}, block, ["body"]
    if kind == "tussenrapportage":
        for session in evaluation.sessions.select_related("key_moment"):
            yield (
                _("Sessie %(moment)s (dag %(day)s)")
                % {"moment": session.key_moment.title, "day": session.day},
                session,
                ["reconstruction", "reflections", "insights", "lessons"],
            )
        return
    text = getattr(evaluation, "report_text", None)
    if text is not None:
        fields = [f.name for f in text._meta.get_fields() if f.get_internal_type() == "TextField"]
        yield _("Rapporttekst"), text, fields
    for paradox in evaluation.paradoxes.all():
        yield (
            _("Paradox %(condition)s") % {"condition": paradox.get_condition_display()},
            paradox,
            ["practice", "theory"],
        )
    for theme in evaluation.contract_themes.all():
        yield _("Thema '%(title)s'") % {"title": theme.title}, theme, ["alliance", "other"]
    for theme in evaluation.conclusion_themes.all():
        yield _("Thema '%(title)s'") % {"title": theme.title}, theme, ["text"]


def report_problems(evaluation: Evaluation, kind: str) -> list[str]:
    """Why `kind` cannot be made, per field, in Dutch; empty when it can.

    Forms refuse these texts already; this catches what came in another way (an import,
    an older version of the app) before the renderer spends minutes on it.
    """
    problems = []
    for label, instance, fields in _text_sources(evaluation, kind):
        for name in fields:
            field = instance._meta.get_field(name)
            value = getattr(instance, name)
            if not value:
                continue
            try:
                field.run_validators(value)
                MarkupDepthValidator(str(field.verbose_name))(value)
            except ValidationError as error:
                problems += [f"{label}: {capfirst(m)}" for m in error.messages]
    return problems


def reports_forget(*, evaluation: Evaluation) -> int:
    """Drop every rendered file of `evaluation` (PDF and Word, both reports, every status)
    and the background-task rows that made them; returns how many files went.

    Called when personal data is removed (sessions.services.personal_data_removed): a file
    made before still holds the old name, and so might a task's result or traceback. A job
    still running finds its row gone and keeps nothing (report_render_job); the next request
    makes the file anew from the anonymised data.
    """
    jobs = list(RenderedReport.objects.filter(evaluation=evaluation).values_list("pk", flat=True))
    if not jobs:
        return 0
    RenderedReport.objects.filter(pk__in=jobs).delete()
    _task_rows_forget(set(jobs))
    return len(jobs)


def _task_rows_forget(jobs: set[int]) -> None:
    """Delete the queue's rows of render_report for `jobs` that no worker holds right now."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - another task backend keeps no rows here
        return
    from .tasks import render_report

    rows = DBTaskResult.objects.filter(task_path=render_report.module_path).exclude(
        status="RUNNING"
    )
    mine = [
        row.pk
        for row in rows.only("pk", "args_kwargs")
        if (row.args_kwargs or {}).get("args", [None])[:1] and row.args_kwargs["args"][0] in jobs
    ]
    DBTaskResult.objects.filter(pk__in=mine).delete()


def report_render_job(job_id: int) -> None:
    """Make the file of job `job_id` in its format: reuse the last one if the HTML is unchanged.

    Runs in the worker. Every failure ends as a Dutch message on the row, never as an
    exception in the analyst's browser. A job whose row is gone (personal data removed,
    reports_forget) makes nothing.
    """
    job = RenderedReport.objects.select_related("evaluation").filter(pk=job_id).first()
    if job is None or not job.pending:
        return
    RenderedReport.objects.filter(pk=job.pk).update(status=RenderedReport.Status.RUNNING)
    try:
        problems = (
            [] if job.kind in printables.PRINTABLES else report_problems(job.evaluation, job.kind)
        )
        if problems:
            _finish_failed(
                job, _("Het rapport kan niet worden gemaakt.") + " " + " ".join(problems)
            )
            return
        if job.kind in printables.PRINTABLES:
            html = printables.printable_html(job.kind, job.evaluation, site_url=job.site_url)
        else:
            html = builder.report_render(job.kind, job.evaluation, for_pdf=True)
        content_hash = _version_of(job.kind, html)
        cached = (
            None
            if job.kind in printables.PRIVATE  # secrets are never served from a cache
            else RenderedReport.objects.filter(
                evaluation=job.evaluation,
                kind=job.kind,
                format=job.format,
                status=RenderedReport.Status.DONE,
                content_hash=content_hash,
            )
            .order_by("-finished_at")
            .first()
        )
        if cached is not None:
            content, reused = bytes(cached.content), True
        else:
            content, reused = _layout(job.format, html), False
    except Exception as error:  # noqa: BLE001 - the analyst gets a message, the log the trace
        logger.exception("Rapport %s van %s niet gemaakt", job.kind, job.evaluation.slug)
        _finish_failed(
            job,
            _(
                "Het rapport kon niet worden gemaakt (%(error)s). Kijk de laatst gewijzigde "
                "teksten na; lukt het dan nog niet, meld het met dit tijdstip."
            )
            % {"error": type(error).__name__},
        )
        return
    with transaction.atomic():
        RenderedReport.objects.filter(pk=job.pk).update(
            status=RenderedReport.Status.DONE,
            content=content,
            size=len(content),
            content_hash=content_hash,
            reused=reused,
            finished_at=timezone.now(),
        )
        # One finished file per report and format is the cache; older ones are stale copies.
        RenderedReport.objects.filter(
            evaluation=job.evaluation,
            kind=job.kind,
            format=job.format,
            status__in=[RenderedReport.Status.DONE, RenderedReport.Status.FAILED],
            requested_at__lte=job.requested_at,
        ).exclude(pk=job.pk).delete()


def render_pdf(html: str) -> bytes:
    """WeasyPrint's layout, imported on first use: only the worker process ever loads it."""
    from .pdf import render_pdf as layout

    return layout(html)


def render_docx(html: str) -> bytes:
    """The Word document of the same HTML (python-docx, resvg), loaded on first use too."""
    from .docx import render_docx as layout

    return layout(html)


# The formats a report is made in: format -> name of the layout of the HTML into bytes
# (looked up when used, so that one place can be replaced, in a test too).
RENDERERS = {"pdf": "render_pdf", "docx": "render_docx"}


def _layout(format: str, html: str) -> bytes:
    return globals()[RENDERERS[format]](html)


def _finish_failed(job: RenderedReport, message: str) -> None:
    RenderedReport.objects.filter(pk=job.pk).update(
        status=RenderedReport.Status.FAILED, error=message, finished_at=timezone.now()
    )
