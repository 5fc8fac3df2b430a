"""One whole evaluation as JSON, and back: for backups and for moving to another server.

The file holds no database ids: key moments are referred to by their order, participants
by their personal token, sessions by their position in the file. Team members (Django
users) belong to a server, not to an evaluation file, and are not included.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime

from reports.models import (
    ConclusionTheme,
    ContractTheme,
    HowQuestion,
    Paradox,
    Recommendation,
    ReportText,
)
from scoring.conditions import CONDITION_FIELDS, POINTS_TOTAL
from scoring.models import Allocation, AllocationChange, points_total_message

from .models import Evaluation, KeyMoment, Participant, ReconstructionSession

FORMAT = "evaluatiespiegel-evaluatie"
VERSION = 1

EVALUATION_FIELDS = [
    "title", "slug", "client", "contractor", "description", "central_questions", "starts_on",
    "ends_on", "join_code", "self_registration", "names_in_interim_report",
]  # fmt: skip
KEY_MOMENT_FIELDS = ["order", "title", "phase", "period", "description"]
PARTICIPANT_FIELDS = ["name", "organisation", "role", "token"]
SESSION_FIELDS = [
    "day", "slot", "room", "state", "reconstruction", "reflections", "insights", "lessons",
    "live_results", "revealed", "opened_at", "closed_at",
]  # fmt: skip
REPORT_FIELDS = [
    f.name
    for f in ReportText._meta.get_fields()
    if f.concrete and f.name not in {"id", "evaluation", "updated_at"}
]


def _value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _fields(obj, names) -> dict:
    return {name: _value(getattr(obj, name)) for name in names}


def evaluation_export(evaluation: Evaluation) -> dict:
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
            _fields(p, PARTICIPANT_FIELDS) for p in evaluation.participants.order_by("token")
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
        "report": _fields(report, REPORT_FIELDS) if report else None,
        "paradoxes": [
            _fields(p, ["condition", "title", "practice", "theory"])
            for p in evaluation.paradoxes.order_by("condition")
        ],
        "how_questions": [
            {
                **_fields(q, ["condition", "order", "text"]),
                "recommendations": [
                    _fields(r, ["order", "text"]) for r in q.recommendations.order_by("order", "pk")
                ],
            }
            for q in evaluation.how_questions.order_by("condition", "order", "pk")
        ],
        "contract_themes": [
            _fields(t, ["order", "title", "alliance", "other"])
            for t in evaluation.contract_themes.all()
        ],
        "conclusion_themes": [
            _fields(t, ["order", "title", "text"]) for t in evaluation.conclusion_themes.all()
        ],
    }


class ImportError_(ValidationError):
    pass


def _require(data: dict, key: str, kind: type, where: str):
    if key not in data:
        raise ImportError_(f"Het bestand mist '{key}' in {where}.")
    if not isinstance(data[key], kind):
        raise ImportError_(f"'{key}' in {where} heeft niet de verwachte vorm.")
    return data[key]


def _timestamp(text: str | None, where: str):
    if text is None:
        return None
    moment = parse_datetime(text) if isinstance(text, str) else None
    if moment is None:
        raise ImportError_(f"Ongeldig tijdstip in {where}: {text!r}.")
    return moment


@transaction.atomic
def evaluation_import(data: dict) -> Evaluation:
    """Create the evaluation in the file, or refuse the whole file with a clear message."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportError_("Dit is geen exportbestand van een Evaluatiespiegel-evaluatie.")
    if data.get("version") != VERSION:
        raise ImportError_(f"Onbekende versie van het exportbestand: {data.get('version')!r}.")
    try:
        return _import(data)
    except (KeyError, TypeError, AttributeError) as error:
        raise ImportError_(f"Het bestand is onvolledig of beschadigd ({error}).") from error
    except IntegrityError as error:
        raise ImportError_(
            f"Het bestand is in strijd met de regels van de database: {error}"
        ) from error


