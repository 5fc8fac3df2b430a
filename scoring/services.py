"""Submitting allocations and aggregating them: the rules of the room, in one place."""

import functools
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from evaluatiespiegel import rawsql
from sessions.live import points_changed
from sessions.models import Participant, ReconstructionSession, Role, SessionState

from .conditions import CONDITION_FIELDS, POINTS_MAX, POINTS_TOTAL, Condition
from .models import Allocation, AllocationChange, points_total_message


def points_messages(condition: Condition) -> dict[str, str]:
    """What a participant reads about a points field that is not a whole number 0..10.

    Keys: "bad" (not a whole number), "low" (below 0), "high" (above 10). The server says it
    after a submit, and the page's script says the same while typing (data-msg-* attributes).
    """
    label = condition.label
    return {
        "bad": _("Vul bij %(label)s een heel getal in, van 0 tot en met 10.") % {"label": label},
        "low": _("%(label)s kan niet minder dan 0 punten krijgen.") % {"label": label},
        "high": _("%(label)s kan hoogstens 10 punten krijgen.") % {"label": label},
    }


# Digits only (ASCII: int() would also take "٤" or "1_0"), optionally a minus sign.
_WHOLE_NUMBER = re.compile(r"-?[0-9]+", re.ASCII)


def points_validate(raw: dict[str, object]) -> tuple[dict[str, int], dict[str, str]]:
    """Parse the five inputs as typed. Returns (points, errors per condition field).

    An empty input counts as 0: an untouched field is not something the participant typed.
    Anything else that is not a whole number from 0 to 10 is refused (points_messages()).
    """
    points: dict[str, int] = {}
    errors: dict[str, str] = {}
    for condition in Condition:
        value = raw.get(condition.field, "")
        text = str(value).strip() if value is not None else ""
        if text == "":
            points[condition.field] = 0
            continue
        if not _WHOLE_NUMBER.fullmatch(text):
            errors[condition.field] = points_messages(condition)["bad"]
            continue
        number = int(text)
        if number < 0:
            errors[condition.field] = points_messages(condition)["low"]
        elif number > POINTS_MAX:
            errors[condition.field] = points_messages(condition)["high"]
        else:
            points[condition.field] = number
    return points, errors


# The model's rules, in the words a participant needs to read.
_PARTICIPANT_MESSAGES = {
    "participant_other_evaluation": _lazy("Deze sessie hoort niet bij jouw evaluatie."),
    "participant_not_in_group": _lazy("Deze sessie hoort niet bij jouw groep."),
    "session_not_open": _lazy("Deze ronde is nog niet geopend: je punten zijn niet opgeslagen."),
    "session_closed": _lazy(
        "Deze ronde is gesloten voordat je punten aankwamen: wat je nu invulde is niet opgeslagen."
    ),
    "stale": _lazy(
        "Je punten voor deze ronde zijn intussen gewijzigd, op een ander apparaat of in een "
        "ander venster. Kijk welke punten nu gelden; verstuur opnieuw om ze te vervangen door "
        "wat je hier invulde."
    ),
}


def _participant_error(code: str) -> ValidationError:
    return ValidationError(str(_PARTICIPANT_MESSAGES[code]), code=code)


def allocation_submit(
    *,
    participant: Participant,
    points: dict[str, int],
    session: ReconstructionSession | None = None,
    session_id: int | None = None,
    based_on: str | None = None,
) -> Allocation:
    """Store a participant's 10 points for a session, or change them while the round is open.

    Submitting the same points twice (a double click, a retry) leaves one allocation and
    records one change. Raises ValidationError with a message for the participant, and
    ReconstructionSession.DoesNotExist for a session outside the participant's evaluation.
    The returned allocation carries the session as read inside the transaction, and as
    ``rounds`` the participant's rounds past preparation with their own changes in each
    (list of Round, by session id), as they stand after this submit.

    ``based_on`` is the ``Allocation.version`` the participant's form was drawn from ("" for
    a form drawn before they had points; None: not known, as from the admin or an import).
    When the stored points changed since (another device of theirs), a submit of different
    points is refused with code "stale", so nothing is overwritten unseen; sending again
    from the form that shows the current points (and their version) replaces them.
    """
    session_id = session.pk if session is not None else session_id
    total = sum(points.get(f, 0) for f in CONDITION_FIELDS)
    if total != POINTS_TOTAL:
        raise ValidationError(points_total_message(total), code="total")
    new = {f: points[f] for f in CONDITION_FIELDS}
    try:
        return _submit_write(
            participant=participant, session_id=session_id, new=new, based_on=based_on
        )
    except IntegrityError:
        # Two requests of one participant raced to create the allocation (PostgreSQL lets
        # both see "none yet"); the loser tries again and now finds the winner's row.
        return _submit_write(
            participant=participant, session_id=session_id, new=new, based_on=based_on
        )


