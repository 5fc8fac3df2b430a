"""An import only ever creates its own new evaluation, validates everything, and refuses in Dutch."""

import json
import secrets
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evaluatiespiegel.transfer import evaluation_export
from reports.models import HowQuestion, Paradox, Recommendation
from scoring.models import AllocationChange
from sessions.models import Evaluation, KeyMoment, Participant

from .conftest import allocate, points


@pytest.fixture
def original(evaluation, session, verteller, reflector, other_evaluation):
    allocate(session, verteller)
    AllocationChange.objects.create(
        session=session, participant=verteller, new_points=points(), changed_by="Vera"
    )
    Paradox.objects.create(evaluation=evaluation, condition="ambitie", title="Motor versus rem")
    question = HowQuestion.objects.create(
        evaluation=evaluation, condition="ambitie", order=1, text="Hoe?"
    )
    Recommendation.objects.create(how_question=question, order=1, text="Zo.")
    return evaluation


def copy_of(evaluation) -> dict:
    """The export of `evaluation` as a file for another evaluation (new slug, code, tokens)."""
    text = json.dumps(evaluation_export(evaluation))
    for person in evaluation.participants.all():
        text = text.replace(person.token, secrets.token_urlsafe(32))
    data = json.loads(text)
    data["evaluation"].update(slug="kopie", join_code="KPKPKP")
    return data


def run_import(tmp_path, data) -> str:
    path = tmp_path / "evaluatie.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    call_command("import_evaluation", str(path), stdout=StringIO())
    return "ok"


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Evaluation, KeyMoment, Participant, Paradox, HowQuestion, Recommendation)
    }


def test_a_clean_copy_imports_as_a_new_evaluation(tmp_path, original):
    run_import(tmp_path, copy_of(original))
    copy = Evaluation.objects.get(slug="kopie")
    assert copy.participants.count() == 2 and copy.paradoxes.count() == 1
    assert original.paradoxes.count() == 1


def foreign(key):
    def damage(data, original, other):
        {
            "paradoxes": data["paradoxes"][0],
            "how_questions": data["how_questions"][0],
            "recommendations": data["how_questions"][0]["recommendations"][0],
            "key_moments": data["key_moments"][0],
        }[key].update(
            {"evaluation_id": other.pk}
            if key != "recommendations"
            else {"how_question_id": original.how_questions.get().pk}
        )

    return damage


def short_token(data, *_):
    old = data["participants"][0]["token"]
    text = json.dumps(data).replace(old, "abc")
    data.clear()
    data.update(json.loads(text))


DAMAGES = {
    "paradox met evaluation_id": (foreign("paradoxes"), "onbekende velden: evaluation_id"),
    "hoe-vraag met evaluation_id": (foreign("how_questions"), "onbekende velden"),
    "aanbeveling met how_question_id": (foreign("recommendations"), "how_question_id"),
    "sleutelmoment met evaluation_id": (foreign("key_moments"), "onbekende velden"),
    "token van 3 tekens": (short_token, "persoonlijke sleutel heeft niet de juiste vorm"),
    "punten buiten de groep": (
        lambda d, *_: d["sessions"][0]["group"].remove(d["allocations"][0]["participant"]),
        "zat niet in de groep",
    ),
    "geschiedenis geen dict": (
        lambda d, *_: d["history"][0].update(new_points="tien"),
        "precies de vijf condities",
    ),
    "geschiedenis telt niet op": (
        lambda d, *_: d["history"][0]["new_points"].update(ambitie=9),
        "punten verdeeld",
    ),
    "oude punten een lijst": (
        lambda d, *_: d["history"][0].update(old_points=[1, 2]),
        "precies de vijf condities",
    ),
    "titel van 10.000 tekens": (
        lambda d, *_: d["key_moments"][0].update(title="x" * 10_000),
        "niet meer dan 200 tekens",
    ),
    "paradoxtitel van 10.000 tekens": (
        lambda d, *_: d["paradoxes"][0].update(title="x" * 10_000),
        "Paradox 1",
    ),
    "aanbeveling van 10.000 tekens": (
        lambda d, *_: d["how_questions"][0]["recommendations"][0].update(text="x" * 10_000),
        "Aanbeveling 1 bij hoe-vraag 1",
    ),
    "dag 10**30": (lambda d, *_: d["sessions"][0].update(day=10**30), "Sessie 1"),
    "dag 'een'": (lambda d, *_: d["sessions"][0].update(day="een"), "Sessie 1"),
    "dag 0": (lambda d, *_: d["sessions"][0].update(day=0), "Sessie 1"),
    "onthuld 'misschien'": (
        lambda d, *_: d["sessions"][0].update(revealed="misschien"),
        "Sessie 1",
    ),
    "onbekende status": (lambda d, *_: d["sessions"][0].update(state="kapot"), "Sessie 1"),
    "rol onbekend": (lambda d, *_: d["participants"][0].update(role="baas"), "Deelnemer 1"),
    "deelnemer twee keer in een groep": (
        lambda d, *_: d["sessions"][0]["group"].append(d["sessions"][0]["group"][0]),
        "twee keer",
    ),
    "punten als tekst": (lambda d, *_: d["allocations"][0].update(ambitie="2"), "hele getallen"),
    "sleutelmoment als true": (
        lambda d, *_: d["sessions"][0].update(key_moment=True),
        "onbekend sleutelmoment",
    ),
    "paradox is een tekst": (lambda d, *_: d["paradoxes"].append("x"), "verwachte vorm"),
    "tijdstip 30 februari": (
        lambda d, *_: d["history"][0].update(changed_at="2025-02-30T10:00:00+01:00"),
        "Ongeldig tijdstip",
    ),
}


@pytest.mark.parametrize("case", DAMAGES, ids=list(DAMAGES))
def test_a_damaged_file_is_refused_in_dutch_and_changes_nothing(
    tmp_path, original, other_evaluation, case
):
    damage, message = DAMAGES[case]
    data = copy_of(original)
    damage(data, original, other_evaluation)
    before = counts()
    with pytest.raises(CommandError, match=message) as refused:
        run_import(tmp_path, data)
    assert "Niet geïmporteerd" in str(refused.value)
    assert "Traceback" not in str(refused.value)
    assert counts() == before
    assert not other_evaluation.paradoxes.exists() and not other_evaluation.key_moments.exists()


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000 + "]" * 100_000, '{"format": ' + "9" * 5000 + "}", "\xff\xfe"],
    ids=["diep genest", "getal van 5000 cijfers", "geen utf-8"],
)
def test_a_file_that_breaks_the_json_reader_is_refused(tmp_path, db, text):
    path = tmp_path / "raar.json"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(CommandError, match="geen geldige JSON"):
        call_command("import_evaluation", str(path), stdout=StringIO())
