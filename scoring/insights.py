"""What the scores reveal: imbalance between the conditions, where vertellers and reflectoren
differ, how much the room agrees, and how the conditions move over the alliance's life.

Every figure is computed here, once, from grouped database queries, and feeds the
projector, the analyst's pages and the reports alike.

The rules, in a facilitator's words:

- Balance: with 10 points over 5 conditions, a perfectly balanced room gives each
  condition 2 points. A condition is *dominant* when its mean is at least
  INSIGHT_DOMINANT_AT (default 3.0) and *onderbelicht* when it is at most
  INSIGHT_UNDERLIT_AT (default 1.0). The balance score is 100 % for a room that gives 2
  to everything and 0 % for one that gives all 10 points to a single condition (it is
  the distance of the mean allocation from 2-2-2-2-2, scaled to that maximum).
- Vertellers versus reflectoren: per condition the difference of the two means, the
  spread (standard deviation) within each role and the effect size (Cohen's d: the
  difference divided by the pooled standard deviation). A difference is called out only
  when both roles have at least INSIGHT_MIN_PER_ROLE (default 3) participants and
  |d| >= INSIGHT_EFFECT_SIZE (default 0.8, a "large" effect).
- Agreement: per condition the standard deviation of everyone's points. Below 1 point
  the room largely agrees; 1.5 or more means people saw it quite differently.

Every verdict is decided on the number as it is printed (one decimal), so that a reader who
checks a table against its text never finds a mean of 3,0 not called dominant, a d of 0,8 not
called a difference, or a spread of 1,5 not called divergent. The verdict words live here too
(ROLE_VERDICTS, AGREEMENT_VERDICTS): projector, insights page and both reports print these,
never words of their own.
"""

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Avg, Count, F, FloatField
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from sessions.models import Role

from .charts import signed_points
from .conditions import CONDITION_FIELDS, POINTS_TOTAL, Condition

BALANCED = POINTS_TOTAL / len(CONDITION_FIELDS)
# The furthest a mean allocation can be from balanced: all 10 points on one condition.
MAX_DISTANCE = math.sqrt((POINTS_TOTAL - BALANCED) ** 2 + (len(CONDITION_FIELDS) - 1) * BALANCED**2)
AGREEMENT_HIGH = 1.0
AGREEMENT_LOW = 1.5


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def rule() -> dict[str, float]:
    """The thresholds of every verdict, for the code and for the sentences that explain it."""
    return {
        "dominant_at": _setting("INSIGHT_DOMINANT_AT", 3.0),
        "underlit_at": _setting("INSIGHT_UNDERLIT_AT", 1.0),
        "min_per_role": int(_setting("INSIGHT_MIN_PER_ROLE", 3)),
        "effect_size": _setting("INSIGHT_EFFECT_SIZE", 0.8),
        "agreement_high": AGREEMENT_HIGH,
        "agreement_low": AGREEMENT_LOW,
    }


def shown(value: float) -> float:
    """`value` as every table prints it (one decimal): what verdicts are decided on."""
    return round(value, 1) + 0.0


# The words of the verdicts, one set for every page and report.
ROLE_VERDICTS = {
    "verschil": _("duidelijk verschil"),
    "geen_verschil": _("geen duidelijk verschil"),
    "te_weinig": _("te weinig deelnemers"),
}
AGREEMENT_VERDICTS = {
    "eens": _("grote overeenstemming"),
    "spreiding": _("enige spreiding"),
    "uiteen": _("sterk uiteenlopend"),
}


def agreement_verdict(sd: float) -> str:
    """The key of AGREEMENT_VERDICTS for a spread `sd` (points), decided on its shown value:
    below AGREEMENT_HIGH "eens", from AGREEMENT_LOW on "uiteen", else "spreiding"."""
    value = shown(sd)
    if value < AGREEMENT_HIGH:
        return "eens"
    if value >= AGREEMENT_LOW:
        return "uiteen"
    return "spreiding"


