"""The reports as data first: one snapshot of the evaluation, walked along the analyst's
outline into a plain context that feeds both the HTML preview and the PDF.

Every number in a report is computed here from the database; nothing is typed in.
The snapshot computes each piece of data at most once, and the number of queries does not
depend on the number of participants or allocations.

Numbering, in order of appearance and without gaps: headings ("1.", "1.1", "1.1.1"; an
unnumbered heading does not count; a skipped level is 0, see reports/outline_rules.py),
figures ("Figuur 1", …: uploaded and generated alike), and references to sections
("zie 4.1") are resolved after empty sections are left out.
"""

import base64
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

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
from scoring.insights import (
    AGREEMENT_VERDICTS,
    ROLE_VERDICTS,
    insight_for,
    insights_by,
    method_links,
)
from scoring.insights import rule as insight_rule
from scoring.models import Allocation
from scoring.services import (
    Aggregate,
    aggregate_allocations,
    aggregate_grouped,
    min_group_size,
)
from sessions.models import Evaluation, ReconstructionSession, Role

from . import figures as drawn
from . import glyphs
from .defaults import STANDING_TEXTS, STARTING_TEXTS, report_text_for
from .figures import Figure
from .markup import render_markup
from .models import (
    BlockKind,
    ContractThemePoint,
    HowQuestion,
    ParadoxQuote,
    Part,
    Recommendation,
    ReportKind,
)
from .outline import outline_for
from .outline_rules import Numbering, heading_title, printed_blocks
from .wall import PUBLISHABLE

ROUNDING_RULE = _lazy(
    "Alle gemiddelden staan afgerond op één decimaal; opgeteld komen de vijf condities "
    "daardoor soms op 9,9 of 10,1 uit in plaats van 10."
)


@dataclass
class SectionRef:
    """A reference to the section that holds a part ("4.1"), filled in after numbering."""

    number: str = ""

    def __str__(self) -> str:
        return self.number


@dataclass
class Item:
    """One rendered piece of the document, in order."""

    type: str  # heading, text, figure, part, pagebreak
    level: int = 0
    title: str = ""
    numbered: bool = False
    number: str = ""
    anchor: str = ""
    html: str = ""
    part: str = ""
    ctx: dict = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)

    @property
    def tag(self) -> str:
        return f"h{self.level + 1}"

    @property
    def template(self) -> str:
        return f"reports/parts/{self.part}.html"

    @property
    def is_content(self) -> bool:
        if self.type == "text":
            return not self.ctx.get("starting")
        return self.type == "figure" or (
            self.type == "part" and self.part not in {Part.COVER, Part.TOC}
        )


