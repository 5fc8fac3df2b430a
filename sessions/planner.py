"""The groepsindeling: every reconstruction group of a whole evaluation, planned at once.

Rules (issue 13, from the method: groups of changing composition, vertellers with reflectoren):
- everyone is in exactly one group per round, so nobody is in two groups of one round;
- in every round each group gets vertellers and reflectoren in the same proportion as the
  room (role counts per group differ by at most one), and group sizes differ by at most one;
- vertellers marked as having lived a key moment are placed with it (at its first session
  where that is possible);
- people meet as many different people as possible over the rounds (reflectoren rotate);
- organisations are mixed, and nobody reconstructs the same key moment twice where avoidable;
- the facilitator's pinned choices (this person, this round, this group) are kept.

The hard rules are never broken: a request that cannot meet them raises ValidationError with a
Dutch message and no plan. The soft ones are optimised: a greedy placement per round, then
swaps of two people of the same role between groups while that lowers the cost. The plan is
deterministic for the same input (seeded), so "re-plan the rest" after a move is stable.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from .models import (
    Evaluation,
    KeyMoment,
    Participant,
    ReconstructionSession,
    Role,
    SessionState,
)

# Weights of the soft rules. Reconstructing a key moment twice wastes a person's round, so it
# outweighs meeting a whole group of 20 again twice over; then meeting someone again; then a
# colleague of the same organisation. Measured on 35 and 120 people: see tests/test_planner.py.
MEET_AGAIN = 10
SAME_ORGANISATION = 4
SAME_KEY_MOMENT_AGAIN = 400
SWAP_PASSES = 4
MAX_DAYS, MAX_ROUNDS, MAX_GROUPS = 10, 8, 20


@dataclass(frozen=True)
class ShapePart:
    """One number of a plan's shape: its word in forms, links and the command line
    (``dagen``, ``rondes``, ``groepen``), its label, its limit and its default."""

    name: str
    label: str
    maximum: int
    default: int
    one: str  # "1 dag", for "Minstens 1 dag."
    many: str  # "%(limit_value)s dagen", for "Hoogstens 10 dagen."
    help: str = ""


PLAN_SHAPE = (
    ShapePart("dagen", _lazy("Dagen"), MAX_DAYS, 3, _lazy("dag"), _lazy("dagen")),
    ShapePart(
        "rondes",
        _lazy("Rondes per dag"),
        MAX_ROUNDS,
        2,
        _lazy("ronde"),
        _lazy("rondes"),
        _lazy("Rondes per dag."),
    ),
    ShapePart(
        "groepen",
        _lazy("Groepen tegelijk"),
        MAX_GROUPS,
        2,
        _lazy("groep"),
        _lazy("groepen"),
        _lazy("Groepen tegelijk per ronde."),
    ),
)
"""The shape of a plan: days × rounds per day × groups in parallel. The app's form
(planner_views.PlanShapeForm), the command (groepsindeling) and the planner's own check read
their words, limits and defaults from here."""


def group_label(index: int) -> str:
    """'Groep A' for the first group of a round (index 0), 'Groep B', ... ."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return _("Groep %(letter)s") % {"letter": letters[index]}


@dataclass
class PlannedGroup:
    """One group in one round: day and round from 1, group from 0; members in role/name order."""

    day: int
    round: int
    group: int
    key_moment: KeyMoment
    members: list[Participant] = field(default_factory=list)

    @property
    def label(self) -> str:
        return group_label(self.group)

    @property
    def vertellers(self) -> int:
        return sum(1 for p in self.members if p.role == Role.VERTELLER)

    @property
    def reflectoren(self) -> int:
        return len(self.members) - self.vertellers


