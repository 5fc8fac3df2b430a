"""From the wall of the slotdialoog into the report (issue 15, item 4).

The room writes on prompts (sessions.wall); this module knows which prompt belongs to which
part of the report (through the prompt's key, which it made itself in `prompt_specs`) and
takes a contribution, or a merged group, into the report as a recommendation under a
how-question, a bullet of a contract-form theme or a quotation in a paradox. Each item keeps
a link to the contribution it came from (`source`, SET_NULL), so the workspace can show which
contributions are not used yet.
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scoring.conditions import Condition, condition_order
from sessions.models import Contribution, Evaluation, Prompt, PromptKind
from sessions.wall import (
    PARADOX_QUESTION,
    RECOMMENDATION_QUESTION,
    PromptSpec,
    contract_prompt,
    wall_prompts,
)

from .markup import MarkupDepthValidator
from .models import (
    ContractTheme,
    ContractThemePoint,
    HowQuestion,
    Paradox,
    ParadoxQuote,
    Recommendation,
    ReportText,
    ThemeSide,
)


def _other_form(evaluation: Evaluation) -> str:
    text = ReportText.objects.filter(evaluation=evaluation).first()
    return text.other_form if text and text.other_form else "D&C"


def prompt_specs(*, evaluation: Evaluation) -> list[PromptSpec]:
    """The prompts the report asks for: its paradoxes, contract themes and how-questions."""
    specs = []
    for paradox in evaluation.paradoxes.all():
        condition = Condition(paradox.condition)
        specs.append(
            PromptSpec(
                key=f"paradox:{condition.value}",
                kind=PromptKind.PARADOX,
                title=f"{condition.label}: {paradox.title}",
                question=str(PARADOX_QUESTION),
            )
        )
    other = _other_form(evaluation)
    for theme in evaluation.contract_themes.all():
        for side in (ThemeSide.ALLIANCE, ThemeSide.OTHER):
            title, question = contract_prompt(
                theme.title, alliance=side == ThemeSide.ALLIANCE, other_form=other
            )
            specs.append(
                PromptSpec(
                    key=f"thema:{theme.pk}:{side.value}",
                    kind=PromptKind.CONTRACT,
                    title=title,
                    question=question,
                )
            )
    for question in evaluation.how_questions.order_by(condition_order(), "order", "pk"):
        specs.append(
            PromptSpec(
                key=f"hoevraag:{question.pk}",
                kind=PromptKind.RECOMMENDATION,
                title=question.text,
                question=str(RECOMMENDATION_QUESTION),
            )
        )
    return specs


# --- Where a contribution can go ------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A place in the report for a contribution: `value` is what the form sends
    ("hoevraag:12", "thema:3:alliantie", "paradox:7"), `label` what the analyst reads."""

    value: str
    label: str
    group: str


def targets(evaluation: Evaluation) -> list[Target]:
    """Every place in this evaluation's report that takes a contribution, in report order."""
    found = []
    for paradox in evaluation.paradoxes.all():
        found.append(
            Target(
                f"paradox:{paradox.pk}",
                f"{paradox.get_condition_display()}: {paradox.title}",
                _("Citaat bij een paradox"),
            )
        )
    other = _other_form(evaluation)
    for theme in evaluation.contract_themes.all():
        for side, label in ((ThemeSide.ALLIANCE, _("Alliantie")), (ThemeSide.OTHER, other)):
            found.append(
                Target(
                    f"thema:{theme.pk}:{side.value}",
                    f"{theme.title} · {label}",
                    _("Punt bij een thema contractvormen"),
                )
            )
    for question in evaluation.how_questions.order_by(condition_order(), "order", "pk"):
        found.append(
            Target(
                f"hoevraag:{question.pk}",
                f"{question.get_condition_display()}: {question.text}",
                _("Aanbeveling onder een hoe-vraag"),
            )
        )
    return found


