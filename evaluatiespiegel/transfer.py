"""One whole evaluation as JSON, and back: for backups and for moving to another server.

The file holds no database ids: key moments are referred to by their order, participants
by their personal token, sessions, prompts and contributions by their position in the file.
Team members (Django users) belong to a server, not to an evaluation file, and are not
included. What else stays out, model by model and field by field, is listed with its reason
in NOT_EXPORTED_MODELS and NOT_EXPORTED_FIELDS; a test walks Django's apps registry and
fails for any model or field that is neither in the file (EXPORTED) nor on those lists, so
a model added later cannot be forgotten silently.
"""

import base64
import binascii
import io
import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from reports.images import image_clean
from reports.models import (
    ConclusionTheme,
    ContractTheme,
    ContractThemePoint,
    HowQuestion,
    Paradox,
    ParadoxQuote,
    Recommendation,
    ReportBlock,
    ReportKind,
    ReportOutline,
    ReportText,
)
from reports.outline import outline_for, preset_apply
from scoring.conditions import CONDITION_FIELDS, POINTS_TOTAL, condition_order
from scoring.models import Allocation, AllocationChange, points_total_message
from sessions.models import (
    Contribution,
    Evaluation,
    KeyMoment,
    Participant,
    Prompt,
    ReconstructionSession,
    Vote,
)

FORMAT = "evaluatiespiegel-evaluatie"
VERSION = 1

EVALUATION_FIELDS = [
    "title", "slug", "client", "contractor", "description", "central_questions", "starts_on",
    "ends_on", "join_code", "self_registration", "names_in_interim_report", "min_group_size",
]  # fmt: skip
KEY_MOMENT_FIELDS = ["order", "title", "phase", "period", "description"]
PARTICIPANT_FIELDS = ["name", "organisation", "role", "token"]
# Written since the slotdialoog came to the file; older files lack them (the model's default).
PARTICIPANT_LATER_FIELDS = [
    "pseudonym", "wall_pseudonym", "self_registered", "created_at", "anonymised_at",
]  # fmt: skip
SESSION_FIELDS = [
    "day", "slot", "room", "state", "reconstruction", "reflections", "insights", "lessons",
    "live_results", "revealed", "opened_at", "closed_at",
]  # fmt: skip
REPORT_FIELDS = [
    f.name
    for f in ReportText._meta.get_fields()
    if f.concrete and f.name not in {"id", "evaluation", "updated_at", "logo"}
]
BLOCK_FIELDS = ["order", "kind", "enabled", "level", "numbered", "title", "body", "slot", "part",
                "width", "image_type"]  # fmt: skip
PROMPT_FIELDS = [
    "order", "kind", "key", "title", "question", "state", "votes_per_person", "votes_revealed",
    "opened_at", "closed_at",
]  # fmt: skip
CONTRIBUTION_FIELDS = ["text", "client_token", "hidden", "pinned", "created_at", "updated_at"]
PARADOX_FIELDS = ["condition", "title", "practice", "theory"]
THEME_FIELDS = ["order", "title", "alliance", "other"]

# Every model with a path to Evaluation, and the fields of it the file holds (relations
# under the name of the key that stands for them in the file: a position, token or order).
EXPORTED = {
    "workshop.KeyMoment": KEY_MOMENT_FIELDS,
    "workshop.Participant": PARTICIPANT_FIELDS + PARTICIPANT_LATER_FIELDS,
    "workshop.ReconstructionSession": [*SESSION_FIELDS, "key_moment", "participants"],
    "workshop.ReconstructionSession_participants": ["reconstructionsession", "participant"],
    "scoring.Allocation": ["session", "participant", *CONDITION_FIELDS, "created_at",
                           "updated_at"],
    "scoring.AllocationChange": ["session", "participant", "old_points", "new_points",
                                 "changed_by", "changed_at"],
    "reports.ReportText": [*REPORT_FIELDS, "logo"],
    "reports.ReportOutline": ["kind", "preset"],
    "reports.ReportBlock": [*BLOCK_FIELDS, "image"],
    "reports.Paradox": PARADOX_FIELDS,
    "reports.ParadoxQuote": ["order", "text", "source", "source_digest"],
    "reports.HowQuestion": ["condition", "order", "text"],
    "reports.Recommendation": ["order", "text", "source", "source_digest"],
    "reports.ContractTheme": THEME_FIELDS,
    "reports.ContractThemePoint": ["side", "order", "text", "source", "source_digest"],
    "reports.ConclusionTheme": ["order", "title", "text"],
    "workshop.Prompt": PROMPT_FIELDS,
    "workshop.Contribution": ["prompt", "participant", *CONTRIBUTION_FIELDS, "merged_into"],
    "workshop.Vote": ["contribution", "participant", "slot", "created_at"],
}  # fmt: skip

