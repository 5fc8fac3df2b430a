"""The wall of the verdiepende slotdialoog: prompts, contributions and votes (issue 15).

Every write is a keyword-only function named <noun>_<verb>, in one transaction, and raises
ValidationError with a Dutch message (and a `code`) when it would break a rule of the room;
the views only translate that to HTTP. Each write bumps the prompt's `state_version`, the
same live-version mechanism as the rounds (a database counter that polls compare with what
they saw; 204 while nothing changed), so every server process shows the same wall.

The rules, in one place:
- a contribution is 1..CONTRIBUTION_MAX_LENGTH characters of plain text, written, changed
  and removed by its author only, and only while its prompt is open;
- a form sent twice (double click, resent after a lost answer) makes one contribution: the
  form carries a client token, unique per participant;
- a vote goes to someone else's visible contribution on an open prompt, at most one per
  contribution and `votes_per_person` per prompt (both also held by the database);
- nobody's stip counts on a card that holds a contribution of their own, and a stip is never
  locked where its voter cannot take it off: merging returns the stips of the group's own
  authors and a voter's second stip in one group, hiding returns the stips on what is hidden
  (settle_votes);
- the facilitator hides, pins, merges (one level deep) and reveals the vote totals;
- the room never sees who wrote what; the team sees names only where the evaluation allows
  names (`Evaluation.names_in_interim_report`).
"""

import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q, Sum
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluatiespiegel.text import normalise_typed
from scoring.conditions import Condition, condition_rank

from .live import wall_changed
from .models import (
    CONTRIBUTION_MAX_LENGTH,
    VOTES_MAX,
    Contribution,
    Evaluation,
    Participant,
    Prompt,
    PromptKind,
    PromptState,
    ReconstructionSession,
    SessionState,
    Vote,
)

# Error codes, for views and tests.
CLOSED = "prompt_closed"
EMPTY = "empty"
TOO_LONG = "too_long"
NOT_YOURS = "not_yours"
OWN = "own_contribution"
HIDDEN = "hidden"
MERGED = "merged"
NO_VOTES_LEFT = "no_votes_left"
ELSEWHERE = "other_evaluation"
TOO_FAST = "too_fast"

CONTRIBUTIONS_PER_MINUTE = 20
"""How many contributions one participant may send per minute. A room of 200 sends 200 a
minute between them; one device sending more than this is a script or a stuck key."""

PARADOX_QUESTION = gettext_lazy(
    "Kracht versus tegenkracht: wat herken je? Geef een voorbeeld uit je eigen praktijk."
)
RECOMMENDATION_QUESTION = gettext_lazy("Welke aanbeveling geef je een nieuwe alliantie?")


def contract_prompt(theme: str, *, alliance: bool, other_form: str) -> tuple[str, str]:
    """(title, question) of the prompt for one side of a contract-form theme: the alliance's
    side or the other contract form's (source §2 compares them per theme)."""
    if alliance:
        return (
            _("%(theme)s · in de alliantie") % {"theme": theme},
            _("Hoe ging dit in de alliantie? Een voorbeeld."),
        )
    return (
        _("%(theme)s · bij %(form)s") % {"theme": theme, "form": other_form},
        _("Hoe gaat dit bij %(form)s? Een voorbeeld.") % {"form": other_form},
    )


DEFAULT_THEMES = (
    gettext_lazy("Flexibiliteit"),
    gettext_lazy("Gezamenlijke risicodragers"),
    gettext_lazy("Vertrouwen en relatieopbouw"),
    gettext_lazy("Relaties met externe stakeholders"),
    gettext_lazy("Escalatie en besluitvorming"),
)
"""The contract-form themes of the method (source §2), for an evaluation without its own."""


@dataclass(frozen=True)
class PromptSpec:
    """A prompt someone wants on the wall: `key` identifies where it comes from
    ("paradox:ambitie", "hoevraag:12", "thema:3:alliantie"); one prompt per key."""

    key: str
    kind: str
    title: str
    question: str = ""


prompt_sources = Signal()
"""Sent with `evaluation` by prompts_default_create; a receiver returns a list of PromptSpec
(the reports app: the evaluation's own paradoxes, contract themes and how-questions)."""