# What the theory says happens when a condition gets too much or too little attention,
# in our own words, after Kaats & Opheij as used in the Evaluatiespiegel.
CONSEQUENCES = {
    Condition.AMBITIE: {
        "dominant": _(
            "Veel energie op ambitie geeft richting en tempo, maar kan versnelling en druk "
            "veroorzaken: minder ruimte voor zorgvuldig proces en voor de belangen van anderen."
        ),
        "onderbelicht": _(
            "Te weinig ambitie laat de samenwerking stilvallen: richting, urgentie en "
            "gezamenlijkheid ontbreken."
        ),
    },
    Condition.BELANGEN: {
        "dominant": _(
            "Veel aandacht voor belangen kan de samenwerking laten verzanden in onderhandelen "
            "en strategisch gedrag, ten koste van het gezamenlijke doel."
        ),
        "onderbelicht": _(
            "Onuitgesproken belangen leiden tot ruis, wantrouwen en spanningen onder de "
            "oppervlakte; publieke en omgevingsbelangen raken uit beeld."
        ),
    },
    Condition.RELATIE: {
        "dominant": _(
            "Een sterke relatie helpt spanning te verdragen, maar kan naar binnen keren: "
            "een wij-gevoel dat de buitenwereld op afstand houdt."
        ),
        "onderbelicht": _(
            "Te weinig aandacht voor de relatie leidt snel tot misverstanden, defensief "
            "gedrag of terugtrekking."
        ),
    },
    Condition.ORGANISATIE: {
        "dominant": _(
            "Een krachtige eigen organisatie maakt snel handelen mogelijk, maar kan te "
            "autonoom worden ten opzichte van de moederorganisaties, en ruimte en "
            "flexibiliteit wegnemen."
        ),
        "onderbelicht": _(
            "Te weinig aandacht voor de structuur geeft onduidelijkheid over rollen en "
            "mandaat, vertraging, en overbelasting van een paar sleutelpersonen."
        ),
    },
    Condition.PROCES: {
        "dominant": _(
            "Veel nadruk op proces geeft houvast, maar kan de samenwerking star maken en "
            "creativiteit en tempo remmen."
        ),
        "onderbelicht": _(
            "Te weinig aandacht voor het proces leidt tot onduidelijkheid, inconsistent "
            "ritme en het achteraf repareren van keuzes."
        ),
    },
}


@dataclass(frozen=True)
class Stats:
    """Mean, sample standard deviation and count of one group's points on one condition."""

    n: int
    mean: float
    sd: float


@dataclass(frozen=True)
class Flag:
    condition: Condition
    kind: str  # "dominant" or "onderbelicht"
    mean: float
    consequence: str

    @property
    def label(self) -> str:
        return str(_("dominant") if self.kind == "dominant" else _("onderbelicht"))


@dataclass(frozen=True)
class RoleDifference:
    condition: Condition
    verteller: Stats
    reflector: Stats
    difference: float  # verteller - reflector
    effect_size: float | None  # Cohen's d; None when there is no spread at all
    verdict: str  # "verschil", "geen_verschil" or "te_weinig"

    @property
    def called_out(self) -> bool:
        return self.verdict == "verschil"

    @property
    def verdict_label(self) -> str:
        return str(ROLE_VERDICTS[self.verdict])

    @property
    def effect_label(self) -> str:
        """The effect size as printed: '∞' when neither role has any spread but they differ."""
        if self.effect_size is None:
            return "–"
        if math.isinf(self.effect_size):
            return "∞" if self.effect_size > 0 else "−∞"
        return number_format(round(self.effect_size, 1) + 0.0, decimal_pos=1)

    @property
    def shown_difference(self) -> float:
        """Vertellers minus reflectoren as a reader computes it from the two shown means
        (each rounded to one decimal): 3,7 and 2,0 give +1,7, never +1,6."""
        return round(round(self.verteller.mean, 1) - round(self.reflector.mean, 1), 1) + 0.0

    @property
    def difference_label(self) -> str:
        """Signed, one decimal, and never '-0,0' (scoring.charts.signed_points)."""
        return signed_points(self.shown_difference)