def _import(data: dict) -> Evaluation:
    fields = _require(data, "evaluation", dict, "het bestand")
    slug = _require(fields, "slug", str, "de evaluatie")
    if Evaluation.objects.filter(slug=slug).exists():
        raise ImportError_(f"Er bestaat al een evaluatie met korte naam '{slug}'.")
    if Evaluation.objects.filter(join_code=fields.get("join_code")).exists():
        raise ImportError_("De deelnamecode van deze evaluatie is hier al in gebruik.")
    evaluation = Evaluation(**{k: fields[k] for k in EVALUATION_FIELDS})
    evaluation.full_clean()
    evaluation.save()

    key_moments = {}
    for item in _require(data, "key_moments", list, "het bestand"):
        km = KeyMoment(evaluation=evaluation, **{k: item[k] for k in KEY_MOMENT_FIELDS})
        km.full_clean()
        km.save()
        key_moments[km.order] = km
    people = {}
    for item in _require(data, "participants", list, "het bestand"):
        person = Participant(evaluation=evaluation, **{k: item[k] for k in PARTICIPANT_FIELDS})
        person.full_clean(validate_unique=False)
        person.save()
        people[person.token] = person
    sessions = []
    for index, item in enumerate(_require(data, "sessions", list, "het bestand")):
        values = {k: item[k] for k in SESSION_FIELDS}
        for stamp in ("opened_at", "closed_at"):
            values[stamp] = _timestamp(values[stamp], f"sessie {index + 1}")
        if item["key_moment"] not in key_moments:
            raise ImportError_(f"Sessie {index + 1} verwijst naar een onbekend sleutelmoment.")
        session = ReconstructionSession.objects.create(
            evaluation=evaluation, key_moment=key_moments[item["key_moment"]], **values
        )
        unknown = [t for t in item["group"] if t not in people]
        if unknown:
            raise ImportError_(f"Sessie {index + 1} verwijst naar onbekende deelnemers.")
        session.participants.set([people[t] for t in item["group"]])
        sessions.append(session)

    def session_at(index, where):
        if not isinstance(index, int) or not 0 <= index < len(sessions):
            raise ImportError_(f"{where} verwijst naar een onbekende sessie.")
        return sessions[index]

    def person(token, where):
        if token not in people:
            raise ImportError_(f"{where} verwijst naar een onbekende deelnemer.")
        return people[token]

    allocations = []
    for index, item in enumerate(_require(data, "allocations", list, "het bestand")):
        where = f"Puntenverdeling {index + 1}"
        allocation = Allocation(
            session=session_at(item["session"], where),
            participant=person(item["participant"], where),
            **{f: item[f] for f in CONDITION_FIELDS},
        )
        # Only the points are checked here: a closed session's scores come in as they
        # were, which the model's session rules (rightly) refuse for new scores.
        allocation.clean_fields(exclude=["session", "participant"])
        if allocation.total != POINTS_TOTAL:
            raise ImportError_(f"{where}: {points_total_message(allocation.total)}")
        allocations.append((allocation, item))
    created = Allocation.objects.bulk_create(a for a, _item in allocations)
    for allocation, (_a, item) in zip(created, allocations, strict=True):
        Allocation.objects.filter(pk=allocation.pk).update(
            created_at=_timestamp(item["created_at"], "een puntenverdeling"),
            updated_at=_timestamp(item["updated_at"], "een puntenverdeling"),
        )
    for index, item in enumerate(_require(data, "history", list, "het bestand")):
        where = f"Wijziging {index + 1}"
        change = AllocationChange.objects.create(
            session=session_at(item["session"], where),
            participant=person(item["participant"], where),
            old_points=item["old_points"],
            new_points=item["new_points"],
            changed_by=item["changed_by"],
        )
        AllocationChange.objects.filter(pk=change.pk).update(
            changed_at=_timestamp(item["changed_at"], where)
        )

    if data.get("report"):
        ReportText.objects.create(
            evaluation=evaluation, **{k: data["report"][k] for k in REPORT_FIELDS}
        )
    for item in _require(data, "paradoxes", list, "het bestand"):
        Paradox.objects.create(evaluation=evaluation, **item)
    for item in _require(data, "how_questions", list, "het bestand"):
        question = HowQuestion.objects.create(
            evaluation=evaluation, **{k: item[k] for k in ("condition", "order", "text")}
        )
        for rec in item["recommendations"]:
            Recommendation.objects.create(how_question=question, **rec)
    for item in _require(data, "contract_themes", list, "het bestand"):
        ContractTheme.objects.create(evaluation=evaluation, **item)
    for item in _require(data, "conclusion_themes", list, "het bestand"):
        ConclusionTheme.objects.create(evaluation=evaluation, **item)
    return evaluation
