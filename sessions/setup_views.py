"""Setting up an evaluation in the app: settings, key moments, participants, sessions, team.

Small views that only translate HTTP: the rules live in sessions.services and the forms.
Every view here is for the evaluation's facilitators (and superusers) only.
"""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from . import participant_import, services
from .access import FACILITATORS, get_evaluation_for_team, login_required
from .forms import (
    EvaluationCreateForm,
    EvaluationForm,
    KeyMomentForm,
    KeyMomentsPasteForm,
    ParticipantForm,
    ParticipantsUploadForm,
    TeamInviteForm,
    TimerForm,
)
from .models import Claim, EvaluationMember, KeyMoment, Participant, ReconstructionSession
from .permissions import Action, may_create_evaluation


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request: HttpRequest) -> HttpResponse:
    """A new evaluation; its creator becomes its facilitator."""
    if not may_create_evaluation(request.user):
        raise PermissionDenied
    form = EvaluationCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("De evaluatie is aangemaakt. Voeg nu sleutelmomenten en deelnemers toe."),
            )
            return redirect("sessions:key_moments", slug=evaluation.slug)
    return render(request, "setup/evaluation_create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_settings(request: HttpRequest, slug: str) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, FACILITATORS)
    form = EvaluationForm(request.POST if request.method == "POST" else None, instance=evaluation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("De instellingen zijn opgeslagen."))
        return redirect("sessions:settings", slug=evaluation.slug)
    return render(request, "setup/settings.html", {"evaluation": evaluation, "form": form})


@login_required
@require_POST
def join_code_regenerate(request: HttpRequest, slug: str) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, FACILITATORS)
    try:
        code = services.evaluation_join_code_regenerate(evaluation=evaluation)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("De nieuwe deelnamecode is %(code)s. De oude code werkt niet meer.") % {"code": code},
        )
    return redirect("sessions:settings", slug=slug)


# --- Key moments ------------------------------------------------------------------------


def _get_key_moment(evaluation, pk: int) -> KeyMoment:
    return get_object_or_404(KeyMoment, pk=pk, evaluation=evaluation)


@login_required
@require_http_methods(["GET", "POST"])
def key_moments(request: HttpRequest, slug: str) -> HttpResponse:
    """All key moments in order, with a form to add several at once."""
    evaluation = get_evaluation_for_team(request, slug, FACILITATORS)
    form = KeyMomentsPasteForm(
        request.POST if request.method == "POST" else None, evaluation=evaluation
    )
    if request.method == "POST" and form.is_valid():
        added = [
            services.key_moment_add(evaluation=evaluation, key_moment=moment)
            for moment in form.cleaned_data["lines"]
        ]
        messages.success(
            request,
            ngettext(
                "%(n)s sleutelmoment toegevoegd.", "%(n)s sleutelmomenten toegevoegd.", len(added)
            )
            % {"n": len(added)},
        )
        return redirect("sessions:key_moments", slug=slug)
    moments = evaluation.key_moments.all().prefetch_related("sessions")
    return render(
        request,
        "setup/key_moments.html",
        {"evaluation": evaluation, "form": form, "moments": moments},
    )


@login_required
@require_http_methods(["GET", "POST"])
def key_moment_create(request: HttpRequest, slug: str) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, FACILITATORS)
    form = KeyMomentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        key_moment = services.key_moment_add(
            evaluation=evaluation, key_moment=form.save(commit=False)
        )
        messages.success(request, _("Sleutelmoment toegevoegd: %(title)s") % {"title": key_moment})
        return redirect("sessions:key_moments", slug=slug)
    return render(request, "console/key_moment_form.html", {"evaluation": evaluation, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def key_moment_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, FACILITATORS)
    key_moment = _get_key_moment(evaluation, pk)
    form = KeyMomentForm(request.POST if request.method == "POST" else None, instance=key_moment)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Sleutelmoment opgeslagen: %(title)s") % {"title": key_moment})
        return redirect("sessions:key_moments", slug=slug)
    return render(
        request,
        "console/key_moment_form.html",
        {"evaluation": evaluation, "form": form, "key_moment": key_moment},
    )


@login_required
@require_POST
def key_moment_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, FACILITATORS)
    key_moment = _get_key_moment(evaluation, pk)
    direction = request.POST.get("richting")
    if direction not in ("omhoog", "omlaag"):
        messages.error(request, _("Kies omhoog of omlaag."))
    else:
        services.key_moment_move(key_moment=key_moment, offset=-1 if direction == "omhoog" else 1)
    return redirect("sessions:key_moments", slug=slug)


@login_required
@require_POST
def key_moment_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, FACILITATORS)
    key_moment = _get_key_moment(evaluation, pk)
    try:
        services.key_moment_delete(key_moment=key_moment)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("Sleutelmoment verwijderd: %(title)s") % {"title": key_moment.title}
        )
    return redirect("sessions:key_moments", slug=slug)


# --- Participants -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def participant_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, FACILITATORS)
    participant = get_object_or_404(Participant, pk=pk, evaluation=evaluation)
    form = ParticipantForm(
        request.POST if request.method == "POST" else None,
        instance=participant,
        evaluation=evaluation,
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("%(name)s is opgeslagen.") % {"name": participant.name})
        return redirect("sessions:participants", slug=slug)
    return render(
        request,
        "setup/participant_form.html",
        {
            "evaluation": evaluation,
            "form": form,
            "participant": participant,
            "has_scored": participant.allocations.exists(),
            "claimed_at": Claim.objects.filter(participant=participant)
            .values_list("created_at", flat=True)
            .first(),
        },
    )


