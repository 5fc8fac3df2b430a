"""One label per block, wherever the analyst sees a list of blocks: the workspace, the preview
of a preset, the preview of an imported file and the command line say the same thing. (A
new-user pass found an empty text named "tekst" in the preset preview and "(leeg)" in the
import preview.)"""

import io

import pytest
from django.urls import reverse
from PIL import Image

from reports.images import image_clean
from reports.models import BlockKind, ReportBlock, block_content, block_summary
from reports.outline import block_add, outline_for
from reports.outline_file import BlockSpec, outline_import_preview, outline_import_stage

EMPTY = "(leeg: wordt niet afgedrukt)"
NO_CAPTION = "(zonder bijschrift)"


def _png() -> tuple[bytes, str]:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return image_clean(io.BytesIO(buffer.getvalue()))


@pytest.fixture
def unlabelled(evaluation):
    """An outline with an empty text and a figure without caption, both the analyst's own."""
    outline = outline_for(evaluation, "eindrapport")
    block_add(outline=outline, block=ReportBlock(kind=BlockKind.TEXT, body=""))
    data, image_type = _png()
    block_add(
        outline=outline,
        block=ReportBlock(kind=BlockKind.FIGURE, title="", image=data, image_type=image_type),
    )
    return outline


@pytest.mark.parametrize(
    ("kind", "label"), [(BlockKind.TEXT, EMPTY), (BlockKind.FIGURE, NO_CAPTION)]
)
def test_a_block_and_an_imported_block_have_the_same_label(kind, label):
    saved = ReportBlock(kind=kind, title="", body="", image_type="image/png")
    spec = BlockSpec(kind, "", title="", body="")
    assert str(saved) == block_content(spec) == label
    assert block_summary(saved) == block_summary(spec)
    assert label in block_summary(spec)


def test_the_workspace_names_empty_blocks_with_the_one_label(client, analyst, unlabelled):
    client.force_login(analyst)
    html = client.get(reverse("reports:outline", args=[unlabelled.evaluation.slug, "eindrapport"]))
    text = html.content.decode()
    assert EMPTY in text and NO_CAPTION in text
    # The buttons' hidden names too (they were "Omhoog: tekst").
    assert "Omhoog: tekst<" not in text and f"Omhoog: {EMPTY}" in text


def test_the_preset_preview_names_empty_blocks_with_the_one_label(client, analyst, unlabelled):
    client.force_login(analyst)
    url = reverse("reports:preset", args=[unlabelled.evaluation.slug, "eindrapport"])
    html = client.post(url, {"preset": "rijk"}).content.decode()
    assert f"Tekst: {EMPTY}" in html
    assert f"Figuur (afbeelding, 100%): {NO_CAPTION}" in html
    assert "tekst: tekst" not in html.lower()


def test_the_import_preview_names_empty_blocks_with_the_one_label(analyst, unlabelled):
    markdown = "# Hoofdstuk\n\nEen tekst.\n"
    draft, _plan = outline_import_stage(
        outline=unlabelled, data=markdown.encode(), filename="opzet.md", user=analyst
    )
    _plan, changes, _fingerprint = outline_import_preview(draft)
    removed = [c.summary for c in changes if c.op == "-"]
    assert f"Tekst: {EMPTY}" in removed
    assert f"Figuur (afbeelding, 100%): {NO_CAPTION}" in removed
