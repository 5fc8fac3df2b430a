"""The analyst's outline of a report: services that create, apply presets, add, move,
switch and delete blocks. Every write runs in a transaction; orders are kept 1..n."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .defaults import STARTING_TEXTS
from .models import BlockKind, ReportBlock, ReportKind, ReportOutline
from .presets import DEFAULT_PRESET, PRESETS


def _block_from_spec(spec: tuple, texts: dict[str, str]) -> ReportBlock:
    kind = spec[0]
    if kind == "heading":
        _kind, level, title, numbered = spec
        return ReportBlock(kind=BlockKind.HEADING, level=level, title=title, numbered=numbered)
    if kind == "text":
        return ReportBlock(kind=BlockKind.TEXT, slot=spec[1], body=texts.get(spec[1], ""))
    if kind == "part":
        enabled = spec[2] if len(spec) > 2 else True
        return ReportBlock(kind=BlockKind.GENERATED, part=spec[1], enabled=enabled)
    if kind == "pagebreak":
        return ReportBlock(kind=BlockKind.PAGE_BREAK)
    raise ValueError(f"Onbekend bloktype in opzet: {kind}")


@transaction.atomic
def outline_for(evaluation, kind: str) -> ReportOutline:
    """The evaluation's outline of one report, made from the default preset on first use."""
    if kind not in ReportKind.values:
        raise ValueError(f"Onbekend rapport: {kind}")
    outline, created = ReportOutline.objects.get_or_create(evaluation=evaluation, kind=kind)
    if created:
        preset_apply(outline=outline, preset=DEFAULT_PRESET[kind])
    return outline


def _preset_headings() -> set[tuple[int, str]]:
    """Every heading any preset writes, as (level, title): the others are the analyst's."""
    return {
        (spec[1], spec[2])
        for _label, _kind, specs in PRESETS.values()
        for spec in specs
        if spec[0] == "heading"
    }


def preset_leftovers(existing: list[ReportBlock], new: list[ReportBlock]) -> list[ReportBlock]:
    """The analyst's own blocks that a preset has no place for, in their order: uploaded
    figures, texts with words in them whose slot the preset lacks, and headings no preset
    writes (an own chapter). A preset keeps them, switched off, at the end."""
    slots = {b.slot for b in new if b.slot}
    ours = _preset_headings()
    return [
        b
        for b in existing
        if (b.kind == BlockKind.FIGURE)
        or (b.kind == BlockKind.TEXT and b.body.strip() and b.slot not in slots)
        or (b.kind == BlockKind.HEADING and (b.level, b.title) not in ours)
    ]


def _sections(blocks: list[ReportBlock]) -> list[tuple[ReportBlock, set[str]]]:
    """Every heading with the slots of the preset texts under it, up to the next heading
    (of any level): the texts a heading is the heading of."""
    sections: list[tuple[ReportBlock, set[str]]] = []
    for block in blocks:
        if block.kind == BlockKind.HEADING:
            sections.append((block, set()))
        elif block.kind == BlockKind.TEXT and block.slot and sections:
            sections[-1][1].add(block.slot)
    return sections


def _renames_carry(existing: list[ReportBlock], blocks: list[ReportBlock]) -> set[int]:
    """Give the preset's headings the analyst's wording; returns the pks of the renamed
    headings that found their place.

    The rule: a heading the analyst renamed (one no preset writes) stays the heading of the
    preset texts that stood under it. The new preset's heading of the same level above any
    of those texts takes its title and numbering. Where the new preset puts those texts
    under a heading of another level, the renamed heading has no place: it is kept switched
    off at the end, like an own chapter (preset_leftovers), and the preview says so. Either
    way a text is never left under a heading it did not stand under, nor the analyst's
    title above texts it did not head.
    """
    ours = _preset_headings()
    taken: set[int] = set()
    carried: set[int] = set()
    new_sections = _sections(blocks)
    for old, slots in _sections(existing):
        if not slots or (old.level, old.title) in ours:
            continue
        for index, (new, new_slots) in enumerate(new_sections):
            if index not in taken and new.level == old.level and slots & new_slots:
                new.title, new.numbered = old.title, old.numbered
                taken.add(index)
                carried.add(old.pk)
                break
    return carried


