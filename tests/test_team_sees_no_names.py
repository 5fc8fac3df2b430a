"""Nothing the team can open joins a participant's name to their own points or their
contribution, unless the evaluation allows names (privacy2 item 1; DESIGN.md §6).

A new-user pass found the facilitator's session page listing each person's points by name
with timestamps to the second, and the pseudonymised export using one pseudonym for the
points and for the slotdialoog, so a contribution led to its author's points and from there,
through the session page or the named export's timestamps, to the name.

The sweep: for every team role (facilitator, analyst, co-facilitator) and with names allowed
or not, crawl every page the role is shown links to (tests/test_crawl.py) plus every export,
and read every row (table row, list item, spreadsheet row, CSV line):
- without names allowed, no row holds Zwaantje's name beside her points, her pseudonym, her
  wall pseudonym or her contribution; no export row holds her name at all;
- her wall pseudonym and her scoring pseudonym never meet, and the wall never shows the
  scoring pseudonym;
- no row with her pseudonym carries a time of day (it could be matched with the console's
  list of who has scored);
- with names allowed, the session page does show her name beside her points (the sweep can
  see what it looks for).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, time
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from scoring.services import allocation_submit, session_state_set
from sessions.models import EvaluationMember, Participant, Prompt, PromptState, Role, SessionState
from sessions.wall import contribution_submit

from .conftest import make_user
from .test_crawl import Crawl

pytestmark = pytest.mark.django_db

NAME = "Zwaantje Vlierbes"
HER_POINTS = dict(ambitie=6, belangen=0, relatie=3, organisatie=1, proces=0)
HER_SUMMARY = "6 0 3 1 0"
HER_TEXT = "Zwaantjes eigen bijdrage over de dijk"
TIME_OF_DAY = re.compile(r"\b\d{1,2}:\d{2}\b")


class _Rows(HTMLParser):
    """The text of every <tr> and <li> of a page (nested ones count for both)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[str] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("tr", "li"):
            self._open.append([])

    def handle_endtag(self, tag):
        if tag in ("tr", "li") and self._open:
            text = " ".join(self._open.pop())
            self.rows.append(" ".join(text.split()))
            if self._open:
                self._open[-1].append(text)

    def handle_data(self, data):
        if self._open:
            self._open[-1].append(data)


def _rows(response) -> tuple[str, list[str]]:
    """('html'|'export', rows) of a response; other downloads (PDF, DOCX) give no rows."""
    kind = response.get("Content-Type", "")
    if kind.startswith("text/html"):
        parser = _Rows()
        parser.feed(response.content.decode())
        return "html", parser.rows
    if kind.startswith("text/csv"):
        reader = csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
        return "export", [" ".join(row) for row in reader]
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(response.content))
        rows = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells = []
                for value in row:
                    if isinstance(value, datetime) and value.time() != time(0):
                        cells.append(value.isoformat(sep=" "))  # a time of day shows
                    elif isinstance(value, datetime):
                        cells.append(value.date().isoformat())
                    else:
                        cells.append("" if value is None else str(value))
                rows.append(" ".join(cells))
        return "export", rows
    return "other", []


@pytest.fixture
def room(evaluation, key_moment):
    """A closed, revealed round of six in which Zwaantje scored, changed her points and
    wrote on the wall."""
    from sessions.models import ReconstructionSession

    session = ReconstructionSession.objects.create(
        evaluation=evaluation, key_moment=key_moment, day=1, slot=1, room="Groep A"
    )
    people = [
        Participant.objects.create(
            evaluation=evaluation,
            name=name,
            organisation="Waterschap Vlier",
            role=Role.VERTELLER if i < 3 else Role.REFLECTOR,
        )
        for i, name in enumerate(
            [NAME, "Anton Brink", "Bea Claes", "Cor Dijk", "Dora Eik", "Evert Fok"]
        )
    ]
    session.participants.set(people)
    session_state_set(session=session, state=SessionState.OPEN)
    allocation_submit(participant=people[0], session=session, points=dict(HER_POINTS, proces=0))
    allocation_submit(
        participant=people[0], session=session, points=dict(HER_POINTS, ambitie=5, proces=1)
    )
    allocation_submit(participant=people[0], session=session, points=HER_POINTS)
    for person in people[1:]:
        allocation_submit(
            participant=person,
            session=session,
            points=dict(ambitie=2, belangen=2, relatie=2, organisatie=2, proces=2),
        )
    session_state_set(session=session, state=SessionState.GESLOTEN)
    session_state_set(session=session, revealed=True)
    prompt = Prompt.objects.create(evaluation=evaluation, title="Wat neem je mee?")
    Prompt.objects.filter(pk=prompt.pk).update(state=PromptState.OPEN)
    contribution_submit(
        participant=people[0], prompt_id=prompt.pk, text=HER_TEXT, client_token="z1"
    )
    contribution_submit(
        participant=people[1], prompt_id=prompt.pk, text="Antons bijdrage", client_token="a1"
    )
    return session, people[0]


