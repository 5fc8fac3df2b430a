"""Applying a preset after the analyst renamed a heading: the rule (reports.outline
._renames_carry) is that a renamed heading stays the heading of the preset texts that stood
under it, where the new preset has a heading of the same level above them; otherwise it is
kept, switched off, at the end and the preview says so. A new-user pass renamed
"Aanleiding", applied another preset, and found the text under "Aanleiding" again and the
own title alone at the end."""

import pytest
from django.urls import reverse

from reports.models import BlockKind
from reports.outline import outline_for, preset_apply
from reports.presets import PRESETS

RENAMED = "Hernoemd door de analist"
EINDRAPPORT = [name for name, (_l, kind, _b) in PRESETS.items() if kind == "eindrapport"]


def _heading_of(blocks, slot):
    """The heading directly above the text with `slot` (nearest heading before it)."""
    above = None
    for block in blocks:
        if block.kind == BlockKind.HEADING:
            above = block
        elif block.slot == slot:
            return above
    raise AssertionError(slot)


def _slot_headings(preset: str) -> list[tuple[int, str, frozenset]]:
    """(level, title, slots) of every heading of `preset` that heads preset texts."""
    found, current = [], None
    for spec in PRESETS[preset][2]:
        if spec[0] == "heading":
            current = [spec[1], spec[2], set()]
            found.append(current)
        elif spec[0] == "text" and current is not None:
            current[2].add(spec[1])
    return [(level, title, frozenset(slots)) for level, title, slots in found if slots]


CASES = [
    (before, after, level, title, slots)
    for before in EINDRAPPORT
    for after in EINDRAPPORT
    for level, title, slots in _slot_headings(before)
]


@pytest.mark.parametrize(
    ("before", "after", "level", "title", "slots"),
    CASES,
    ids=[f"{b}-{a}-{t[:20]}" for b, a, _lv, t, _s in CASES],
)
def test_a_renamed_heading_stays_above_its_texts_or_is_kept_apart(
    evaluation, before, after, level, title, slots
):
    outline = outline_for(evaluation, "eindrapport")
    preset_apply(outline=outline, preset=before)
    heading = outline.blocks.get(kind=BlockKind.HEADING, level=level, title=title)
    heading.title, heading.numbered = RENAMED, False
    heading.save()

    preset_apply(outline=outline, preset=after)

    blocks = list(outline.blocks.order_by("order"))
    renamed = [b for b in blocks if b.kind == BlockKind.HEADING and b.title == RENAMED]
    assert len(renamed) == 1, "the analyst's title is neither lost nor doubled"
    new_slots = {spec[1] for spec in PRESETS[after][2] if spec[0] == "text"}
    placed = {
        slot: _heading_of(blocks, slot)
        for slot in slots & new_slots
        if _heading_of(blocks, slot) is not None
    }
    same_level_above = [s for s, h in placed.items() if h.level == level]
    if renamed[0].enabled:
        # In place: above at least one of its texts, with the analyst's numbering, and
        # above no text that stood under another heading before (a text new to the outline
        # may join it).
        assert any(h.title == RENAMED for h in placed.values())
        assert renamed[0].numbered is False
        old_slots = {spec[1] for spec in PRESETS[before][2] if spec[0] == "text"}
        for block in blocks:
            if block.slot in old_slots and _heading_of(blocks, block.slot).title == RENAMED:
                assert block.slot in slots
    else:
        # No place of its level above its texts: kept at the end, off, and none of its
        # texts is headed by it.
        assert not same_level_above
        assert renamed[0].order > max(b.order for b in blocks if b.enabled)


def test_renaming_aanleiding_keeps_the_name_above_its_text(client, analyst, evaluation):
    outline = outline_for(evaluation, "eindrapport")
    heading = outline.blocks.get(kind=BlockKind.HEADING, title="Aanleiding")
    heading.title = "Waarom deze evaluatie"
    heading.save()
    client.force_login(analyst)
    url = reverse("reports:preset", args=[evaluation.slug, "eindrapport"])
    preview = client.post(url, {"preset": "rijk"}).content.decode()
    assert "Kop 2: Waarom deze evaluatie" in preview
    assert "Kop 2: Aanleiding" not in preview

    client.post(url, {"preset": "rijk", "bevestig": "1"})

    blocks = list(outline.blocks.order_by("order"))
    assert _heading_of(blocks, "reason").title == "Waarom deze evaluatie"
    assert not outline.blocks.filter(title="Aanleiding").exists()
    assert all(b.enabled for b in blocks if b.kind == BlockKind.HEADING)


def test_a_renamed_heading_without_a_place_is_named_in_the_preview(client, analyst, evaluation):
    """'Meervoudige blik' (level 3 above the method text in 'bron') has no level-3 heading
    above that text in 'rijk': the preview lists it as kept apart."""
    outline = outline_for(evaluation, "eindrapport")
    heading = outline.blocks.get(title="Meervoudige blik vanuit de praktijk")
    heading.title = "Veel ogen"
    heading.save()
    client.force_login(analyst)
    url = reverse("reports:preset", args=[evaluation.slug, "eindrapport"])
    preview = client.post(url, {"preset": "rijk"}).content.decode()
    kept = preview.split("De nieuwe opzet")[0]
    assert "Kop 3: Veel ogen" in kept
