"""A Word document read as a report outline: headings, paragraphs, nested lists, emphasis and
quotes come in as blocks; comments, tracked changes, text boxes, notes and foreign images are
listed; nothing is ever fetched, and oversized or bombed packages are refused."""

import http.server
import io
import threading
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from reports.models import BlockKind
from reports.outline import outline_for
from reports.outline_file import OutlineFileError, file_read, outline_import_apply
from reports.outline_word import MAX_DOCX_BYTES, docx_read

from .test_outline_file import PNG, blocks_of


def bullets(document) -> int:
    """A bullet numbering with three levels (python-docx's own 'List Bullet' has one level,
    which a reader sees as a flat list); returns its numId."""
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        f'<w:lvlText w:val="•"/><w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/>'
        "</w:pPr></w:lvl>"
        for i in range(3)
    )
    numbering.insert(
        0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>')
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    return 90


def item(document, text: str, level: int, num_id: int):
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/>'
            "</w:numPr>"
        )
    )
    return paragraph


def tracked(paragraph, tag: str, text: str, author: str = "Redactie") -> None:
    change = OxmlElement(f"w:{tag}")
    change.set(qn("w:id"), "9")
    change.set(qn("w:author"), author)
    run = OxmlElement("w:r")
    words = OxmlElement("w:delText" if tag == "del" else "w:t")
    words.text = text
    words.set(qn("xml:space"), "preserve")
    run.append(words)
    change.append(run)
    paragraph._p.append(change)


def saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def chapter() -> bytes:
    """A chapter as an analyst drafts it in Word, with what cannot come in."""
    document = docx.Document()
    document.add_heading("1 Inleiding", 1)
    paragraph = document.add_paragraph("Na tien jaar ")
    paragraph.add_run("samenwerken").bold = True
    paragraph.add_run(" kijkt de ")
    paragraph.add_run("alliantie").italic = True
    paragraph.add_run(" terug.")
    document.add_heading("Aanleiding", 2)
    num_id = bullets(document)
    item(document, "Eerste punt", 0, num_id)
    item(document, "Subpunt", 1, num_id)
    item(document, "Subsubpunt", 2, num_id)
    item(document, "Tweede punt", 0, num_id)
    document.add_paragraph("Samenwerken vraagt moed.", style="Quote")
    commented = document.add_paragraph("Tekst met een opmerking.")
    document.add_comment(commented.runs, text="Klopt dit wel?", author="Anouk")
    changed = document.add_paragraph("Zin met ")
    tracked(changed, "ins", "nieuwe ")
    tracked(changed, "del", "oude ")
    changed.add_run("woorden.")
    document.add_heading("Meervoudige blik", 3)
    document.add_paragraph("- geen lijst maar tekst * met sterretje")
    document.add_heading("Een tussenkop", 4)
    document.add_paragraph("Slot.")
    return saved(document)