def _team_client(evaluation, role: str) -> Client:
    member_role = (
        EvaluationMember.Role.ANALYST if role == "analist" else EvaluationMember.Role.FACILITATOR
    )
    user = make_user(role)
    EvaluationMember.objects.create(evaluation=evaluation, user=user, role=member_role)
    client = Client()
    client.force_login(user)
    return client


def _start(evaluation, session) -> list[str]:
    slug = evaluation.slug
    export = reverse("reports:export", args=[slug])
    urls = [
        reverse("home"),
        reverse("sessions:overview", args=[slug]),
        reverse("sessions:session", args=[slug, session.pk]),
        reverse("sessions:session_live", args=[slug, session.pk]),
    ]
    for kind in ("xlsx", "csv", "csv-wijzigingen"):
        urls += [f"{export}?format={kind}", f"{export}?format={kind}&names=on"]
    return urls


def _sweep(client, evaluation, session) -> list[tuple[str, str, str]]:
    """(url, 'html'|'export', row) of every row the client can reach."""
    crawl = Crawl(client, _start(evaluation, session)).run()
    assert not crawl.failures, crawl.failures
    found = []
    for url in sorted(crawl.seen):
        response = client.get(url)
        if response.status_code != 200:
            continue
        kind, rows = _rows(response)
        found += [(url, kind, row) for row in rows]
    return found


ROLES = ["facilitator", "analist", "co-facilitator"]


@pytest.mark.parametrize("role", ROLES)
def test_without_names_allowed_no_row_joins_a_name_to_points_or_words(room, evaluation, role):
    session, her = room
    assert not evaluation.team_sees_names
    client = _team_client(evaluation, role)
    rows = _sweep(client, evaluation, session)
    assert any(HER_SUMMARY in row for _u, _k, row in rows), "the sweep saw no points"
    if role != "analist":
        assert any(NAME in row for _u, _k, row in rows), "the sweep saw no names"
    linked = (HER_SUMMARY, her.pseudonym, her.wall_pseudonym, HER_TEXT)
    problems = []
    for url, kind, row in rows:
        if NAME in row and (kind == "export" or any(thing in row for thing in linked)):
            problems.append(f"{url}: name beside her data: {row[:200]}")
        if her.pseudonym in row and (her.wall_pseudonym in row or HER_TEXT in row):
            problems.append(f"{url}: wall joined to her points: {row[:200]}")
        if her.pseudonym in row and TIME_OF_DAY.search(row):
            problems.append(f"{url}: her pseudonym with a time of day: {row[:200]}")
        if her.wall_pseudonym in row and TIME_OF_DAY.search(row):
            problems.append(f"{url}: her wall pseudonym with a time of day: {row[:200]}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_with_names_allowed_the_team_sees_her_name_beside_her_points(room, evaluation, role):
    session, her = room
    evaluation.names_in_interim_report = True
    evaluation.save()
    client = _team_client(evaluation, role)
    rows = _sweep(client, evaluation, session)
    assert any(NAME in row and HER_SUMMARY in row for _u, _k, row in rows)
    # Even then the wall's pseudonym is not the scoring one.
    for _url, _kind, row in rows:
        assert not (her.pseudonym in row and her.wall_pseudonym in row)


def test_the_wall_pseudonym_is_a_namespace_of_its_own(room):
    _session, her = room
    assert her.wall_pseudonym != her.pseudonym
    assert her.wall_pseudonym.startswith("Schrijver-")
    assert her.pseudonym.startswith("Deelnemer-")


def test_the_pseudonymised_export_gives_the_wall_its_own_pseudonyms(room, evaluation):
    """The join of the new-user pass: contribution -> pseudonym -> points."""
    from reports.export import export_xlsx

    _session, her = room
    book = load_workbook(io.BytesIO(export_xlsx(evaluation, pseudonymise=True)))
    wall_authors = {row[4] for row in book["Slotdialoog"].iter_rows(min_row=2, values_only=True)}
    scorers = {row[6] for row in book["Puntenverdelingen"].iter_rows(min_row=2, values_only=True)}
    assert her.wall_pseudonym in wall_authors
    assert not wall_authors & scorers


def test_the_analyst_is_told_why_names_are_off(client, room, evaluation):
    client = _team_client(evaluation, "analist")
    response = client.get(
        reverse("reports:export", args=[evaluation.slug]), {"format": "csv", "names": "on"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Namen in de tussenrapportage" in html
    assert NAME not in html