def _fallback_specs(evaluation: Evaluation, keys: set[str]) -> list[PromptSpec]:
    """The method's own prompts where the evaluation has no text of its own yet."""
    specs = [
        PromptSpec(
            key=f"paradox:{condition.value}",
            kind=PromptKind.PARADOX,
            title=_("%(condition)s: kracht versus tegenkracht") % {"condition": condition.label},
            question=str(PARADOX_QUESTION),
        )
        for condition in Condition
        if f"paradox:{condition.value}" not in keys
    ]
    if not any(key.startswith("thema:") for key in keys):
        for number, theme in enumerate(DEFAULT_THEMES, start=1):
            for side in ("alliantie", "ander"):
                title, question = contract_prompt(
                    str(theme), alliance=side == "alliantie", other_form=_("D&C")
                )
                specs.append(
                    PromptSpec(
                        key=f"thema:standaard-{number}:{side}",
                        kind=PromptKind.CONTRACT,
                        title=title,
                        question=question,
                    )
                )
    return specs


@transaction.atomic
def prompts_default_create(*, evaluation: Evaluation) -> list[Prompt]:
    """Make the default prompts of the slotdialoog: one per paradox (per condition), a pair
    per contract-form theme ("Alliantie: …" / "D&C: …") and one per how-question.

    The texts come from the evaluation's report (through `prompt_sources`) where it has
    them, else from the method. Prompts that exist (same key) are left alone, so this can
    run again after the analyst added a how-question. Returns the prompts made.
    """
    Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    specs: list[PromptSpec] = []
    for _receiver, answer in prompt_sources.send(sender=Evaluation, evaluation=evaluation):
        specs.extend(answer or [])
    specs += _fallback_specs(evaluation, {s.key for s in specs})
    order = {PromptKind.PARADOX: 0, PromptKind.CONTRACT: 1, PromptKind.RECOMMENDATION: 2}
    # Paradoxes in the method's order, whether the report's own or the method's fallback.
    specs.sort(
        key=lambda s: (
            order.get(s.kind, 3),
            condition_rank(s.key.split(":", 1)[1]) if s.kind == PromptKind.PARADOX else 0,
        )
    )
    existing = set(evaluation.prompts.values_list("key", flat=True))
    last = evaluation.prompts.aggregate(m=Max("order"))["m"] or 0
    made = []
    for spec in specs:
        if spec.key in existing:
            continue
        last += 1
        made.append(
            Prompt(
                evaluation=evaluation,
                order=last,
                key=spec.key,
                kind=spec.kind,
                title=spec.title[:300],
                question=spec.question[:300],
            )
        )
        existing.add(spec.key)
    made = Prompt.objects.bulk_create(made)
    wall_changed(evaluation.pk)  # bulk_create sends no post_save
    return made


@transaction.atomic
def prompt_add(*, evaluation: Evaluation, title: str, question: str = "", votes: int = 3) -> Prompt:
    """A prompt of the facilitator's own, at the end of the wall."""
    title = " ".join(title.split())
    if not title:
        raise ValidationError(_("Geef de vraag een titel."), code=EMPTY)
    if not 0 <= votes <= VOTES_MAX:
        raise ValidationError(_("Kies 0 tot %(max)s stippen.") % {"max": VOTES_MAX})
    Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    last = evaluation.prompts.aggregate(m=Max("order"))["m"] or 0
    return Prompt.objects.create(
        evaluation=evaluation,
        order=last + 1,
        title=title[:300],
        question=" ".join(question.split())[:300],
        votes_per_person=votes,
    )


PROMPT_ACTIONS = {"open", "close", "reveal", "hide_votes", "reset"}


@transaction.atomic
def prompt_state_set(*, prompt: Prompt, action: str) -> Prompt:
    """Open or close a prompt, or show/hide its vote totals. Several prompts may be open at
    once. `reset` puts a prompt back in preparation, only while nobody wrote on it.

    Raises ValidationError for an unknown action, or revealing a prompt never opened.
    """
    prompt = Prompt.objects.select_for_update().get(pk=prompt.pk)
    now = timezone.now()
    if action == "open":
        prompt.state, prompt.opened_at, prompt.closed_at = PromptState.OPEN, now, None
    elif action == "close":
        prompt.state, prompt.closed_at = PromptState.GESLOTEN, now
    elif action == "reveal":
        if prompt.state == PromptState.VOORBEREIDING:
            raise ValidationError(_("Open de vraag eerst; er zijn nog geen stippen."))
        prompt.votes_revealed = True
    elif action == "hide_votes":
        prompt.votes_revealed = False
    elif action == "reset":
        if prompt.contributions.exists():
            raise ValidationError(
                _("Op deze vraag is al geschreven; sluit haar in plaats daarvan.")
            )
        prompt.state, prompt.opened_at, prompt.closed_at = PromptState.VOORBEREIDING, None, None
        prompt.votes_revealed = False
    else:
        raise ValidationError(_("Onbekende actie."))
    prompt.state_version = F("state_version") + 1
    prompt.save()
    prompt.refresh_from_db()
    return prompt


