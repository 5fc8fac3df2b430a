from django.contrib import admin

from evaluatiespiegel.admin_scoping import EvaluationScopedAdmin

from .models import Allocation


class PointsReadOnly:
    """Points are written only by the scoring service (audit row, live version, rules).

    The admin shows allocations and their history but cannot add, change or delete them:
    a change here would reach neither the audit trail nor the projector.
    """

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Allocation)
class AllocationAdmin(PointsReadOnly, EvaluationScopedAdmin):
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
