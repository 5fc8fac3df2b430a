"""From the wall of the slotdialoog into the report (issue 15, item 4).

The room writes on prompts (sessions.wall); this module knows which prompt belongs to which
part of the report (through the prompt's key, which it made itself in `prompt_specs`) and
takes a contribution, or a merged group, into the report as a recommendation under a
how-question, a bullet of a contract-form theme or a quotation in a paradox. Each item keeps
a link to the contribution it came from (`source`, SET_NULL), so the workspace can show which
contributions are not used yet.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluatiespiegel.fields import SHORT
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
    """The text the analyst starts from: a card and what was merged into it, one per line."""
    texts = [contribution.text] + [
        c.text for c in contribution.merged.filter(hidden=False).order_by("created_at", "pk")
    ]
    return "\n".join(" ".join(t.split()) for t in texts)


@transaction.atomic
def contribution_take(
    *, evaluation: Evaluation, contribution_id: int, target: str, text: str
) -> Recommendation | ContractThemePoint | ParadoxQuote:
    """Take a contribution (a card, with what was merged into it) into the report, as
    edited by the analyst, at `target` (a Target.value of this evaluation).

    The text follows the report's markup rules (reports.markup) and SHORT's limit. Raises
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
    if len(text) > SHORT:
        raise ValidationError(
            ngettext(
                "Het overgenomen punt is te lang: hooguit %(limit)s teken, nu %(length)s.",
                "Het overgenomen punt is te lang: hooguit %(limit)s tekens, nu %(length)s.",
                SHORT,
            )
            % {"limit": SHORT, "length": len(text)}
        )
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
        return Recommendation.objects.create(
            how_question=question, order=last + 1, text=text, source=contribution
        )
    if kind == "thema":
        side = rest.split(":")[1] if rest.count(":") == 1 else ""
        theme = ContractTheme.objects.filter(pk=pk, evaluation=evaluation).first()
        if theme is None or side not in ThemeSide.values:
            raise unknown
        _not_twice(theme.points.filter(side=side), contribution)
        last = theme.points.filter(side=side).aggregate(m=Max("order"))["m"] or 0
        return ContractThemePoint.objects.create(
            theme=theme, side=side, order=last + 1, text=text, source=contribution
        )
    if kind == "paradox":
        paradox = Paradox.objects.filter(pk=pk, evaluation=evaluation).first()
        if paradox is None:
            raise unknown
        _not_twice(paradox.quotes, contribution)
        last = paradox.quotes.aggregate(m=Max("order"))["m"] or 0
        return ParadoxQuote.objects.create(
            paradox=paradox, order=last + 1, text=text, source=contribution
        )
    raise unknown


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
