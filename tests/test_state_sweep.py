"""Every page, in every state the demo, the admin, an import or the console can leave behind.

Issue 9, item 1: a closed round without timestamps (as the demo and the admin close them) made
the personal page answer 500. The kind is any combination of session state, timestamps,
reveal/live switches, empty groups, empty roles and membership changes. This sweep builds such
combinations and asks every page for every kind of visitor: no answer may be a 5xx.
"""

import itertools
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports.catalogue import catalogue_install
from reports.models import PrintableKind, RenderedReport, ReportKind
from reports.outline import outline_for
from reports.outline_file import outline_import_stage
from scoring.models import Allocation
from sessions.models import (
    EvaluationMember,
    KeyMoment,
    Participant,
    Phase,
    ReconstructionSession,
    Role,
    SessionState,
)

from .conftest import make_evaluation, make_user, personal_token, points
from .urlmap import add_wall, routes

STATES = [SessionState.VOORBEREIDING, SessionState.OPEN, SessionState.GESLOTEN]
STAMPS = ["geen", "beide", "alleen-gesloten"]
VISIBILITY = ["verborgen", "live", "onthuld", "live-en-onthuld"]
GROUPS = ["leeg", "een-verteller", "alleen-vertellers", "beide-rollen", "lid-verwijderd"]

# Every state × visibility; timestamps and group variant rotate through them, so each state
# meets every kind of timestamps and each group several states. Every world also holds closed
# rounds with and without timestamps around the round under test.
WORLDS = [
    (state, STAMPS[i % len(STAMPS)], visibility, GROUPS[i % len(GROUPS)])
    for i, (state, visibility) in enumerate(itertools.product(STATES, VISIBILITY))
]


def _stamp(session: ReconstructionSession, stamps: str, state: str) -> None:
    now = timezone.now()
    if stamps == "beide":
        session.opened_at = now - timedelta(minutes=30)
        session.closed_at = now if state == SessionState.GESLOTEN else None
    elif stamps == "alleen-gesloten":
        session.opened_at = None
        session.closed_at = now
    else:
        session.opened_at = session.closed_at = None


def build_world(state: str, stamps: str, visibility: str, group: str) -> dict:
    """An evaluation whose sessions are written as the admin or an import writes them."""
    evaluation = make_evaluation(slug="sweep")
    catalogue_install(evaluation=evaluation)
    facilitator, analyst = make_user("fenna"), make_user("anouk")
    EvaluationMember.objects.create(
        evaluation=evaluation, user=facilitator, role=EvaluationMember.Role.FACILITATOR
    )
    EvaluationMember.objects.create(
        evaluation=evaluation, user=analyst, role=EvaluationMember.Role.ANALYST
    )
    people = {
        name: Participant.objects.create(evaluation=evaluation, name=name, role=role)
        for name, role in [
            ("Vera", Role.VERTELLER),
            ("Victor", Role.VERTELLER),
            ("Vince", Role.VERTELLER),
            ("Rob", Role.REFLECTOR),
            ("Rita", Role.REFLECTOR),
            ("Otto", Role.REFLECTOR),
        ]
    }
    members = {
        "leeg": [],
        "een-verteller": ["Vera"],
        "alleen-vertellers": ["Vera", "Victor", "Vince"],
        "beide-rollen": ["Vera", "Victor", "Rob", "Rita"],
        "lid-verwijderd": ["Vera", "Victor", "Rob", "Rita"],
    }[group]
    moments = [
        KeyMoment.objects.create(
            evaluation=evaluation, order=i, title=f"Moment {i}", phase=Phase.START
        )
        for i in (1, 2, 3, 4)
    ]
    sessions = []
    # Rounds around the one under test: closed with and without timestamps (demo, admin),
    # one still in preparation, so a participant's page has to order them.
    for moment, day, round_state, round_stamps in [
        (moments[1], 1, SessionState.GESLOTEN, "geen"),
        (moments[2], 2, SessionState.GESLOTEN, "beide"),
        (moments[3], 3, SessionState.VOORBEREIDING, "geen"),
    ]:
        round_ = ReconstructionSession(
            evaluation=evaluation, key_moment=moment, day=day, slot=1, state=round_state
        )
        _stamp(round_, round_stamps, round_state)
        round_.save()
        round_.participants.set([people[n] for n in members])
        sessions.append(round_)
    session = ReconstructionSession(
        evaluation=evaluation,
        key_moment=moments[0],
        day=3,
        slot=2,
        state=state,
        revealed=visibility in ("onthuld", "live-en-onthuld"),
        live_results=visibility in ("live", "live-en-onthuld"),
    )
    _stamp(session, stamps, state)
    session.save()
    session.participants.set([people[n] for n in members])
    sessions.append(session)
    # Scores as an import or the admin writes them, whatever the state now is.
    scored = [n for n in members][:3]
    Allocation.objects.bulk_create(
        [
            Allocation(session=s, participant=people[n], **points(ambitie=4, proces=0))
            for s in (sessions[0], sessions[1], session)
            for n in scored
        ]
    )
    if group == "lid-verwijderd":
        # Scored, then taken out of the group; a newcomer joins who has not scored.
        session.participants.remove(people["Vera"])
        sessions[0].participants.remove(people["Vera"])
        session.participants.add(people["Otto"])
    inside = session.participants.first()
    outside = Participant.objects.create(
        evaluation=evaluation, name="Buiten de groep", role=Role.REFLECTOR
    )
    # The slotdialoog in the same state as the round, its stippen shown as the results are.
    prompt, contribution = add_wall(evaluation, author=people["Rob"], voter=people["Rita"])
    prompt.state = state
    prompt.votes_revealed = visibility in ("onthuld", "live-en-onthuld")
    prompt.save()
    return {
        "prompt": prompt,
        "contribution": contribution,
        "evaluation": evaluation,
        "session": session,
        "facilitator": facilitator,
        "analyst": analyst,
        "inside": inside or people["Vera"],
        "outside": outside,
        "removed": people["Vera"],
    }


