from django.contrib.admin.apps import AdminConfig


class EvaluatiespiegelAdminConfig(AdminConfig):
    """Django's admin with our site: superusers only (evaluatiespiegel.admin_site)."""

    default_site = "evaluatiespiegel.admin_site.SuperuserAdminSite"
