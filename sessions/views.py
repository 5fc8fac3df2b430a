import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Max, Prefetch, Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from evaluatiespiegel.errors import error_page
from evaluatiespiegel.query import query_param
from scoring.charts import (
    difference_figure,
    lifecycle_figure,
    radial_max,
    round_scale,
    spider_figure,
    with_agreement,
)
from scoring.forms import ConfirmForm
from scoring.history import session_history
from scoring.insights import AGREEMENT_VERDICTS, insight_for, insights_by, method_links
from scoring.insights import rule as insight_rule
from scoring.models import Allocation, AllocationChange, counted_allocations
from scoring.services import (
    Series,
    aggregate_grouped,
    empty_aggregate,
    live_version,
    min_group_size,
    session_aggregate,
    session_state_set,
)

from . import live as room
from . import participant_views
from .access import FACILITATORS, get_evaluation_for_team, login_required, polled
from .forms import ParticipantsPasteForm, ParticipantsUploadForm, SessionForm, TimerForm
from .models import (
    Evaluation,
    Participant,
    ProjectorLink,
    ReconstructionSession,
    Role,
    SessionState,
)
from .permissions import Action, may_create_evaluation
from .services import (
    claim_release,
    participant_anonymise,
    projector_link_set,
    registrations_remove_unused,
)
from .throttle import join_link_key
from .wall import ROUND, WALL, live_screen, projector_link_shows


def home(request: HttpRequest) -> HttpResponse:
    """Participants land on the join page; the team on their evaluations."""
    if not request.user.is_authenticated:
        return participant_views.join(request)
    evaluations = (
        Evaluation.objects.for_user(request.user)
        .with_participation()
        .annotate(session_count=Count("sessions", distinct=True))
    )
    return render(
        request,
        "sessions/home.html",
        {"evaluations": evaluations, "can_create": may_create_evaluation(request.user)},
    )


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: the app answers. Touches no database."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug)
    key_moments = evaluation.key_moments.annotate(session_count=Count("sessions"))
    sessions = (
        evaluation.sessions.select_related("key_moment")
        .annotate(
            allocation_count=counted_allocations(session="pk"),
            group_size=Count("participants", distinct=True),
        )
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.in_list_order()))
    )
    days: dict[int, list] = {}
    for session in sessions:
        days.setdefault(session.day, []).append(session)
    participation = evaluation.participation()
    participants_by_role = [
        (role.plural, evaluation.participants.filter(role=role).order_by("name")) for role in Role
    ]
    context = {
        "evaluation": evaluation,
        "key_moments": key_moments,
        "days": sorted(days.items()),
        "participants_by_role": participants_by_role,
        "participation": participation,
        "role_counts": participation.role_counts(),
        "allocation_count": Allocation.objects.counted()
        .filter(session__evaluation=evaluation)
        .count(),
        "member_role": evaluation.member_role(request.user),
    }
    return render(request, "sessions/overview.html", context)


# --- The facilitator's console ---------------------------------------------------------


def _get_session(evaluation: Evaluation, pk: int) -> ReconstructionSession:
    return get_object_or_404(
        ReconstructionSession.objects.select_related("key_moment", "evaluation"),
        pk=pk,
        evaluation=evaluation,
    )


def _console_version(evaluation: Evaluation) -> str:
    """Changes when a session is added, removed or changed, or a score comes in."""
    sessions = evaluation.sessions.aggregate(v=Sum("state_version"), n=Count("pk"), m=Max("pk"))
    changes = AllocationChange.objects.filter(session__evaluation=evaluation).count()
    # What the projector link shows (the console says it): a prompt opened or closed too.
    screen = live_screen(evaluation.pk) or "-"
    return f"{sessions['n']}.{sessions['m'] or 0}.{sessions['v'] or 0}.{changes}.{screen}"


def _projector_version(session: ReconstructionSession) -> str:
    """The session's live version, plus what the projector shows of its evaluation."""
    evaluation = session.evaluation
    return f"{live_version(session)}.{evaluation.join_code}.{evaluation.min_group_size}"


