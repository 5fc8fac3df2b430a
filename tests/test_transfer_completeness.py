"""The evaluation file (export_evaluation / import_evaluation) holds the whole evaluation.

A model added later used to be forgotten by the export without anyone noticing (the
slotdialoog: prompts, contributions, stippen and the report items' links to them). These
tests walk Django's apps registry: every model with a path to Evaluation, and every field of
it, is either in the file or on the commented exclusion lists of evaluatiespiegel/transfer.py.
The round trip (demo → export → import into an empty database → export) gives the same file.
"""

import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from evaluatiespiegel.management.commands.demo import DEMO_SLUG
from evaluatiespiegel.transfer import (
    EVALUATION_FIELDS,
    EXPORTED,
    NOT_EXPORTED_FIELDS,
    NOT_EXPORTED_MODELS,
    evaluation_export,
)
from reports.models import ContractThemePoint, ParadoxQuote, Recommendation
from reports.wall import contribution_take
from sessions.models import Contribution, Evaluation, Participant, Prompt, Vote
from sessions.wall import contribution_merge, contribution_moderate

pytestmark = pytest.mark.django_db


def _paths_to_evaluation(model, seen=()) -> list[str]:
    """The ORM lookups from `model` to Evaluation ("prompt__evaluation"), following the
    model's own relations (foreign keys, one-to-one, many-to-many)."""
    if model is Evaluation:
        return [""]
    found = []
    for field in model._meta.get_fields():
        target = field.related_model
        if not (field.concrete and field.is_relation and target) or target in (*seen, model):
            continue
        for rest in _paths_to_evaluation(target, (*seen, model)):
            found.append(f"{field.name}__{rest}" if rest else field.name)
    return found


def models_of_an_evaluation() -> dict[str, str]:
    """{label: a lookup to the evaluation} for every model with a path to Evaluation."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        paths = _paths_to_evaluation(model)
        if model is not Evaluation and paths:
            found[model._meta.label] = min(paths, key=len)
    return found


def test_every_model_of_an_evaluation_is_in_the_file_or_excluded_with_a_reason():
    models = models_of_an_evaluation()
    forgotten = sorted(set(models) - set(EXPORTED) - set(NOT_EXPORTED_MODELS))
    assert not forgotten, (
        f"Niet in het exportbestand en niet uitgesloten: {forgotten}. Neem het model op in "
        "evaluatiespiegel/transfer.py (EXPORTED, export en import) of zet het met een reden "
        "op NOT_EXPORTED_MODELS."
    )
    assert not set(EXPORTED) & set(NOT_EXPORTED_MODELS)
    assert set(EXPORTED) | set(NOT_EXPORTED_MODELS) <= set(models), "a stale name on a list"
    assert all(NOT_EXPORTED_MODELS.values())


def test_every_field_of_an_exported_model_is_in_the_file_or_excluded_with_a_reason():
    forgotten = []
    for label, names in [*EXPORTED.items(), ("workshop.Evaluation", EVALUATION_FIELDS)]:
        model = apps.get_model(label)
        parents = set(_direct_parent_fields(model))
        for field in model._meta.concrete_fields:
            key = f"{label}.{field.name}"
            if field.primary_key or field.name in parents or field.name in names:
                continue
            if key not in NOT_EXPORTED_FIELDS:
                forgotten.append(key)
    assert not forgotten, (
        f"Velden niet in het exportbestand en niet uitgesloten: {forgotten}. Neem het veld op "
        "in evaluatiespiegel/transfer.py (EXPORTED, export en import) of zet het met een reden "
        "op NOT_EXPORTED_FIELDS."
    )


def _direct_parent_fields(model) -> list[str]:
    """The relation that puts a row under its parent in the file (nesting stands for it)."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation
        and f.name
        in {"evaluation", "outline", "paradox", "theme", "how_question", "reconstructionsession"}
    ]


@pytest.fixture
def demo_with_a_curated_wall() -> Evaluation:
    """The demo, plus what its wall lacks: a merged, a hidden and a pinned contribution, and
    a quotation, a theme point and a recommendation taken from the wall into the report."""
    call_command("demo", stdout=StringIO())
    evaluation = Evaluation.objects.get(slug=DEMO_SLUG)
    paradox_prompt = evaluation.prompts.get(key="paradox:ambitie")
    first, second, third, *_rest = paradox_prompt.contributions.order_by("pk")
    contribution_merge(evaluation=evaluation, contribution_id=second.pk, into_id=first.pk)
    contribution_moderate(evaluation=evaluation, contribution_id=third.pk, action="hide")
    contribution_moderate(evaluation=evaluation, contribution_id=first.pk, action="pin")
    paradox = evaluation.paradoxes.get(condition="ambitie")
    theme = evaluation.contract_themes.order_by("order").first()
    question_prompt = evaluation.prompts.filter(key__startswith="hoevraag:").order_by("pk")[0]
    card = question_prompt.contributions.order_by("pk").first()
    for target, contribution in (
        (f"paradox:{paradox.pk}", first),
        (f"thema:{theme.pk}:alliantie", third),
        (question_prompt.key, card),
    ):
        contribution_take(
            evaluation=evaluation,
            contribution_id=contribution.pk,
            target=target,
            text=f"Uit de zaal: {contribution.text[:40]}",
        )
    return evaluation


def _rows(evaluation_pk: int) -> dict[str, int]:
    return {
        label: apps.get_model(label)._default_manager.filter(**{path: evaluation_pk}).count()
        for label, path in models_of_an_evaluation().items()
        if label in EXPORTED
    }


