"""A report's outline as a Markdown file: exported, read back (command and workspace), and
refused with a Dutch message naming the line when it cannot be read."""

import io
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from evaluatiespiegel.bounds import constraint_bounds
from evaluatiespiegel.management.commands.demo import DEMO_SLUG
from evaluatiespiegel.transfer import evaluation_import
from reports.builder import eindrapport_pdf
from reports.images import image_clean
from reports.models import BlockKind, OutlineImport, Part, ReportBlock
from reports.outline import block_add, outline_for, preset_apply
from reports.outline_file import (
    MAX_BLOCKS,
    OutlineFileError,
    file_read,
    markdown_read,
    outline_import_apply,
    outline_markdown,
    plan_changes,
)
from sessions.models import Evaluation

from .conftest import make_evaluation
from .test_import_safety import copy_of
from .test_outline import bookmarks

PNG = image_clean(io.BytesIO(
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
))  # fmt: skip


def read_into(outline, text: str):
    """Read `text` as a file for `outline` and apply it (the command's --ja)."""
    plan = file_read(text.encode(), "opzet.md", outline)
    outline_import_apply(outline=outline, plan=plan)
    return plan


def blocks_of(outline) -> list[tuple]:
    return list(
        outline.blocks.order_by("order").values_list(
            "kind", "level", "numbered", "title", "body", "part", "enabled", "width"
        )
    )


@pytest.fixture
def tricky(evaluation):
    """An outline with every kind of block and every text a naive format would misread."""
    outline = outline_for(evaluation, "eindrapport")
    outline.blocks.all().delete()
    for block in [
        ReportBlock(kind=BlockKind.GENERATED, part=Part.COVER),
        ReportBlock(kind=BlockKind.HEADING, level=1, title="Inleiding"),
        ReportBlock(
            kind=BlockKind.TEXT,
            body="# Een tussenkop in de tekst\n\n- punt\n  - subpunt\n\n[[omslag]]\n\\pad\n"
            "<!-- geen opmerking -->\n#### diep\n**vet** en *schuin*\n\n> citaat",
        ),
        ReportBlock(kind=BlockKind.TEXT, body="Een tweede tekst direct erna."),
        ReportBlock(kind=BlockKind.TEXT, body="", enabled=True),
        ReportBlock(kind=BlockKind.TEXT, body="Uitgezet.", enabled=False),
        ReportBlock(kind=BlockKind.HEADING, level=2, title="Set {a, b}", numbered=False),
        ReportBlock(kind=BlockKind.HEADING, level=3, title="Uit", enabled=False),
        ReportBlock(kind=BlockKind.PAGE_BREAK),
        ReportBlock(kind=BlockKind.PAGE_BREAK, enabled=False),
        ReportBlock(kind=BlockKind.GENERATED, part=Part.LIFECYCLE, enabled=False),
        ReportBlock(
            kind=BlockKind.FIGURE,
            title="Het model ]] {uit}",
            width=60,
            image=PNG[0],
            image_type=PNG[1],
        ),  # fmt: skip
        ReportBlock(kind=BlockKind.HEADING, level=1, title="{paradoxen} paradoxen"),
    ]:
        block_add(outline=outline, block=block)
    return outline


@pytest.fixture
def demo(db):
    call_command("demo", stdout=StringIO())
    return Evaluation.objects.get(slug=DEMO_SLUG)


class TestExport:
    def test_every_kind_of_block_has_its_notation(self, tricky):
        text = outline_markdown(tricky)
        for line in [
            "[[omslag]]",
            "# Inleiding",
            "#### Een tussenkop in de tekst",
            "\\[[omslag]]",
            "\\\\pad",
            "\\<!-- geen opmerking -->",
            "####### diep",
            "[[tekst]]\nEen tweede tekst direct erna.",
            "[[tekst]] {uit}\nUitgezet.",
            "## Set {a, b} {-}",
            "### Uit {uit}",
            "[[nieuwe pagina]]",
            "[[nieuwe pagina]] {uit}",
            "[[figuur: levenscyclus]] {uit}",
            "[[afbeelding: Het model ]] {uit}]] {breedte=60%}",
            "# {paradoxen} paradoxen",
        ]:
            assert f"\n{line}\n" in text, line

    def test_the_file_says_what_happens_to_uploaded_images(self, tricky):
        assert "De afbeelding zelf" in outline_markdown(tricky)

    def test_the_command_writes_markdown_by_the_extension(self, tricky, tmp_path):
        path = tmp_path / "opzet.md"
        call_command("eindrapport", tricky.evaluation.slug, "-o", str(path), stdout=StringIO())
        assert path.read_text(encoding="utf-8") == outline_markdown(tricky)

    def test_the_tussenrapportage_command_writes_its_own_outline(self, evaluation, tmp_path):
        path = tmp_path / "tussen.md"
        call_command("tussenrapportage", evaluation.slug, "-o", str(path), stdout=StringIO())
        assert "[[alle sessies]]" in path.read_text(encoding="utf-8")

    def test_every_generated_part_has_a_distinct_marker(self):
        from reports.outline_file import PART_MARKERS

        assert set(PART_MARKERS) == set(Part.values)
        assert len(set(PART_MARKERS.values())) == len(Part.values)


