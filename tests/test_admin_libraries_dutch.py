"""The libraries' pages in a Dutch admin speak Dutch (issue 13, room2 item 6).

django-axes (login throttling) and django-tasks-db (background rendering) ship no Dutch: their
app, model, column, filter and status names showed in English in the otherwise Dutch admin.
"""

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_in_the_database(settings):
    """As in production: results in the database (the suite runs tasks at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


ENGLISH = re.compile(
    r"\b(Axes|Tasks Database Backend|Access attempts?|Access logs?|Access failures?|"
    r"Attempt Time|IP Address|User Agent|Failed Logins|Path|Expiration|Logout Time|"
    r"Task Results?|Task name|Enqueued at|Started at|Finished at|Queue name|Priority|"
    r"Locked Out|Attempt Remaining|Ready|Successful|Failed|Run after|Traceback)\b"
)


def _visible_text(html: str) -> str:
    """The page's words without tags, scripts and attribute values (class names are English)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def library_rows(db):
    AccessAttempt.objects.create(
        username="iemand",
        ip_address="127.0.0.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/inloggen/",
        get_data="",
        post_data="",
        failures_since_start=2,
    )
    AccessLog.objects.create(
        username="iemand", ip_address="127.0.0.1", user_agent="test", http_accept="*/*"
    )
    AccessFailureLog.objects.create(
        username="iemand", ip_address="127.0.0.1", user_agent="test", http_accept="*/*"
    )


def _pages():
    yield reverse("admin:index")
    for model in (AccessAttempt, AccessLog, AccessFailureLog, DBTaskResult):
        yield reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        yield reverse("admin:app_list", args=[model._meta.app_label])


def test_the_admin_index_names_the_libraries_apps_in_dutch(admin_client, library_rows):
    text = _visible_text(admin_client.get(reverse("admin:index")).content.decode())
    assert "Inlogbeveiliging" in text
    assert "Achtergrondtaken" in text
    assert "Inlogpogingen" in text and "Taakresultaten" in text


def test_no_english_names_on_the_libraries_admin_pages(admin_client, library_rows, evaluation):
    DBTaskResult.objects.create(
        task_path="reports.tasks.render_report",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        run_after="2026-01-01T00:00:00Z",
        status="SUCCESSFUL",
        exception_class_path="",
        traceback="",
    )
    for url in _pages():
        response = admin_client.get(url)
        assert response.status_code == 200, url
        english = set(ENGLISH.findall(_visible_text(response.content.decode())))
        assert not english, (url, english)


def test_a_task_whose_code_is_gone_still_lists(admin_client):
    DBTaskResult.objects.create(
        task_path="reports.tasks.a_task_renamed_since",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        run_after="2026-01-01T00:00:00Z",
        exception_class_path="",
        traceback="",
    )
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "a_task_renamed_since" in response.content.decode()


def test_a_task_results_detail_page_speaks_dutch(admin_client):
    result = DBTaskResult.objects.create(
        task_path="reports.tasks.render_report",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        run_after="2026-01-01T00:00:00Z",
        status="FAILED",
        exception_class_path="ValueError",
        traceback="Traceback (most recent call last): ...",
    )
    url = reverse("admin:django_tasks_database_dbtaskresult_change", args=[result.pk])
    text = _visible_text(admin_client.get(url).content.decode())
    assert "Mislukt" in text
    assert "Foutspoor (traceback)" in text
    assert "Niet eerder dan" in text