NOT_EXPORTED_MODELS = {
    # Access is given to the users of one server; the file knows no users.
    "workshop.EvaluationMember": "teamleden horen bij een server",
    # Which device holds a name is a cookie of the old server: people pick their name again.
    "workshop.Claim": "apparaatkoppeling van de oude server",
    # Secret, revocable links: a link of the old server must not open the copy.
    "workshop.ProjectorLink": "geheime links van de oude server",
    # The throttle's log of wrong join codes per client address: not the evaluation's content.
    "workshop.JoinAttempt": "logboek van de drempel tegen raden",
    # Rendered PDF/Word files: made again from the data on demand.
    "reports.RenderedReport": "opgemaakte bestanden, opnieuw te maken",
    # An uploaded Word file waiting for the analyst's decision, against this server's preview.
    "reports.OutlineImport": "geüpload bestand dat op een beslissing wacht",
}

NOT_EXPORTED_FIELDS = {
    # When the row was made on this server; an import is a new evaluation here.
    "workshop.Evaluation.created_at": "aangemaakt op deze server",
    # Live counters that pages poll: they start again on a new server.
    "workshop.ReconstructionSession.state_version": "live-teller",
    "workshop.Prompt.state_version": "live-teller",
    # A running round clock of the room is gone by the time a file is read back.
    "workshop.ReconstructionSession.timer_kind": "lopende klok in de zaal",
    "workshop.ReconstructionSession.timer_ends_at": "lopende klok in de zaal",
    # The hash of a personal link of the old server (the Claim, which stays there too).
    "workshop.Participant.removed_link": "link van de oude server",
    # A stip's prompt is its contribution's prompt.
    "workshop.Vote.prompt": "volgt uit de bijdrage",
    # Set on every save: the file's own time of writing would be lost anyway.
    "reports.ReportText.updated_at": "wijzigt bij elke opslag",
    "reports.ReportOutline.updated_at": "wijzigt bij elke opslag",
}

# Files written before reports had an outline kept the chapter texts and the switches of the
# insight blocks on the report itself.
LEGACY_SWITCHES = {
    "show_imbalance": "imbalance",
    "show_roles": "roles",
    "show_agreement": "agreement",
    "show_lifecycle": "lifecycle",
}
LEGACY_TEXTS = [
    "introduction", "reason", "method", "goal", "contract_intro", "contract_conclusion",
    "theory", "theory_charts", "paradoxes_intro", "how_questions_intro", "conclusion_intro",
    "closing",
]  # fmt: skip


def _value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _fields(obj, names) -> dict:
    return {name: _value(getattr(obj, name)) for name in names}


HOW_QUESTION_KEY = re.compile(r"hoevraag:(\d+)")
THEME_KEY = re.compile(r"thema:(\d+):(\w+)")
FILE_HOW_QUESTION_KEY = re.compile(r"hoevraag:#(\d+)")
FILE_THEME_KEY = re.compile(r"thema:#(\d+):(\w+)")


def _file_key(key: str, questions: dict[int, int], themes: dict[int, int]) -> str:
    """A prompt's key with the database id in it replaced by the position in the file
    ("hoevraag:12" → "hoevraag:#3", the third how-question of the file). A key whose
    how-question or theme is gone points at nothing any more and is left empty."""
    if match := HOW_QUESTION_KEY.fullmatch(key):
        position = questions.get(int(match[1]))
        return "" if position is None else f"hoevraag:#{position + 1}"
    if match := THEME_KEY.fullmatch(key):
        position = themes.get(int(match[1]))
        return "" if position is None else f"thema:#{position + 1}:{match[2]}"
    return key