class Snapshot:
    """The evaluation's data for its reports, each piece computed once when first needed."""

    def __init__(self, evaluation: Evaluation):
        self.evaluation = evaluation
        self.refs = {"paradoxes": SectionRef(), "how_questions": SectionRef()}

    @cached_property
    def text(self):
        return report_text_for(self.evaluation)

    @cached_property
    def key_moments(self) -> list:
        return list(self.evaluation.key_moments.all())

    @cached_property
    def allocations(self):
        return Allocation.objects.counted().filter(session__evaluation=self.evaluation)

    @cached_property
    def min_size(self) -> int:
        """Fewest people whose mean the report shows (the evaluation's min_group_size)."""
        return min_group_size(self.evaluation)

    @cached_property
    def by_key_moment(self) -> dict[int, Aggregate]:
        return aggregate_grouped(self.allocations, "session__key_moment_id", min_size=self.min_size)

    @cached_property
    def overall(self) -> Aggregate:
        return aggregate_allocations(self.allocations, min_size=self.min_size)

    @cached_property
    def scale(self) -> int:
        return radial_max(
            v
            for aggregate in [self.overall, *self.by_key_moment.values()]
            for series in aggregate.series
            for v in series.values
        )

    @cached_property
    def insight(self):
        return insight_for(self.allocations, min_size=self.min_size)

    @cached_property
    def insight_per_key_moment(self) -> dict:
        return insights_by(self.allocations, "session__key_moment_id", min_size=self.min_size)

    @cached_property
    def links(self) -> dict:
        return method_links(self.evaluation)

    @cached_property
    def method_figures(self) -> dict:
        evaluation = self.evaluation
        participation = evaluation.participation()
        # A session counts once somebody scored in it: a planned round that never ran is
        # not a reconstruction that took place.
        scored = evaluation.sessions.filter(
            Exists(Allocation.objects.counted().filter(session=OuterRef("pk")))
        ).aggregate(n=Count("pk"), days=Count("day", distinct=True))
        return {
            "vertellers": participation.vertellers,
            "reflectoren": participation.reflectoren,
            "participants": participation.took_part,
            "days": scored["days"],
            "sessions": scored["n"],
            "key_moments": len({km for km in self.by_key_moment}),
            "allocations": self.allocations.count(),
        }

    @cached_property
    def paradoxes(self) -> list:
        # A quote whose source was withdrawn or hidden stays out until the analyst decides.
        paradoxes = self.evaluation.paradoxes.prefetch_related(
            Prefetch("quotes", queryset=ParadoxQuote.objects.filter(PUBLISHABLE))
        )
        by_condition = {p.condition: p for p in paradoxes}
        return [by_condition[c.value] for c in Condition if c.value in by_condition]

    @cached_property
    def how_questions(self) -> list[tuple[Condition, list[HowQuestion]]]:
        questions = self.evaluation.how_questions.prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.filter(PUBLISHABLE).order_by("order", "pk"),
            )
        ).order_by("order", "pk")
        by_condition: dict[str, list[HowQuestion]] = {}
        for question in questions:
            by_condition.setdefault(question.condition, []).append(question)
        return [(c, by_condition[c.value]) for c in Condition if c.value in by_condition]

    @cached_property
    def contract_themes(self) -> list:
        return list(
            self.evaluation.contract_themes.prefetch_related(
                Prefetch("points", queryset=ContractThemePoint.objects.filter(PUBLISHABLE))
            )
        )

    @cached_property
    def conclusion_themes(self) -> list:
        return list(self.evaluation.conclusion_themes.all())

    def spider(self, caption: str, aggregate: Aggregate, *, note: str = "") -> Figure:
        figure = spider_figure(aggregate.series, scale=self.scale)
        return Figure(
            caption=caption,
            svg=figure_svg(figure, size=420),
            alt=_("Spindiagram: %(caption)s") % {"caption": caption},
            aggregate=aggregate,
            note=note,
        )


# --- The generated parts: each returns its template context, or None when it has nothing --


def _cover(snap: Snapshot, depth: int) -> dict:
    return {"text": snap.text}


def _method_figures(snap: Snapshot, depth: int) -> dict:
    return {"figures_": snap.method_figures}


def _key_moments(snap: Snapshot, depth: int) -> dict | None:
    return {"key_moments": snap.key_moments} if snap.key_moments else None


def _central_questions(snap: Snapshot, depth: int) -> dict | None:
    questions = snap.evaluation.central_question_list
    return {"questions": questions} if questions else None


def _contract_themes(snap: Snapshot, depth: int) -> dict | None:
    if not snap.contract_themes:
        return None
    return {"themes": snap.contract_themes, "other_form": snap.text.other_form}


def _model_figure(snap: Snapshot, depth: int) -> dict:
    return {"figures": [drawn.model_figure()]}


def _example_spider(snap: Snapshot, depth: int) -> dict:
    figure, explanation = drawn.example_spider()
    return {"figures": [figure], "explanation": explanation}


def _consequences_figure(snap: Snapshot, depth: int) -> dict:
    return {"figures": [drawn.consequences_figure()]}


def _spider_overall(snap: Snapshot, depth: int) -> dict | None:
    if not snap.overall.n:
        return None
    note = ngettext(
        "Het gemiddelde van de enige puntenverdeling.",
        "Het gemiddelde van alle %(n)s puntenverdelingen samen: een sleutelmoment met meer "
        "verdelingen telt daardoor zwaarder mee.",
        snap.overall.n,
    ) % {"n": snap.overall.n}
    return {"figures": [snap.spider(_("Alle sleutelmomenten samen"), snap.overall, note=note)]}


def _spider_key_moments(snap: Snapshot, depth: int) -> dict | None:
    figures = [
        snap.spider(
            f"{km.order}. {km.title} ({km.get_phase_display().lower()})", snap.by_key_moment[km.pk]
        )
        for km in snap.key_moments
        if km.pk in snap.by_key_moment
    ]
    return {"figures": figures} if figures else None


def _imbalance(snap: Snapshot, depth: int) -> dict | None:
    if not snap.insight.n:
        return None
    rows = [
        (km, snap.insight_per_key_moment[km.pk])
        for km in snap.key_moments
        if km.pk in snap.insight_per_key_moment
    ]
    return {"o": snap.insight, "rows": rows, "links": snap.links, "refs": snap.refs}


