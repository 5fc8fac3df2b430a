"""The reports as data first: a plain context that feeds both the HTML preview and the PDF.

Every figure in a report is computed here from the database; nothing is typed in.
The number of queries does not depend on the number of participants or allocations.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from scoring.charts import (
    bar_svg,
    difference_figure,
    figure_svg,
    lifecycle_figure,
    line_svg,
    radial_max,
    spider_figure,
)
from scoring.conditions import Condition
from scoring.insights import insight_for, insights_by, method_links
from scoring.insights import rule as insight_rule
from scoring.models import Allocation
from scoring.services import Aggregate, aggregate_allocations, aggregate_grouped, empty_aggregate
from sessions.models import Evaluation, ReconstructionSession, Role

from .defaults import report_text_for
from .models import HowQuestion, Recommendation
from .pdf import render_pdf


@dataclass
class ChartFigure:
    number: int
    caption: str
    svg: str
    aggregate: Aggregate


def _chart(number: int, caption: str, aggregate: Aggregate, scale: int) -> ChartFigure:
    figure = spider_figure(aggregate.series, scale=scale)
    return ChartFigure(number, caption, figure_svg(figure, size=420), aggregate)


def _method_figures(evaluation: Evaluation) -> dict:
    roles = dict(evaluation.participants.values_list("role").annotate(n=Count("pk")).order_by())
    sessions = evaluation.sessions.aggregate(n=Count("pk"), days=Count("day", distinct=True))
    return {
        "vertellers": roles.get(Role.VERTELLER, 0),
        "reflectoren": roles.get(Role.REFLECTOR, 0),
        "participants": sum(roles.values()),
        "days": sessions["days"],
        "sessions": sessions["n"],
        "allocations": Allocation.objects.counted().filter(session__evaluation=evaluation).count(),
    }


class _Numbering:
    """Chapters are numbered in the order they appear, so a left-out chapter leaves no gap."""

    def __init__(self):
        self.entries: list[dict] = []
        self.chapter = 0

    def chapter_add(self, anchor: str, title: str) -> str:
        self.chapter += 1
        self.section = 0
        number = f"{self.chapter}."
        self.entries.append({"anchor": anchor, "number": number, "title": title, "level": 1})
        return number

    def section_add(self, anchor: str, title: str) -> str:
        self.section += 1
        number = f"{self.chapter}.{self.section}"
        self.entries.append({"anchor": anchor, "number": number, "title": title, "level": 2})
        return number

    def appendix_add(self, anchor: str, title: str) -> None:
        self.entries.append({"anchor": anchor, "number": "", "title": title, "level": 1})


def _report_insights(text, key_moments, allocations) -> dict:
    """Chapter 3's insight blocks, as switched on by the analyst; the same numbers as on screen."""
    result: dict = {}
    if not (text.show_imbalance or text.show_roles or text.show_agreement or text.show_lifecycle):
        return result
    overall = insight_for(allocations)
    result["overall"] = overall
    result["links"] = method_links(text.evaluation)
    per_key_moment = insights_by(allocations, "session__key_moment_id")
    if text.show_imbalance:
        result["imbalance"] = [
            (km, per_key_moment[km.pk]) for km in key_moments if km.pk in per_key_moment
        ]
    if text.show_roles and overall.differences:
        result["roles_svg"] = bar_svg(difference_figure(overall.differences))
    if text.show_agreement:
        result["agreement"] = overall.agreement_rows
    if text.show_lifecycle:
        result["lifecycle"] = [(km, per_key_moment.get(km.pk)) for km in key_moments]
        result["lifecycle_svg"] = line_svg(lifecycle_figure(key_moments, per_key_moment))
    return result


