"""Model-level guard for session groups: a group only holds its own evaluation's participants.

A many-to-many add bypasses Model.clean, so the check sits on m2m_changed, which every
write path (admin, services, shell) goes through. And the receivers that keep the room
versions (sessions/live.py) true whoever writes: admin, services, shell, cascades.
"""

from django.contrib.auth.signals import user_logged_out
from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .live import credential_ended, room_changed, wall_changed
from .models import (
    Claim,
    Evaluation,
    EvaluationMember,
    KeyMoment,
    Participant,
    ProjectorLink,
    Prompt,
    ReconstructionSession,
)


@receiver(m2m_changed, sender=ReconstructionSession.participants.through)
def group_members_belong_to_the_evaluation(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        # instance is a participant being added to sessions
        foreign = ReconstructionSession.objects.filter(pk__in=pk_set).exclude(
            evaluation_id=instance.evaluation_id
        )
    else:
        foreign = Participant.objects.filter(pk__in=pk_set).exclude(
            evaluation_id=instance.evaluation_id
        )
    if foreign.exists():
        raise ValidationError(
            _("Een groep kan alleen deelnemers van dezelfde evaluatie bevatten."),
            code="participant_other_evaluation",
        )


@receiver(m2m_changed, sender=ReconstructionSession.participants.through)
def group_change_reaches_live_pages(sender, instance, action, reverse, pk_set, **kwargs):
    """A member added or removed changes counts and pages: every live page has to redraw."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        instance.live_changed()
        return
    room_changed(instance.evaluation_id)
    sessions = ReconstructionSession.objects.all()
    if action == "pre_clear":
        sessions = sessions.filter(participants=instance)
    else:
        sessions = sessions.filter(pk__in=pk_set or [])
    sessions.update(state_version=F("state_version") + 1)


# --- Room versions (sessions/live.py) ---------------------------------------------------
# Sessions bump in ReconstructionSession.save() (only when what live pages show changed);
# a submit bumps in scoring.services.allocation_submit().


@receiver(post_delete, sender=ReconstructionSession)
@receiver(post_save, sender=KeyMoment)
@receiver(post_delete, sender=KeyMoment)
@receiver(post_save, sender=EvaluationMember)
@receiver(post_delete, sender=EvaluationMember)
def room_part_changed(sender, instance, **kwargs):
    """Sessions removed, key moments renamed, the team changed (the projector's login)."""
    room_changed(instance.evaluation_id)


@receiver(post_save, sender=Evaluation)
@receiver(post_delete, sender=Evaluation)
def evaluation_changed(sender, instance, **kwargs):
    """Join code, minimum group size, title: the projector shows them."""
    room_changed(instance.pk)


@receiver(post_save, sender=Participant)
@receiver(post_delete, sender=Participant)
def participant_changed(sender, instance, created=False, **kwargs):
    """A role or name changed, or someone removed. A new name (a room joining) shows nowhere."""
    if not created:
        room_changed(instance.evaluation_id)


@receiver(post_delete, sender=Claim)
def claim_ended(sender, instance, **kwargs):
    """A released or anonymised name: its personal link stops at the next poll."""
    credential_ended(instance.token)


@receiver(post_delete, sender=ProjectorLink)
def projector_link_ended(sender, instance, **kwargs):
    credential_ended(instance.token)


@receiver(user_logged_out)
def login_ended(sender, request, **kwargs):
    """A logout ends the session key's grants, in every tab that still sends it."""
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        credential_ended(key)


@receiver(post_save, sender=Prompt)
@receiver(post_delete, sender=Prompt)
def prompt_changed(sender, instance, **kwargs):
    """A prompt opened, closed, revealed, added or removed: the wall's polls check again, and
    so do the room's (a participant's status line and the projector link follow what is open).
    Rare writes: contributions and stips bump the wall alone (Prompt.bump)."""
    wall_changed(instance.evaluation_id)
    room_changed(instance.evaluation_id)
