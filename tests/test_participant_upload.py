"""Participant lists as the alliance sends them: CSV or XLSX, preview first, all or nothing."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sessions.models import Participant, Role


def xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, evaluation, name: str, data: bytes):
    return client.post(
        reverse("sessions:participants_upload", args=[evaluation.slug]),
        {"file": SimpleUploadedFile(name, data)},
    )


def confirm(client, evaluation, response):
    return client.post(
        reverse("sessions:participants_upload", args=[evaluation.slug]),
        {"payload": response.context["payload"], "confirm": "1"},
    )


@pytest.fixture
def logged_in(client, facilitator):
    client.force_login(facilitator)
    return client


def test_an_xlsx_with_columns_in_any_order_is_previewed_then_saved(logged_in, evaluation):
    data = xlsx(
        [
            ["Deelnemerslijst Alliantie"],  # a title above the header, as alliances send it
            ["Rol", "Naam", "E-mail", "Organisatie"],
            ["verteller", "Anna Aalders", "anna@example.nl", "Waterschap"],
            ["Reflector", " Bert  Bos ", None, "Rijkswaterstaat"],
            [None, None, None, None],
        ]
    )
    response = upload(logged_in, evaluation, "lijst.xlsx", data)
    assert [(p.name, p.organisation, p.role) for p in response.context["people"]] == [
        ("Anna Aalders", "Waterschap", Role.VERTELLER),
        ("Bert Bos", "Rijkswaterstaat", Role.REFLECTOR),
    ]
    assert not Participant.objects.exists()  # the preview saves nothing
    response = confirm(logged_in, evaluation, response)
    assert response.status_code == 302
    assert evaluation.participants.count() == 2


def test_a_csv_with_semicolons_and_windows_encoding(logged_in, evaluation):
    data = "naam;organisatie;rol\nJosé Müller;Gemeente;reflector\n".encode("cp1252")
    response = upload(logged_in, evaluation, "lijst.csv", data)
    confirm(logged_in, evaluation, response)
    assert evaluation.participants.get().name == "José Müller"


def test_a_comma_csv_with_a_bom(logged_in, evaluation):
    data = "\ufeffName,Organisation,Role\nAnn,Dijkbouw,verteller\n".encode()
    response = upload(logged_in, evaluation, "list.csv", data)
    assert [p.name for p in response.context["people"]] == ["Ann"]


def test_any_wrong_line_saves_nothing_and_each_is_named(logged_in, evaluation, verteller):
    data = xlsx(
        [
            ["naam", "organisatie", "rol"],
            ["Goed Mens", "Provincie", "reflector"],
            ["", "Provincie", "verteller"],
            ["Kees", "Aannemer", "toeschouwer"],
            [verteller.name, verteller.organisation, "verteller"],
            ["X" * 200, "Org", "verteller"],
            ["Goed Mens", "Provincie", "reflector"],
        ]
    )
    response = upload(logged_in, evaluation, "lijst.xlsx", data)
    errors = response.context["errors"]
    assert errors == [
        "Regel 3: de naam ontbreekt.",
        "Regel 4: de rol moet ‘verteller’ of ‘reflector’ zijn, niet ‘toeschouwer’.",
        "Regel 5: Vera Verteller (Waterschap) staat al op de lijst.",
        "Regel 6: de naam mag hoogstens 120 en de organisatie hoogstens 160 tekens lang zijn.",
        "Regel 7: Goed Mens (Provincie) staat al op de lijst.",
    ]
    assert "Er is niets opgeslagen" in response.content.decode()
    assert evaluation.participants.count() == 1


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("lijst.xlsx", b"PK\x03\x04 kapot", "geen leesbaar Excel-bestand"),
        ("lijst.xls", b"\xd0\xcf\x11\xe0 oud", "Upload een .xlsx- of .csv-bestand"),
        ("lijst.pdf", b"%PDF-1.4", "Upload een .xlsx- of .csv-bestand"),
        ("lijst.csv", b"voornaam;achternaam\nA;B\n", "Geen kolom ‘naam’ gevonden"),
        ("lijst.csv", b"naam;organisatie\nA;B\n", "Geen kolom ‘rol’ gevonden"),
        ("lijst.csv", b"naam;organisatie;rol\n", "geen deelnemers"),
        ("lijst.csv", b"", "Het bestand is leeg."),
    ],
)
def test_unreadable_files_get_one_dutch_message(logged_in, evaluation, name, data, error):
    response = upload(logged_in, evaluation, name, data)
    assert response.status_code == 200
    assert error in " ".join(response.context["errors"])
    assert not evaluation.participants.exists()


def test_no_file_chosen(logged_in, evaluation):
    response = logged_in.post(reverse("sessions:participants_upload", args=[evaluation.slug]))
    assert response.context["errors"] == ["Kies een bestand."]


def test_a_tampered_or_foreign_preview_is_refused(logged_in, evaluation, other_evaluation):
    response = upload(logged_in, evaluation, "l.csv", b"naam;organisatie;rol\nA;B;verteller\n")
    payload = response.context["payload"]
    for bad in (payload[:-2] + "xx", "rommel"):
        refused = logged_in.post(
            reverse("sessions:participants_upload", args=[evaluation.slug]),
            {"payload": bad, "confirm": "1"},
        )
        assert "verlopen of beschadigd" in refused.content.decode()
    assert not Participant.objects.exists()


def test_someone_added_between_preview_and_saving_is_caught(logged_in, evaluation):
    response = upload(logged_in, evaluation, "l.csv", b"naam;organisatie;rol\nA;B;verteller\n")
    Participant.objects.create(evaluation=evaluation, name="A", organisation="B", role="verteller")
    again = confirm(logged_in, evaluation, response)
    assert "staat al op de lijst" in again.content.decode()
    assert evaluation.participants.count() == 1


def test_a_zip_bomb_is_refused_before_parsing(logged_in, evaluation):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    response = upload(logged_in, evaluation, "bom.xlsx", out.getvalue())
    assert "uitgepakt te groot" in " ".join(response.context["errors"])


def test_analysts_cannot_upload(client, analyst, evaluation):
    client.force_login(analyst)
    response = upload(client, evaluation, "l.csv", b"naam;organisatie;rol\nA;B;verteller\n")
    assert response.status_code == 404
    assert not Participant.objects.exists()


def test_pasting_uses_the_same_rules(logged_in, evaluation):
    response = logged_in.post(
        reverse("sessions:participants", args=[evaluation.slug]),
        {"lines": "A; B; verteller\nkapot\n" + "Y" * 130 + "; B; reflector"},
    )
    text = response.content.decode()
    assert "Regel 2: gebruik" in text and "Regel 3: de naam mag hoogstens 120" in text
    assert not evaluation.participants.exists()
