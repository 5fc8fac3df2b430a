from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Rapportage")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sessions.services import evaluation_created

        from .catalogue import catalogue_install

        def install(sender, evaluation, **kwargs):
            catalogue_install(evaluation=evaluation)

        evaluation_created.connect(install, weak=False, dispatch_uid="reports_catalogue")

        from sessions.wall import prompt_sources

        from .wall import prompt_specs

        def specs(sender, evaluation, **kwargs):
            return prompt_specs(evaluation=evaluation)

        prompt_sources.connect(specs, weak=False, dispatch_uid="reports_prompt_specs")

        from sessions.services import personal_data_removed

        from .rendering import reports_forget

        def forget(sender, evaluation, **kwargs):
            reports_forget(evaluation=evaluation)

        personal_data_removed.connect(forget, weak=False, dispatch_uid="reports_forget")
