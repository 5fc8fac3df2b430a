"""The admin site (Beheer): superusers only, as the role table in sessions.permissions says."""

import functools

from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import TO_FIELD_VAR

from sessions.permissions import admin_allowed


class SuperuserAdminSite(admin.AdminSite):
    site_header = "Evaluatiespiegel"
    site_title = "Evaluatiespiegel"
    index_title = "Beheer"

    def has_permission(self, request) -> bool:
        """Only superusers: staff status and model permissions alone open nothing here."""
        return admin_allowed(request.user)

    def admin_view(self, view, cacheable=False):
        """Refuses an empty ``_to_field`` with a 400: Django's change and delete views take it
        for a field name and crash (FieldDoesNotExist, a 500) on ``?_to_field=``."""
        inner = super().admin_view(view, cacheable)

        @functools.wraps(inner)
        def guarded(request, *args, **kwargs):
            data = request.POST if request.method == "POST" else request.GET
            if data.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR)) == "":
                raise DisallowedModelAdminToField("Lege _to_field")
            return inner(request, *args, **kwargs)

        return guarded
