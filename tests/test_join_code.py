"""A join code that the join form cannot accept can never be saved (issue 9.10)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from sessions.forms import JoinForm
from sessions.models import Evaluation, generate_join_code, is_join_code

ADMIN_FORMSETS = {
    f"{prefix}-{kind}": 0
    for prefix in ["members", "key_moments", "sessions"]
    for kind in ["TOTAL_FORMS", "INITIAL_FORMS"]
}
UNUSABLE = ["TESTDYK", "TSTDY", "OIL101", "ABC2O4", "ABCD€1", "", "ABC 23"]


def join_form_finds(typed: str) -> Evaluation | None:
    form = JoinForm({"code": typed})
    return form.evaluation() if form.is_valid() else None


@pytest.mark.parametrize("code", UNUSABLE)
def test_the_model_refuses_a_code_that_the_join_form_cannot_accept(code, db):
    evaluation = Evaluation(title="Testdijk", slug="testdijk", join_code=code)
    with pytest.raises(ValidationError) as refused:
        evaluation.full_clean()
    assert "join_code" in refused.value.message_dict
    if code:
        assert "geen 0, O, 1, I of L" in " ".join(refused.value.message_dict["join_code"])


@pytest.mark.parametrize("code", UNUSABLE)
def test_the_database_refuses_it_too(code, db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(title="Testdijk", slug="testdijk", join_code=code)


@pytest.mark.parametrize("typed", ["tstdyk", " TST DYK ", "tst-dyk"])
def test_what_the_model_accepts_the_join_form_finds_however_it_was_typed(typed, db):
    evaluation = Evaluation(title="Testdijk", slug="testdijk", join_code=typed)
    evaluation.full_clean()
    evaluation.save()
    assert evaluation.join_code == "TSTDYK"
    assert join_form_finds(typed) == evaluation
    assert join_form_finds(evaluation.join_code) == evaluation


def test_generated_codes_are_always_valid():
    assert all(is_join_code(generate_join_code()) for _ in range(200))


def test_the_admin_refuses_testdyk_with_the_rule_in_dutch(admin_client, db):
    response = admin_client.post(
        "/admin/workshop/evaluation/add/",
        {"title": "X", "slug": "x", "join_code": "TESTDYK", **ADMIN_FORMSETS},
    )
    assert response.status_code == 200
    assert "precies 6 tekens" in response.content.decode()
    assert not Evaluation.objects.filter(slug="x").exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_repairs_codes_saved_before_the_rule():
    executor = MigrationExecutor(connection)
    before = [("workshop", "0005_min_group_size")]
    after = [("workshop", "0007_join_code_format")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("workshop", "Evaluation")
    old.objects.create(title="A", slug="a", join_code="TESTDYK", min_group_size=3)
    old.objects.create(title="B", slug="b", join_code="abc-234", min_group_size=3)
    old.objects.create(title="C", slug="c", join_code="ABC234", min_group_size=3)
    old.objects.create(title="D", slug="d", join_code="OIL101", min_group_size=3)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    codes = dict(Evaluation.objects.values_list("slug", "join_code"))
    assert codes["c"] == "ABC234"  # valid codes stay
    assert codes["b"] != "ABC234"  # normalised it would clash with c: a new one
    assert all(is_join_code(code) for code in codes.values())
    assert len(set(codes.values())) == 4
    for slug, code in codes.items():
        assert join_form_finds(code).slug == slug
