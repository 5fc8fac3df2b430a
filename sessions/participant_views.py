"""The participant's side of the room: join with a code, then score on your own device.

Participants have no account. Picking a name claims it for this device (a Claim): the
claim's long random token is the secret in the personal link and is kept in a cookie, so
the site recognises the device. Nobody else can pick a claimed name; the facilitator can
release it. Every page that carries the token is `Cache-Control: private, no-store`.
"""

import re
import secrets
from functools import lru_cache, wraps

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from evaluatiespiegel.query import query_param
from scoring.charts import figure_svg, spider_figure
from scoring.conditions import CONDITION_FIELDS, Condition
from scoring.forms import AllocationForm
from scoring.models import Allocation, AllocationChange
from scoring.services import Series, allocation_submit, participant_rounds

from . import live as room
from .forms import JoinForm, PickForm, RegisterForm
from .models import Claim, Evaluation, Participant, ReconstructionSession, SessionState
from .services import (
    CLAIM_TAKEN,
    claim_bind_device,
    claim_create,
    claim_release,
    claim_take_over,
    participant_register,
)
from .throttle import (
    join_allowed,
    join_failed,
    join_succeeded,
    registration_allowed,
    registration_done,
)
from .wall import open_prompts

COOKIE = "deelnemer"
COOKIE_MAX_AGE = 60 * 60 * 24 * 60  # a workshop and its aftermath
# Which evaluation a visitor typed the code of: a signed cookie, not a database session,
# so a room full of people joining at once causes no writes.
JOIN_COOKIE = "deelname"
JOIN_COOKIE_SALT = "evaluatiespiegel.join"
JOIN_COOKIE_MAX_AGE = 60 * 60 * 12
PICK_LIST_MAX = 60  # above this many participants, the pick page asks for part of the name

# Pages of the join flow and behind a personal link: a shared or back-button cache must
# never hand one participant's page (or token) to the next user of the device or proxy.
private = cache_control(private=True, no_store=True)


def _claim_from_cookie(request: HttpRequest) -> Claim | None:
    """The claim this device holds: its cookie's, unless another device took the name over
    (then this device neither continues with it nor lets go of it for the other)."""
    token = request.COOKIES.get(COOKIE)
    if not token:
        return None
    claim = Claim.objects.by_token(token)
    return claim if claim is not None and _held_here(request, claim) else None


DEVICE_COOKIE = "apparaat"
DEVICE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def _device_secret(request: HttpRequest) -> str:
    """This browser's device secret (its cookie), or a new one that `_keep_device` sets."""
    secret = request.COOKIES.get(DEVICE_COOKIE, "")
    if not secret:
        secret = getattr(request, "_new_device_secret", "") or secrets.token_urlsafe(24)
        request._new_device_secret = secret
    return secret


