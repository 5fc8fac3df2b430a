"""The admin site (Beheer): superusers only, as the role table in sessions.permissions says."""

from django.contrib import admin

from sessions.permissions import admin_allowed


class SuperuserAdminSite(admin.AdminSite):
    site_header = "Evaluatiespiegel"
    site_title = "Evaluatiespiegel"
    index_title = "Beheer"

    def has_permission(self, request) -> bool:
        """Only superusers: staff status and model permissions alone open nothing here."""
        return admin_allowed(request.user)
