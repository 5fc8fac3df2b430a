"""What the analyst writes: paradoxes, how-questions and recommendations."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluatiespiegel.fields import MEDIUM, BoundedTextField
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
    practice = BoundedTextField(_("beschrijving vanuit de praktijk"), blank=True)
    theory = BoundedTextField(_("vanuit de theorie"), blank=True)

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
    text = BoundedTextField(_("aanbeveling"), max_length=MEDIUM)

    class Meta:
        verbose_name = _("aanbeveling")
        verbose_name_plural = _("aanbevelingen")
        ordering = ["how_question", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ReportText(models.Model):
    """The analyst's texts of the eindrapport, section by section, in the report's order."""

    evaluation = models.OneToOneField(
        "workshop.Evaluation",
        on_delete=models.CASCADE,
        related_name="report_text",
        verbose_name=_("evaluatie"),
    )
    # Cover
    title = models.CharField(_("titel"), max_length=200, blank=True)
    subtitle = models.CharField(_("ondertitel"), max_length=200, blank=True)
    report_date = models.CharField(
        _("datum"), max_length=60, blank=True, help_text=_("Bijv. 'December 2025'.")
    )
    analyst = models.CharField(_("analist"), max_length=120, blank=True)
    publisher = models.CharField(
        _("uitgever"),
        max_length=120,
        blank=True,
        help_text=_("Staat op het omslag en in de kopregel."),
    )
    # 1 Inleiding
    introduction = BoundedTextField(_("inleiding"), blank=True)
    reason = BoundedTextField(_("1.1 aanleiding"), blank=True)
    method = BoundedTextField(_("1.2 evaluatiemethode"), blank=True)
    goal = BoundedTextField(_("1.3 doel van dit rapport"), blank=True)
    # 2 Contract forms
    contract_intro = BoundedTextField(_("2 inleiding"), blank=True)
    other_form = models.CharField(
        _("andere contractvorm"), max_length=60, default="D&C", help_text=_("Bijv. 'D&C'.")
    )
    contract_conclusion = BoundedTextField(_("kortom"), blank=True)
    # 3 Theoretical frame
    theory = BoundedTextField(_("3 theoretisch kader"), blank=True)
    theory_charts = BoundedTextField(_("tekst bij de spindiagrammen"), blank=True)
    # Chapter 3's generated insight blocks, each switchable by the analyst.
    show_imbalance = models.BooleanField(
        _("toon de gevolgen van onevenwichtige aandacht"), default=True
    )
    show_roles = models.BooleanField(
        _("toon de verschillen tussen vertellers en reflectoren"), default=True
    )
    show_agreement = models.BooleanField(_("toon de overeenstemming in de zaal"), default=True)
    show_lifecycle = models.BooleanField(_("toon de levenscyclus"), default=True)
    # 4 Paradoxes
    paradoxes_intro = BoundedTextField(_("4 inleiding"), blank=True)
    how_questions_intro = BoundedTextField(_("4.2 inleiding"), blank=True)
    # 5, 6
    conclusion_intro = BoundedTextField(_("5 inleiding"), blank=True)
    closing = BoundedTextField(_("6 tot slot"), blank=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("rapporttekst")
        verbose_name_plural = _("rapportteksten")

    def __str__(self) -> str:
        return self.title or str(self.evaluation)


class ContractTheme(models.Model):
    """Chapter 2: one theme on which the alliance and another contract form differ."""

    evaluation = models.ForeignKey(
        "workshop.Evaluation", on_delete=models.CASCADE, related_name="contract_themes"
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    title = models.CharField(_("thema"), max_length=200)
    alliance = BoundedTextField(_("alliantie"), blank=True, max_length=MEDIUM)
    other = BoundedTextField(_("andere contractvorm"), blank=True, max_length=MEDIUM)

    class Meta:
        verbose_name = _("thema contractvormen")
        verbose_name_plural = _("thema's contractvormen")
        ordering = ["evaluation", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class ConclusionTheme(models.Model):
    """Chapter 5: one of the dominant themes of the conclusion."""

    evaluation = models.ForeignKey(
        "workshop.Evaluation", on_delete=models.CASCADE, related_name="conclusion_themes"
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    title = models.CharField(_("thema"), max_length=200)
    text = BoundedTextField(_("tekst"), blank=True)

    class Meta:
        verbose_name = _("thema conclusie")
        verbose_name_plural = _("thema's conclusie")
        ordering = ["evaluation", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class RenderedReport(models.Model):
    """One request for a report as PDF, rendered by the background worker (reports/tasks.py).

    The rows are the queue's visible side and the cache: a finished row keeps its PDF and
    the hash of the HTML it came from, so an unchanged report is not laid out again.
    """

    class Kind(models.TextChoices):
        EINDRAPPORT = "eindrapport", _("eindrapport")
        TUSSENRAPPORTAGE = "tussenrapportage", _("tussenrapportage")

    class Status(models.TextChoices):
        QUEUED = "wachtrij", _("in de wachtrij")
        RUNNING = "bezig", _("wordt gemaakt")
        DONE = "klaar", _("klaar")
        FAILED = "mislukt", _("mislukt")

    evaluation = models.ForeignKey(
        "workshop.Evaluation",
        on_delete=models.CASCADE,
        related_name="rendered_reports",
        verbose_name=_("evaluatie"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    content_hash = models.CharField(_("inhoud (SHA-256)"), max_length=64, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(_("grootte (bytes)"), default=0)
    error = models.TextField(_("melding"), blank=True)
    reused = models.BooleanField(_("ongewijzigd, niet opnieuw opgemaakt"), default=False)
    requested_at = models.DateTimeField(_("aangevraagd"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar om"), null=True, blank=True)

    class Meta:
        verbose_name = _("gemaakt rapport")
        verbose_name_plural = _("gemaakte rapporten")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["evaluation", "kind", "-requested_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["eindrapport", "tussenrapportage"]),
                name="rendered_report_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="klaar") | Q(pdf__isnull=False),
                name="rendered_report_done_has_pdf",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_status_display()}"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
