"""Writes that touch several objects of an evaluation, each in one transaction.

Every function is keyword-only, named <noun>_<verb>, and raises ValidationError with a Dutch
message when the write would break a rule of the method; the views only translate that to HTTP.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from scoring.models import AllocationChange

from .live import credential_ended, room_changed
from .models import (
    Claim,
    Evaluation,
    EvaluationMember,
    KeyMoment,
    Participant,
    ProjectorLink,
    ReconstructionSession,
    TimerKind,
    generate_join_code,
)
from .permissions import may_create_evaluation

evaluation_created = Signal()

# Sent inside the transaction that removes a person's data (participant_anonymise), with
# `evaluation`: every app that keeps a derived copy of names (rendered reports, task rows)
# drops it, so that nothing made before still names the person.
personal_data_removed = Signal()
"""Sent with `evaluation` after evaluation_create; reports installs its default catalogue."""


def _free_slug(title: str) -> str:
    base = slugify(title)[:50] or "evaluatie"
    slug, n = base, 1
    while Evaluation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def evaluation_create(*, user, evaluation: Evaluation | None = None, **fields) -> Evaluation:
    """Create an evaluation whose creator is its facilitator; the one way evaluations are made.

    Give either the field values (`title=...`, optional `slug=...`; a free slug is made from
    the title when none is given) or an unsaved `evaluation` that a form built. The creator
    becomes a facilitator member, so the evaluation never "vanishes" from its own creator;
    `evaluation_created` lets the reports app add the default how-questions.

    Raises PermissionDenied if `user` may not create evaluations (sessions.permissions), and
    ValidationError (Dutch messages) if the fields are invalid.
    """
    if not may_create_evaluation(user):
        raise PermissionDenied
    if evaluation is None:
        evaluation = Evaluation(**fields)
    if not evaluation.slug:
        evaluation.slug = _free_slug(evaluation.title)
    evaluation.full_clean()
    evaluation.save()
    EvaluationMember.objects.update_or_create(
        evaluation=evaluation, user=user, defaults={"role": EvaluationMember.Role.FACILITATOR}
    )
    evaluation_created.send(sender=Evaluation, evaluation=evaluation)
    return evaluation


def evaluation_join_code_regenerate(*, evaluation: Evaluation) -> str:
    """Give the evaluation a new, unused join code; the old one stops working at once.

    Participants who already joined keep their personal link. Returns the new code.
    """
    for _attempt in range(20):
        code = generate_join_code()
        if not Evaluation.objects.filter(join_code=code).exists():
            Evaluation.objects.filter(pk=evaluation.pk).update(join_code=code)
            room_changed(evaluation.pk)
            evaluation.join_code = code
            return code
    raise ValidationError(_("Er is geen vrije deelnamecode gevonden. Probeer het opnieuw."))


# --- Key moments ------------------------------------------------------------------------


@transaction.atomic
def key_moment_add(*, evaluation: Evaluation, key_moment: KeyMoment) -> KeyMoment:
    """Save a new key moment at the end of the evaluation's chronological order."""
    Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    last = evaluation.key_moments.aggregate(m=Max("order"))["m"] or 0
    key_moment.evaluation = evaluation
    key_moment.order = last + 1
    key_moment.save()
    return key_moment


@transaction.atomic
def key_moment_move(*, key_moment: KeyMoment, offset: int) -> KeyMoment:
    """Swap a key moment with its neighbour: offset -1 moves it earlier, +1 later.

    At either end nothing changes. Order numbers stay 1..n without gaps.
    """
    Evaluation.objects.select_for_update().get(pk=key_moment.evaluation_id)
    key_moment.refresh_from_db()
    siblings = KeyMoment.objects.filter(evaluation_id=key_moment.evaluation_id)
    neighbour = (
        siblings.filter(order__lt=key_moment.order).order_by("-order").first()
        if offset < 0
        else siblings.filter(order__gt=key_moment.order).order_by("order").first()
    )
    if neighbour is None:
        return key_moment
    # (evaluation, order) is unique and not deferrable: park one of the two on 0 first.
    mine, theirs = key_moment.order, neighbour.order
    KeyMoment.objects.filter(pk=key_moment.pk).update(order=0)
    KeyMoment.objects.filter(pk=neighbour.pk).update(order=mine)
    KeyMoment.objects.filter(pk=key_moment.pk).update(order=theirs)
    key_moment.order = theirs
    return key_moment