def _slotdialoog_export(
    evaluation: Evaluation, questions: list, themes: list
) -> tuple[dict, dict[int, int]]:
    """The prompts, contributions and stippen, and each contribution's position in the file
    ({pk: index}) for the report items taken from them."""
    prompts = list(evaluation.prompts.order_by("order", "pk"))
    prompt_at = {p.pk: index for index, p in enumerate(prompts)}
    question_at = {q.pk: index for index, q in enumerate(questions)}
    theme_at = {t.pk: index for index, t in enumerate(themes)}
    contributions = sorted(
        Contribution.objects.filter(prompt__evaluation=evaluation).select_related("participant"),
        key=lambda c: (prompt_at[c.prompt_id], c.created_at, c.pk),
    )
    contribution_at = {c.pk: index for index, c in enumerate(contributions)}
    votes = sorted(
        Vote.objects.filter(prompt__evaluation=evaluation).select_related("participant"),
        key=lambda v: (contribution_at[v.contribution_id], v.participant.token, v.slot),
    )
    return {
        "prompts": [
            {**_fields(p, PROMPT_FIELDS), "key": _file_key(p.key, question_at, theme_at)}
            for p in prompts
        ],
        "contributions": [
            {
                **_fields(c, CONTRIBUTION_FIELDS),
                "prompt": prompt_at[c.prompt_id],
                "participant": c.participant.token,
                "merged_into": contribution_at.get(c.merged_into_id),
            }
            for c in contributions
        ],
        "votes": [
            {
                "contribution": contribution_at[v.contribution_id],
                "participant": v.participant.token,
                "slot": v.slot,
                "created_at": _value(v.created_at),
            }
            for v in votes
        ],
    }, contribution_at


def evaluation_export(evaluation: Evaluation) -> dict:
    """The evaluation as a JSON-ready dict of FORMAT/VERSION: everything in EXPORTED."""
    questions = list(evaluation.how_questions.order_by(condition_order(), "order", "pk"))
    themes = list(evaluation.contract_themes.order_by("order", "pk"))
    slotdialoog, contribution_at = _slotdialoog_export(evaluation, questions, themes)

    def source(item) -> int | None:
        return contribution_at.get(item.source_id)

    sessions = list(
        evaluation.sessions.select_related("key_moment")
        .prefetch_related("participants")
        .order_by("day", "slot", "room", "key_moment__order")
    )
    position = {s.pk: index for index, s in enumerate(sessions)}
    report = ReportText.objects.filter(evaluation=evaluation).first()
    return {
        "format": FORMAT,
        "version": VERSION,
        "evaluation": _fields(evaluation, EVALUATION_FIELDS),
        "key_moments": [_fields(km, KEY_MOMENT_FIELDS) for km in evaluation.key_moments.all()],
        "participants": [
            _fields(p, PARTICIPANT_FIELDS + PARTICIPANT_LATER_FIELDS)
            for p in evaluation.participants.order_by("token")
        ],
        "sessions": [
            {
                **_fields(s, SESSION_FIELDS),
                "key_moment": s.key_moment.order,
                "group": sorted(p.token for p in s.participants.all()),
            }
            for s in sessions
        ],
        "allocations": [
            {
                "session": position[a.session_id],
                "participant": a.participant.token,
                **{f: getattr(a, f) for f in CONDITION_FIELDS},
                "created_at": _value(a.created_at),
                "updated_at": _value(a.updated_at),
            }
            for a in Allocation.objects.filter(session__evaluation=evaluation)
            .select_related("participant")
            .order_by("session__day", "session__slot", "participant__token")
        ],
        "history": [
            {
                "session": position[c.session_id],
                "participant": c.participant.token,
                "old_points": c.old_points,
                "new_points": c.new_points,
                "changed_by": c.changed_by,
                "changed_at": _value(c.changed_at),
            }
            for c in AllocationChange.objects.filter(session__evaluation=evaluation)
            .select_related("participant")
            .order_by("changed_at", "pk")
        ],
        "report": {
            **_fields(report, REPORT_FIELDS),
            "logo": base64.b64encode(bytes(report.logo)).decode() if report.logo else None,
        }
        if report
        else None,
        "outlines": [
            {
                "kind": outline.kind,
                "preset": outline.preset,
                "blocks": [
                    {
                        **_fields(block, BLOCK_FIELDS),
                        "image": base64.b64encode(bytes(block.image)).decode()
                        if block.image
                        else None,
                    }
                    for block in outline.blocks.all()
                ],
            }
            for outline in evaluation.report_outlines.order_by("kind")
        ],
        "paradoxes": [
            {
                **_fields(p, PARADOX_FIELDS),
                "quotes": [
                    {**_fields(q, ["order", "text", "source_digest"]), "source": source(q)}
                    for q in p.quotes.order_by("order", "pk")
                ],
            }
            for p in evaluation.paradoxes.order_by(condition_order())
        ],
        "how_questions": [
            {
                **_fields(q, ["condition", "order", "text"]),
                "recommendations": [
                    {**_fields(r, ["order", "text", "source_digest"]), "source": source(r)}
                    for r in q.recommendations.order_by("order", "pk")
                ],
            }
            for q in questions
        ],
        "contract_themes": [
            {
                **_fields(t, THEME_FIELDS),
                "points": [
                    {**_fields(p, ["side", "order", "text", "source_digest"]), "source": source(p)}
                    for p in t.points.order_by("side", "order", "pk")
                ],
            }
            for t in themes
        ],
        "conclusion_themes": [
            _fields(t, ["order", "title", "text"]) for t in evaluation.conclusion_themes.all()
        ],
        "slotdialoog": slotdialoog,
    }


