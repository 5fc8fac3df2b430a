"""Upgrading a database that already holds names differing only in case keeps every row: the
migration that makes names unique in any case numbers the later twins first."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("workshop", "0011_slotdialoog")]
AFTER = [("workshop", "0012_dutch_constraint_messages")]


@pytest.mark.django_db(transaction=True)
def test_case_twins_are_numbered_not_lost():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Evaluation = apps.get_model("workshop", "Evaluation")
    Participant = apps.get_model("workshop", "Participant")
    first = Evaluation.objects.create(title="Dijk", slug="dijk", join_code="ABCDEF")
    Evaluation.objects.create(title="Dijk bis", slug="Dijk", join_code="GHJKMN")
    for name in ["Anne de Vries", "anne de vries", "ANNE DE VRIES", "Piet"]:
        Participant.objects.create(
            evaluation=first, name=name, organisation="RWS", role="verteller", token=name
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Evaluation = apps.get_model("workshop", "Evaluation")
    Participant = apps.get_model("workshop", "Participant")
    names = sorted(Participant.objects.values_list("name", flat=True))
    assert names == ["ANNE DE VRIES (3)", "Anne de Vries", "Piet", "anne de vries (2)"]
    assert sorted(Evaluation.objects.values_list("slug", flat=True)) == ["Dijk-2", "dijk"]

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