class TestWordImport:
    def test_headings_paragraphs_lists_emphasis_and_quotes_become_blocks(self, chapter):
        plan, images = docx_read(chapter)
        assert [(b.kind, b.level, b.numbered, b.title, b.body) for b in plan.blocks] == [
            ("heading", 1, True, "Inleiding", ""),
            ("text", 1, True, "", "Na tien jaar **samenwerken** kijkt de *alliantie* terug."),
            ("heading", 2, True, "Aanleiding", ""),
            (
                "text", 1, True, "",
                "- Eerste punt\n  - Subpunt\n    - Subsubpunt\n- Tweede punt\n\n"
                "> Samenwerken vraagt moed.\n\nTekst met een opmerking.\n\n"
                "Zin met nieuwe woorden.",
            ),
            ("heading", 3, False, "Meervoudige blik", ""),
            ("text", 1, True, "", "\\- geen lijst maar tekst \\* met sterretje\n\n# Een tussenkop\n\nSlot."),
        ]  # fmt: skip
        assert images == []

    def test_what_cannot_come_in_is_listed(self, chapter):
        plan, _images = docx_read(chapter)
        assert plan.notes == [
            "Opmerking van Anouk niet ingelezen: ‘Klopt dit wel?’",
            "Bijgehouden wijziging van Redactie: de invoeging ‘nieuwe’ staat als gewone tekst "
            "in de opzet.",
            "Bijgehouden wijziging van Redactie: de verwijdering ‘oude’ is weggelaten.",
        ]

    def test_the_markup_renders_as_nested_lists_bold_and_a_quote(self, chapter):
        from reports.markup import render_markup

        plan, _images = docx_read(chapter)
        html = render_markup(plan.blocks[3].body)
        assert "<ul>\n<li>Eerste punt<ul>\n<li>Subpunt<ul>\n<li>Subsubpunt</li>" in html
        assert "<blockquote>" in html
        assert "<strong>samenwerken</strong>" in render_markup(plan.blocks[1].body)
        assert "<p>- geen lijst maar tekst * met sterretje</p>" in render_markup(
            plan.blocks[5].body
        )

    def test_the_command_reads_a_docx(self, chapter, evaluation, tmp_path):
        from io import StringIO

        from django.core.management import call_command

        path = tmp_path / "hoofdstuk.docx"
        path.write_bytes(chapter)
        out = StringIO()
        call_command("rapport_importeer", evaluation.slug, str(path), "--ja", stdout=out)
        assert "! Opmerking van Anouk niet ingelezen" in out.getvalue()
        titles = [b[3] for b in blocks_of(outline_for(evaluation, "eindrapport"))]
        assert titles[:3] == ["Inleiding", "", "Aanleiding"]

    def test_the_workspace_preview_lists_what_was_not_imported(
        self, chapter, client, analyst, evaluation
    ):
        client.force_login(analyst)
        url = reverse("reports:outline_upload", args=[evaluation.slug, "eindrapport"])
        response = client.post(url, {"bestand": SimpleUploadedFile("h.docx", chapter)})
        assert response.status_code == 302
        html = client.get(response["Location"]).content.decode()
        assert "Niet (zo) ingelezen" in html
        assert "Opmerking van Anouk niet ingelezen" in html
        assert "Kop 2: Aanleiding" in html

    def test_an_embedded_image_is_cleaned_and_becomes_a_figure(self, evaluation):
        document = docx.Document()
        document.add_heading("Model", 1)
        document.add_picture(io.BytesIO(PNG[0]))
        document.inline_shapes[0]._inline.docPr.set("descr", "Het model")
        outline = outline_for(evaluation, "eindrapport")
        plan = file_read(saved(document), "m.docx", outline)
        outline_import_apply(outline=outline, plan=plan)
        figure = outline.blocks.get(kind=BlockKind.FIGURE)
        assert figure.title == "Het model" and figure.image_type == "image/png"

    def test_typed_numbers_are_the_reports_and_appendices_are_unnumbered(self):
        document = docx.Document()
        document.add_heading("1.2 Evaluatiemethode", 2)
        document.add_heading("Bijlage: hoe-vragen en aanbevelingen", 1)
        document.add_heading("2.1.1 Diep", 3)
        plan, _images = docx_read(saved(document))
        assert [(b.level, b.title, b.numbered) for b in plan.blocks] == [
            (2, "Evaluatiemethode", True),
            (1, "Bijlage: hoe-vragen en aanbevelingen", False),
            (3, "Diep", True),
        ]

    def test_a_long_chapter_is_split_into_texts_at_paragraphs(self):
        document = docx.Document()
        for _number in range(30):
            document.add_paragraph("woord " * 150)
        plan, _images = docx_read(saved(document))
        assert len(plan.blocks) > 1
        assert all(len(b.body) <= 20_000 for b in plan.blocks)


def linked_image_docx(target: str) -> bytes:
    """A DOCX whose picture is linked (r:link, TargetMode="External") to `target`."""
    document = docx.Document()
    document.add_paragraph("Voor het plaatje.")
    document.add_picture(io.BytesIO(PNG[0]))
    data = saved(document)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "word/document.xml":
                content = content.replace(b"r:embed=", b"r:link=")
            if entry.filename == "word/_rels/document.xml.rels":
                content = content.replace(
                    b'Target="media/image1.png"',
                    f'Target="{target}" TargetMode="External"'.encode(),
                )
            archive.writestr(entry, content)
    return out.getvalue()


