"""What the analyst writes: paradoxes, how-questions and recommendations."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.conditions import Condition

_CONDITION_VALID = Q(condition__in=[c.value for c in Condition])


class Paradox(models.Model):
    """One tension per condition, "kracht versus tegenkracht"."""

    evaluation = models.ForeignKey(
        "workshop.Evaluation",
        on_delete=models.CASCADE,
        related_name="paradoxes",
        verbose_name=_("evaluatie"),
    )
    condition = models.CharField(_("conditie"), max_length=20, choices=Condition.choices)
    title = models.CharField(
        _("titel"), max_length=200, help_text=_("Kracht versus tegenkracht, bijv. 'X versus Y'.")
    )
    practice = models.TextField(_("beschrijving vanuit de praktijk"), blank=True)
    theory = models.TextField(_("vanuit de theorie"), blank=True)

    class Meta:
        verbose_name = _("paradox")
        verbose_name_plural = _("paradoxen")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "condition"],
                name="one_paradox_per_condition",
                violation_error_message=_("Deze conditie heeft al een paradox."),
            ),
            models.CheckConstraint(condition=_CONDITION_VALID, name="paradox_condition_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_condition_display()}: {self.title}"


class HowQuestion(models.Model):
    evaluation = models.ForeignKey(
        "workshop.Evaluation",
        on_delete=models.CASCADE,
        related_name="how_questions",
        verbose_name=_("evaluatie"),
    )
    condition = models.CharField(_("conditie"), max_length=20, choices=Condition.choices)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    text = models.CharField(_("hoe-vraag"), max_length=300)

    class Meta:
        verbose_name = _("hoe-vraag")
        verbose_name_plural = _("hoe-vragen")
        ordering = ["evaluation", "condition", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=_CONDITION_VALID, name="how_question_condition_valid"),
        ]

    def __str__(self) -> str:
        return self.text


class Recommendation(models.Model):
    how_question = models.ForeignKey(
        HowQuestion,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("hoe-vraag"),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    text = models.TextField(_("aanbeveling"))

    class Meta:
        verbose_name = _("aanbeveling")
        verbose_name_plural = _("aanbevelingen")
        ordering = ["how_question", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]