@dataclass(frozen=True)
class Round:
    """One of a participant's rounds past preparation, as a submit read it: its state and how
    often the participant's points in it changed (their page's signature, see
    sessions.participant_views._signature)."""

    session_id: int
    state: str
    changes: int


@functools.cache
def _rounds_sql() -> str:
    # Parameters: the participant twice, then SessionState.VOORBEREIDING.
    membership = ReconstructionSession.participants.through
    session, q = ReconstructionSession, rawsql.name
    m_session = rawsql.column(membership, "reconstructionsession")
    return f"""
        SELECT s2.{q("id")} AS id, s2.{q("state")} AS state,
            (SELECT COUNT(*) FROM {rawsql.table(AllocationChange)} c
             WHERE c.{rawsql.column(AllocationChange, "participant")} = %s
             AND c.{rawsql.column(AllocationChange, "session")} = s2.{q("id")}) AS changes
        FROM {rawsql.table(session)} s2
        JOIN {rawsql.table(membership)} m2 ON m2.{m_session} = s2.{q("id")}
        WHERE m2.{rawsql.column(membership, "participant")} = %s AND s2.{q("state")} <> %s
    """


def participant_rounds(participant_id: int) -> list[Round]:
    """The participant's rounds past preparation (their groups' sessions), with how often
    their own points changed in each, by session id: what their page's signature is made of.
    One query, written out (issue 14): every poll that finds the room changed asks it, and
    in a room that fills up, that is every phone every few seconds; the ORM's subquery cost
    more to build than to run."""

    with rawsql.cursor() as cursor:
        cursor.execute(_rounds_sql(), [participant_id, participant_id, SessionState.VOORBEREIDING])
        rows = cursor.fetchall()
    return sorted((Round(pk, state, int(n)) for pk, state, n in rows), key=lambda r: r.session_id)


@functools.cache
def _submit_read_sql() -> str:
    # Written out once per process: building this with the ORM (a FilteredRelation, an Exists
    # and a counted subquery) cost more than running it (issue 14's profile).
    membership = ReconstructionSession.participants.through
    m_session, m_participant = (
        rawsql.column(membership, "reconstructionsession"),
        rawsql.column(membership, "participant"),
    )
    session, moment = ReconstructionSession, ReconstructionSession.key_moment.field.related_model
    q = rawsql.name
    return f"""
        SELECT {rawsql.select_list(session, "s")}, {rawsql.select_list(moment, "k")},
            EXISTS (SELECT 1 FROM {rawsql.table(membership)} m
                    WHERE m.{m_session} = s.{q("id")} AND m.{m_participant} = %s),
            {rawsql.select_list(Allocation, "a")},
            r.id, r.state, r.changes
        FROM {rawsql.table(session)} s
        JOIN {rawsql.table(moment)} k ON k.{q("id")} = s.{rawsql.column(session, "key_moment")}
        LEFT JOIN {rawsql.table(Allocation)} a
            ON a.{rawsql.column(Allocation, "session")} = s.{q("id")}
            AND a.{rawsql.column(Allocation, "participant")} = %s
        LEFT JOIN ({_rounds_sql()}) r ON 1 = 1
        WHERE s.{q("id")} = %s AND s.{rawsql.column(session, "evaluation")} = %s
    """


