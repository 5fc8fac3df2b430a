"""The wall of the slotdialoog in the room: the facilitator's console, the projector, and
the participant's contributions and votes. The rules are in sessions.wall; these views only
translate HTTP. Every participant form works without JavaScript (post, then redirect back to
the personal page); with htmx the wall fragment is swapped in place.
"""

from html import escape

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from . import live as room
from .access import get_evaluation_for_team, login_required, polled
from .models import CONTRIBUTION_MAX_LENGTH, VOTES_MAX, Claim, Contribution, Evaluation, Prompt
from .participant_views import _elsewhere, _gone, _held_here, personal, private
from .permissions import Action
from .throttle import join_link_key
from .views import _link, _revoked
from .wall import (
    MODERATE_ACTIONS,
    PROMPT_ACTIONS,
    contribution_delete,
    contribution_edit,
    contribution_merge,
    contribution_moderate,
    contribution_submit,
    new_client_token,
    on_screen,
    prompt_add,
    prompt_delete,
    prompt_state_set,
    prompts_default_create,
    team_sees_names,
    vote_cast,
    vote_withdraw,
    wall_prompts,
    wall_version,
)


class PromptForm(forms.Form):
    title = forms.CharField(label=_("Vraag"), max_length=300)
    question = forms.CharField(label=_("Toelichting"), max_length=300, required=False)
    votes = forms.IntegerField(
        label=_("Stippen per deelnemer"),
        min_value=0,
        max_value=VOTES_MAX,
        initial=3,
        error_messages={
            "min_value": _("Geef 0 tot en met 10 stippen per persoon."),
            "max_value": _("Geef 0 tot en met 10 stippen per persoon."),
            "invalid": _("Vul een heel getal in."),
            "required": _("Vul het aantal stippen in."),
        },
    )


# --- The facilitator's console --------------------------------------------------------------


