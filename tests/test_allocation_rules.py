"""An allocation is exactly 10 points over five conditions, once per participant per session.

Each rule is pinned twice: the model layer refuses it with a Dutch message, and the
database refuses it when the model layer is bypassed.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from scoring.models import Allocation
from sessions.models import SessionState

from .conftest import allocate, points


def unsaved(session, participant, **kwargs) -> Allocation:
    return Allocation(session=session, participant=participant, **points(**kwargs))


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def db_refuses(allocation: Allocation) -> None:
    """Insert without any model-layer check, straight into the table."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.bulk_create([allocation])


class TestPointsAddUpToTen:
    def test_ten_points_are_accepted(self, session, verteller):
        allocation = unsaved(
            session, verteller, ambitie=4, relatie=3, proces=1, belangen=1, organisatie=1
        )
        allocation.full_clean()
        allocation.save()
        assert allocation.total == 10

    def test_eleven_points_are_refused_by_the_model(self, session, verteller):
        with pytest.raises(ValidationError) as error:
            unsaved(session, verteller, ambitie=3).full_clean()
        assert "1 punt te veel" in messages(error.value)

    def test_eleven_points_are_refused_by_the_database(self, session, verteller):
        db_refuses(unsaved(session, verteller, ambitie=3))

    def test_nine_points_are_refused_by_the_model(self, session, verteller):
        with pytest.raises(ValidationError) as error:
            unsaved(session, verteller, ambitie=1).full_clean()
        assert "er moet nog 1 punt bij" in messages(error.value)

    def test_nine_points_are_refused_by_the_database(self, session, verteller):
        db_refuses(unsaved(session, verteller, ambitie=1))

    def test_negative_points_are_refused_by_the_model(self, session, verteller):
        with pytest.raises(ValidationError) as error:
            unsaved(session, verteller, ambitie=-1, belangen=5).full_clean()
        assert "ambitie" in error.value.message_dict

    def test_negative_points_are_refused_by_the_database(self, session, verteller):
        db_refuses(unsaved(session, verteller, ambitie=-1, belangen=5))

    def test_more_than_ten_on_one_condition_is_refused_by_the_model(self, session, verteller):
        with pytest.raises(ValidationError) as error:
            unsaved(
                session, verteller, ambitie=11, belangen=0, relatie=0, organisatie=0, proces=-1
            ).full_clean()
        assert "Elke conditie krijgt 0 tot en met 10 punten." in messages(error.value)

    def test_more_than_ten_on_one_condition_is_refused_by_the_database(self, session, verteller):
        db_refuses(
            unsaved(session, verteller, ambitie=11, belangen=0, relatie=0, organisatie=0, proces=-1)
        )


class TestOneAllocationPerParticipantPerSession:
    def test_a_duplicate_is_refused_by_the_model(self, session, verteller):
        allocate(session, verteller)
        with pytest.raises(ValidationError) as error:
            unsaved(session, verteller).full_clean()
        assert "al een puntenverdeling" in messages(error.value)

    def test_a_duplicate_is_refused_by_the_database(self, session, verteller):
        allocate(session, verteller)
        db_refuses(unsaved(session, verteller))


class TestWhoMayScore:
    def test_a_participant_of_another_evaluation_is_refused(self, session, outsider_participant):
        with pytest.raises(ValidationError) as error:
            unsaved(session, outsider_participant).full_clean()
        assert "andere evaluatie" in messages(error.value)
        with pytest.raises(ValidationError):
            unsaved(session, outsider_participant).save()
        assert not Allocation.objects.exists()

    def test_a_participant_outside_the_group_is_refused(self, session, evaluation, verteller):
        session.participants.remove(verteller)
        with pytest.raises(ValidationError) as error:
            unsaved(session, verteller).full_clean()
        assert "niet in de groep" in messages(error.value)
        with pytest.raises(ValidationError):
            unsaved(session, verteller).save()
        assert not Allocation.objects.exists()


class TestClosedSession:
    def test_a_new_allocation_in_a_closed_session_is_refused(self, session, verteller):
        session.state = SessionState.GESLOTEN
        session.save()
        with pytest.raises(ValidationError) as error:
            unsaved(session, verteller).save()
        assert "gesloten" in messages(error.value)
        assert not Allocation.objects.exists()

    def test_a_change_in_a_closed_session_is_refused(self, session, verteller):
        allocation = allocate(session, verteller)
        session.state = SessionState.GESLOTEN
        session.save()
        allocation = Allocation.objects.get(pk=allocation.pk)
        allocation.ambitie, allocation.proces = 3, 1
        with pytest.raises(ValidationError) as error:
            allocation.full_clean()
        assert "gesloten" in messages(error.value)
        with pytest.raises(ValidationError):
            allocation.save()
        assert Allocation.objects.get(pk=allocation.pk).points == points()

    def test_an_unchanged_allocation_of_a_closed_session_still_validates(self, session, verteller):
        allocation = allocate(session, verteller)
        session.state = SessionState.GESLOTEN
        session.save()
        Allocation.objects.get(pk=allocation.pk).full_clean()
