"""Reports are made in the background, never in the web workers, and kept by content."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reports import rendering
from reports.models import Paradox, RenderedReport
from scoring.conditions import Condition

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def layouts(monkeypatch):
    """Counts the expensive step (WeasyPrint's layout) wherever it runs."""
    calls = []
    real = rendering.render_pdf

    def counted(html):
        calls.append(html)
        return real(html)

    monkeypatch.setattr(rendering, "render_pdf", counted)
    return calls


@pytest.fixture
def queue(settings):
    """The real queue: jobs wait in the database until the worker command runs them."""
    settings.TASKS = DATABASE_QUEUE


def make(client, evaluation, kind="eindrapport", **headers):
    return client.post(reverse(f"reports:{kind}", args=[evaluation.slug]), headers=headers)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


class TestTheRequestNeverRenders:
    def test_asking_for_a_pdf_queues_a_job_and_lays_out_nothing(
        self, client, analyst, evaluation, queue, layouts
    ):
        client.force_login(analyst)
        response = make(client, evaluation, **{"HX-Request": "true"})
        assert response.status_code == 200
        assert layouts == []
        job = RenderedReport.objects.get(evaluation=evaluation)
        assert job.status == RenderedReport.Status.QUEUED
        html = response.content.decode()
        assert 'hx-trigger="every 1s"' in html and "In de wachtrij" in html

    # The worker closes its database connection after each task, as a separate process would:
    # the test's data must be committed, not held in the test's transaction.
    @pytest.mark.django_db(transaction=True)
    def test_the_worker_makes_it_through_the_real_queue_and_the_page_offers_it(
        self, client, analyst, evaluation, queue
    ):
        Paradox.objects.create(
            evaluation=evaluation, condition=Condition.RELATIE, title="Wij versus de wereld"
        )
        client.force_login(analyst)
        make(client, evaluation)
        run_worker()
        job = RenderedReport.objects.get(evaluation=evaluation)
        assert job.status == RenderedReport.Status.DONE
        status = client.get(
            reverse("reports:eindrapport", args=[evaluation.slug]), headers={"HX-Request": "true"}
        ).content.decode()
        assert "hx-trigger" not in status  # polling stops
        download = reverse("reports:download", args=[evaluation.slug, job.pk])
        assert download in status
        pdf = client.get(download)
        assert pdf.content.startswith(b"%PDF")
        assert pdf["Content-Disposition"] == 'attachment; filename="eindrapport-ammd.pdf"'

    def test_two_analysts_asking_at_once_share_one_job(
        self, client, analyst, facilitator, evaluation, queue
    ):
        client.force_login(analyst)
        make(client, evaluation)
        client.force_login(facilitator)
        make(client, evaluation)
        assert RenderedReport.objects.filter(evaluation=evaluation).count() == 1

    def test_a_job_whose_worker_died_does_not_block_a_new_request(
        self, client, analyst, evaluation, queue
    ):
        client.force_login(analyst)
        make(client, evaluation)
        RenderedReport.objects.update(
            status=RenderedReport.Status.RUNNING, requested_at=timezone.now() - timedelta(hours=1)
        )
        make(client, evaluation)
        assert RenderedReport.objects.filter(evaluation=evaluation).count() == 2


class TestCachedByContent:
    def test_an_unchanged_report_is_not_laid_out_again_and_a_change_is(
        self, client, analyst, evaluation, layouts
    ):
        client.force_login(analyst)
        make(client, evaluation)
        make(client, evaluation)
        assert len(layouts) == 1
        latest = rendering.report_latest(evaluation=evaluation, kind="eindrapport")
        assert latest.reused and latest.status == RenderedReport.Status.DONE
        Paradox.objects.create(
            evaluation=evaluation, condition=Condition.AMBITIE, title="Motor versus proces"
        )
        make(client, evaluation)
        assert len(layouts) == 2
        assert "Motor versus proces" in layouts[-1]
        # One finished PDF per report is kept: the cache, not an archive.
        assert RenderedReport.objects.filter(evaluation=evaluation).count() == 1

    def test_the_two_reports_are_kept_apart(self, client, analyst, evaluation, layouts):
        client.force_login(analyst)
        make(client, evaluation, "eindrapport")
        make(client, evaluation, "tussenrapportage")
        assert len(layouts) == 2
        kinds = set(RenderedReport.objects.values_list("kind", flat=True))
        assert kinds == {"eindrapport", "tussenrapportage"}


class TestFailuresAreMessages:
    def test_a_text_that_came_in_too_long_is_named_instead_of_rendered(
        self, client, analyst, evaluation, layouts
    ):
        paradox = Paradox.objects.create(
            evaluation=evaluation, condition=Condition.AMBITIE, title="Motor versus proces"
        )
        # Past the forms (an import, the database by hand): the worker still names it.
        Paradox.objects.filter(pk=paradox.pk).update(practice="- punt\n" * 4000)
        client.force_login(analyst)
        response = make(client, evaluation, **{"HX-Request": "true"})
        html = response.content.decode()
        assert response.status_code == 200
        assert (
            "Paradox Ambitie: Beschrijving vanuit de praktijk is te lang: "
            "hooguit 20000 tekens, nu 28000." in html
        )
        assert layouts == []

    def test_a_renderer_crash_is_a_dutch_message_not_a_500(
        self, client, analyst, evaluation, monkeypatch
    ):
        def crash(html):
            raise RecursionError("maximum recursion depth exceeded")

        monkeypatch.setattr(rendering, "render_pdf", crash)
        client.force_login(analyst)
        response = make(client, evaluation, **{"HX-Request": "true"})
        assert response.status_code == 200
        assert "Het rapport kon niet worden gemaakt (RecursionError)" in response.content.decode()
        assert "Opnieuw proberen" in response.content.decode()


class TestAccessAndCost:
    def test_another_evaluations_pdf_is_not_found(
        self, client, analyst, evaluation, other_evaluation
    ):
        other = RenderedReport.objects.create(
            evaluation=other_evaluation, kind="eindrapport", status="klaar", content=b"%PDF", size=4
        )
        client.force_login(analyst)
        url = reverse("reports:download", args=[evaluation.slug, other.pk])
        assert client.get(url).status_code == 404

    def test_a_status_poll_costs_a_fixed_number_of_queries(
        self, client, analyst, evaluation, queue, django_assert_num_queries
    ):
        client.force_login(analyst)
        make(client, evaluation)
        url = reverse("reports:eindrapport", args=[evaluation.slug])
        with django_assert_num_queries(5):
            client.get(url, headers={"HX-Request": "true"})