def _keep_device(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    secret = getattr(request, "_new_device_secret", "")
    if secret:
        response.set_cookie(
            DEVICE_COOKIE,
            secret,
            max_age=DEVICE_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _held_here(request: HttpRequest, claim: Claim) -> bool:
    return claim.held_by(request.COOKIES.get(DEVICE_COOKIE, ""))


def personal(view):
    """For views behind a personal link /p/<token>/: the claim in one query, never cached.

    A token that no longer opens a page (the name was released or anonymised) gets a page
    that says how to continue, and the device forgets it. The link works on the device that
    holds the name (Claim.device; the first to open it holds it); another device gets a page
    that explains and lets the person take the name over (privacy2 item 2).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
        claim = Claim.objects.by_token(token)
        if claim is None:
            return _gone(request)
        if not _held_here(request, claim):
            return _elsewhere(request, claim)
        return view(request, claim, *args, **kwargs)

    return private(wrapper)


def _elsewhere(request: HttpRequest, claim: Claim) -> HttpResponse:
    """The answer on a device that does not hold the name, in the places `_gone` answers:
    on the personal page the news in place of the rounds (its polls stop; a form that was
    sent keeps what was typed, as a draft), a page that explains and offers to take the name
    over otherwise. The device keeps its cookies: it may take the name back."""
    page_url = reverse("participant:page", args=[claim.token])
    target = request.htmx.target or "" if request.htmx else ""
    quiet = request.htmx and request.method == "GET" and _on_personal_page(request)
    wall_button = request.htmx and target == "slotdialoog" and request.method == "POST"
    if request.htmx and (
        target == "participant-live"
        or target.startswith("sessie-")
        or (not quiet and not wall_button and _on_participant_page(request))
    ):
        response = render(
            request,
            "participant/_elsewhere_live.html",
            {"page_url": page_url},
            status=286 if request.method == "GET" else 200,  # 286: stop polling
        )
        response["HX-Retarget"] = "#participant-live"
        response["HX-Reswap"] = "outerHTML"
    elif wall_button:
        # A button of the wall: the news where it was pressed, with what was typed (as _gone).
        typed = request.POST.get("text", "") if request.POST.get("action") != "delete" else ""
        response = render(
            request,
            "participant/_wall.html",
            {"token": claim.token, "refused": {"error": ELSEWHERE_WALL, "text": typed}},
        )
    elif quiet:
        # The page's other polls (clock, slotdialoog) stop and leave it to the one above.
        response = HttpResponse(status=286)
        response["HX-Reswap"] = "none"
    elif request.htmx:
        response = HttpResponseClientRedirect(page_url)
    else:
        response = render(request, "participant/elsewhere.html", {"claim": claim}, status=409)
    response[DRAFT_KEEP] = "1"
    return response


@private
@require_POST
def take_over(request: HttpRequest, token: str) -> HttpResponse:
    """ "Mijn naam hier overnemen": this device holds the name from now on."""
    claim = Claim.objects.by_token(token)
    if claim is None:
        return _gone(request)
    claim_take_over(claim=claim, secret=_device_secret(request))
    response = redirect("participant:page", token=claim.token)
    return _keep_device(request, _remember(response, claim))


def _on_personal_page(request: HttpRequest) -> bool:
    """Whether an htmx request comes from the personal page itself (/p/<token>/)."""
    path = (request.htmx.current_url_abs_path or "").split("?")[0]
    return re.fullmatch(r"/p/[^/]+/", path) is not None


def _on_participant_page(request: HttpRequest) -> bool:
    """Whether an htmx request comes from a page behind a personal link (/p/<token>/...): the
    personal page, or the wall's page that a refused contribution without htmx shows."""
    path = (request.htmx.current_url_abs_path or "").split("?")[0]
    return re.match(r"/p/[^/]+/", path) is not None


DRAFT_KEEP = "X-Draft-Keep"
"""A header on an answer that saved nothing although it is a 2xx (htmx only swaps those):
static/js/drafts.js keeps what the form held as a draft."""


GONE_LINK = _lazy(
    "Je persoonlijke link werkt niet meer: de facilitator heeft je naam vrijgegeven (of je hebt "
    "hem op een ander apparaat losgelaten). Er is niets op de wand gezet. Doe opnieuw mee met de "
    "code om verder te gaan."
)

ELSEWHERE_WALL = _lazy(
    "Je naam is op een ander apparaat overgenomen. Er is niets op de wand gezet. Ga daar "
    "verder, of laad deze pagina opnieuw om je naam hier terug te nemen."
)

REMOVED_NAME = _lazy(
    "Je naam is verwijderd uit deze evaluatie; je punten tellen anoniem mee. Je hoeft niets "
    "te doen."
)


def _gone(request: HttpRequest) -> HttpResponse:
    """The answer to a personal link that no longer opens a page, saying why: a released
    name may be picked again, a removed one (participant_anonymise) never.

    A page behind the link never moves away by itself (no jump to the join page, not even
    through htmx): what someone was typing stays in its box, the page says what happened,
    and the text stays a draft in the tab (drafts.js) for the page they get on joining again.
    """
    token = request.resolver_match.kwargs.get("token", "") if request.resolver_match else ""
    context = {"removed": bool(token) and Participant.removed_by_link(token)}
    target = request.htmx.target or "" if request.htmx else ""
    if request.htmx and (target == "participant-live" or target.startswith("sessie-")):
        # On the personal page the news comes in place of the rounds, not as a jump to the
        # join page: the page's script keeps in sight what was being typed (scoring.js).
        response = render(
            request,
            "participant/_gone_live.html",
            context,
            status=286 if request.method == "GET" else 200,  # 286: stop polling
        )
        response["HX-Retarget"] = "#participant-live"
        response["HX-Reswap"] = "outerHTML"
    elif request.htmx and target == "slotdialoog" and request.method == "POST":
        # A button of the wall (write, change, remove, stip): the news where it was pressed,
        # with what was typed, and a wall that offers and polls nothing any more.
        gone = REMOVED_NAME if context["removed"] else GONE_LINK
        typed = request.POST.get("text", "") if request.POST.get("action") != "delete" else ""
        response = render(
            request,
            "participant/_wall.html",
            {
                "token": token,
                "refused": {"error": gone, "text": typed},
                "gone": True,
                "removed": context["removed"],
            },
        )
    elif request.htmx and request.method == "GET" and _on_personal_page(request):
        # The page's other polls (clock, slotdialoog) stop and leave it to the one above.
        response = HttpResponse(status=286)
        response["HX-Reswap"] = "none"
    elif request.htmx and _on_participant_page(request):
        # A form sent, or another page behind the link (the wall's): the news in the place of
        # the rounds, no jump; the form keeps what was typed.
        response = render(
            request,
            "participant/_gone_live.html",
            context,
            status=286 if request.method == "GET" else 200,
        )
        response["HX-Retarget"] = "#participant-live"
        response["HX-Reswap"] = "outerHTML"
    elif request.htmx:
        if context["removed"]:
            messages.info(request, REMOVED_NAME)
        else:
            messages.info(request, _("Je persoonlijke link werkt niet meer. Doe opnieuw mee."))
        response = HttpResponseClientRedirect(reverse("participant:join"))
    else:
        response = render(request, "participant/gone.html", context, status=404)
    response[DRAFT_KEEP] = "1"
    response.delete_cookie(COOKIE)
    return response


def _remember(response: HttpResponse, claim: Claim) -> HttpResponse:
    response.set_cookie(
        COOKIE,
        claim.token,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _welcome(request: HttpRequest, claim: Claim) -> HttpResponse:
    # The device that picked the name holds it (a name picked before keeps its device).
    claim_bind_device(claim=claim, secret=_device_secret(request))
    response = _remember(redirect("participant:page", token=claim.token), claim)
    return _keep_device(request, response)


@private
@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Type the join code (or arrive with it from the projector's QR code)."""
    data = request.POST if request.method == "POST" else None
    if data is None and "code" in request.GET:
        data = request.GET
    if data is None:
        known = _claim_from_cookie(request)
        return render(request, "participant/join.html", {"form": JoinForm(), "known": known})
    form = JoinForm(data)
    valid = form.is_valid()
    evaluation = form.evaluation() if valid else None
    if not join_allowed(request, evaluation, key=data.get("k", "")):
        form.add_error(
            None,
            _(
                "Te veel verkeerde codes vanaf dit netwerk. Scan de QR-code op het scherm, "
                "of probeer het over een paar minuten opnieuw."
            ),
        )
        return render(request, "participant/join.html", {"form": form}, status=429)
    if evaluation is not None:
        join_succeeded(request, evaluation)
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
    if valid:
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


@private
@require_http_methods(["GET", "HEAD", "POST"])
def pick(request: HttpRequest) -> HttpResponse:
    """Pick yourself from the evaluation's list of participants: that claims the name."""
    evaluation = _joining_evaluation(request)
    if evaluation is None:
        messages.info(request, _("Vul eerst de deelnamecode in."))
        return redirect("participant:join")
    taken, status = None, 200
    # Anonymised people are not on the list and cannot be picked by a hand-made POST either.
    everyone = evaluation.participants.filter(anonymised_at__isnull=True)
    if request.method == "POST":
        form = PickForm(request.POST, evaluation=evaluation)
        if form.is_valid():
            participant = form.cleaned_data["participant"]
            try:
                claim = claim_create(participant=participant, held=_claim_from_cookie(request))
            except ValidationError as error:
                if error.code != CLAIM_TAKEN:
                    raise Http404 from error  # anonymised between the two queries
                taken, status = participant, 409
            else:
                return _welcome(request, claim)
        else:
            for error in form.errors.get("participant", []):
                messages.error(request, error)
    everyone = everyone.annotate(
        # A printed card nobody opened yet does not make a name taken (claim_create).
        claimed=Exists(Claim.objects.filter(participant=OuterRef("pk")).exclude(device=""))
    ).order_by("name")
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
        {
            "evaluation": evaluation,
            "people": people,
            "searching": searching,
            "query": query,
            "taken": taken,
        },
        status=status,
    )


@private
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    evaluation = _joining_evaluation(request)
    if evaluation is None:
        return redirect("participant:join")
    if not evaluation.self_registration:
        messages.info(request, _("Aanmelden kan bij deze evaluatie alleen via de facilitator."))
        return redirect("participant:pick")
    form = RegisterForm(request.POST if request.method == "POST" else None, evaluation=evaluation)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not registration_allowed(request, evaluation):
            form.add_error(
                None,
                _(
                    "Er zijn net veel aanmeldingen geweest. Vraag de facilitator om je toe "
                    "te voegen, of probeer het later opnieuw."
                ),
            )
            status = 429
        else:
            held = _claim_from_cookie(request)
            try:
                claim = participant_register(evaluation=evaluation, **form.cleaned_data)
            except IntegrityError:
                form.add_error(
                    "name",
                    _(
                        "Er is al een deelnemer met deze naam en organisatie. "
                        "Kies jezelf uit de lijst."
                    ),
                )
            else:
                registration_done(request, evaluation)
                if held is not None:
                    claim_release(participant=held.participant)  # one name per device
                return _welcome(request, claim)
    return render(
        request,
        "participant/register.html",
        {"evaluation": evaluation, "form": form},
        status=status,
    )


@private
@require_http_methods(["GET", "HEAD", "POST"])
def leave(request: HttpRequest) -> HttpResponse:
    """ "Niet jij?": let go of the name this device holds, so that it can be picked again."""
    claim = _claim_from_cookie(request)
    if request.method != "POST" and claim is not None:
        return render(request, "participant/leave.html", {"claim": claim})
    if claim is not None:
        claim_release(participant=claim.participant)
    response = redirect("participant:join")
    response.delete_cookie(COOKIE)
    response.delete_cookie(JOIN_COOKIE)
    return response


def _my_rounds(participant: Participant):
    """The participant's rounds that are on their page, with how often their own points changed.

    The count makes a change from another device of theirs reach this one (see _signature).
    """
    # A subquery on (participant, session), not a join: a join counted through every change
    # in the session (the whole room's) to find the few of this participant.
    mine = (
        AllocationChange.objects.filter(participant=participant, session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return participant.sessions.exclude(state=SessionState.VOORBEREIDING).annotate(
        my_changes=Coalesce(Subquery(mine, output_field=IntegerField()), 0)
    )


def _cards(claim: Claim, *, editing: int | None = None, forms=None) -> dict:
    """What the participant's page shows: open sessions of their group, and the last closed one."""
    participant = claim.participant
    sessions = list(_my_rounds(participant).select_related("key_moment").latest_first())
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
            claim,
            session,
            mine.get(session.pk),
            editing=editing == session.pk,
            form=forms.get(session.pk),
        )
        for session in shown
    ]
    # The round clocks are those of the open rounds already read: no query of their own.
    timers = sorted((s for s in open_sessions if s.timer_ends_at), key=lambda s: s.pk)
    wall_open = open_prompts(participant.evaluation_id)
    return {
        "participant": participant,
        "token": claim.token,
        "timers": timers,
        "timer_signature": _timer_signature(timers),
        "timer_polls": bool(open_sessions),
        "cards": cards,
        "waiting": not open_sessions,
        # Without JavaScript nothing polls: the page reloads itself while nothing on it can be
        # typed in (a reload would empty a form someone is filling in).
        "reloads": not wall_open and not any(card["form"] for card in cards),
        "wall_open": [title for _pk, title in wall_open],
        "signature": _signature(sessions) + _wall_signature(wall_open),
    }


def _signature(sessions) -> str:
    """Changes when a round of this participant opens or closes, when they join or leave a
    group, and when their own points change (on another device too): then the page redraws."""
    return _signature_of((s.pk, s.state, s.my_changes) for s in sessions)


def _signature_of(rounds) -> str:
    """_signature() of (session id, state, own changes) triples."""
    return ",".join(f"{pk}{state[0]}{changes}" for pk, state, changes in sorted(rounds))


def _wall_signature(wall_open: list[tuple[int, str]]) -> str:
    """The page's signature goes on with the open prompts of the slotdialoog, after a "|": the
    status line says what is open. A submit's answer renews only the part before it
    (scoring.js), so a submit costs no query for the wall."""
    return "|w" + ".".join(str(pk) for pk, _title in wall_open)


def _card(claim, session, allocation, *, editing=False, form=None, message="") -> dict:
    card = {
        "session": session,
        "allocation": allocation,
        "participant": claim.participant,
        "token": claim.token,
        "message": message,
        "form": None,
        "refused": None,
        "chart": None,
        "elsewhere": False,
        # The stored points a form is based on: a submit from an older state is refused.
        "version": allocation.version if allocation else "",
    }
    # The saved points, for the page's script to compare with what is typed (scoring.js).
    card["saved_points"] = (
        ",".join(str(allocation.points[f]) for f in CONDITION_FIELDS) if allocation else ""
    )
    if allocation is not None:
        card["rows"] = [(c, allocation.points[c.field]) for c in Condition]
    if form is not None and form.is_bound and not session.is_open:
        if allocation is not None and getattr(form, "points", None) == allocation.points:
            # What arrived is what was saved: nothing is lost, so nothing is "niet verstuurd".
            card["message"] = _(
                "Deze ronde is gesloten. Deze punten waren al opgeslagen en tellen mee."
            )
        else:
            # The round closed before the submit arrived: show what they typed, not a form,
            # and the points that do count (if any).
            card["refused"] = form
            return card
    if session.is_open and (allocation is None or editing or form is not None):
        # A new form starts empty (placeholder 0): a field that shows "0" turns typing 4
        # into "04". An empty field counts as 0.
        initial = allocation.points if allocation else {}
        card["form"] = form or AllocationForm(initial=initial)
        card["editing"] = allocation is not None
        card["stale"] = form is not None and any(
            e.code == "stale" for e in form.non_field_errors().as_data()
        )
        return card
    if allocation is not None and not session.is_open and allocation.updated_at < claim.created_at:
        # Points of a past round are shown only to the device that sent them: a name picked
        # again after a release does not reveal what was scored under it before.
        card["allocation"], card["elsewhere"] = None, True
        return card
    if allocation is not None:
        points = tuple(allocation.points[f] for f in CONDITION_FIELDS)
        card["chart"] = _own_chart(points, get_language())
    return card


@lru_cache(maxsize=4096)
def _own_chart(points: tuple[int, ...], language: str) -> str:
    """The small chart of someone's own points as SVG. Ten points over five conditions can be
    split 1,001 ways; each is drawn once per language and process, not on every submit."""
    own = Series(
        "mijn", _("Jouw punten"), 1, dict(zip(CONDITION_FIELDS, map(float, points), strict=True))
    )
    return figure_svg(spider_figure([own], scale=10, compact=True), size=260, legend=False)


@personal
def page(request: HttpRequest, claim: Claim) -> HttpResponse:
    editing = query_param(request, "wijzig", forms.IntegerField(min_value=1))
    context = _cards(claim, editing=editing)
    # The first device to open the page (a printed card's QR code) holds the name.
    claim_bind_device(claim=claim, secret=_device_secret(request))
    response = _keep_device(request, render(request, "participant/page.html", context))
    if request.COOKIES.get(COOKIE) != claim.token:
        _remember(response, claim)
    return response


@room.poll_view(room.TOKEN)
@private
def live(request: HttpRequest, token: str) -> HttpResponse:
    """Poll target of the participant's page: 204 until one of their rounds opens or closes.

    Nothing new is answered from the room versions alone (sessions/live.py's middleware),
    without a query, before this view.
    """
    poll = room.Poll(request, token)
    claim = Claim.objects.by_token(token)
    if claim is None:
        return _gone(request)
    if not _held_here(request, claim):
        return _elsewhere(request, claim)
    participant = claim.participant
    poll.watch(room.room_key(participant.evaluation_id), room.participant_key(participant.pk))
    rounds = participant_rounds(participant.pk)
    signature = _signature_of((r.session_id, r.state, r.changes) for r in rounds) + _wall_signature(
        open_prompts(participant.evaluation_id)
    )
    if request.GET.get("sig") == signature:
        return poll.answer(HttpResponse(status=204))
    response = render(request, "participant/_live.html", _cards(claim))
    # A round opened or closed, or the slotdialoog: the page's clock and wall, which poll only
    # while there is something to follow (an open round, an open prompt), look again once.
    for region in REGION_EVENTS:
        trigger_client_event(response, region)
    return poll.answer(response)


def _session_for(claim: Claim, session_id: int) -> ReconstructionSession:
    """A session of the participant's own evaluation; 404 for anything else."""
    return get_object_or_404(
        ReconstructionSession.objects.select_related("key_moment"),
        pk=session_id,
        evaluation_id=claim.participant.evaluation_id,
    )


@personal
def card(request: HttpRequest, claim: Claim, session_id: int) -> HttpResponse:
    """One session's card (used by htmx for 'Wijzigen')."""
    session = _session_for(claim, session_id)
    if not session.participants.filter(pk=claim.participant_id).exists():
        raise Http404
    allocation = Allocation.objects.filter(participant=claim.participant, session=session).first()
    ctx = _card(claim, session, allocation, editing=request.GET.get("wijzig") == "1")
    return render(request, "participant/_card.html", {"card": ctx})


@require_POST
@personal
def submit(request: HttpRequest, claim: Claim, session_id: int) -> HttpResponse:
    participant = claim.participant
    form = AllocationForm(request.POST)
    allocation, status, session = None, 200, None
    based_on = request.POST.get("versie")
    if form.is_valid():
        try:
            allocation = allocation_submit(
                participant=participant,
                session_id=session_id,
                points=form.points,
                based_on=based_on[:40] if based_on is not None else None,
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
        session = _session_for(claim, session_id)
    saved = _("Je punten zijn opgeslagen. Je kunt ze wijzigen zolang de ronde open is.")
    if status == 403:
        # Not this participant's session: there is no card to show it on.
        messages.error(request, " ".join(form.non_field_errors()))
        if request.htmx:
            return HttpResponse(" ".join(form.non_field_errors()), status=403)
        return render(request, "participant/page.html", _cards(claim), status=403)
    if not request.htmx:
        if allocation is not None:
            messages.success(request, saved)
            return redirect("participant:page", token=claim.token)
        context = _cards(claim, forms={session.pk: form})
        if session.pk not in {card["session"].pk for card in context["cards"]}:
            # A round that is not (or no longer) on the page: show the refusal anyway.
            context["cards"].insert(0, _card(claim, session, None, form=form))
        return render(request, "participant/page.html", context, status=status)
    if allocation is None and status == 409:
        # Refused (closed round, changed elsewhere): the card shows the points that count.
        stored = Allocation.objects.filter(participant=participant, session=session).first()
    else:
        stored = allocation
    ctx = _card(
        claim,
        session,
        stored,
        form=None if allocation else form,
        message=saved if allocation else "",
    )
    if allocation is not None:
        # This device is up to date: the page's poll carries the new signature (scoring.js),
        # from the rounds the submit read in its own transaction (no query of its own).
        ctx["signature"] = _signature_of(
            (r.session_id, r.state, r.changes) for r in allocation.rounds
        )
    # htmx swaps 2xx answers only; a refused submit is a normal answer for this card, so it
    # comes back as 200 with the errors in it.
    return render(request, "participant/_card.html", {"card": ctx})


@personal
def device(request: HttpRequest, claim: Claim) -> HttpResponse:
    """'Verder op een ander apparaat': the personal link and its QR code."""
    link = request.build_absolute_uri(reverse("participant:page", args=[claim.token]))
    qr = segno.make(link, error="m").svg_inline(scale=6, dark="#1d2433", border=2, omitsize=True)
    return render(
        request,
        "participant/device.html",
        {"participant": claim.participant, "token": claim.token, "link": link, "qr": qr},
    )


def _open_rounds(participant) -> list[ReconstructionSession]:
    """The participant's open rounds, by id: their clocks, and whether the clock polls."""
    return list(
        participant.sessions.filter(state=SessionState.OPEN)
        .select_related("key_moment")
        .order_by("pk")
    )


REGION_EVENTS = ("spiegel-klok", "spiegel-wand")
"""Events that make the personal page's clock and wall look again (their hx-trigger listens
for them on the body): sent with every answer of the rounds' poll that redraws, because only
that poll runs all the time. A waiting phone then polls once per 3 s, not three times."""


@room.poll_view(room.TOKEN)
@private
def timer(request: HttpRequest, token: str) -> HttpResponse:
    """Poll target of the participant's round clock: 204 while the timers did not change.

    A page of its own, apart from the score form, so that a clock started mid-round never
    redraws (and empties) the form someone is filling in. Nothing new is answered from the
    room version alone (sessions/live.py's middleware).
    """
    poll = room.Poll(request, token)
    claim = Claim.objects.by_token(token)
    if claim is None:
        return _gone(request)
    if not _held_here(request, claim):
        return _elsewhere(request, claim)
    poll.watch(room.room_key(claim.participant.evaluation_id))
    open_rounds = _open_rounds(claim.participant)
    sessions = [s for s in open_rounds if s.timer_ends_at]
    signature = _timer_signature(sessions)
    if request.GET.get("sig") == signature:
        return poll.answer(HttpResponse(status=204))
    return poll.answer(
        render(
            request,
            "participant/_timer.html",
            {
                "participant": claim.participant,
                "token": claim.token,
                "timers": sessions,
                "timer_signature": signature,
                "timer_polls": bool(open_rounds),
            },
        )
    )


def _timer_signature(sessions) -> str:
    return ",".join(f"{s.pk}-{s.timer_kind}-{s.timer_ends_at:%s}" for s in sessions) or "-"