@transaction.atomic
def prompt_delete(*, prompt: Prompt) -> None:
    """Remove a prompt nobody wrote on (a mistake); a prompt with contributions stays."""
    if prompt.contributions.exists():
        raise ValidationError(_("Op deze vraag is al geschreven; die bijdragen blijven bewaard."))
    prompt.delete()


# --- Contributions ------------------------------------------------------------------------


def clean_text(raw: str) -> str:
    """The contribution as stored: trimmed, line ends unified, at most two lines apart, and
    without control characters other than line breaks and tabs (a NUL made PostgreSQL fail;
    the others only garble the projector). Format characters such as the zero-width joiner
    inside emoji stay.

    Raises ValidationError (EMPTY, TOO_LONG) with the limit in the message.
    """
    raw = _without_controls(raw.replace("\r\n", "\n"))
    text = "\n".join(line.rstrip() for line in raw.replace("\r\n", "\n").split("\n")).strip()
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    # Only invisible characters (a zero-width space pasted from a chat) is empty too: it made a
    # blank card on the wall (second new-user pass).
    if not normalise_typed(text):
        raise ValidationError(_("Schrijf eerst iets op."), code=EMPTY)
    if len(text) > CONTRIBUTION_MAX_LENGTH:
        raise ValidationError(
            _("Houd het kort: hooguit %(max)s tekens, nu %(length)s.")
            % {"max": CONTRIBUTION_MAX_LENGTH, "length": len(text)},
            code=TOO_LONG,
        )
    return text


def _without_controls(text: str) -> str:
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def new_client_token() -> str:
    """A fresh token for a contribution form (see Contribution.client_token)."""
    return uuid.uuid4().hex


def _prompt_for(participant: Participant, prompt_id: int, *, lock: bool = False) -> Prompt:
    prompts = Prompt.objects.select_for_update() if lock else Prompt.objects
    prompt = prompts.filter(pk=prompt_id).first()
    if prompt is None or prompt.evaluation_id != participant.evaluation_id:
        raise Prompt.DoesNotExist
    return prompt


def _open(prompt: Prompt) -> None:
    if prompt.is_open:
        return
    if prompt.state == PromptState.VOORBEREIDING:
        # Not "gesloten": nothing was missed, the facilitator has yet to open it.
        message = _(
            "Deze vraag is nog niet geopend: wacht tot de facilitator haar opent. "
            "Wat je schreef is hieronder."
        )
    else:
        message = _(
            "Deze vraag is gesloten: er kan niets meer bij of af. Wat je schreef is hieronder."
        )
    raise ValidationError(message, code=CLOSED)


def contribution_submit(
    *, participant: Participant, prompt_id: int, text: str, client_token: str
) -> tuple[Contribution, bool]:
    """Write a contribution on an open prompt of the participant's own evaluation.

    Returns (contribution, created): a form sent again with the same `client_token` returns
    the contribution it made the first time (created False), so a double click never makes
    two. Raises Prompt.DoesNotExist for a prompt of another evaluation (a 404 to the
    participant), and ValidationError for a closed prompt, an empty or too long text, or
    more than CONTRIBUTIONS_PER_MINUTE in the last minute.
    """
    # The form's token comes back as the client sent it: only its harmless characters count.
    client_token = re.sub(r"[^0-9A-Za-z_-]", "", client_token or "")[:40] or new_client_token()
    earlier = Contribution.objects.filter(participant=participant, client_token=client_token)
    with transaction.atomic():
        prompt = _prompt_for(participant, prompt_id, lock=True)
        found = earlier.first()
        if found is not None:
            return found, False
        _open(prompt)
        text = clean_text(text)
        since = timezone.now() - timedelta(minutes=1)
        recent = Contribution.objects.filter(participant=participant, created_at__gte=since)
        if recent.count() >= CONTRIBUTIONS_PER_MINUTE:
            raise ValidationError(
                _(
                    "Je schrijft sneller dan de zaal kan lezen. Wacht een minuut en probeer het opnieuw."
                ),
                code=TOO_FAST,
            )
        try:
            with transaction.atomic():
                contribution = Contribution.objects.create(
                    prompt=prompt, participant=participant, text=text, client_token=client_token
                )
        except IntegrityError:
            # The same form, sent twice at the same instant: the other request made it.
            return earlier.get(), False
        prompt.bump()
    return contribution, True


