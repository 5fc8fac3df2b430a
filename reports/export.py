"""All allocations of an evaluation as CSV or XLSX, with names or stable pseudonyms."""

import csv
import io
from datetime import datetime

from django.utils import timezone
from openpyxl import Workbook

from scoring.conditions import CONDITION_FIELDS, Condition
from scoring.models import Allocation, AllocationChange
from sessions.models import Evaluation

COLUMNS = [
    "evaluatie",
    "sleutelmoment",
    "fase",
    "sessie",
    "dag",
    "ronde",
    "deelnemer",
    "organisatie",
    "rol",
    *[str(c.label).lower() for c in Condition],
    "ingediend",
    "gewijzigd",
]


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def allocation_rows(evaluation: Evaluation, *, pseudonymise: bool) -> list[list]:
    allocations = (
        Allocation.objects.filter(session__evaluation=evaluation)
        .select_related("participant", "session__key_moment")
        .order_by("session__day", "session__slot", "session__room", "participant__name")
    )
    rows = []
    for a in allocations:
        person, session = a.participant, a.session
        rows.append(
            [
                evaluation.title,
                session.key_moment.title,
                session.key_moment.get_phase_display(),
                str(session),
                session.day,
                session.slot,
                person.pseudonym if pseudonymise else person.name,
                "" if pseudonymise else person.organisation,
                person.get_role_display(),
                *[getattr(a, f) for f in CONDITION_FIELDS],
                _local(a.created_at),
                _local(a.updated_at),
            ]
        )
    return rows


HISTORY_COLUMNS = [
    "evaluatie",
    "sessie",
    "dag",
    "ronde",
    "deelnemer",
    "rol",
    "tijdstip",
    *[f"oud {str(c.label).lower()}" for c in Condition],
    *[f"nieuw {str(c.label).lower()}" for c in Condition],
]


def history_rows(evaluation: Evaluation, *, pseudonymise: bool) -> list[list]:
    """The audit trail: every create and change of an allocation, oldest first."""
    changes = (
        AllocationChange.objects.filter(session__evaluation=evaluation)
        .select_related("participant", "session__key_moment")
        .order_by("changed_at", "pk")
    )
    rows = []
    for change in changes:
        person, session = change.participant, change.session
        old = change.old_points or {}
        rows.append(
            [
                evaluation.title,
                str(session),
                session.day,
                session.slot,
                person.pseudonym if pseudonymise else person.name,
                person.get_role_display(),
                _local(change.changed_at),
                *[old.get(f) for f in CONDITION_FIELDS],
                *[change.new_points[f] for f in CONDITION_FIELDS],
            ]
        )
    return rows


def _csv(columns: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    # Semicolons and a BOM: what Excel with Dutch settings opens correctly.
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([v.isoformat(sep=" ") if isinstance(v, datetime) else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_csv(evaluation: Evaluation, *, pseudonymise: bool, history: bool = False) -> bytes:
    if history:
        return _csv(HISTORY_COLUMNS, history_rows(evaluation, pseudonymise=pseudonymise))
    return _csv(COLUMNS, allocation_rows(evaluation, pseudonymise=pseudonymise))


def export_xlsx(evaluation: Evaluation, *, pseudonymise: bool) -> bytes:
    """One workbook: the allocations, and the full history of changes on a second sheet."""
    workbook = Workbook(write_only=True)
    for title, columns, rows in [
        ("Puntenverdelingen", COLUMNS, allocation_rows(evaluation, pseudonymise=pseudonymise)),
        ("Wijzigingen", HISTORY_COLUMNS, history_rows(evaluation, pseudonymise=pseudonymise)),
    ]:
        sheet = workbook.create_sheet(title)
        sheet.append(columns)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
