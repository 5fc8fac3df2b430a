"""One notation for a heading's marks, in the editor and in the outline file (.md).

Tester: "{uit}" typed after a heading's title in the editor stayed in the title and was
printed in the heading; the file wrote the same heading as "# Titel {uit}". Now the editor's
title field takes the file's marks ({-}: no number, {uit}: switched off, {- uit}: both, {}:
a title that ends in "}"), explains them, and both give the same block; a heading switched
off or unnumbered in the editor is written back with the same marks."""

import pytest
from django.urls import reverse

from reports.forms import HEADING_MARKS_HELP
from reports.models import BlockKind, ReportBlock
from reports.outline import block_add, block_delete, outline_for
from reports.outline_file import OutlineFileError, file_read, outline_markdown

TYPED = [
    ("Bijlagen", ("Bijlagen", True, True)),
    ("Bijlagen {-}", ("Bijlagen", False, True)),
    ("Bijlagen {uit}", ("Bijlagen", True, False)),
    ("Bijlagen {- uit}", ("Bijlagen", False, False)),
    ("Bijlagen {uit, -}", ("Bijlagen", False, False)),
    ("Bijlagen {UIT}", ("Bijlagen", True, False)),
    ("Set {a, b} {}", ("Set {a, b}", True, True)),
    ("Set {a, b} {uit}", ("Set {a, b}", True, False)),
]


@pytest.fixture
def outline(evaluation):
    outline = outline_for(evaluation, "eindrapport")
    for block in list(outline.blocks.all()):
        block_delete(block=block)
    return outline


def through_the_editor(client, evaluation, outline, typed: str) -> ReportBlock:
    block = block_add(
        outline=outline, block=ReportBlock(kind=BlockKind.HEADING, level=1, title="Oud")
    )
    url = reverse("reports:block", args=[evaluation.slug, block.pk])
    response = client.post(url, {"title": typed, "level": 1, "numbered": "on"})
    assert response.status_code == 302, response.content.decode()
    block.refresh_from_db()
    return block


def through_the_file(outline, typed: str):
    [spec] = file_read(f"# {typed}\n".encode(), "opzet.md", outline).blocks
    return spec


@pytest.mark.parametrize(("typed", "meant"), TYPED, ids=[t for t, _m in TYPED])
def test_the_editor_and_the_file_read_the_same_marks_alike(
    client, analyst, evaluation, outline, typed, meant
):
    client.force_login(analyst)
    block = through_the_editor(client, evaluation, outline, typed)
    assert (block.title, block.numbered, block.enabled) == meant
    spec = through_the_file(outline, typed)
    assert (spec.title, spec.numbered, spec.enabled) == meant


@pytest.mark.parametrize(("typed", "meant"), TYPED, ids=[t for t, _m in TYPED])
def test_what_the_editor_made_is_written_in_the_file_with_the_same_marks(
    client, analyst, evaluation, outline, typed, meant
):
    client.force_login(analyst)
    block = through_the_editor(client, evaluation, outline, typed)
    [spec] = file_read(outline_markdown(outline).encode(), "opzet.md", outline).blocks
    assert (spec.title, spec.numbered, spec.enabled) == (
        block.title,
        block.numbered,
        block.enabled,
    )


def test_a_mark_never_reaches_the_printed_heading(client, analyst, evaluation, outline):
    client.force_login(analyst)
    through_the_editor(client, evaluation, outline, "Bijlagen {-}")
    block_add(outline=outline, block=ReportBlock(kind=BlockKind.TEXT, body="Inhoud."))
    preview = client.get(reverse("reports:preview", args=[evaluation.slug])).content.decode()
    assert "Bijlagen" in preview and "{-}" not in preview


def test_an_unknown_mark_is_refused_alike(client, analyst, evaluation, outline):
    client.force_login(analyst)
    block = block_add(
        outline=outline, block=ReportBlock(kind=BlockKind.HEADING, level=1, title="Oud")
    )
    url = reverse("reports:block", args=[evaluation.slug, block.pk])
    response = client.post(url, {"title": "Kop {nummer}", "level": 1})
    assert response.status_code == 400
    assert "onbekende aanduiding &#x27;{nummer}&#x27;" in response.content.decode()
    with pytest.raises(OutlineFileError) as refused:
        through_the_file(outline, "Kop {nummer}")
    assert "onbekende aanduiding '{nummer}'" in refused.value.messages[0]


def test_the_editor_explains_the_marks(client, analyst, evaluation, outline):
    client.force_login(analyst)
    block = block_add(
        outline=outline, block=ReportBlock(kind=BlockKind.HEADING, level=1, title="Oud")
    )
    html = client.get(reverse("reports:block", args=[evaluation.slug, block.pk])).content
    assert str(HEADING_MARKS_HELP) in html.decode()
    assert "{uit}" in str(HEADING_MARKS_HELP) and "{-}" in str(HEADING_MARKS_HELP)
