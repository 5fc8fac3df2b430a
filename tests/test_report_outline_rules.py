"""Rules of the report outline that every renderer obeys alike (HTML preview, PDF, DOCX):
every markup feature says the same in the PDF and in Word; a switched-off heading switches
off its section; heading numbers never skip a level."""

import io
import re
import shutil
import subprocess
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from lxml import html as lxml_html
from pypdf import PdfReader

from evaluatiespiegel.management.commands.demo import DEMO_SLUG
from reports.builder import report_context, report_docx, report_pdf, report_render
from reports.docx import CELL_ALIGNMENTS
from reports.markup import ALIGN_CLASSES, render_markup
from reports.models import BlockKind, Part, ReportBlock
from reports.outline import _block_from_spec, block_add, block_delete, outline_for
from reports.outline_file import file_read, outline_import_apply, outline_markdown, plan_changes
from reports.outline_rules import heading_title, outline_warnings, printed_flags
from reports.presets import PRESETS
from sessions.models import Evaluation, Participant, Role

from .conftest import allocate

# One text with every feature of the Markdown subset (reports/markup.py).
EVERY_FEATURE = """Een alinea met *cursief*, **vet** en "aanhalingstekens".

# Tussenkop

Zie [link naar de site](https://example.org) en ook www.voorbeeld.nl voor meer.

## Kleinere kop

- Eerste punt
- Tweede punt
  - Genest punt

1. Stap een
2. Stap twee

> Een citaat van een verteller.

Een tabel direct onder een zin:
| Conditie | Punten |
|---|---|
| Ambitie | 3 |
| **Relatie** | 2 |

Slotzin."""


def own_outline(evaluation, blocks: list[ReportBlock]):
    outline = outline_for(evaluation, "eindrapport")
    for block in list(outline.blocks.all()):
        block_delete(block=block)
    for block in blocks:
        block_add(outline=outline, block=block)
    return outline


# A list item's bullet or number is drawn by Word from its numbering definition and is not
# part of the paragraph's text; the PDF's text has it. Both are compared without it.
MARKER = re.compile(r"^\s*(?:[•◦▪–]|\d+\.)\s+", re.M)


def words(text: str) -> list[str]:
    return MARKER.sub("", text).split()