class ImportError_(ValidationError):
    pass


TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{32,64}")
"""A personal token as generate_participant_token makes it (43 URL-safe characters); a short
or odd one would be guessable or break the personal link."""

# Optional fields that a file of an older version of the app may lack; the model default applies.
# Fields that files written before they existed do not have.
OPTIONAL = {
    "min_group_size", "publisher_line2", "tagline", "logo_type", "running_header", "typeface",
    "accent",
}  # fmt: skip


def _fail(template, /, **params) -> ImportError_:
    return ImportError_(template % params if params else template)


def _require(data: dict, key: str, kind: type, where: str):
    if key not in data:
        raise _fail(_("Het bestand mist '%(key)s' in %(where)s."), key=key, where=where)
    if not isinstance(data[key], kind) or (kind is int and isinstance(data[key], bool)):
        raise _fail(_("'%(key)s' in %(where)s heeft niet de verwachte vorm."), key=key, where=where)
    return data[key]


def _items(data: dict, key: str) -> list[dict]:
    items = _require(data, key, list, _("het bestand"))
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise _fail(
                _("Onderdeel %(n)s van '%(key)s' heeft niet de verwachte vorm."),
                n=index + 1,
                key=key,
            )
    return items


def _only(item: dict, names, where: str, extra=()) -> dict:
    """The item's values for `names`; any other key (an id of something else) refuses the file.

    An import only ever creates its own new evaluation: a key such as `evaluation_id` or
    `how_question_id` would otherwise point an object at an existing evaluation.
    """
    unknown = sorted(set(item) - set(names) - set(extra))
    if unknown:
        raise _fail(
            _("%(where)s bevat onbekende velden: %(fields)s."),
            where=where,
            fields=", ".join(str(k) for k in unknown),
        )
    missing = [n for n in names if n not in item and n not in OPTIONAL]
    if missing:
        raise _fail(_("%(where)s mist: %(fields)s."), where=where, fields=", ".join(missing))
    return {n: item[n] for n in names if n in item}


def _valid(obj, where: str, exclude=None, fields_only: bool = False):
    """Validate `obj` as a form would (types, lengths, choices, ranges, constraints).

    `fields_only` checks the fields alone, not the model's rules (clean, constraints).
    """
    try:
        if fields_only:
            obj.clean_fields(exclude=exclude)
        else:
            obj.full_clean(exclude=exclude)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            parts = []
            for field, errors in error.message_dict.items():
                try:
                    label = str(obj._meta.get_field(field).verbose_name)
                except Exception:
                    label = ""
                for message in errors:
                    parts.append(f"{label}: {message}" if label else message)
        else:
            parts = error.messages
        raise _fail("%(where)s: %(errors)s", where=where, errors=" ".join(parts)) from error
    return obj


def _timestamp(text, where: str):
    if text is None:
        return None
    try:
        moment = parse_datetime(text) if isinstance(text, str) else None
    except ValueError:
        moment = None
    if moment is None:
        raise _fail(_("Ongeldig tijdstip in %(where)s: %(value)r."), where=where, value=text)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _points(value, where: str, optional: bool = False) -> dict | None:
    """A history entry's points: exactly the five conditions, each 0..10, together 10."""
    if value is None and optional:
        return None
    if not isinstance(value, dict) or set(value) != set(CONDITION_FIELDS):
        raise _fail(
            _("%(where)s: de punten horen precies de vijf condities te bevatten."), where=where
        )
    numbers = list(value.values())
    if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 10 for v in numbers):
        raise _fail(_("%(where)s: elke conditie krijgt 0 tot en met 10 punten."), where=where)
    if sum(numbers) != POINTS_TOTAL:
        raise _fail(
            "%(where)s: %(message)s", where=where, message=points_total_message(sum(numbers))
        )
    return dict(value)


