"""The projector without the facilitator's login (issue 9, item 11).

When the facilitator logged out in another tab, the projector's next poll got the login page
and htmx swapped it into the projector; polling stopped. Polled fragments now keep the last
picture, and the projector has its own revocable read-only link.
"""

from django.urls import reverse

from scoring.services import session_state_set
from sessions.access import LOGIN_EXPIRED_EVENT
from sessions.models import ProjectorLink, SessionState

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/e/ammd/console/"}


def test_a_projector_poll_without_login_keeps_the_picture(client, session):
    url = reverse("sessions:projector_live", args=[session.evaluation.slug, session.pk])
    response = client.get(url, {"v": "0"}, headers=HTMX)
    assert response.status_code == 204  # htmx swaps nothing and goes on polling
    assert response.headers["HX-Trigger"] == LOGIN_EXPIRED_EVENT


def test_console_polls_without_login_send_the_person_to_log_in(client, session):
    slug = session.evaluation.slug
    for url in (
        reverse("sessions:console_live", args=[slug]),
        reverse("sessions:session_live", args=[slug, session.pk]),
    ):
        response = client.get(url, headers=HTMX)
        assert response.status_code == 204
        assert response.headers["HX-Redirect"] == "/accounts/login/?next=/e/ammd/console/"


def test_a_browser_opening_a_poll_url_goes_to_the_login_page(client, session):
    url = reverse("sessions:projector_live", args=[session.evaluation.slug, session.pk])
    assert client.get(url).status_code == 302


def test_the_facilitator_makes_and_revokes_a_projector_link(client, facilitator, session):
    client.force_login(facilitator)
    manage = reverse("sessions:projector_link_manage", args=[session.evaluation.slug])
    client.post(manage, {"action": "create"})
    link = ProjectorLink.objects.active().get()
    console = client.get(reverse("sessions:console", args=[session.evaluation.slug]))
    assert link.token in console.content.decode()

    anonymous = client.__class__()
    page = anonymous.get(reverse("projector_link", args=[link.token]))
    assert page.status_code == 200
    assert session.evaluation.join_code in page.content.decode()  # the open round

    client.post(manage, {"action": "revoke"})
    assert anonymous.get(reverse("projector_link", args=[link.token])).status_code == 410
    poll = anonymous.get(reverse("projector_link_live", args=[link.token]), headers=HTMX)
    assert poll.status_code == 286  # htmx shows "ingetrokken" and stops polling
    assert "ingetrokken" in poll.content.decode()


def test_the_analyst_cannot_make_a_projector_link(client, analyst, session):
    client.force_login(analyst)
    manage = reverse("sessions:projector_link_manage", args=[session.evaluation.slug])
    assert client.post(manage, {"action": "create"}).status_code == 404
    assert not ProjectorLink.objects.exists()


def test_the_linked_projector_follows_the_room(client, session, verteller):
    from sessions.services import projector_link_set

    link = projector_link_set(evaluation=session.evaluation, active=True)
    live = reverse("projector_link_live", args=[link.token])
    first = client.get(live, headers=HTMX)
    version = first.context["version"]
    assert client.get(live, {"v": version}, headers=HTMX).status_code == 204
    session_state_set(session=session, state=SessionState.GESLOTEN, revealed=True)
    again = client.get(live, {"v": version}, headers=HTMX)
    assert again.status_code == 200 and "figure" in again.context
    # Read-only: the link shows nothing of the team's pages.
    assert b"console" not in again.content


def test_a_link_to_another_evaluations_session_is_not_found(client, session, other_evaluation):
    from sessions.services import projector_link_set

    link = projector_link_set(evaluation=other_evaluation, active=True)
    url = reverse("projector_link_session", args=[link.token, session.pk])
    assert client.get(url).status_code == 404


def test_with_rounds_open_side_by_side_the_link_says_which_and_offers_the_others(
    client, facilitator, evaluation, session, key_moment
):
    """Minor 15: two groups open at once; the one link showed one round, no hint."""
    from sessions.models import ReconstructionSession
    from sessions.services import projector_link_set

    other = ReconstructionSession.objects.create(
        evaluation=evaluation, key_moment=key_moment, day=2, slot=1, room="Groep B"
    )
    session_state_set(session=session, state=SessionState.OPEN)
    session_state_set(session=other, state=SessionState.OPEN)
    link = projector_link_set(evaluation=evaluation, active=True, by=facilitator)
    shown = client.get(reverse("projector_link", args=[link.token]))
    html = shown.content.decode()
    assert "Er is nog 1 ronde open" in html
    others = {s.pk for s, _url in shown.context["other_open"]}
    assert len(others) == 1 and shown.context["session"].pk not in others
    other_pk = others.pop()
    own_link = reverse("projector_link_session", args=[link.token, other_pk])
    assert f'href="{own_link}"' in html
    assert client.get(own_link).context["session"].pk == other_pk
    # The console hands out a link per open round.
    client.force_login(facilitator)
    console = client.get(reverse("sessions:console", args=[evaluation.slug])).content.decode()
    assert "data-projector-session-links" in console
    assert own_link in console
