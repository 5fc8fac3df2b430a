"""All allocations of an evaluation as CSV or XLSX, with names or stable pseudonyms.

Names only where the evaluation allows the team to see them (Evaluation.team_sees_names) and
they are asked for. A pseudonymised row carries the day, never the time of day, and rows of
one round are ordered by pseudonym: a time or an order could be joined to what the team sees
with names (who has scored, and when), and so give the pseudonym away (DESIGN.md §6). The
slotdialoog's authors carry a pseudonym of their own (Participant.wall_pseudonym), so a
contribution cannot be joined to anyone's points.

Every CSV cell goes through `csv_cell` and every XLSX cell through `xlsx_cell`, so nothing
typed into the app (a name, a key moment's title, a room) becomes a formula in a spreadsheet
program, and the XLSX shows exactly what was typed.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from scoring.conditions import CONDITION_FIELDS, Condition
from scoring.models import Allocation, AllocationChange
from sessions.models import Evaluation

# A CSV cell that starts with one of these is read as a formula (or, for tab and CR, shifts a
# following one into place) by Excel, LibreOffice and Google Sheets: OWASP "CSV injection".
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _storable(value):
    # XLSX cannot hold these control characters at all; nobody types them on purpose.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def csv_cell(value):
    """A value that is safe to write into a CSV cell; the one place this is decided for CSV.

    A CSV carries no types, so text that a spreadsheet would run as a formula gets a leading
    apostrophe (OWASP's advice: shown as text, not evaluated). Numbers, dates and None stay as
    they are.
    """
    value = _storable(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def xlsx_cell(sheet, value):
    """A write-only XLSX cell holding `value`, text always stored as text.

    An XLSX cell carries its type: a string cell (data_type "s") is never evaluated, whatever
    it starts with, so the text is written exactly as typed, without the CSV's apostrophe
    (which a spreadsheet would show). openpyxl would otherwise make any text starting with "="
    a formula. Numbers and dates keep their own type.
    """
    cell = WriteOnlyCell(sheet, value=_storable(value))
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _condition_column(condition: Condition) -> str:
    # "punten ..." keeps the Organisatie points apart from the person's organisation.
    return f"punten {str(condition.label).lower()}"


COLUMNS = [
    "evaluatie",
    "sleutelmoment",
    "fase",
    "sessie",
    "dag",
    "ronde",
    "deelnemer",
    "organisatie deelnemer",
    "rol",
    *[_condition_column(c) for c in Condition],
    "ingediend",
    "gewijzigd",
]


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def _moment(moment: datetime, *, names: bool) -> datetime | date:
    """The moment as written beside one person's row: to the second with names, the day only
    under a pseudonym (see the module's docstring)."""
    return _local(moment) if names else timezone.localdate(moment)


def _names(evaluation: Evaluation, pseudonymise: bool) -> bool:
    return not pseudonymise and evaluation.team_sees_names


def allocation_rows(evaluation: Evaluation, *, pseudonymise: bool) -> list[list]:
    """The counted allocations, by session; within one, by name or, pseudonymised, by
    pseudonym: the order of the named file must not give the pseudonyms away."""
    names = _names(evaluation, pseudonymise)
    person_key = "participant__name" if names else "participant__pseudonym"
    allocations = (
        Allocation.objects.counted()
        .filter(session__evaluation=evaluation)
        .select_related("participant", "session__key_moment")
        .order_by("session__day", "session__slot", "session__room", person_key, "pk")
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
                person.name if names else person.pseudonym,
                person.organisation if names else "",
                person.get_role_display(),
                *[getattr(a, f) for f in CONDITION_FIELDS],
                _moment(a.created_at, names=names),
                _moment(a.updated_at, names=names),
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
    *[f"oud {_condition_column(c)}" for c in Condition],
    *[f"nieuw {_condition_column(c)}" for c in Condition],
]


def history_rows(evaluation: Evaluation, *, pseudonymise: bool) -> list[list]:
    """The audit trail: every create and change of an allocation, oldest first; under
    pseudonyms by round and pseudonym (each person's changes oldest first), with the day."""
    names = _names(evaluation, pseudonymise)
    changes = AllocationChange.objects.filter(session__evaluation=evaluation).select_related(
        "participant", "session__key_moment"
    )
    if names:
        changes = changes.order_by("changed_at", "pk")
    else:
        changes = changes.order_by(
            "session__day",
            "session__slot",
            "session__room",
            "session_id",
            "participant__pseudonym",
            "changed_at",
            "pk",
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
                person.name if names else person.pseudonym,
                person.get_role_display(),
                _moment(change.changed_at, names=names),
                *[old.get(f) for f in CONDITION_FIELDS],
                *[change.new_points[f] for f in CONDITION_FIELDS],
            ]
        )
    return rows


WALL_COLUMNS = [
    "evaluatie",
    "vraag",
    "bijdrage nr",
    "bijdrage",
    "deelnemer",
    "stippen",
    "verborgen",
    "vastgezet",
    "samengevoegd met nr",
    "geschreven",
]


def wall_rows(evaluation: Evaluation, *, pseudonymise: bool) -> list[list]:
    """Every contribution of the slotdialoog, hidden ones too, with its stippen; per prompt
    the pinned ones first ("vastgezet" means the same on every screen and export).

    The stippen are those the wall shows (sessions.wall.wall_prompts: a merged card counts
    each voter once and never its own authors); a contribution merged into another has none
    of its own (its card's row has them, see the "samengevoegd met nr" column). The author is
    their wall pseudonym (never the one beside their points) unless names are asked for and
    the evaluation allows the team to see who wrote what.
    """
    from django.db.models import Count

    from sessions.models import Contribution
    from sessions.wall import wall_prompts

    names = _names(evaluation, pseudonymise)
    contributions = list(
        Contribution.objects.filter(prompt__evaluation=evaluation)
        .select_related("prompt", "participant")
        .annotate(stippen=Count("votes"))
        # Pinned first, as on every screen of the wall (sessions.wall.wall_prompts).
        .order_by("prompt__order", "prompt_id", "-pinned", "created_at", "pk")
    )
    on_wall = {
        card.pk: card.votes
        for wall in wall_prompts(evaluation.prompts.all(), team=True)
        for card in wall.cards
    }

    def stippen(c) -> int | str:
        if c.pk in on_wall:
            return on_wall[c.pk]
        return "" if c.merged_into_id else c.stippen  # hidden: what it still holds

    return [
        [
            evaluation.title,
            c.prompt.title,
            c.pk,
            c.text,
            c.participant.name if names else c.participant.wall_pseudonym,
            stippen(c),
            "ja" if c.hidden else "nee",
            "ja" if c.pinned else "nee",
            c.merged_into_id,
            _moment(c.created_at, names=names),
        ]
        for c in contributions
    ]


def _csv(columns: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    # Semicolons and a BOM: what Excel with Dutch settings opens correctly.
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [
                v.isoformat(sep=" ")
                if isinstance(v, datetime)
                else v.isoformat()
                if isinstance(v, date)
                else csv_cell(v)
                for v in row
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_csv(evaluation: Evaluation, *, pseudonymise: bool, history: bool = False) -> bytes:
    """The allocations (or, with `history`, the audit trail) as a Dutch-Excel CSV (UTF-8, ;)."""
    if history:
        return _csv(HISTORY_COLUMNS, history_rows(evaluation, pseudonymise=pseudonymise))
    return _csv(COLUMNS, allocation_rows(evaluation, pseudonymise=pseudonymise))


def export_xlsx(evaluation: Evaluation, *, pseudonymise: bool) -> bytes:
    """One workbook: the allocations, the full history of changes on a second sheet, and
    the contributions of the slotdialoog on a third."""
    workbook = Workbook(write_only=True)
    for title, columns, rows in [
        ("Puntenverdelingen", COLUMNS, allocation_rows(evaluation, pseudonymise=pseudonymise)),
        ("Wijzigingen", HISTORY_COLUMNS, history_rows(evaluation, pseudonymise=pseudonymise)),
        ("Slotdialoog", WALL_COLUMNS, wall_rows(evaluation, pseudonymise=pseudonymise)),
    ]:
        sheet = workbook.create_sheet(title)
        sheet.append([xlsx_cell(sheet, v) for v in columns])
        for row in rows:
            sheet.append([xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Export:
    """One option of the export form: the bytes it makes and how the download is named."""

    content_type: str
    filename: str  # with {slug}
    make: Callable[..., bytes]  # make(evaluation, pseudonymise=bool)

    def download_name(self, slug: str, *, names: bool) -> str:
        """The file's name; one with names says so ("-met-namen"), so the two are never
        mixed up on a disk or in a mail."""
        stem, dot, ext = self.filename.format(slug=slug).rpartition(".")
        return f"{stem}-met-namen{dot}{ext}" if names else f"{stem}{dot}{ext}"


EXPORTS = {
    "xlsx": Export(XLSX_TYPE, "puntenverdelingen-{slug}.xlsx", export_xlsx),
    "csv": Export(CSV_TYPE, "puntenverdelingen-{slug}.csv", export_csv),
    "csv-wijzigingen": Export(
        CSV_TYPE, "wijzigingen-{slug}.csv", partial(export_csv, history=True)
    ),
}
"""Every choice of reports.forms.ExportForm.FORMATS, keyed the same (a test checks both)."""
