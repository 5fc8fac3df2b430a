"""The report as a Word document (DOCX), laid out from the very HTML the PDF is made from.

One snapshot, one outline, one HTML (reports/builder.py): WeasyPrint turns it into the PDF,
this module into a DOCX. So every number, heading number, figure number and table cell is the
PDF's; nothing is computed here. The HTML is our own template output (user text escaped and
cleaned, reports/markup.py); its structure is read, never its styling:

- ``section.sheet``: a new page; ``div.cover``: the cover; ``nav.toc``: a real Word table of
  contents (a TOC field, filled in already, that Word refreshes: ``updateFields`` is set);
- ``.outline-h1..3``: Word's Heading 1-3 (exactly the PDF's bookmarks), other headings are
  sub-headings in a style of their own (not in the table of contents, as in the PDF);
- ``ul``/``ol``: Word lists with numbering definitions per level (``w:numPr``/``w:ilvl``);
- ``table``: Word tables, header rows repeated on every page;
- ``figure``: the image, at print resolution (our SVG rasterised by resvg with the bundled
  fonts, 300 dpi) and a caption "Figuur N — …" whose number is a SEQ field;
- ``div.running-header``: the running header (VERTROUWELIJK in the tussenrapportage, on every
  page); the footer says "pagina X van Y" with PAGE and NUMPAGES fields.

Nothing is ever fetched: images come only from data: URIs in the HTML (our charts, the
sanitised uploads and logo of reports/images.py); any other source is refused.

python-docx (a well-kept library, MIT) writes the package; numbering definitions, fields,
bookmarks and settings it has no API for are added as WordprocessingML by hand.
"""

import base64
import binascii
import copy
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import resvg_py
from django.conf import settings
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part as OpcPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree
from lxml import html as lxml_html

FONTS_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
TYPEFACES = {"sans": "DejaVu Sans", "serif": "Liberation Serif"}
INK, MUTED, LINE, RED = "1d2433", "5b6475", "d9dee7", "b3261e"
ACCENT, ACCENT_TEXT = "c8553d", "a7442f"
LANGUAGE = "nl-NL"
# A4 with the PDF's margins (static/css/report.css, @page): the text is 168 mm wide.
PAGE_W, PAGE_H = 210, 297
MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT = 26, 20, 22, 22
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
# Charts as printed: the image widths of report.css, and the print resolution.
IMAGE_WIDTH_MM = {
    "chart-img": 105,
    "drawn-img": 110,
    "drawn-wide-img": TEXT_W,
    "bars-img": 110,
    "line-img": 150,
    "upload-img": TEXT_W,
}
PRINT_DPI = 300
BULLETS = ["•", "–", "▪", "•", "–", "▪", "•", "–", "▪"]
ORDERED = ["decimal", "lowerLetter", "lowerRoman"] * 3
BULLET_ABSTRACT, ORDERED_ABSTRACT = 9001, 9002
ACCENT_IN_STYLE = re.compile(r"--brand:\s*(#[0-9a-fA-F]{6})")
BLOCK_TAGS = {"p", "ul", "ol", "table", "blockquote", "figure", "div", "article", "section",
              "nav", "h1", "h2", "h3", "h4", "h5", "h6"}  # fmt: skip
# Paragraph styles for the classes our templates use (a Word user restyles them by name).
CLASS_STYLES = {
    "cover-title": "Title",
    "cover-subtitle": "Subtitle",
    "publisher": "Uitgever",
    "confidential-mark": "Vertrouwelijk",
    "cover-tagline": "Omslag tagline",
    "cover-evaluation": "Omslag tagline",
    "cover-date": "Omslag gegevens",
    "cover-analyst": "Omslag gegevens",
    "cover-note": "Omslag gegevens",
    "method-figures": "Kader",
    "condition-label": "Conditielabel",
    "condition-heading": "Conditielabel",
    "paradox-title": "Paradoxtitel",
    "figure-note": "Figuurnoot",
    "privacy-note": "Figuurnoot",
    "session-meta": "Figuurnoot",
    "muted": "Figuurnoot",
    "toc-title": "TOC Heading",
}


class RefusedImage(ValueError):
    """An image whose source is not a data: URI of PNG, JPEG or SVG (never fetched)."""


# A typed table's column alignment ('|---:|'): the classes reports/markup.py gives a cell.
CELL_ALIGNMENTS = {
    "align-left": WD_ALIGN_PARAGRAPH.LEFT,
    "align-right": WD_ALIGN_PARAGRAPH.RIGHT,
    "align-center": WD_ALIGN_PARAGRAPH.CENTER,
}


