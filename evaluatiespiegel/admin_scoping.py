"""Admin for staff who work on some evaluations only: they see and pick only those."""

from django.contrib import admin

from sessions.models import Evaluation


class EvaluationScopedAdmin(admin.ModelAdmin):
    #: ORM path from this model to its Evaluation, e.g. "session__evaluation".
    evaluation_path = "evaluation"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        allowed = Evaluation.objects.for_user(request.user).values("pk")
        return queryset.filter(**{f"{self.evaluation_path}__in": allowed})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if not request.user.is_superuser and field is not None:
            model = db_field.related_model
            if model is Evaluation:
                field.queryset = Evaluation.objects.for_user(request.user)
            elif hasattr(model, "evaluation"):
                field.queryset = field.queryset.filter(
                    evaluation__in=Evaluation.objects.for_user(request.user)
                )
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if not request.user.is_superuser and field is not None:
            field.queryset = field.queryset.filter(
                evaluation__in=Evaluation.objects.for_user(request.user)
            )
        return field
