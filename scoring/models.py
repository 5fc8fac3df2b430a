"""Allocations: each participant distributes exactly 10 points over the five conditions."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sessions.models import SessionState

from .conditions import CONDITION_FIELDS, POINTS_MAX, POINTS_TOTAL, Condition


def _points_field(condition: Condition) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(condition.label)


def _sums_to_total() -> Q:
    first, *rest = CONDITION_FIELDS
    remainder = models.Value(POINTS_TOTAL)
    for field in rest:
        remainder = remainder - models.F(field)
    return Q(**{first: remainder})


def _range_constraints() -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}__gte": 0, f"{field}__lte": POINTS_MAX}),
            name=f"allocation_{field}_0_to_10",
            violation_error_message=_("Elke conditie krijgt 0 tot en met 10 punten."),
        )
        for field in CONDITION_FIELDS
    ]


class AllocationQuerySet(models.QuerySet):
    def counted(self) -> "AllocationQuerySet":
        """The allocations that count: those whose author is (still) in the session's group.

        The one definition of "who scored", used by every count, mean, chart, report and
        export. A participant taken out of a group after scoring no longer counts there (the
        facilitator's group is the truth); their row and its history stay, and count again if
        they are put back.
        """
        from sessions.models import ReconstructionSession

        members = ReconstructionSession.participants.through.objects.filter(
            reconstructionsession_id=models.OuterRef("session_id"),
            participant_id=models.OuterRef("participant_id"),
        )
        return self.filter(models.Exists(members))


def counted_allocations(**outer: str) -> models.Subquery:
    """The number of counted allocations as a subquery, e.g. ``counted_allocations(session="pk")``.

    For annotations (``sessions.annotate(allocation_count=counted_allocations(session="pk"))``);
    a subquery, so it does not multiply with other joins of the same query.
    """
    rows = (
        Allocation.objects.counted()
        .filter(**{name: models.OuterRef(ref) for name, ref in outer.items()})
        .order_by()
        .values(*outer)
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(models.Subquery(rows, output_field=models.IntegerField()), 0)


class Allocation(models.Model):
    session = models.ForeignKey(
        "workshop.ReconstructionSession",
        on_delete=models.CASCADE,
        related_name="allocations",
        verbose_name=_("sessie"),
    )
    participant = models.ForeignKey(
        "workshop.Participant",
        on_delete=models.CASCADE,
        related_name="allocations",
        verbose_name=_("deelnemer"),
    )
    ambitie = _points_field(Condition.AMBITIE)
    belangen = _points_field(Condition.BELANGEN)
    relatie = _points_field(Condition.RELATIE)
    organisatie = _points_field(Condition.ORGANISATIE)
    proces = _points_field(Condition.PROCES)
    created_at = models.DateTimeField(_("ingediend"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    objects = AllocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("puntenverdeling")
        verbose_name_plural = _("puntenverdelingen")
        constraints = [
            *_range_constraints(),
            models.CheckConstraint(
                condition=_sums_to_total(),
                name="allocation_sums_to_10",
                violation_error_message=_("De punten moeten samen precies 10 zijn."),
            ),
            models.UniqueConstraint(
                fields=["session", "participant"],
                name="one_allocation_per_participant_per_session",
                violation_error_message=_(
                    "Deze deelnemer heeft voor deze sessie al een puntenverdeling."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.session}"

    def save(self, *args, **kwargs) -> None:
        self.check_session_rules()
        super().save(*args, **kwargs)
        self._stored_points = self.points

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_points = (
            instance.points if set(CONDITION_FIELDS) <= set(field_names) else None
        )
        return instance

    @property
    def points(self) -> dict[str, int]:
        return {field: getattr(self, field) for field in CONDITION_FIELDS}

    @property
    def version(self) -> str:
        """Which state of these points a form was based on: the moment of the last change.

        A score form carries it (``versie``), so a submit from a form drawn before another
        device changed the points is recognised (allocation_submit, code "stale").
        """
        return self.updated_at.strftime("%Y%m%d%H%M%S%f") if self.updated_at else ""

    @property
    def total(self) -> int:
        return sum(value or 0 for value in self.points.values())

    def clean(self) -> None:
        super().clean()
        values = self.points
        if all(isinstance(v, int) for v in values.values()) and self.total != POINTS_TOTAL:
            raise ValidationError(points_total_message(self.total))
        self.check_session_rules()

    def check_session_rules(self) -> None:
        """The rules a database constraint cannot express: who may score which session, and when."""
        if not (self.session_id and self.participant_id):
            return
        session = self.session
        participant = self.participant
        if participant.evaluation_id != session.evaluation_id:
            raise ValidationError(
                _("Deze deelnemer hoort bij een andere evaluatie dan deze sessie."),
                code="participant_other_evaluation",
            )
        if not session.participants.filter(pk=participant.pk).exists():
            raise ValidationError(
                _("Deze deelnemer zit niet in de groep van deze sessie."),
                code="participant_not_in_group",
            )
        unchanged = getattr(self, "_stored_points", None) == self.points and self.pk
        if session.state == SessionState.VOORBEREIDING and not unchanged:
            raise ValidationError(
                _("Deze sessie is nog niet geopend: er kunnen nog geen scores worden ingevoerd."),
                code="session_not_open",
            )
        if session.is_closed and not unchanged:
            raise ValidationError(
                _("Deze sessie is gesloten: de scores kunnen niet meer worden gewijzigd."),
                code="session_closed",
            )


def points_total_message(total: int) -> str:
    if total < POINTS_TOTAL:
        short = POINTS_TOTAL - total
        return ngettext(
            "Je hebt {total} punten verdeeld: er moet nog {short} punt bij om op 10 te komen.",
            "Je hebt {total} punten verdeeld: er moeten nog {short} punten bij om op 10 te komen.",
            short,
        ).format(total=total, short=short)
    extra = total - POINTS_TOTAL
    return ngettext(
        "Je hebt {total} punten verdeeld: dat is {extra} punt te veel, het moeten er 10 zijn.",
        "Je hebt {total} punten verdeeld: dat zijn {extra} punten te veel, het moeten er 10 zijn.",
        extra,
    ).format(total=total, extra=extra)


class AllocationChange(models.Model):
    """Audit trail: every create and change of an allocation, old and new points."""

    session = models.ForeignKey(
        "workshop.ReconstructionSession",
        on_delete=models.CASCADE,
        related_name="allocation_changes",
        verbose_name=_("sessie"),
    )
    participant = models.ForeignKey(
        "workshop.Participant",
        on_delete=models.CASCADE,
        related_name="allocation_changes",
        verbose_name=_("deelnemer"),
    )
    old_points = models.JSONField(_("oude punten"), null=True, blank=True)
    new_points = models.JSONField(_("nieuwe punten"))
    changed_by = models.CharField(_("door"), max_length=150)
    changed_at = models.DateTimeField(_("tijdstip"), auto_now_add=True)

    class Meta:
        verbose_name = _("wijziging van een puntenverdeling")
        verbose_name_plural = _("wijzigingen van puntenverdelingen")
        ordering = ["changed_at", "pk"]
        indexes = [
            models.Index(fields=["session", "changed_at"]),
            # A participant's own changes in a session: their page's signature (issue 14).
            models.Index(fields=["participant", "session"], name="change_by_participant"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.changed_at:%Y-%m-%d %H:%M:%S}"

    @staticmethod
    def _summary(points: dict | None) -> str:
        return " ".join(str(points[f]) for f in CONDITION_FIELDS) if points else ""

    @property
    def old_summary(self) -> str:
        return self._summary(self.old_points)

    @property
    def new_summary(self) -> str:
        return self._summary(self.new_points)
