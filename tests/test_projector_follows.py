"""What the evaluation's projector link shows: one rule (sessions.wall.live_screen), the same on
the link's page, in its poll (also on the fast path of sessions/live.py) and in the console's
line. An open round wins over the wall; the wall's own link always shows the wall.

Found by a new-user pass: a prompt reopened during a revealed round took the link to the wall,
and no reveal, group change or closed prompt brought the round back.
"""

import itertools

import pytest
from django.urls import reverse

from scoring.services import session_state_set
from sessions import live
from sessions.models import Prompt, ReconstructionSession, SessionState
from sessions.services import projector_link_set
from sessions.wall import ROUND, WALL, live_screen, projector_link_shows, prompt_state_set

HTMX = {"HX-Request": "true"}

ROUNDS = ["geen", "open", "gesloten"]
SHOWN = [False, True]
PROMPTS = ["geen", "een open", "twee open", "gesloten"]
STATES = [
    (r, s, p)
    for r, s, p in itertools.product(ROUNDS, SHOWN, PROMPTS)
    if not (r == "geen" and s)  # nothing to show without a round
]


def expected(round_state: str, prompts: str) -> str:
    """The rule, written out: what the evaluation's link shows."""
    if round_state == "open":
        return "ronde"
    if prompts in ("een open", "twee open"):
        return "wand"
    return "ronde" if round_state == "gesloten" else "code"


def build(evaluation, key_moment, participants, state, capture):
    round_state, shown, prompts = state
    session = None
    with capture(execute=True):
        link = projector_link_set(evaluation=evaluation, active=True)
        if round_state != "geen":
            session = ReconstructionSession.objects.create(
                evaluation=evaluation, key_moment=key_moment, day=1, slot=1
            )
            session.participants.set(participants)
            session_state_set(session=session, state=SessionState.OPEN, revealed=shown)
            if round_state == "gesloten":
                session_state_set(session=session, state=SessionState.GESLOTEN)
        first = Prompt.objects.create(evaluation=evaluation, title="Wat nemen we mee?", order=1)
        second = Prompt.objects.create(evaluation=evaluation, title="Wat laten we los?", order=2)
        if prompts in ("een open", "twee open", "gesloten"):
            prompt_state_set(prompt=first, action="open")
        if prompts == "twee open":
            prompt_state_set(prompt=second, action="open")
        if prompts == "gesloten":
            prompt_state_set(prompt=first, action="close")
    return link, session, (first, second)


def screen_of(response) -> str:
    """Which screen a page or poll answer shows: "wand", "ronde" (a round) or "code"."""
    names = {t.name for t in response.templates}
    if names & {"console/wall_projector.html", "console/_wall_projector_live.html"}:
        return "wand"
    assert names & {"console/projector.html", "console/_projector_live.html"}, names
    return "ronde" if response.context.get("session") is not None else "code"


def console_line(client, evaluation) -> str:
    page = client.get(reverse("sessions:console", args=[evaluation.slug])).content.decode()
    start = page.index("data-projector-shows")
    return page[page.index(">", start) + 1 : page.index("</p>", start)]


CONSOLE_SAYS = {
    "ronde": "de open ronde",
    "wand": "de slotdialoog",
    "code": "de deelnamecode",
}