@dataclass
class PlanSummary:
    """The plan's quality in numbers, for the grid and the command line."""

    sessions: int
    people: int
    size_min: int
    size_max: int
    #: Per person the number of different people met, averaged; and the most anyone could meet.
    met_average: float
    met_possible: int
    reflector_met_average: float
    #: Pairs that sit together in more than one group.
    repeated_pairs: int
    #: Pairs of the same organisation in one group, summed over all groups.
    same_organisation_pairs: int
    #: People who reconstruct a key moment they already did.
    key_moment_repeats: int
    lived_placed: int
    lived_asked: int

    def lines(self) -> list[str]:
        return [
            _("%(s)s sessies, %(p)s deelnemers, groepen van %(a)s tot %(b)s personen.")
            % {"s": self.sessions, "p": self.people, "a": self.size_min, "b": self.size_max},
            _(
                "Iedereen ontmoet gemiddeld %(m)s van de %(n)s anderen "
                "(reflectoren gemiddeld %(r)s)."
            )
            % {
                # number_format: "10,6" in Dutch, "10.6" in English
                "m": number_format(self.met_average, 1),
                "n": self.met_possible,
                "r": number_format(self.reflector_met_average, 1),
            },
            _("%(n)s keer zitten twee mensen opnieuw samen in een groep.")
            % {"n": self.repeated_pairs},
            _("%(n)s keer zitten twee mensen van dezelfde organisatie in één groep.")
            % {"n": self.same_organisation_pairs},
            _("%(n)s keer reconstrueert iemand een sleutelmoment voor de tweede keer.")
            % {"n": self.key_moment_repeats},
            (
                _("%(a)s van de %(b)s vertellers die een sleutelmoment beleefden, zitten erbij.")
                % {"a": self.lived_placed, "b": self.lived_asked}
                if self.lived_asked
                else _("Er is nog niet opgegeven welke vertellers een sleutelmoment beleefden.")
            ),
        ]


@dataclass
class Plan:
    days: int
    rounds: int
    groups_per_round: int
    groups: list[PlannedGroup]
    summary: PlanSummary

    def grid(self) -> list[tuple[int, int, list[PlannedGroup]]]:
        """Rows of the grid: (day, round, the groups of that round in order)."""
        rows: dict[tuple[int, int], list[PlannedGroup]] = defaultdict(list)
        for g in self.groups:
            rows[(g.day, g.round)].append(g)
        return [(d, r, sorted(gs, key=lambda g: g.group)) for (d, r), gs in sorted(rows.items())]


