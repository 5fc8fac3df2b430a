"""The participant's side of the room: join with a code, then score on your own device.

Participants have no account. Their personal link carries a long random token; the same
token is kept in a cookie so that the site recognises them on their own device.
"""

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from evaluatiespiegel.query import query_param
from scoring.charts import figure_svg, spider_figure
from scoring.conditions import CONDITION_FIELDS, Condition
from scoring.forms import AllocationForm
from scoring.models import Allocation
from scoring.services import Series, allocation_submit

from .forms import JoinForm, PickForm, RegisterForm
from .models import Evaluation, Participant, ReconstructionSession, SessionState
from .throttle import join_blocked, join_failed

COOKIE = "deelnemer"
COOKIE_MAX_AGE = 60 * 60 * 24 * 60  # a workshop and its aftermath
# Which evaluation a visitor typed the code of: a signed cookie, not a database session,
# so a room full of people joining at once causes no writes.
JOIN_COOKIE = "deelname"
JOIN_COOKIE_SALT = "evaluatiespiegel.join"
JOIN_COOKIE_MAX_AGE = 60 * 60 * 12
PICK_LIST_MAX = 60  # above this many participants, the pick page asks for part of the name


def _participant_from_cookie(request: HttpRequest) -> Participant | None:
    token = request.COOKIES.get(COOKIE)
    if not token:
        return None
    return Participant.objects.filter(token=token).first()


def _get_participant(token: str) -> Participant:
    return get_object_or_404(Participant.objects.select_related("evaluation"), token=token)