def _console_context(evaluation: Evaluation) -> dict:
    sessions = evaluation.sessions.select_related("key_moment").annotate(
        allocation_count=counted_allocations(session="pk"),
        group_size=Count("participants", distinct=True),
    )
    days: dict[int, list] = {}
    for session in sessions:
        days.setdefault(session.day, []).append(session)
    return {
        "evaluation": evaluation,
        "days": sorted(days.items()),
        "version": _console_version(evaluation),
    }


@login_required
def console(request: HttpRequest, slug: str) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug)
    context = _console_context(evaluation)
    context["can_run"] = _can_run(request, evaluation)
    if context["can_run"]:
        link = evaluation.projector_links.active().first()
        context["projector_shows"] = projector_link_shows(link) if link else ""
        context["projector_link"] = (
            request.build_absolute_uri(reverse("projector_link", args=[link.token]))
            if link
            else None
        )
        # One screen per group when rounds run side by side: a link per open round.
        context["projector_session_links"] = (
            [
                (
                    s,
                    request.build_absolute_uri(
                        reverse("projector_link_session", args=[link.token, s.pk])
                    ),
                )
                for s in evaluation.sessions.filter(state=SessionState.OPEN)
                .select_related("key_moment")
                .order_by("day", "slot", "room")
            ]
            if link
            else []
        )
    return render(request, "console/console.html", context)


@polled(at_keyboard=True)
def console_live(request: HttpRequest, slug: str) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug)
    if request.GET.get("v") == _console_version(evaluation):
        return HttpResponse(status=204)
    context = _console_context(evaluation)
    context["can_run"] = _can_run(request, evaluation)
    if context["can_run"]:
        link = evaluation.projector_links.active().first()
        if link:  # the line in the projector link's card follows (out of band)
            context["projector_shows"] = projector_link_shows(link)
            context["projector_shows_oob"] = True
    return render(request, "console/_sessions.html", context)


def _can_run(request: HttpRequest, evaluation: Evaluation) -> bool:
    """Whether this user runs the room here (the role table in sessions.permissions)."""
    return Action.RUN in evaluation.allowed


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, Action.RUN)
    session = _get_session(evaluation, pk) if pk else None
    form = SessionForm(
        request.POST if request.method == "POST" else None, instance=session, evaluation=evaluation
    )
    if request.method == "POST" and form.is_valid():
        session = form.save()
        messages.success(request, _("De sessie is opgeslagen."))
        return redirect("sessions:session", slug=evaluation.slug, pk=session.pk)
    history = form.participant_history()
    group_field = form["participants"]
    choices = [
        (widget, history.get(widget.data["value"].value, [])) for widget in group_field.subwidgets
    ]
    return render(
        request,
        "console/session_form.html",
        {
            "evaluation": evaluation,
            "form": form,
            "session": session,
            "group_choices": choices,
            "can_delete": session is not None and not session.allocations.exists(),
        },
    )


def scored_text(submitted: int, group_size: int) -> str:
    """'1 van 7 deelnemers heeft gescoord': the verb agrees with the number who scored."""
    return ngettext(
        "%(n)s van %(total)s deelnemers heeft gescoord",
        "%(n)s van %(total)s deelnemers hebben gescoord",
        submitted,
    ) % {"n": submitted, "total": group_size}


def _session_live_context(session: ReconstructionSession) -> dict:
    group = list(session.participants.order_by("name"))
    submitted = set(
        Allocation.objects.counted()
        .filter(session=session)
        .values_list("participant_id", flat=True)
    )
    return {
        "session": session,
        "submitted": [p for p in group if p.pk in submitted],
        "waiting_for": [p for p in group if p.pk not in submitted],
        "group_size": len(group),
        "scored_text": scored_text(len(submitted & {p.pk for p in group}), len(group)),
        "version": live_version(session),
        "history": session_history(session),
        "history_named": session.evaluation.team_sees_names,
    }


