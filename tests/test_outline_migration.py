"""Existing evaluations keep the report they had: the migration to outlines."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("reports", "0004_alter_conclusiontheme_text_and_more"),
    ("workshop", "0003_participant_anonymised"),
]
AFTER = [("reports", "0006_outline")]


@pytest.mark.django_db(transaction=True)
def test_existing_texts_and_switches_move_into_an_outline():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Evaluation = apps.get_model("workshop", "Evaluation")
    ReportText = apps.get_model("reports", "ReportText")
    with_texts = Evaluation.objects.create(title="Met teksten", slug="met")
    Evaluation.objects.create(title="Zonder teksten", slug="zonder")
    ReportText.objects.create(
        evaluation=with_texts, introduction="Onze inleiding.", closing="Dank.", show_roles=False
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Block = apps.get_model("reports", "ReportBlock")
    blocks = Block.objects.filter(outline__evaluation__slug="met", outline__kind="eindrapport")
    assert blocks.get(slot="introduction").body == "Onze inleiding."
    assert blocks.get(slot="closing").body == "Dank."
    assert not blocks.get(part="roles").enabled and blocks.get(part="imbalance").enabled
    titles = list(blocks.filter(kind="heading", level=1).values_list("title", flat=True))
    assert titles[0] == "Inleiding" and titles[-1] == "Bijlage: hoe-vragen en aanbevelingen"
    other = Block.objects.filter(outline__evaluation__slug="zonder")
    assert other.get(slot="method").body.startswith("In een Evaluatiespiegel")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