def _own(participant: Participant, contribution_id: int) -> Contribution:
    contribution = (
        Contribution.objects.select_for_update()
        .select_related("prompt")
        .filter(pk=contribution_id, prompt__evaluation_id=participant.evaluation_id)
        .first()
    )
    if contribution is None:
        raise Contribution.DoesNotExist
    if contribution.participant_id != participant.pk:
        raise ValidationError(_("Je kunt alleen je eigen bijdragen wijzigen."), code=NOT_YOURS)
    return contribution


@transaction.atomic
def contribution_edit(*, participant: Participant, contribution_id: int, text: str) -> Contribution:
    """The author changes their contribution while its prompt is open (same rules as writing)."""
    contribution = _own(participant, contribution_id)
    _open(contribution.prompt)
    contribution.text = clean_text(text)
    contribution.save(update_fields=["text", "updated_at"])
    contribution.prompt.bump()
    return contribution


@transaction.atomic
def contribution_delete(*, participant: Participant, contribution_id: int) -> None:
    """The author takes their contribution off the wall while its prompt is open.

    Contributions merged into it become separate again; its votes go with it.
    """
    contribution = _own(participant, contribution_id)
    _open(contribution.prompt)
    prompt = contribution.prompt
    contribution.delete()
    prompt.bump()


def _team_contribution(evaluation: Evaluation, contribution_id: int) -> Contribution:
    contribution = (
        Contribution.objects.select_for_update()
        .select_related("prompt")
        .filter(pk=contribution_id, prompt__evaluation=evaluation)
        .first()
    )
    if contribution is None:
        raise Contribution.DoesNotExist
    return contribution


MODERATE_ACTIONS = {"hide", "show", "pin", "unpin", "unmerge"}


@transaction.atomic
def contribution_moderate(
    *, evaluation: Evaluation, contribution_id: int, action: str
) -> Contribution:
    """The facilitator hides or shows, pins or unpins a contribution, or takes it out of
    the group it was merged into. Works on open and closed prompts alike.

    Hiding returns the stips on the contribution (and on those merged into it, which leave
    the wall with it) to their voters: nobody can take a stip off a card they no longer
    see. Showing it again starts it without stips.
    """
    contribution = _team_contribution(evaluation, contribution_id)
    if action not in MODERATE_ACTIONS:
        raise ValidationError(_("Onbekende actie."))
    if action in ("hide", "show"):
        contribution.hidden = action == "hide"
        if contribution.hidden:
            # Off the wall for the room: its stips (and its group's) go back to their voters.
            Vote.objects.filter(
                Q(contribution=contribution) | Q(contribution__merged_into=contribution)
            ).delete()
    elif action in ("pin", "unpin"):
        contribution.pinned = action == "pin"
    else:
        contribution.merged_into = None
    contribution.save(update_fields=["hidden", "pinned", "merged_into", "updated_at"])
    contribution.prompt.bump()
    return contribution


@transaction.atomic
def contribution_merge(
    *, evaluation: Evaluation, contribution_id: int, into_id: int
) -> Contribution:
    """Put a contribution under another of the same prompt: the wall shows them as one card
    with the votes of both (each voter counted once). Groups are one level deep: merging a
    group into another card takes its members along. Returns the card that remains.
    """
    contribution = _team_contribution(evaluation, contribution_id)
    try:
        target = _team_contribution(evaluation, into_id)
    except Contribution.DoesNotExist as error:
        raise ValidationError(
            _("Er is geen bijdrage met nummer %(nr)s bij deze vraag.") % {"nr": into_id}
        ) from error
    if target.pk == contribution.pk:
        raise ValidationError(_("Kies een andere bijdrage om mee samen te voegen."))
    if target.prompt_id != contribution.prompt_id:
        raise ValidationError(_("Alleen bijdragen bij dezelfde vraag kunnen samen."))
    if target.merged_into_id is not None:
        target = _team_contribution(evaluation, target.merged_into_id)
        if target.pk == contribution.pk:
            raise ValidationError(_("Deze bijdragen horen al bij elkaar."))
    Contribution.objects.filter(merged_into=contribution).update(merged_into=target)
    contribution.merged_into = target
    contribution.save(update_fields=["merged_into", "updated_at"])
    settle_votes(target)
    contribution.prompt.bump()
    return target