def eindrapport_context(evaluation: Evaluation) -> dict:
    text = report_text_for(evaluation)
    key_moments = list(evaluation.key_moments.all())
    allocations = Allocation.objects.counted().filter(session__evaluation=evaluation)
    by_key_moment = aggregate_grouped(allocations, "session__key_moment_id")
    overall = aggregate_allocations(allocations)
    scale = radial_max(
        v
        for aggregate in [overall, *by_key_moment.values()]
        for series in aggregate.series
        for v in series.values
    )
    charts = []
    if overall.n:
        charts.append(_chart(1, _("Alle sleutelmomenten samen"), overall, scale))
        for km in key_moments:
            if km.pk in by_key_moment:
                caption = f"{km.order}. {km.title} ({km.get_phase_display().lower()})"
                charts.append(_chart(len(charts) + 1, caption, by_key_moment[km.pk], scale))

    insights = _report_insights(text, key_moments, allocations) if charts else {}

    paradoxes = {p.condition: p for p in evaluation.paradoxes.all()}
    paradox_list = [paradoxes[c.value] for c in Condition if c.value in paradoxes]
    questions = evaluation.how_questions.prefetch_related(
        Prefetch("recommendations", queryset=Recommendation.objects.order_by("order", "pk"))
    ).order_by("order", "pk")
    by_condition: dict[str, list[HowQuestion]] = {}
    for question in questions:
        by_condition.setdefault(question.condition, []).append(question)
    how_questions = [(c, by_condition[c.value]) for c in Condition if c.value in by_condition]
    with_recommendations = [
        (c, [q for q in qs if q.recommendations.all()]) for c, qs in how_questions
    ]
    with_recommendations = [(c, qs) for c, qs in with_recommendations if qs]
    contract_themes = list(evaluation.contract_themes.all())
    conclusion_themes = list(evaluation.conclusion_themes.all())

    toc = _Numbering()
    n = {}
    n["intro"] = toc.chapter_add("inleiding", _("Inleiding"))
    if text.reason:
        n["reason"] = toc.section_add("aanleiding", _("Aanleiding"))
    n["method"] = toc.section_add("evaluatiemethode", _("Evaluatiemethode"))
    if text.goal:
        n["goal"] = toc.section_add("doel", _("Doel van dit rapport"))
    if contract_themes or text.contract_intro or text.contract_conclusion:
        n["contract"] = toc.chapter_add(
            "contractvormen", _("Hoe contractvormen zich onderscheiden")
        )
    if text.theory or charts:
        n["theory"] = toc.chapter_add("theoretisch-kader", _("Theoretisch kader"))
    if paradox_list or how_questions:
        n["paradoxes"] = toc.chapter_add("paradoxen", _("Vijf paradoxen van samenwerken"))
        if paradox_list:
            n["paradoxes_1"] = toc.section_add(
                "paradoxen-duiding", _("Paradoxen en hun theoretische duiding")
            )
        if how_questions:
            n["paradoxes_2"] = toc.section_add(
                "hoe-vragen",
                _("Relevante vragen bij het opstarten en onderhouden van een alliantie"),
            )
    if conclusion_themes or text.conclusion_intro:
        n["conclusion"] = toc.chapter_add("conclusie", _("Conclusie"))
    if text.closing:
        n["closing"] = toc.chapter_add("tot-slot", _("Tot slot"))
    if with_recommendations:
        toc.appendix_add("bijlage", _("Bijlage: hoe-vragen en aanbevelingen"))

    return {
        "evaluation": evaluation,
        "text": text,
        "title": text.title or evaluation.title,
        "figures": _method_figures(evaluation),
        "key_moments": key_moments,
        "central_questions": evaluation.central_question_list,
        "charts": charts,
        "insights": insights,
        "rule": insight_rule(),
        "paradoxes": paradox_list,
        "how_questions": how_questions,
        "recommendations": with_recommendations,
        "contract_themes": contract_themes,
        "conclusion_themes": conclusion_themes,
        "toc": toc.entries,
        "n": n,
        "confidential": False,
    }


def tussenrapportage_context(evaluation: Evaluation) -> dict:
    text = report_text_for(evaluation)
    sessions = list(
        evaluation.sessions.select_related("key_moment").order_by("day", "slot", "room", "pk")
    )
    allocations = Allocation.objects.counted().filter(session__evaluation=evaluation)
    by_session = aggregate_grouped(allocations, "session_id")
    insight_by_session = insights_by(allocations, "session_id")
    group_counts: dict[int, dict[str, int]] = {}
    membership = ReconstructionSession.participants.through.objects.filter(
        reconstructionsession__evaluation=evaluation
    )
    for row in membership.values("reconstructionsession_id", "participant__role").annotate(
        n=Count("pk")
    ):
        counts = group_counts.setdefault(row["reconstructionsession_id"], {})
        counts[row["participant__role"]] = row["n"]
    names: dict[int, list[str]] = {}
    if evaluation.names_in_interim_report:
        for session_id, name, role in membership.values_list(
            "reconstructionsession_id", "participant__name", "participant__role"
        ).order_by("participant__name"):
            names.setdefault(session_id, []).append(f"{name} ({Role(role).label.lower()})")
    empty = empty_aggregate()
    scale = radial_max(v for a in by_session.values() for series in a.series for v in series.values)
    items = []
    for number, session in enumerate(sessions, start=1):
        aggregate = by_session.get(session.pk, empty)
        counts = group_counts.get(session.pk, {})
        items.append(
            {
                "session": session,
                "vertellers": counts.get(Role.VERTELLER, 0),
                "reflectoren": counts.get(Role.REFLECTOR, 0),
                "names": names.get(session.pk, []),
                "insight": insight_by_session.get(session.pk),
                "chart": _chart(number, session.key_moment.title, aggregate, scale)
                if aggregate.n
                else None,
            }
        )
    return {
        "evaluation": evaluation,
        "text": text,
        "title": _("Vertrouwelijke tussenrapportage"),
        "items": items,
        "confidential": True,
    }


def report_html(template: str, context: dict, *, for_pdf: bool) -> str:
    with translation.override("nl"):
        return render_to_string(template, {**context, "for_pdf": for_pdf})


# The two reports: the function that gathers their data and the template that renders it.
REPORTS = {
    "eindrapport": (eindrapport_context, "reports/eindrapport.html"),
    "tussenrapportage": (tussenrapportage_context, "reports/tussenrapportage.html"),
}


def report_render(kind: str, evaluation: Evaluation, *, for_pdf: bool) -> str:
    build, template = REPORTS[kind]
    return report_html(template, build(evaluation), for_pdf=for_pdf)


def report_pdf(kind: str, evaluation: Evaluation) -> bytes:
    return render_pdf(report_render(kind, evaluation, for_pdf=True))


def eindrapport_pdf(evaluation: Evaluation) -> bytes:
    return report_pdf("eindrapport", evaluation)


def tussenrapportage_pdf(evaluation: Evaluation) -> bytes:
    return report_pdf("tussenrapportage", evaluation)
