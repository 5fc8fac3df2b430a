"""Writes that touch several objects of an evaluation, each in one transaction."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.text import slugify

from scoring.models import AllocationChange

from .models import Evaluation, EvaluationMember, Participant
from .permissions import may_create_evaluation

evaluation_created = Signal()
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
