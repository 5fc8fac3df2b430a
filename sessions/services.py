"""Writes that touch several objects of an evaluation, each in one transaction."""

from django.db import transaction
from django.utils import timezone

from scoring.models import AllocationChange

from .models import Participant


@transaction.atomic
def participant_anonymise(*, participant: Participant) -> Participant:
    """Remove a participant's personal data after the workshop; their scores stay in the figures.

    Name and organisation become a stable pseudonym, in the audit trail too. The personal
    token changes, so an old link or cookie no longer opens their page.
    """
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.anonymised_at:
        return participant
    pseudonym = participant.pseudonym
    AllocationChange.objects.filter(participant=participant).update(changed_by=pseudonym)
    participant.name = pseudonym
    participant.organisation = ""
    participant.anonymised_at = timezone.now()
    participant.token = Participant._meta.get_field("token").default()
    participant.save()
    return participant