@dataclass
class Insight:
    """All insights for one set of allocations (a session, a key moment, everything)."""

    n: int
    means: dict[str, float]
    spread: dict[str, float]  # standard deviation of everyone's points per condition
    flags: list[Flag]
    distance: float
    differences: list[RoleDifference]
    individual: list[list[int]] = field(default_factory=list)
    # Privacy (min_group_size): too few allocations to show anything; roles not shown apart.
    too_small: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def balance(self) -> float:
        """100 for 2-2-2-2-2, 0 for all points on one condition."""
        return 100 * (1 - self.distance / MAX_DISTANCE)

    @property
    def called_out(self) -> list[RoleDifference]:
        return [d for d in self.differences if d.called_out]

    @property
    def too_few(self) -> bool:
        return bool(self.differences) and all(d.verdict == "te_weinig" for d in self.differences)

    def agreement(self, condition: Condition) -> str:
        """The agreement verdict's words for `condition` (see agreement_verdict)."""
        return str(AGREEMENT_VERDICTS[agreement_verdict(self.spread[condition.field])])

    @property
    def agreement_rows(self) -> list[dict]:
        return [
            {
                "condition": c,
                "mean": self.means[c.field],
                "sd": self.spread[c.field],
                "verdict": self.agreement(c),
            }
            for c in Condition
        ]


def imbalance_flags(means: dict[str, float], *, n: int) -> list[Flag]:
    if not n:
        return []
    limits = rule()
    flags = []
    for condition in Condition:
        mean = means[condition.field]
        # Decided on the mean as it is shown (one decimal): two conditions that both read
        # 3,0 are both dominant, whatever the hidden decimals.
        value = shown(mean)
        if value >= limits["dominant_at"]:
            kind = "dominant"
        elif value <= limits["underlit_at"]:
            kind = "onderbelicht"
        else:
            continue
        flags.append(Flag(condition, kind, mean, str(CONSEQUENCES[condition][kind])))
    return flags


def balance_distance(means: dict[str, float]) -> float:
    return math.sqrt(sum((means[f] - BALANCED) ** 2 for f in CONDITION_FIELDS))


def effect_size(a: Stats, b: Stats) -> float | None:
    """Cohen's d with the pooled sample standard deviation."""
    if a.n < 2 or b.n < 2:
        return None
    pooled = math.sqrt(((a.n - 1) * a.sd**2 + (b.n - 1) * b.sd**2) / (a.n + b.n - 2))
    if pooled == 0:
        return None if a.mean == b.mean else math.copysign(math.inf, a.mean - b.mean)
    return (a.mean - b.mean) / pooled


def role_difference(condition: Condition, v: Stats, r: Stats) -> RoleDifference:
    limits = rule()
    d = effect_size(v, r)
    if v.n < limits["min_per_role"] or r.n < limits["min_per_role"]:
        verdict = "te_weinig"
    # Decided on d as the table prints it: a d shown as 0,8 meets "d minstens 0,8".
    elif d is not None and shown(abs(d)) >= limits["effect_size"]:
        verdict = "verschil"
    else:
        verdict = "geen_verschil"
    return RoleDifference(condition, v, r, v.mean - r.mean, d, verdict)


def _combine(parts: list[Stats]) -> Stats:
    """Mean and sample SD of the union of groups, from each group's n, mean and SD."""
    n = sum(p.n for p in parts)
    if not n:
        return Stats(0, 0.0, 0.0)
    mean = sum(p.n * p.mean for p in parts) / n
    if n < 2:
        return Stats(n, mean, 0.0)
    squares = sum((p.n - 1) * p.sd**2 + p.n * (p.mean - mean) ** 2 for p in parts)
    return Stats(n, mean, math.sqrt(squares / (n - 1)))


def _stats(n: int, mean: float, mean_of_squares: float) -> Stats:
    if n < 2:
        return Stats(n, mean, 0.0)
    variance = (mean_of_squares - mean**2) * n / (n - 1)
    # Whole points only: a variance this close to zero is rounding noise of the database.
    return Stats(n, mean, math.sqrt(variance) if variance > 1e-9 else 0.0)