class TestRoundTrip:
    def test_export_import_export_is_byte_identical(self, tricky):
        first = outline_markdown(tricky)
        before = blocks_of(tricky)
        read_into(tricky, first)
        assert outline_markdown(tricky) == first
        assert blocks_of(tricky) == before

    def test_the_demo_is_byte_identical_after_a_round_trip(self, demo):
        for kind in ("eindrapport", "tussenrapportage"):
            outline = outline_for(demo, kind)
            first = outline_markdown(outline)
            read_into(outline, first)
            assert outline_markdown(outline) == first

    def test_the_demo_outline_in_a_fresh_evaluation_gives_the_same_bookmarks(self, demo):
        original = bookmarks(PdfReader(io.BytesIO(eindrapport_pdf(demo))))
        text = outline_markdown(outline_for(demo, "eindrapport"))
        # The fresh evaluation has the demo's data (the JSON transfer) but not its outline:
        # it starts from the other preset, so its report differs until the file is read.
        data = copy_of(demo)
        del data["outlines"]
        fresh = evaluation_import(data)
        preset_apply(outline=outline_for(fresh, "eindrapport"), preset="rijk")
        assert bookmarks(PdfReader(io.BytesIO(eindrapport_pdf(fresh)))) != original
        read_into(outline_for(fresh, "eindrapport"), text)
        assert outline_markdown(outline_for(fresh, "eindrapport")) == text
        assert bookmarks(PdfReader(io.BytesIO(eindrapport_pdf(fresh)))) == original
        assert len(original) > 10

    def test_texts_keep_their_preset_slot(self, evaluation):
        outline = outline_for(evaluation, "eindrapport")
        read_into(outline, outline_markdown(outline))
        assert outline.blocks.filter(slot="introduction").exists()

    def test_a_figure_gets_its_image_back_in_the_same_evaluation(self, tricky):
        read_into(tricky, outline_markdown(tricky))
        figure = tricky.blocks.get(kind=BlockKind.FIGURE)
        assert bytes(figure.image) == PNG[0]

    def test_in_another_evaluation_a_figure_gets_a_placeholder_and_a_note(self, tricky):
        other = outline_for(make_evaluation("ander", "Ander"), "eindrapport")
        plan = read_into(other, outline_markdown(tricky))
        figure = other.blocks.get(kind=BlockKind.FIGURE)
        assert figure.image_type == "image/svg+xml" and b"Afbeelding volgt" in bytes(figure.image)
        assert figure.title == "Het model ]] {uit}" and figure.width == 60
        assert any("plaatshouder" in note for note in plan.notes)


class TestHandWritten:
    def test_a_plain_markdown_draft_becomes_headings_and_texts(self, evaluation):
        outline = outline_for(evaluation, "eindrapport")
        read_into(
            outline,
            "# Inleiding\n\nEerste alinea.\n\nTweede alinea.\n\n## Aanleiding {-}\n\n"
            "- een\n  - twee\n\n[[Figuur: Levenscyclus]]\n",
        )
        assert blocks_of(outline) == [
            ("heading", 1, True, "Inleiding", "", "", True, 100),
            ("text", 1, True, "", "Eerste alinea.\n\nTweede alinea.", "", True, 100),
            ("heading", 2, False, "Aanleiding", "", "", True, 100),
            ("text", 1, True, "", "- een\n  - twee", "", True, 100),
            ("generated", 1, True, "", "", "lifecycle", True, 100),
        ]

    def test_reading_a_file_costs_no_query_per_block(
        self, evaluation, django_assert_max_num_queries
    ):
        outline = outline_for(evaluation, "eindrapport")
        text = outline_markdown(outline).encode()
        with django_assert_max_num_queries(2):
            plan = file_read(text, "opzet.md", outline)
        assert len(plan.blocks) > 50

    def test_windows_line_endings_and_a_bom_are_read(self, evaluation):
        outline = outline_for(evaluation, "eindrapport")
        plan = file_read("\ufeff# Kop\r\n\r\nTekst\r\n".encode(), "a.md", outline)
        assert [(b.kind, b.title, b.body) for b in plan.blocks] == [
            ("heading", "Kop", ""),
            ("text", "", "Tekst"),
        ]


