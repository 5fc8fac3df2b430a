from django.contrib import admin

from evaluatiespiegel.admin_scoping import EvaluationScopedAdmin

from .models import Allocation


@admin.register(Allocation)
class AllocationAdmin(EvaluationScopedAdmin):
    evaluation_path = "session__evaluation"
    list_display = [
        "participant",
        "session",
        "ambitie",
        "belangen",
        "relatie",
        "organisatie",
        "proces",
        "updated_at",
    ]
    list_filter = ["session__evaluation", "participant__role", "session__day"]
    search_fields = ["participant__name", "session__key_moment__title"]
    list_select_related = ["participant", "session__key_moment"]
    autocomplete_fields = ["participant"]
    raw_id_fields = ["session"]