def _roles(snap: Snapshot, depth: int) -> dict | None:
    if snap.insight.notes and not snap.insight.too_small:
        # A role too small to show apart (min_group_size): the block says so, nothing more.
        return {"o": snap.insight, "figures": []}
    if not snap.insight.differences:
        return None
    figure = Figure(
        caption=_("Verschil per conditie: vertellers min reflectoren"),
        svg=bar_svg(difference_figure(snap.insight.differences)),
        alt=_("Verschil tussen vertellers en reflectoren per conditie"),
        css="bars-img",
    )
    return {"o": snap.insight, "figures": [figure]}


def _agreement(snap: Snapshot, depth: int) -> dict | None:
    if not snap.insight.n:
        return None
    if snap.insight.too_small:
        return {"rows": [], "notes": snap.insight.notes}
    return {"rows": snap.insight.agreement_rows}


def _lifecycle(snap: Snapshot, depth: int) -> dict | None:
    if not snap.insight.n:
        return None
    per = snap.insight_per_key_moment
    figure = Figure(
        caption=_("Gemiddelde punten per conditie, van sleutelmoment tot sleutelmoment"),
        svg=line_svg(lifecycle_figure(snap.key_moments, per)),
        alt=_("Gemiddelde punten per conditie per sleutelmoment"),
        css="line-img",
    )
    return {"rows": [(km, per.get(km.pk)) for km in snap.key_moments], "figures": [figure]}


def _paradoxes(snap: Snapshot, depth: int) -> dict | None:
    return {"paradoxes": snap.paradoxes} if snap.paradoxes else None


def _how_questions(snap: Snapshot, depth: int) -> dict | None:
    return {"groups": snap.how_questions} if snap.how_questions else None


def _conclusion_themes(snap: Snapshot, depth: int) -> dict | None:
    return {"themes": snap.conclusion_themes} if snap.conclusion_themes else None


def _appendix(snap: Snapshot, depth: int) -> dict | None:
    groups = [(c, [q for q in qs if q.recommendations.all()]) for c, qs in snap.how_questions]
    groups = [(c, qs) for c, qs in groups if qs]
    return {"groups": groups} if groups else None


def _sessions(snap: Snapshot, depth: int) -> dict | None:
    evaluation = snap.evaluation
    sessions = list(
        evaluation.sessions.select_related("key_moment").order_by("day", "slot", "room", "pk")
    )
    if not sessions:
        return None
    by_session = aggregate_grouped(snap.allocations, "session_id", min_size=snap.min_size)
    insight_by_session = insights_by(snap.allocations, "session_id", min_size=snap.min_size)
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
    scale = radial_max(v for a in by_session.values() for series in a.series for v in series.values)
    items, figures, headings = [], [], []
    for session in sessions:
        aggregate = by_session.get(session.pk)
        counts = group_counts.get(session.pk, {})
        figure = None
        if aggregate is not None and aggregate.n:
            spider = spider_figure(aggregate.series, scale=scale)
            figure = Figure(
                caption=session.key_moment.title,
                svg=figure_svg(spider, size=420),
                alt=_("Spindiagram: %(caption)s") % {"caption": session.key_moment.title},
                aggregate=aggregate,
            )
            figures.append(figure)
        title = _("Dag %(day)s, ronde %(slot)s%(room)s: %(title)s") % {
            "day": session.day,
            "slot": session.slot,
            "room": f" ({session.room})" if session.room else "",
            "title": session.key_moment.title,
        }
        anchor = f"sessie-{session.pk}"
        headings.append((anchor, title))
        items.append(
            {
                "session": session,
                "title": title,
                "anchor": anchor,
                "vertellers": counts.get(Role.VERTELLER, 0),
                "reflectoren": counts.get(Role.REFLECTOR, 0),
                "names": names.get(session.pk, []),
                "insight": insight_by_session.get(session.pk),
                "chart": figure,
            }
        )
    return {"items": items, "figures": figures, "headings": headings, "level": depth + 1}


def _wall(snap: Snapshot, depth: int) -> dict | None:
    """The raw wall of the slotdialoog (tussenrapportage only): every prompt that was open,
    its cards with their stippen, merged texts under them; hidden ones left out. Names only
    where the evaluation allows names in the interim report."""
    from sessions.wall import team_sees_names, wall_prompts

    evaluation = snap.evaluation
    prompts = evaluation.prompts.exclude(state="voorbereiding").order_by("order", "pk")
    names = team_sees_names(evaluation)
    walls = [w for w in wall_prompts(prompts, team=True, names=names) if w.cards]
    return {"walls": walls, "level": depth + 1} if walls else None


