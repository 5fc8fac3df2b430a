import pytest
from django.core.exceptions import ValidationError
from django.db import transaction


def test_a_group_cannot_hold_a_participant_of_another_evaluation(session, outsider_participant):
    with pytest.raises(ValidationError, match="dezelfde evaluatie"), transaction.atomic():
        session.participants.add(outsider_participant)
    assert not session.participants.filter(pk=outsider_participant.pk).exists()


def test_the_reverse_side_is_guarded_too(session, outsider_participant):
    with pytest.raises(ValidationError, match="dezelfde evaluatie"):
        outsider_participant.sessions.add(session)


def test_a_session_cannot_use_a_key_moment_of_another_evaluation(session, other_evaluation):
    from sessions.models import KeyMoment, Phase

    foreign = KeyMoment.objects.create(
        evaluation=other_evaluation, order=1, title="X", phase=Phase.SLOT
    )
    session.key_moment = foreign
    with pytest.raises(ValidationError, match="andere evaluatie"):
        session.full_clean()