def _console_context(request: HttpRequest, evaluation: Evaluation) -> dict:
    prompts = evaluation.prompts.order_by("order", "pk")
    names = team_sees_names(evaluation)
    walls = wall_prompts(prompts, team=True, names=names)
    return {
        "evaluation": evaluation,
        "walls": walls,
        "version": wall_version(evaluation.pk),
        "can_run": Action.RUN in evaluation.allowed,
        "names": names,
        "form": PromptForm(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def console(request: HttpRequest, slug: str) -> HttpResponse:
    """The slotdialoog in the console: prompts, their contributions, and what to do with them."""
    evaluation = get_evaluation_for_team(request, slug)
    form = PromptForm()
    status = 200
    if request.method == "POST":
        if Action.RUN not in evaluation.allowed:
            raise Http404
        form = PromptForm(request.POST)
        if form.is_valid():
            try:
                added = prompt_add(
                    evaluation=evaluation,
                    title=form.cleaned_data["title"],
                    question=form.cleaned_data["question"],
                    votes=form.cleaned_data["votes"],
                )
            except ValidationError as error:
                form.add_error("title", error)
            else:
                return _feedback(
                    request,
                    evaluation,
                    _("De vraag staat klaar; open haar als het zover is."),
                    region=f"vraag-{added.pk}",
                )
        status = 400
    context = _console_context(request, evaluation)
    context["form"] = form
    context["feedback"] = request.session.pop(FEEDBACK_KEY, None)
    link = evaluation.projector_links.active().first() if context["can_run"] else None
    if link is not None:
        # The venue's PC opens the wall through the evaluation's projector link too.
        context["projector_link"] = request.build_absolute_uri(
            reverse("wall_projector_link", args=[link.token])
        )
    return render(request, "console/wall.html", context, status=status)


@polled(at_keyboard=True)
def console_live(request: HttpRequest, slug: str) -> HttpResponse:
    """Poll target of the console's wall: 204 while nothing changed (wall_version)."""
    evaluation = get_evaluation_for_team(request, slug)
    if request.GET.get("v") == wall_version(evaluation.pk):
        return HttpResponse(status=204)
    return render(request, "console/_wall_console.html", _console_context(request, evaluation))


@login_required
@require_POST
def defaults(request: HttpRequest, slug: str) -> HttpResponse:
    """Set out the default prompts (sessions.wall.prompts_default_create); again adds only
    what is missing."""
    evaluation = get_evaluation_for_team(request, slug, Action.RUN)
    made = prompts_default_create(evaluation=evaluation)
    if made:
        text = ngettext(
            "%(n)s vraag klaargezet uit de paradoxen, thema's en hoe-vragen.",
            "%(n)s vragen klaargezet uit de paradoxen, thema's en hoe-vragen.",
            len(made),
        ) % {"n": len(made)}
        return _feedback(request, evaluation, text, region=CONSOLE_REGION)
    return _feedback(
        request, evaluation, _("Alle standaardvragen staan er al."), region=CONSOLE_REGION
    )


def _prompt(evaluation: Evaluation, pk: int) -> Prompt:
    return get_object_or_404(Prompt, pk=pk, evaluation=evaluation)


@login_required
@require_POST
def prompt_state(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Open, close, reveal or hide the stippen of, or delete (while empty) a prompt."""
    evaluation = get_evaluation_for_team(request, slug, Action.RUN)
    prompt = _prompt(evaluation, pk)
    action = request.POST.get("action", "")
    if action not in PROMPT_ACTIONS | {"delete"}:
        return HttpResponseBadRequest(_("Onbekende actie."))
    try:
        if action == "delete":
            prompt_delete(prompt=prompt)
        else:
            prompt_state_set(prompt=prompt, action=action)
    except ValidationError as error:
        return _feedback(
            request, evaluation, " ".join(error.messages), region=f"vraag-{pk}", level=ERROR
        )
    if action == "delete":
        # The prompt's own region is gone with it: the news goes to the top of the wall.
        return _feedback(request, evaluation, _("De vraag is verwijderd."), region=CONSOLE_REGION)
    return _feedback(request, evaluation, str(PROMPT_DONE[action]), region=f"vraag-{pk}")


@login_required
@require_POST
def contribution_action(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Hide, show, pin, unpin, merge or unmerge a contribution (the facilitator)."""
    evaluation = get_evaluation_for_team(request, slug, Action.RUN)
    action = request.POST.get("action", "")
    if action not in MODERATE_ACTIONS | {"merge"}:
        return HttpResponseBadRequest(_("Onbekende actie."))
    into = request.POST.get("into", "").strip()
    try:
        if action == "merge":
            if not into.isdigit() or len(into) > 12:
                raise ValidationError(_("Kies de bijdrage om mee samen te voegen."))
            contribution_merge(evaluation=evaluation, contribution_id=pk, into_id=int(into))
        else:
            contribution_moderate(evaluation=evaluation, contribution_id=pk, action=action)
    except Contribution.DoesNotExist as error:
        raise Http404 from error
    except ValidationError as error:
        return _feedback(
            request, evaluation, " ".join(error.messages), region=_card_region(pk), level=ERROR
        )
    done = CONTRIBUTION_DONE[action] % {"nr": pk, "into": into}
    return _feedback(request, evaluation, done, region=_card_region(pk))


# --- Feedback where the facilitator acted ------------------------------------------------------

# The console's feedback travels to the next page through the session (the redirect after a
# form without JavaScript), not through django.contrib.messages: those show at the top of the
# page, out of view of the prompt or card the facilitator acted on (wallfix item 1).
FEEDBACK_KEY = "wall_console_feedback"
CONSOLE_REGION = "wall-console"
ERROR, DONE = "error", "success"

PROMPT_DONE = {
    "open": gettext_lazy("De vraag is open: deelnemers kunnen schrijven."),
    "close": gettext_lazy("De vraag is gesloten."),
    "reveal": gettext_lazy("De stippen staan op de wand."),
    "hide_votes": gettext_lazy("De stippen zijn verborgen."),
    "reset": gettext_lazy("De vraag staat weer in voorbereiding."),
}
CONTRIBUTION_DONE = {
    "hide": gettext_lazy("Bijdrage %(nr)s is verborgen; haar stippen gaan terug naar de gevers."),
    "show": gettext_lazy("Bijdrage %(nr)s staat weer op de wand."),
    "pin": gettext_lazy("Bijdrage %(nr)s is vastgezet: ze staat vooraan op elk scherm."),
    "unpin": gettext_lazy("Bijdrage %(nr)s is losgemaakt."),
    "unmerge": gettext_lazy("Bijdrage %(nr)s staat weer als eigen kaart op de wand."),
    "merge": gettext_lazy("Bijdrage %(nr)s is samengevoegd met nr. %(into)s."),
}


def _card_region(pk: int) -> str:
    """The id of the console region that shows contribution `pk` now: its own row, the row
    of the card it was merged into, or its prompt (hidden: in the prompt's hidden list)."""
    row = Contribution.objects.filter(pk=pk).values("prompt_id", "hidden", "merged_into_id")
    row = row.first()
    if row is None:
        return CONSOLE_REGION
    if row["hidden"]:
        return f"vraag-{row['prompt_id']}"
    return f"bijdrage-{row['merged_into_id'] or pk}"


def _feedback(
    request: HttpRequest, evaluation: Evaluation, text: str, *, region: str, level: str = DONE
) -> HttpResponse:
    """The answer to a console action: `text` shown inside the region (an element id of
    console/_wall_console.html) where the facilitator acted, announced to screen readers
    (role=alert for an error, role=status otherwise).

    With htmx, the console's wall in place (200: htmx swaps 2xx answers only); without, a
    redirect to the console scrolled to the region, the feedback waiting in the session.
    """
    feedback = {
        "region": region,
        "level": level,
        "text": str(text),
        # What the template compares with: the card's or the prompt's pk, or the top.
        "card": int(region.removeprefix("bijdrage-")) if region.startswith("bijdrage-") else 0,
        "prompt": int(region.removeprefix("vraag-")) if region.startswith("vraag-") else 0,
        "top": region == CONSOLE_REGION,
    }
    if request.htmx:
        context = _console_context(request, evaluation)
        context["feedback"] = feedback
        return render(request, "console/_wall_console.html", context)
    request.session[FEEDBACK_KEY] = feedback
    return redirect(reverse("sessions:wall", args=[evaluation.slug]) + f"#{region}")


# --- The projector --------------------------------------------------------------------------


def _projector_context(request: HttpRequest, evaluation: Evaluation, poll_url: str) -> dict:
    prompts = list(on_screen(evaluation))
    join_url = (
        request.build_absolute_uri(reverse("participant:join"))
        + f"?code={evaluation.join_code}&k={join_link_key(evaluation.join_code)}"
    )
    any_open = any(p.is_open for p in prompts)
    return {
        "evaluation": evaluation,
        "walls": wall_prompts(prompts),
        "any_open": any_open,
        "version": f"{wall_version(evaluation.pk)}.{evaluation.join_code}",
        "poll_url": poll_url,
        "join_url": join_url,
        "qr": segno.make(join_url, error="m").svg_inline(
            scale=10, dark="#1d2433", border=2, omitsize=True
        )
        if any_open
        else "",
    }


@login_required
def projector(request: HttpRequest, slug: str) -> HttpResponse:
    """The wall on the projector: the open prompts with their cards, the join code, and the
    stippen once the facilitator shows them. Never a name."""
    evaluation = get_evaluation_for_team(request, slug)
    poll_url = reverse("sessions:wall_projector_live", args=[slug])
    return render(
        request, "console/wall_projector.html", _projector_context(request, evaluation, poll_url)
    )


@room.poll_view(room.LOGIN)
def projector_live(request: HttpRequest, slug: str) -> HttpResponse:
    """Poll target of the wall: 204 while nothing changed, else the new fragment.

    Nothing new is answered from the room versions alone (sessions/live.py's middleware): the
    login session's grant and the versions of the room (the join code and title on the
    screen, the team) and of the wall. It polls every second: without them, each poll read
    the login, the user, the evaluation and the wall.
    """
    login = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    poll = room.Poll(request, login)
    # The room is watched before membership is checked: a facilitator taken off the team
    # meanwhile is not granted the fast path with a version from after that.
    evaluation_id = Evaluation.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if evaluation_id is not None:
        poll.watch(room.room_key(evaluation_id), room.wall_key(evaluation_id))
    return _projector_poll(request, slug, poll)


@polled(at_keyboard=False)
def _projector_poll(request: HttpRequest, slug: str, poll: room.Poll) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug)
    if request.GET.get("v") == f"{wall_version(evaluation.pk)}.{evaluation.join_code}":
        return poll.answer(HttpResponse(status=204))
    poll_url = reverse("sessions:wall_projector_live", args=[slug])
    return poll.answer(
        render(
            request,
            "console/_wall_projector_live.html",
            _projector_context(request, evaluation, poll_url),
        )
    )


@private  # the link's secret is in the URL: never in a shared cache
@require_http_methods(["GET", "HEAD"])
def projector_linked(request: HttpRequest, token: str) -> HttpResponse:
    """The wall through the projector's own read-only link (no login on the venue's PC): always
    the wall, live, whatever round is open (the evaluation's link follows the room instead,
    sessions.wall.live_screen)."""
    link = _link(token)
    if link.revoked_at:
        return _revoked(request, 410)
    poll_url = reverse("wall_projector_link_live", args=[token])
    context = _projector_context(request, link.evaluation, poll_url)
    context["linked"] = True
    return render(request, "console/wall_projector.html", context)


@room.poll_view(room.TOKEN)
@private  # the link's secret is in the URL: never in a shared cache
@require_http_methods(["GET", "HEAD"])
def projector_linked_live(request: HttpRequest, token: str) -> HttpResponse:
    """Poll target of the linked wall: 204 while unchanged (from the room versions alone
    where they tell, sessions/live.py's middleware); 286 (stop) once revoked."""
    poll = room.Poll(request, token)
    link = _link(token)
    if link.revoked_at:
        return _revoked(request, 286)
    evaluation = link.evaluation
    # The room key: the join code and the title on the wall's screen change with the room.
    poll.watch(room.room_key(evaluation.pk), room.wall_key(evaluation.pk))
    if request.GET.get("v") == f"{wall_version(evaluation.pk)}.{evaluation.join_code}":
        return poll.answer(HttpResponse(status=204))
    poll_url = reverse("wall_projector_link_live", args=[token])
    return poll.answer(
        render(
            request,
            "console/_wall_projector_live.html",
            _projector_context(request, evaluation, poll_url),
        )
    )


# --- The participant ------------------------------------------------------------------------


def _others_html(wall, *, vote_prefix: str, csrf_token: str) -> str:
    """The others' cards of one prompt, each with its stip button, as HTML.

    Built here and not in the template on purpose: while a room writes, every participant's
    wall redraws on every poll, and 200 cards through the template engine (or through
    format_html, lazy-aware) cost 10-20 times what plain string building with the standard
    library's escape costs (bench/wall.py). Everything typed is escaped (quotes too).
    """
    prompt = wall.prompt
    # The words first, outside the f-strings: xgettext does not look inside one.
    give_label, take_label = escape(_("Stip geven")), escape(_("Stip weghalen"))
    pinned_label = escape(_("Vastgezet"))
    own_label = escape(_("Hier staat je eigen bijdrage bij: geen stip."))
    form_start = (
        '<form method="post" action="{url}" hx-post="{url}" hx-target="#slotdialoog" '
        'hx-swap="outerHTML" class="inline-form"><input type="hidden" '
        f'name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
    )
    give = (
        '<button type="submit" class="button small" aria-pressed="false">'
        f"{give_label}</button></form>"
    )
    take = (
        '<input type="hidden" name="action" value="remove"><button type="submit" '
        f'class="button small" aria-pressed="true">{take_label}</button></form>'
    )
    pinned = f'<p class="wall-pinned">{pinned_label}</p>'
    own_inside = f'<p class="small muted">{own_label}</p>'
    parts = []
    for card in wall.others:
        classes = (
            "wall-note" + (" voted" if card.voted else "") + (" pinned" if card.pinned else "")
        )
        html = [f'<li class="{classes}">']
        if card.pinned:
            html.append(pinned)
        html.append(f'<p class="wall-text">{_lines(card.text)}</p>')
        html += [f'<p class="wall-merged small">{_lines(m.text)}</p>' for m in card.merged]
        if prompt.votes_revealed:
            label = ngettext("%(n)s stip", "%(n)s stippen", card.votes) % {"n": card.votes}
            html.append(f'<p class="small muted">{escape(label)}</p>')
        if card.own_inside:
            html.append(own_inside)
        elif prompt.votes_per_person and (card.voted or wall.votes_left):
            html.append(form_start.format(url=f"{vote_prefix}{card.pk}/stip/"))
            html.append(take if card.voted else give)
        html.append("</li>")
        parts.append("".join(html))
    return mark_safe("\n".join(parts))  # every text in it went through escape()


def _lines(text: str) -> str:
    """A typed text as HTML: escaped, line breaks kept."""
    return escape(text).replace("\n", "<br>")


def participant_wall_context(
    claim: Claim,
    *,
    csrf_token: str = "",
    editing: int | None = None,
    typed: dict | None = None,
    errors: dict | None = None,
    message: str = "",
    none_open: bool = False,
) -> dict:
    """What the participant's wall shows: every open prompt with their own contributions
    (editable), a form for a new one, and the others' contributions to give a stip.

    `typed` and `errors` ({prompt pk: text / message}) keep what a refused form sent, so
    nothing typed is lost. Three queries plus one for the version; only the version's with
    `none_open` (the caller read in this request that no prompt is open: the personal page).
    """
    participant = claim.participant
    prompts = (
        []
        if none_open
        else Prompt.objects.filter(evaluation_id=participant.evaluation_id, state="open").order_by(
            "order", "pk"
        )
    )
    walls = wall_prompts(prompts, participant=participant)
    typed, errors = typed or {}, errors or {}
    for wall in walls:
        wall.mine = [card for card in wall.cards if card.mine]
        wall.others = [card for card in wall.cards if not card.mine]
        # Merged into someone else's card: still theirs to change or remove.
        for card in wall.others:
            for merged in card.merged:
                if merged.participant_id == participant.pk:
                    wall.mine.append(type(card)(merged))
        wall.typed = typed.get(wall.prompt.pk, "")
        wall.error = errors.get(wall.prompt.pk, "")
    # One reverse() instead of one per card: the wall of a room has hundreds of cards.
    vote_prefix = reverse("participant:vote", args=[claim.token, 0]).removesuffix("0/stip/")
    for wall in walls:
        wall.others_html = _others_html(wall, vote_prefix=vote_prefix, csrf_token=csrf_token)
    return {
        "walls": walls,
        "token": claim.token,
        "participant": participant,
        "editing": editing,
        "client_token": new_client_token(),
        "max_length": CONTRIBUTION_MAX_LENGTH,
        "version": wall_version(participant.evaluation_id),
        "wall_message": message,
    }


def _editing(request: HttpRequest) -> int | None:
    raw = request.GET.get("bewerk", "")
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


@room.poll_view(room.TOKEN)
@private
def participant_wall(request: HttpRequest, token: str) -> HttpResponse:
    """The wall fragment of the personal page (poll target: 204 while nothing changed);
    opened by a browser without htmx, the personal page itself.

    Nothing new is answered from the wall's room version alone (sessions/live.py), without a
    query; else the database version (wall_version) decides.
    """
    poll = room.Poll(request, token)
    claim = Claim.objects.by_token(token)
    if claim is None:
        return _gone(request)
    if not _held_here(request, claim):
        return _elsewhere(request, claim)
    if not request.htmx:
        return redirect(reverse("participant:page", args=[claim.token]) + "#slotdialoog")
    poll.watch(room.wall_key(claim.participant.evaluation_id))
    if request.GET.get("v") == wall_version(claim.participant.evaluation_id):
        return poll.answer(HttpResponse(status=204))
    context = participant_wall_context(
        claim, editing=_editing(request), csrf_token=get_token(request)
    )
    return poll.answer(render(request, "participant/_wall.html", context))


def _answer(
    request: HttpRequest,
    claim: Claim,
    *,
    done: str = "",
    prompt_id: int | None = None,
    typed: str = "",
    error: str = "",
    status: int = 200,
    editing: int | None = None,
    edit_typed: str = "",
) -> HttpResponse:
    """After a participant's write: the wall in place (htmx), or back to the personal page.

    A refused write shows the page with what was typed and why, so nothing is lost.
    """
    if error and prompt_id is not None:
        context = participant_wall_context(
            claim,
            typed={prompt_id: typed},
            errors={prompt_id: error},
            csrf_token=get_token(request),
        )
        if not any(w.prompt.pk == prompt_id for w in context["walls"]):
            context["refused"] = {"text": typed, "error": error}
    else:
        context = participant_wall_context(
            claim, message=done, editing=editing, csrf_token=get_token(request)
        )
        context["edit_typed"] = edit_typed
        if error:
            context["wall_error"] = error
    if request.htmx:
        # htmx swaps 2xx answers only: a refusal is a normal answer for this fragment.
        return render(request, "participant/_wall.html", context)
    if not error:
        messages.success(request, done)
        return redirect(reverse("participant:page", args=[claim.token]) + "#slotdialoog")
    return render(request, "participant/wall_page.html", context, status=status)


def _status(error: ValidationError) -> int:
    return 409 if error.code in ("prompt_closed", "no_votes_left") else 400


@require_POST
@personal
def contribute(request: HttpRequest, claim: Claim, prompt_id: int) -> HttpResponse:
    """Write a contribution on an open prompt (sessions.wall.contribution_submit)."""
    text = request.POST.get("text", "")
    try:
        _contribution, created = contribution_submit(
            participant=claim.participant,
            prompt_id=prompt_id,
            text=text,
            client_token=request.POST.get("client_token", ""),
        )
    except Prompt.DoesNotExist as error:
        raise Http404 from error
    except ValidationError as error:
        return _answer(
            request,
            claim,
            prompt_id=prompt_id,
            typed=text[: CONTRIBUTION_MAX_LENGTH * 4],
            error=" ".join(error.messages),
            status=_status(error),
        )
    done = _("Je bijdrage staat op de wand.") if created else _("Je bijdrage stond er al.")
    return _answer(request, claim, done=done)


@require_POST
@personal
def contribution_change(request: HttpRequest, claim: Claim, contribution_id: int) -> HttpResponse:
    """The author changes (text) or removes (action=delete) their contribution."""
    participant = claim.participant
    try:
        if request.POST.get("action") == "delete":
            contribution_delete(participant=participant, contribution_id=contribution_id)
            done = _("Je bijdrage is van de wand gehaald.")
        else:
            contribution_edit(
                participant=participant,
                contribution_id=contribution_id,
                text=request.POST.get("text", ""),
            )
            done = _("Je bijdrage is gewijzigd.")
    except Contribution.DoesNotExist as error:
        raise Http404 from error
    except ValidationError as error:
        # What they typed stays in the box, with the reason beside it.
        return _answer(
            request,
            claim,
            error=" ".join(error.messages),
            status=_status(error),
            editing=contribution_id,
            edit_typed=request.POST.get("text", "")[: CONTRIBUTION_MAX_LENGTH * 4],
        )
    return _answer(request, claim, done=done)


@require_POST
@personal
def vote(request: HttpRequest, claim: Claim, contribution_id: int) -> HttpResponse:
    """Give a stip (action=add, the default) or take it back (action=remove)."""
    participant = claim.participant
    try:
        if request.POST.get("action") == "remove":
            vote_withdraw(participant=participant, contribution_id=contribution_id)
            done = _("Je stip is weggehaald.")
        else:
            vote_cast(participant=participant, contribution_id=contribution_id)
            done = _("Je stip staat erop.")
    except Contribution.DoesNotExist as error:
        raise Http404 from error
    except ValidationError as error:
        return _answer(request, claim, error=" ".join(error.messages), status=_status(error))
    return _answer(request, claim, done=done)