@login_required
@require_POST
def participant_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, FACILITATORS)
    participant = get_object_or_404(Participant, pk=pk, evaluation=evaluation)
    try:
        services.participant_remove(participant=participant)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("sessions:participant_edit", slug=slug, pk=pk)
    messages.success(request, _("%(name)s is verwijderd.") % {"name": participant.name})
    return redirect("sessions:participants", slug=slug)


# --- Sessions ---------------------------------------------------------------------------


@login_required
@require_POST
def session_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, FACILITATORS)
    session = get_object_or_404(ReconstructionSession, pk=pk, evaluation=evaluation)
    try:
        services.session_delete(session=session)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("sessions:session", slug=slug, pk=pk)
    messages.success(request, _("De sessie is verwijderd."))
    return redirect("sessions:console", slug=slug)


# --- The team ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, slug: str) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, Action.TEAM)
    form = TeamInviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.team_member_invite(
                evaluation=evaluation,
                identifier=form.cleaned_data["who"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            form.add_error("who", error)
        else:
            messages.success(
                request,
                _("%(user)s is toegevoegd als %(role)s.")
                % {"user": member.user.get_username(), "role": member.get_role_display()},
            )
            return redirect("sessions:team", slug=slug)
    members = evaluation.members.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "setup/team.html",
        {"evaluation": evaluation, "form": form, "members": members},
    )


@login_required
@require_POST
def team_member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, Action.TEAM)
    member = get_object_or_404(EvaluationMember, pk=pk, evaluation=evaluation)
    try:
        services.team_member_remove(member=member)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("sessions:team", slug=slug)
    messages.success(
        request, _("%(user)s hoort niet meer bij het team.") % {"user": member.user.get_username()}
    )
    if member.user_id == request.user.id and not request.user.is_superuser:
        return redirect("home")  # they just left the team: its pages are closed to them now
    return redirect("sessions:team", slug=slug)


# --- Participant lists from a spreadsheet ----------------------------------------------

UPLOAD_SALT = "deelnemerslijst"
UPLOAD_MAX_AGE = 60 * 60  # a preview older than an hour is read again


@login_required
@require_POST
def participants_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a CSV/XLSX: first a preview (nothing saved), then 'Opslaan' saves all or nothing.

    The preview carries the checked rows in a signed field, so the second step needs no
    server-side state and cannot be tampered with; the rows are checked again on saving
    (someone may have added a participant in between).
    """
    evaluation = get_evaluation_for_team(request, slug, FACILITATORS)
    errors: list[str] = []
    rows: list[participant_import.Row] = []
    if "payload" in request.POST:
        try:
            raw = signing.loads(
                request.POST["payload"],
                salt=f"{UPLOAD_SALT}:{evaluation.pk}",
                max_age=UPLOAD_MAX_AGE,
            )
            rows = [participant_import.Row(*item) for item in raw]
        except (signing.BadSignature, TypeError, ValueError):
            errors = [_("De voorvertoning is verlopen of beschadigd. Upload het bestand opnieuw.")]
    else:
        form = ParticipantsUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = form.errors.get("file", [])
        else:
            try:
                rows = participant_import.rows_from_file(form.cleaned_data["file"])
            except participant_import.ImportError_ as error:
                errors = [str(error)]
    people = []
    if not errors:
        people, errors = participant_import.participant_rows_check(evaluation, rows)
        if not people and not errors:
            errors = [_("Het bestand bevat geen deelnemers.")]
    if errors:
        return render(
            request,
            "setup/participants_upload.html",
            {"evaluation": evaluation, "errors": errors},
            status=200,
        )
    if "payload" in request.POST and request.POST.get("confirm") == "1":
        with transaction.atomic():
            added = Participant.objects.bulk_create(people)
        messages.success(
            request,
            ngettext("%(n)s deelnemer toegevoegd.", "%(n)s deelnemers toegevoegd.", len(added))
            % {"n": len(added)},
        )
        return redirect("sessions:participants", slug=slug)
    payload = signing.dumps(
        [[r.number, r.name, r.organisation, r.role_word] for r in rows],
        salt=f"{UPLOAD_SALT}:{evaluation.pk}",
        compress=True,
    )
    return render(
        request,
        "setup/participants_upload.html",
        {"evaluation": evaluation, "people": people, "payload": payload},
    )


# --- The round timer --------------------------------------------------------------------


@login_required
@require_POST
def session_timer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Start or stop the round timer of a session; back to the session page."""
    evaluation = get_evaluation_for_team(request, slug, FACILITATORS)
    session = get_object_or_404(ReconstructionSession, pk=pk, evaluation=evaluation)
    if request.POST.get("action") == "stop":
        services.session_timer_stop(session=session)
        messages.success(request, _("De klok is gestopt."))
    else:
        form = TimerForm(request.POST)
        if form.is_valid():
            try:
                services.session_timer_start(
                    session=session,
                    kind=form.cleaned_data["kind"],
                    minutes=form.cleaned_data["minutes"],
                )
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(
                    request,
                    ngettext(
                        "De klok loopt: %(minutes)s minuut.",
                        "De klok loopt: %(minutes)s minuten.",
                        form.cleaned_data["minutes"],
                    )
                    % {"minutes": form.cleaned_data["minutes"]},
                )
        else:
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("sessions:session", slug=slug, pk=pk)