PARTS = {
    Part.COVER: _cover,
    Part.TOC: lambda snap, depth: {},
    Part.METHOD_FIGURES: _method_figures,
    Part.KEY_MOMENTS: _key_moments,
    Part.CENTRAL_QUESTIONS: _central_questions,
    Part.CONTRACT_THEMES: _contract_themes,
    Part.MODEL_FIGURE: _model_figure,
    Part.EXAMPLE_SPIDER: _example_spider,
    Part.CONSEQUENCES_FIGURE: _consequences_figure,
    Part.SPIDER_OVERALL: _spider_overall,
    Part.SPIDER_KEY_MOMENTS: _spider_key_moments,
    Part.IMBALANCE: _imbalance,
    Part.ROLES: _roles,
    Part.AGREEMENT: _agreement,
    Part.LIFECYCLE: _lifecycle,
    Part.PARADOXES: _paradoxes,
    Part.HOW_QUESTIONS: _how_questions,
    Part.CONCLUSION_THEMES: _conclusion_themes,
    Part.APPENDIX: _appendix,
    Part.SESSIONS: _sessions,
    Part.WALL: _wall,
}


def _items(blocks, snap: Snapshot) -> list[Item]:
    items: list[Item] = []
    depth = 0
    for block in blocks:
        if block.kind == BlockKind.HEADING:
            depth = block.level
            items.append(
                Item(
                    "heading",
                    level=block.level,
                    title=heading_title(block.title, len(snap.paradoxes)),
                    numbered=block.numbered,
                )
            )
        elif block.kind == BlockKind.TEXT:
            html = render_markup(block.body, heading_level=depth + 2)
            if html:
                # An untouched starting text that introduces data does not make a chapter
                # worth printing on its own; one that describes the method does.
                starting = (
                    block.body == STARTING_TEXTS.get(block.slot)
                    and block.slot not in STANDING_TEXTS
                )
                items.append(Item("text", html=html, ctx={"starting": starting}))
        elif block.kind == BlockKind.FIGURE:
            mime = block.image_type
            uri = f"data:{mime};base64," + base64.b64encode(bytes(block.image)).decode()
            figure = Figure(
                caption=block.title, data_uri=uri, alt=block.title, css="upload-img",
                width=block.width,
            )  # fmt: skip
            items.append(Item("figure", figures=[figure]))
        elif block.kind == BlockKind.PAGE_BREAK:
            items.append(Item("pagebreak"))
        else:
            ctx = PARTS[block.part](snap, depth)
            if ctx is not None:
                figures = ctx.pop("figures", [])
                items.append(Item("part", part=block.part, ctx=ctx, figures=figures, level=depth))
    return items


def _without_empty_sections(items: list[Item]) -> list[Item]:
    """A heading is printed only if some content follows before the next heading of the same
    or a higher level: a chapter the analyst has not written yet leaves no empty title (and
    no starting text without its title)."""
    kept = []
    skip_until_level = 0  # inside a left-out section: drop until a heading this high
    for index, item in enumerate(items):
        if item.type == "heading":
            if skip_until_level and item.level > skip_until_level:
                continue
            skip_until_level = 0
            has_content = False
            for later in items[index + 1 :]:
                if later.type == "heading" and later.level <= item.level:
                    break
                if later.is_content:
                    has_content = True
                    break
            if not has_content:
                skip_until_level = item.level
                continue
        elif skip_until_level and item.type == "text":
            continue
        kept.append(item)
    return kept


def _number(items: list[Item], snap: Snapshot) -> list[dict]:
    """Number headings and figures in order of appearance; return the table of contents."""
    numbering = Numbering()
    figure_number = 0
    rounding_stated = False
    toc: list[dict] = []
    anchors: set[str] = set()
    current = ""
    for item in items:
        if item.type == "heading":
            if item.numbered:
                item.number, _skips = numbering.next(item.level)
                current = item.number.rstrip(".")
            base = slugify(item.title)[:50] or "kop"
            anchor, suffix = base, 2
            while anchor in anchors:
                anchor, suffix = f"{base}-{suffix}", suffix + 1
            anchors.add(anchor)
            item.anchor = anchor
            if item.level <= 2:
                toc.append(
                    {"anchor": anchor, "number": item.number, "title": item.title,
                     "level": item.level}
                )  # fmt: skip
        for figure in item.figures:
            figure_number += 1
            figure.number = figure_number
            if figure.aggregate is not None and not rounding_stated:
                # Said once, under the first table of means in the report.
                figure.note = " ".join(filter(None, [figure.note, str(ROUNDING_RULE)]))
                rounding_stated = True
        if item.type == "part":
            if item.part in (Part.PARADOXES, Part.HOW_QUESTIONS):
                snap.refs[item.part].number = current
            for anchor, title in item.ctx.get("headings", []):
                level = min(item.level + 1, 2)
                toc.append({"anchor": anchor, "number": "", "title": title, "level": level})
    return toc


