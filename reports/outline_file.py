"""A report's outline as a Markdown file, and such a file (or a Word document) read back.

The file format (one line per structural element; everything else is the text of a block):

- ``# Titel``, ``## Titel``, ``### Titel``: a heading of level 1, 2 or 3, numbered as the
  report numbers it. ``{-}`` after the title: without a number (Pandoc's notation for an
  unnumbered heading); ``{uit}``: switched off; ``{- uit}``: both. A title that itself ends
  in ``}`` gets an empty ``{}`` so its last word is never taken for these marks.
- Text: the block's own markup (reports.markup), as the analyst typed it. A sub-heading inside a
  text (``# `` in the markup) is written three levels deeper (``#### ``), so it can never be
  taken for an outline heading; reading it back removes the three again. A text line that
  starts with ``[[``, ``<!--`` or a backslash gets a backslash in front.
  ``[[tekst]]`` starts a text block where that is needed: after another text, for an empty
  text, and for a switched-off one (``[[tekst]] {uit}``).
- ``[[naam]]``: a part made from the evaluation's data, one fixed Dutch name per part
  (PART_MARKERS), e.g. ``[[figuur: spindiagram alle sleutelmomenten]]``; ``{uit}`` after
  it: switched off. ``[[nieuwe pagina]]`` is a page break.
- ``[[afbeelding: bijschrift]] {breedte=60%}``: an uploaded figure with its caption and width.
  The image itself cannot live in a text file: read back into the same evaluation, the figure
  gets the image of the figure with the same caption; elsewhere it gets a placeholder that
  says so, and the preview lists it.
- ``<!-- … -->`` at the start of a line: a comment, skipped (the export explains the format in
  one at the top).

Exporting, reading back and exporting again gives the same bytes (tests/test_outline_file.py).
Reading never writes: it returns an ImportPlan; outline_import_apply() replaces the outline
with it, all or nothing. Every refusal is a Dutch OutlineFileError that says where.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluatiespiegel.bounds import constraint_bounds

from .images import image_clean
from .markup import MarkupDepthValidator
from .models import (
    PARTS_FOR,
    BlockKind,
    Part,
    ReportBlock,
    ReportKind,
    ReportOutline,
    block_summary,
)
from .outline_rules import outline_warnings

# The fixed vocabulary of the file: never translated, or a file written in one language could
# not be read in another.
PART_MARKERS: dict[str, str] = {
    Part.COVER: "omslag",
    Part.TOC: "inhoud",
    Part.METHOD_FIGURES: "cijfers van de evaluatie",
    Part.KEY_MOMENTS: "tabel: sleutelmomenten",
    Part.CENTRAL_QUESTIONS: "centrale vragen",
    Part.CONTRACT_THEMES: "thema's contractvormen",
    Part.MODEL_FIGURE: "figuur: model van de vijf condities",
    Part.EXAMPLE_SPIDER: "figuur: voorbeeld van een spindiagram",
    Part.CONSEQUENCES_FIGURE: "figuur: gevolgen van onevenwichtige aandacht",
    Part.SPIDER_OVERALL: "figuur: spindiagram alle sleutelmomenten",
    Part.SPIDER_KEY_MOMENTS: "figuren: spindiagram per sleutelmoment",
    Part.IMBALANCE: "onevenwichtige aandacht",
    Part.ROLES: "figuur: vertellers en reflectoren",
    Part.AGREEMENT: "overeenstemming in de zaal",
    Part.LIFECYCLE: "figuur: levenscyclus",
    Part.PARADOXES: "paradoxen",
    Part.HOW_QUESTIONS: "hoe-vragen",
    Part.CONCLUSION_THEMES: "thema's conclusie",
    Part.APPENDIX: "bijlage: hoe-vragen met aanbevelingen",
    Part.SESSIONS: "alle sessies",
    Part.WALL: "wand van de slotdialoog",
}
MARKER_PARTS = {name: part for part, name in PART_MARKERS.items()}
TEXT_MARKER = "tekst"
PAGE_BREAK_MARKER = "nieuwe pagina"
FIGURE_MARKER = "afbeelding"

# Limits of what one file may bring in. The source report has about 60 blocks and 60,000
# characters; these leave ample room and keep a rendering of the result bounded.
MAX_FILE_BYTES = 1024 * 1024
MAX_BLOCKS = 400

HEADING_LINE = re.compile(r"^(#{1,3})(?=[ \t]|$)")
# The marks after a heading's title, "{-}", "{uit}", "{- uit}" (or "{}" for none): the same
# notation in the file and in the editor's title field (heading_marks).
_MARKS_TAIL = r"(?:[ \t]+\{([^{}]*)\})?[ \t]*$"
HEADING = re.compile(r"^(#{1,3})[ \t]+(.+?)" + _MARKS_TAIL)
TITLE_WITH_MARKS = re.compile(r"^(.*?)" + _MARKS_TAIL, re.S)
MARKER = re.compile(r"^\[\[(.+?)\]\](?:[ \t]+\{([^{}]*)\})?[ \t]*$")
SUB_HEADING = re.compile(r"^#+(?=[ \t]|$)")
DEEP_SUB_HEADING = re.compile(r"^#{4,}(?=[ \t]|$)")
NEEDS_ESCAPE = ("\\", "[[", "<!--")
# Any number of digits: a too wide "breedte=1000%" is a width out of bounds (said with the
# bounds), not an unknown mark.
WIDTH = re.compile(r"^breedte=(\d{1,9})%?$")
# Characters a database column cannot hold (PostgreSQL refuses NUL) or no editor shows.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class OutlineFileError(ValidationError):
    """A file that cannot be read as an outline: every problem found, each message saying
    where (Dutch), in the order of the file."""


@dataclass
class BlockSpec:
    """One block read from a file, not yet saved. `where` says where it came from, in Dutch
    ("regel 12"), for messages; `image` is set for a figure whose image is known."""

    kind: str
    where: str
    level: int = 1
    numbered: bool = True
    title: str = ""
    body: str = ""
    part: str = ""
    enabled: bool = True
    width: int = 100
    image: bytes | None = None
    image_type: str = ""
    image_index: int | None = None  # a figure's image inside the file read (Word)
    line: int = 0  # the line it starts on (Markdown), to list problems in the file's order

    def key(self) -> tuple:
        """What the block is, for comparing outlines (not where it came from)."""
        return (
            self.kind, self.level if self.kind == BlockKind.HEADING else 0,
            self.numbered if self.kind == BlockKind.HEADING else True,
            self.title, self.body, self.part, self.enabled,
            self.width if self.kind == BlockKind.FIGURE else 100,
        )  # fmt: skip


@dataclass
class ImportPlan:
    """What a file would make of an outline: its blocks, and notes for the analyst about
    what did not come in (or came in otherwise than it stood in the file)."""

    blocks: list[BlockSpec]
    notes: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------
# Export


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _attributes(tokens: list[str], title: str = "") -> str:
    if tokens:
        return " {" + " ".join(tokens) + "}"
    # A title ending in '}' would lose its last word to the marks when read back.
    return " {}" if title.endswith("}") else ""


def _text_lines(body: str) -> list[str]:
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    out = []
    for line in lines:
        if SUB_HEADING.match(line):
            line = "###" + line
        elif line.startswith(NEEDS_ESCAPE):
            line = "\\" + line
        out.append(line)
    return out


def _header(kind: str) -> list[str]:
    return [
        "<!--",
        _("Opzet van het %(report)s (Evaluatiespiegel).") % {"report": ReportKind(kind).label},
        _("Bewerk dit bestand en lees het weer in: in het rapport onder 'Opzet als bestand',"),
        _("of met: python manage.py rapport_importeer <evaluatie> bestand.md"),
        _("# ## ### = kop op niveau 1, 2, 3. {-} achter een kop: zonder nummer; {uit}: uitgezet."),
        _("{paradoxen} in een kop wordt het aantal paradoxen in woorden."),
        _("[[naam]] = een onderdeel uit de gegevens; [[tekst]] begint een nieuw tekstblok;"),
        _("[[nieuwe pagina]] = een paginaovergang. #### in een tekst is een tussenkop."),
        _("[[afbeelding: bijschrift]] {breedte=60%} = een geüploade figuur. De afbeelding zelf"),
        _("staat niet in dit bestand: in dezelfde evaluatie krijgt de figuur bij inlezen de"),
        _("afbeelding met hetzelfde bijschrift terug; in een andere evaluatie een plaatshouder"),
        _("die je via 'Bewerken' vervangt."),
        "-->",
    ]


def outline_markdown(outline: ReportOutline) -> str:
    """The outline as the Markdown file described in this module's docstring (str, ends in a
    newline). Switched-off blocks and page breaks are written too."""
    blocks = list(outline.blocks.defer("image").order_by("order", "pk"))
    chunks: list[list[str]] = [_header(outline.kind)]
    previous = None
    for block in blocks:
        off = [] if block.enabled else ["uit"]
        if block.kind == BlockKind.HEADING:
            title = _one_line(block.title)
            tokens = ([] if block.numbered else ["-"]) + off
            chunks.append(["#" * block.level + " " + title + _attributes(tokens, title)])
        elif block.kind == BlockKind.TEXT:
            lines = _text_lines(block.body)
            explicit = previous == BlockKind.TEXT or not lines or not block.enabled
            marker = ["[[" + TEXT_MARKER + "]]" + _attributes(off)] if explicit else []
            chunks.append(marker + lines)
        elif block.kind == BlockKind.GENERATED:
            chunks.append(["[[" + PART_MARKERS[block.part] + "]]" + _attributes(off)])
        elif block.kind == BlockKind.FIGURE:
            caption = _one_line(block.title)
            tokens = [f"breedte={block.width}%"] + off
            chunks.append([f"[[{FIGURE_MARKER}: {caption}]]" + _attributes(tokens)])
        elif block.kind == BlockKind.PAGE_BREAK:
            chunks.append(["[[" + PAGE_BREAK_MARKER + "]]" + _attributes(off)])
        previous = block.kind
    return "\n\n".join("\n".join(chunk) for chunk in chunks) + "\n"


def report_markdown(kind: str, evaluation) -> bytes:
    """The outline of one report of `evaluation` as the Markdown file (UTF-8 bytes)."""
    from .outline import outline_for

    return outline_markdown(outline_for(evaluation, kind)).encode("utf-8")


def outline_filename(outline: ReportOutline) -> str:
    return f"opzet-{outline.kind}-{outline.evaluation.slug}.md"


# ----------------------------------------------------------------------------------------------
# Reading Markdown


def _where(line: int) -> str:
    return _("regel %(line)s") % {"line": line}


def _fail(where: str, message: str) -> OutlineFileError:
    return OutlineFileError(f"{where}: {message}", code="outline_file")


def _decode(data: bytes) -> str:
    """The file's text with "\n" line ends. Raises OutlineFileError naming every line that
    is no UTF-8 or holds a control character."""
    if len(data) > MAX_FILE_BYTES:
        raise OutlineFileError(
            _("Het bestand is te groot: hooguit %(limit)s kB.") % {"limit": MAX_FILE_BYTES // 1024}
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    problems = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(
                _fail(_where(number), _("dit is geen UTF-8-tekst; sla het bestand op als UTF-8."))
            )
            continue
        if CONTROL.search(line.replace("\r", "")):
            problems.append(
                _fail(_where(number), _("er staat een onzichtbaar stuurteken in de tekst."))
            )
    if problems:
        raise OutlineFileError(problems)
    text = data.decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _tokens(raw: str | None, where: str, allowed: set[str]) -> dict:
    """The marks between braces: '-', 'uit' and 'breedte=60%' where allowed."""
    found = {"numbered": True, "enabled": True, "width": None}
    for token in (raw or "").replace(",", " ").split():
        token = token.lower()
        if token == "-" and "-" in allowed:
            found["numbered"] = False
        elif token == "uit":
            found["enabled"] = False
        elif (match := WIDTH.match(token)) and "breedte" in allowed:
            found["width"] = int(match.group(1))
        else:
            known = ", ".join(sorted(allowed | {"uit"}))
            raise _fail(
                where,
                _("onbekende aanduiding '{%(token)s}'; hier kan: %(known)s.")
                % {"token": token, "known": known},
            )
    return found


def heading_marks(raw: str, where: str) -> tuple[str, bool | None, bool | None]:
    """A heading's title as typed in the editor, with the file's marks taken off: (title,
    numbered, enabled), each flag False when its mark is there ("{-}": no number, "{uit}":
    switched off) and None when the title had no marks. "{}" ends a title that itself ends
    in "}". Raises OutlineFileError (Dutch, starting with `where`) for an unknown mark."""
    match = TITLE_WITH_MARKS.match(raw)
    title, marks = match.group(1).strip(), match.group(2)
    if marks is None:
        return raw.strip(), None, None
    found = _tokens(marks, where, {"-"})
    return (
        title,
        None if found["numbered"] else False,
        None if found["enabled"] else False,
    )


def _marker_block(name: str, raw: str | None, where: str) -> BlockSpec:
    lowered = " ".join(name.split()).lower()
    if lowered in MARKER_PARTS:
        marks = _tokens(raw, where, set())
        return BlockSpec(
            BlockKind.GENERATED, where, part=MARKER_PARTS[lowered], enabled=marks["enabled"]
        )
    if lowered == TEXT_MARKER:
        return BlockSpec(BlockKind.TEXT, where, enabled=_tokens(raw, where, set())["enabled"])
    if lowered == PAGE_BREAK_MARKER:
        marks = _tokens(raw, where, set())
        return BlockSpec(BlockKind.PAGE_BREAK, where, enabled=marks["enabled"])
    if lowered.startswith(FIGURE_MARKER + ":") or lowered == FIGURE_MARKER:
        caption = name.split(":", 1)[1].strip() if ":" in name else ""
        marks = _tokens(raw, where, {"breedte"})
        width = 100 if marks["width"] is None else marks["width"]
        return BlockSpec(
            BlockKind.FIGURE, where, title=caption, width=width, enabled=marks["enabled"]
        )
    known = ", ".join(f"[[{n}]]" for n in [TEXT_MARKER, PAGE_BREAK_MARKER, *MARKER_PARTS])
    raise _fail(
        where,
        _("onbekend blok [[%(name)s]]. Bekend zijn: %(known)s, [[afbeelding: bijschrift]].")
        % {"name": name, "known": known},
    )


def markdown_read(data: bytes) -> ImportPlan:
    """Read a Markdown outline file (bytes, UTF-8). Raises OutlineFileError naming the line
    of everything it cannot read; checks nothing against an evaluation (see plan_validate)."""
    plan, problems = _markdown_parse(data)
    if problems:
        raise OutlineFileError([p for _line, p in problems])
    return plan


def _markdown_parse(data: bytes) -> tuple[ImportPlan, list[tuple[int, OutlineFileError]]]:
    """The blocks of a Markdown outline file, and a problem per line it cannot read (that
    line is left out, so the lines after it are still checked), as (line, problem). Raises
    OutlineFileError for a file that cannot be read at all (size, encoding)."""
    text = _decode(data)
    problems: list[tuple[int, OutlineFileError]] = []
    blocks: list[BlockSpec] = []
    text_lines: list[str] | None = None
    comment_from = 0

    def finish_text() -> None:
        nonlocal text_lines
        if text_lines is not None:
            while text_lines and not text_lines[0].strip():
                text_lines.pop(0)
            while text_lines and not text_lines[-1].strip():
                text_lines.pop()
            blocks[-1].body = "\n".join(text_lines)
        text_lines = None

    for number, line in enumerate(text.split("\n"), start=1):
        if len(blocks) > MAX_BLOCKS:
            # One message is enough: the rest of such a file is not worth a list.
            raise _fail(
                _where(number),
                ngettext(
                    "meer dan %(limit)s blok; zoveel kan een rapport niet.",
                    "meer dan %(limit)s blokken; zoveel kan een rapport niet.",
                    MAX_BLOCKS,
                )
                % {"limit": MAX_BLOCKS},
            )
        if comment_from:
            if "-->" in line:
                comment_from = 0
            continue
        if line.startswith("<!--"):
            if "-->" not in line[4:]:
                comment_from = number
            continue
        if HEADING_LINE.match(line):
            finish_text()
            match = HEADING.match(line)
            try:
                if match is None:
                    raise _fail(_where(number), _("een kop zonder titel."))
                marks = _tokens(match.group(3), _where(number), {"-"})
            except OutlineFileError as problem:
                problems.append((number, problem))
                continue
            blocks.append(
                BlockSpec(
                    BlockKind.HEADING,
                    _where(number),
                    level=len(match.group(1)),
                    title=match.group(2).strip(),
                    numbered=marks["numbered"],
                    enabled=marks["enabled"],
                    line=number,
                )
            )
            continue
        if match := MARKER.match(line):
            finish_text()
            try:
                block = _marker_block(match.group(1).strip(), match.group(2), _where(number))
            except OutlineFileError as problem:
                problems.append((number, problem))
                continue
            block.line = number
            blocks.append(block)
            if block.kind == BlockKind.TEXT:
                text_lines = []
            continue
        if text_lines is None:
            if not line.strip():
                continue
            blocks.append(BlockSpec(BlockKind.TEXT, _where(number), line=number))
            text_lines = []
        if line.startswith("\\"):
            line = line[1:]
        elif DEEP_SUB_HEADING.match(line):
            line = line[3:]
        text_lines.append(line)
    if comment_from:
        problems.append(
            (
                comment_from,
                _fail(_where(comment_from), _("een opmerking (<!--) die nergens sluit (-->).")),
            )
        )
    finish_text()
    return ImportPlan(blocks=blocks), problems


# ----------------------------------------------------------------------------------------------
# Checking a plan against a report, and applying it


def _parts_for(kind: str) -> list[str]:
    return [p.value for p in PARTS_FOR[kind]]


_PLACEHOLDER = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="300" viewBox="0 0 800 300">'
    '<rect x="4" y="4" width="792" height="292" fill="#f4f4f4" stroke="#888" stroke-width="4"'
    ' stroke-dasharray="16 10"/><text x="400" y="140" font-size="30" text-anchor="middle"'
    ' font-family="DejaVu Sans" fill="#444">{line1}</text><text x="400" y="190" font-size="22"'
    ' text-anchor="middle" font-family="DejaVu Sans" fill="#444">{line2}</text></svg>'
)


def _placeholder() -> tuple[bytes, str]:
    from xml.sax.saxutils import escape

    svg = _PLACEHOLDER.format(
        line1=escape(_("Afbeelding volgt")),
        line2=escape(_("Voeg haar toe via 'Bewerken' in de opzet van het rapport.")),
    )
    return image_clean(io.BytesIO(svg.encode()))


def _known_images(evaluation) -> dict[str, list[tuple[bytes, str]]]:
    """The evaluation's uploaded figures by caption, in outline order."""
    found: dict[str, list[tuple[bytes, str]]] = {}
    figures = ReportBlock.objects.filter(
        outline__evaluation=evaluation, kind=BlockKind.FIGURE
    ).order_by("outline__kind", "order", "pk")
    for block in figures:
        found.setdefault(_one_line(block.title), []).append((bytes(block.image), block.image_type))
    return found