def _submit_read(participant: Participant, session_id: int):
    """The one read of a submit: the session with its key moment, whether the participant is
    in its group, their allocation in it (or None), and their rounds past preparation with
    their own changes in each (sorted by session id). Raises DoesNotExist for a session
    outside the participant's evaluation."""

    moment = ReconstructionSession.key_moment.field.related_model
    widths = [rawsql.width(ReconstructionSession), rawsql.width(moment)]
    with rawsql.cursor() as cursor:
        cursor.execute(
            _submit_read_sql(),
            [
                participant.pk,
                participant.pk,
                participant.pk,
                participant.pk,
                SessionState.VOORBEREIDING,
                session_id,
                participant.evaluation_id,
            ],
        )
        rows = cursor.fetchall()
    if not rows:
        raise ReconstructionSession.DoesNotExist
    row = rows[0]
    at = 0
    session = rawsql.instance(ReconstructionSession, row[at : at + widths[0]])
    at += widths[0]
    session.key_moment = rawsql.instance(moment, row[at : at + widths[1]])
    at += widths[1]
    in_group = bool(row[at])
    at += 1
    own = row[at : at + rawsql.width(Allocation)]
    at += rawsql.width(Allocation)
    allocation = None
    if own[0] is not None:
        allocation = rawsql.instance(Allocation, own)
        allocation.session = session
        allocation.participant = participant
    rounds = sorted(
        (Round(r[at], r[at + 1], int(r[at + 2])) for r in rows if r[at] is not None),
        key=lambda r: r.session_id,
    )
    return session, in_group, allocation, rounds


@functools.cache
def _submit_write_sql() -> dict[str, str]:
    q = rawsql.name
    points = [rawsql.column(Allocation, f) for f in CONDITION_FIELDS]
    change_columns = ["session", "participant", "old_points", "new_points"]
    change_columns += ["changed_by", "changed_at"]
    return {
        "update": f"UPDATE {rawsql.table(Allocation)} SET "
        + ", ".join(f"{c} = %s" for c in [*points, rawsql.column(Allocation, "updated_at")])
        + f" WHERE {q('id')} = %s",
        "insert": f"INSERT INTO {rawsql.table(Allocation)} ("
        + ", ".join(
            [
                rawsql.column(Allocation, "session"),
                rawsql.column(Allocation, "participant"),
                *points,
                rawsql.column(Allocation, "created_at"),
                rawsql.column(Allocation, "updated_at"),
            ]
        )
        + f") VALUES ({', '.join(['%s'] * (len(points) + 4))}) RETURNING {q('id')}",
        "change": f"INSERT INTO {rawsql.table(AllocationChange)} ("
        + ", ".join(rawsql.column(AllocationChange, c) for c in change_columns)
        + f") VALUES ({', '.join(['%s'] * len(change_columns))})",
    }


@transaction.atomic
def _submit_write(
    *, participant, session_id: int, new: dict[str, int], based_on: str | None = None
) -> Allocation:
    """The submit in hand-written SQL (issue 14: the ORM's query building was most of its
    cost): one read inside the transaction (the group, the state: a round closed a moment ago
    refuses the submit; what the participant has already sent; their rounds), then the
    allocation and its audit row. Written without Model.save(): the rules it would check
    (group, evaluation, state) are checked here, and the database enforces the points and one
    allocation per participant per session whatever path writes."""

    session, in_group, allocation, rounds = _submit_read(participant, session_id)
    if not in_group:
        raise _participant_error("participant_not_in_group")
    if session.state == SessionState.VOORBEREIDING:
        raise _participant_error("session_not_open")
    if session.state == SessionState.GESLOTEN:
        raise _participant_error("session_closed")
    old = allocation.points if allocation else None
    if (
        old != new
        and based_on is not None
        and based_on != (allocation.version if allocation else "")
    ):
        raise _participant_error("stale")
    if old != new:
        sql = _submit_write_sql()
        now = timezone.now()
        stamp = rawsql.prepared(Allocation, "updated_at", now)
        values = [new[f] for f in CONDITION_FIELDS]
        with rawsql.cursor() as cursor:
            if allocation is None:
                cursor.execute(sql["insert"], [session.pk, participant.pk, *values, stamp, stamp])
                allocation = Allocation(
                    pk=cursor.fetchone()[0],
                    session=session,
                    participant=participant,
                    created_at=now,
                    updated_at=now,
                    **new,
                )
                allocation._state.adding = False
            else:
                cursor.execute(sql["update"], [*values, stamp, allocation.pk])
                for name, value in new.items():
                    setattr(allocation, name, value)
                allocation.updated_at = now
            allocation._stored_points = allocation.points
            cursor.execute(
                sql["change"],
                [
                    session.pk,
                    participant.pk,
                    rawsql.prepared(AllocationChange, "old_points", old),
                    rawsql.prepared(AllocationChange, "new_points", new),
                    participant.name,
                    rawsql.prepared(AllocationChange, "changed_at", now),
                ],
            )
        rounds = [
            Round(r.session_id, r.state, r.changes + (r.session_id == session.pk)) for r in rounds
        ]
        points_changed(session_id=session.pk, participant_id=participant.pk)
    allocation.session = session
    allocation.rounds = rounds
    return allocation