def _sheets(items: list[Item]) -> list[list[Item]]:
    """Split the document into pages that must start on a new sheet: the cover, the table of
    contents, each chapter (a level-1 heading) and whatever follows a page break."""
    sheets: list[list[Item]] = [[]]
    for item in items:
        starts = item.type == "pagebreak" or (item.type == "heading" and item.level == 1)
        own = item.type == "part" and item.part in (Part.COVER, Part.TOC)
        if (starts or own) and sheets[-1]:
            sheets.append([])
        if item.type != "pagebreak":
            sheets[-1].append(item)
        if own:
            sheets.append([])
    return [sheet for sheet in sheets if sheet]


def document_title(title: str, evaluation_title: str) -> str:
    """The document's own title (the PDF's and Word file's title metadata, the browser tab):
    the report's title, with the evaluation's name after it unless the title says it
    already (a report titled after its evaluation said its name twice)."""
    if evaluation_title.casefold() in title.casefold():
        return title
    return f"{title} · {evaluation_title}"


def report_context(kind: str, evaluation: Evaluation) -> dict:
    """Everything a report's template needs: the outline walked into numbered items.

    Raises ValueError for an unknown report kind.
    """
    snap = Snapshot(evaluation)
    outline = outline_for(evaluation, kind)
    blocks = printed_blocks(list(outline.blocks.all()))
    items = _without_empty_sections(_items(blocks, snap))
    toc = _number(items, snap)
    confidential = kind == ReportKind.TUSSENRAPPORTAGE
    title = (
        _("Vertrouwelijke tussenrapportage")
        if confidential
        else (snap.text.title or evaluation.title)
    )
    return {
        "evaluation": evaluation,
        "text": snap.text,
        "kind": kind,
        "title": title,
        "document_title": document_title(title, evaluation.title),
        "sheets": _sheets(items),
        "toc": toc,
        "rule": insight_rule(),
        "verdicts": ROLE_VERDICTS,
        "agreement_words": AGREEMENT_VERDICTS,
        "confidential": confidential,
    }


def eindrapport_context(evaluation: Evaluation) -> dict:
    return report_context(ReportKind.EINDRAPPORT, evaluation)


def tussenrapportage_context(evaluation: Evaluation) -> dict:
    return report_context(ReportKind.TUSSENRAPPORTAGE, evaluation)


def report_html(context: dict, *, for_pdf: bool) -> str:
    with translation.override("nl"):
        html = render_to_string("reports/report.html", {**context, "for_pdf": for_pdf})
    # What the bundled fonts cannot draw would print as boxes (reports.glyphs).
    return glyphs.printable(html)


# The report kinds, known in one place: kind -> label.
REPORTS = {kind.value: kind.label for kind in ReportKind}


def report_render(kind: str, evaluation: Evaluation, *, for_pdf: bool) -> str:
    """The report as HTML: the preview (for_pdf=False) and the PDF's source are one document."""
    return report_html(report_context(kind, evaluation), for_pdf=for_pdf)


def report_pdf(kind: str, evaluation: Evaluation) -> bytes:
    # WeasyPrint is imported here, not at the top: the web workers never lay out a PDF
    # (reports/rendering.py hands that to the worker), so they need not load it (~1 s, ~60 MB).
    from .pdf import render_pdf

    return render_pdf(report_render(kind, evaluation, for_pdf=True))


def eindrapport_pdf(evaluation: Evaluation) -> bytes:
    return report_pdf("eindrapport", evaluation)


def tussenrapportage_pdf(evaluation: Evaluation) -> bytes:
    return report_pdf("tussenrapportage", evaluation)


def report_docx(kind: str, evaluation: Evaluation) -> bytes:
    """The report as a Word document, from the same HTML as its PDF (reports/docx.py)."""
    from .docx import render_docx

    return render_docx(report_render(kind, evaluation, for_pdf=True))