@transaction.atomic
def evaluation_import(data: dict, *, slug: str | None = None) -> Evaluation:
    """Create the evaluation in the file as a new one, or refuse the whole file.

    `slug` replaces the file's short name (a copy beside the original on one database); the
    copy then also gets a new join code when the file's is in use here. A short name that is
    taken raises ImportError_ with code "slug_taken".

    Every object is validated as a form would (types, lengths, choices, day ranges, token
    format, group membership, the shape of the history) before anything is kept; a refusal
    raises ImportError_ (a ValidationError) with a Dutch message saying where, and leaves the
    database as it was. Nothing in the file can point at an existing evaluation.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportError_(_("Dit is geen exportbestand van een Evaluatiespiegel-evaluatie."))
    if data.get("version") != VERSION:
        raise _fail(
            _("Onbekende versie van het exportbestand: %(version)r."), version=data.get("version")
        )
    try:
        return _import(data, slug=slug)
    except (KeyError, TypeError, AttributeError, ValueError, OverflowError) as error:
        raise _fail(
            _("Het bestand is onvolledig of beschadigd (%(error)s)."), error=error
        ) from error
    except (IntegrityError, DataError) as error:
        raise ImportError_(_("Het bestand is in strijd met de regels van de database.")) from error


def _image(encoded, where: str) -> tuple[bytes, str]:
    """An image from the file, sanitised like an upload (reports.images)."""
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, TypeError, ValueError) as error:
        raise _fail(_("%(where)s: de afbeelding is onleesbaar."), where=where) from error
    try:
        return image_clean(io.BytesIO(data))
    except ValidationError as error:
        raise _fail("%(where)s: %(error)s", where=where, error=" ".join(error.messages)) from error


def _import_outline(evaluation: Evaluation, item: dict, index: int) -> None:
    where = _("Rapportopzet %(n)s") % {"n": index + 1}
    values = _only(item, ["kind", "preset"], where, extra=("blocks",))
    outline = _valid(ReportOutline(evaluation=evaluation, **values), where, exclude=["evaluation"])
    outline.save()
    for b_index, spec in enumerate(_items(item, "blocks")):
        b_where = _("Blok %(b)s van rapportopzet %(n)s") % {"b": b_index + 1, "n": index + 1}
        block = ReportBlock(outline=outline, **_only(spec, BLOCK_FIELDS, b_where, extra=("image",)))
        if spec.get("image"):
            block.image, block.image_type = _image(spec["image"], b_where)
        _valid(block, b_where, exclude=["outline", "image"]).save()


def _import(data: dict, *, slug: str | None = None) -> Evaluation:
    where = _("de evaluatie")
    fields = _only(_require(data, "evaluation", dict, _("het bestand")), EVALUATION_FIELDS, where)
    renamed = slug is not None
    if renamed:
        fields["slug"] = slug
    slug = fields.get("slug")
    if isinstance(slug, str) and Evaluation.objects.filter(slug__iexact=slug).exists():
        raise ImportError_(
            _("Er bestaat al een evaluatie met korte naam '%(slug)s'.") % {"slug": slug},
            code="slug_taken",
        )
    join_code = fields.get("join_code")
    if isinstance(join_code, str) and Evaluation.objects.filter(join_code=join_code).exists():
        if not renamed:
            raise ImportError_(_("De deelnamecode van deze evaluatie is hier al in gebruik."))
        fields.pop("join_code")  # a copy under its own name: the model gives a fresh code
    evaluation = _valid(Evaluation(**fields), where)
    evaluation.save()

    key_moments = {}
    for index, item in enumerate(_items(data, "key_moments")):
        where = _("Sleutelmoment %(n)s") % {"n": index + 1}
        km = KeyMoment(evaluation=evaluation, **_only(item, KEY_MOMENT_FIELDS, where))
        _valid(km, where).save()
        key_moments[km.order] = km

    people = {}
    for index, item in enumerate(_items(data, "participants")):
        where = _("Deelnemer %(n)s") % {"n": index + 1}
        values = _only(item, PARTICIPANT_FIELDS, where, extra=PARTICIPANT_LATER_FIELDS)
        later = {k: item[k] for k in PARTICIPANT_LATER_FIELDS if k in item}
        for stamp in ("created_at", "anonymised_at"):
            if stamp in later:
                later[stamp] = _timestamp(later[stamp], where)
        created_at = later.pop("created_at", None)
        values.update(later)
        token = values["token"]
        if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
            raise _fail(
                _("%(where)s: de persoonlijke sleutel heeft niet de juiste vorm."), where=where
            )
        if token in people:
            raise _fail(_("%(where)s: deze persoonlijke sleutel komt twee keer voor."), where=where)
        if renamed:
            # A copy beside its original: the file's token stays the key within the file,
            # the new rows get tokens of their own (tokens are unique in the database).
            values.pop("token")
        person = _valid(Participant(evaluation=evaluation, **values), where)
        person.save()
        if created_at is not None:
            Participant.objects.filter(pk=person.pk).update(created_at=created_at)
        people[token] = person

    sessions = []
    for index, item in enumerate(_items(data, "sessions")):
        where = _("Sessie %(n)s") % {"n": index + 1}
        values = _only(item, SESSION_FIELDS, where, extra=("key_moment", "group"))
        for stamp in ("opened_at", "closed_at"):
            values[stamp] = _timestamp(values[stamp], where)
        key_moment = item.get("key_moment")
        if isinstance(key_moment, bool) or key_moment not in key_moments:
            raise _fail(_("%(where)s verwijst naar een onbekend sleutelmoment."), where=where)
        group = _require(item, "group", list, where)
        if not all(isinstance(t, str) and t in people for t in group):
            raise _fail(_("%(where)s verwijst naar onbekende deelnemers."), where=where)
        if len(set(group)) != len(group):
            raise _fail(_("%(where)s noemt een deelnemer twee keer."), where=where)
        session = ReconstructionSession(
            evaluation=evaluation, key_moment=key_moments[key_moment], **values
        )
        _valid(session, where).save()
        session.participants.set([people[t] for t in group])
        session.group_tokens = set(group)
        sessions.append(session)

    def session_at(index, where):
        if isinstance(index, bool) or not isinstance(index, int):
            raise _fail(_("%(where)s verwijst naar een onbekende sessie."), where=where)
        if not 0 <= index < len(sessions):
            raise _fail(_("%(where)s verwijst naar een onbekende sessie."), where=where)
        return sessions[index]

    def member(session, token, where):
        if not isinstance(token, str) or token not in people:
            raise _fail(_("%(where)s verwijst naar een onbekende deelnemer."), where=where)
        if token not in session.group_tokens:
            raise _fail(
                _("%(where)s: deze deelnemer zat niet in de groep van die sessie."), where=where
            )
        return people[token]

    allocations = []
    seen = set()
    allocation_keys = ["session", "participant", *CONDITION_FIELDS, "created_at", "updated_at"]
    for index, item in enumerate(_items(data, "allocations")):
        where = _("Puntenverdeling %(n)s") % {"n": index + 1}
        values = _only(item, allocation_keys, where)
        session = session_at(values["session"], where)
        person = member(session, values["participant"], where)
        if (session.pk, person.pk) in seen:
            raise _fail(_("%(where)s: deze deelnemer heeft in die sessie al punten."), where=where)
        seen.add((session.pk, person.pk))
        allocation = Allocation(
            session=session, participant=person, **{f: values[f] for f in CONDITION_FIELDS}
        )
        # Only the points are checked here: a closed session's scores come in as they
        # were, which the model's session rules (rightly) refuse for new scores.
        if not all(
            isinstance(values[f], int) and not isinstance(values[f], bool) for f in CONDITION_FIELDS
        ):
            raise _fail(_("%(where)s: punten zijn hele getallen."), where=where)
        _valid(allocation, where, exclude=["session", "participant"], fields_only=True)
        if allocation.total != POINTS_TOTAL:
            raise _fail(
                "%(where)s: %(message)s",
                where=where,
                message=points_total_message(allocation.total),
            )
        stamps = (
            _timestamp(values["created_at"], where),
            _timestamp(values["updated_at"], where),
        )
        allocations.append((allocation, stamps))
    created = Allocation.objects.bulk_create(a for a, _stamps in allocations)
    for allocation, (_a, (created_at, updated_at)) in zip(created, allocations, strict=True):
        Allocation.objects.filter(pk=allocation.pk).update(
            created_at=created_at, updated_at=updated_at
        )

    history_keys = [
        "session",
        "participant",
        "old_points",
        "new_points",
        "changed_by",
        "changed_at",
    ]
    for index, item in enumerate(_items(data, "history")):
        where = _("Wijziging %(n)s") % {"n": index + 1}
        values = _only(item, history_keys, where)
        session = session_at(values["session"], where)
        change = AllocationChange(
            session=session,
            participant=member(session, values["participant"], where),
            old_points=_points(values["old_points"], where, optional=True),
            new_points=_points(values["new_points"], where),
            changed_by=values["changed_by"],
        )
        _valid(change, where, exclude=["changed_at"])
        changed_at = _timestamp(values["changed_at"], where)
        change.save()
        AllocationChange.objects.filter(pk=change.pk).update(changed_at=changed_at)

    report = data.get("report")
    if report is not None:
        if not isinstance(report, dict):
            raise ImportError_(_("'report' in het bestand heeft niet de verwachte vorm."))
        where = _("De rapporttekst")
        # Files from before the outline: the chapter texts sat on the report itself.
        values = _only(
            report, REPORT_FIELDS, where, extra=("logo", *LEGACY_TEXTS, *LEGACY_SWITCHES)
        )
        text = ReportText(evaluation=evaluation, **values)
        if report.get("logo"):
            text.logo, text.logo_type = _image(report["logo"], where)
        _valid(text, where).save()
    if "outlines" in data:
        for index, item in enumerate(_items(data, "outlines")):
            _import_outline(evaluation, item, index)
    elif report is not None:
        legacy = {k: report[k] for k in LEGACY_TEXTS if isinstance(report.get(k), str)}
        outline = outline_for(evaluation, ReportKind.EINDRAPPORT)
        preset_apply(outline=outline, preset="rijk", texts=legacy)
        for switch, part in LEGACY_SWITCHES.items():
            if report.get(switch) is False:
                outline.blocks.filter(part=part).update(enabled=False)

    paradoxes = []
    for index, item in enumerate(_items(data, "paradoxes")):
        where = _("Paradox %(n)s") % {"n": index + 1}
        values = _only(item, PARADOX_FIELDS, where, extra=("quotes",))
        paradoxes.append((_valid(Paradox(evaluation=evaluation, **values), where), item))
        paradoxes[-1][0].save()
    themes = []
    for index, item in enumerate(_items(data, "contract_themes")):
        where = _("Thema %(n)s") % {"n": index + 1}
        values = _only(item, THEME_FIELDS, where, extra=("points",))
        themes.append((_valid(ContractTheme(evaluation=evaluation, **values), where), item))
        themes[-1][0].save()
    for index, item in enumerate(_items(data, "conclusion_themes")):
        where = _("Conclusiethema %(n)s") % {"n": index + 1}
        values = _only(item, ["order", "title", "text"], where)
        _valid(ConclusionTheme(evaluation=evaluation, **values), where).save()
    questions = []
    for index, item in enumerate(_items(data, "how_questions")):
        where = _("Hoe-vraag %(n)s") % {"n": index + 1}
        values = _only(item, ["condition", "order", "text"], where, extra=("recommendations",))
        questions.append((_valid(HowQuestion(evaluation=evaluation, **values), where), item))
        questions[-1][0].save()

    contributions = _import_slotdialoog(
        evaluation,
        data.get("slotdialoog"),
        people=people,
        questions=[q for q, _item in questions],
        themes=[t for t, _item in themes],
    )

    def source(item: dict, where: str):
        index = item.get("source")
        if index is None:
            return None
        if isinstance(index, bool) or not isinstance(index, int):
            raise _fail(_("%(where)s verwijst naar een onbekende bijdrage."), where=where)
        if not 0 <= index < len(contributions):
            raise _fail(_("%(where)s verwijst naar een onbekende bijdrage."), where=where)
        return contributions[index]

    # Report items taken from the slotdialoog, with the contribution each came from.
    children = [
        (paradoxes, "quotes", ParadoxQuote, "paradox", ["order", "text"],
         _("Citaat %(r)s bij paradox %(n)s")),
        (themes, "points", ContractThemePoint, "theme", ["side", "order", "text"],
         _("Punt %(r)s bij thema %(n)s")),
        (questions, "recommendations", Recommendation, "how_question", ["order", "text"],
         _("Aanbeveling %(r)s bij hoe-vraag %(n)s")),
    ]  # fmt: skip
    for parents, key, model, parent_field, names, label in children:
        for index, (parent, item) in enumerate(parents):
            for r_index, child in enumerate(_items(item, key) if key in item else []):
                r_where = label % {"r": r_index + 1, "n": index + 1}
                # What the source said when taken over (reports.wall.source_changes); files
                # made before it existed have none: nothing to compare with then.
                values = _only(child, names, r_where, extra=("source", "source_digest"))
                values["source_digest"] = str(child.get("source_digest") or "")
                obj = model(**{parent_field: parent}, **values, source=source(child, r_where))
                _valid(obj, r_where).save()
    return evaluation


def _import_slotdialoog(
    evaluation: Evaluation, data, *, people: dict, questions: list, themes: list
) -> list[Contribution]:
    """The prompts, contributions and stippen of the file (absent in files written before
    the slotdialoog was in them). Returns the contributions in the file's order."""
    if data is None:
        return []
    if not isinstance(data, dict):
        raise ImportError_(_("'slotdialoog' in het bestand heeft niet de verwachte vorm."))
    prompts = []
    for index, item in enumerate(_items(data, "prompts")):
        where = _("Vraag %(n)s van de slotdialoog") % {"n": index + 1}
        values = _only(item, PROMPT_FIELDS, where)
        for stamp in ("opened_at", "closed_at"):
            values[stamp] = _timestamp(values[stamp], where)
        values["key"] = _database_key(values["key"], questions, themes, where)
        prompt = _valid(Prompt(evaluation=evaluation, **values), where)
        prompt.save()
        prompts.append(prompt)

    def person(token, where) -> Participant:
        if not isinstance(token, str) or token not in people:
            raise _fail(_("%(where)s verwijst naar een onbekende deelnemer."), where=where)
        return people[token]

    def position(value, items: list, where: str, message: str):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(items):
            raise _fail(message, where=where)
        return items[value]

    contributions, stamps, merges = [], [], []
    for index, item in enumerate(_items(data, "contributions")):
        where = _("Bijdrage %(n)s") % {"n": index + 1}
        values = _only(item, CONTRIBUTION_FIELDS, where, extra=("prompt", "participant",
                                                                 "merged_into"))  # fmt: skip
        prompt = position(
            item.get("prompt"), prompts, where, _("%(where)s verwijst naar een onbekende vraag.")
        )
        stamps.append(
            (
                _timestamp(values.pop("created_at"), where),
                _timestamp(values.pop("updated_at"), where),
            )
        )
        contribution = Contribution(
            prompt=prompt, participant=person(item.get("participant"), where), **values
        )
        _valid(contribution, where).save()
        contributions.append(contribution)
        merges.append((contribution, item.get("merged_into"), where))
    unknown = _("%(where)s verwijst naar een onbekende bijdrage.")
    for contribution, into, where in merges:
        if into is None:
            continue
        target = position(into, contributions, where, unknown)
        target_item = merges[into][1]
        if target.pk == contribution.pk or target.prompt_id != contribution.prompt_id:
            raise _fail(
                _("%(where)s is samengevoegd met een bijdrage van een andere vraag of met "
                  "zichzelf."), where=where,
            )  # fmt: skip
        if target_item is not None:
            raise _fail(
                _("%(where)s is samengevoegd met een bijdrage die zelf al is samengevoegd."),
                where=where,
            )
        contribution.merged_into = target
        contribution.save(update_fields=["merged_into"])
    for contribution, (created_at, updated_at) in zip(contributions, stamps, strict=True):
        Contribution.objects.filter(pk=contribution.pk).update(
            created_at=created_at, updated_at=updated_at
        )

    for index, item in enumerate(_items(data, "votes")):
        where = _("Stip %(n)s") % {"n": index + 1}
        values = _only(item, ["contribution", "participant", "slot", "created_at"], where)
        contribution = position(values["contribution"], contributions, where, unknown)
        voter = person(values["participant"], where)
        if voter.pk == contribution.participant_id:
            raise _fail(_("%(where)s staat op een eigen bijdrage."), where=where)
        slot = values["slot"]
        if isinstance(slot, bool) or not isinstance(slot, int):
            raise _fail(_("'slot' in %(where)s heeft niet de verwachte vorm."), where=where)
        vote = Vote(
            prompt_id=contribution.prompt_id,
            contribution=contribution,
            participant=voter,
            slot=slot,
        )
        _valid(vote, where).save()
        Vote.objects.filter(pk=vote.pk).update(created_at=_timestamp(values["created_at"], where))
    return contributions


def _database_key(key, questions: list, themes: list, where: str):
    """A prompt's key from the file with the position of its how-question or theme replaced
    by that object's new id (the reverse of _file_key). A raw id in a file is refused: it
    would point at whatever has that id on this server."""
    if not isinstance(key, str):
        return key  # full_clean says what is wrong with it
    if match := FILE_HOW_QUESTION_KEY.fullmatch(key):
        items, rest = questions, ""
    elif match := FILE_THEME_KEY.fullmatch(key):
        items, rest = themes, f":{match[2]}"
    elif HOW_QUESTION_KEY.fullmatch(key) or THEME_KEY.fullmatch(key):
        raise _fail(
            _("%(where)s verwijst naar een onbekend onderdeel van het rapport."), where=where
        )
    else:
        return key
    number = int(match[1])
    if not 1 <= number <= len(items):
        raise _fail(
            _("%(where)s verwijst naar een onbekend onderdeel van het rapport."), where=where
        )
    kind = "hoevraag" if items is questions else "thema"
    return f"{kind}:{items[number - 1].pk}{rest}"