@pytest.mark.parametrize("state", STATES, ids=["-".join(map(str, s)) for s in STATES])
def test_the_link_its_poll_and_the_console_agree_on_what_the_projector_shows(
    client, evaluation, key_moment, verteller, reflector, facilitator, state,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    link, session, _prompts = build(
        evaluation, key_moment, [verteller, reflector], state, django_capture_on_commit_callbacks
    )
    want = expected(state[0], state[2])
    # Nothing open (None): the link shows the last closed round, or the join code.
    assert live_screen(evaluation.pk) == {"wand": WALL}.get(
        want, ROUND if state[0] == "open" else None
    )

    page = client.get(reverse("projector_link", args=[link.token]))
    assert page.status_code == 200 and screen_of(page) == want
    if want == "ronde":
        assert page.context["session"] == session
    poll = client.get(reverse("projector_link_live", args=[link.token]), headers=HTMX)
    assert poll.status_code == 200 and screen_of(poll) == want
    # The wall's own link shows the wall, live, whatever the round does.
    wall = client.get(reverse("wall_projector_link", args=[link.token]))
    assert wall.status_code == 200 and screen_of(wall) == "wand"
    wall_poll = client.get(reverse("wall_projector_link_live", args=[link.token]), headers=HTMX)
    assert wall_poll.status_code == 200 and "HX-Redirect" not in wall_poll.headers

    client.force_login(facilitator)
    line = console_line(client, evaluation)
    assert line == str(projector_link_shows(link))
    said = CONSOLE_SAYS[want]
    if want == "ronde" and state[0] == "gesloten":
        said = "de laatst gesloten ronde"
    assert said in line


MOVES = {
    "ronde openen": lambda s, p: s and session_state_set(session=s, state=SessionState.OPEN),
    "ronde sluiten": lambda s, p: s and session_state_set(session=s, state=SessionState.GESLOTEN),
    "resultaten tonen": lambda s, p: s and session_state_set(session=s, revealed=True),
    "resultaten verbergen": lambda s, p: s and session_state_set(session=s, revealed=False),
    "groep wijzigen": lambda s, p: s and s.participants.remove(s.participants.first()),
    "vraag 1 (her)openen": lambda s, p: prompt_state_set(prompt=p[0], action="open"),
    "vraag 2 openen": lambda s, p: prompt_state_set(prompt=p[1], action="open"),
    "vraag 1 sluiten": lambda s, p: prompt_state_set(prompt=p[0], action="close"),
    "vraag 2 sluiten": lambda s, p: prompt_state_set(prompt=p[1], action="close"),
    "stippen tonen": lambda s, p: p[0].opened_at and prompt_state_set(prompt=p[0], action="reveal"),
    "stippen verbergen": lambda s, p: (
        p[0].opened_at and prompt_state_set(prompt=p[0], action="hide_votes")
    ),
}
CASES = list(itertools.product(STATES, MOVES))


@pytest.mark.parametrize(
    ("state", "move"), CASES, ids=[f"{'-'.join(map(str, s))}>{m}" for s, m in CASES]
)
def test_the_links_poll_follows_every_move_at_its_next_poll(
    client, evaluation, key_moment, verteller, reflector, state, move,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """A screen that seems idle (its versions as the last poll gave them) learns of every move
    that changes what the rule shows: a stale 204 from the fast path is the fault."""
    link, session, prompts = build(
        evaluation, key_moment, [verteller, reflector], state, django_capture_on_commit_callbacks
    )
    url = reverse("projector_link_live", args=[link.token])
    before = client.get(url, headers=HTMX)
    params = {"v": before.context["version"], "rv": before.headers[live.HEADER]}
    assert client.get(url, params, headers=HTMX).status_code == 204
    for prompt in prompts:
        prompt.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        MOVES[move](session, prompts)

    fresh = client.get(url, headers=HTMX)  # what a newly opened page gets now
    now = fresh.context["version"]
    after = client.get(url, params, headers=HTMX)
    if screen_of(fresh) == "wand" != screen_of(before) or screen_of(before) == "wand" != (
        screen_of(fresh)
    ):
        assert after.headers.get("HX-Refresh") == "true", "the page must switch screens"
        page = client.get(reverse("projector_link", args=[link.token]))
        assert screen_of(page) == screen_of(fresh)
    elif now != params["v"]:
        assert after.status_code == 200 and after.context["version"] == now
    else:
        assert after.status_code == 204
    assert screen_of(fresh) == {WALL: "wand"}.get(
        live_screen(evaluation.pk), "ronde" if session else "code"
    )


def test_the_reported_sequence_keeps_the_round_on_the_link(
    client, evaluation, key_moment, verteller, reflector, django_capture_on_commit_callbacks
):
    """Round open and revealed; a prompt reopened, another opened and closed, reveal again,
    group change: the link shows the round all along, and its poll says so every time."""
    link, session, (first, second) = build(
        evaluation,
        key_moment,
        [verteller, reflector],
        ("open", True, "gesloten"),
        django_capture_on_commit_callbacks,
    )
    url = reverse("projector_link_live", args=[link.token])
    steps = [
        lambda: prompt_state_set(prompt=first, action="open"),
        lambda: prompt_state_set(prompt=second, action="open"),
        lambda: prompt_state_set(prompt=second, action="close"),
        lambda: session_state_set(session=session, revealed=False),
        lambda: session_state_set(session=session, revealed=True),
        lambda: session.participants.remove(verteller),
    ]
    for step in steps:
        before = client.get(url, headers=HTMX)
        assert screen_of(before) == "ronde"
        with django_capture_on_commit_callbacks(execute=True):
            step()
        page = client.get(reverse("projector_link", args=[link.token]))
        assert page.status_code == 200 and page.context["session"] == session
