"""Removing a person's data removes every copy made of it (tester's M3).

A report made before "Persoonsgegevens verwijderen" still holds the name: the stored files
(PDF and Word, both reports), and the background queue's rows, go with the person.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from reports import rendering
from reports.models import RenderedReport

from .conftest import allocate


@pytest.fixture
def fast_layouts(monkeypatch):
    """The file is the HTML itself: enough to see which names it holds, in milliseconds."""
    monkeypatch.setattr(rendering, "render_pdf", lambda html: html.encode())
    monkeypatch.setattr(rendering, "render_docx", lambda html: html.encode())


@pytest.fixture
def named_reports(settings, fast_layouts, session, verteller, reflector, analyst):
    """Both reports in both formats, made through the real queue with names in the
    tussenrapportage."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    evaluation = session.evaluation
    evaluation.names_in_interim_report = True
    evaluation.save()
    allocate(session, verteller)
    allocate(session, reflector)
    for kind in ("eindrapport", "tussenrapportage"):
        for fmt in ("pdf", "docx"):
            rendering.report_request(evaluation=evaluation, kind=kind, format=fmt)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    interim = RenderedReport.objects.get(kind="tussenrapportage", format="pdf")
    assert verteller.name in bytes(interim.content).decode()
    return evaluation


def _anonymise(client, facilitator, participant):
    client.force_login(facilitator)
    url = reverse(
        "sessions:participant_anonymise", args=[participant.evaluation.slug, participant.pk]
    )
    return client.post(url, {"confirm": "on"})


# The worker closes its connection after each task: the data must be committed.
@pytest.mark.django_db(transaction=True)
def test_anonymising_a_person_removes_every_stored_report_that_named_them(
    client, facilitator, analyst, named_reports, verteller
):
    before = list(RenderedReport.objects.values_list("pk", "format"))
    assert len(before) == 4
    assert DBTaskResult.objects.count() == 4

    _anonymise(client, facilitator, verteller)

    assert not RenderedReport.objects.exists()
    assert not DBTaskResult.objects.exists()
    client.force_login(analyst)
    for pk, fmt in before:
        name = "reports:download" if fmt == "pdf" else "reports:download_docx"
        url = reverse(name, args=[named_reports.slug, pk])
        assert client.get(url).status_code == 404
    page = client.get(reverse("reports:workspace", args=[named_reports.slug]))
    assert "/rapport/pdf/" not in page.content.decode()


# The worker closes its connection after each task: the data must be committed.
@pytest.mark.django_db(transaction=True)
def test_a_report_made_again_after_anonymising_holds_the_pseudonym(
    client, facilitator, named_reports, verteller
):
    _anonymise(client, facilitator, verteller)
    verteller.refresh_from_db()
    rendering.report_request(evaluation=named_reports, kind="tussenrapportage")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    content = bytes(RenderedReport.objects.get().content).decode()
    assert "Vera Verteller" not in content
    assert verteller.pseudonym in content


def test_a_job_whose_row_went_while_it_waited_makes_nothing(
    settings, fast_layouts, evaluation, session
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = rendering.report_request(evaluation=evaluation, kind="tussenrapportage")
    RenderedReport.objects.filter(pk=job.pk).delete()
    rendering.report_render_job(job.pk)  # no exception, no row
    assert not RenderedReport.objects.exists()


def test_the_confirmation_says_that_made_reports_go_too(client, facilitator, verteller):
    client.force_login(facilitator)
    url = reverse("sessions:participant_anonymise", args=[verteller.evaluation.slug, verteller.pk])
    html = client.get(url).content.decode()
    assert "Gemaakte rapporten (PDF en Word" in html
