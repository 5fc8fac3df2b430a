from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


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
