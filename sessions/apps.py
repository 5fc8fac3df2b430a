from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopConfig(AppConfig):
    # Our package is called `sessions`, like django.contrib.sessions; both would
    # claim the app label "sessions", so ours gets its own.
    name = "sessions"
    label = "workshop"
    verbose_name = _("Evaluaties en sessies")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401