def _shim(world: dict) -> SimpleNamespace:
    """What tests/urlmap needs of a world beyond the objects passed explicitly."""
    return SimpleNamespace(facilitator=world["facilitator"], instance_of=lambda model: None)


def _objects(world: dict, participant: Participant | None = None) -> dict:
    evaluation = world["evaluation"]
    participant = participant or world["inside"]
    personal_token(participant)  # their name is claimed: the personal link exists
    return {
        "evaluation": evaluation,
        "session": world["session"],
        "participant": participant,
        "key_moment": world["session"].key_moment,
        "how_question": evaluation.how_questions.order_by("pk").first(),
        "rendered_report": RenderedReport.objects.get_or_create(
            evaluation=evaluation,
            kind=ReportKind.EINDRAPPORT,
            status=RenderedReport.Status.DONE,
            format=RenderedReport.Format.PDF,
            defaults={"content": b"%PDF-1.7 stand-in", "size": 17},
        )[0],
        "rendered_docx": RenderedReport.objects.get_or_create(
            evaluation=evaluation,
            kind=ReportKind.EINDRAPPORT,
            status=RenderedReport.Status.DONE,
            format=RenderedReport.Format.DOCX,
            defaults={"content": b"PK stand-in", "size": 11},
        )[0],
        "cards_report": RenderedReport.objects.get_or_create(
            evaluation=evaluation,
            kind=PrintableKind.DEELNEMERSKAARTEN,
            status=RenderedReport.Status.DONE,
            format=RenderedReport.Format.PDF,
            defaults={"content": b"%PDF-1.7 stand-in", "size": 17},
        )[0],
        "member": evaluation.members.filter(user=world["facilitator"]).first(),
        "report_block": outline_for(evaluation, "eindrapport").blocks.filter(kind="text").first(),
        "prompt": world["prompt"],
        "contribution": world["contribution"],
        "outline_import": outline_import_stage(
            outline=outline_for(evaluation, "eindrapport"),
            data=b"# Inleiding\n\n[[paradoxen]]\n",
            filename="opzet.md",
            user=world["facilitator"],
        )[0],
    }