def pdf_words(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return words("\n".join(page.extract_text() for page in reader.pages))


def docx_words(content: bytes) -> list[str]:
    """Every paragraph's words in the order of the document, those in tables too."""
    body = Document(io.BytesIO(content)).element.body
    return words(
        "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    )


class TestMarkupParity:
    def test_a_text_with_every_markup_feature_says_the_same_in_pdf_and_docx(self, evaluation):
        own_outline(
            evaluation,
            [
                ReportBlock(kind=BlockKind.HEADING, level=1, title="Proef", numbered=True),
                ReportBlock(kind=BlockKind.TEXT, body=EVERY_FEATURE),
            ],
        )
        pdf = pdf_words(report_pdf("eindrapport", evaluation))
        docx = docx_words(report_docx("eindrapport", evaluation))
        start = pdf.index("Proef")
        assert docx[docx.index("Proef") :] == pdf[start:]
        assert "(https://example.org)" in docx

    def test_a_simple_table_is_a_table_everywhere(self, evaluation):
        html = render_markup("Punten:\n| a | b |\n|---|---|\n| 1 | 2 |")
        assert "<table>" in html and "|" not in html and "<td>2</td>" in html
        own_outline(
            evaluation,
            [
                ReportBlock(kind=BlockKind.HEADING, level=1, title="Proef", numbered=True),
                ReportBlock(kind=BlockKind.TEXT, body="| a | b |\n|---|---|\n| 1 | 2 |"),
            ],
        )
        document = Document(io.BytesIO(report_docx("eindrapport", evaluation)))
        assert [[c.text for c in row.cells] for row in document.tables[-1].rows] == [
            ["a", "b"],
            ["1", "2"],
        ]

    def test_a_web_link_is_a_clickable_hyperlink_in_docx(self, evaluation):
        own_outline(
            evaluation,
            [
                ReportBlock(kind=BlockKind.HEADING, level=1, title="Proef", numbered=True),
                ReportBlock(kind=BlockKind.TEXT, body="Zie [de site](https://example.org)."),
            ],
        )
        document = Document(io.BytesIO(report_docx("eindrapport", evaluation)))
        links = [link for p in document.paragraphs for link in p.hyperlinks]
        assert [(link.text, link.address) for link in links] == [("de site", "https://example.org")]
        assert "Zie de site (https://example.org)." in [p.text for p in document.paragraphs]


def heading(level, title, numbered=True, enabled=True):
    return ReportBlock(
        kind=BlockKind.HEADING, level=level, title=title, numbered=numbered, enabled=enabled
    )


def text(body, enabled=True):
    return ReportBlock(kind=BlockKind.TEXT, body=body, enabled=enabled)


def part(name):
    return ReportBlock(kind=BlockKind.GENERATED, part=name)


def preview(evaluation) -> str:
    return report_render("eindrapport", evaluation, for_pdf=False)


class TestSwitchedOffHeading:
    """A switched-off heading switches off what is under it, up to the next heading of the
    same or a higher level, in every renderer and in the table of contents."""

    @pytest.fixture
    def outline(self, evaluation):
        return own_outline(
            evaluation,
            [
                part(Part.TOC),
                heading(1, "Vooraf"),
                text("Eerste tekst."),
                heading(1, "Uitgezet", enabled=False),
                text("Verborgen tekst."),
                heading(2, "Verborgen paragraaf"),
                text("Ook verborgen."),
                heading(1, "Daarna"),
                text("Weer zichtbaar."),
            ],
        )

    def test_the_text_under_it_is_not_in_the_preview_or_the_table_of_contents(self, outline):
        context = report_context("eindrapport", outline.evaluation)
        toc = [(entry["number"], entry["title"]) for entry in context["toc"]]
        assert toc == [("1.", "Vooraf"), ("2.", "Daarna")]
        html = preview(outline.evaluation)
        assert "Verborgen" not in html and "Ook verborgen" not in html
        assert "Eerste tekst." in html and "Weer zichtbaar." in html

    def test_the_text_under_it_is_not_in_the_pdf_or_the_docx(self, outline):
        evaluation = outline.evaluation
        for found in (
            pdf_words(report_pdf("eindrapport", evaluation)),
            docx_words(report_docx("eindrapport", evaluation)),
        ):
            assert "Verborgen" not in found and "Ook" not in found
            assert "Daarna" in found and "zichtbaar." in found

    def test_the_editor_marks_what_the_heading_takes_along(self, client, analyst, outline):
        client.force_login(analyst)
        html = client.get(
            reverse("reports:outline", args=[outline.evaluation.slug, "eindrapport"])
        ).content.decode()
        assert html.count("uit door de kop erboven") == 3
        assert "wordt ook niet afgedrukt" in html

    def test_a_switched_off_deeper_heading_ends_at_the_next_heading_of_its_level(self):
        blocks = [
            heading(1, "A"),
            heading(2, "B", enabled=False),
            text("onder B"),
            heading(3, "C"),
            heading(2, "D"),
            text("onder D"),
        ]
        assert printed_flags(blocks) == [True, False, False, False, True, True]

    def test_a_markdown_file_with_a_switched_off_heading_prints_without_its_text(
        self, client, analyst, evaluation
    ):
        outline = outline_for(evaluation, "eindrapport")
        plan = file_read(
            b"# Vooraf\n\nEerste tekst.\n\n# Uitgezet {uit}\n\nTekst.\n",
            "opzet.md",
            outline,
        )
        assert any("Regel 5" in note and "Uitgezet" in note for note in plan.notes)
        outline_import_apply(outline=outline, plan=plan)
        assert "Tekst." not in preview(evaluation)


class TestHeadingNumbers:
    def test_a_heading_that_skips_a_level_gets_a_zero_for_the_missing_one(self, evaluation):
        own_outline(
            evaluation,
            [
                heading(1, "Inleiding"),
                text("Tekst."),
                heading(1, "Bevindingen"),
                heading(3, "Diep"),
                text("Tekst."),
            ],
        )
        html = preview(evaluation)
        assert "2.0.1" in html and "2.1" not in html

    def test_the_editor_and_the_import_preview_warn_about_the_skip(
        self, client, analyst, evaluation
    ):
        outline = own_outline(
            evaluation, [heading(1, "Bevindingen"), heading(3, "Diep"), text("Tekst.")]
        )
        client.force_login(analyst)
        html = client.get(
            reverse("reports:outline", args=[evaluation.slug, "eindrapport"])
        ).content.decode()
        assert "slaat een niveau over" in html and "2.0.1" not in html and "1.0.1" in html
        plan = file_read(b"# Bevindingen\n\n### Diep\n\nTekst.\n", "opzet.md", outline)
        assert (
            [n for n in plan.notes if "slaat een niveau over" in n]
            == [n for n in plan.notes if n.startswith("Regel 3: Kop 3 ‘Diep’")]
            != []
        )

    def test_no_preset_skips_a_level(self):
        for _label, _kind, specs in PRESETS.values():
            blocks = [_block_from_spec(spec, {}) for spec in specs]
            assert outline_warnings(blocks) == []


class TestParadoxPlaceholder:
    @pytest.mark.parametrize(
        ("count", "title"),
        [
            (0, "Paradoxen van samenwerken binnen een alliantie"),
            (1, "Eén paradox van samenwerken binnen een alliantie"),
            (2, "Twee paradoxen van samenwerken binnen een alliantie"),
            (5, "Vijf paradoxen van samenwerken binnen een alliantie"),
        ],
    )
    def test_the_count_reads_as_dutch(self, count, title):
        assert (
            heading_title("{paradoxen} paradoxen van samenwerken binnen een alliantie", count)
            == title
        )

    def test_an_evaluation_without_paradoxes_prints_no_geen_paradoxen(self, evaluation):
        own_outline(
            evaluation,
            [
                heading(1, "{paradoxen} paradoxen van samenwerken binnen een alliantie"),
                text("Wat de zaal opmerkte."),
            ],
        )
        html = preview(evaluation)
        assert "Paradoxen van samenwerken binnen een alliantie" in html
        assert "Geen paradoxen" not in html and "{paradoxen}" not in html

    def test_the_editor_and_the_import_preview_explain_the_placeholder(
        self, client, analyst, evaluation
    ):
        outline = outline_for(evaluation, "eindrapport")
        client.force_login(analyst)
        html = client.get(
            reverse("reports:outline", args=[evaluation.slug, "eindrapport"])
        ).content.decode()
        assert "{paradoxen}" not in html and "[aantal paradoxen]" in html
        changes = plan_changes(
            outline, file_read(outline_markdown(outline).encode(), "o.md", outline)
        )
        assert all("{paradoxen}" not in c.summary for c in changes)


@pytest.fixture
def demo(db) -> Evaluation:
    call_command("demo", stdout=StringIO())
    return Evaluation.objects.get(slug=DEMO_SLUG)


class TestSaidOnce:
    def test_a_list_whose_items_carry_their_own_number_has_no_bullet_too(self, demo):
        for kind in ("eindrapport", "tussenrapportage"):
            root = lxml_html.fromstring(report_render(kind, demo, for_pdf=True))
            numbered = [
                " ".join(li.text_content().split())
                for ul in root.iter("ul")
                for li in ul.iter("li")
                if re.match(r"\s*\d+\.\s", li.text_content())
            ]
            assert numbered == [], kind

    def test_a_too_small_role_is_said_once_per_session(self, evaluation, session, verteller):
        evaluation.min_group_size = 2
        evaluation.save(update_fields=["min_group_size"])
        others = [
            Participant.objects.create(evaluation=evaluation, name=n, role=Role.VERTELLER)
            for n in ("Bert", "Carla")
        ]
        session.participants.add(*others)
        for person in [verteller, *others]:
            allocate(session, person)
        reflector = session.participants.get(role=Role.REFLECTOR)
        allocate(session, reflector)
        root = lxml_html.fromstring(report_render("tussenrapportage", evaluation, for_pdf=True))
        (article,) = root.find_class("session-item")
        assert article.text_content().lower().count("te weinig reflectoren om apart te tonen") == 1


# A table whose columns are aligned left, right and centred; the values differ in width, so
# where each starts on paper tells how it is aligned.
ALIGNED = """| Conditie | Punten | Teken |
|:---|---:|:---:|
| Ambitie | 7 | x |
| Relatie | 7777777 | xxxxxxx |"""


def pdf_starts(content: bytes) -> dict[str, float]:
    """Where each word starts on the page (x in points), keyed by the word: poppler's
    `pdftotext -bbox` (poppler-utils, which `make test` installs, as for pdftoppm)."""
    assert shutil.which("pdftotext"), "pdftotext ontbreekt: make test installeert poppler-utils"
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=content, capture_output=True, check=True
    ).stdout
    starts: dict[str, float] = {}
    for word in lxml_html.fromstring(boxes).iter("word"):
        starts.setdefault(word.text_content(), float(word.get("xmin")))
    return starts


class TestColumnAlignment:
    """Tester: '|---:|' kept its alignment in the preview but lost it in the PDF and DOCX."""

    @pytest.fixture
    def outline(self, evaluation):
        return own_outline(
            evaluation,
            [
                ReportBlock(kind=BlockKind.HEADING, level=1, title="Proef", numbered=True),
                ReportBlock(kind=BlockKind.TEXT, body=ALIGNED),
            ],
        )

    def test_the_preview_aligns_each_column_as_typed(self, evaluation, outline):
        page = lxml_html.fromstring(report_render("eindrapport", evaluation, for_pdf=False))
        rows = [tr for tr in page.iter("tr") if "Ambitie" in tr.text_content()]
        assert [td.get("class") for td in rows[0]] == ["align-left", "align-right", "align-center"]
        css = (settings.BASE_DIR / "static/css/report.css").read_text()
        for side in ("left", "right", "center"):
            assert re.search(rf"td\.align-{side}[^{{]*\{{ text-align: {side}; \}}", css)

    def test_the_pdf_aligns_each_column_as_typed(self, evaluation, outline):
        starts = pdf_starts(report_pdf("eindrapport", evaluation))
        assert starts["Ambitie"] == pytest.approx(starts["Relatie"], abs=0.5)  # left
        assert starts["7"] > starts["7777777"] + 10  # right: the short one starts later
        narrow, wide = starts["x"], starts["xxxxxxx"]
        assert wide + 5 < narrow  # centred: the short one starts about halfway in

    def test_the_docx_aligns_each_column_as_typed(self, evaluation, outline):
        table = Document(io.BytesIO(report_docx("eindrapport", evaluation))).tables[-1]
        assert [[c.paragraphs[0].alignment for c in row.cells] for row in table.rows] == [
            [WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.CENTER]
        ] * 3

    def test_every_alignment_the_markup_makes_has_a_word_alignment(self):
        assert set(CELL_ALIGNMENTS) == ALIGN_CLASSES