@transaction.atomic
def key_moment_delete(*, key_moment: KeyMoment) -> None:
    """Delete a key moment that no session uses; the later ones move up one place.

    Raises ValidationError while any session reconstructs it (delete those first).
    """
    Evaluation.objects.select_for_update().get(pk=key_moment.evaluation_id)
    if key_moment.sessions.exists():
        raise ValidationError(
            _(
                "‘%(title)s’ wordt nog in een sessie gereconstrueerd. "
                "Verwijder eerst die sessies of kies daar een ander sleutelmoment."
            )
            % {"title": key_moment.title}
        )
    order = key_moment.order
    key_moment.delete()
    # Ascending, one by one: each step frees the number the next one moves into.
    for pk in (
        KeyMoment.objects.filter(evaluation_id=key_moment.evaluation_id, order__gt=order)
        .order_by("order")
        .values_list("pk", flat=True)
    ):
        KeyMoment.objects.filter(pk=pk).update(order=F("order") - 1)


# --- Participants -----------------------------------------------------------------------


CLAIM_TAKEN = "claim_taken"
CLAIM_ANONYMISED = "participant_anonymised"


@transaction.atomic
def claim_create(*, participant: Participant, held: Claim | None = None) -> Claim:
    """Claim a participant's name for the device that picked it.

    `held` is the claim the picking device already holds (from its cookie), if any: picking
    your own name again simply returns your claim, and picking another name lets go of the
    one held (a device holds one name; a wrong pick is undone this way). Raises ValidationError with code
    CLAIM_TAKEN when another device holds the name, and CLAIM_ANONYMISED when the
    participant's personal data was removed (such a name can never be picked again).
    The participant row is locked so that anonymising and claiming cannot interleave; two
    devices racing for one name are decided by the database (one claim per participant).
    """
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.anonymised_at:
        raise ValidationError(_("Deze naam kan niet meer gekozen worden."), code=CLAIM_ANONYMISED)
    if held is not None and held.participant_id == participant.pk:
        return held
    try:
        with transaction.atomic():
            claim = Claim.objects.create(participant=participant)
    except IntegrityError as error:
        # A claim no device opened yet is a printed card's (claims_for_cards): picking the
        # name is then as good as scanning it, and this device will hold it (_welcome binds).
        claim = Claim.objects.filter(participant=participant, device="").first()
        if claim is None:
            raise ValidationError(
                _("Deze naam is al gekozen op een ander apparaat."), code=CLAIM_TAKEN
            ) from error
    if held is not None:
        Claim.objects.filter(pk=held.pk).delete()
    return claim


@transaction.atomic
def claims_for_cards(*, evaluation) -> int:
    """Give every participant of `evaluation` who has not picked a name yet a claim, so that
    a printed card can carry their personal link (the claim's token). Anonymised participants
    get none (their name can never be picked again). Names already picked keep their claim:
    the card then carries the link that device already has.

    Returns how many names had no claim. The facilitator can release any of them as usual.
    """
    open_names = list(
        evaluation.participants.filter(anonymised_at__isnull=True, claim__isnull=True)
    )
    Claim.objects.bulk_create(
        [Claim(participant=participant) for participant in open_names],
        ignore_conflicts=True,  # a device that picks a name at this moment keeps it
    )
    return len(open_names)


def claim_bind_device(*, claim: Claim, secret: str) -> bool:
    """The first device that opens a personal link (a printed card's QR code, a fresh pick)
    holds the name from then on. Returns whether this call bound it; a device that got
    there first keeps it (a conditional update, so two first scans cannot both win)."""
    digest = Claim.device_digest(secret)
    if claim.device or not digest:
        return False
    bound = Claim.objects.filter(pk=claim.pk, device="").update(device=digest)
    if bound:
        claim.device = digest
    return bool(bound)


def claim_take_over(*, claim: Claim, secret: str) -> Claim:
    """The person moves their name to this device ("Verder op dit apparaat"): the device
    that held it stops at its next poll (its live pages' credential ends, sessions/live.py)
    and gets a page that explains; the facilitator's Deelnemers page shows when."""
    digest = Claim.device_digest(secret)
    if not digest:
        raise ValidationError(_("Dit apparaat bewaart geen cookies; de naam kan hier niet verder."))
    if claim.device == digest:
        return claim  # already here (a second click): nothing moved
    claim.device, claim.moved_at = digest, timezone.now()
    Claim.objects.filter(pk=claim.pk).update(device=claim.device, moved_at=claim.moved_at)
    credential_ended(claim.token)
    return claim