# Every page of the app (the admin has its own sweep in the fuzz test), with the query strings
# that change what a page draws.
EXTRA_QUERIES = {
    "sessions:results": ["?rol=vertellers", "?rol=reflectoren"],
    "sessions:insights": ["?rol=vertellers", "?rol=reflectoren"],
    "sessions:projector": ["?weergave=individueel", "?weergave=spreiding"],
    "sessions:projector_live": ["?v=0.0", "?v=0.0&weergave=individueel"],
    "sessions:console_live": ["?v=0.0"],
    "sessions:session_live": ["?v=0.0"],
    "participant:live": ["?sig=x"],
    "participant:card": ["?wijzig=1"],
    "participant:wall": ["?v=x", "?bewerk=1"],
    "sessions:wall_live": ["?v=x"],
    "sessions:wall_projector_live": ["?v=x"],
}
SLOW = {"reports:eindrapport", "reports:tussenrapportage"}  # swept once per kind of timestamps


def _routes(*, participant_pages: bool) -> list:
    chosen = []
    for route in routes():
        if route.is_admin or route.name in SLOW or route.name is None:
            continue
        if route.name.split(":")[0] in {"admin"} or route.pattern.startswith(
            ("accounts/", "i18n/")
        ):
            continue
        if ("participant" in route.targets) == participant_pages:
            chosen.append(route)
    return chosen


def team_urls(world: dict) -> list[str]:
    urls = []
    for route in _routes(participant_pages=False):
        url = route.url(_shim(world), **_objects(world))
        urls += [url] + [url + q for q in EXTRA_QUERIES.get(route.name, [])]
    return urls


def participant_urls(world: dict, participant: Participant) -> list[str]:
    urls = []
    for route in _routes(participant_pages=True):
        url = route.url(_shim(world), **_objects(world, participant))
        urls += [url] + [url + q for q in EXTRA_QUERIES.get(route.name, [])]
    return urls


def _client(user=None, participant=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    if participant is not None:
        client.cookies["deelnemer"] = personal_token(participant)
    return client


def _assert_no_5xx(client: Client, urls: list[str], who: str, htmx: bool = False) -> None:
    failures = []
    for url in urls:
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.get(url, headers=headers)
        if response.status_code >= 500:
            failures.append(f"{who} GET {url} → {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "stamps", "visibility", "group"), WORLDS)
def test_no_page_answers_5xx_in_any_state(state, stamps, visibility, group):
    world = build_world(state, stamps, visibility, group)
    team = team_urls(world)
    everyone_in_the_room = {
        "in de groep": world["inside"],
        "buiten de groep": world["outside"],
        "uit de groep gehaald": world["removed"],
    }
    # htmx asks for the polled fragments; the other pages answer it as they answer a browser.
    polled = [url for url in team if "/live/" in url]
    assert polled and len(team) > 20
    for who in ("facilitator", "analyst"):
        client = _client(user=world[who])
        _assert_no_5xx(client, team, who)
        _assert_no_5xx(client, polled, who, htmx=True)
    for who, participant in everyone_in_the_room.items():
        client = _client(participant=participant)
        _assert_no_5xx(client, participant_urls(world, participant), who)
        _assert_no_5xx(client, participant_urls(world, participant), who, htmx=True)
    # Without a login the team's pages look the same to a participant and to a stranger.
    anonymous = _client(participant=world["inside"])
    _assert_no_5xx(anonymous, team, "deelnemer op teampagina's")
    _assert_no_5xx(anonymous, polled, "deelnemer op teampagina's", htmx=True)
    stranger = _client()
    _assert_no_5xx(stranger, participant_urls(world, world["inside"]), "anoniem")


@pytest.mark.django_db
@pytest.mark.parametrize("stamps", STAMPS)
def test_report_pdfs_render_in_every_state(stamps):
    world = build_world(SessionState.GESLOTEN, stamps, "onthuld", "lid-verwijderd")
    slug = world["evaluation"].slug
    client = _client(user=world["analyst"])
    for name in ("reports:eindrapport", "reports:tussenrapportage"):
        response = client.get(reverse(name, args=[slug]))
        assert response.status_code < 500, name