def targets_note(found: list[Target]) -> str:
    """Why the list of places offers less than all three kinds (quotations at paradoxes,
    points at contract-form themes, recommendations under how-questions): the report has
    none of that kind yet. Empty when all three are there."""
    kinds = {t.value.split(":", 1)[0] for t in found}
    missing = [
        label
        for kind, label in (
            ("paradox", _("paradoxen")),
            ("thema", _("thema's contractvormen")),
            ("hoevraag", _("hoe-vragen")),
        )
        if kind not in kinds
    ]
    if not missing:
        return ""
    if len(missing) == 3:
        return _(
            "Het rapport heeft nog geen paradoxen, thema's contractvormen of hoe-vragen: "
            "schrijf die eerst in het rapport, dan kun je bijdragen overnemen."
        )
    if kinds == {"hoevraag"}:
        return _(
            "Alleen hoe-vragen zijn te kiezen: het rapport heeft nog geen paradoxen en geen "
            "thema's contractvormen. Schrijf die in het rapport om er citaten en punten bij "
            "te plaatsen."
        )
    return _(
        "Het rapport heeft nog geen %(missing)s; schrijf die in het rapport om er ook "
        "bijdragen bij te plaatsen."
    ) % {"missing": _(" en geen ").join(missing)}


def default_target(prompt: Prompt) -> str:
    """Where a contribution on `prompt` goes unless the analyst chooses otherwise."""
    key = prompt.key
    if key.startswith("paradox:"):
        paradox = prompt.evaluation.paradoxes.filter(condition=key.split(":", 1)[1]).first()
        return f"paradox:{paradox.pk}" if paradox else ""
    if key.startswith(("hoevraag:", "thema:")):
        return key
    return ""


def group_text(contribution: Contribution) -> str:
    """The text the analyst starts from: a card and what was merged into it, one per line.
    Uses a prefetched `merged` where there is one (source_changes)."""
    merged = sorted(
        (c for c in contribution.merged.all() if not c.hidden), key=lambda c: (c.created_at, c.pk)
    )
    return "\n".join(" ".join(t.split()) for t in [contribution.text, *(c.text for c in merged)])


def source_digest(contribution: Contribution) -> str:
    """The fingerprint of what `contribution` (with its merged cards) says now: SHA-256 hex of
    group_text. A report item keeps the one of the moment it was taken over."""
    return hashlib.sha256(group_text(contribution).encode()).hexdigest()


@transaction.atomic
def contribution_take(
    *, evaluation: Evaluation, contribution_id: int, target: str, text: str
) -> Recommendation | ContractThemePoint | ParadoxQuote:
    """Take a contribution (a card, with what was merged into it) into the report, as
    edited by the analyst, at `target` (a Target.value of this evaluation).

    The text follows the report's markup rules (reports.markup) and the length limit of the
    place it goes to (the model field's max_length: a recommendation holds more than a
    quote). Raises
    Contribution.DoesNotExist for a contribution of another evaluation, and ValidationError
    (Dutch) for an unknown target, or an empty or invalid text.
    """
    # Locked: two clicks at once must not both pass _not_twice (PostgreSQL reads committed).
    contribution = (
        Contribution.objects.select_for_update()
        .filter(pk=contribution_id, prompt__evaluation=evaluation)
        .first()
    )
    if contribution is None:
        raise Contribution.DoesNotExist
    text = text.strip()
    if not text:
        raise ValidationError(_("Het overgenomen punt heeft nog geen tekst."))
    MarkupDepthValidator(_("het overgenomen punt"))(text)
    kind, _sep, rest = target.partition(":")
    unknown = ValidationError(_("Kies waar in het rapport dit punt komt."))
    if not rest.split(":")[0].isdigit():
        raise unknown
    pk = int(rest.split(":")[0])
    if kind == "hoevraag":
        question = HowQuestion.objects.filter(pk=pk, evaluation=evaluation).first()
        if question is None:
            raise unknown
        _not_twice(question.recommendations, contribution)
        last = question.recommendations.aggregate(m=Max("order"))["m"] or 0
        _fits(Recommendation, text)
        return Recommendation.objects.create(
            how_question=question,
            order=last + 1,
            text=text,
            source=contribution,
            source_digest=source_digest(contribution),
        )
    if kind == "thema":
        side = rest.split(":")[1] if rest.count(":") == 1 else ""
        theme = ContractTheme.objects.filter(pk=pk, evaluation=evaluation).first()
        if theme is None or side not in ThemeSide.values:
            raise unknown
        _not_twice(theme.points.filter(side=side), contribution)
        last = theme.points.filter(side=side).aggregate(m=Max("order"))["m"] or 0
        _fits(ContractThemePoint, text)
        return ContractThemePoint.objects.create(
            theme=theme,
            side=side,
            order=last + 1,
            text=text,
            source=contribution,
            source_digest=source_digest(contribution),
        )
    if kind == "paradox":
        paradox = Paradox.objects.filter(pk=pk, evaluation=evaluation).first()
        if paradox is None:
            raise unknown
        _not_twice(paradox.quotes, contribution)
        last = paradox.quotes.aggregate(m=Max("order"))["m"] or 0
        _fits(ParadoxQuote, text)
        return ParadoxQuote.objects.create(
            paradox=paradox,
            order=last + 1,
            text=text,
            source=contribution,
            source_digest=source_digest(contribution),
        )
    raise unknown