class TestRefusals:
    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"# Kop\n\n[[grafiek van alles]]\n", "regel 3: onbekend blok [[grafiek van alles]]"),
            (b"# Kop\n\nTekst \xff\n", "regel 3: dit is geen UTF-8-tekst"),
            (b"# Kop\n\nTek\x00st\n", "regel 3: er staat een onzichtbaar stuurteken"),
            (b"#\n", "regel 1: een kop zonder titel"),
            (b"# Kop {nummer}\n", "regel 1: onbekende aanduiding '{nummer}'"),
            (b"[[omslag]] {breedte=50%}\n", "regel 1: onbekende aanduiding '{breedte=50%}'"),
            (b"ok\n<!-- open\n\n", "regel 2: een opmerking (<!--) die nergens sluit"),
            (b"[[alle sessies]]\n", "regel 1: [[alle sessies]] hoort niet in het eindrapport"),
            (b"# " + b"k" * 301 + b"\n", "regel 1: Titel"),
            (b"# Kop\n\n" + b"x" * 20_001 + b"\n", "regel 3: Tekst is te lang: hooguit 20000"),
            (
                b"Tekst\n\n" + b"  " * 6 + b"- diep\n" + b"- " * 6 + b"x\n",
                "regel 1: Tekst: lijsten",
            ),
            (b"[[afbeelding: x]] {breedte=10%}\n", "regel 1: De breedte ligt tussen 20 en 100"),
            (b"\n\n<!-- alleen dit -->\n", "geen enkel blok"),
            (b"# k\n" * (MAX_BLOCKS + 1), f"meer dan {MAX_BLOCKS} blokken"),
            (b"x" * (1024 * 1024 + 1), "te groot"),
        ],
    )
    def test_a_file_that_cannot_be_read_changes_nothing_and_says_where(
        self, evaluation, content, message
    ):
        outline = outline_for(evaluation, "eindrapport")
        before = blocks_of(outline)
        with pytest.raises(OutlineFileError) as refused:
            file_read(content, "opzet.md", outline)
        assert message in " ".join(refused.value.messages)
        assert blocks_of(outline) == before

    @pytest.mark.parametrize(
        "outside",
        [lambda low, high: low - 1, lambda low, high: high + 1, lambda low, high: high * 10,
         lambda low, high: 0, lambda low, high: 999_999_999],
        ids=["just-below", "just-above", "tenfold", "zero", "nine-digits"],
    )  # fmt: skip
    def test_a_width_out_of_bounds_gets_the_database_constraints_bounds_and_message(
        self, evaluation, outside
    ):
        """Tester: a too wide figure was refused in other words (and, from 1000 %, as an
        unknown mark) than the database's bound; the import now says the constraint's."""
        low, high, message = constraint_bounds(ReportBlock, "width")
        width = outside(low, high)
        outline = outline_for(evaluation, "eindrapport")
        with pytest.raises(OutlineFileError) as refused:
            file_read(f"[[afbeelding: x]] {{breedte={width}%}}\n".encode(), "opzet.md", outline)
        assert refused.value.messages == [f"regel 1: {message}"]
        assert str(low) in message and str(high) in message
        for inside in (low, high):
            file_read(f"[[afbeelding: x]] {{breedte={inside}%}}\n".encode(), "opzet.md", outline)

    def test_every_problem_is_reported_with_its_line_and_nothing_changes(self, evaluation):
        """A new-user pass fixed a file line by line: each upload named only the first
        problem. Reading and checking problems alike come in one list, in the file's order."""
        outline = outline_for(evaluation, "eindrapport")
        before = blocks_of(outline)
        content = (
            b"# Goede kop\n"  # 1
            b"#\n"  # 2: heading without title
            b"[[grafiek van alles]]\n"  # 3: unknown block
            b"# Kop {nummer}\n"  # 4: unknown mark
            b"[[alle sessies]]\n"  # 5: not in the eindrapport
            b"Tek\x00st\n"  # 6: control character
            b"[[afbeelding: x]] {breedte=10%}\n"  # 7: width
            b"Nog een \xff tekst\n"  # 8: not UTF-8
        )
        with pytest.raises(OutlineFileError) as refused:
            file_read(content, "opzet.md", outline)
        assert [m.split(":")[0] for m in refused.value.messages] == ["regel 6", "regel 8"]
        # Without the encoding problems, every other problem is listed at once.
        content = content.replace(b"Tek\x00st", b"Tekst").replace(b"\xff", b"")
        with pytest.raises(OutlineFileError) as refused:
            file_read(content, "opzet.md", outline)
        assert [m.split(":")[0] for m in refused.value.messages] == [
            "regel 2", "regel 3", "regel 4", "regel 5", "regel 7",
        ]  # fmt: skip
        assert blocks_of(outline) == before

    def test_the_upload_lists_every_problem(self, client, analyst, evaluation):
        client.force_login(analyst)
        url = reverse("reports:outline_upload", args=[evaluation.slug, "eindrapport"])
        upload = SimpleUploadedFile("opzet.md", b"#\n\n[[grafiek]]\n\n# Kop {x}\n")
        response = client.post(url, {"bestand": upload})
        html = response.content.decode()
        assert response.status_code == 400
        for where in ("regel 1: een kop zonder titel", "regel 3: onbekend blok", "regel 5"):
            assert where in html

    def test_the_command_lists_every_problem(self, evaluation, tmp_path):
        path = tmp_path / "opzet.md"
        path.write_bytes(b"#\n\n[[grafiek]]\n")
        with pytest.raises(CommandError) as refused:
            call_command("rapport_importeer", evaluation.slug, str(path))
        assert "regel 1" in str(refused.value) and "regel 3" in str(refused.value)

    def test_another_file_type_is_refused(self, evaluation):
        with pytest.raises(OutlineFileError, match="Markdown-bestand"):
            file_read(b"a,b\n", "scores.csv", outline_for(evaluation, "eindrapport"))

    def test_all_or_nothing_when_the_database_refuses_midway(self, evaluation, monkeypatch):
        outline = outline_for(evaluation, "eindrapport")
        before = blocks_of(outline)
        plan = markdown_read(b"# Nieuw\n\nTekst\n")
        from django.db import IntegrityError

        def broken(*args, **kwargs):
            raise IntegrityError("midden in de vervanging")

        monkeypatch.setattr(ReportBlock.objects, "bulk_create", broken)
        with pytest.raises(IntegrityError):
            outline_import_apply(outline=outline, plan=plan)
        assert blocks_of(outline) == before


