"""Rules of the report outline that every renderer obeys alike (HTML preview, PDF, DOCX):
every markup feature says the same in the PDF and in Word; a switched-off heading switches
off its section; heading numbers never skip a level."""

import io
import re

from docx import Document
from pypdf import PdfReader

from reports.builder import report_docx, report_pdf
from reports.models import BlockKind, ReportBlock
from reports.outline import block_add, block_delete, outline_for

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
    document = Document(io.BytesIO(content))
    return words("\n".join(p.text for p in document.paragraphs))


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