def _split(total: int, parts: int) -> list[int]:
    """total spread over parts as evenly as possible, larger parts first: 7, 3 -> [3, 2, 2]."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def default_key_moments(key_moments: list[KeyMoment], days: int, rounds: int, groups: int):
    """Rotate the key moments over the groups: each round takes the next `groups` of them."""
    out = {}
    n = 0
    for day in range(1, days + 1):
        for rnd in range(1, rounds + 1):
            for g in range(groups):
                out[(day, rnd, g)] = key_moments[n % len(key_moments)]
                n += 1
    return out


def group_plan(
    *,
    evaluation: Evaluation,
    days: int,
    rounds: int,
    groups: int,
    key_moments: dict[tuple[int, int, int], KeyMoment] | None = None,
    lived: dict[int, set[int]] | None = None,
    pins: dict[tuple[int, int, int], int] | None = None,
    seed: int = 0,
) -> Plan:
    """Propose every group of the evaluation: `days` × `rounds` per day × `groups` in parallel.

    key_moments: (day, round, group index from 0) -> KeyMoment; by default they rotate.
    lived: key moment pk -> pks of vertellers who lived it (placed with it where possible).
    pins: (participant pk, day, round) -> group index: kept as the facilitator chose.
    Raises ValidationError (Dutch) when the request cannot be met; never returns half a plan.
    """
    lived = lived or {}
    pins = pins or {}
    people = list(evaluation.participants.filter(anonymised_at__isnull=True).order_by("pk"))
    all_key_moments = list(evaluation.key_moments.order_by("order"))
    _check_request(days, rounds, groups, people, all_key_moments)
    key_moments = key_moments or default_key_moments(all_key_moments, days, rounds, groups)
    by_pk = {p.pk: p for p in people}
    _check_key_moments(key_moments, days, rounds, groups, evaluation)
    _check_pins(pins, by_pk, days, rounds, groups)

    rng = random.Random(seed)
    n_vertellers = sum(1 for p in people if p.role == Role.VERTELLER)
    shares = _shares(n_vertellers, len(people) - n_vertellers, groups)
    met: dict[tuple[int, int], int] = defaultdict(int)
    done: dict[tuple[int, int], int] = defaultdict(int)  # (person, key moment) -> times
    lived_open = {(p, km) for km, ps in lived.items() for p in ps if p in by_pk}
    planned: list[PlannedGroup] = []

    for day in range(1, days + 1):
        for rnd in range(1, rounds + 1):
            moments = [key_moments[(day, rnd, g)] for g in range(groups)]
            fixed = {p: g for (p, d, r), g in pins.items() if d == day and r == rnd}
            members = _plan_round(
                day, rnd, moments, people, by_pk, shares, fixed, lived, lived_open, met, done, rng
            )
            for g, km in enumerate(moments):
                group = PlannedGroup(day, rnd, g, km, sorted(members[g], key=_order))
                planned.append(group)
                for a, b in combinations(group.members, 2):
                    met[_pair(a.pk, b.pk)] += 1
                for person in group.members:
                    done[(person.pk, km.pk)] += 1
                    lived_open.discard((person.pk, km.pk))
    missed = sorted(
        (by_pk[p].name, km.title)
        for p, km_pk in lived_open
        for km in all_key_moments
        if km.pk == km_pk and km_pk in {m.pk for m in key_moments.values()}
    )
    if missed:
        raise ValidationError(
            _("Niet iedere verteller kan bij het eigen sleutelmoment: %(list)s.")
            % {"list": "; ".join(f"{n} – {t}" for n, t in missed[:5])}
        )
    return Plan(days, rounds, groups, planned, _summary(planned, people, lived))


def _weigher(met):
    def weight(a: Participant, b: Participant) -> int:
        w = MEET_AGAIN * met[_pair(a.pk, b.pk)]
        if a.organisation and a.organisation == b.organisation:
            w += SAME_ORGANISATION
        return w

    return weight


def _plan_round(day, rnd, moments, people, by_pk, shares, fixed, lived, lived_open, met, done, rng):
    """The groups of one round: pins and lived key moments first, then greedy, then swaps."""
    groups = len(moments)
    weight = _weigher(met)
    # Larger shares go to the groups whose key moment most people have not done yet, so that
    # the round can be the complement of an earlier one instead of a repeat.
    fresh = [sum(1 for p in people if not done[(p.pk, km.pk)]) for km in moments]
    preference = sorted(range(groups), key=lambda g: -fresh[g])
    assignment = _assign_shares(_pinned_counts(fixed, by_pk, groups), shares, preference)
    if assignment is None:
        raise ValidationError(
            _(
                "Dag %(d)s, ronde %(r)s: de vastgezette keuzes passen niet in groepen van "
                "gelijke grootte (%(sizes)s). Zet minder mensen in dezelfde groep vast."
            )
            % {"d": day, "r": rnd, "sizes": _sizes_text(shares)}
        )
    # Vertellers who lived a key moment join its group while the shares allow it.
    for g, km in enumerate(moments):
        for p in sorted(lived.get(km.pk, ())):
            if (p, km.pk) not in lived_open or p in fixed or p not in by_pk:
                continue
            fixed[p] = g
            trial = _assign_shares(_pinned_counts(fixed, by_pk, groups), shares, preference)
            if trial is None:
                del fixed[p]
            else:
                assignment = trial
    pinned = _pinned_counts(fixed, by_pk, groups)
    capacity = [
        {
            Role.VERTELLER: assignment[g][0] - pinned[g][0],
            Role.REFLECTOR: assignment[g][1] - pinned[g][1],
        }
        for g in range(groups)
    ]
    members: list[list[Participant]] = [[] for _ in range(groups)]
    for p, g in fixed.items():
        members[g].append(by_pk[p])
    free = [p for p in people if p.pk not in fixed]
    rng.shuffle(free)
    # The most constrained first: those who met most people already.
    met_count = defaultdict(int)
    for (a, b), n in met.items():
        met_count[a] += n
        met_count[b] += n
    free.sort(key=lambda p: -met_count[p.pk])

    def cost(person: Participant, g: int) -> int:
        c = sum(weight(person, other) for other in members[g])
        return c + SAME_KEY_MOMENT_AGAIN * done[(person.pk, moments[g].pk)]

    for person in free:
        options = [g for g in range(groups) if capacity[g][person.role] > 0]
        best = min(options, key=lambda g: (cost(person, g), len(members[g]), g))
        members[best].append(person)
        capacity[best][person.role] -= 1
    _improve(members, set(fixed), moments, weight, done)
    return members


def _sizes_text(shares) -> str:
    return ", ".join(
        _("%(v)s vertellers + %(r)s reflectoren") % {"v": v, "r": r} for v, r in shares
    )


def _order(p: Participant):
    return (p.role != Role.VERTELLER, p.name)


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _check_request(days, rounds, groups, people, key_moments) -> None:
    asked = (days, rounds, groups)
    if not all(1 <= n <= part.maximum for n, part in zip(asked, PLAN_SHAPE, strict=True)):
        raise ValidationError(
            _("Kies 1 tot %(d)s dagen, 1 tot %(r)s rondes per dag en 1 tot %(g)s groepen.")
            % {"d": MAX_DAYS, "r": MAX_ROUNDS, "g": MAX_GROUPS}
        )
    if len(people) < 2 * groups:
        raise ValidationError(
            ngettext(
                "Er is %(n)s deelnemer: te weinig voor %(g)s groepen van minstens twee.",
                "Er zijn %(n)s deelnemers: te weinig voor %(g)s groepen van minstens twee.",
                len(people),
            )
            % {"n": len(people), "g": groups}
        )
    if not key_moments:
        raise ValidationError(_("Voeg eerst sleutelmomenten toe."))
    if len(key_moments) < groups:
        raise ValidationError(
            _(
                "Er zijn %(k)s sleutelmomenten voor %(g)s groepen per ronde; elke groep in een "
                "ronde heeft een eigen sleutelmoment nodig."
            )
            % {"k": len(key_moments), "g": groups}
        )


def _check_key_moments(key_moments, days, rounds, groups, evaluation) -> None:
    for day in range(1, days + 1):
        for rnd in range(1, rounds + 1):
            chosen = [key_moments.get((day, rnd, g)) for g in range(groups)]
            if any(km is None or km.evaluation_id != evaluation.pk for km in chosen):
                raise ValidationError(
                    _("Kies voor elke groep van dag %(d)s, ronde %(r)s een sleutelmoment.")
                    % {"d": day, "r": rnd}
                )
            if len({km.pk for km in chosen}) < groups:
                raise ValidationError(
                    _(
                        "Op dag %(d)s, ronde %(r)s hebben twee groepen hetzelfde sleutelmoment; "
                        "elk sleutelmoment kan per ronde maar één keer."
                    )
                    % {"d": day, "r": rnd}
                )


def _check_pins(pins, by_pk, days, rounds, groups) -> None:
    for (p, day, rnd), g in pins.items():
        if p not in by_pk or not (1 <= day <= days and 1 <= rnd <= rounds and 0 <= g < groups):
            raise ValidationError(_("Een vastgezette keuze past niet in deze indeling."))


def _shares(vertellers: int, reflectoren: int, groups: int) -> list[tuple[int, int]]:
    """(vertellers, reflectoren) per group: each role and the sizes differ by at most one.

    Sizes and verteller counts are both split largest-first and paired in that order; then
    the reflector counts (size minus vertellers) also differ by at most one.
    """
    sizes = _split(vertellers + reflectoren, groups)
    v = _split(vertellers, groups)
    return [(vi, si - vi) for si, vi in zip(sizes, v, strict=True)]


def _assign_shares(
    pinned: list[tuple[int, int]],
    shares: list[tuple[int, int]],
    preference: list[int] | None = None,
):
    """Which share each group gets so that it holds its pinned people; None when impossible.

    Groups are alike apart from their key moment, so any share may go to any group: a small
    bipartite matching (augmenting paths; at most 20 groups). Groups earlier in `preference`
    get the larger shares when the pins allow it.
    """
    groups = len(pinned)
    order = sorted(range(groups), key=lambda s: (-shares[s][0], -shares[s][1]))
    fits = [
        [s for s in order if shares[s][0] >= pinned[g][0] and shares[s][1] >= pinned[g][1]]
        for g in range(groups)
    ]
    owner: dict[int, int] = {}

    def augment(g: int, seen: set[int]) -> bool:
        # A free share first, so that earlier groups keep the larger shares they took.
        for s in fits[g]:
            if s not in owner:
                owner[s] = g
                return True
        for s in fits[g]:
            if s not in seen:
                seen.add(s)
                if s not in owner or augment(owner[s], seen):
                    owner[s] = g
                    return True
        return False

    for g in preference or range(groups):
        if not augment(g, set()):
            return None
    return {g: shares[s] for s, g in owner.items()}


def _pinned_counts(fixed: dict[int, int], by_pk, groups: int) -> list[tuple[int, int]]:
    counts = [[0, 0] for _ in range(groups)]
    for p, g in fixed.items():
        counts[g][0 if by_pk[p].role == Role.VERTELLER else 1] += 1
    return [tuple(c) for c in counts]


def _improve(members, fixed: set[int], moments, weight, done) -> None:
    """Swap two unpinned people of the same role between groups while that lowers the cost.

    Keeps, per person and group, the sum of their weights to that group's members, so that a
    swap is judged in constant time and only an accepted swap costs a pass over everyone.
    """
    groups = len(members)
    everyone = [p for ms in members for p in ms]
    where = {p.pk: g for g, ms in enumerate(members) for p in ms}
    link = {
        p.pk: [sum(weight(p, q) for q in members[g] if q is not p) for g in range(groups)]
        for p in everyone
    }

    def km_cost(p, g) -> int:
        return SAME_KEY_MOMENT_AGAIN * done[(p.pk, moments[g].pk)]

    movable = [p for p in everyone if p.pk not in fixed]
    for _pass in range(SWAP_PASSES):
        improved = False
        for a, b in combinations(movable, 2):
            ga, gb = where[a.pk], where[b.pk]
            if ga == gb or a.role != b.role:
                continue
            w_ab = weight(a, b)
            delta = (
                (link[a.pk][gb] - w_ab)
                - link[a.pk][ga]
                + (link[b.pk][ga] - w_ab)
                - link[b.pk][gb]
                + km_cost(a, gb)
                - km_cost(a, ga)
                + km_cost(b, ga)
                - km_cost(b, gb)
            )
            if delta < 0:
                members[ga].remove(a)
                members[gb].remove(b)
                members[ga].append(b)
                members[gb].append(a)
                where[a.pk], where[b.pk] = gb, ga
                for p in everyone:
                    wa, wb = weight(p, a), weight(p, b)
                    if p is not a:
                        link[p.pk][ga] -= wa
                        link[p.pk][gb] += wa
                    if p is not b:
                        link[p.pk][gb] -= wb
                        link[p.pk][ga] += wb
                improved = True
        if not improved:
            break


def _summary(planned: list[PlannedGroup], people: list[Participant], lived) -> PlanSummary:
    together: dict[tuple[int, int], int] = defaultdict(int)
    met: dict[int, set[int]] = defaultdict(set)
    same_org = 0
    seen_km: dict[tuple[int, int], int] = defaultdict(int)
    lived_placed = 0
    for group in planned:
        for a, b in combinations(group.members, 2):
            together[_pair(a.pk, b.pk)] += 1
            met[a.pk].add(b.pk)
            met[b.pk].add(a.pk)
            if a.organisation and a.organisation == b.organisation:
                same_org += 1
        for p in group.members:
            seen_km[(p.pk, group.key_moment.pk)] += 1
    asked = {(p, km) for km, ps in lived.items() for p in ps}
    lived_placed = sum(1 for key in asked if seen_km.get(key))
    sizes = [len(g.members) for g in planned] or [0]
    reflectoren = [p for p in people if p.role == Role.REFLECTOR]
    return PlanSummary(
        sessions=len(planned),
        people=len(people),
        size_min=min(sizes),
        size_max=max(sizes),
        met_average=sum(len(met[p.pk]) for p in people) / max(len(people), 1),
        met_possible=max(len(people) - 1, 0),
        reflector_met_average=sum(len(met[p.pk]) for p in reflectoren) / max(len(reflectoren), 1),
        repeated_pairs=sum(n - 1 for n in together.values() if n > 1),
        same_organisation_pairs=same_org,
        key_moment_repeats=sum(n - 1 for n in seen_km.values() if n > 1),
        lived_placed=lived_placed,
        lived_asked=len(asked),
    )


@transaction.atomic
@dataclass(frozen=True)
class PlanSaveEffect:
    """What saving a plan of `days` days does to the sessions that exist: `replaced` are
    planned on those days and untouched (in voorbereiding, nobody scored), `kept` were
    opened or scored there and stay, which makes saving impossible (`possible`)."""

    replaced: list
    kept: list
    later: int  # sessions on days after the plan's, left alone

    @property
    def possible(self) -> bool:
        return not self.kept

    @property
    def refusal(self) -> str:
        return _(
            "Op deze dagen is al een ronde geopend of gescoord; die blijft staan. "
            "Plan de groepen met de hand of kies andere dagen."
        )


def plan_save_effect(*, evaluation: Evaluation, days: int) -> PlanSaveEffect:
    """What group_plan_save would do with the existing sessions (the rule it applies), so
    the planner can say it before anyone presses the button."""
    replaced, kept = [], []
    sessions = evaluation.sessions.filter(day__lte=days).select_related("key_moment")
    scored = set(sessions.filter(allocations__isnull=False).values_list("pk", flat=True).distinct())
    for session in sessions.order_by("day", "slot", "room", "pk"):
        if session.state != SessionState.VOORBEREIDING or session.pk in scored:
            kept.append(session)
        else:
            replaced.append(session)
    later = evaluation.sessions.filter(day__gt=days).count()
    return PlanSaveEffect(replaced=replaced, kept=kept, later=later)


@transaction.atomic
def group_plan_save(*, evaluation: Evaluation, plan: Plan) -> list[ReconstructionSession]:
    """Create the plan's sessions in one step, in voorbereiding.

    Sessions already planned on the plan's days are replaced while nobody scored in them and
    they were not opened (plan_save_effect); otherwise ValidationError (Dutch), and nothing
    changes.
    """
    Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    effect = plan_save_effect(evaluation=evaluation, days=plan.days)
    if not effect.possible:
        raise ValidationError(effect.refusal)
    ReconstructionSession.objects.filter(pk__in=[s.pk for s in effect.replaced]).delete()
    created = []
    for group in plan.groups:
        with translation.override("nl"):  # the room name is data, kept in Dutch like reports
            room = group.label
        session = ReconstructionSession.objects.create(
            evaluation=evaluation,
            key_moment=group.key_moment,
            day=group.day,
            slot=group.round,
            room=room,
        )
        session.participants.set(group.members)
        created.append(session)
    return created
