"""Dutch column names for the libraries' admin pages (django-axes, django-tasks-db).

Their model and field names are gettext'd with English ids and get Dutch from
``evaluatiespiegel/library_locale``; a few column names are plain strings or method names in
the libraries (axes' "expiration" and "status", django-tasks-db's "task_name", "traceback" and
"run after"), so their admin classes are re-registered here with the same behaviour and a
translatable name. Imported by the admin's autodiscovery, before the libraries' own admin
modules would be: it imports them first.
"""

from axes import admin as axes_admin
from axes.models import AccessAttempt
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db import admin as tasks_admin
from django_tasks_db.models import DBTaskResult


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    @admin.display(description=_("Verloopt op"))
    def expiration(self, obj: AccessAttempt):
        return super().expiration(obj)

    @admin.display(description=_("Status"))
    def status(self, obj: AccessAttempt):
        return super().status(obj)


class DBTaskResultAdmin(tasks_admin.DBTaskResultAdmin):
    list_display = tuple(
        "task_label" if name == "task_name" else name
        for name in tasks_admin.DBTaskResultAdmin.list_display
    )

    @admin.display(description=_("taak"))
    def task_label(self, obj: DBTaskResult) -> str:
        # The library loads the task to name it: a task renamed by an upgrade, or a backend
        # that refuses the row's options, would turn the whole list into a 500.
        try:
            return obj.task_name
        except Exception:
            return obj.task_path

    @admin.display(description=_("foutspoor (traceback)"))
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=_("niet eerder dan"))
    def display_run_after(self, obj: DBTaskResult):
        return super().display_run_after(obj)


for model, model_admin in ((AccessAttempt, AccessAttemptAdmin), (DBTaskResult, DBTaskResultAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