def test_the_demo_survives_export_and_import_into_an_empty_database(
    demo_with_a_curated_wall, tmp_path
):
    evaluation = demo_with_a_curated_wall
    before = _rows(evaluation.pk)
    empty = [label for label, count in before.items() if not count]
    assert not empty, f"the round trip proves nothing for {empty}: give the fixture rows"
    path = tmp_path / "evaluatie.json"
    call_command("export_evaluation", DEMO_SLUG, "-o", str(path), stdout=StringIO())
    first = json.loads(path.read_text())
    evaluation.delete()  # the tokens, slug and join code are free again, as on another server
    assert not Prompt.objects.exists() and not Participant.objects.exists()

    call_command("import_evaluation", str(path), stdout=StringIO())

    copy = Evaluation.objects.get(slug=DEMO_SLUG)
    assert _rows(copy.pk) == before
    assert evaluation_export(copy) == first


def test_the_copy_keeps_the_wall_as_the_room_left_it(demo_with_a_curated_wall, tmp_path):
    original = demo_with_a_curated_wall
    data = evaluation_export(original)

    copy = _import_beside(data, tmp_path)

    def wall(evaluation):
        return sorted(
            (
                c.prompt.title,
                c.text,
                c.hidden,
                c.pinned,
                c.merged_into.text if c.merged_into else None,
                c.votes.count(),
            )
            for c in Contribution.objects.filter(prompt__evaluation=evaluation)
        )

    assert wall(copy) == wall(original)
    assert copy.prompts.get(key="paradox:ambitie").votes_revealed
    assert Vote.objects.filter(prompt__evaluation=copy).count() == (
        Vote.objects.filter(prompt__evaluation=original).count()
    )
    question = copy.prompts.filter(kind="aanbeveling").order_by("order", "pk")[0]
    assert question.key == f"hoevraag:{copy.how_questions.get(text=question.title).pk}"
    for model, lookup in (
        (Recommendation, "how_question__evaluation"),
        (ContractThemePoint, "theme__evaluation"),
        (ParadoxQuote, "paradox__evaluation"),
    ):
        item = model.objects.get(**{lookup: copy}, source__isnull=False)
        assert item.source.prompt.evaluation == copy
        assert item.text.startswith("Uit de zaal: " + item.source.text[:20])


def _import_beside(data: dict, tmp_path) -> Evaluation:
    path = tmp_path / "evaluatie.json"
    path.write_text(json.dumps(data))
    call_command("import_evaluation", str(path), "--slug", "kopie", stdout=StringIO())
    return Evaluation.objects.get(slug="kopie")


def test_a_file_written_before_the_slotdialoog_was_in_it_still_imports(
    demo_with_a_curated_wall, tmp_path
):
    data = evaluation_export(demo_with_a_curated_wall)
    del data["slotdialoog"]
    for paradox in data["paradoxes"]:
        del paradox["quotes"]
    for theme in data["contract_themes"]:
        del theme["points"]
    for question in data["how_questions"]:
        for recommendation in question["recommendations"]:
            del recommendation["source"]
    for person in data["participants"]:
        for key in (
            "pseudonym",
            "wall_pseudonym",
            "self_registered",
            "created_at",
            "anonymised_at",
        ):
            del person[key]

    copy = _import_beside(data, tmp_path)

    assert not copy.prompts.exists()
    assert copy.participants.count() == demo_with_a_curated_wall.participants.count()


DAMAGES = {
    "stip op een onbekende bijdrage": (
        lambda d: d["slotdialoog"]["votes"][0].update(contribution=10_000),
        "Stip 1 verwijst naar een onbekende bijdrage",
    ),
    "stip op een eigen bijdrage": (
        lambda d: d["slotdialoog"]["votes"][0].update(
            participant=d["slotdialoog"]["contributions"][
                d["slotdialoog"]["votes"][0]["contribution"]
            ]["participant"]
        ),
        "eigen bijdrage",
    ),
    "bijdrage van 1000 tekens": (
        lambda d: d["slotdialoog"]["contributions"][0].update(text="x" * 1000),
        "Bijdrage 1",
    ),
    "samengevoegd met zichzelf": (
        lambda d: d["slotdialoog"]["contributions"][0].update(merged_into=0),
        "met zichzelf",
    ),
    "bijdrage bij een onbekende vraag": (
        lambda d: d["slotdialoog"]["contributions"][0].update(prompt=-1),
        "onbekende vraag",
    ),
    "vraag met een database-id als herkomst": (
        lambda d: d["slotdialoog"]["prompts"][-1].update(key="hoevraag:1"),
        "onbekend onderdeel van het rapport",
    ),
    "citaat uit een onbekende bijdrage": (
        lambda d: d["paradoxes"][0]["quotes"].append({"order": 9, "text": "x", "source": 999}),
        "verwijst naar een onbekende bijdrage",
    ),
    "onbekende status van een vraag": (
        lambda d: d["slotdialoog"]["prompts"][0].update(state="kapot"),
        "Vraag 1 van de slotdialoog",
    ),
}


@pytest.mark.parametrize("case", DAMAGES, ids=list(DAMAGES))
def test_a_damaged_slotdialoog_is_refused_in_dutch_and_changes_nothing(
    demo_with_a_curated_wall, tmp_path, case
):
    damage, message = DAMAGES[case]
    data = evaluation_export(demo_with_a_curated_wall)
    damage(data)
    before = (Evaluation.objects.count(), Contribution.objects.count(), Vote.objects.count())
    path = tmp_path / "evaluatie.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match=message) as refused:
        call_command("import_evaluation", str(path), "--slug", "kopie", stdout=StringIO())
    assert "Niet geïmporteerd" in str(refused.value)
    assert (Evaluation.objects.count(), Contribution.objects.count(), Vote.objects.count()) == (
        before
    )
