"""Participant lists from the alliance: pasted lines or an uploaded CSV/XLSX, checked line by line.

Both ways end in `participant_rows_check`, so a pasted line and a spreadsheet row obey the
same rules. Nothing is saved here: the caller shows a preview and saves the checked list in
one go (all or nothing).
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from evaluatiespiegel.text import normalise_typed

from .models import Evaluation, Participant, Role

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
# An XLSX is a zip: refuse one that unpacks to far more than a participant list can need.
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024

ROLE_WORDS = {
    "verteller": Role.VERTELLER,
    "vertellers": Role.VERTELLER,
    "v": Role.VERTELLER,
    "narrator": Role.VERTELLER,
    "reflector": Role.REFLECTOR,
    "reflectoren": Role.REFLECTOR,
    "reflectors": Role.REFLECTOR,
    "r": Role.REFLECTOR,
}

# Header words per column, compared after lower-casing and trimming.
HEADERS = {
    "name": {
        "naam",
        "name",
        "deelnemer",
        "volledige naam",
        "naam deelnemer",
        "voor- en achternaam",
    },
    "organisation": {
        "organisatie",
        "organisation",
        "organization",
        "bedrijf",
        "werkgever",
        "moederorganisatie",
    },
    "role": {"rol", "role", "functie in de evaluatie", "verteller/reflector"},
}


class ImportError_(ValueError):
    """The file as a whole cannot be read (wrong type, too big, no header); a Dutch message."""


@dataclass(frozen=True)
class Row:
    """One line of input: its number as the user sees it (line or spreadsheet row) and cells."""

    number: int
    name: str
    organisation: str
    role_word: str
    #: Set when the line could not even be split into cells (a Dutch message).
    problem: str = ""


def _clean(value) -> str:
    return normalise_typed(str(value if value is not None else ""))


def participant_rows_check(
    evaluation: Evaluation, rows: list[Row]
) -> tuple[list[Participant], list[str]]:
    """Unsaved participants for the rows that are right, and one Dutch error per wrong row.

    A row is wrong without a name, with a role that is not verteller/reflector, with text
    longer than the fields hold, or when name + organisation is already on the list (in the
    evaluation or earlier in the same input). The caller saves nothing while errors exist.
    """
    name_max = Participant._meta.get_field("name").max_length
    org_max = Participant._meta.get_field("organisation").max_length
    existing = {
        Participant.identity(name, organisation)
        for name, organisation in evaluation.participants.values_list("name", "organisation")
    }
    people, errors, seen = [], [], set()
    for row in rows:
        name, organisation, role_word = row.name, row.organisation, row.role_word
        if row.problem:
            errors.append(row.problem)
            continue
        if not name:
            errors.append(_("Regel %(n)s: de naam ontbreekt.") % {"n": row.number})
            continue
        role = ROLE_WORDS.get(role_word.lower())
        if role is None:
            errors.append(
                _("Regel %(n)s: de rol moet ‘verteller’ of ‘reflector’ zijn, niet ‘%(role)s’.")
                % {"n": row.number, "role": role_word}
            )
            continue
        if len(name) > name_max or len(organisation) > org_max:
            errors.append(
                _(
                    "Regel %(n)s: de naam mag hoogstens %(name_max)s en de organisatie "
                    "hoogstens %(org_max)s tekens lang zijn."
                )
                % {"n": row.number, "name_max": name_max, "org_max": org_max}
            )
            continue
        key = Participant.identity(name, organisation)
        if key in existing or key in seen:
            errors.append(
                _("Regel %(n)s: %(name)s (%(org)s) staat al op de lijst.")
                % {"n": row.number, "name": name, "org": organisation or "–"}
            )
            continue
        seen.add(key)
        people.append(
            Participant(evaluation=evaluation, name=name, organisation=organisation, role=role)
        )
    return people, errors


def rows_from_lines(text: str) -> list[Row]:
    """Pasted lines 'naam; organisatie; rol' (a tab also separates). Blank lines are skipped."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [_clean(p) for p in line.replace("\t", ";").split(";")]
        if len(parts) != 3 or not parts[0]:
            problem = _("Regel %(n)s: gebruik ‘naam; organisatie; rol’.") % {"n": number}
            rows.append(Row(number, "", "", "", problem))
        else:
            rows.append(Row(number, *parts))
    return rows


def _table_from_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";" if text.count(";") >= text.count(",") else ","
    try:
        return [row for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise ImportError_(_("Dit CSV-bestand is niet te lezen: %(e)s") % {"e": error}) from error


def _table_from_xlsx(data: bytes) -> list[list[str]]:
    # openpyxl parses with defusedxml when it is installed (it is: see pyproject), so entity
    # tricks in the XML are refused; the size check keeps a zip bomb out.
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED_BYTES:
                raise ImportError_(_("Dit Excel-bestand is uitgepakt te groot."))
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportError_:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged or fake file
        raise ImportError_(
            _("Dit bestand is geen leesbaar Excel-bestand (.xlsx). Sla het op als .xlsx of .csv.")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        table = []
        for row in sheet.iter_rows(values_only=True):
            table.append([_clean(v) for v in row])
            if len(table) > MAX_ROWS + 1:
                break
        return table
    finally:
        workbook.close()


def rows_from_file(upload) -> list[Row]:
    """Rows of an uploaded CSV or XLSX, columns found by their header (naam, organisatie, rol).

    The header is the first row that names a name column; rows are numbered as the
    spreadsheet shows them. Raises ImportError_ (a Dutch message) when the file is too big,
    of another type, unreadable, or has no name or role column.
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise ImportError_(
            _("Het bestand is groter dan %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    data = upload.read()
    name = (upload.name or "").lower()
    if data[:2] == b"PK" or name.endswith((".xlsx", ".xlsm")):
        table = _table_from_xlsx(data)
    elif name.endswith((".csv", ".txt")):
        table = _table_from_csv(data)
    else:
        raise ImportError_(
            _("Upload een .xlsx- of .csv-bestand (een oud .xls-bestand: sla het op als .xlsx).")
        )
    header_at, columns = None, {}
    for index, cells in enumerate(table[:10]):
        found = {}
        for position, cell in enumerate(cells):
            word = _clean(cell).lower().rstrip(":")
            for key, words in HEADERS.items():
                if word in words and key not in found:
                    found[key] = position
        if "name" in found:
            header_at, columns = index, found
            break
    if header_at is None:
        raise ImportError_(
            _(
                "Geen kolom ‘naam’ gevonden. Zet in de eerste regel de kopjes naam, "
                "organisatie en rol."
            )
        )
    if "role" not in columns:
        raise ImportError_(
            _("Geen kolom ‘rol’ gevonden. Zet naast naam en organisatie een kolom rol.")
        )
    if len(table) - header_at - 1 > MAX_ROWS:
        raise ImportError_(_("Meer dan %(n)s deelnemers in één bestand.") % {"n": MAX_ROWS})

    def cell(cells, key) -> str:
        position = columns.get(key)
        return _clean(cells[position]) if position is not None and position < len(cells) else ""

    rows = []
    for index, cells in enumerate(table[header_at + 1 :], start=header_at + 2):
        if not any(_clean(c) for c in cells):
            continue
        rows.append(
            Row(index, cell(cells, "name"), cell(cells, "organisation"), cell(cells, "role"))
        )
    return rows
