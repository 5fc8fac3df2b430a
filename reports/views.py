from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from scoring.conditions import condition_order
from sessions.access import get_evaluation_for_team, login_required
from sessions.models import Contribution, ReconstructionSession
from sessions.permissions import Action
from sessions.services import claims_for_cards

from . import builder, printables
from .defaults import report_text_for
from .export import EXPORTS
from .forms import (
    MARKUP_HELP,
    SECTION_TITLES,
    SECTIONS,
    BlockForm,
    ConclusionThemeFormSet,
    ContractThemeFormSet,
    ExportForm,
    HowQuestionFormSet,
    OutlineFileForm,
    PresetForm,
    RecommendationFormSet,
    SessionNotesForm,
    paradox_forms,
    report_text_form,
)
from .models import (
    BlockKind,
    HowQuestion,
    OutlineImport,
    RenderedReport,
    ReportBlock,
    ReportKind,
)
from .outline import (
    block_add,
    block_delete,
    block_move,
    block_toggle,
    outline_for,
    preset_apply,
    preset_preview,
)
from .outline_file import (
    OutlineFileError,
    outline_filename,
    outline_import_confirm,
    outline_import_preview,
    outline_import_stage,
    outline_markdown,
)
from .outline_rules import outline_listing, outline_warnings
from .outline_word import MAX_DOCX_BYTES
from .rendering import (
    printable_take,
    report_latest,
    report_outdated,
    report_request,
    report_version,
)
from .wall import contribution_take, curation_context, source_changes, source_decide


def _workspace_context(
    evaluation,
    export_form: ExportForm,
    kind: str = ReportKind.EINDRAPPORT,
    form=None,
    file_form=None,
) -> dict:
    """The workspace: one report's outline (blocks, add form, presets), reading, export."""
    report_text_for(evaluation)
    outline = outline_for(evaluation, kind)
    blocks = outline_listing(outline.blocks.defer("image"))
    return {
        "evaluation": evaluation,
        "sections": [{"slug": s, "title": title} for s, title, _fields in SECTIONS],
        "export_form": export_form,
        "can_write": Action.WRITE in evaluation.allowed,
        "can_export": Action.EXPORT in evaluation.allowed,
        "kind": kind,
        "kind_label": ReportKind(kind).label,
        "outline": outline,
        "blocks": blocks,
        "outline_warnings": outline_warnings(blocks),
        "explains_placeholder": any(b.shown_title != b.title for b in blocks),
        "form": form or BlockForm(report_kind=kind, initial={"kind": BlockKind.TEXT}),
        "preset_form": PresetForm(report_kind=kind, initial={"preset": outline.preset}),
        "file_form": file_form or OutlineFileForm(),
        "renders": _renders(evaluation),
        # Shown to everyone who reads the workspace; only the analyst gets the buttons.
        "source_changes": source_changes(evaluation),
    }


def _renders(evaluation) -> list[dict]:
    """The status of every report in every format, each saying whether it is outdated; the
    current version of a report is built once, and only when it has a finished file."""
    renders = []
    for kind in REPORT_LABELS:
        jobs = {f: report_latest(evaluation=evaluation, kind=kind, format=f) for f in FORMAT_LABELS}
        done = any(j is not None and j.status == RenderedReport.Status.DONE for j in jobs.values())
        version = report_version(evaluation=evaluation, kind=kind) if done else None
        renders += [_render_status(evaluation, kind, jobs[f], f, version) for f in FORMAT_LABELS]
    return renders


def _export_form(evaluation) -> ExportForm:
    return ExportForm(evaluation=evaluation, may_name=Action.EXPORT_NAMES in evaluation.allowed)


@login_required
def workspace(request: HttpRequest, slug: str, kind: str = ReportKind.EINDRAPPORT) -> HttpResponse:
    """The analyst's outline of one report: its blocks, add/move/switch off/delete, presets.
    The rest of the team reads it."""
    evaluation = get_evaluation_for_team(request, slug)
    if kind not in ReportKind.values:
        raise Http404
    context = _workspace_context(evaluation, _export_form(evaluation), kind)
    return render(request, "reports/workspace.html", context)