def plan_validate(plan: ImportPlan, outline: ReportOutline, images: list | None = None) -> None:
    """Check every block of `plan` against `outline`'s report and the models' limits, and
    give figures their images. Raises OutlineFileError with every problem, each with where.

    `images` are (bytes, type) read from the same file (Word); a figure without one gets the
    image of the evaluation's figure with the same caption, or a placeholder (noted).
    """
    if not plan.blocks:
        raise OutlineFileError(_("Het bestand bevat geen enkel blok; er is niets veranderd."))
    if len(plan.blocks) > MAX_BLOCKS:
        raise OutlineFileError(
            ngettext(
                "Het bestand heeft meer dan %(limit)s blok; zoveel kan een rapport niet.",
                "Het bestand heeft meer dan %(limit)s blokken; zoveel kan een rapport niet.",
                MAX_BLOCKS,
            )
            % {"limit": MAX_BLOCKS}
        )
    problems = _plan_problems(plan, outline, images)
    if problems:
        raise OutlineFileError([p for _line, p in problems])


def _plan_problems(
    plan: ImportPlan, outline: ReportOutline, images: list | None
) -> list[tuple[int, OutlineFileError]]:
    """(line, problem) for every block of `plan` that `outline` cannot take."""
    problems = []
    low, high, message = constraint_bounds(ReportBlock, "width")
    allowed = _parts_for(outline.kind)
    known = None
    seen: dict[str, int] = {}
    depth = MarkupDepthValidator(_("tekst"))
    for spec in plan.blocks:
        if spec.kind == BlockKind.GENERATED and spec.part not in allowed:
            problems.append(
                (
                    spec.line,
                    _fail(
                        spec.where,
                        _("[[%(name)s]] hoort niet in het %(report)s.")
                        % {
                            "name": PART_MARKERS[spec.part],
                            "report": ReportKind(outline.kind).label,
                        },
                    ),
                )
            )
            continue
        if spec.kind == BlockKind.FIGURE and spec.image is None:
            if spec.image_index is not None and images and spec.image_index < len(images):
                spec.image, spec.image_type = images[spec.image_index]
            else:
                known = _known_images(outline.evaluation) if known is None else known
                same = known.get(spec.title, [])
                index = seen.get(spec.title, 0)
                seen[spec.title] = index + 1
                if same:
                    spec.image, spec.image_type = same[min(index, len(same) - 1)]
                else:
                    spec.image, spec.image_type = _placeholder()
                    plan.notes.append(
                        _(
                            "%(where)s: de afbeelding van figuur '%(caption)s' staat niet in "
                            "het bestand en niet in deze evaluatie; er komt een plaatshouder. "
                            "Vervang die daarna via 'Bewerken'."
                        )
                        % {"where": spec.where, "caption": spec.title or "—"}
                    )
        if spec.kind == BlockKind.FIGURE and not low <= spec.width <= high:
            # The database constraint's bounds and message: one rule, said one way.
            problems.append((spec.line, _fail(spec.where, message)))
            continue
        block = _block(spec, outline)
        try:
            # The check constraints cost a query each (six per block); every one of them holds
            # by construction here (width just above), and the database still enforces them.
            block.full_clean(exclude=["outline", "order", "slot"], validate_constraints=False)
            if spec.kind == BlockKind.TEXT:
                depth(spec.body)
        except ValidationError as error:
            problems.append((spec.line, _fail(spec.where, _named(error))))
    return problems


