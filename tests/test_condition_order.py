"""Every place that lists conditions lists them in the method's order.

The method's order is Ambitie, Belangen, Relatie, Organisatie, Proces (scoring.conditions).
Ordering by the stored code sorts the alphabet instead (… Organisatie, Proces, Relatie): the
analyst's "Overnemen in het rapport" list did so. The evaluation below is written in the
alphabet's order, so pk order is wrong too, and every page and function that lists its
paradoxes or how-questions is checked.
"""

import json

import pytest
from django.urls import reverse

from evaluatiespiegel.transfer import evaluation_export
from reports import builder
from reports.models import HowQuestion, Paradox
from reports.wall import curation_context, prompt_specs, targets, targets_note
from scoring.conditions import Condition, condition_order, condition_rank
from sessions.models import Participant, Prompt, Role
from sessions.wall import contribution_submit, prompt_state_set, prompts_default_create

pytestmark = pytest.mark.django_db

METHOD = [c.value for c in Condition]
ALPHABET = sorted(METHOD)


def marker(kind: str, condition: str) -> str:
    return f"{kind}-{condition.upper()}-MARK"


@pytest.fixture
def written(evaluation):
    """Paradoxes and how-questions written in the alphabet's order, one each."""
    for condition in ALPHABET:
        Paradox.objects.create(
            evaluation=evaluation, condition=condition, title=marker("PARADOX", condition)
        )
        HowQuestion.objects.create(
            evaluation=evaluation, condition=condition, order=1, text=marker("HOEVRAAG", condition)
        )
    return evaluation


def order_in(text: str, kind: str) -> list[str]:
    """The conditions in the order their `kind` markers first appear in `text`."""
    found = {c: text.find(marker(kind, c)) for c in METHOD}
    missing = [c for c, at in found.items() if at < 0]
    assert not missing, f"{kind} of {missing} not listed"
    return sorted(found, key=found.get)


def test_the_helpers_know_the_method_not_the_alphabet(written):
    assert sorted(ALPHABET, key=condition_rank) == METHOD
    assert condition_rank("onbekend") == len(METHOD)
    ordered = Paradox.objects.filter(evaluation=written).order_by(condition_order())
    assert [p.condition for p in ordered] == METHOD
    questions = HowQuestion.objects.order_by(condition_order("condition"), "order")
    assert [q.condition for q in questions] == METHOD


def test_default_orderings_follow_the_method(written):
    assert [p.condition for p in written.paradoxes.all()] == METHOD
    assert [q.condition for q in written.how_questions.all()] == METHOD


def _texts(items) -> str:
    return "\n".join(str(i) for i in items)


FUNCTIONS = {
    "doelen bij overnemen": lambda e: _texts(t.label for t in targets(e)),
    "vragen voor de wand": lambda e: _texts(s.title for s in prompt_specs(evaluation=e)),
    "exportbestand": lambda e: json.dumps(evaluation_export(e)),
    "rapportgegevens": lambda e: _texts(
        [p.title for p in builder.Snapshot(e).paradoxes]
        + [q.text for _c, qs in builder.Snapshot(e).how_questions for q in qs]
    ),
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_functions_that_list_conditions_follow_the_method(written, name):
    text = FUNCTIONS[name](written)
    assert order_in(text, "PARADOX") == METHOD
    assert order_in(text, "HOEVRAAG") == METHOD


def test_the_walls_prompts_follow_the_method_also_with_the_methods_own_paradoxes(evaluation):
    """Only Relatie has a paradox of the report's own: the others come from the method."""
    Paradox.objects.create(evaluation=evaluation, condition="relatie", title="Eigen")
    prompts_default_create(evaluation=evaluation)
    paradox_prompts = evaluation.prompts.filter(kind="paradox").order_by("order")
    assert [p.key.split(":")[1] for p in paradox_prompts] == METHOD


@pytest.fixture
def wall_with_a_card(written):
    prompts_default_create(evaluation=written)
    prompt = written.prompts.filter(kind="paradox").order_by("order").first()
    prompt_state_set(prompt=prompt, action="open")
    person = Participant.objects.create(evaluation=written, name="Wim", role=Role.VERTELLER)
    contribution_submit(participant=person, prompt_id=prompt.pk, text="Goed", client_token="x")
    return written


PAGES = {
    "slotdialoog in het rapport": ("reports:wall", {}, ("PARADOX", "HOEVRAAG")),
    "hoe-vragen bewerken": ("reports:section", {"section": "hoe-vragen"}, ("HOEVRAAG",)),
    "paradoxen bewerken": ("reports:section", {"section": "paradoxen"}, ("PARADOX",)),
    "voorbeeld eindrapport": ("reports:preview", {}, ("PARADOX", "HOEVRAAG")),
    "slotdialoog in de console": ("sessions:wall", {}, ("PARADOX",)),
}


@pytest.mark.parametrize("name", PAGES)
def test_pages_that_list_conditions_follow_the_method(client, analyst, wall_with_a_card, name):
    url_name, kwargs, kinds = PAGES[name]
    client.force_login(analyst)
    page = client.get(reverse(url_name, kwargs={"slug": wall_with_a_card.slug, **kwargs}))
    assert page.status_code == 200
    for kind in kinds:
        assert order_in(page.content.decode(), kind) == METHOD, kind


def test_the_admin_lists_follow_the_method(admin_client, written):
    for model in ("paradox", "howquestion"):
        page = admin_client.get(reverse(f"admin:reports_{model}_changelist"))
        kind = "PARADOX" if model == "paradox" else "HOEVRAAG"
        assert order_in(page.content.decode(), kind) == METHOD


# --- Why only some places are offered ------------------------------------------------------


def test_without_paradoxes_or_themes_the_list_says_why_only_how_questions_are_offered(
    client, analyst, evaluation
):
    HowQuestion.objects.create(evaluation=evaluation, condition="ambitie", text="Hoe dan?")
    prompt = Prompt.objects.create(evaluation=evaluation, title="Vrij", state="open")
    person = Participant.objects.create(evaluation=evaluation, name="Wim", role=Role.VERTELLER)
    contribution_submit(participant=person, prompt_id=prompt.pk, text="Goed", client_token="x")
    client.force_login(analyst)

    page = client.get(reverse("reports:wall", args=[evaluation.slug])).content.decode()

    assert "Alleen hoe-vragen zijn te kiezen" in page
    assert "nog geen paradoxen en geen thema" in page
    assert 'aria-describedby="doel-' in page


@pytest.mark.parametrize(
    "paradox, theme, question, expected",
    [
        (True, True, True, ""),
        (False, True, True, "nog geen paradoxen;"),
        (True, False, True, "nog geen thema's contractvormen;"),
        (True, True, False, "nog geen hoe-vragen;"),
        (True, False, False, "nog geen thema's contractvormen en geen hoe-vragen"),
        (False, False, True, "Alleen hoe-vragen"),
        (False, False, False, "schrijf die eerst"),
    ],
)
def test_the_note_names_exactly_what_the_report_lacks(
    evaluation, paradox, theme, question, expected
):
    from reports.models import ContractTheme

    if paradox:
        Paradox.objects.create(evaluation=evaluation, condition="proces", title="P")
    if theme:
        ContractTheme.objects.create(evaluation=evaluation, title="T")
    if question:
        HowQuestion.objects.create(evaluation=evaluation, condition="proces", text="H")
    note = targets_note(targets(evaluation))
    assert (note == "") if not expected else (expected in note)
    assert curation_context(evaluation)["targets_note"] == note