class TestNothingIsFetched:
    def test_a_picture_linked_to_a_local_file_is_not_read(self, tmp_path):
        # A readable picture on this machine: had it been read, it would be a figure.
        (tmp_path / "geheim.png").write_bytes(PNG[0])
        for target in [f"file://{tmp_path}/geheim.png", "file:///etc/passwd", "/etc/passwd"]:
            plan, images = docx_read(linked_image_docx(target))
            assert images == [], target
            assert not [b for b in plan.blocks if b.kind == BlockKind.FIGURE], target
            assert any(target in note and "niet opgehaald" in note for note in plan.notes)

    def test_a_picture_linked_to_a_web_address_is_not_fetched(self):
        requests = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                requests.append(self.path)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.server_port}/beeld.png"
            plan, images = docx_read(linked_image_docx(url))
        finally:
            server.shutdown()
        assert requests == [] and images == []
        assert any(url in note for note in plan.notes)

    def test_an_unsupported_image_type_is_dropped_with_a_note(self):
        document = docx.Document()
        document.add_picture(io.BytesIO(PNG[0]))
        data = saved(document)
        source = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for entry in source.infolist():
                content = source.read(entry)
                if entry.filename == "[Content_Types].xml":
                    content = content.replace(b'Extension="png" ContentType="image/png"',
                                              b'Extension="png" ContentType="image/x-emf"')  # fmt: skip
                archive.writestr(entry, content)
        plan, images = docx_read(out.getvalue())
        assert images == []
        assert any("image/x-emf" in note for note in plan.notes)


class TestRefusedPackages:
    def test_a_zip_bomb_is_refused_before_it_is_unpacked(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", b"\0" * (30 * 1024 * 1024))
        assert len(out.getvalue()) < 100_000
        with pytest.raises(OutlineFileError, match="uitgepakt te groot"):
            docx_read(out.getvalue())

    def test_many_moderately_compressed_parts_are_refused_in_total(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("word/document.xml", "<w:document/>")
            for number in range(80):
                archive.writestr(f"word/media/x{number}.bin", b"\0" * (900 * 1024))
        with pytest.raises(OutlineFileError, match="uitgepakt te groot"):
            docx_read(out.getvalue())

    def test_a_file_over_the_size_limit_is_refused(self):
        with pytest.raises(OutlineFileError, match="te groot"):
            docx_read(b"PK\x03\x04" + b"\0" * MAX_DOCX_BYTES)

    @pytest.mark.parametrize(
        "content",
        [b"PK\x03\x04 dit is geen zip", b"", b"PK\x05\x06" + b"\0" * 18],
    )
    def test_a_broken_or_empty_package_is_refused_in_dutch(self, content):
        with pytest.raises(OutlineFileError, match="Word-document"):
            docx_read(content)

    def test_entities_in_the_xml_are_refused(self):
        document = saved(docx.Document())
        source = zipfile.ZipFile(io.BytesIO(document))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for entry in source.infolist():
                content = source.read(entry)
                if entry.filename == "word/document.xml":
                    content = content.replace(
                        b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>', 1
                    )
                archive.writestr(entry, content)
        with pytest.raises(OutlineFileError, match="niet gelezen"):
            docx_read(out.getvalue())

    def test_a_refused_upload_changes_nothing(self, client, analyst, evaluation):
        client.force_login(analyst)
        before = blocks_of(outline_for(evaluation, "eindrapport"))
        url = reverse("reports:outline_upload", args=[evaluation.slug, "eindrapport"])
        response = client.post(url, {"bestand": SimpleUploadedFile("x.docx", b"PK\x03\x04 kapot")})
        assert response.status_code == 400
        assert "Word-document" in response.content.decode()
        assert blocks_of(outline_for(evaluation, "eindrapport")) == before
