"""Evaluations, key moments, participants and reconstruction sessions."""

import functools
import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, Length, Lower, Trim
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluatiespiegel import rawsql
from evaluatiespiegel.fields import MEDIUM, BoundedTextField
from evaluatiespiegel.text import normalise_typed

from .live import room_changed, wall_changed

# No 0/O, 1/I/L: a code read from a projector at the back of the room must not be misread.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


def generate_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def generate_participant_token() -> str:
    return secrets.token_urlsafe(32)


def default_min_group_size() -> int:
    """The MIN_GROUP_SIZE setting (default 3): where a new evaluation starts."""
    return max(1, int(getattr(settings, "MIN_GROUP_SIZE", 3)))


PSEUDONYM_PREFIX = "Deelnemer-"
PSEUDONYM_LENGTH = 8


def generate_pseudonym() -> str:
    """A random pseudonym, e.g. 'Deelnemer-K7QX2M9A'.

    Random and stored (not derived from anything), so no participant, export or backup can
    be used to reverse it. 31^8 ≈ 8.5e11 values: a clash within one evaluation is
    negligible, and the database refuses it anyway (unique per evaluation).
    """
    code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(PSEUDONYM_LENGTH))
    return f"{PSEUDONYM_PREFIX}{code}"


WALL_PSEUDONYM_PREFIX = "Schrijver-"


def generate_wall_pseudonym() -> str:
    """A random pseudonym for the slotdialoog, e.g. 'Schrijver-K7QX2M9A'.

    A namespace of its own, drawn independently of `generate_pseudonym`: the authors of the
    wall cannot be joined to the pseudonyms beside the points (DESIGN.md §6), so a
    contribution never leads to a person's points or their name.
    """
    code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(PSEUDONYM_LENGTH))
    return f"{WALL_PSEUDONYM_PREFIX}{code}"


def normalise_join_code(raw: str) -> str:
    """What a person typed, as a code: without spaces or hyphens, in capitals ("dmm d25" and
    "DMM-D25" are DMMD25). The join form, the model and the console all go through here.
    Pasted text is cleaned first (evaluatiespiegel.text.normalise_typed): "3BZTTV\u200b"
    and fullwidth "３ＢＺＴＴＶ" are 3BZTTV."""
    return "".join(normalise_typed(raw).split()).replace("-", "").upper()


# The one definition of a valid join code: the join form, the model field (so admin, console
# and import) and a database constraint all use it.
JOIN_CODE_REGEX = rf"^[{JOIN_CODE_ALPHABET}]{{{JOIN_CODE_LENGTH}}}$"
_JOIN_CODE_RE = re.compile(JOIN_CODE_REGEX)


def is_join_code(code: str) -> bool:
    """True for a normalised code that participants can type (see JOIN_CODE_REGEX)."""
    return bool(_JOIN_CODE_RE.fullmatch(code))


def validate_join_code(value: str) -> None:
    """Raises ValidationError (Dutch) unless ``value`` is a join code the join form accepts."""
    if not is_join_code(value):
        raise ValidationError(
            _(
                "Een deelnamecode is precies %(length)s tekens: hoofdletters en cijfers die niet "
                "op elkaar lijken (geen 0, O, 1, I of L), bijv. %(example)s."
            ),
            code="join_code",
            params={"length": JOIN_CODE_LENGTH, "example": "DMMD25"},
        )


class JoinCodeField(models.CharField):
    """A join code, normalised on clean (``" dmmd 25"`` becomes ``DMMD25``) and validated."""

    default_validators = [validate_join_code]

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_join_code(value) if isinstance(value, str) else value


