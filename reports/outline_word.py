"""A Word document (DOCX) read as a report outline.

mammoth (a well-kept library that reads DOCX semantically, by styles, not by looks) turns the
document into plain HTML; this module turns that HTML into outline blocks in our markup:
Heading 1–3 become headings, Heading 4–6 sub-headings inside a text, paragraphs, (nested)
lists, bold, italics and quotations ("Quote"/"Citaat" styles) become text, embedded PNG, JPEG
and SVG images become figures after the same cleaning as an upload (reports.images).

What has no place in a report outline is left out and listed for the analyst (ImportPlan.notes):
comments, tracked changes (the text reads as after "accept all": insertions in, deletions
out), text boxes and floating shapes, footnotes and endnotes, tables, other image types and
images linked from outside the document.

The fetcher rule: reading a document never makes the app fetch anything. mammoth reads an
image that the document links (r:link, TargetMode="External") from the file system or over
HTTP when external file access is on; it is passed off explicitly, every image is opened
only through our own function, and external relationships are listed, never opened. A DOCX is
a zip: its entries' uncompressed sizes are checked before anything is read (zip bombs), and
every XML part is parsed with defusedxml first (no DTDs, no entities).
"""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser

import mammoth
from defusedxml import ElementTree as SafeET
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluatiespiegel.fields import LONG

from .images import MAX_BYTES as MAX_IMAGE_BYTES
from .images import image_clean
from .models import BlockKind
from .outline_file import BlockSpec, ImportPlan, OutlineFileError

MAX_DOCX_BYTES = 10 * 1024 * 1024
MAX_ENTRIES = 1000
MAX_ENTRY_BYTES = 25 * 1024 * 1024
MAX_TOTAL_BYTES = 60 * 1024 * 1024
# Text compresses about 5-10 times; a part that unpacks hundreds of times larger is a bomb.
MAX_RATIO = 200

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
SUPPORTED_IMAGES = {"image/png", "image/jpeg", "image/svg+xml"}

STYLE_MAP = """
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Citaat'] => blockquote > p:fresh
p[style-name='Duidelijk citaat'] => blockquote > p:fresh
p[style-name='Kop 1'] => h1:fresh
p[style-name='Kop 2'] => h2:fresh
p[style-name='Kop 3'] => h3:fresh
p[style-name='Kop 4'] => h4:fresh
p[style-name='Title'] => p:fresh
p[style-name='Titel'] => p:fresh
"""

# Word's parts that are removed before mammoth reads the document: their content is listed
# instead (text boxes would otherwise land in the middle of a paragraph; note references
# would pull the notes in at the end).
_DROPPED = re.compile(
    rb"<w:txbxContent\b.*?</w:txbxContent>|<w:(?:footnote|endnote)Reference\b[^>]*/>", re.S
)
# "1.2 Evaluatiemethode": a number typed in the heading; the report numbers it itself.
_TYPED_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,2}\.?\s+(?=\S)")
_LINE_START = re.compile(r"^([#>+\-]|\d+[.)])")
_INLINE_ESCAPE = re.compile(r"([\\*_`])")


def _refuse(message: str) -> OutlineFileError:
    return OutlineFileError(message, code="outline_file")


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ----------------------------------------------------------------------------------------------
# The package