@login_required
def session_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug)
    session = _get_session(evaluation, pk)
    context = _session_live_context(session)
    context.update(
        evaluation=evaluation,
        can_run=_can_run(request, evaluation),
        timer_form=TimerForm(),
    )
    return render(request, "console/session.html", context)


@polled(at_keyboard=True)
def session_live(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug)
    session = _get_session(evaluation, pk)
    if request.GET.get("v") == live_version(session):
        return HttpResponse(status=204)
    context = _session_live_context(session)
    context.update(evaluation=evaluation, can_run=_can_run(request, evaluation))
    return render(request, "console/_session_live.html", context)


STATE_ACTIONS = {
    "open": {"state": SessionState.OPEN},
    "close": {"state": SessionState.GESLOTEN},
    "reveal": {"revealed": True},
    # Revealing leaves an open round open (people can still change points, the chart moves):
    # the console offers closing and showing in one step.
    "close_reveal": {"state": SessionState.GESLOTEN, "revealed": True},
    "hide": {"revealed": False},
    "live_on": {"live_results": True},
    "live_off": {"live_results": False},
}


@login_required
@require_POST
def session_state(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, Action.RUN)
    session = _get_session(evaluation, pk)
    action = request.POST.get("action", "")
    if action not in STATE_ACTIONS:
        return HttpResponseBadRequest(_("Onbekende actie."))
    if action == "open" and session.is_closed:
        # Reopening changes a round that people consider finished: ask first.
        return redirect("sessions:reopen", slug=evaluation.slug, pk=session.pk)
    try:
        session_state_set(session=session, **STATE_ACTIONS[action])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("sessions:session", args=[slug, pk])
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def session_reopen(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, Action.RUN)
    session = _get_session(evaluation, pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        session_state_set(session=session, state=SessionState.OPEN)
        messages.success(
            request, _("De ronde is weer open: deelnemers kunnen hun punten wijzigen.")
        )
        return redirect("sessions:session", slug=slug, pk=pk)
    return render(
        request,
        "console/reopen.html",
        {"evaluation": evaluation, "session": session, "form": form},
    )


# --- The projector ---------------------------------------------------------------------


def _join_context(request: HttpRequest, evaluation: Evaluation) -> dict:
    """The join code's link and its QR code, as the projector shows them."""
    # The key makes the QR link work even where wrong codes throttled the venue.
    join_url = (
        request.build_absolute_uri(reverse("participant:join"))
        + f"?code={evaluation.join_code}&k={join_link_key(evaluation.join_code)}"
    )
    # omitsize: a viewBox instead of a fixed width and height, so CSS can size the code
    # to the screen without clipping it (a clipped code cannot be scanned).
    qr = segno.make(join_url, error="m").svg_inline(
        scale=10, dark="#1d2433", border=2, omitsize=True
    )
    return {"join_url": join_url, "qr": qr, "joinable": True}


def projector_empty_text(aggregate, min_size: int) -> str:
    """The one sentence the projector shows instead of a chart nobody may (or can) see yet."""
    if not aggregate.n:
        return _("Nog geen puntenverdelingen: het spindiagram verschijnt zodra er gescoord is.")
    return ngettext(
        "Te weinig puntenverdelingen om een gemiddelde te tonen: %(n)s ingestuurd, "
        "minstens %(min)s nodig.",
        "Te weinig puntenverdelingen om een gemiddelde te tonen: %(n)s ingestuurd, "
        "minstens %(min)s nodig.",
        aggregate.n,
    ) % {"n": aggregate.n, "min": min_size}


def _projector_context(
    request: HttpRequest, session: ReconstructionSession, poll_url: str = ""
) -> dict:
    evaluation = session.evaluation
    group_size = session.participants.count()
    context = {
        "session": session,
        "evaluation": evaluation,
        "group_size": group_size,
        "version": _projector_version(session),
        "poll_url": poll_url
        or reverse("sessions:projector_live", args=[evaluation.slug, session.pk]),
    }
    aggregate = session_aggregate(session)
    min_size = min_group_size(evaluation)
    context["submitted"] = aggregate.n
    context["scored_text"] = scored_text(aggregate.n, group_size)
    if not (session.is_closed and session.results_visible):
        # People join before the round opens and between rounds, not only while it is open;
        # only a closed round's results take the whole screen.
        context.update(_join_context(request, evaluation))
    context["view"] = query_param(
        request,
        "weergave",
        forms.ChoiceField(choices=[(v, v) for v in AGREEMENT_VIEWS]),
        "gemiddelden",
    )
    context["views"] = AGREEMENT_VIEWS
    if session.results_visible:
        insight = insight_for(
            Allocation.objects.counted().filter(session=session),
            individual=context["view"] == "individueel",
            min_size=min_size,
        )
        figure = spider_figure(aggregate.series, scale=round_scale(aggregate.series))
        if context["view"] == "individueel":
            with_agreement(figure, individual=insight.individual)
        elif context["view"] == "spreiding":
            with_agreement(figure, spread=insight.spread, means=insight.means)
        context.update(
            aggregate=aggregate,
            empty_text=projector_empty_text(aggregate, min_size),
            figure=figure,
            figure_id=f"figure-{session.pk}",
            difference=aggregate.largest_difference,
            insight=insight,
            bars=difference_figure(insight.differences) if insight.differences else None,
            bars_id=f"bars-{session.pk}",
        )
    return context


AGREEMENT_VIEWS = {
    "gemiddelden": _lazy("Gemiddelden"),
    "individueel": _lazy("Alle verdelingen (anoniem)"),
    "spreiding": _lazy("Spreiding per conditie"),
}


@login_required
def projector(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug)
    session = _get_session(evaluation, pk)
    return render(request, "console/projector.html", _projector_context(request, session))


@room.poll_view(room.LOGIN)
def projector_live(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Poll target of the projector: 204 while nothing changed, else the new fragment.

    Nothing new is answered from the room versions alone (sessions/live.py's middleware): the
    login session's grant and the versions of the room and of this session's scores.
    """
    login = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    poll = room.Poll(request, login)
    # The room is watched before membership is checked: a facilitator taken off the team
    # meanwhile is not granted the fast path with a version from after that.
    evaluation_id = Evaluation.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if evaluation_id is not None:
        poll.watch(room.room_key(evaluation_id), room.session_key(pk))
    return _projector_poll(request, slug, pk, poll)


@polled(at_keyboard=False)
def _projector_poll(request: HttpRequest, slug: str, pk: int, poll: room.Poll) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug)
    session = _get_session(evaluation, pk)
    if request.GET.get("v") == _projector_version(session):
        return poll.answer(HttpResponse(status=204))
    return poll.answer(
        render(request, "console/_projector_live.html", _projector_context(request, session))
    )


# --- All key moments at a glance -------------------------------------------------------

ROLE_FILTERS = {"alle": None, "vertellers": Role.VERTELLER, "reflectoren": Role.REFLECTOR}


@login_required
def results(request: HttpRequest, slug: str) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug)
    role_key = query_param(
        request, "rol", forms.ChoiceField(choices=[(k, k) for k in ROLE_FILTERS]), "alle"
    )
    visible = [
        s
        for s in evaluation.sessions.select_related("key_moment").order_by(
            "key_moment__order", "day", "slot", "room"
        )
        if s.results_visible or s.is_closed
    ]
    allocations = Allocation.objects.counted().filter(session__in=visible)
    min_size = min_group_size(evaluation)
    by_session = aggregate_grouped(allocations, "session_id", min_size=min_size)
    by_key_moment = aggregate_grouped(allocations, "session__key_moment_id", min_size=min_size)
    role = ROLE_FILTERS[role_key]

    def pick(aggregate):
        if role is None:
            return aggregate.series
        return [aggregate.vertellers if role == Role.VERTELLER else aggregate.reflectoren]

    empty = empty_aggregate()
    picked = {s.pk: pick(by_session.get(s.pk, empty)) for s in visible}
    scale = radial_max(v for series in picked.values() for one in series for v in one.values)
    multiples = [
        {
            "session": s,
            "figure": spider_figure(picked[s.pk], scale=scale, compact=True),
            "figure_id": f"figure-{s.pk}",
            "n": by_session.get(s.pk, empty).n,
        }
        for s in visible
    ]
    key_moments = [km for km in evaluation.key_moments.all() if km.pk in by_key_moment]
    overlay_series = []
    for km in key_moments:
        aggregate = by_key_moment[km.pk]
        chosen = aggregate.everyone if role is None else pick(aggregate)[0]
        overlay_series.append(
            Series(
                key=f"km{km.order}",
                label=f"{km.order}. {km.title}",
                n=chosen.n,
                means=chosen.means,
                hidden=chosen.hidden,
            )
        )
    overlay = spider_figure(
        overlay_series, scale=radial_max(v for s in overlay_series for v in s.values)
    )
    return render(
        request,
        "console/results.html",
        {
            "evaluation": evaluation,
            "multiples": multiples,
            "overlay": overlay,
            "role_key": role_key,
            "role_filters": ROLE_FILTERS,
        },
    )


# --- Participants and their personal data ---------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def participants(request: HttpRequest, slug: str) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug)
    can_run = _can_run(request, evaluation)
    form = None
    if can_run:
        form = ParticipantsPasteForm(
            request.POST if request.method == "POST" else None, evaluation=evaluation
        )
        if request.method == "POST" and form.is_valid():
            added = Participant.objects.bulk_create(form.cleaned_data["lines"])
            messages.success(
                request,
                ngettext("%(n)s deelnemer toegevoegd.", "%(n)s deelnemers toegevoegd.", len(added))
                % {"n": len(added)},
            )
            return redirect("sessions:participants", slug=slug)
    elif request.method == "POST":
        raise Http404
    people = list(
        evaluation.participants.annotate(
            session_count=Count("sessions", distinct=True),
            allocation_count=counted_allocations(participant="pk"),
            claimed_at=F("claim__created_at"),
            moved_at=F("claim__moved_at"),
        ).in_list_order()
    )
    unused = [p for p in people if p.self_registered and not p.session_count]
    unused = [p for p in unused if not p.allocation_count]
    return render(
        request,
        "console/participants.html",
        {
            "evaluation": evaluation,
            "people": people,
            "can_run": can_run,
            "form": form,
            "self_registered": sum(p.self_registered for p in people),
            "unused_registrations": len(unused),
            "upload_form": ParticipantsUploadForm(),
        },
    )


@login_required
@require_POST
def participant_release_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Free a claimed name: the device that held it loses the link, the name can be picked."""
    evaluation = get_evaluation_for_team(request, slug, Action.RUN)
    participant = get_object_or_404(Participant, pk=pk, evaluation=evaluation)
    if claim_release(participant=participant):
        messages.success(
            request,
            _("De naam %(name)s is vrijgegeven en kan opnieuw gekozen worden.")
            % {"name": participant.name},
        )
    else:
        messages.info(request, _("Deze naam was niet gekozen."))
    if request.POST.get("terug") == "bewerken":
        return redirect("sessions:participant_edit", slug=slug, pk=pk)
    return redirect("sessions:participants", slug=slug)


@login_required
@require_POST
def registrations_remove_unused_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Remove every self-registration that is in no group and has no points, at once."""
    evaluation = get_evaluation_for_team(request, slug, Action.RUN)
    removed = registrations_remove_unused(evaluation=evaluation)
    messages.success(
        request,
        ngettext("%(n)s zelfaanmelding verwijderd.", "%(n)s zelfaanmeldingen verwijderd.", removed)
        % {"n": removed},
    )
    return redirect("sessions:participants", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def participant_anonymise_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug, Action.RUN)
    participant = get_object_or_404(Participant, pk=pk, evaluation=evaluation)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        participant = participant_anonymise(participant=participant)
        messages.success(
            request,
            _("De persoonsgegevens zijn verwijderd. De deelnemer heet nu %(name)s.")
            % {"name": participant.name},
        )
        return redirect("sessions:participants", slug=slug)
    return render(
        request,
        "console/anonymise.html",
        {"evaluation": evaluation, "participant": participant, "form": form},
    )


# --- Insights ---------------------------------------------------------------------------

LIFECYCLE_ROLES = {"alle": None, "vertellers": "verteller", "reflectoren": "reflector"}


@login_required
def insights(request: HttpRequest, slug: str) -> HttpResponse:
    """What the scores reveal, over all sessions: balance, roles, agreement, lifecycle."""
    evaluation = get_evaluation_for_team(request, slug)
    allocations = Allocation.objects.counted().filter(session__evaluation=evaluation)
    min_size = min_group_size(evaluation)
    overall = insight_for(allocations, min_size=min_size)
    sessions = {s.pk: s for s in evaluation.sessions.select_related("key_moment")}
    per_session = insights_by(allocations, "session_id", min_size=min_size)
    ranking = sorted(
        ((sessions[pk], insight) for pk, insight in per_session.items() if insight.n),
        key=lambda item: item[1].distance,
    )
    key_moments = list(evaluation.key_moments.all())
    per_key_moment = insights_by(allocations, "session__key_moment_id", min_size=min_size)
    role_key = query_param(
        request, "rol", forms.ChoiceField(choices=[(k, k) for k in LIFECYCLE_ROLES]), "alle"
    )
    return render(
        request,
        "insights/insights.html",
        {
            "evaluation": evaluation,
            "insight": overall,
            "participation": evaluation.participation(),
            "ranking": ranking,
            "key_moments": [(km, per_key_moment.get(km.pk)) for km in key_moments],
            "bars": difference_figure(overall.differences) if overall.differences else None,
            "lifecycle": lifecycle_figure(
                key_moments, per_key_moment, role=LIFECYCLE_ROLES[role_key]
            ),
            "role_key": role_key,
            "rule": insight_rule(),
            "agreement_words": AGREEMENT_VERDICTS,
            "links": method_links(evaluation),
        },
    )


# --- The projector's own link (no team login on the venue's PC) -------------------------


@login_required
@require_POST
def projector_link_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """Make a new projector link (the old one stops working) or revoke it."""
    evaluation = get_evaluation_for_team(request, slug, FACILITATORS)
    action = request.POST.get("action", "")
    if action not in {"create", "revoke"}:
        return HttpResponseBadRequest(_("Onbekende actie."))
    projector_link_set(evaluation=evaluation, active=action == "create", by=request.user)
    if action == "create":
        messages.success(request, _("De projectorlink is klaar: open hem op de pc in de zaal."))
    else:
        messages.success(request, _("De projectorlink is ingetrokken."))
    return redirect("sessions:console", slug=slug)


def _linked_session(link: ProjectorLink, pk: int | None) -> ReconstructionSession | None:
    if pk is None:
        return link.current_session()
    return get_object_or_404(
        ReconstructionSession.objects.select_related("key_moment", "evaluation"),
        pk=pk,
        evaluation_id=link.evaluation_id,
    )


def _linked_context(
    request: HttpRequest, link: ProjectorLink, pk: int | None, session=None
) -> dict | None:
    session = session or _linked_session(link, pk)
    args = [link.token] + ([pk] if pk is not None else [])
    poll_url = reverse(
        "projector_link_live" if pk is None else "projector_link_session_live", args=args
    )
    if session is None:
        return {
            "evaluation": link.evaluation,
            "poll_url": poll_url,
            "version": f"{ROUND}:leeg.{link.evaluation.join_code}",
            **_join_context(request, link.evaluation),
        }
    context = _projector_context(request, session, poll_url=poll_url)
    others = []
    if pk is None:
        # Parallel groups: the link follows one open round; the screen says which, and
        # offers a link of its own for each other open round (one screen per group).
        others = [
            (s, reverse("projector_link_session", args=[link.token, s.pk]))
            for s in link.evaluation.sessions.filter(state=SessionState.OPEN)
            .exclude(pk=session.pk)
            .order_by("day", "slot", "room")
        ]
    context["other_open"] = others
    # Following the room: another round on this link is another picture.
    open_ids = ".".join(str(s.pk) for s, _url in others)
    context["version"] = f"{ROUND}:{session.pk}-{open_ids}-{context['version']}"
    return context


def _link(token: str) -> ProjectorLink:
    return get_object_or_404(ProjectorLink.objects.select_related("evaluation"), token=token)


def _revoked(request: HttpRequest, status: int) -> HttpResponse:
    """A revoked projector link: a page that says so (410), or for a poll the fragment that
    replaces the screen and stops polling (286)."""
    if status >= 400:
        return error_page(
            request,
            status,
            title=_("Projectorlink ingetrokken"),
            explanation=_("Deze projectorlink is ingetrokken; vraag de facilitator om een nieuwe."),
        )
    return render(request, "console/_projector_revoked.html", status=status)


def _linked_wall_context(request: HttpRequest, link: ProjectorLink) -> dict:
    """The wall as the evaluation's projector link shows it, polling the link's own URL.

    Its version starts with WALL and the round's with ROUND (_linked_context): the link's
    poll sees from `v` alone which screen the page holds and reloads it when live_screen
    says the other one."""
    from .wall_views import _projector_context as wall_context  # wall_views imports us

    poll_url = reverse("projector_link_live", args=[link.token])
    context = wall_context(request, link.evaluation, poll_url)
    context["version"] = f"{WALL}:{context['version']}"
    context["linked"] = True
    return context


@participant_views.private  # the link's secret is in the URL: never in a shared cache
@require_http_methods(["GET", "HEAD"])
def projector_linked(request: HttpRequest, token: str, pk: int | None = None) -> HttpResponse:
    """The projector through its own read-only link: no login, nothing but the projector.

    The evaluation's link (no `pk`) shows what live_screen says, at its own URL: an open
    round, else the wall while a prompt is open, else the last closed round."""
    link = _link(token)
    if link.revoked_at:
        return _revoked(request, 410)
    if pk is None and live_screen(link.evaluation_id) == WALL:
        return render(request, "console/wall_projector.html", _linked_wall_context(request, link))
    context = _linked_context(request, link, pk)
    context["linked"] = True
    return render(request, "console/projector.html", context)


@room.poll_view(room.TOKEN)
@participant_views.private  # the link's secret is in the URL: never in a shared cache
@require_http_methods(["GET", "HEAD"])
def projector_linked_live(request: HttpRequest, token: str, pk: int | None = None) -> HttpResponse:
    """Poll target of the linked projector: 204 while unchanged; 286 once revoked.

    Nothing new is answered from the room versions alone (sessions/live.py); revoking the
    link bumps the link's own version, so the next poll reads the database and stops. Every
    input of live_screen (a round's or a prompt's state) bumps the room key, which the poll
    watches; when the screen the page holds (the prefix of its `v`) is not the one
    live_screen says, the page reloads at the same URL and shows the other one.
    """
    poll = room.Poll(request, token)
    link = _link(token)
    if link.revoked_at:
        # 286: htmx swaps this in and stops polling; the screen says the link was revoked.
        return _revoked(request, 286)
    poll.watch(room.room_key(link.evaluation_id))
    seen = request.GET.get("v", "")
    if pk is None and live_screen(link.evaluation_id) == WALL:
        poll.watch(room.wall_key(link.evaluation_id))  # cards and stippen on the wall
        if seen and not seen.startswith(f"{WALL}:"):
            return HttpResponseClientRefresh()
        context = _linked_wall_context(request, link)
        if seen == context["version"]:
            return poll.answer(HttpResponse(status=204))
        return poll.answer(render(request, "console/_wall_projector_live.html", context))
    if pk is None and seen and not seen.startswith(f"{ROUND}:"):
        return HttpResponseClientRefresh()  # the page holds the wall: back to the round
    session = _linked_session(link, pk)
    if session is not None:
        poll.watch(room.session_key(session.pk))
    context = _linked_context(request, link, pk, session)
    if seen == context["version"]:
        return poll.answer(HttpResponse(status=204))
    return poll.answer(render(request, "console/_projector_live.html", context))
