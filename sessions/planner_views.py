"""The groepsindeling in the app: set the shape, see the grid, move people, re-plan, save.

Planning is a GET (the same parameters always give the same plan, so a link or a reload shows
it again); saving is a POST with the same parameters. Moves become pins: a person whose group
select differs from where the planner put them is pinned there, and the rest is re-planned.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from .access import FACILITATORS, get_evaluation_for_team, login_required
from .models import Evaluation, Role
from .planner import (
    MAX_DAYS,
    PLAN_SHAPE,
    group_label,
    group_plan,
    group_plan_save,
    plan_save_effect,
)


class PlanShapeForm(forms.Form):
    """Days, rounds per day and groups in parallel: one field per planner.PLAN_SHAPE part."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for part in PLAN_SHAPE:
            self.fields[part.name] = forms.IntegerField(
                label=part.label,
                min_value=1,
                max_value=part.maximum,
                error_messages={
                    "min_value": format_lazy(_lazy("Minstens 1 {}."), part.one),
                    "max_value": format_lazy(_lazy("Hoogstens %(limit_value)s {}."), part.many),
                    "invalid": _lazy("Vul een heel getal in."),
                    "required": format_lazy(_lazy("Vul het aantal {} in."), part.many),
                },
            )


def _default_days(evaluation: Evaluation) -> int:
    if evaluation.starts_on and evaluation.ends_on:
        return max(1, min(MAX_DAYS, (evaluation.ends_on - evaluation.starts_on).days + 1))
    return 3


def _ints(text: str, n: int) -> tuple[int, ...] | None:
    parts = text.split(":")
    if len(parts) != n or not all(p.isdigit() and len(p) < 10 for p in parts):
        return None
    return tuple(int(p) for p in parts)


def plan_request(evaluation: Evaluation, data) -> dict:
    """The planner's keyword arguments from the query or form data; silently drops junk.

    `vast` = "person:day:round:group" (pins kept from before), `g-person-day-round-planned` =
    the group chosen in the grid (a pin when it differs from `planned`), `km-day-round-group`
    = key moment pk, `beleefd` = "key moment:person".
    """
    key_moments = {km.pk: km for km in evaluation.key_moments.all()}
    pins: dict[tuple[int, int, int], int] = {}
    for value in data.getlist("vast"):
        found = _ints(value, 4)
        if found:
            pins[found[:3]] = found[3]
    for name, value in data.items():
        if name.startswith("g-"):
            found, chosen = _ints(name[2:].replace("-", ":"), 4), _ints(value, 1)
            if found and chosen and chosen[0] != found[3]:
                pins[found[:3]] = chosen[0]
    chosen_km = {}
    for name, value in data.items():
        if name.startswith("km-"):
            found, pk = _ints(name[3:].replace("-", ":"), 3), _ints(value, 1)
            if found and pk and pk[0] in key_moments:
                chosen_km[(found[0], found[1], found[2])] = key_moments[pk[0]]
    lived: dict[int, set[int]] = {}
    for value in data.getlist("beleefd"):
        found = _ints(value, 2)
        if found and found[0] in key_moments:
            lived.setdefault(found[0], set()).add(found[1])
    return {"pins": pins, "key_moments": chosen_km, "lived": lived}


@login_required
@require_http_methods(["GET", "POST"])
def group_planner(request: HttpRequest, slug: str) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, FACILITATORS)
    data = request.POST if request.method == "POST" else request.GET
    initial = {part.name: part.default for part in PLAN_SHAPE}
    initial["dagen"] = _default_days(evaluation)
    shape = PlanShapeForm(data if "dagen" in data else None, initial=initial)
    sizes = initial
    if shape.is_bound:
        sizes = shape.cleaned_data if shape.is_valid() else None
    plan, error, wanted = None, None, plan_request(evaluation, data)
    if sizes:
        days, rounds, groups = sizes["dagen"], sizes["rondes"], sizes["groepen"]
        chosen = wanted["key_moments"]
        complete = all(
            (d, r, g) in chosen
            for d in range(1, days + 1)
            for r in range(1, rounds + 1)
            for g in range(groups)
        )
        try:
            plan = group_plan(
                evaluation=evaluation,
                days=days,
                rounds=rounds,
                groups=groups,
                key_moments=chosen if complete else None,
                lived=wanted["lived"],
                pins={k: v for k, v in wanted["pins"].items() if k[1] <= days and k[2] <= rounds},
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
    if request.method == "POST" and plan is not None:
        try:
            created = group_plan_save(evaluation=evaluation, plan=plan)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s sessie aangemaakt. Open de ronde als de groep klaar is.",
                    "%(n)s sessies aangemaakt. Open de eerste ronde als de groepen klaar zijn.",
                    len(created),
                )
                % {"n": len(created)},
            )
            return redirect("sessions:console", slug=slug)
    pins = wanted["pins"]
    rows = [
        (
            day,
            rnd,
            [
                (group, [(p, (p.pk, day, rnd) in pins) for p in group.members])
                for group in groups_of_round
            ],
        )
        for day, rnd, groups_of_round in (plan.grid() if plan else [])
    ]
    key_moments = list(evaluation.key_moments.all())
    lived_rows = [
        (person, [(km, person.pk in wanted["lived"].get(km.pk, ())) for km in key_moments])
        for person in evaluation.participants.filter(role=Role.VERTELLER).order_by("name")
    ]
    return render(
        request,
        "setup/group_planner.html",
        {
            "evaluation": evaluation,
            "shape": shape,
            "plan": plan,
            "rows": rows,
            "error": error,
            "pins": pins,
            "pin_values": [f"{p}:{d}:{r}:{g}" for (p, d, r), g in sorted(pins.items())],
            "group_labels": [(g, group_label(g)) for g in range(plan.groups_per_round)]
            if plan
            else [],
            "key_moments": key_moments,
            "lived_rows": lived_rows,
            "lived": {f"{km}:{p}" for km, ps in wanted["lived"].items() for p in ps},
            "has_sessions": evaluation.sessions.exists(),
            "effect": plan_save_effect(evaluation=evaluation, days=plan.days) if plan else None,
        },
    )