def _group(card: Contribution):
    """The contributions that show as one card: `card` and those merged into it."""
    return Contribution.objects.filter(Q(pk=card.pk) | Q(merged_into_id=card.pk))


def settle_votes(card: Contribution) -> int:
    """Return the stips that may not stay on a card after a merge (to their voters, who can
    give them again elsewhere): every stip of an author of a contribution in the group (no
    stip counts on a card with one's own contribution, and the author could not take it
    off: the card is theirs), and a voter's second stip within the one group (it counted
    once and held a second place). Returns how many stips went back.
    """
    group = _group(card)
    authors = set(group.values_list("participant_id", flat=True))
    returned = Vote.objects.filter(contribution__in=group, participant_id__in=authors).delete()[0]
    seen, twice = set(), []
    for pk, voter in (
        Vote.objects.filter(contribution__in=group)
        .order_by("created_at", "pk")
        .values_list("pk", "participant_id")
    ):
        if voter in seen:
            twice.append(pk)
        seen.add(voter)
    if twice:
        returned += Vote.objects.filter(pk__in=twice).delete()[0]
    return returned


# --- Votes ("stippen") --------------------------------------------------------------------


def vote_cast(*, participant: Participant, contribution_id: int) -> Vote:
    """Give someone else's contribution a stip. Voting again on the same one is no change.

    Raises Contribution.DoesNotExist for a contribution outside the participant's evaluation,
    and ValidationError for one's own, a hidden or merged contribution, a closed prompt,
    or when the prompt's stippen are used up.
    """
    with transaction.atomic():
        contribution = (
            Contribution.objects.select_related("prompt")
            .filter(pk=contribution_id, prompt__evaluation_id=participant.evaluation_id)
            .first()
        )
        if contribution is None:
            raise Contribution.DoesNotExist
        prompt = Prompt.objects.select_for_update().get(pk=contribution.prompt_id)
        _open(prompt)
        if contribution.participant_id == participant.pk:
            raise ValidationError(_("Op je eigen bijdrage kun je geen stip zetten."), code=OWN)
        if contribution.hidden:
            raise ValidationError(_("Deze bijdrage staat niet meer op de wand."), code=HIDDEN)
        if contribution.merged_into_id is not None:
            raise ValidationError(
                _("Deze bijdrage is samengevoegd; zet je stip op de kaart waar ze nu bij staat."),
                code=MERGED,
            )
        group = _group(contribution)
        if group.filter(participant=participant).exists():
            raise ValidationError(
                _("Bij deze kaart staat je eigen bijdrage; daar kun je geen stip op zetten."),
                code=OWN,
            )
        mine = Vote.objects.filter(participant=participant, prompt=prompt)
        existing = mine.filter(contribution__in=group).first()
        if existing is not None:
            return existing
        taken = set(mine.values_list("slot", flat=True))
        free = [s for s in range(1, prompt.votes_per_person + 1) if s not in taken]
        if not free:
            raise ValidationError(
                _(
                    "Je stippen voor deze vraag zijn op (%(n)s). Haal er een weg om opnieuw te kiezen."
                )
                % {"n": prompt.votes_per_person},
                code=NO_VOTES_LEFT,
            )
        try:
            with transaction.atomic():
                vote = Vote.objects.create(
                    prompt=prompt, contribution=contribution, participant=participant, slot=free[0]
                )
        except IntegrityError as error:
            # Another device of this participant voted at the same instant.
            raise ValidationError(
                _("Je stip is niet gezet: probeer het nog een keer."), code=NO_VOTES_LEFT
            ) from error
        prompt.bump()
    return vote