def _named(error: ValidationError) -> str:
    """The messages of a model's full_clean, each starting with its field's name."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = []
    for name, messages in error.message_dict.items():
        label = (
            capfirst(ReportBlock._meta.get_field(name).verbose_name) if name != "__all__" else ""
        )
        for message in messages:
            named = not label or message.startswith(str(label))
            parts.append(message if named else f"{label}: {message}")
    return " ".join(parts)


def _block(spec: BlockSpec, outline: ReportOutline, order: int = 0) -> ReportBlock:
    return ReportBlock(
        outline=outline,
        order=order,
        kind=spec.kind,
        level=spec.level if spec.kind == BlockKind.HEADING else 1,
        numbered=spec.numbered if spec.kind == BlockKind.HEADING else True,
        title=spec.title if spec.kind in (BlockKind.HEADING, BlockKind.FIGURE) else "",
        body=spec.body if spec.kind == BlockKind.TEXT else "",
        part=spec.part if spec.kind == BlockKind.GENERATED else "",
        enabled=spec.enabled,
        width=spec.width if spec.kind == BlockKind.FIGURE else 100,
        image=spec.image if spec.kind == BlockKind.FIGURE else None,
        image_type=spec.image_type if spec.kind == BlockKind.FIGURE else "",
    )


def _spec_of(block: ReportBlock) -> BlockSpec:
    return BlockSpec(
        block.kind, "", level=block.level, numbered=block.numbered, title=block.title,
        body=block.body, part=block.part, enabled=block.enabled, width=block.width,
    )  # fmt: skip


@dataclass
class Change:
    """One line of the preview: '=' kept, '-' removed, '+' added; `detail` holds a text's
    line diff where a text was changed in place."""

    op: str
    summary: str
    detail: list[str] = field(default_factory=list)


def plan_changes(outline: ReportOutline, plan: ImportPlan) -> list[Change]:
    """What applying `plan` would do to `outline`, block by block, in the new order."""
    old = [_spec_of(b) for b in outline.blocks.defer("image").order_by("order", "pk")]
    new = plan.blocks
    matcher = difflib.SequenceMatcher(
        a=[s.key() for s in old], b=[s.key() for s in new], autojunk=False
    )
    changes: list[Change] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            changes += [Change("=", block_summary(s)) for s in new[b1:b2]]
            continue
        olds, news = old[a1:a2], new[b1:b2]
        if op == "replace" and len(olds) == len(news):
            for before, after in zip(olds, news, strict=True):
                detail = []
                if before.kind == after.kind == BlockKind.TEXT and before.body != after.body:
                    detail = list(
                        difflib.unified_diff(
                            before.body.splitlines(), after.body.splitlines(), lineterm="", n=1
                        )
                    )[2:]
                changes.append(Change("-", block_summary(before)))
                changes.append(Change("+", block_summary(after), detail))
            continue
        changes += [Change("-", block_summary(s)) for s in olds]
        changes += [Change("+", block_summary(s)) for s in news]
    return changes


def outline_fingerprint(outline: ReportOutline) -> str:
    """A hash of the outline as it stands (SHA-256 hex), to see whether it changed between
    the preview and the confirmation."""
    rows = outline.blocks.order_by("order", "pk").values_list(
        "pk", "kind", "level", "numbered", "title", "body", "part", "enabled", "width"
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


@transaction.atomic
def outline_import_apply(*, outline: ReportOutline, plan: ImportPlan) -> int:
    """Replace `outline`'s blocks by the validated `plan`'s, all or nothing; returns how many
    blocks the outline has now. Texts keep their preset slot where the same text was there
    before, so applying a preset later still finds them."""
    ReportOutline.objects.select_for_update().filter(pk=outline.pk).first()
    slots: dict[str, str] = {}
    for block in outline.blocks.filter(kind=BlockKind.TEXT).exclude(slot=""):
        slots.setdefault(block.body.strip(), block.slot)
    outline.blocks.all().delete()
    blocks = []
    for order, spec in enumerate(plan.blocks, start=1):
        block = _block(spec, outline, order)
        if spec.kind == BlockKind.TEXT:
            block.slot = slots.pop(spec.body.strip(), "")
        blocks.append(block)
    ReportBlock.objects.bulk_create(blocks)
    outline.save(update_fields=["updated_at"])
    return len(blocks)


def file_read(data: bytes, filename: str, outline: ReportOutline) -> ImportPlan:
    """Read an uploaded outline file (Markdown, or Word by its extension or contents) into
    a validated plan for `outline`. Raises OutlineFileError; writes nothing."""
    name = filename.lower()
    images = None
    if name.endswith(".docx") or data[:4] == b"PK\x03\x04":
        from .outline_word import docx_read

        plan, images = docx_read(data)
    elif name.endswith((".md", ".markdown", ".txt")) or "." not in name:
        plan, problems = _markdown_parse(data)
        if problems:
            # What the lines that were read would meet in the report is a problem too: the
            # analyst gets one list, in the file's order, and fixes the file once.
            problems += _plan_problems(plan, outline, images) if plan.blocks else []
            raise OutlineFileError([p for _line, p in sorted(problems, key=lambda f: f[0])])
    else:
        raise OutlineFileError(_("Kies een Markdown-bestand (.md) of een Word-document (.docx)."))
    plan_validate(plan, outline, images)
    # Not refusals: how the outline will print (a skipped heading level, a switched-off
    # heading that takes its section along), for the preview.
    plan.notes += outline_warnings(plan.blocks)
    return plan


# ----------------------------------------------------------------------------------------------
# The workspace's two steps: upload (preview), then confirm


def outline_import_stage(*, outline: ReportOutline, data: bytes, filename: str, user) -> tuple:
    """Read an uploaded file for `outline` and keep it until the analyst confirms.

    Returns (OutlineImport, ImportPlan). Raises OutlineFileError and stores nothing for a file
    that cannot be read. The user's earlier unconfirmed files for this outline, and anyone's
    older than a day, are removed: a draft is a step, not an archive.
    """
    from datetime import timedelta

    from django.utils import timezone

    from .models import OutlineImport

    plan = file_read(data, filename, outline)
    stale = OutlineImport.objects.filter(created_at__lt=timezone.now() - timedelta(days=1))
    stale.delete()
    OutlineImport.objects.filter(outline=outline, created_by=user).delete()
    draft = OutlineImport.objects.create(
        outline=outline,
        filename=filename[:200],
        data=data,
        base=outline_fingerprint(outline),
        created_by=user,
    )
    return draft, plan


def outline_import_preview(draft) -> tuple[ImportPlan, list[Change], str]:
    """(plan, changes, fingerprint) for a staged file, against the outline as it is now; the
    confirmation sends the fingerprint back (outline_import_confirm). Raises OutlineFileError."""
    plan = file_read(bytes(draft.data), draft.filename, draft.outline)
    return plan, plan_changes(draft.outline, plan), outline_fingerprint(draft.outline)


@transaction.atomic
def outline_import_confirm(*, draft, seen: str) -> int:
    """Apply a staged file to its outline, all or nothing, and forget the file. Returns the
    number of blocks. `seen` is the outline's fingerprint when the analyst saw the changes;
    if the outline changed since (someone else edited it), raises OutlineFileError and
    changes nothing, so nobody's work is overwritten unseen. Also raises it when the file no
    longer reads."""
    outline = draft.outline
    ReportOutline.objects.select_for_update().filter(pk=outline.pk).first()
    if outline_fingerprint(outline) != seen:
        raise OutlineFileError(
            _(
                "De opzet is gewijzigd sinds je het bestand inlas. Er is niets veranderd: "
                "bekijk de wijzigingen opnieuw."
            )
        )
    plan = file_read(bytes(draft.data), draft.filename, outline)
    count = outline_import_apply(outline=outline, plan=plan)
    draft.delete()
    return count
