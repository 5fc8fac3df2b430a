"""Live pages follow every change, whoever makes it (issue 9, items 1 and 2)."""

import re

from django.urls import reverse

from scoring.services import live_version, session_state_set
from sessions.models import KeyMoment, Phase, ReconstructionSession, SessionState

from .conftest import allocate, personal_token


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


def _projector_poll(client, session, version):
    url = reverse("sessions:projector_live", args=[session.evaluation.slug, session.pk])
    return client.get(url, {"v": version}, headers={"HX-Request": "true"})


def _version(html: str) -> str:
    return re.search(r'data-version="([^"]+)"', html).group(1)


def test_the_projector_follows_a_reopen_after_reveal(client, facilitator, session, verteller):
    """Issue 9, item 2: after "Heropenen…" the open projector kept the old numbers, no code."""
    client.force_login(facilitator)
    session_state_set(session=session, state=SessionState.GESLOTEN, revealed=True)
    page = client.get(reverse("sessions:projector", args=[session.evaluation.slug, session.pk]))
    html = page.content.decode()
    assert 'hx-get="' in html  # still polling
    session_state_set(session=session, state=SessionState.OPEN)
    poll = _projector_poll(client, session, _version(html))
    assert poll.status_code == 200
    assert session.evaluation.join_code in poll.content.decode()


def test_the_projector_follows_hiding_after_reveal(client, facilitator, session, verteller):
    client.force_login(facilitator)
    session_state_set(session=session, revealed=True)
    shown = _projector_poll(client, session, "")
    assert shown.context["figure"] is not None
    session_state_set(session=session, revealed=False)
    hidden = _projector_poll(client, session, _version(shown.content.decode()))
    assert hidden.status_code == 200 and "figure" not in hidden.context


def test_the_projector_follows_a_new_join_code(client, facilitator, session):
    client.force_login(facilitator)
    first = _projector_poll(client, session, "")
    evaluation = session.evaluation
    evaluation.join_code = "NWC0DE".replace("0", "Q")
    evaluation.save()
    again = _projector_poll(client, session, _version(first.content.decode()))
    assert again.status_code == 200 and "NWCQDE" in again.content.decode()


def test_the_participant_page_follows_a_membership_change(client, session, verteller):
    live = reverse("participant:live", args=[personal_token(verteller)])
    signature = client.get(live).context["signature"]
    assert client.get(live, {"sig": signature}).status_code == 204
    session.participants.remove(verteller)
    assert client.get(live, {"sig": signature}).status_code == 200


def test_the_console_follows_a_new_session(client, facilitator, session, evaluation):
    client.force_login(facilitator)
    version = client.get(reverse("sessions:console", args=[evaluation.slug])).context["version"]
    moment = KeyMoment.objects.create(evaluation=evaluation, order=2, title="B", phase=Phase.SLOT)
    ReconstructionSession.objects.create(evaluation=evaluation, key_moment=moment, day=1, slot=2)
    poll = client.get(reverse("sessions:console_live", args=[evaluation.slug]), {"v": version})
    assert poll.status_code == 200


def test_the_session_page_history_is_live(client, facilitator, session, verteller):
    from scoring.services import allocation_submit

    client.force_login(facilitator)
    url = reverse("sessions:session_live", args=[session.evaluation.slug, session.pk])
    version = client.get(url).context["version"]
    allocation_submit(
        participant=verteller,
        session=session,
        points=dict(ambitie=10, belangen=0, relatie=0, organisatie=0, proces=0),
    )
    poll = client.get(url, {"v": version}, headers={"HX-Request": "true"})
    assert "10 0 0 0 0" in poll.content.decode()