@transaction.atomic
def vote_withdraw(*, participant: Participant, contribution_id: int) -> bool:
    """Take one's stip off a card while the prompt is open: off the contribution, or off any
    contribution merged into it (the stip was given before the merge). Returns whether
    there was one."""
    votes = Vote.objects.select_related("prompt").filter(
        Q(contribution_id=contribution_id) | Q(contribution__merged_into_id=contribution_id),
        participant=participant,
    )
    vote = votes.first()
    if vote is None:
        return False
    _open(vote.prompt)
    votes.delete()
    vote.prompt.bump()
    return True


# --- What the pages show ------------------------------------------------------------------


def wall_version(evaluation_id: int) -> str:
    """The live version of an evaluation's wall: changes with every write to a prompt, its
    contributions or its votes, and when prompts are added or removed. One query."""
    found = Prompt.objects.filter(evaluation_id=evaluation_id).aggregate(
        v=Sum("state_version"), n=Count("pk"), m=Max("pk")
    )
    return f"w{found['n']}.{found['m'] or 0}.{found['v'] or 0}"


@dataclass(slots=True)
class Note:
    """A contribution as the wall reads it: the columns it shows, no model instance.

    A wall of 200 contributions is read on every poll that finds a change; building model
    instances (and their participants) took 40 ms of a 50 ms answer.
    """

    pk: int
    prompt_id: int
    participant_id: int
    text: str
    hidden: bool
    pinned: bool
    merged_into_id: int | None
    author: str = ""


NOTE_COLUMNS = ("pk", "prompt_id", "participant_id", "text", "hidden", "pinned", "merged_into_id")


@dataclass(slots=True)
class Card:
    """One card on the wall: a contribution with the ones merged into it."""

    contribution: Note
    merged: list[Note] = field(default_factory=list)
    votes: int = 0
    mine: bool = False
    own_inside: bool = False
    voted: bool = False
    used: list[str] = field(default_factory=list)
    start_text: str = ""

    @property
    def pk(self) -> int:
        return self.contribution.pk

    @property
    def text(self) -> str:
        return self.contribution.text

    @property
    def pinned(self) -> bool:
        return self.contribution.pinned


@dataclass
class WallPrompt:
    prompt: Prompt
    cards: list[Card]
    votes_left: int = 0
    hidden: list[Note] = field(default_factory=list)


def wall_prompts(
    prompts, *, participant: Participant | None = None, team: bool = False, names: bool = False
) -> list[WallPrompt]:
    """The prompts as the wall shows them: cards (pinned first, then by stippen once revealed
    or for the team, else oldest first), merged contributions under their card, hidden ones
    left out (kept apart for the team). For a participant: which cards are theirs, which
    they gave a stip, and how many stippen they have left. With `names`, each note carries
    its author's name (only for the team of an evaluation that allows names).
    Three queries (four with names), whatever the number of prompts and contributions.
    """
    prompts = list(prompts)
    ids = [p.pk for p in prompts]
    columns = NOTE_COLUMNS + (("participant__name",) if names else ())
    notes = [
        Note(*row[:7], author=row[7] if names else "")
        for row in Contribution.objects.filter(prompt_id__in=ids)
        .order_by("created_at", "pk")
        .values_list(*columns)
    ]
    voters: dict[int, set[int]] = {}
    mine_voted = set()
    used: dict[int, int] = {}
    for contribution_id, voter, prompt_id in Vote.objects.filter(prompt_id__in=ids).values_list(
        "contribution_id", "participant_id", "prompt_id"
    ):
        voters.setdefault(contribution_id, set()).add(voter)
        if participant is not None and voter == participant.pk:
            mine_voted.add(contribution_id)
            used[prompt_id] = used.get(prompt_id, 0) + 1
    cards: dict[int, Card] = {}
    hidden: dict[int, list[Note]] = {}
    for note in notes:
        if note.hidden:
            hidden.setdefault(note.prompt_id, []).append(note)
        elif note.merged_into_id is None:
            cards[note.pk] = Card(note)
    for note in notes:
        if not note.hidden and note.merged_into_id in cards:
            cards[note.merged_into_id].merged.append(note)
    per_prompt: dict[int, list[Card]] = {}
    for card in cards.values():
        if card.merged:
            group = [card.contribution, *card.merged]
            authors = {n.participant_id for n in group}
            # The rule of settle_votes, also for stips given before it was kept.
            card.votes = len(set().union(*(voters.get(n.pk, ()) for n in group)) - authors)
        else:
            group = [card.contribution]
            authors = {card.contribution.participant_id}
            card.votes = len(voters.get(card.pk, set()) - authors)
        if participant is not None:
            card.mine = card.contribution.participant_id == participant.pk
            card.own_inside = participant.pk in authors
            card.voted = any(n.pk in mine_voted for n in group)
        per_prompt.setdefault(card.contribution.prompt_id, []).append(card)
    result = []
    for prompt in prompts:
        on_prompt = per_prompt.get(prompt.pk, [])
        if prompt.votes_revealed or team:
            on_prompt.sort(key=lambda card: (not card.pinned, -card.votes))
        else:
            on_prompt.sort(key=lambda card: not card.pinned)
        result.append(
            WallPrompt(
                prompt=prompt,
                cards=on_prompt,
                votes_left=max(0, prompt.votes_per_person - used.get(prompt.pk, 0)),
                hidden=hidden.get(prompt.pk, []) if team else [],
            )
        )
    return result