def _hex(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _set_fonts(rpr, name: str) -> None:
    """Every script slot of a run or style to `name`; theme fonts would otherwise win."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), name)


def _set_language(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for slot in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(slot), LANGUAGE)


def svg_png(svg: bytes, width_mm: float) -> bytes:
    """An SVG as PNG at print resolution (PRINT_DPI) for `width_mm` on paper, drawn with our
    bundled fonts only (no system fonts: the same glyphs as the PDF, and fast)."""
    pixels = max(16, round(width_mm / 25.4 * PRINT_DPI))
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg.decode("utf-8"),
            width=pixels,
            skip_system_fonts=True,
            font_dirs=[str(FONTS_DIR)],
            font_family="DejaVu Sans",
            sans_serif_family="DejaVu Sans",
            serif_family="Liberation Serif",
            background="white",
        )
    )


SVG_BLIP = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Word 2016+: an SVG beside the PNG
ASVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def word_svg(svg: bytes) -> bytes:
    """The SVG as Word draws it: Word ignores paint-order, so a halo drawn under its text
    ("paint-order: stroke", our radial tick labels) becomes a copy in the stroke's colour
    underneath and the text itself loses its stroke. Raises ValueError if it is not XML."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(svg, parser)
    for element in list(root.iter()):
        if not str(element.get("paint-order", "")).startswith("stroke"):
            continue
        halo = copy.deepcopy(element)
        del halo.attrib["paint-order"]
        halo.set("fill", element.get("stroke", "none"))
        element.addprevious(halo)
        for name in ("stroke", "stroke-width", "paint-order"):
            element.attrib.pop(name, None)
    return etree.tostring(root, encoding="utf-8")


def _data_uri(src: str) -> tuple[str, bytes]:
    """(mime type, bytes) of a data: URI; anything else is refused, never fetched."""
    match = re.match(r"data:(image/(?:png|jpeg|svg\+xml));base64,(.*)\Z", src or "", re.S)
    if not match:
        raise RefusedImage(f"Afbeelding geweigerd: {src[:60]!r}")
    try:
        return match.group(1), base64.b64decode(match.group(2), validate=False)
    except binascii.Error as error:
        raise RefusedImage("Afbeelding onleesbaar") from error


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _text(element) -> str:
    return " ".join(element.text_content().split())


@dataclass
class _Format:
    bold: bool = False
    italic: bool = False
    colour: str = ""
    size: float = 0
    spacing: float = 0


@dataclass
class _State:
    bookmarks: dict[str, str] = field(default_factory=dict)
    bookmark_id: int = 0
    page_break: bool = False


class _Writer:
    """Walks the report's HTML and writes the Word document."""

    def __init__(self, root):
        self.root = root
        body = root.find("body")
        classes = _classes(body)
        self.confidential = "confidential" in classes
        self.typeface = TYPEFACES["serif" if "typeface-serif" in classes else "sans"]
        self.base_size = 11 if "typeface-serif" in classes else 10
        style = " ".join(s.text or "" for s in root.iter("style"))
        found = ACCENT_IN_STYLE.search(style)
        self.brand = found.group(1)[1:] if found else "0b4f6c"
        self.document = Document()
        self.state = _State()
        self.vectors = 0
        self.keep_together = False  # inside a figure: its table keeps with it
        self._setup()

    # --- document set-up ------------------------------------------------------------------

    def _setup(self) -> None:
        doc = self.document
        section = doc.sections[0]
        section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
        section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
        section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
        section.header_distance, section.footer_distance = Mm(10), Mm(10)
        title = self.root.find(".//title")
        author = self.root.find(".//meta[@name='author']")
        props = doc.core_properties
        props.title = _text(title) if title is not None else ""
        props.author = (author.get("content") or "") if author is not None else ""
        props.language = LANGUAGE
        props.comments = ""
        props.keywords = "VERTROUWELIJK" if self.confidential else ""
        self._styles()
        self._numbering()
        self._settings()

    def _style(self, name: str, *, base: str = "Normal", kind=WD_STYLE_TYPE.PARAGRAPH):
        styles = self.document.styles
        try:
            return styles[name]
        except KeyError:
            style = styles.add_style(name, kind)
            style.base_style = styles[base]
            style.quick_style = True
            return style

    def _styles(self) -> None:
        doc = self.document
        styles = doc.styles
        defaults = doc.styles.element.find(qn("w:docDefaults"))
        rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_fonts(rpr_default, self.typeface)
        _set_language(rpr_default)
        normal = styles["Normal"]
        normal.font.size = Pt(self.base_size)
        normal.font.color.rgb = _hex(INK)
        _set_fonts(normal.element.get_or_add_rPr(), self.typeface)
        normal.paragraph_format.space_after = Pt(self.base_size * 0.7)
        normal.paragraph_format.line_spacing = 1.15
        normal.paragraph_format.widow_control = True
        for level, size in ((1, 18), (2, 13), (3, 11)):
            heading = styles[f"Heading {level}"]
            heading.font.size = Pt(size)
            heading.font.bold = True
            heading.font.italic = False
            heading.font.color.rgb = _hex(self.brand)
            _set_fonts(heading.element.get_or_add_rPr(), self.typeface)
            heading.paragraph_format.space_before = Pt(0 if level == 1 else size)
            heading.paragraph_format.space_after = Pt(size * 0.5)
            heading.paragraph_format.keep_with_next = True
        for name in ("Title", "Subtitle", "TOC Heading", "Quote", "Caption", "List Paragraph"):
            _set_fonts(styles[name].element.get_or_add_rPr(), self.typeface)
        title = styles["Title"]
        title.font.size, title.font.bold = Pt(28), True
        title.font.color.rgb = _hex(self.brand)
        title.paragraph_format.space_before = Pt(12)
        title.paragraph_format.space_after = Pt(6)
        pbdr = title.element.get_or_add_pPr().find(qn("w:pBdr"))
        if pbdr is not None:
            pbdr.getparent().remove(pbdr)
        subtitle = styles["Subtitle"]
        subtitle.font.size, subtitle.font.italic = Pt(16), False
        subtitle.font.color.rgb = _hex(ACCENT_TEXT)
        toc_heading = styles["TOC Heading"]
        toc_heading.font.size, toc_heading.font.color.rgb = Pt(18), _hex(self.brand)
        toc_heading.paragraph_format.space_after = Pt(12)
        quote = styles["Quote"]
        quote.font.italic, quote.font.color.rgb = True, _hex("37404f")
        quote.paragraph_format.left_indent = Mm(6)
        quote.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        quote.element.get_or_add_pPr().append(
            parse_xml(
                f'<w:pBdr {nsdecls("w")}><w:left w:val="single" w:sz="18" w:space="8" '
                f'w:color="{ACCENT.upper()}"/></w:pBdr>'
            )
        )
        caption = styles["Caption"]
        caption.font.size, caption.font.bold, caption.font.italic = Pt(self.base_size), True, False
        caption.font.color.rgb = _hex(INK)
        caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.space_after = Pt(6)

        def custom(name, *, size=None, bold=None, colour=None, after=None, keep=False, **pf):
            style = self._style(name)
            if size:
                style.font.size = Pt(size)
            if bold is not None:
                style.font.bold = bold
            if colour:
                style.font.color.rgb = _hex(colour)
            if after is not None:
                style.paragraph_format.space_after = Pt(after)
            if keep:
                style.paragraph_format.keep_with_next = True
            for key, value in pf.items():
                setattr(style.paragraph_format, key, value)
            return style

        custom("Tussenkop", size=self.base_size + 0.5, bold=True, after=3, keep=True,
               space_before=Pt(10))  # fmt: skip
        custom("Paradoxtitel", size=13, bold=True, colour=self.brand, after=3, keep=True)
        custom("Conditielabel", bold=True, colour=ACCENT_TEXT, after=0, keep=True,
               space_before=Pt(12))  # fmt: skip
        custom("Uitgever", colour=self.brand, after=12)
        custom("Vertrouwelijk", size=14, bold=True, colour=RED, after=12)
        custom("Omslag tagline", size=12, bold=True, after=18)
        custom("Omslag gegevens", colour=MUTED, after=4)
        custom("Figuurnoot", size=8.5, colour=MUTED, after=6)
        custom("Afbeelding", after=2, keep=True, alignment=WD_ALIGN_PARAGRAPH.CENTER)
        custom("Omslaglogo", after=12)
        custom("Tabeltekst", size=8.5, after=0, line_spacing=1.0)
        kader = custom("Kader", left_indent=Mm(4), right_indent=Mm(4))
        kader.element.get_or_add_pPr().append(
            parse_xml(
                f'<w:pBdr {nsdecls("w")}><w:left w:val="single" w:sz="24" w:space="8" '
                f'w:color="{self.brand.upper()}"/></w:pBdr>'
            )
        )
        kader.element.get_or_add_pPr().append(
            parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="F4F6F9"/>')
        )
        for level in (1, 2):
            toc = self._toc_style(level)
            toc.font.bold = level == 1
        for name in ("Header", "Footer"):
            styles[name].font.size = Pt(8)
            styles[name].font.color.rgb = _hex(MUTED)

    def _toc_style(self, level: int):
        """Word's own "toc N" style (by its built-in name, so Word's TOC field uses it)."""
        styles = self.document.styles
        for style in styles:
            if style.style_id == f"TOC{level}":
                return style
        element = parse_xml(
            f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="TOC{level}">'
            f'<w:name w:val="toc {level}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>'
            f'<w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:pPr>'
            f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{int(TEXT_W * 56.7)}"/></w:tabs>'
            f'<w:spacing w:before="{120 if level == 1 else 0}" w:after="40"/>'
            f'<w:ind w:left="{0 if level == 1 else 400}"/></w:pPr></w:style>'
        )
        styles.element.append(element)
        return next(s for s in styles if s.style_id == f"TOC{level}")

    def _numbering(self) -> None:
        """Two numbering definitions with nine levels: bullets and 1./a./i. lists."""
        numbering = self.document.part.numbering_part.element
        first_num = numbering.find(qn("w:num"))

        def abstract(abstract_id: int, ordered: bool) -> str:
            levels = []
            for ilvl in range(9):
                indent = 360 * (ilvl + 1)
                if ordered:
                    fmt = f'<w:numFmt w:val="{ORDERED[ilvl]}"/><w:lvlText w:val="%{ilvl + 1}."/>'
                    font = ""
                else:
                    fmt = f'<w:numFmt w:val="bullet"/><w:lvlText w:val="{BULLETS[ilvl]}"/>'
                    font = (
                        f'<w:rPr><w:rFonts w:ascii="{self.typeface}" w:hAnsi="{self.typeface}"/>'
                        f"</w:rPr>"
                    )
                levels.append(
                    f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/>{fmt}<w:lvlJc w:val="left"/>'
                    f'<w:pPr><w:ind w:left="{indent}" w:hanging="360"/></w:pPr>{font}</w:lvl>'
                )
            kind = "hybridMultilevel"
            return (
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                f'<w:multiLevelType w:val="{kind}"/>{"".join(levels)}</w:abstractNum>'
            )

        for abstract_id, ordered in ((BULLET_ABSTRACT, False), (ORDERED_ABSTRACT, True)):
            element = parse_xml(abstract(abstract_id, ordered))
            if first_num is not None:
                first_num.addprevious(element)
            else:
                numbering.append(element)

    def _new_list(self, ordered: bool) -> int:
        """A numbering instance for one list: an ordered list starts at 1 again."""
        numbering = self.document.part.numbering_part.element
        num = numbering.add_num(ORDERED_ABSTRACT if ordered else BULLET_ABSTRACT)
        if ordered:
            for ilvl in range(9):
                num.append(
                    parse_xml(
                        f'<w:lvlOverride {nsdecls("w")} w:ilvl="{ilvl}">'
                        f'<w:startOverride w:val="1"/></w:lvlOverride>'
                    )
                )
        return num.numId

    def _settings(self) -> None:
        """Word refreshes the fields (table of contents, page references) when it opens the
        file; the document's language is Dutch."""
        settings_el = self.document.settings.element
        update = parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>')
        later = {
            "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
            "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
            "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
            "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary",
            "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
        }  # fmt: skip
        for child in settings_el:
            if child.tag.split("}")[-1] in later:
                child.addprevious(update)
                break
        else:
            settings_el.append(update)
        for child in settings_el:
            if child.tag == qn("w:themeFontLang"):
                child.set(qn("w:val"), LANGUAGE)
            elif child.tag == qn("w:decimalSymbol"):
                child.set(qn("w:val"), ",")
            elif child.tag == qn("w:listSeparator"):
                child.set(qn("w:val"), ";")

    # --- paragraphs and runs --------------------------------------------------------------

    def paragraph(self, style: str = "Normal", container=None):
        container = container if container is not None else self.document
        p = container.add_paragraph(style=style)
        if self.state.page_break and container is self.document:
            p.paragraph_format.page_break_before = True
            self.state.page_break = False
        return p

    def run(self, paragraph, text: str, fmt: _Format):
        run = paragraph.add_run(text)
        if fmt.bold:
            run.bold = True
        if fmt.italic:
            run.italic = True
        if fmt.colour:
            run.font.color.rgb = _hex(fmt.colour)
        if fmt.size:
            run.font.size = Pt(fmt.size)
        if fmt.spacing:
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:val"), str(int(fmt.spacing)))
            run._r.get_or_add_rPr().append(spacing)
        return run

    def inline(self, paragraph, element, fmt: _Format, *, skip_blocks: bool = True) -> None:
        """The text of `element` and its inline children as runs (not its tail)."""
        self._chars(paragraph, element.text, fmt)
        for child in element:
            if not isinstance(child.tag, str):
                self._chars(paragraph, child.tail, fmt)
                continue
            tag = child.tag
            if skip_blocks and tag in BLOCK_TAGS:
                self._chars(paragraph, child.tail, fmt)
                continue
            if tag == "br":
                paragraph.add_run().add_break()
            elif tag == "img":
                self.picture(paragraph, child, height_mm=9)
            elif tag == "a" and (child.get("href") or "").startswith(("http://", "https://")):
                self.hyperlink(paragraph, child, fmt)
            else:
                inner = _Format(**vars(fmt))
                classes = _classes(child)
                if tag in ("strong", "b") or "confidential-word" in classes:
                    inner.bold = True
                if tag in ("em", "i"):
                    inner.italic = True
                if "confidential-word" in classes:
                    inner.colour, inner.spacing = RED, 20
                self.inline(paragraph, child, inner, skip_blocks=skip_blocks)
            self._chars(paragraph, child.tail, fmt)

    def hyperlink(self, paragraph, element, fmt: _Format) -> None:
        """A web link as a Word hyperlink (clickable on screen), followed by its address in
        brackets, as the PDF prints it (report.css: a[href^="http"]::after): on paper
        the address is all a reader has."""
        href = element.get("href")
        rid = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        holder = self.document.add_paragraph()
        inner = _Format(**vars(fmt))
        inner.colour = inner.colour or self.brand
        self.inline(holder, element, inner)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rid)
        for run in holder.runs:
            run.font.underline = True
            link.append(run._r)
        holder._p.getparent().remove(holder._p)
        paragraph._p.append(link)
        self._chars(paragraph, f" ({href})", fmt)

    def _chars(self, paragraph, text: str | None, fmt: _Format) -> None:
        if not text:
            return
        text = re.sub(r"[ \t\r\n]+", " ", text)
        if not paragraph.runs or paragraph.text.endswith((" ", "\n")) or not paragraph.text:
            text = text.lstrip(" ")
        if text:
            self.run(paragraph, text, fmt)

    @staticmethod
    def trim(paragraph) -> None:
        """No space at the end of a paragraph (HTML's whitespace before a closing tag)."""
        for run in reversed(paragraph.runs):
            if run.text.strip():
                run.text = run.text.rstrip(" ")
                return

    # --- blocks ---------------------------------------------------------------------------

    def blocks(self, element, container=None, *, style: str | None = None, level: int = 0):
        for child in element:
            if isinstance(child.tag, str):
                self.block(child, container, style=style, level=level)

    def block(self, element, container=None, *, style: str | None = None, level: int = 0):
        tag, classes = element.tag, _classes(element)
        if "running-header" in classes or "confidential-banner" in classes:
            return
        if tag == "section" and "sheet" in classes:
            if self.document.paragraphs or self.document.tables:
                self.state.page_break = True
            self.blocks(element)
        elif tag == "nav" and "toc" in classes:
            self.toc(element)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading(element, container)
        elif tag == "p":
            name = style or next((CLASS_STYLES[c] for c in classes if c in CLASS_STYLES), None)
            p = self.paragraph(name or "Normal", container)
            self.inline(p, element, _Format())
            self.trim(p)
        elif tag in ("ul", "ol"):
            self.list(element, container, level=level)
        elif tag == "blockquote":
            for child in element:
                if not isinstance(child.tag, str):
                    continue
                if child.tag == "p":
                    p = self.paragraph("Quote", container)
                    self.inline(p, child, _Format())
                    self.trim(p)
                else:
                    self.block(child, container, level=level)
            if (element.text or "").strip():
                p = self.paragraph("Quote", container)
                self._chars(p, element.text, _Format())
        elif tag == "table":
            self.table(element)
        elif tag == "figure":
            self.figure(element)
        elif tag == "img":
            p = self.paragraph("Omslaglogo" if "cover-logo" in classes else "Afbeelding")
            self.picture(p, element)
        elif tag in ("div", "article", "section", "main", "nav", "span"):
            if (element.text or "").strip():
                p = self.paragraph(style or "Normal", container)
                self.inline(p, element, _Format())
            self.blocks(element, container, style=style, level=level)

    def _bookmark(self, paragraph, anchor: str) -> str:
        self.state.bookmark_id += 1
        name = f"_Toc{self.state.bookmark_id:06d}"
        self.state.bookmarks[anchor] = name
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.state.bookmark_id))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.state.bookmark_id))
        paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
        paragraph._p.append(end)
        return name

    def heading(self, element, container=None) -> None:
        classes = _classes(element)
        outline = next((int(c[-1]) for c in classes if re.fullmatch(r"outline-h[1-3]", c)), 0)
        if outline:
            p = self.paragraph(f"Heading {outline}", container)
            p.add_run(_text(element))
            if element.get("id"):
                self._bookmark(p, element.get("id"))
            return
        name = next((CLASS_STYLES[c] for c in classes if c in CLASS_STYLES), "Tussenkop")
        if element.tag == "h1" and "cover-title" in classes:
            name = "Title"
        p = self.paragraph(name, container)
        p.add_run(_text(element))

    def list(self, element, container=None, *, level: int = 0) -> None:
        num_id = self._new_list(element.tag == "ol")
        for item in element:
            if not isinstance(item.tag, str) or item.tag != "li":
                continue
            p = self.paragraph("List Paragraph", container)
            num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = min(level, 8)
            num_pr.get_or_add_numId().val = num_id
            p.paragraph_format.space_after = Pt(2)
            self._chars(p, item.text, _Format())
            # The item's first paragraph is the item itself, also after inline words such as
            # "Alliantie:" (report.css shows it inline there); later ones follow indented.
            first_block = True
            for child in item:
                if not isinstance(child.tag, str):
                    continue
                if child.tag in ("ul", "ol"):
                    self.list(child, container, level=level + 1)
                    first_block = False
                elif child.tag == "p" and first_block:
                    self.inline(p, child, _Format())
                    first_block = False
                elif child.tag == "p":
                    more = self.paragraph("List Paragraph", container)
                    more.paragraph_format.left_indent = Mm(6.35 * (level + 1))
                    self.inline(more, child, _Format())
                    self.trim(more)
                elif child.tag in BLOCK_TAGS:
                    self.block(child, container, level=level + 1)
                    first_block = False
                else:
                    self.inline_one(p, child)
            self.trim(p)

    def inline_one(self, paragraph, child) -> None:
        """One inline child with its tail (used where block and inline content mix)."""
        holder = lxml_html.Element("span")
        copy = lxml_html.fromstring(lxml_html.tostring(child, encoding="unicode"))
        holder.append(copy)
        self.inline(paragraph, holder, _Format())

    def table(self, element) -> None:
        rows = [tr for tr in element.iter("tr")]
        if not rows:
            return
        width = max(len([c for c in tr if c.tag in ("td", "th")]) for tr in rows)
        if self.state.page_break:
            self.paragraph("Normal")
        table = self.document.add_table(rows=len(rows), cols=width)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        tbl_pr = table._tbl.tblPr
        tbl_pr.append(
            parse_xml(
                f"<w:tblBorders {nsdecls('w')}>"
                f'<w:top w:val="single" w:sz="4" w:color="{LINE.upper()}"/>'
                f'<w:bottom w:val="single" w:sz="4" w:color="{LINE.upper()}"/>'
                f'<w:insideH w:val="single" w:sz="4" w:color="{LINE.upper()}"/></w:tblBorders>'
            )
        )
        right = "means" in _classes(element)
        head_rows = {id(tr) for thead in element.iter("thead") for tr in thead.iter("tr")}
        for r, tr in enumerate(rows):
            cells = [c for c in tr if c.tag in ("td", "th")]
            header = id(tr) in head_rows
            if header:
                tr_pr = table.rows[r]._tr.get_or_add_trPr()
                tr_pr.append(OxmlElement("w:tblHeader"))
            for c, cell_el in enumerate(cells):
                cell = table.cell(r, c)
                p = cell.paragraphs[0]
                p.style = self.document.styles["Tabeltekst"]
                fmt = _Format(bold=cell_el.tag == "th", colour=MUTED if header else "")
                self.inline(p, cell_el, fmt)
                self.trim(p)
                if right and c > 0:
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for name, alignment in CELL_ALIGNMENTS.items():
                    if name in _classes(cell_el):
                        p.alignment = alignment
                if self.keep_together and r < len(rows) - 1:
                    p.paragraph_format.keep_with_next = True
            if self.keep_together:
                table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        self.paragraph("Figuurnoot").paragraph_format.space_after = Pt(2)

    def figure(self, element) -> None:
        img = element.find(".//img")
        if img is not None:
            p = self.paragraph("Afbeelding")
            self.picture(p, img)
        caption = element.find("figcaption")
        if caption is not None:
            number_el = caption.find(".//span[@class='figure-number']")
            number = (
                _text(number_el).removeprefix("Figuur").strip() if number_el is not None else ""
            )
            p = self.paragraph("Caption")
            p.paragraph_format.keep_with_next = element.find("table") is not None or (
                element.find("p") is not None
            )
            if number:
                p.add_run("Figuur ")
                self.field(p, "SEQ Figuur \\* ARABIC", number)
                rest = _text(caption)[len(_text(number_el)) :].strip()
                p.add_run(f" — {rest}" if rest else "")
            else:
                p.add_run(_text(caption))
        # A figure is not split over pages (report.css: break-inside: avoid): the image, its
        # caption, its note and its table of means keep together.
        rest = [c for c in element if isinstance(c.tag, str) and c.tag not in ("img", "figcaption")]
        tables = [i for i, c in enumerate(rest) if c.tag == "table"]
        for index, child in enumerate(rest):
            before = len(self.document.paragraphs)
            self.keep_together = bool(tables) and index <= tables[-1]
            self.block(child)
            if tables and index < tables[-1] and child.tag == "p":
                for paragraph in self.document.paragraphs[before:]:
                    paragraph.paragraph_format.keep_with_next = True
            self.keep_together = False

    def picture(self, paragraph, img, *, height_mm: float | None = None) -> None:
        mime, data = _data_uri(img.get("src", ""))
        classes = _classes(img)
        width = next((IMAGE_WIDTH_MM[c] for c in classes if c in IMAGE_WIDTH_MM), None)
        percent = re.search(r"width:\s*(\d+)%", img.get("style") or "")
        if percent:
            width = TEXT_W * int(percent.group(1)) / 100
        if "cover-logo" in classes:
            width, height_mm = None, 25
        vector = None
        if mime == "image/svg+xml":
            vector, data = data, svg_png(data, width or 70)
        run = paragraph.add_run()
        stream = io.BytesIO(data)
        if height_mm:
            shape = run.add_picture(stream, height=Mm(height_mm))
            if "cover-logo" in classes and shape.width > Mm(70):
                ratio = Mm(70) / shape.width
                shape.width, shape.height = Mm(70), int(shape.height * ratio)
        else:
            shape = run.add_picture(stream, width=Mm(width or TEXT_W))
            if shape.width > Mm(TEXT_W):
                ratio = Mm(TEXT_W) / shape.width
                shape.width, shape.height = Mm(TEXT_W), int(shape.height * ratio)
        alt = img.get("alt") or ""
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", alt)
        if vector is not None:
            self._svg_blip(paragraph.part, shape, vector)

    def _svg_blip(self, part, shape, svg: bytes) -> None:
        """Keep the figure vector where Word can: the SVG as an extension of the picture,
        as Word itself stores an inserted SVG; the PNG stays the picture for every other
        reader (LibreOffice, older Word, mammoth)."""
        self.vectors += 1
        vector = OpcPart(
            PackURI(f"/word/media/vector{self.vectors}.svg"),
            "image/svg+xml",
            word_svg(svg),
            part.package,
        )
        rid = part.relate_to(vector, RELATIONSHIP_TYPE.IMAGE)
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        blip.append(
            parse_xml(
                f'<a:extLst {nsdecls("a", "r")}><a:ext uri="{SVG_BLIP}">'
                f'<asvg:svgBlip xmlns:asvg="{ASVG_NS}" r:embed="{rid}"/></a:ext></a:extLst>'
            )
        )

    def field(self, paragraph, instruction: str, result: str, fmt: _Format | None = None):
        """A complex field: Word recalculates it; `result` is shown until then."""
        fmt = fmt or _Format()

        def char(kind: str):
            run = self.run(paragraph, "", fmt)
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)

        char("begin")
        run = self.run(paragraph, "", fmt)
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" {instruction} "
        run._r.append(instr)
        char("separate")
        self.run(paragraph, result, fmt)
        char("end")

    def toc(self, element) -> None:
        """A TOC field over Heading 1-2 (the PDF's "Inhoud" lists two levels), filled in with
        the entries so that a reader that does not refresh fields shows them too."""
        title = element.find(".//h2")
        p = self.paragraph("TOC Heading")
        p.add_run(_text(title) if title is not None else "Inhoud")
        entries = [li for li in element.iter("li")]
        pending = []  # entries are linked to their heading's bookmark once it exists
        begin = self.paragraph(self._toc_style(1).name)
        self._field_char(begin, "begin")
        instr = begin.add_run()
        text = OxmlElement("w:instrText")
        text.set(qn("xml:space"), "preserve")
        text.text = ' TOC \\o "1-2" \\h \\z \\u '
        instr._r.append(text)
        self._field_char(begin, "separate")
        paragraph = begin
        for index, li in enumerate(entries):
            level = 2 if "toc-level-2" in _classes(li) else 1
            if index:
                paragraph = self.paragraph(self._toc_style(level).name)
            else:
                paragraph.style = self._toc_style(level)
            link = li.find("a")
            anchor = (link.get("href") or "").lstrip("#") if link is not None else ""
            pending.append((paragraph, anchor, _text(li)))
        if not entries:
            paragraph.add_run("")
        self._field_char(paragraph, "end")
        self.toc_entries = pending

    def _field_char(self, paragraph, kind: str) -> None:
        run = paragraph.add_run()
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run._r.append(fld)

    def finish_toc(self) -> None:
        """Fill the table of contents now that every heading has its bookmark: a link, the
        title, a dotted tab and a PAGEREF field (Word and LibreOffice compute the page)."""
        for paragraph, anchor, label in getattr(self, "toc_entries", []):
            end = paragraph._p[-1]  # the TOC's end mark stays last in the last entry
            is_end = (
                end.tag == qn("w:r")
                and end.find(qn("w:fldChar")) is not None
                and (end.find(qn("w:fldChar")).get(qn("w:fldCharType")) == "end")
            )
            if is_end:
                paragraph._p.remove(end)
            bookmark = self.state.bookmarks.get(anchor)
            hyperlink = OxmlElement("w:hyperlink")
            if bookmark:
                hyperlink.set(qn("w:anchor"), bookmark)
                hyperlink.set(qn("w:history"), "1")
            holder = self.document.add_paragraph()
            self.run(holder, label, _Format())
            holder.add_run().add_tab()
            if bookmark:
                self.field(holder, f"PAGEREF {bookmark} \\h", "")
            for run in list(holder._p.iter(qn("w:r"))):
                hyperlink.append(run)
            holder._p.getparent().remove(holder._p)
            paragraph._p.append(hyperlink)
            if is_end:
                paragraph._p.append(end)

    # --- header and footer ----------------------------------------------------------------

    def header_footer(self) -> None:
        section = self.document.sections[0]
        # The eindrapport's cover has no running header or page number (as in the PDF); the
        # tussenrapportage says VERTROUWELIJK on every page, the first one too.
        section.different_first_page_header_footer = not self.confidential
        running = next((d for d in self.root.iter("div") if "running-header" in _classes(d)), None)
        header = section.header.paragraphs[0]
        header.style = self.document.styles["Header"]
        if running is not None:
            self.inline(header, running, _Format())
            self.trim(header)
        if self.confidential and "VERTROUWELIJK" not in header.text:
            self.run(header, "VERTROUWELIJK", _Format(bold=True, colour=RED, spacing=20))
        header.paragraph_format.border_bottom = None
        footer = section.footer.paragraphs[0]
        footer.style = self.document.styles["Footer"]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer.add_run("pagina ")
        self.field(footer, "PAGE", "1")
        footer.add_run(" van ")
        self.field(footer, "NUMPAGES", "1")
        footer.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_W), WD_TAB_ALIGNMENT.RIGHT)

    def write(self) -> bytes:
        main = self.root.find(".//main")
        self.blocks(main if main is not None else self.root.find("body"))
        self.finish_toc()
        self.header_footer()
        # python-docx starts with one empty paragraph in the template: none here, but a
        # document must end in a paragraph after a table.
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


def render_docx(html: str) -> bytes:
    """The report's HTML (reports/builder.report_render with for_pdf=True) as a DOCX file.

    Raises RefusedImage for an image that is not a data: URI of PNG, JPEG or SVG.
    """
    root = lxml_html.document_fromstring(html)
    return _Writer(root).write()
