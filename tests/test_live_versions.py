"""Live pages follow every change, whoever makes it (issue 9, items 1 and 2)."""

from scoring.services import live_version, session_state_set
from sessions.models import ReconstructionSession, SessionState

from .conftest import allocate


def _fresh(session) -> ReconstructionSession:
    return ReconstructionSession.objects.get(pk=session.pk)


def test_a_round_closed_in_the_admin_gets_a_closing_time(session):
    stored = _fresh(session)
    stored.state = SessionState.GESLOTEN
    stored.save(update_fields=["state"])
    assert _fresh(session).closed_at is not None


def test_a_state_change_outside_the_console_reaches_live_pages(session):
    before = live_version(_fresh(session))
    stored = _fresh(session)
    stored.revealed = True
    stored.save()
    assert live_version(_fresh(session)) != before


def test_saving_notes_does_not_redraw_the_projector(session):
    before = live_version(_fresh(session))
    stored = _fresh(session)
    stored.reconstruction = "Wat er gebeurde."
    stored.save()
    assert live_version(_fresh(session)) == before


def test_a_membership_change_reaches_live_pages(session, verteller):
    before = live_version(_fresh(session))
    session.participants.remove(verteller)
    after_remove = live_version(_fresh(session))
    verteller.sessions.add(session)
    assert len({before, after_remove, live_version(_fresh(session))}) == 3


def test_the_console_bumps_the_version_once(session):
    before = _fresh(session).state_version
    session_state_set(session=session, state=SessionState.GESLOTEN)
    assert _fresh(session).state_version == before + 1


def test_reopening_clears_the_closing_time(session, verteller):
    allocate(session, verteller, ambitie=10, belangen=0, relatie=0, organisatie=0, proces=0)
    session_state_set(session=session, state=SessionState.GESLOTEN)
    session_state_set(session=session, state=SessionState.OPEN)
    reopened = _fresh(session)
    assert reopened.closed_at is None and reopened.opened_at is not None
