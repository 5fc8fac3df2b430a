"""Rules of a report outline that every renderer and every list of blocks obeys alike (the
HTML preview, the PDF, the DOCX and its table of contents; the outline editor, the import
preview). One place, so the editor never shows an outline the report does not print.

- Switching off: a switched-off heading switches off what stands under it, up to the next
  heading of the same or a higher level (a lower number), as switching off a chapter means.
- Numbering: headings are numbered per level ("2.", "2.1", "2.1.1"); a numbered heading
  that skips a level (a level 3 straight under a level 1) gets a 0 for the missing level
  ("2.0.1"), never a number of a section that does not exist, and the editor and the import
  preview warn about it.
- Placeholders: "{paradoxen}" in a heading is the number of paradoxes in words; together
  with the word after it that reads as Dutch for every count ("Paradoxen van …", "Eén
  paradox van …", "Vijf paradoxen van …").
"""

import re
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from .models import BlockKind

PARADOX_PLACEHOLDER = "{paradoxen}"
# The placeholder with the noun that usually follows it ("{paradoxen} paradoxen").
_PLACEHOLDER = re.compile(r"\{paradoxen\}(?:(\s+)(paradox(?:en)?)\b)?", re.IGNORECASE)
NUMBER_WORDS = ["geen", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht"]
LEVELS = 3


def _number_word(count: int) -> str:
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)


def heading_title(title: str, paradoxes: int) -> str:
    """`title` as printed: "{paradoxen}" replaced for `paradoxes` paradoxes (an int >= 0).

    With the noun after it: 0 leaves the number out ("Paradoxen van samenwerken"), 1 is
    singular ("Eén paradox van samenwerken"), more are written out ("Vijf paradoxen …").
    Alone it is the number word ("geen", "één", …). At the start of the title it gets a
    capital, as every title does.
    """

    def replace(match: re.Match) -> str:
        space, noun = match.group(1), match.group(2)
        if noun is None:
            words = _number_word(paradoxes)
        elif paradoxes == 0:
            words = "paradoxen"
        elif paradoxes == 1:
            words = "één paradox"
        else:
            words = f"{_number_word(paradoxes)}{space}paradoxen"
        if match.start():
            return words
        # Dutch capitalises the first letter of "één" alone: "Eén".
        return "Eén" + words[3:] if words.startswith("één") else words[:1].upper() + words[1:]

    return _PLACEHOLDER.sub(replace, title)


def heading_title_explained(title: str) -> str:
    """`title` for lists of blocks, where the count is not known: the placeholder said in
    words ("[aantal paradoxen] paradoxen van …") instead of the raw "{paradoxen}"."""
    return title.replace(PARADOX_PLACEHOLDER, _("[aantal paradoxen]"))


def printed_flags(blocks: Sequence) -> list[bool]:
    """For each block of an outline (in order), whether it is printed: it is switched on
    and no switched-off heading above it covers it (up to the next heading of the same or a
    higher level). `blocks` are ReportBlocks or anything with kind, level and enabled."""
    flags = []
    off_level = 0  # under a switched-off heading of this level; 0: not
    for block in blocks:
        if block.kind == BlockKind.HEADING:
            if off_level and block.level > off_level:
                flags.append(False)
                continue
            off_level = 0 if block.enabled else block.level
        flags.append(bool(block.enabled) and not off_level)
    return flags


def printed_blocks(blocks: Sequence) -> list:
    """The blocks that are printed (printed_flags), in order."""
    return [b for b, printed in zip(blocks, printed_flags(blocks), strict=True) if printed]


class Numbering:
    """Heading numbers in order of appearance: feed every printed heading to `next`."""

    def __init__(self):
        self.counters = [0] * LEVELS

    def next(self, level: int) -> tuple[str, bool]:
        """(number, skips) for a numbered heading of `level` (1..3): "2." for a chapter,
        "2.1" and "2.1.1" below it; `skips` is True when a level above it has no number
        yet (it is then 0: "2.0.1")."""
        self.counters[level - 1] += 1
        for deeper in range(level, LEVELS):
            self.counters[deeper] = 0
        parts = self.counters[:level]
        skips = 0 in parts[:-1]
        number = f"{parts[0]}." if level == 1 else ".".join(map(str, parts))
        return number, skips


def _where(block) -> str:
    where = getattr(block, "where", "")
    return f"{where[:1].upper()}{where[1:]}: " if where else ""


def outline_warnings(blocks: Iterable) -> list[str]:
    """Dutch warnings about an outline as it will print (in order): numbered headings that
    skip a level, and switched-off headings that take the blocks under them along. Blocks
    may carry `where` ("regel 12", an import's BlockSpec), which starts their warning."""
    blocks = list(blocks)
    warnings = []
    numbering = Numbering()
    parent = 0  # the level of the last printed numbered heading
    for block, printed in zip(blocks, printed_flags(blocks), strict=True):
        if block.kind != BlockKind.HEADING:
            continue
        title = heading_title_explained(block.title)
        if not printed:
            if not block.enabled and _covers_something(blocks, block):
                warnings.append(
                    _where(block)
                    + _(
                        "Kop %(level)s ‘%(title)s’ staat uit: wat eronder staat tot de "
                        "volgende kop van hetzelfde of een hoger niveau, wordt ook niet "
                        "afgedrukt."
                    )
                    % {"level": block.level, "title": title}
                )
            continue
        if not block.numbered:
            continue
        number, skips = numbering.next(block.level)
        if skips:
            warnings.append(
                _where(block)
                + _(
                    "Kop %(level)s ‘%(title)s’ slaat een niveau over (de kop erboven is een "
                    "kop %(parent)s) en krijgt daardoor nummer %(number)s. Maak er een kop "
                    "%(missing)s van, plaats er eerst een genummerde kop %(missing)s voor, of zet "
                    "hem zonder nummer."
                )
                % {
                    "level": block.level,
                    "title": title,
                    "parent": parent or "—",
                    "number": number,
                    "missing": numbering.counters.index(0) + 1,
                }
            )
        parent = block.level
    return warnings


def _covers_something(blocks: list, heading) -> bool:
    """Whether a block stands under `heading` before the next heading of its level or higher."""
    index = next(i for i, b in enumerate(blocks) if b is heading)
    following = blocks[index + 1 : index + 2]
    return bool(following) and not (
        following[0].kind == BlockKind.HEADING and following[0].level <= heading.level
    )


def outline_listing(blocks: Sequence) -> list:
    """The outline's blocks for the editor, each with `covered` (switched on, but not printed
    because a switched-off heading above it covers it) and `shown_title` (its title with
    placeholders explained)."""
    blocks = list(blocks)
    for block, printed in zip(blocks, printed_flags(blocks), strict=True):
        block.covered = block.enabled and not printed
        block.shown_title = heading_title_explained(block.title)
    return blocks