def claim_release(*, participant: Participant) -> bool:
    """Free a participant's name so that it can be picked again (by the facilitator, or by
    the device itself with "Niet jij?"). The old personal link and cookie stop working.

    Returns whether there was a claim to release. Allocations stay: they belong to the
    participant, not to the device.
    """
    deleted, _per_model = Claim.objects.filter(participant=participant).delete()
    return bool(deleted)


@transaction.atomic
def participant_register(*, evaluation, name: str, organisation: str, role: str) -> Claim:
    """A participant who was not on the list adds themselves, and claims the new name.

    Raises IntegrityError when the name and organisation are already on the list (the
    caller tells the participant to pick themselves instead). Limits per client and per
    evaluation are checked by the caller (sessions/throttle.py), which knows the client.
    """
    participant = Participant.objects.create(
        evaluation=evaluation,
        name=name,
        organisation=organisation,
        role=role,
        self_registered=True,
    )
    return Claim.objects.create(participant=participant)


@transaction.atomic
def registrations_remove_unused(*, evaluation) -> int:
    """Remove every self-registration of an evaluation that is in no group and has no
    points. Returns how many were removed."""
    unused = evaluation.participants.filter(
        self_registered=True, sessions__isnull=True, allocations__isnull=True
    )
    pks = list(unused.values_list("pk", flat=True))
    Participant.objects.filter(pk__in=pks).delete()
    return len(pks)


@transaction.atomic
def participant_remove(*, participant: Participant) -> None:
    """Remove a participant who has not scored; they leave every group they were in.

    Raises ValidationError once they have scored or written on the wall of the slotdialoog:
    their points and words are part of the evaluation, so remove their personal data
    instead (participant_anonymise).
    """
    if participant.allocations.exists() or participant.allocation_changes.exists():
        raise ValidationError(
            _(
                "%(name)s heeft al gescoord; die punten tellen mee in de resultaten. "
                "Verwijder in plaats daarvan de persoonsgegevens."
            )
            % {"name": participant.name}
        )
    if participant.contributions.exists():
        # Their words are on the wall of the slotdialoog (and maybe in the report).
        raise ValidationError(
            _(
                "%(name)s heeft in de slotdialoog geschreven; die bijdragen blijven bewaard. "
                "Verwijder in plaats daarvan de persoonsgegevens."
            )
            % {"name": participant.name}
        )
    participant.delete()


@transaction.atomic
def participant_anonymise(*, participant: Participant) -> Participant:
    """Remove a participant's personal data after the workshop; their scores stay in the figures.

    Name and organisation become the participant's stored pseudonym, in the audit trail too.
    Their claim goes, so no link or cookie opens their page any more, and the name can
    never be picked again (claim_create refuses anonymised participants). Every copy made
    before goes too: `personal_data_removed` tells the reports app to drop its rendered
    files (a new one is made on the next request, with the pseudonym).
    """
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.anonymised_at:
        return participant
    pseudonym = participant.pseudonym
    AllocationChange.objects.filter(participant=participant).update(changed_by=pseudonym)
    claim = Claim.objects.filter(participant=participant).first()
    if claim is not None:
        # Its link then says the name was removed, not "join again and pick your name".
        participant.removed_link = Participant.link_digest(claim.token)
        claim.delete()
    participant.name = pseudonym
    participant.organisation = ""
    participant.anonymised_at = timezone.now()
    participant.token = Participant._meta.get_field("token").default()
    participant.save()
    personal_data_removed.send(sender=Evaluation, evaluation=participant.evaluation)
    return participant


# --- Sessions ---------------------------------------------------------------------------


@transaction.atomic
def session_delete(*, session: ReconstructionSession) -> None:
    """Delete a session nobody has scored in yet (a planning mistake).

    Raises ValidationError once anyone has scored: those points are part of the evaluation.
    """
    session = ReconstructionSession.objects.select_for_update().get(pk=session.pk)
    if session.allocations.exists() or session.allocation_changes.exists():
        raise ValidationError(
            _("In deze sessie is al gescoord; een gescoorde sessie blijft bewaard.")
        )
    session.delete()