def session_state_set(
    *,
    session: ReconstructionSession,
    state: str | None = None,
    revealed: bool | None = None,
    live_results: bool | None = None,
) -> ReconstructionSession:
    """Change a session's state or visibility, and tell every live page through its version.

    Raises ValidationError when results would be revealed of a round that was never opened:
    there is nothing to show yet, and an empty chart on the projector misleads the room.
    """
    with transaction.atomic():
        session = ReconstructionSession.objects.select_for_update().get(pk=session.pk)
        if revealed and (state or session.state) == SessionState.VOORBEREIDING:
            raise ValidationError(
                _("Open de ronde eerst; een ronde in voorbereiding heeft nog geen resultaten.")
            )
        if state is not None and state != session.state:
            session.state = state
            if state == SessionState.OPEN:
                session.opened_at = timezone.now()
                session.closed_at = None
            elif state == SessionState.GESLOTEN:
                session.closed_at = timezone.now()
        if revealed is not None:
            session.revealed = revealed
        if live_results is not None:
            session.live_results = live_results
        session.state_version = F("state_version") + 1
        session.save()
        session.refresh_from_db()
    return session


def live_version(session: ReconstructionSession) -> str:
    """What a live page has seen: the session's state version and the number of score changes.

    Both come from the database, so every server process answers a poll the same way.
    """
    changes = AllocationChange.objects.filter(session=session).count()
    return f"{session.state_version}.{changes}"


@dataclass(frozen=True)
class Series:
    """Mean points per condition for one group of participants.

    `hidden` series have too few people to show a mean without revealing someone's own
    points (see min_group_size()); their means are zero and they are never drawn.
    """

    key: str
    label: str
    n: int
    means: dict[str, float]
    hidden: bool = False

    @property
    def shown(self) -> bool:
        return bool(self.n) and not self.hidden

    @property
    def values(self) -> list[float]:
        return [self.means[f] for f in CONDITION_FIELDS]


@dataclass(frozen=True)
class Difference:
    condition: Condition
    verteller: float
    reflector: float

    @property
    def gap(self) -> float:
        """The gap a reader sees: between the two means as printed (one decimal), the rule
        of every verdict (scoring.insights.shown)."""
        return abs(round(round(self.verteller, 1) - round(self.reflector, 1), 1))


@dataclass(frozen=True)
class Aggregate:
    """Means per role and for everyone, for a session or any set of allocations."""

    vertellers: Series
    reflectoren: Series
    everyone: Series
    series: list[Series] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return self.everyone.n

    @property
    def shown(self) -> list[Series]:
        """The series that may be drawn and printed: people in them, and enough of them."""
        return [s for s in self.series if s.shown]

    @property
    def rows(self) -> list[dict]:
        """Per condition the mean of each shown series, for tables."""
        return [
            {"condition": c, "values": [s.means[c.field] for s in self.shown]} for c in Condition
        ]

    @property
    def largest_difference(self) -> Difference | None:
        """The condition where vertellers and reflectoren differ most (both roles needed)."""
        if not (self.vertellers.shown and self.reflectoren.shown):
            return None
        differences = [
            Difference(c, self.vertellers.means[c.field], self.reflectoren.means[c.field])
            for c in Condition
        ]
        best = max(differences, key=lambda d: d.gap)
        return best if best.gap > 0 else None