def on_screen(evaluation: Evaluation):
    """The prompts the projector shows: every open prompt, else the one closed last."""
    prompts = evaluation.prompts.all()
    open_prompts = prompts.filter(state=PromptState.OPEN).order_by("order", "pk")
    if open_prompts.exists():
        return open_prompts
    return prompts.filter(state=PromptState.GESLOTEN).order_by(
        F("closed_at").desc(nulls_last=True), "-pk"
    )[:1]


def open_prompts(evaluation_id: int) -> list[tuple[int, str]]:
    """(pk, title) of the evaluation's open prompts, in wall order: what a participant's
    status line says is open besides the rounds. One query."""
    return list(
        Prompt.objects.filter(evaluation_id=evaluation_id, state=PromptState.OPEN)
        .order_by("order", "pk")
        .values_list("pk", "title")
    )


WALL, ROUND = "wand", "ronde"


def live_screen(evaluation_id: int) -> str | None:
    """What the evaluation's projector link (`/e/<token>/`, "follows the room") shows now.

    The one rule, used by the link's page, its poll and the console's line
    (projector_link_shows): an open round wins. ROUND while any reconstruction round is open
    (results shown or hidden, whatever the wall does); else WALL while a prompt of the
    slotdialoog is open; else None: the link shows the last closed round, or the join code
    when no round has run. The wall's own link (`…/slotdialoog/`) always shows the wall.

    Why the round wins and not "the one opened last": a prompt (re)opened during a round
    took the screen away from results the room was discussing, and no reveal or group change
    brought them back (new-user pass, 2026-11). The facilitator who wants the wall while a
    round is open opens the wall's own link. Every input is a state that bumps the room key
    when it changes (sessions/signals.py), so the link's poll follows at its next poll.
    At most two queries.
    """
    if ReconstructionSession.objects.filter(
        evaluation_id=evaluation_id, state=SessionState.OPEN
    ).exists():
        return ROUND
    if Prompt.objects.filter(evaluation_id=evaluation_id, state=PromptState.OPEN).exists():
        return WALL
    return None


def projector_link_shows(link) -> str:
    """The console's sentence about what `link` (a ProjectorLink) shows now, by live_screen's
    rule and the round the link picks (ProjectorLink.current_session). Dutch, translated."""
    screen = live_screen(link.evaluation_id)
    if screen == WALL:
        return _("Nu op de projector: de slotdialoog (de wand), want er is geen ronde open.")
    session = link.current_session()
    if session is None:
        return _("Nu op de projector: de deelnamecode; er is nog geen ronde geweest.")
    where = _("dag %(day)s · ronde %(slot)s · %(title)s") % {
        "day": session.day,
        "slot": session.slot,
        "title": session.key_moment.title,
    }
    if screen == ROUND:
        return _("Nu op de projector: de open ronde (%(where)s).") % {"where": where}
    return _("Nu op de projector: de laatst gesloten ronde (%(where)s); er is niets open.") % {
        "where": where
    }


def team_sees_names(evaluation: Evaluation) -> bool:
    """Whether the team sees who wrote what: only where the evaluation allows names (the
    setting "namen in de tussenrapportage"); the room never does. The rule itself is
    Evaluation.team_sees_names, one place for the wall, the session page and the exports."""
    return evaluation.team_sees_names
