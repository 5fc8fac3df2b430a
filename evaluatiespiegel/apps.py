from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class EvaluatiespiegelAdminConfig(AdminConfig):
    """Django's admin with our site: superusers only (evaluatiespiegel.admin_site)."""

    default_site = "evaluatiespiegel.admin_site.SuperuserAdminSite"


class ProjectConfig(AppConfig):
    """Project-wide hooks that belong to no app: private SQLite files."""

    name = "evaluatiespiegel"
    verbose_name = "Evaluatiespiegel"

    def ready(self) -> None:
        from . import database

        database.connect()


class AxesConfig(AxesAppConfig):
    """django-axes under a Dutch name in the admin (the library gives its app none)."""

    verbose_name = _("Inlogbeveiliging")


class TasksDatabaseConfig(TasksAppConfig):
    """django-tasks-db's results under a Dutch name ("Tasks Database Backend", a plain string)."""

    verbose_name = _("Achtergrondtaken")
