from django.contrib import admin

from evaluatiespiegel.admin_scoping import EvaluationScopedAdmin

from .models import HowQuestion, Paradox, Recommendation


@admin.register(Paradox)
class ParadoxAdmin(EvaluationScopedAdmin):
    list_display = ["title", "condition", "evaluation"]
    list_filter = ["condition", "evaluation"]
    search_fields = ["title", "practice", "theory"]


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 1
    fields = ["order", "text"]


@admin.register(HowQuestion)
class HowQuestionAdmin(EvaluationScopedAdmin):
    list_display = ["text", "condition", "order", "evaluation"]
    list_filter = ["condition", "evaluation"]
    search_fields = ["text", "recommendations__text"]
    inlines = [RecommendationInline]