def _fits(model, text: str) -> None:
    """Refuses `text` longer than `model`'s text field holds, with that field's bound."""
    limit = model._meta.get_field("text").max_length
    if len(text) > limit:
        raise ValidationError(
            ngettext(
                "Het overgenomen punt is te lang: hooguit %(limit)s teken, nu %(length)s.",
                "Het overgenomen punt is te lang: hooguit %(limit)s tekens, nu %(length)s.",
                limit,
            )
            % {"limit": limit, "length": len(text)}
        )


def _not_twice(items, contribution: Contribution) -> None:
    """One contribution once per place: a second click (or a double click) on "Overnemen" made
    a second, identical quote (second new-user pass). Elsewhere in the report it may be taken
    again on purpose."""
    if items.filter(source=contribution).exists():
        raise ValidationError(_("Deze bijdrage staat daar al in het rapport."))


def used_contributions(evaluation: Evaluation) -> dict[int, list[str]]:
    """Which contributions the report uses, and where: {contribution pk: [labels]}."""
    used: dict[int, list[str]] = {}
    for source, question in Recommendation.objects.filter(
        how_question__evaluation=evaluation, source__isnull=False
    ).values_list("source_id", "how_question__text"):
        used.setdefault(source, []).append(_("aanbeveling: %(q)s") % {"q": question})
    for source, theme in ContractThemePoint.objects.filter(
        theme__evaluation=evaluation, source__isnull=False
    ).values_list("source_id", "theme__title"):
        used.setdefault(source, []).append(_("thema: %(t)s") % {"t": theme})
    for source, title in ParadoxQuote.objects.filter(
        paradox__evaluation=evaluation, source__isnull=False
    ).values_list("source_id", "paradox__title"):
        used.setdefault(source, []).append(_("paradox: %(t)s") % {"t": title})
    return used


def curation_context(evaluation: Evaluation) -> dict:
    """What the analyst's slotdialoog page shows: every prompt with its cards (hidden ones
    apart), each marked with where the report uses it, and the places it can go."""
    prompts = list(evaluation.prompts.exclude(state="voorbereiding").order_by("order", "pk"))
    walls = wall_prompts(prompts, team=True)
    used = used_contributions(evaluation)
    unused = cards = 0
    for wall in walls:
        wall.default_target = default_target(wall.prompt)
        for card in wall.cards:
            group = [card.contribution, *card.merged]
            card.used = [label for c in group for label in used.get(c.pk, [])]
            card.start_text = "\n".join(" ".join(c.text.split()) for c in group)
            unused += not card.used
            cards += 1
    found = targets(evaluation)
    return {
        "walls": walls,
        "targets": found,
        "targets_note": targets_note(found),
        "unused": unused,
        "cards": cards,
    }


# A report item whose source is gone (withdrawn by its writer) or hidden (by the facilitator)
# and that the analyst has not decided on: the report leaves it out until they do.
UNDECIDED_GONE = ~Q(source_digest="") & (Q(source__isnull=True) | Q(source__hidden=True))
PUBLISHABLE = ~UNDECIDED_GONE
"""For a report item's queryset: leaves out what UNDECIDED_GONE describes."""


class SourceState:
    WITHDRAWN = "ingetrokken"
    HIDDEN = "verborgen"
    CHANGED = "gewijzigd"


# The item kinds that are taken over from the wall, as the decision URL names them.
SOURCED = {
    "aanbeveling": Recommendation,
    "punt": ContractThemePoint,
    "citaat": ParadoxQuote,
}