ALL_KEY = "alle"


def _empty_means() -> dict[str, float]:
    return {f: 0.0 for f in CONDITION_FIELDS}


def min_group_size(evaluation=None) -> int:
    """Fewest people whose mean the room may see: the evaluation's own, else MIN_GROUP_SIZE.

    Source of the rule: DESIGN.md §6 (never one person's points), issue 9 item 5.
    """
    if evaluation is not None and getattr(evaluation, "min_group_size", None):
        return int(evaluation.min_group_size)
    return max(1, int(getattr(settings, "MIN_GROUP_SIZE", 3)))


def hidden_roles(counts: dict[str, int], min_size: int) -> tuple[set[str], set[str]]:
    """Which roles' means may not be shown: (too small themselves, hidden along with them).

    A role with 1..min_size-1 people is too small. The other role is then hidden as well when
    the overall mean is shown: overall minus the other role would give the small role away.
    `counts` maps role value -> number of allocations.
    """
    small = {role for role, n in counts.items() if 0 < n < min_size}
    along = {role for role, n in counts.items() if n and role not in small} if small else set()
    return small, along


def too_few_note(role: Role) -> str:
    return _("te weinig %(role)s om apart te tonen") % {"role": role.plural.lower()}


def aggregate_grouped(
    allocations, by: str, *, min_size: int | None = None
) -> dict[object, Aggregate]:
    """Aggregates for many groups (sessions, key moments) in one query, keyed by `by`."""
    rows = (
        allocations.values(by, "participant__role")
        .annotate(n=Count("pk"), **{f"avg_{f}": Avg(f) for f in CONDITION_FIELDS})
        .order_by()
    )
    grouped: dict[object, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row[by], []).append(row)
    return {key: _aggregate(group_rows, min_size) for key, group_rows in grouped.items()}


def aggregate_allocations(allocations, *, min_size: int | None = None) -> Aggregate:
    """Means and counts per role, combined into the overall series: one grouped query."""
    rows = (
        allocations.values("participant__role")
        .annotate(n=Count("pk"), **{f"avg_{f}": Avg(f) for f in CONDITION_FIELDS})
        .order_by()
    )
    return _aggregate(rows, min_size)


def _aggregate(rows, min_size: int | None = None) -> Aggregate:
    min_size = min_group_size() if min_size is None else min_size
    by_role: dict[str, Series] = {}
    for row in rows:
        role = Role(row["participant__role"])
        by_role[role] = Series(
            key=role.value,
            label=role.plural,
            n=row["n"],
            means={f: float(row[f"avg_{f}"]) for f in CONDITION_FIELDS},
        )
    for role in Role:
        by_role.setdefault(role, Series(role.value, role.plural, 0, _empty_means()))
    n = sum(s.n for s in by_role.values())
    overall = (
        {f: sum(s.means[f] * s.n for s in by_role.values()) / n for f in CONDITION_FIELDS}
        if n
        else _empty_means()
    )
    notes = []
    small, along = hidden_roles({r.value: s.n for r, s in by_role.items()}, min_size)
    for role in Role:
        if role.value in small | along:
            series = by_role[role]
            by_role[role] = Series(series.key, series.label, series.n, _empty_means(), True)
        if role.value in small:
            notes.append(too_few_note(role))
    everyone = Series(ALL_KEY, _("Alle deelnemers"), n, overall)
    if 0 < n < min_size:
        everyone = Series(ALL_KEY, everyone.label, n, _empty_means(), True)
        notes = [too_few_allocations_note()]
    vertellers, reflectoren = by_role[Role.VERTELLER], by_role[Role.REFLECTOR]
    return Aggregate(vertellers, reflectoren, everyone, [vertellers, reflectoren, everyone], notes)


def too_few_allocations_note() -> str:
    return _("te weinig puntenverdelingen om een gemiddelde te tonen")


def empty_aggregate() -> Aggregate:
    return _aggregate([])


def session_aggregate(session: ReconstructionSession) -> Aggregate:
    """The session's means, hidden where its evaluation's minimum group size asks so."""
    return aggregate_allocations(
        Allocation.objects.counted().filter(session=session),
        min_size=min_group_size(session.evaluation),
    )