class TestCommand:
    def test_without_ja_it_shows_the_change_and_changes_nothing(self, evaluation, tmp_path):
        outline = outline_for(evaluation, "eindrapport")
        before = blocks_of(outline)
        path = tmp_path / "nieuw.md"
        path.write_text("[[omslag]]\n\n# Alleen dit\n\nEen tekst.\n", encoding="utf-8")
        out = StringIO()
        call_command("rapport_importeer", evaluation.slug, str(path), stdout=out)
        printed = out.getvalue()
        assert "= Uit de gegevens: Omslag" in printed
        assert "+ Kop 1: Alleen dit" in printed
        assert "- Kop 1: Inleiding" in printed
        assert "voeg --ja toe" in printed
        assert blocks_of(outline) == before

    def test_with_ja_it_replaces_the_outline(self, evaluation, tmp_path):
        path = tmp_path / "nieuw.md"
        path.write_text("# Alleen dit\n", encoding="utf-8")
        call_command("rapport_importeer", evaluation.slug, str(path), "--ja", stdout=StringIO())
        outline = outline_for(evaluation, "eindrapport")
        assert blocks_of(outline) == [("heading", 1, True, "Alleen dit", "", "", True, 100)]

    def test_an_unreadable_file_is_a_dutch_command_error(self, evaluation, tmp_path):
        path = tmp_path / "fout.md"
        path.write_bytes(b"# Kop\n[[wat]]\n")
        with pytest.raises(CommandError, match="Niet ingelezen, er is niets veranderd.\nregel 2"):
            call_command("rapport_importeer", evaluation.slug, str(path), "--ja")

    def test_the_changes_show_a_text_diff(self, evaluation):
        outline = outline_for(evaluation, "eindrapport")
        goal = outline.blocks.get(slot="method").body.split("\n")[0]
        text = outline_markdown(outline).replace(goal, "Een nieuw doel.")
        plan = file_read(text.encode(), "a.md", outline)
        changed = [c for c in plan_changes(outline, plan) if c.detail]
        assert len(changed) == 1
        assert "+Een nieuw doel." in changed[0].detail

    def test_the_preview_page_shows_the_text_diff_line_by_line(self, client, analyst, evaluation):
        client.force_login(analyst)
        outline = outline_for(evaluation, "eindrapport")
        first = outline.blocks.get(slot="method").body.split("\n")[0]
        text = outline_markdown(outline).replace(first, "Een nieuwe eerste zin.")
        url = reverse("reports:outline_upload", args=[evaluation.slug, "eindrapport"])
        response = client.post(url, {"bestand": SimpleUploadedFile("a.md", text.encode())})
        html = client.get(response["Location"]).content.decode()
        assert "\n+Een nieuwe eerste zin.\n" in html


