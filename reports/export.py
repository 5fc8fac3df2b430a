"""All allocations of an evaluation as CSV or XLSX, with names or stable pseudonyms."""

import csv
import hashlib
import io
from datetime import datetime

from django.utils import timezone
from openpyxl import Workbook

from scoring.conditions import CONDITION_FIELDS, Condition
from scoring.models import Allocation
from sessions.models import Evaluation, Participant

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


def pseudonym(participant: Participant) -> str:
    """Stable between exports, and reveals nothing: derived from the secret personal token."""
    digest = hashlib.sha256(f"pseudoniem:{participant.token}".encode()).hexdigest()
    return f"Deelnemer-{digest[:8].upper()}"


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
                pseudonym(person) if pseudonymise else person.name,
                "" if pseudonymise else person.organisation,
                person.get_role_display(),
                *[getattr(a, f) for f in CONDITION_FIELDS],
                _local(a.created_at),
                _local(a.updated_at),
            ]
        )
    return rows


def export_csv(evaluation: Evaluation, *, pseudonymise: bool) -> bytes:
    buffer = io.StringIO()
    # Semicolons and a BOM: what Excel with Dutch settings opens correctly.
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COLUMNS)
    for row in allocation_rows(evaluation, pseudonymise=pseudonymise):
        writer.writerow([v.isoformat(sep=" ") if isinstance(v, datetime) else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(evaluation: Evaluation, *, pseudonymise: bool) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Puntenverdelingen")
    sheet.append(COLUMNS)
    for row in allocation_rows(evaluation, pseudonymise=pseudonymise):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