class EvaluationQuerySet(models.QuerySet):
    def for_user(self, user) -> "EvaluationQuerySet":
        """Evaluations this user may work on: superusers all, others those they are on the team of."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(members__user=user).distinct()

    def with_participation(self) -> "EvaluationQuerySet":
        """Annotates ``participant_count`` (on the list) and ``took_part_count`` (took part,
        ``took_part_condition``); subqueries, so they do not multiply with other joins."""

        def count(*conditions):
            rows = (
                Participant.objects.filter(*conditions, evaluation=OuterRef("pk"))
                .order_by()
                .values("evaluation")
                .annotate(n=Count("pk"))
                .values("n")
            )
            return Coalesce(models.Subquery(rows, output_field=models.IntegerField()), 0)

        return self.annotate(
            participant_count=count(), took_part_count=count(took_part_condition())
        )


class Evaluation(models.Model):
    title = models.CharField(
        _("titel"), max_length=200, help_text=_("Bijv. Alliantie Markermeerdijken")
    )
    slug = models.SlugField(
        _("korte naam"),
        max_length=60,
        unique=True,
        help_text=_("Gebruikt in adressen en opdrachten, bijv. ammd-2025."),
    )
    client = models.CharField(_("opdrachtgever"), max_length=200, blank=True)
    contractor = models.CharField(_("opdrachtnemer"), max_length=200, blank=True)
    description = BoundedTextField(_("omschrijving"), blank=True, max_length=MEDIUM)
    central_questions = BoundedTextField(
        _("centrale vragen"), blank=True, max_length=MEDIUM, help_text=_("Eén vraag per regel.")
    )
    starts_on = models.DateField(_("eerste dag"), null=True, blank=True)
    ends_on = models.DateField(_("laatste dag"), null=True, blank=True)
    join_code = JoinCodeField(
        _("deelnamecode"),
        max_length=12,
        unique=True,
        default=generate_join_code,
        help_text=_(
            "Deelnemers typen deze code om mee te doen: 6 hoofdletters en cijfers, "
            "zonder 0, O, 1, I of L."
        ),
    )
    self_registration = models.BooleanField(_("deelnemers mogen zichzelf aanmelden"), default=False)
    names_in_interim_report = models.BooleanField(_("namen in de tussenrapportage"), default=False)
    min_group_size = models.PositiveSmallIntegerField(
        _("minimale groepsgrootte"),
        default=default_min_group_size,
        help_text=_(
            "Een gemiddelde per rol (en de losse verdelingen) verschijnt pas vanaf zoveel "
            "deelnemers, zodat niemands eigen punten te herleiden zijn."
        ),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("slug"),
                name="evaluation_slug_unique_any_case",
                violation_error_message=_("Deze korte naam is al in gebruik. Kies een andere."),
            ),
            models.CheckConstraint(
                condition=Q(join_code__regex=JOIN_CODE_REGEX),
                name="evaluation_join_code_format",
                violation_error_code="join_code",
                violation_error_message=_(
                    "Een deelnamecode is precies 6 hoofdletters en cijfers, zonder 0, O, 1, I of L."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="evaluation_ends_after_start",
                violation_error_message=_("De laatste dag ligt vóór de eerste dag."),
            ),
            models.CheckConstraint(
                condition=Q(min_group_size__gte=1, min_group_size__lte=100),
                name="evaluation_min_group_size_range",
                violation_error_message=_(
                    "De minimale groepsgrootte ligt tussen 1 en 100 deelnemers."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sessions:overview", args=[self.slug])

    @property
    def team_sees_names(self) -> bool:
        """Whether the team sees a participant's name beside their own points, history or
        contributions (DESIGN.md §6: "names only where the team asked for them").

        The setting "namen in de tussenrapportage" is that request; without it, every
        per-person row the team can see (session page, exports, slotdialoog) carries a
        pseudonym instead. The room (projector, participants) never sees names beside points.
        """
        return bool(self.names_in_interim_report)

    @property
    def central_question_list(self) -> list[str]:
        return [line.strip() for line in self.central_questions.splitlines() if line.strip()]

    def participation(self) -> "Participation":
        """Who took part in this evaluation, in total and per role (one query).

        The figure behind every "N deelnemers deden mee": the console, the insights page and
        the report's method figures. Who took part is ``ParticipantQuerySet.took_part``.
        """
        rows = (
            self.participants.annotate(took=took_part_condition())
            .values("role")
            .annotate(registered=Count("pk"), took_part=Count("pk", filter=Q(took=True)))
            .order_by()
        )
        by_role = {row["role"]: row for row in rows}
        return Participation(
            registered=sum(row["registered"] for row in rows),
            by_role={role: by_role.get(role.value, {}).get("took_part", 0) for role in Role},
        )

    def member_role(self, user) -> str | None:
        if not user.is_authenticated:
            return None
        membership = self.members.filter(user=user).first()
        if membership:
            return membership.role
        return EvaluationMember.Role.FACILITATOR if user.is_superuser else None


class EvaluationMember(models.Model):
    """Gives a Django user access to one evaluation, as facilitator or analyst."""

    class Role(models.TextChoices):
        FACILITATOR = "facilitator", _("facilitator")
        ANALYST = "analist", _("analist")

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="members", verbose_name=_("evaluatie")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="evaluation_memberships",
        verbose_name=_("gebruiker"),
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("teamlid")
        verbose_name_plural = _("teamleden")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "user"],
                name="one_membership_per_user_per_evaluation",
                violation_error_message=_(
                    "Deze gebruiker hoort al bij het team van deze evaluatie."
                ),
            ),
            models.CheckConstraint(
                condition=Q(role__in=["facilitator", "analist"]),
                name="member_role_valid",
                violation_error_message=_("Kies facilitator of analist als rol."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Phase(models.TextChoices):
    """Lifecycle phases of an alliance, in lifecycle order."""

    START = "start", _("Start")
    VORMGEVING = "vormgeving", _("Vormgeving")
    UITVOERING = "uitvoering", _("Uitvoering")
    SLOT = "slot", _("Slot")
    CRISIS = "crisis", _("Crisis")


class KeyMoment(models.Model):
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="key_moments",
        verbose_name=_("evaluatie"),
    )
    order = models.PositiveSmallIntegerField(
        _("volgorde"), help_text=_("Chronologisch: 1 is het vroegste sleutelmoment.")
    )
    title = models.CharField(_("titel"), max_length=200)
    phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices)
    period = models.CharField(
        _("periode"),
        max_length=100,
        blank=True,
        help_text=_("Bijv. 'voorjaar 2016' of '2018–2019'."),
    )
    description = BoundedTextField(_("omschrijving"), blank=True, max_length=MEDIUM)

    class Meta:
        verbose_name = _("sleutelmoment")
        verbose_name_plural = _("sleutelmomenten")
        ordering = ["evaluation", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "order"],
                name="key_moment_order_unique",
                violation_error_message=_("Er is al een sleutelmoment met dit volgnummer."),
            ),
            models.CheckConstraint(
                condition=Q(phase__in=[p.value for p in Phase]),
                name="key_moment_phase_valid",
                violation_error_message=_("Kies een fase uit de lijst."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Role(models.TextChoices):
    VERTELLER = "verteller", _("Verteller")
    REFLECTOR = "reflector", _("Reflector")

    @property
    def plural(self) -> str:
        return str(_ROLE_PLURALS[self])


_ROLE_PLURALS = {Role.VERTELLER: _("Vertellers"), Role.REFLECTOR: _("Reflectoren")}


def took_part_condition(participant: str = "pk") -> Exists:
    """True for a participant who took part: at least one of their allocations counts.

    The one definition of "took part" (nl "deed mee"). A name on the list that never scored,
    or whose only scores lie in groups they were later taken out of, did not take part;
    someone whose personal data was removed afterwards did. What counts as an allocation is
    scoring's ``Allocation.objects.counted()``. ``participant`` is the outer reference to the
    participant's pk (``"participants__pk"`` from an evaluation, say).
    """
    from scoring.models import Allocation

    return Exists(Allocation.objects.counted().filter(participant=OuterRef(participant)))


@dataclass(frozen=True)
class Participation:
    """How many people are on an evaluation's list, and how many of them took part.

    ``by_role`` maps every ``Role`` (in the method's order) to the number who took part in it.
    """

    registered: int
    by_role: dict

    @property
    def took_part(self) -> int:
        return sum(self.by_role.values())

    @property
    def vertellers(self) -> int:
        return self.by_role[Role.VERTELLER]

    @property
    def reflectoren(self) -> int:
        return self.by_role[Role.REFLECTOR]

    def role_counts(self) -> list[tuple[str, int]]:
        """[(plural role name, number who took part)], in the method's order."""
        return [(role.plural, n) for role, n in self.by_role.items()]


class ParticipantQuerySet(models.QuerySet):
    def took_part(self) -> "ParticipantQuerySet":
        """The participants who took part (see ``took_part_condition``)."""
        return self.filter(took_part_condition())

    def in_list_order(self) -> "ParticipantQuerySet":
        """The order of every list of people the team reads: by role in the method's order
        (vertellers, then reflectoren), then by name ignoring case ("de Vries" beside "De
        Wit"). The database's own order of the role values put reflectoren first and sorted
        capitals before small letters, so the list looked unordered."""
        role_rank = Case(
            *(When(role=role, then=Value(rank)) for rank, role in enumerate(Role.values)),
            default=Value(len(Role.values)),
        )
        return self.order_by(role_rank, Lower("name"), "name", "pk")


class Participant(models.Model):
    """Someone in the room. Not a Django user: they reach their page through their Claim.

    `token` identifies the participant inside backup files (evaluatiespiegel/transfer.py) and is
    never shown to anyone; the secret in the personal link lives in the Claim.
    """

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("evaluatie"),
    )
    name = models.CharField(_("naam"), max_length=120)
    organisation = models.CharField(_("organisatie"), max_length=160, blank=True)
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    token = models.CharField(
        _("interne sleutel"),
        max_length=64,
        unique=True,
        default=generate_participant_token,
        editable=False,
    )
    pseudonym = models.CharField(
        _("pseudoniem"), max_length=40, default=generate_pseudonym, editable=False
    )
    #: The author's name on the slotdialoog where the team may not see names; never the same
    #: as `pseudonym` (see generate_wall_pseudonym).
    wall_pseudonym = models.CharField(
        _("pseudoniem op de slotdialoog"),
        max_length=40,
        default=generate_wall_pseudonym,
        editable=False,
    )
    self_registered = models.BooleanField(_("heeft zichzelf aangemeld"), default=False)
    created_at = models.DateTimeField(_("aangemeld"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("persoonsgegevens verwijderd"), null=True, blank=True)
    removed_link = models.CharField(
        _("persoonlijke link bij het verwijderen (hash)"),
        max_length=64,
        blank=True,
        default="",
        editable=False,
        db_index=True,
        help_text=_(
            "Zodat die link na het verwijderen zegt dat de naam verwijderd is, in plaats van "
            "aan te raden opnieuw mee te doen. Alleen de SHA-256 van de link, niet de link."
        ),
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["evaluation", "name"]
        constraints = [
            # Case does not make another person: "anne de vries" is "Anne de Vries"
            # (spaces are collapsed in save()). SQLite's lower() folds ASCII letters only.
            models.UniqueConstraint(
                F("evaluation"),
                Lower("name"),
                Lower("organisation"),
                name="participant_unique_per_evaluation",
                violation_error_message=_(
                    "Er is al een deelnemer met deze naam en organisatie in deze evaluatie."
                ),
            ),
            models.CheckConstraint(
                condition=Q(role__in=["verteller", "reflector"]),
                name="participant_role_valid",
                violation_error_message=_("Kies verteller of reflector als rol."),
            ),
            models.UniqueConstraint(
                fields=["evaluation", "pseudonym"],
                name="participant_pseudonym_unique",
                violation_error_message=_("Dit pseudoniem is al gegeven; probeer het opnieuw."),
            ),
            models.UniqueConstraint(
                fields=["evaluation", "wall_pseudonym"],
                name="participant_wall_pseudonym_unique",
                violation_error_message=_("Dit pseudoniem is al gegeven; probeer het opnieuw."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name

    def save(self, *args, **kwargs) -> None:
        # Whitespace makes no other person either ("Anne  de Vries "): one space between
        # words, whoever writes (forms, imports, the admin); case is the constraint's part.
        # Invisible and fullwidth characters neither (evaluatiespiegel.text).
        self.name = normalise_typed(self.name)
        self.organisation = normalise_typed(self.organisation)
        super().save(*args, **kwargs)

    @staticmethod
    def link_digest(token: str) -> str:
        """What is kept of a personal link's secret once the name is removed (hex SHA-256)."""
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def removed_by_link(cls, token: str) -> bool:
        """Whether ``token`` was the personal link of a name removed after the workshop."""
        return cls.objects.filter(
            removed_link=cls.link_digest(token), anonymised_at__isnull=False
        ).exists()

    @staticmethod
    def identity(name: str, organisation: str) -> tuple[str, str]:
        """What makes two entries the same person: name and organisation, ignoring case and
        spaces (the participant_unique_per_evaluation constraint, in Python)."""
        return (normalise_typed(name).casefold(), normalise_typed(organisation).casefold())


class ClaimManager(models.Manager):
    def by_token(self, token: str) -> "Claim | None":
        """The claim whose token this is, with its participant and their evaluation (all
        three loaded), or None. Every request behind a personal link starts here, so the
        join is written out once (issue 14: the ORM's select_related built it anew on every
        request, which cost more than running it)."""
        if not _TOKEN.fullmatch(token or ""):
            return None  # never a token (a NUL would be a 500 on PostgreSQL)
        sql = _claim_sql()
        with rawsql.cursor() as cursor:
            cursor.execute(sql, [token])
            row = cursor.fetchone()
        if row is None:
            return None
        claim_end = rawsql.width(Claim)
        participant_end = claim_end + rawsql.width(Participant)
        claim = rawsql.instance(Claim, row[:claim_end])
        participant = rawsql.instance(Participant, row[claim_end:participant_end])
        participant.evaluation = rawsql.instance(Evaluation, row[participant_end:])
        claim.participant = participant
        return claim


# What generate_participant_token() makes, and older tokens: URL-safe base64, at most 64.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}", re.ASCII)


@functools.cache
def _claim_sql() -> str:
    id_ = rawsql.name("id")
    return (
        f"SELECT {rawsql.select_list(Claim, 'c')}, {rawsql.select_list(Participant, 'p')}, "
        f"{rawsql.select_list(Evaluation, 'e')} FROM {rawsql.table(Claim)} c "
        f"JOIN {rawsql.table(Participant)} p ON p.{id_} = c.{rawsql.column(Claim, 'participant')} "
        f"JOIN {rawsql.table(Evaluation)} e ON e.{id_} = p.{rawsql.column(Participant, 'evaluation')} "
        f"WHERE c.{rawsql.column(Claim, 'token')} = %s"
    )


class Claim(models.Model):
    """Which device holds a participant's name (DESIGN.md §4, §6).

    Picking a name creates the claim; its token is the secret in the personal link and the
    device's cookie ("verder op een ander apparaat" hands that link to a second device).
    One claim per participant, enforced by the database: nobody else can pick the name
    until the facilitator releases it (claim_release) or the device lets go of it.
    """

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="claim", verbose_name=_("deelnemer")
    )
    token = models.CharField(
        _("persoonlijke sleutel"),
        max_length=64,
        unique=True,
        default=generate_participant_token,
        editable=False,
    )
    created_at = models.DateTimeField(_("gekozen"), auto_now_add=True)
    #: The device that holds the name: the SHA-256 (hex) of its device cookie's secret.
    #: Empty until a device opens the link (a printed card's claim is made before anyone
    #: scans it). Another device that opens the link is asked whether to take the name over.
    device = models.CharField(_("apparaat"), max_length=64, blank=True, editable=False)
    #: When a second device last took the name over (shown on the Deelnemers page).
    moved_at = models.DateTimeField(_("overgenomen op een ander apparaat"), null=True, blank=True)

    objects = ClaimManager()

    class Meta:
        verbose_name = _("gekozen naam")
        verbose_name_plural = _("gekozen namen")

    def __str__(self) -> str:
        return f"{self.participant} ({self.created_at:%Y-%m-%d %H:%M})"

    @staticmethod
    def device_digest(secret: str) -> str:
        """What is stored of a device cookie's secret (hex SHA-256); '' for no secret."""
        return hashlib.sha256(secret.encode()).hexdigest() if secret else ""

    def held_by(self, secret: str) -> bool:
        """Whether the device with this cookie secret may use the personal link: the one
        that holds the name, or any device while no device holds it yet."""
        return not self.device or (
            bool(secret) and secrets.compare_digest(self.device, self.device_digest(secret))
        )


class TimerKind(models.TextChoices):
    """What the round timer counts down: the reconstruction, or the few minutes for scoring."""

    RECONSTRUCTIE = "reconstructie", _("Reconstructie")
    SCOREN = "scoren", _("Scoren")


class RoundState(models.TextChoices):
    """The states of a round in the room, in order: voorbereiding → open → gesloten.

    One vocabulary for a session's scoring round and a slotdialoog question alike: the same
    words on the badges (CSS ``state-…``), the same values in the database checks. What is
    open (scores, contributions) the page around the badge says.
    """

    VOORBEREIDING = "voorbereiding", _("In voorbereiding")
    OPEN = "open", _("Open")
    GESLOTEN = "gesloten", _("Gesloten")


# The names the sessions and the slotdialoog code read: one set of states.
SessionState = RoundState


class ReconstructionSessionQuerySet(models.QuerySet):
    def latest_first(self) -> "ReconstructionSessionQuerySet":
        """Most recently closed (or else opened) first; rounds without timestamps last, by pk.

        The demo, the admin and an import can leave a round without timestamps, so the order
        never compares a missing time with a present one (that crashed the personal page).
        """
        return self.order_by(
            Coalesce("closed_at", "opened_at").desc(nulls_last=True), F("pk").desc()
        )


class ReconstructionSession(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("evaluatie")
    )
    key_moment = models.ForeignKey(
        KeyMoment,
        # A key moment with sessions cannot be deleted on its own, but goes with its evaluation.
        on_delete=models.RESTRICT,
        related_name="sessions",
        verbose_name=_("sleutelmoment"),
    )
    day = models.PositiveSmallIntegerField(_("dag"), help_text=_("1 is de eerste dag."))
    slot = models.PositiveSmallIntegerField(
        _("dagdeel"), help_text=_("Volgnummer van de ronde op die dag.")
    )
    room = models.CharField(
        _("groep of zaal"), max_length=60, blank=True, help_text=_("Bijv. 'Groep A'.")
    )
    participants = models.ManyToManyField(
        Participant, related_name="sessions", blank=True, verbose_name=_("groep")
    )
    state = models.CharField(
        _("status"), max_length=20, choices=SessionState.choices, default=SessionState.VOORBEREIDING
    )
    reconstruction = BoundedTextField(_("reconstructie"), blank=True)
    reflections = BoundedTextField(_("reflecties"), blank=True)
    insights = BoundedTextField(_("inzichten"), blank=True)
    lessons = BoundedTextField(_("lessen"), blank=True)
    live_results = models.BooleanField(
        _("resultaten live tonen"),
        default=False,
        help_text=_("Toon het spindiagram al terwijl de ronde open is."),
    )
    revealed = models.BooleanField(_("resultaten onthuld"), default=False)
    # Bumped on every change of state or visibility; together with the number of recorded
    # allocation changes it is the version that live pages poll for (see live_version()).
    state_version = models.PositiveIntegerField(default=0, editable=False)
    opened_at = models.DateTimeField(_("geopend"), null=True, blank=True)
    closed_at = models.DateTimeField(_("gesloten"), null=True, blank=True)
    timer_kind = models.CharField(
        _("klok"), max_length=20, choices=TimerKind.choices, blank=True, default=""
    )
    timer_ends_at = models.DateTimeField(_("klok loopt af om"), null=True, blank=True)

    objects = ReconstructionSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("reconstructiesessie")
        verbose_name_plural = _("reconstructiesessies")
        ordering = ["evaluation", "day", "slot", "room", "key_moment__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["key_moment", "day", "slot"],
                name="session_key_moment_once_per_slot",
                violation_error_message=_(
                    "Dit sleutelmoment wordt in dit dagdeel al gereconstrueerd."
                ),
            ),
            models.CheckConstraint(
                condition=Q(day__gte=1),
                name="session_day_from_1",
                violation_error_message=_("De dag is 1 of hoger."),
            ),
            models.CheckConstraint(
                condition=Q(slot__gte=1),
                name="session_slot_from_1",
                violation_error_message=_("De ronde is 1 of hoger."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in SessionState]),
                name="session_state_valid",
                violation_error_message=_("Kies een toestand uit de lijst."),
            ),
            models.CheckConstraint(
                condition=(Q(timer_kind="") & Q(timer_ends_at__isnull=True))
                | (Q(timer_kind__in=[k.value for k in TimerKind]) & Q(timer_ends_at__isnull=False)),
                name="session_timer_complete",
                violation_error_message=_(
                    "Een timer heeft een duur en een begintijd, of geen van beide."
                ),
            ),
        ]

    # What live pages show of the session itself; a change bumps the live version (save()).
    LIVE_FIELDS = (
        "state",
        "revealed",
        "live_results",
        "timer_kind",
        "timer_ends_at",
        "day",
        "slot",
        "room",
        "key_moment_id",
    )

    def __str__(self) -> str:
        label = gettext("Dag %(day)s, ronde %(slot)s: %(title)s") % {
            "day": self.day,
            "slot": self.slot,
            "title": self.key_moment.title,
        }
        return f"{label} ({self.room})" if self.room else label

    def save(self, *args, **kwargs) -> None:
        """Whoever writes the session (console, admin, import, demo), live pages follow.

        A change of state or visibility bumps the version that live pages poll for, and the
        timestamps follow the state: a round that is open has an opening time, a closed round
        a closing time.
        """
        update_fields = kwargs.get("update_fields")
        touched = set()
        if self.state == SessionState.OPEN and self.opened_at is None:
            self.opened_at = timezone.now()
            touched.add("opened_at")
        if self.state == SessionState.OPEN and self.closed_at is not None:
            self.closed_at = None
            touched.add("closed_at")
        if self.state == SessionState.GESLOTEN and self.closed_at is None:
            self.closed_at = timezone.now()
            touched.add("closed_at")
        loaded = getattr(self, "_loaded_live", None)
        bump = self.pk is not None and loaded is not None and loaded != self._live_fields()
        if bump and not isinstance(self.state_version, models.expressions.Combinable):
            self.state_version = F("state_version") + 1
            touched.add("state_version")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | touched
        adding = self._state.adding
        super().save(*args, **kwargs)
        if isinstance(self.state_version, models.expressions.Combinable):
            self.refresh_from_db(fields=["state_version"])
            bump = True
        if bump or adding:
            room_changed(self.evaluation_id)
        self._loaded_live = self._live_fields()

    def clean(self) -> None:
        if (
            self.key_moment_id
            and self.evaluation_id
            and self.key_moment.evaluation_id != self.evaluation_id
        ):
            raise ValidationError(
                {"key_moment": _("Dit sleutelmoment hoort bij een andere evaluatie.")}
            )

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_live = instance._live_fields()
        return instance

    def _live_fields(self) -> tuple:
        return tuple(self.__dict__.get(name) for name in self.LIVE_FIELDS)

    def live_changed(self) -> None:
        """Tell live pages that something they show changed (the group, for instance)."""
        type(self).objects.filter(pk=self.pk).update(state_version=F("state_version") + 1)
        room_changed(self.evaluation_id)

    @property
    def timer_seconds_left(self) -> int | None:
        """Whole seconds until the round timer ends (0 once it has), None without a timer."""
        if self.timer_ends_at is None:
            return None
        return max(0, int((self.timer_ends_at - timezone.now()).total_seconds()))

    @property
    def timer_clock(self) -> str:
        """The time left as the projector shows it: '44:59', or '1:05:00' above an hour."""
        left = self.timer_seconds_left or 0
        hours, rest = divmod(left, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"

    @property
    def is_open(self) -> bool:
        return self.state == SessionState.OPEN

    @property
    def results_visible(self) -> bool:
        """Results are shown once revealed, or during the round if the facilitator chose so."""
        return self.revealed or (self.live_results and self.state != SessionState.VOORBEREIDING)

    @property
    def is_final(self) -> bool:
        """Closed and revealed: nothing on a live page can change any more."""
        return self.is_closed and self.revealed

    @property
    def is_closed(self) -> bool:
        return self.state == SessionState.GESLOTEN


class ProjectorLinkQuerySet(models.QuerySet):
    def active(self) -> "ProjectorLinkQuerySet":
        return self.filter(revoked_at__isnull=True)


class ProjectorLink(models.Model):
    """A revocable, read-only link to an evaluation's projector (DESIGN.md §4, §6).

    The venue's PC opens it without a team login: it shows the projector of the round that
    is running (or one pinned session) and nothing else. Revoking it blanks that screen.
    """

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="projector_links",
        verbose_name=_("evaluatie"),
    )
    token = models.CharField(
        _("sleutel"), max_length=64, unique=True, default=generate_participant_token, editable=False
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    created_by = models.CharField(_("door"), max_length=150, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)

    objects = ProjectorLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("projectorlink")
        verbose_name_plural = _("projectorlinks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.evaluation} ({self.created_at:%Y-%m-%d %H:%M})"

    def current_session(self) -> "ReconstructionSession | None":
        """The round the room is at: the latest opened open round, else the latest closed."""
        sessions = self.evaluation.sessions.select_related("key_moment", "evaluation")
        return (
            sessions.filter(state=SessionState.OPEN).latest_first().first()
            or sessions.filter(state=SessionState.GESLOTEN).latest_first().first()
        )


class JoinAttempt(models.Model):
    """What the venue throttles count (sessions/throttle.py), in the database so that the
    counts hold across server processes: wrong codes, joins and self-registrations."""

    class Kind(models.TextChoices):
        WRONG_CODE = "code_fout", _("verkeerde code")
        JOINED = "deelname", _("deelname met juiste code")
        REGISTERED = "aanmelding", _("zelf aangemeld")

    kind = models.CharField(
        _("soort"), max_length=12, choices=Kind.choices, default=Kind.WRONG_CODE
    )
    client = models.CharField(max_length=64, db_index=True)
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluatie"),
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("deelnamepoging")
        verbose_name_plural = _("deelnamepogingen")
        indexes = [models.Index(fields=["kind", "client", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.client} {self.at:%H:%M:%S}"


# --- The verdiepende slotdialoog: prompts, contributions and votes (DESIGN.md §1 step 6) ---

CONTRIBUTION_MAX_LENGTH = 280
"""A contribution is a short text for a wall, like a sticky note: one thought, readable from
the back of the room. The form, the model and a database constraint all use this limit."""
VOTES_MAX = 10
"""The most votes ("stippen") a prompt can give each person; the default is 3."""


class PromptKind(models.TextChoices):
    """What a prompt asks about, and so where its contributions can go in the report."""

    PARADOX = "paradox", _("Paradox")
    CONTRACT = "contractvorm", _("Contractvormen")
    RECOMMENDATION = "aanbeveling", _("Aanbeveling")
    FREE = "vrij", _("Vrije vraag")


PromptState = RoundState


class Prompt(models.Model):
    """One question on the wall of the slotdialoog, e.g. "Ambitie: sterke motor versus
    effectief proces — wat herken je?".

    `key` says what the prompt was made from ("paradox:ambitie", "hoevraag:12",
    "thema:3:alliantie"); it is opaque here, and the reports app reads it to find where a
    contribution belongs (sessions knows nothing of documents). `state_version` is the live
    version of the prompt and everything on it: every write to the prompt, its contributions
    or its votes bumps it, and live pages poll for it (sessions.wall.wall_version).
    """

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="prompts", verbose_name=_("evaluatie")
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    kind = models.CharField(
        _("soort"), max_length=20, choices=PromptKind.choices, default=PromptKind.FREE
    )
    key = models.CharField(_("herkomst"), max_length=60, blank=True, editable=False)
    title = models.CharField(_("titel"), max_length=300)
    question = models.CharField(_("vraag"), max_length=300, blank=True)
    state = models.CharField(
        _("status"), max_length=20, choices=PromptState.choices, default=PromptState.VOORBEREIDING
    )
    votes_per_person = models.PositiveSmallIntegerField(
        _("stippen per deelnemer"),
        default=3,
        help_text=_("Hoeveel bijdragen van anderen iedereen een stip mag geven (0 tot 10)."),
    )
    votes_revealed = models.BooleanField(_("stippen getoond"), default=False)
    state_version = models.PositiveIntegerField(default=0, editable=False)
    opened_at = models.DateTimeField(_("geopend"), null=True, blank=True)
    closed_at = models.DateTimeField(_("gesloten"), null=True, blank=True)

    class Meta:
        verbose_name = _("vraag van de slotdialoog")
        verbose_name_plural = _("vragen van de slotdialoog")
        ordering = ["evaluation", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "key"],
                condition=~Q(key=""),
                name="prompt_key_once_per_evaluation",
                violation_error_message=_("Deze vraag bestaat al."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in PromptState]),
                name="prompt_state_valid",
                violation_error_message=_("Kies een toestand uit de lijst."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in PromptKind]),
                name="prompt_kind_valid",
                violation_error_message=_("Kies een soort vraag uit de lijst."),
            ),
            models.CheckConstraint(
                condition=Q(votes_per_person__lte=VOTES_MAX),
                name="prompt_votes_0_10",
                violation_error_message=_("Geef hooguit 10 stippen per persoon."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == PromptState.OPEN

    def bump(self) -> None:
        """Tell live pages that something on this prompt changed (one UPDATE, and the wall's
        room version in sessions.live when the transaction commits)."""
        type(self).objects.filter(pk=self.pk).update(state_version=F("state_version") + 1)
        wall_changed(self.evaluation_id)


class Contribution(models.Model):
    """What one participant wrote on the wall for one prompt: plain text, at most
    CONTRIBUTION_MAX_LENGTH characters, never empty.

    `client_token` is made by the participant's form when it is drawn: a double click or a
    resent form carries the same token and finds the contribution it already made
    (unique per participant). `merged_into` points at the contribution that now speaks for
    this one on the wall (the facilitator merged them); a group is one level deep.
    """

    prompt = models.ForeignKey(
        Prompt, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("vraag")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name=_("deelnemer"),
    )
    text = models.CharField(_("bijdrage"), max_length=CONTRIBUTION_MAX_LENGTH)
    client_token = models.CharField(max_length=40, editable=False)
    hidden = models.BooleanField(_("verborgen"), default=False)
    pinned = models.BooleanField(_("vastgezet"), default=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("samengevoegd met"),
    )
    created_at = models.DateTimeField(_("geschreven"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("bijdrage")
        verbose_name_plural = _("bijdragen")
        ordering = ["prompt", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "client_token"],
                name="contribution_sent_once",
                violation_error_message=_("Deze bijdrage is al verstuurd."),
            ),
            # SQLite does not hold a varchar to its length: the database checks it itself.
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), CONTRIBUTION_MAX_LENGTH),
                name="contribution_max_length",
                violation_error_message=_("Een bijdrage is hooguit 280 tekens."),
            ),
            models.CheckConstraint(
                condition=GreaterThan(Length(Trim("text")), 0),
                name="contribution_not_empty",
                violation_error_message=_("Schrijf eerst een bijdrage."),
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")),
                name="contribution_not_merged_into_itself",
                violation_error_message=_(
                    "Een bijdrage kan niet met zichzelf worden samengevoegd."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Vote(models.Model):
    """One "stip": a participant marks someone else's contribution as important.

    The database holds each person to one vote per contribution, and through `slot`
    (1..votes_per_person, unique per person and prompt) to the prompt's number of votes,
    also when two votes arrive at the same instant. The rest (not on one's own, not on a
    hidden or merged contribution, only while the prompt is open) is sessions.wall.vote_cast.
    """

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="votes")
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    slot = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stip")
        verbose_name_plural = _("stippen")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "contribution"],
                name="vote_once_per_contribution",
                violation_error_message=_("Je hebt deze bijdrage al een stip gegeven."),
            ),
            models.UniqueConstraint(
                fields=["participant", "prompt", "slot"],
                name="vote_slot_once_per_prompt",
                violation_error_message=_("Deze stip is al gegeven."),
            ),
            models.CheckConstraint(
                condition=Q(slot__gte=1, slot__lte=VOTES_MAX),
                name="vote_slot_in_range",
                violation_error_message=_("Je stippen zijn op."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.contribution_id}"