def _get_block(request: HttpRequest, slug: str, pk: int):
    """A block of one of the evaluation's outlines, for a user who may write the reports."""
    evaluation = get_evaluation_for_team(request, slug, Action.WRITE)
    block = get_object_or_404(
        ReportBlock.objects.select_related("outline"), pk=pk, outline__evaluation=evaluation
    )
    return evaluation, block


def _back(slug: str, kind: str, anchor: str = "") -> HttpResponse:
    url = reverse("reports:outline", args=[slug, kind])
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
@require_POST
def block_add_view(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, Action.WRITE)
    if kind not in ReportKind.values:
        raise Http404
    outline = outline_for(evaluation, kind)
    form = BlockForm(request.POST, request.FILES, report_kind=kind)
    after = None
    if request.POST.get("after", "").isdigit():
        after = outline.blocks.filter(pk=request.POST["after"]).first()
    if form.is_valid():
        block = form.save(commit=False)
        block_add(outline=outline, block=block, after=after)
        messages.success(request, _("Het blok is toegevoegd."))
        return _back(slug, kind, f"blok-{block.pk}")
    messages.error(request, _("Niet toegevoegd: kijk de gemarkeerde velden na."))
    context = _workspace_context(evaluation, _export_form(evaluation), kind, form=form)
    return render(request, "reports/workspace.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def block_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    evaluation, block = _get_block(request, slug, pk)
    kind = block.outline.kind
    data = request.POST if request.method == "POST" else None
    form = BlockForm(data, request.FILES or None, instance=block, report_kind=kind)
    if data is not None and form.is_valid():
        form.save()
        messages.success(request, _("Het blok is opgeslagen."))
        return _back(slug, kind, f"blok-{block.pk}")
    return render(
        request,
        "reports/block.html",
        {"evaluation": evaluation, "report_block": block, "form": form, "kind": kind},
        status=400 if data is not None else 200,
    )


BLOCK_ACTIONS = {
    "omhoog": lambda block: block_move(block=block, direction=-1),
    "omlaag": lambda block: block_move(block=block, direction=1),
    "aan-uit": lambda block: block_toggle(block=block),
    "verwijderen": lambda block: block_delete(block=block),
}


@login_required
@require_POST
def block_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    _evaluation, block = _get_block(request, slug, pk)
    if action not in BLOCK_ACTIONS:
        raise Http404
    kind, anchor = block.outline.kind, f"blok-{block.pk}"
    BLOCK_ACTIONS[action](block)
    if action == "verwijderen":
        messages.success(request, _("Het blok is verwijderd."))
        anchor = ""
    return _back(slug, kind, anchor)


@login_required
@require_POST
def preset_choose(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, Action.WRITE)
    if kind not in ReportKind.values:
        raise Http404
    form = PresetForm(request.POST, report_kind=kind)
    if form.is_valid():
        outline, preset = outline_for(evaluation, kind), form.cleaned_data["preset"]
        if not form.cleaned_data["bevestig"]:
            # A preset rearranges the whole outline: first say what it does to the analyst's
            # own blocks (new-user pass: an own chapter heading vanished without a word).
            plan = preset_preview(outline=outline, preset=preset)
            return render(
                request,
                "reports/preset_confirm.html",
                {
                    "evaluation": evaluation,
                    "kind": kind,
                    "preset": preset,
                    "preset_label": dict(form.fields["preset"].choices)[preset],
                    "blocks": plan["blocks"],
                    "kept": plan["kept"],
                },
            )
        preset_apply(outline=outline, preset=preset)
        messages.success(
            request,
            _("De opzet is toegepast. Je teksten en figuren zijn bewaard; wat geen plek had, "
              "staat uitgeschakeld onderaan."),
        )  # fmt: skip
    else:
        messages.error(request, _("Kies een opzet uit de lijst."))
    return _back(slug, kind)


def _formset_for(section: str, evaluation, data=None):
    """The list part of a section (themes, how-questions), if it has one."""
    if section == "contractvormen":
        return ContractThemeFormSet(
            data, queryset=evaluation.contract_themes.all(), prefix="themes"
        )
    if section == "conclusie":
        return ConclusionThemeFormSet(
            data, queryset=evaluation.conclusion_themes.all(), prefix="themes"
        )
    if section == "hoe-vragen":
        return HowQuestionFormSet(
            data,
            queryset=evaluation.how_questions.order_by(condition_order(), "order", "pk"),
            prefix="questions",
        )
    return None


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, slug: str, section: str) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, Action.WRITE)
    if section not in SECTION_TITLES:
        raise Http404
    text = report_text_for(evaluation)
    data = request.POST if request.method == "POST" else None
    form = report_text_form(section)(data, request.FILES or None, instance=text)
    formset = _formset_for(section, evaluation, data)
    paradoxes = paradox_forms(evaluation, data) if section == "paradoxen" else []
    if data is not None:
        valid = form.is_valid()
        valid = (formset is None or formset.is_valid()) and valid
        valid = all([f.is_valid() for _c, f in paradoxes]) and valid
        if valid:
            with transaction.atomic():
                form.save()
                if formset is not None:
                    for item in formset.save(commit=False):
                        item.evaluation = evaluation
                        item.save()
                    for item in formset.deleted_objects:
                        item.delete()
                for _condition, paradox_form in paradoxes:
                    if paradox_form.has_changed() or paradox_form.instance.pk:
                        paradox_form.save()
            messages.success(
                request, _("Opgeslagen: %(section)s") % {"section": SECTION_TITLES[section]}
            )
            return redirect("reports:section", slug=slug, section=section)
        messages.error(request, _("Niet opgeslagen: kijk de gemarkeerde velden na."))
    return render(
        request,
        "reports/section.html",
        {
            "evaluation": evaluation,
            "section": section,
            "section_title": SECTION_TITLES[section],
            "sections": SECTIONS,
            "form": form,
            "formset": formset,
            "paradoxes": paradoxes,
            "markup_help": MARKUP_HELP,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendations_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, Action.WRITE)
    question = get_object_or_404(HowQuestion, pk=pk, evaluation=evaluation)
    data = request.POST if request.method == "POST" else None
    formset = RecommendationFormSet(data, instance=question, prefix="recs")
    if data is not None and formset.is_valid():
        formset.save()
        messages.success(request, _("De aanbevelingen zijn opgeslagen."))
        return redirect("reports:recommendations", slug=slug, pk=pk)
    return render(
        request,
        "reports/recommendations.html",
        {"evaluation": evaluation, "question": question, "formset": formset},
    )


REPORT_LABELS = {
    "eindrapport": _lazy("Eindrapport"),
    "tussenrapportage": _lazy("Tussenrapportage (vertrouwelijk)"),
}
FILENAMES = {
    "eindrapport": "eindrapport-{slug}.{ext}",
    "tussenrapportage": "tussenrapportage-{slug}-vertrouwelijk.{ext}",
    printables.PROGRAMME: "dagprogramma-{slug}.{ext}",
    printables.CARDS: "deelnemerskaarten-{slug}-persoonlijk.{ext}",
}
# The formats a report is made in (reports/rendering.py RENDERERS): format -> label, type.
FORMAT_LABELS = {"pdf": "PDF", "docx": "Word"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
PRINTABLE_LABELS = {
    printables.CARDS: _lazy("Deelnemerskaarten"),
    printables.PROGRAMME: _lazy("Dagprogramma"),
}
# Who may make and fetch each printable: the cards carry live personal links.
PRINTABLE_ACTIONS = {printables.CARDS: Action.CARDS, printables.PROGRAMME: Action.VIEW}


@login_required
def preview(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """A report in the browser: the same template and data as its PDF."""
    evaluation = get_evaluation_for_team(request, slug)
    return HttpResponse(builder.report_render(kind, evaluation, for_pdf=False))


@login_required
@require_http_methods(["GET", "POST"])
def report_make(request: HttpRequest, slug: str, kind: str, fmt: str = "pdf") -> HttpResponse:
    """POST: have the worker make the PDF (or Word file: `fmt`); GET: how far it is. Never
    renders here.

    htmx gets the status fragment (it polls while the job is pending); a plain browser
    gets a page around the same fragment (after a POST, by redirect).
    """
    evaluation = get_evaluation_for_team(request, slug)
    if request.method == "POST":
        job = report_request(evaluation=evaluation, kind=kind, format=fmt)
    else:
        job = report_latest(evaluation=evaluation, kind=kind, format=fmt)
    if request.method == "POST" and not request.htmx:
        return redirect(_make_url_name(kind, fmt), slug=slug)
    template = "reports/_render_status.html" if request.htmx else "reports/render_page.html"
    return render(request, template, _render_status(evaluation, kind, job, fmt))


def _make_url_name(kind: str, fmt: str) -> str:
    return f"reports:{kind}" if fmt == "pdf" else f"reports:{kind}_{fmt}"


def _render_status(evaluation, kind: str, job, fmt: str = "pdf", version=None) -> dict:
    """The render-status fragment's context; `version` is the report's current version
    (rendering.report_version) when the caller has it already."""
    return {
        "evaluation": evaluation,
        "kind": kind,
        "job": job,
        "outdated": _outdated(evaluation, job, version),
        "fmt": fmt,
        "label": REPORT_LABELS[kind],
        "format_label": FORMAT_LABELS[fmt],
        "make_url": reverse(_make_url_name(kind, fmt), args=[evaluation.slug]),
        "download_url_name": "reports:download" if fmt == "pdf" else f"reports:download_{fmt}",
    }


@login_required
def report_download(request: HttpRequest, slug: str, pk: int, fmt: str = "pdf") -> HttpResponse:
    """A finished PDF (or Word file: `fmt`) as it was stored: no rendering, so it is as cheap
    as a static file. Whoever may see the evaluation may download both (Action.VIEW)."""
    evaluation = get_evaluation_for_team(request, slug)
    job = get_object_or_404(
        RenderedReport.objects.exclude(kind__in=printables.PRIVATE),
        pk=pk,
        evaluation=evaluation,
        format=fmt,
        status=RenderedReport.Status.DONE,
    )
    filename = FILENAMES[job.kind].format(slug=slugify(evaluation.slug), ext=fmt)
    return _download(bytes(job.content), CONTENT_TYPES[fmt], filename)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _outdated(evaluation, job, version=None) -> bool:
    if job is None or job.status != RenderedReport.Status.DONE or job.kind in printables.PRIVATE:
        return False
    if version is None:
        version = report_version(evaluation=evaluation, kind=job.kind)
    return report_outdated(job, version=version)


def printable_status(evaluation, kind: str, job) -> dict:
    """The render-status fragment's context for a printable (same fragment as the reports)."""
    context = {
        "evaluation": evaluation,
        "kind": kind,
        "job": job,
        "outdated": _outdated(evaluation, job),
        "label": PRINTABLE_LABELS[kind],
        "make_url": reverse(f"reports:{kind}", args=[evaluation.slug]),
    }
    if kind in printables.PRIVATE:
        context["download_url_name"] = "reports:cards_download"
    return context


@login_required
@require_http_methods(["GET", "POST"])
def printable_make(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """POST: have the worker make a printable; GET: how far it is. Never renders here.

    The cards need the app's address for their links: the address this request came in on,
    which is the one the facilitator's room uses.
    """
    evaluation = get_evaluation_for_team(request, slug, PRINTABLE_ACTIONS[kind])
    if request.method == "POST":
        if kind == printables.CARDS:
            claims_for_cards(evaluation=evaluation)
        job = report_request(
            evaluation=evaluation, kind=kind, site_url=request.build_absolute_uri("/")
        )
        if not request.htmx:
            return redirect(f"reports:{kind}", slug=slug)
    else:
        job = report_latest(evaluation=evaluation, kind=kind)
    template = "reports/_render_status.html" if request.htmx else "reports/render_page.html"
    return render(request, template, printable_status(evaluation, kind, job))


@login_required
def cards_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The participant cards, once: the PDF is wiped as it is handed out (it carries live
    personal links). Asked again, the facilitator is sent to make new ones."""
    evaluation = get_evaluation_for_team(request, slug, Action.CARDS)
    pdf = printable_take(evaluation=evaluation, pk=pk)
    if pdf is None:
        messages.info(
            request,
            _(
                "Deze deelnemerskaarten zijn al gedownload of verlopen en daarom gewist. "
                "Maak ze opnieuw."
            ),
        )
        return redirect("reports:deelnemerskaarten", slug=slug)
    filename = FILENAMES[printables.CARDS].format(slug=slugify(evaluation.slug), ext="pdf")
    return _download(pdf, "application/pdf", filename)


@login_required
def export(request: HttpRequest, slug: str) -> HttpResponse:
    """The raw data in the format chosen; pseudonyms unless the analyst asks for names."""
    evaluation = get_evaluation_for_team(request, slug, Action.EXPORT)
    may_name = Action.EXPORT_NAMES in evaluation.allowed
    # Without a choice: the safe default, a spreadsheet with pseudonyms.
    data = request.GET if "format" in request.GET else {"format": "xlsx"}
    form = ExportForm(data, evaluation=evaluation, may_name=may_name)
    if not form.is_valid():
        return render(
            request,
            "reports/workspace.html",
            _workspace_context(evaluation, form),
            status=400,
        )
    key = form.cleaned_data["format"]
    chosen = EXPORTS[key]
    names = form.cleaned_data["names"]
    content = chosen.make(evaluation, pseudonymise=not names)
    return _download(
        content, chosen.content_type, chosen.download_name(evaluation.slug, names=names)
    )


@login_required
@require_POST
def session_notes(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, Action.NOTES)
    session = get_object_or_404(ReconstructionSession, pk=pk, evaluation=evaluation)
    form = SessionNotesForm(request.POST, instance=session)
    if form.is_valid():
        form.save()
        messages.success(request, _("De notities zijn opgeslagen."))
    else:
        # The session page shows no form errors: the message names the field and the problem.
        problems = " ".join(e for errors in form.errors.values() for e in errors)
        messages.error(request, _("De notities zijn niet opgeslagen.") + " " + problems)
    return redirect("sessions:session", slug=slug, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def wall(request: HttpRequest, slug: str) -> HttpResponse:
    """The slotdialoog in the report workspace: every contribution of the room, which ones
    the report uses already, and (for the analyst) taking one into the report as edited."""
    evaluation = get_evaluation_for_team(request, slug)
    can_write = Action.WRITE in evaluation.allowed
    error, status, failed = "", 200, {}
    if request.method == "POST":
        if not can_write:
            raise Http404
        if "decision" in request.POST:
            return _source_decision(request, evaluation)
        raw = request.POST.get("contribution", "")
        text = request.POST.get("text", "")
        try:
            if not raw.isdigit():
                raise ValidationError(_("Kies een bijdrage."))
            contribution_take(
                evaluation=evaluation,
                contribution_id=int(raw),
                target=request.POST.get("target", ""),
                text=text,
            )
        except Contribution.DoesNotExist as exc:
            raise Http404 from exc
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 400
            failed = {"pk": int(raw) if raw.isdigit() else None, "text": text}
        else:
            messages.success(request, _("Overgenomen in het rapport."))
            return redirect(reverse("reports:wall", args=[slug]) + f"#bijdrage-{raw}")
    context = curation_context(evaluation)
    context.update(
        source_changes=source_changes(evaluation) if can_write else [],
        evaluation=evaluation,
        can_write=can_write,
        error=error,
        failed=failed,
        markup_help=MARKUP_HELP,
    )
    return render(request, "reports/wall.html", context, status=status)


def _source_decision(request: HttpRequest, evaluation) -> HttpResponse:
    """The analyst's answer to a changed or withdrawn source (reports.wall.source_decide);
    back to the workspace or the wall, where the question was asked."""
    pk = request.POST.get("item", "")
    back = (
        reverse("reports:workspace", args=[evaluation.slug]) + "#bronnen"
        if request.POST.get("back") == "opzet"
        else reverse("reports:wall", args=[evaluation.slug]) + "#bronnen"
    )
    try:
        if not pk.isdigit():
            raise LookupError(pk)
        source_decide(
            evaluation=evaluation,
            kind=request.POST.get("kind", ""),
            pk=int(pk),
            decision=request.POST.get("decision", ""),
        )
    except LookupError as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Gekozen; het rapport is bijgewerkt."))
    return redirect(back)


@login_required
def outline_file(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """The report's outline as a Markdown file (reports.outline_file), to edit and read back."""
    evaluation = get_evaluation_for_team(request, slug)
    if kind not in ReportKind.values:
        raise Http404
    outline = outline_for(evaluation, kind)
    content = outline_markdown(outline).encode("utf-8")
    return _download(content, "text/markdown; charset=utf-8", outline_filename(outline))


@login_required
@require_POST
def outline_upload(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """Read a Markdown or Word file for the outline; on success, show what would change."""
    evaluation = get_evaluation_for_team(request, slug, Action.WRITE)
    if kind not in ReportKind.values:
        raise Http404
    outline = outline_for(evaluation, kind)
    form = OutlineFileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["bestand"]
        try:
            # Never more than the largest allowed file in memory; file_read refuses a larger one.
            data = upload.read(MAX_DOCX_BYTES + 1)
            draft, _plan = outline_import_stage(
                outline=outline, data=data, filename=upload.name or "", user=request.user
            )
        except OutlineFileError as error:
            form.add_error("bestand", error)
        else:
            return redirect("reports:outline_import", slug=slug, pk=draft.pk)
    messages.error(
        request, _("Niet ingelezen, er is niets veranderd: zie de melding bij het bestand.")
    )
    context = _workspace_context(evaluation, _export_form(evaluation), kind, file_form=form)
    return render(request, "reports/workspace.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def outline_import(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """What a read file would change in the outline; POST 'bevestigen' applies it, all or
    nothing, POST 'annuleren' forgets the file."""
    evaluation = get_evaluation_for_team(request, slug, Action.WRITE)
    draft = get_object_or_404(
        OutlineImport.objects.select_related("outline"), pk=pk, outline__evaluation=evaluation
    )
    kind = draft.outline.kind
    if request.method == "POST" and "annuleren" in request.POST:
        draft.delete()
        messages.success(request, _("Het bestand is niet ingelezen; de opzet is ongewijzigd."))
        return _back(slug, kind)
    error = ""
    if request.method == "POST":
        try:
            count = outline_import_confirm(draft=draft, seen=request.POST.get("opzet", ""))
        except OutlineFileError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "De opzet is vervangen door die uit het bestand: %(count)s blok.",
                    "De opzet is vervangen door die uit het bestand: %(count)s blokken.",
                    count,
                )
                % {"count": count},
            )
            return _back(slug, kind)
    try:
        plan, changes, fingerprint = outline_import_preview(draft)
    except OutlineFileError as refused:
        # Read once already; only a change elsewhere (a figure part no longer allowed) ends here.
        draft.delete()
        messages.error(request, " ".join(refused.messages))
        return _back(slug, kind)
    return render(
        request,
        "reports/outline_import.html",
        {
            "evaluation": evaluation,
            "draft": draft,
            "kind": kind,
            "kind_label": ReportKind(kind).label,
            "notes": plan.notes,
            "changes": changes,
            "added": sum(c.op == "+" for c in changes),
            "removed": sum(c.op == "-" for c in changes),
            "fingerprint": fingerprint,
            "error": error,
        },
        status=400 if error else 200,
    )