def _package(data: bytes) -> dict[str, bytes]:
    """Every entry of the DOCX zip, after checking sizes before reading. Raises
    OutlineFileError for anything that is not a sound, reasonably sized Word document."""
    if len(data) > MAX_DOCX_BYTES:
        raise _refuse(
            _("Het Word-document is te groot: hooguit %(limit)s MB.")
            % {"limit": MAX_DOCX_BYTES // (1024 * 1024)}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _refuse(_("Dit is geen Word-document (.docx) dat gelezen kan worden.")) from error
    if len(entries) > MAX_ENTRIES:
        raise _refuse(_("Het Word-document bestaat uit te veel delen."))
    total = 0
    for entry in entries:
        size = entry.file_size
        ratio = size / max(entry.compress_size, 1)
        if size > MAX_ENTRY_BYTES or (size > 1024 * 1024 and ratio > MAX_RATIO):
            raise _refuse(
                _(
                    "Het Word-document is uitgepakt te groot (deel %(name)s: %(size)s MB); "
                    "het is niet ingelezen."
                )
                % {"name": entry.filename[:80], "size": size // (1024 * 1024)}
            )
        total += size
    if total > MAX_TOTAL_BYTES:
        raise _refuse(
            _("Het Word-document is uitgepakt te groot (%(size)s MB); het is niet ingelezen.")
            % {"size": total // (1024 * 1024)}
        )
    parts = {}
    try:
        for entry in entries:
            if not entry.is_dir():
                # zipfile stops at the declared size, which was checked above.
                parts[entry.filename] = archive.read(entry)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
        raise _refuse(_("Het Word-document is beschadigd en kan niet gelezen worden.")) from error
    if "word/document.xml" not in parts:
        raise _refuse(_("Dit is geen Word-document (.docx): de tekst ontbreekt."))
    return parts


def _xml(parts: dict[str, bytes]) -> dict[str, object]:
    """Every XML part parsed with defusedxml (no DTDs, no entities), by name."""
    trees = {}
    for name, content in parts.items():
        if name.endswith((".xml", ".rels")):
            try:
                trees[name] = SafeET.fromstring(content, forbid_dtd=True)
            except Exception as error:  # defusedxml raises several kinds for forbidden XML
                raise _refuse(
                    _("Het Word-document bevat een deel dat niet gelezen kan worden (%(name)s).")
                    % {"name": name[:80]}
                ) from error
    return trees


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter() if t.tag in (f"{W}t", f"{W}delText"))


def _inspect(trees: dict) -> list[str]:
    """What the document holds that the outline cannot: listed for the analyst."""
    notes = []
    comments = trees.get("word/comments.xml")
    if comments is not None:
        for comment in comments.iter(f"{W}comment"):
            notes.append(
                _("Opmerking van %(author)s niet ingelezen: ‘%(text)s’")
                % {"author": comment.get(f"{W}author") or "?", "text": _short(_text(comment))}
            )
    document = trees["word/document.xml"]
    for tag, message in [
        (
            f"{W}ins",
            _("Bijgehouden wijziging van %(author)s: de invoeging ‘%(text)s’ staat als gewone "
              "tekst in de opzet."),
        ),
        (
            f"{W}del",
            _("Bijgehouden wijziging van %(author)s: de verwijdering ‘%(text)s’ is weggelaten."),
        ),
    ]:  # fmt: skip
        for change in document.iter(tag):
            text = _text(change)
            if text.strip():
                notes.append(
                    message % {"author": change.get(f"{W}author") or "?", "text": _short(text)}
                )
    for box in document.iter(f"{W}txbxContent"):
        notes.append(_("Tekstvak niet ingelezen: ‘%(text)s’") % {"text": _short(_text(box))})
    for anchor in document.iter(f"{WP}anchor"):
        props = anchor.find(f"{WP}docPr")
        name = (props.get("descr") or props.get("name") or "") if props is not None else ""
        notes.append(
            _(
                "Zwevend object ‘%(name)s’: een afbeelding erin komt als figuur op de plek van "
                "het anker; vormen en hun tekst niet."
            )
            % {"name": _short(name) or "—"}
        )
    for part, tag, label in [
        ("word/footnotes.xml", f"{W}footnote", _("Voetnoot")),
        ("word/endnotes.xml", f"{W}endnote", _("Eindnoot")),
    ]:
        tree = trees.get(part)
        if tree is None:
            continue
        for note in tree.iter(tag):
            if note.get(f"{W}type") in ("separator", "continuationSeparator"):
                continue
            text = _text(note)
            if text.strip():
                notes.append(
                    _("%(label)s niet ingelezen: ‘%(text)s’")
                    % {"label": label, "text": _short(text)}
                )
    for name, tree in trees.items():
        if not name.endswith(".rels"):
            continue
        for rel in tree.iter(f"{REL}Relationship"):
            if rel.get("TargetMode") == "External" and rel.get("Type", "").endswith("/image"):
                notes.append(
                    _(
                        "Afbeelding gekoppeld aan %(target)s, buiten het document: niet "
                        "opgehaald en niet ingelezen."
                    )
                    % {"target": _short(rel.get("Target") or "", 200)}
                )
    return notes


def _for_mammoth(parts: dict[str, bytes]) -> io.BytesIO:
    """The package again, with text boxes and note references taken out of the text."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, content in parts.items():
            if name == "word/document.xml":
                content = _DROPPED.sub(b"", content)
            archive.writestr(name, content)
    out.seek(0)
    return out


# ----------------------------------------------------------------------------------------------
# mammoth's HTML to blocks


class _Blocks(HTMLParser):
    """mammoth's HTML (a small, regular vocabulary) to BlockSpecs in our markup."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[BlockSpec] = []
        self.notes: list[str] = []
        self.paragraphs: list[str] = []  # the open text block
        self.inline: list[list[str]] = []  # stack of inline buffers (strong/em open)
        self.lists: list[str] = []  # "ul"/"ol" of the open lists
        self.list_lines: list[str] = []
        self.quote = 0
        self.heading = 0
        self.skip = 0  # inside a table
        self.table_rows = 0
        self.table_start = ""
        self.count = 0  # block-level elements seen, for "alinea N"
        self.text_where = ""

    # -- helpers
    def where(self) -> str:
        return _("alinea %(number)s") % {"number": self.count}

    def flush_text(self) -> None:
        self.flush_list()
        if not self.paragraphs:
            return
        chunk: list[str] = []
        for paragraph in self.paragraphs:
            if chunk and len("\n\n".join([*chunk, paragraph])) > LONG:
                self.blocks.append(
                    BlockSpec(BlockKind.TEXT, self.text_where, body="\n\n".join(chunk))
                )
                chunk = []
            chunk.append(paragraph)
        self.blocks.append(BlockSpec(BlockKind.TEXT, self.text_where, body="\n\n".join(chunk)))
        self.paragraphs = []

    def add_paragraph(self, text: str) -> None:
        if not text.strip():
            return
        if not self.paragraphs:
            self.text_where = self.where()
        self.paragraphs.append(text)

    def flush_list(self) -> None:
        if self.list_lines and not self.lists:
            self.add_paragraph("\n".join(self.list_lines))
            self.list_lines = []

    def start_inline(self) -> None:
        self.inline = [[]]

    def take_inline(self) -> str:
        text = "".join(self.inline[0]) if self.inline else ""
        self.inline = []
        return " ".join(text.split())

    # -- parser events
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.skip:
            if tag == "tr":
                self.table_rows += 1
            elif tag in ("td", "th") and not self.table_start:
                self.start_inline()
            return
        if tag == "table":
            self.skip, self.table_rows, self.table_start = 1, 0, ""
            self.count += 1
            return
        if tag == "p" and self.lists and self.inline:
            return  # a paragraph inside a list item: part of the item
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p"):
            self.count += 1
            self.heading = int(tag[1]) if tag != "p" else 0
            self.start_inline()
        elif tag in ("ul", "ol"):
            if self.lists and self.inline:
                self.end_item()
            self.lists.append(tag)
        elif tag == "li":
            self.count += 1
            self.start_inline()
        elif tag == "blockquote":
            self.quote += 1
        elif tag in ("strong", "b", "em", "i") and self.inline:
            self.inline.append([])
        elif tag == "br" and self.inline:
            self.inline[-1].append(" ")
        elif tag == "img":
            self.image(attrs)

    def handle_endtag(self, tag):
        if self.skip:
            if tag in ("td", "th") and self.inline and not self.table_start:
                self.table_start = self.take_inline() or " "
            if tag == "table":
                self.skip = 0
                self.notes.append(
                    ngettext(
                        "Tabel met %(rows)s rij niet ingelezen (begint met ‘%(start)s’).",
                        "Tabel met %(rows)s rijen niet ingelezen (begint met ‘%(start)s’).",
                        self.table_rows,
                    )
                    % {"rows": self.table_rows, "start": _short(self.table_start.strip(), 40)}
                )
            return
        if tag in ("strong", "b", "em", "i") and len(self.inline) > 1:
            content = "".join(self.inline.pop())
            mark = "**" if tag in ("strong", "b") else "*"
            core = content.strip()
            if core:
                lead = content[: len(content) - len(content.lstrip())]
                trail = content[len(content.rstrip()) :]
                content = f"{lead}{mark}{core}{mark}{trail}"
            self.inline[-1].append(content)
        elif tag in ("h1", "h2", "h3"):
            self.end_heading(int(tag[1]))
        elif tag in ("h4", "h5", "h6"):
            text = self.take_inline()
            if text:
                self.add_paragraph("#" * (int(tag[1]) - 3) + " " + text)
        elif tag == "p":
            if self.lists:  # a paragraph inside a list item: part of the item
                return
            text = self.take_inline()
            if text:
                self.flush_list()
                self.add_paragraph(_escape_start(text) if not self.quote else "> " + text)
        elif tag == "li":
            self.end_item()
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.flush_list()
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)

    def end_item(self) -> None:
        text = self.take_inline()
        if text and self.lists:
            marker = "-" if self.lists[-1] == "ul" else "1."
            self.list_lines.append("  " * (len(self.lists) - 1) + f"{marker} {text}")

    def end_heading(self, level: int) -> None:
        title = self.take_inline().replace("**", "").replace("*", "").replace("\\", "")
        if not title:
            return
        self.flush_text()
        # As the source report: chapters and sections numbered, sub-sections and appendices not.
        numbered = level < 3 and not title.lower().startswith(("bijlage", "appendix"))
        if match := _TYPED_NUMBER.match(title):
            title, numbered = title[match.end() :], True
        self.blocks.append(
            BlockSpec(
                BlockKind.HEADING,
                _("kop ‘%(title)s’") % {"title": _short(title, 40)},
                level=level,
                title=title,
                numbered=numbered,
            )
        )

    def image(self, attrs: dict) -> None:
        source = attrs.get("src") or ""
        if not source.startswith("beeld:"):
            return
        self.count += 1
        if self.inline:
            # An image inside a paragraph: the text before it stays a paragraph of its own.
            before = self.take_inline()
            if before:
                self.add_paragraph(_escape_start(before))
            self.start_inline()
        self.flush_text()
        self.blocks.append(
            BlockSpec(
                BlockKind.FIGURE,
                self.where(),
                title=_short(attrs.get("alt") or "", 300),
                image_index=int(source.split(":", 1)[1]),
            )
        )

    def handle_data(self, data):
        if self.inline:
            self.inline[-1].append(_INLINE_ESCAPE.sub(r"\\\1", data))


def _escape_start(text: str) -> str:
    """A paragraph that starts like a list, heading or quotation in our markup stays text."""
    return "\\" + text if _LINE_START.match(text) else text


# Styles whose warnings say nothing to the analyst: lists are read by their numbering, and
# comments are listed on their own.
_QUIET_STYLES = re.compile(r"^(List|Comment|None$)")


def _message(message) -> str:
    """mammoth's (English) message in Dutch; "" for one that says nothing to the analyst."""
    text = message.message
    if match := re.match(r"Unrecognised (paragraph|run) style: (.*?) \(Style ID: (.*?)\)", text):
        style = match.group(2)
        if _QUIET_STYLES.match(style) or _QUIET_STYLES.match(match.group(3)):
            return ""
        if match.group(1) == "paragraph":
            return _("Opmaakprofiel ‘%(style)s’ onbekend: als gewone alinea ingelezen.") % {
                "style": style
            }
        return _("Tekenopmaak ‘%(style)s’ onbekend: als gewone tekst ingelezen.") % {"style": style}
    if match := re.match(r"(Paragraph|Run) style with ID (\S+) was referenced", text):
        if _QUIET_STYLES.match(match.group(2)):
            return ""
        return _("Opmaakprofiel ‘%(style)s’ ontbreekt in het document: zonder ingelezen.") % {
            "style": match.group(2)
        }
    if match := re.match(r"An unrecognised element was ignored: (\S+)", text):
        return _("Onderdeel %(element)s van het document overgeslagen.") % {
            "element": match.group(1)
        }
    return _("Melding bij het lezen: %(message)s") % {"message": _short(text, 160)}


def docx_read(data: bytes) -> tuple[ImportPlan, list[tuple[bytes, str]]]:
    """Read a Word document into a plan of blocks, notes on what was left out, and the
    cleaned images the plan's figures point at ((bytes, content type), by image_index).
    Raises OutlineFileError for a document that cannot be read at all."""
    parts = _package(data)
    trees = _xml(parts)
    notes = _inspect(trees)
    images: list[tuple[bytes, str]] = []

    def convert_image(image) -> dict:
        described = _short(image.alt_text or "", 40) or image.content_type or "?"
        if image.content_type not in SUPPORTED_IMAGES:
            notes.append(
                _("Afbeelding ‘%(name)s’ (%(type)s) niet ingelezen: alleen PNG, JPEG en SVG.")
                % {"name": described, "type": image.content_type or "?"}
            )
            return {}
        try:
            with image.open() as handle:
                content = handle.read(MAX_IMAGE_BYTES + 1)
            images.append(image_clean(io.BytesIO(content)))
        except ValidationError as error:
            notes.append(
                _("Afbeelding ‘%(name)s’ niet ingelezen: %(reason)s")
                % {"name": described, "reason": " ".join(error.messages)}
            )
            return {}
        except Exception:  # an external link (refused by mammoth) or a missing part
            notes.append(
                _("Afbeelding ‘%(name)s’ niet ingelezen: ze staat niet in het document zelf.")
                % {"name": described}
            )
            return {}
        return {"src": f"beeld:{len(images) - 1}", "alt": image.alt_text or ""}

    try:
        result = mammoth.convert_to_html(
            _for_mammoth(parts),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(convert_image),
            external_file_access=False,
            include_embedded_style_map=False,
        )
    except OutlineFileError:
        raise
    except Exception as error:  # mammoth raises many kinds for a malformed document
        raise _refuse(_("Het Word-document kan niet gelezen worden.")) from error
    reader = _Blocks()
    reader.feed(result.value)
    reader.close()
    reader.flush_text()
    seen = set()
    for message in result.messages:
        text = _message(message)
        if text and text not in seen:
            seen.add(text)
            notes.append(text)
    return ImportPlan(blocks=reader.blocks, notes=notes + reader.notes), images