@dataclass
class SourceChange:
    """A report item whose source on the wall changed after it was taken over."""

    kind: str  # a key of SOURCED
    item: Recommendation | ContractThemePoint | ParadoxQuote
    place: str  # where in the report, as the analyst knows it
    state: str  # a SourceState
    now: str  # what the source says now ("" when withdrawn)

    @property
    def left_out(self) -> bool:
        """Left out of the report (and its PDF and Word file) until the analyst decides."""
        return self.state in (SourceState.WITHDRAWN, SourceState.HIDDEN)

    @property
    def state_label(self) -> str:
        return {
            SourceState.WITHDRAWN: _("ingetrokken"),
            SourceState.HIDDEN: _("verborgen"),
            SourceState.CHANGED: _("gewijzigd"),
        }[self.state]

    @property
    def message(self) -> str:
        return {
            SourceState.WITHDRAWN: _(
                "De schrijver heeft deze bijdrage uit de slotdialoog ingetrokken. Tot je kiest, "
                "blijft het punt uit het rapport."
            ),
            SourceState.HIDDEN: _(
                "De facilitator heeft deze bijdrage verborgen. Tot je kiest, blijft het punt "
                "uit het rapport."
            ),
            SourceState.CHANGED: _(
                "De bijdrage in de slotdialoog is gewijzigd nadat je haar overnam. Nu staat er:"
            ),
        }[self.state]


def _sourced_items(evaluation: Evaluation):
    merged = Prefetch("source__merged", queryset=Contribution.objects.order_by("created_at", "pk"))
    tracked = ~Q(source_digest="")
    for item in (
        Recommendation.objects.filter(tracked, how_question__evaluation=evaluation)
        .select_related("source", "how_question")
        .prefetch_related(merged)
    ):
        yield "aanbeveling", item, _("aanbeveling bij: %(q)s") % {"q": item.how_question.text}
    for item in (
        ContractThemePoint.objects.filter(tracked, theme__evaluation=evaluation)
        .select_related("source", "theme")
        .prefetch_related(merged)
    ):
        yield "punt", item, _("punt bij thema: %(t)s") % {"t": item.theme.title}
    for item in (
        ParadoxQuote.objects.filter(tracked, paradox__evaluation=evaluation)
        .select_related("source", "paradox")
        .prefetch_related(merged)
    ):
        yield "citaat", item, _("citaat bij paradox: %(t)s") % {"t": item.paradox.title}


def source_changes(evaluation: Evaluation) -> list[SourceChange]:
    """Every report item taken over from the wall whose source was withdrawn, hidden or
    changed since (and that the analyst has not decided on yet). Three queries and three
    prefetches, whatever the number of items."""
    changes = []
    for kind, item, place in _sourced_items(evaluation):
        source = item.source
        if source is None:
            changes.append(SourceChange(kind, item, place, SourceState.WITHDRAWN, ""))
        elif source.hidden:
            changes.append(SourceChange(kind, item, place, SourceState.HIDDEN, ""))
        elif source_digest(source) != item.source_digest:
            changes.append(SourceChange(kind, item, place, SourceState.CHANGED, group_text(source)))
    return changes


class SourceDecision:
    REMOVE = "verwijderen"
    KEEP = "houden"
    UPDATE = "bijwerken"


@transaction.atomic
def source_decide(*, evaluation: Evaluation, kind: str, pk: int, decision: str) -> None:
    """The analyst's answer to a SourceChange: remove the item from the report, keep it as
    it is (it is the analyst's own text from now on; a changed source is followed further),
    or, for a changed source, take its new text over. Raises LookupError for an item of
    another evaluation or an unknown kind, ValidationError (Dutch) for an unknown decision
    or a new text that does not fit."""
    model = SOURCED.get(kind)
    if model is None:
        raise LookupError(kind)
    parent = {
        Recommendation: "how_question__evaluation",
        ContractThemePoint: "theme__evaluation",
        ParadoxQuote: "paradox__evaluation",
    }[model]
    item = (
        # Only the item's row: PostgreSQL cannot lock the nullable side of the outer join.
        model.objects.select_for_update(of=("self",))
        .select_related("source")
        .filter(pk=pk, **{parent: evaluation})
        .first()
    )
    if item is None:
        raise LookupError(pk)
    source = item.source
    if decision == SourceDecision.REMOVE:
        item.delete()
        return
    if decision == SourceDecision.KEEP:
        item.source_digest = "" if source is None or source.hidden else source_digest(source)
    elif decision == SourceDecision.UPDATE and source is not None and not source.hidden:
        item.text = group_text(source)
        item.source_digest = source_digest(source)
        item.full_clean(exclude=[f.name for f in model._meta.fields if f.name != "text"])
    else:
        raise ValidationError(_("Kies verwijderen, houden of de nieuwe tekst overnemen."))
    item.save()