def preset_preview(*, outline: ReportOutline, preset: str, texts: dict | None = None) -> dict:
    """What applying `preset` would do, without doing it: {"blocks": the preset's blocks as
    they would stand (unsaved), "kept": the analyst's blocks that go to the end switched off}.
    Renamed headings keep their wording where the preset has their place (_renames_carry).
    Raises ValidationError like preset_apply."""
    if preset not in PRESETS or PRESETS[preset][1] != outline.kind:
        raise ValidationError(_("Deze opzet hoort niet bij dit rapport."))
    existing = list(outline.blocks.all())
    kept_texts = {b.slot: b.body for b in existing if b.kind == BlockKind.TEXT and b.slot}
    available = {**STARTING_TEXTS, **kept_texts, **(texts or {})}
    blocks = [_block_from_spec(spec, available) for spec in PRESETS[preset][2]]
    carried = _renames_carry(existing, blocks)
    kept = [b for b in preset_leftovers(existing, blocks) if b.pk not in carried]
    return {"blocks": blocks, "kept": kept}


@transaction.atomic
def preset_apply(*, outline: ReportOutline, preset: str, texts: dict | None = None) -> None:
    """Replace the outline's blocks by a preset's, keeping what the analyst made.

    Texts move to the preset's block with the same slot; what has no place in the preset
    (preset_leftovers: own headings, texts, uploaded figures) is kept at the end, switched
    off, so nothing the analyst made is lost. `texts` (slot -> Markdown) overrides both (the
    demo and imports use it). Raises ValidationError for a preset of another report kind.
    """
    plan = preset_preview(outline=outline, preset=preset, texts=texts)
    blocks, leftovers = plan["blocks"], plan["kept"]
    for block in leftovers:
        block.enabled = False
    outline.blocks.exclude(pk__in=[b.pk for b in leftovers]).delete()
    for order, block in enumerate(blocks, start=1):
        block.outline = outline
        block.order = order
    ReportBlock.objects.bulk_create(blocks)
    for order, block in enumerate(leftovers, start=len(blocks) + 1):
        block.order = order
        block.save(update_fields=["order", "enabled"])
    outline.preset = preset
    outline.save(update_fields=["preset", "updated_at"])


def _renumber(outline: ReportOutline) -> None:
    blocks = list(outline.blocks.order_by("order", "pk"))
    for order, block in enumerate(blocks, start=1):
        block.order = order
    ReportBlock.objects.bulk_update(blocks, ["order"])


@transaction.atomic
def block_add(*, outline: ReportOutline, block: ReportBlock, after: ReportBlock | None = None):
    """Insert a validated, unsaved block after `after` (or at the end)."""
    block.outline = outline
    siblings = list(outline.blocks.order_by("order", "pk"))
    position = siblings.index(after) + 1 if after in siblings else len(siblings)
    siblings.insert(position, block)
    block.order = position + 1
    block.full_clean(exclude=["image"])
    block.save()
    for order, sibling in enumerate(siblings, start=1):
        sibling.order = order
    ReportBlock.objects.bulk_update([s for s in siblings if s.pk != block.pk], ["order"])
    return block


@transaction.atomic
def block_move(*, block: ReportBlock, direction: int) -> None:
    """Move a block one place up (-1) or down (+1); at either end nothing happens."""
    siblings = list(
        ReportBlock.objects.select_for_update()
        .filter(outline_id=block.outline_id)
        .order_by("order", "pk")
    )
    index = next(i for i, b in enumerate(siblings) if b.pk == block.pk)
    target = index + direction
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for order, sibling in enumerate(siblings, start=1):
        sibling.order = order
    ReportBlock.objects.bulk_update(siblings, ["order"])


@transaction.atomic
def block_toggle(*, block: ReportBlock) -> None:
    """Switch a block off (kept, not printed) or on again."""
    block.enabled = not block.enabled
    block.save(update_fields=["enabled"])


@transaction.atomic
def block_delete(*, block: ReportBlock) -> None:
    outline = block.outline
    block.delete()
    _renumber(outline)