# --- The team ---------------------------------------------------------------------------


def _find_user(identifier: str):
    identifier = identifier.strip()
    users = get_user_model().objects.filter(is_active=True)
    matches = list(
        users.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))[:2]
        if identifier
        else []
    )
    if not matches:
        raise ValidationError(
            _(
                "Er is geen gebruiker met gebruikersnaam of e-mailadres ‘%(who)s’. "
                "Vraag een beheerder om eerst een account aan te maken."
            )
            % {"who": identifier}
        )
    if len(matches) > 1:
        raise ValidationError(
            _("Meer dan één gebruiker past bij ‘%(who)s’; gebruik de gebruikersnaam.")
            % {"who": identifier}
        )
    return matches[0]


def team_member_invite(*, evaluation: Evaluation, identifier: str, role: str) -> EvaluationMember:
    """Add an existing user (found by user name or email, case-insensitive) to the team.

    Raises ValidationError when nobody or more than one user matches, or the user is
    already on the team.
    """
    user = _find_user(identifier)
    if evaluation.members.filter(user=user).exists():
        raise ValidationError(_("%(user)s hoort al bij het team.") % {"user": user.get_username()})
    try:
        with transaction.atomic():
            return EvaluationMember.objects.create(evaluation=evaluation, user=user, role=role)
    except IntegrityError as error:  # a second invite in the same instant
        raise ValidationError(
            _("%(user)s hoort al bij het team.") % {"user": user.get_username()}
        ) from error


@transaction.atomic
def team_member_remove(*, member: EvaluationMember) -> None:
    """Take someone off the team. The last facilitator stays: someone must run the room."""
    Evaluation.objects.select_for_update().get(pk=member.evaluation_id)
    if (
        member.role == EvaluationMember.Role.FACILITATOR
        and not EvaluationMember.objects.filter(
            evaluation_id=member.evaluation_id, role=EvaluationMember.Role.FACILITATOR
        )
        .exclude(pk=member.pk)
        .exists()
    ):
        raise ValidationError(
            _("Dit is de enige facilitator. Voeg eerst een andere facilitator toe.")
        )
    member.delete()


# --- The round timer --------------------------------------------------------------------

TIMER_MAX_MINUTES = 240


@transaction.atomic
def session_timer_start(*, session: ReconstructionSession, kind: str, minutes: int):
    """Start (or restart) the round timer: `kind` from TimerKind, 1..240 whole minutes.

    The end time is stored, not a countdown, so every server process and every page shows the
    same clock; saving bumps the live version, so projector and participants see it at once.
    Raises ValidationError (Dutch) for another kind or duration.
    """
    if kind not in TimerKind.values:
        raise ValidationError(_("Kies reconstructie of scoren."))
    if not 1 <= minutes <= TIMER_MAX_MINUTES:
        raise ValidationError(_("Kies 1 tot %(max)s minuten.") % {"max": TIMER_MAX_MINUTES})
    session = ReconstructionSession.objects.select_for_update().get(pk=session.pk)
    session.timer_kind = kind
    session.timer_ends_at = timezone.now() + timedelta(minutes=minutes)
    session.save(update_fields=["timer_kind", "timer_ends_at"])
    return session


@transaction.atomic
def session_timer_stop(*, session: ReconstructionSession) -> ReconstructionSession:
    """Take the round timer off every page."""
    session = ReconstructionSession.objects.select_for_update().get(pk=session.pk)
    session.timer_kind = ""
    session.timer_ends_at = None
    session.save(update_fields=["timer_kind", "timer_ends_at"])
    return session


def projector_link_set(*, evaluation, active: bool, by=None):
    """Revoke the evaluation's projector links and, if `active`, make a new one.

    One working link per evaluation: making a new one revokes the old, so a link that was
    shared too widely is ended by making another. Returns the new link or None.
    """
    with transaction.atomic():
        working = ProjectorLink.objects.filter(evaluation=evaluation, revoked_at__isnull=True)
        for token in working.values_list("token", flat=True):
            credential_ended(token)
        working.update(revoked_at=timezone.now())
        if not active:
            return None
        return ProjectorLink.objects.create(
            evaluation=evaluation, created_by=getattr(by, "username", "") or ""
        )