def _remember(response: HttpResponse, participant: Participant) -> HttpResponse:
    response.set_cookie(
        COOKIE,
        participant.token,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _welcome(participant: Participant) -> HttpResponse:
    return _remember(redirect("participant:page", token=participant.token), participant)


@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Type the join code (or arrive with it from the projector's QR code)."""
    data = request.POST if request.method == "POST" else None
    if data is None and "code" in request.GET:
        data = request.GET
    if data is None:
        known = _participant_from_cookie(request)
        return render(request, "participant/join.html", {"form": JoinForm(), "known": known})
    form = JoinForm(data)
    if join_blocked(request):
        form.is_valid()
        form.add_error(None, _("Te veel verkeerde codes. Probeer het over een minuut opnieuw."))
        return render(request, "participant/join.html", {"form": form}, status=429)
    if form.is_valid():
        evaluation = form.evaluation()
        if evaluation is not None:
            response = redirect("participant:pick")
            response.set_signed_cookie(
                JOIN_COOKIE,
                str(evaluation.pk),
                salt=JOIN_COOKIE_SALT,
                max_age=JOIN_COOKIE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            return response
        join_failed(request)
        form.add_error(
            "code",
            _("Deze code kennen we niet. Controleer de code op het scherm en probeer het opnieuw."),
        )
    return render(request, "participant/join.html", {"form": form}, status=400)


def _joining_evaluation(request: HttpRequest) -> Evaluation | None:
    pk = request.get_signed_cookie(
        JOIN_COOKIE, default=None, salt=JOIN_COOKIE_SALT, max_age=JOIN_COOKIE_MAX_AGE
    )
    return Evaluation.objects.filter(pk=pk).first() if pk and pk.isdigit() else None


@require_http_methods(["GET", "HEAD", "POST"])
def pick(request: HttpRequest) -> HttpResponse:
    """Pick yourself from the evaluation's list of participants."""
    evaluation = _joining_evaluation(request)
    if evaluation is None:
        messages.info(request, _("Vul eerst de deelnamecode in."))
        return redirect("participant:join")
    if request.method == "POST":
        form = PickForm(request.POST, evaluation=evaluation)
        if form.is_valid():
            return _welcome(form.cleaned_data["participant"])
        for error in form.errors.get("participant", []):
            messages.error(request, error)
    everyone = evaluation.participants.filter(anonymised_at__isnull=True).order_by("name")
    query = " ".join(query_param(request, "zoek", forms.CharField(max_length=200), "").split())[:60]
    people = everyone.filter(name__icontains=query) if len(query) >= 2 else everyone
    people = list(people[: PICK_LIST_MAX + 1])
    # A room of hundreds does not scroll through a list: they type part of their name.
    searching = len(query) >= 2 or len(people) > PICK_LIST_MAX
    if searching and len(query) < 2:
        people = []
    return render(
        request,
        "participant/pick.html",
        {"evaluation": evaluation, "people": people, "searching": searching, "query": query},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    evaluation = _joining_evaluation(request)
    if evaluation is None:
        return redirect("participant:join")
    if not evaluation.self_registration:
        messages.info(request, _("Aanmelden kan bij deze evaluatie alleen via de facilitator."))
        return redirect("participant:pick")
    form = RegisterForm(request.POST if request.method == "POST" else None, evaluation=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            participant = form.save()
        except IntegrityError:
            form.add_error(
                "name",
                _("Er is al een deelnemer met deze naam en organisatie. Kies jezelf uit de lijst."),
            )
        else:
            return _welcome(participant)
    return render(request, "participant/register.html", {"evaluation": evaluation, "form": form})


def leave(request: HttpRequest) -> HttpResponse:
    """ "Niet jij?": forget the personal link on this device."""
    response = redirect("participant:join")
    response.delete_cookie(COOKIE)
    response.delete_cookie(JOIN_COOKIE)
    return response


def _cards(participant: Participant, *, editing: int | None = None, forms=None) -> dict:
    """What the participant's page shows: open sessions of their group, and the last closed one."""
    sessions = list(
        participant.sessions.exclude(state=SessionState.VOORBEREIDING)
        .select_related("key_moment")
        .latest_first()
    )
    open_sessions = [s for s in sessions if s.state == SessionState.OPEN]
    closed = [s for s in sessions if s.state == SessionState.GESLOTEN]
    shown = open_sessions + closed[:1]
    mine = {
        a.session_id: a
        for a in Allocation.objects.filter(participant=participant, session__in=shown)
    }
    forms = forms or {}
    cards = [
        _card(
            participant,
            session,
            mine.get(session.pk),
            editing=editing == session.pk,
            form=forms.get(session.pk),
        )
        for session in shown
    ]
    return {
        "participant": participant,
        "cards": cards,
        "waiting": not open_sessions,
        "signature": _signature(sessions),
    }


def _signature(sessions) -> str:
    """Changes when a round of this participant opens or closes: then the page redraws."""
    return ",".join(f"{s.pk}{s.state[0]}" for s in sorted(sessions, key=lambda s: s.pk))


def _card(participant, session, allocation, *, editing=False, form=None, message="") -> dict:
    card = {
        "session": session,
        "allocation": allocation,
        "participant": participant,
        "message": message,
        "form": None,
        "refused": None,
        "chart": None,
    }
    if form is not None and form.is_bound and not session.is_open:
        # The round closed before the submit arrived: show what they typed, not a form.
        card["refused"] = form
        return card
    if session.is_open and (allocation is None or editing or form is not None):
        initial = allocation.points if allocation else dict.fromkeys(CONDITION_FIELDS, 0)
        card["form"] = form or AllocationForm(initial=initial)
        return card
    if allocation is not None:
        card["rows"] = [(c, allocation.points[c.field]) for c in Condition]
        own = Series(
            "mijn", _("Jouw punten"), 1, {k: float(v) for k, v in allocation.points.items()}
        )
        card["chart"] = figure_svg(
            spider_figure([own], scale=10, compact=True), size=260, legend=False
        )
    return card


def page(request: HttpRequest, token: str) -> HttpResponse:
    participant = _get_participant(token)
    editing = query_param(request, "wijzig", forms.IntegerField(min_value=1))
    context = _cards(participant, editing=editing)
    response = render(request, "participant/page.html", context)
    if request.COOKIES.get(COOKIE) != participant.token:
        _remember(response, participant)
    return response


def live(request: HttpRequest, token: str) -> HttpResponse:
    """Poll target of the participant's page: 204 until one of their rounds opens or closes."""
    participant = get_object_or_404(Participant, token=token)
    signature = _signature(
        participant.sessions.exclude(state=SessionState.VOORBEREIDING).only("pk", "state")
    )
    if request.GET.get("sig") == signature:
        return HttpResponse(status=204)
    return render(request, "participant/_live.html", _cards(participant))


def _session_for(participant: Participant, session_id: int) -> ReconstructionSession:
    """A session of the participant's own evaluation; 404 for anything else."""
    return get_object_or_404(
        ReconstructionSession.objects.select_related("key_moment"),
        pk=session_id,
        evaluation_id=participant.evaluation_id,
    )


def card(request: HttpRequest, token: str, session_id: int) -> HttpResponse:
    """One session's card (used by htmx for 'Wijzigen')."""
    participant = _get_participant(token)
    session = _session_for(participant, session_id)
    if not session.participants.filter(pk=participant.pk).exists():
        raise Http404
    allocation = Allocation.objects.filter(participant=participant, session=session).first()
    ctx = _card(participant, session, allocation, editing=request.GET.get("wijzig") == "1")
    return render(request, "participant/_card.html", {"card": ctx})


@require_POST
def submit(request: HttpRequest, token: str, session_id: int) -> HttpResponse:
    participant = get_object_or_404(Participant, token=token)
    form = AllocationForm(request.POST)
    allocation, status, session = None, 200, None
    if form.is_valid():
        try:
            allocation = allocation_submit(
                participant=participant, session_id=session_id, points=form.points
            )
            session = allocation.session
        except ReconstructionSession.DoesNotExist as error:
            raise Http404 from error
        except ValidationError as error:
            form.add_error(None, error)
            status = 403 if error.code.startswith("participant_") else 409
    else:
        status = 400
    if session is None:
        session = _session_for(participant, session_id)
    saved = _("Je punten zijn opgeslagen. Je kunt ze wijzigen zolang de ronde open is.")
    if status == 403:
        # Not this participant's session: there is no card to show it on.
        messages.error(request, " ".join(form.non_field_errors()))
        if request.htmx:
            return HttpResponse(" ".join(form.non_field_errors()), status=403)
        return render(request, "participant/page.html", _cards(participant), status=403)
    if not request.htmx:
        if allocation is not None:
            messages.success(request, saved)
            return redirect("participant:page", token=participant.token)
        context = _cards(participant, forms={session.pk: form})
        if session.pk not in {card["session"].pk for card in context["cards"]}:
            # A round that is not (or no longer) on the page: show the refusal anyway.
            context["cards"].insert(0, _card(participant, session, None, form=form))
        return render(request, "participant/page.html", context, status=status)
    ctx = _card(
        participant,
        session,
        allocation,
        form=None if allocation else form,
        message=saved if allocation else "",
    )
    # htmx swaps 2xx answers only; a refused submit is a normal answer for this card, so it
    # comes back as 200 with the errors in it.
    return render(request, "participant/_card.html", {"card": ctx})


def device(request: HttpRequest, token: str) -> HttpResponse:
    """'Verder op een ander apparaat': the personal link and its QR code."""
    participant = _get_participant(token)
    link = request.build_absolute_uri(reverse("participant:page", args=[participant.token]))
    qr = segno.make(link, error="m").svg_inline(scale=6, dark="#1d2433", border=2, omitsize=True)
    return render(
        request, "participant/device.html", {"participant": participant, "link": link, "qr": qr}
    )
