"""Background tasks of the reports (django-tasks; run by `manage.py db_worker`)."""

from django_tasks import task


@task()
def render_report(job_id: int) -> None:
    """Make the PDF of RenderedReport `job_id` (see reports/rendering.py)."""
    from .rendering import report_render_job

    report_render_job(job_id)
