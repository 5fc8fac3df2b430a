"""Model-level guard for session groups: a group only holds its own evaluation's participants.

A many-to-many add bypasses Model.clean, so the check sits on m2m_changed, which every
write path (admin, services, shell) goes through.
"""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .models import Participant, ReconstructionSession


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
    sessions = ReconstructionSession.objects.all()
    if action == "pre_clear":
        sessions = sessions.filter(participants=instance)
    else:
        sessions = sessions.filter(pk__in=pk_set or [])
    sessions.update(state_version=F("state_version") + 1)