def _stats_rows(allocations, group_by: str | None):
    fields = [group_by] if group_by else []
    annotations = {"n": Count("pk")}
    for f in CONDITION_FIELDS:
        annotations[f"avg_{f}"] = Avg(f)
        # The mean of squares instead of StdDev: SQLite's STDDEV_SAMP fails on one row.
        annotations[f"sq_{f}"] = Avg(F(f) * F(f), output_field=FloatField())
    return allocations.values(*fields, "participant__role").annotate(**annotations).order_by()


def _insight(rows: list[dict], min_size: int | None = None) -> Insight:
    from .services import (
        hidden_roles,
        min_group_size,
        too_few_allocations_note,
        too_few_note,
    )

    min_size = min_group_size() if min_size is None else min_size
    counts = {row["participant__role"]: row["n"] for row in rows}
    small, along = hidden_roles(counts, min_size)
    total = sum(counts.values())
    if 0 < total < min_size:
        # Nothing of so few people is shown: no means, flags, spread or single allocations.
        zero = {f: 0.0 for f in CONDITION_FIELDS}
        return Insight(
            n=total,
            means=zero,
            spread=dict(zero),
            flags=[],
            distance=0.0,
            differences=[],
            too_small=True,
            notes=[too_few_allocations_note()],
        )
    per_role: dict[str, dict[str, Stats]] = {}
    for row in rows:
        per_role[row["participant__role"]] = {
            f: _stats(row["n"], float(row[f"avg_{f}"]), float(row[f"sq_{f}"]))
            for f in CONDITION_FIELDS
        }
    empty = {f: Stats(0, 0.0, 0.0) for f in CONDITION_FIELDS}
    verteller = per_role.get(Role.VERTELLER.value, empty)
    reflector = per_role.get(Role.REFLECTOR.value, empty)
    combined = {f: _combine([verteller[f], reflector[f]]) for f in CONDITION_FIELDS}
    n = combined[CONDITION_FIELDS[0]].n
    means = {f: combined[f].mean for f in CONDITION_FIELDS}
    differences = (
        [role_difference(c, verteller[c.field], reflector[c.field]) for c in Condition] if n else []
    )
    if small:
        # A role's mean of fewer than min_size people is not shown, nor the other role's
        # (overall minus one role gives the other away): no table, a note instead.
        differences = []
    return Insight(
        n=n,
        means=means,
        spread={f: combined[f].sd for f in CONDITION_FIELDS},
        flags=imbalance_flags(means, n=n),
        distance=balance_distance(means) if n else 0.0,
        differences=differences,
        notes=[too_few_note(Role(role)) for role in sorted(small)],
    )


def insight_for(allocations, *, individual: bool = False, min_size: int | None = None) -> Insight:
    """Insights for any queryset of allocations: one grouped query (two with individuals).

    With fewer than `min_size` allocations (default: the MIN_GROUP_SIZE setting) nothing is
    shown but the count; single allocations only from `min_size` on.
    """
    insight = _insight(list(_stats_rows(allocations, None)), min_size)
    if individual and not insight.too_small:
        insight.individual = [list(row) for row in allocations.values_list(*CONDITION_FIELDS)]
    return insight


def insights_by(
    allocations, group_by: str, *, min_size: int | None = None
) -> dict[object, Insight]:
    """Insights per session or key moment, all in one grouped query."""
    grouped: dict[object, list[dict]] = {}
    for row in _stats_rows(allocations, group_by):
        grouped.setdefault(row[group_by], []).append(row)
    return {key: _insight(rows, min_size) for key, rows in grouped.items()}


def method_links(evaluation) -> dict[str, dict]:
    """Per condition the evaluation's paradox and how-questions, to link a flag to."""
    links: dict[str, dict] = {c.value: {"paradox": None, "questions": []} for c in Condition}
    for paradox in evaluation.paradoxes.all():
        links[paradox.condition]["paradox"] = paradox
    for question in evaluation.how_questions.order_by("order", "pk"):
        links[question.condition]["questions"].append(question)
    return links