class TestWorkspace:
    def upload(self, client, evaluation, content: bytes, name="opzet.md", kind="eindrapport"):
        url = reverse("reports:outline_upload", args=[evaluation.slug, kind])
        return client.post(url, {"bestand": SimpleUploadedFile(name, content)})

    def test_the_team_downloads_the_outline_as_markdown(self, client, facilitator, evaluation):
        client.force_login(facilitator)
        response = client.get(
            reverse("reports:outline_file", args=[evaluation.slug, "eindrapport"])
        )
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            f'attachment; filename="opzet-eindrapport-{evaluation.slug}.md"'
        )
        assert response.content.decode() == outline_markdown(outline_for(evaluation, "eindrapport"))

    def test_the_workspace_offers_download_and_upload(self, client, analyst, evaluation):
        client.force_login(analyst)
        page = client.get(reverse("reports:outline", args=[evaluation.slug, "eindrapport"]))
        html = page.content.decode()
        assert reverse("reports:outline_file", args=[evaluation.slug, "eindrapport"]) in html
        assert reverse("reports:outline_upload", args=[evaluation.slug, "eindrapport"]) in html

    def test_an_upload_shows_the_changes_and_changes_nothing_until_confirmed(
        self, client, analyst, evaluation
    ):
        client.force_login(analyst)
        outline = outline_for(evaluation, "eindrapport")
        before = blocks_of(outline)
        response = self.upload(client, evaluation, b"[[omslag]]\n\n# Alleen dit\n\nTekst.\n")
        assert response.status_code == 302
        preview = client.get(response["Location"])
        html = preview.content.decode()
        assert "Kop 1: Alleen dit" in html and "Kop 1: Inleiding" in html
        assert "Opzet vervangen" in html
        assert blocks_of(outline) == before
        confirmed = client.post(
            response["Location"], {"bevestigen": "ja", "opzet": preview.context["fingerprint"]}
        )
        assert confirmed.status_code == 302
        assert [b[3] for b in blocks_of(outline)] == ["", "Alleen dit", ""]
        assert not OutlineImport.objects.exists()

    def test_cancelling_forgets_the_file(self, client, analyst, evaluation):
        client.force_login(analyst)
        before = blocks_of(outline_for(evaluation, "eindrapport"))
        response = self.upload(client, evaluation, b"# Alleen dit\n")
        client.post(response["Location"], {"annuleren": "ja"})
        assert not OutlineImport.objects.exists()
        assert blocks_of(outline_for(evaluation, "eindrapport")) == before

    def test_an_unreadable_upload_says_where_in_dutch_and_changes_nothing(
        self, client, analyst, evaluation
    ):
        client.force_login(analyst)
        before = blocks_of(outline_for(evaluation, "eindrapport"))
        response = self.upload(client, evaluation, b"# Kop\n\n[[bestaat niet]]\n")
        assert response.status_code == 400
        assert "regel 3: onbekend blok [[bestaat niet]]" in response.content.decode()
        assert blocks_of(outline_for(evaluation, "eindrapport")) == before
        assert not OutlineImport.objects.exists()

    def test_a_confirmation_after_someone_else_changed_the_outline_is_refused(
        self, client, analyst, evaluation
    ):
        client.force_login(analyst)
        response = self.upload(client, evaluation, b"# Alleen dit\n")
        fingerprint = client.get(response["Location"]).context["fingerprint"]
        outline = outline_for(evaluation, "eindrapport")
        block_add(outline=outline, block=ReportBlock(kind=BlockKind.TEXT, body="Van een collega."))
        before = blocks_of(outline)
        refused = client.post(response["Location"], {"bevestigen": "ja", "opzet": fingerprint})
        assert refused.status_code == 400
        assert "De opzet is gewijzigd sinds je het bestand inlas" in refused.content.decode()
        assert blocks_of(outline) == before

    def test_the_tussenrapportage_has_its_own_upload(self, client, analyst, evaluation):
        client.force_login(analyst)
        response = self.upload(client, evaluation, b"[[alle sessies]]\n", kind="tussenrapportage")
        assert response.status_code == 302
