from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from evaluatiespiegel.admin_scoping import EvaluationScopedAdmin
from scoring.admin import PointsReadOnly
from scoring.models import Allocation

from .models import (
    Evaluation,
    EvaluationMember,
    KeyMoment,
    Participant,
    ReconstructionSession,
)
from .services import evaluation_create


class KeyMomentInline(admin.TabularInline):
    model = KeyMoment
    extra = 0
    fields = ["order", "title", "phase", "period"]


class SessionInline(admin.TabularInline):
    model = ReconstructionSession
    extra = 0
    fields = ["key_moment", "day", "slot", "room", "state"]
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "key_moment":
            evaluation_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = KeyMoment.objects.filter(evaluation_id=evaluation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MemberInline(admin.TabularInline):
    model = EvaluationMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Evaluation)
class EvaluationAdmin(EvaluationScopedAdmin):
    evaluation_path = "pk"
    list_display = ["title", "slug", "client", "contractor", "starts_on", "join_code"]
    search_fields = ["title", "slug", "client", "contractor", "join_code"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [MemberInline, KeyMomentInline, SessionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "client", "contractor", "description"]}),
        (_("Workshop"), {"fields": ["starts_on", "ends_on", "central_questions", "join_code"]}),
        (_("Instellingen"), {"fields": ["self_registration", "names_in_interim_report"]}),
    ]

    def save_model(self, request, obj, form, change):
        # A new evaluation goes through the one service that makes evaluations: its creator
        # becomes its facilitator and it gets the default catalogue.
        if change:
            super().save_model(request, obj, form, change)
        else:
            evaluation_create(user=request.user, evaluation=obj)


@admin.register(KeyMoment)
class KeyMomentAdmin(EvaluationScopedAdmin):
    list_display = ["title", "evaluation", "order", "phase", "period"]
    list_filter = ["phase", "evaluation"]
    search_fields = ["title", "description"]
    list_select_related = ["evaluation"]


@admin.register(Participant)
class ParticipantAdmin(EvaluationScopedAdmin):
    list_display = ["name", "organisation", "role", "evaluation", "session_count"]
    list_filter = ["role", "evaluation"]
    search_fields = ["name", "organisation"]
    list_select_related = ["evaluation"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_session_count=Count("sessions"))

    @admin.display(description=_("sessies"), ordering="_session_count")
    def session_count(self, obj) -> int:
        return obj._session_count


class AllocationInline(PointsReadOnly, admin.TabularInline):
    model = Allocation
    extra = 0
    fields = ["participant", "ambitie", "belangen", "relatie", "organisatie", "proces"]
    readonly_fields = fields


class SessionAdminForm(forms.ModelForm):
    class Meta:
        model = ReconstructionSession
        fields = [
            "evaluation",
            "key_moment",
            "day",
            "slot",
            "room",
            "state",
            "participants",
            "reconstruction",
            "reflections",
            "insights",
            "lessons",
        ]

    def clean(self):
        cleaned = super().clean()
        evaluation = cleaned.get("evaluation")
        group = cleaned.get("participants")
        if evaluation and group is not None:
            foreign = [p for p in group if p.evaluation_id != evaluation.pk]
            if foreign:
                self.add_error(
                    "participants",
                    _("Deze deelnemers horen bij een andere evaluatie: %(names)s")
                    % {"names": ", ".join(p.name for p in foreign)},
                )
        return cleaned


@admin.register(ReconstructionSession)
class ReconstructionSessionAdmin(EvaluationScopedAdmin):
    form = SessionAdminForm
    list_display = ["__str__", "evaluation", "day", "slot", "state", "group_size"]
    list_filter = ["state", "day", "evaluation"]
    search_fields = ["key_moment__title", "room", "participants__name"]
    filter_horizontal = ["participants"]
    list_select_related = ["evaluation", "key_moment"]
    inlines = [AllocationInline]
    fieldsets = [
        (None, {"fields": ["evaluation", "key_moment", "day", "slot", "room", "state"]}),
        (_("Groep"), {"fields": ["participants"]}),
        (_("Notities"), {"fields": ["reconstruction", "reflections", "insights", "lessons"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_group_size=Count("participants"))

    @admin.display(description=_("groepsgrootte"), ordering="_group_size")
    def group_size(self, obj) -> int:
        return obj._group_size
