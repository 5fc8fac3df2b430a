"""Report text taken over from the slotdialoog follows its source: when the writer withdraws
the contribution, the facilitator hides it or the wall's text changes, the analyst is told in
the report workspace and on the wall page, and decides. Until then a withdrawn or hidden
contribution stays out of the report (the preview, the PDF and the Word file alike).

Tester: a contribution taken into the report ("Overnemen") and then withdrawn by its writer
stayed in the report, and nobody was told."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluatiespiegel.transfer import evaluation_export, evaluation_import
from reports.builder import report_render
from reports.models import ContractTheme, HowQuestion, Paradox
from reports.outline import outline_for, preset_apply
from reports.wall import SOURCED, contribution_take, source_changes
from scoring.conditions import Condition
from sessions.models import Participant, Role
from sessions.wall import (
    contribution_delete,
    contribution_edit,
    contribution_merge,
    contribution_moderate,
)

from .conftest import allocate, write
from .urlmap import add_wall

TAKEN = "Begin met een gezamenlijke startdag."


@pytest.fixture
def room(session, verteller, reflector):
    """An evaluation with scores, a paradox, a how-question, a contract theme and the
    verteller's contribution on an open prompt; the eindrapport with every part."""
    evaluation = session.evaluation
    allocate(session, verteller)
    allocate(session, reflector)
    Paradox.objects.create(
        evaluation=evaluation, condition=Condition.AMBITIE, title="Snel versus zorgvuldig"
    )
    HowQuestion.objects.create(
        evaluation=evaluation, condition=Condition.AMBITIE, text="Hoe houden we het doel vast?"
    )
    ContractTheme.objects.create(evaluation=evaluation, title="Risico's")
    prompt, card = add_wall(evaluation, author=verteller)
    preset_apply(outline=outline_for(evaluation, "eindrapport"), preset="rijk")
    evaluation.test_prompt, evaluation.test_card = prompt, card
    return evaluation


def target(evaluation, kind: str) -> str:
    if kind == "aanbeveling":
        return f"hoevraag:{evaluation.how_questions.get().pk}"
    if kind == "punt":
        return f"thema:{evaluation.contract_themes.get().pk}:alliantie"
    return f"paradox:{evaluation.paradoxes.get().pk}"


def take(evaluation, kind: str):
    return contribution_take(
        evaluation=evaluation,
        contribution_id=evaluation.test_card.pk,
        target=target(evaluation, kind),
        text=TAKEN,
    )


def _withdraw(evaluation, writer):
    contribution_delete(participant=writer, contribution_id=evaluation.test_card.pk)


def _hide(evaluation, writer):
    contribution_moderate(
        evaluation=evaluation, contribution_id=evaluation.test_card.pk, action="hide"
    )


def _edit(evaluation, writer):
    contribution_edit(
        participant=writer, contribution_id=evaluation.test_card.pk, text="Start met een dag."
    )


def _merge_another_in(evaluation, writer):
    other = Participant.objects.create(evaluation=evaluation, name="Ot", role=Role.REFLECTOR)
    second = write(other, evaluation.test_prompt, "En houd die elk jaar.")
    contribution_merge(
        evaluation=evaluation, contribution_id=second.pk, into_id=evaluation.test_card.pk
    )


CHANGES = {
    "ingetrokken": _withdraw,
    "verborgen": _hide,
    "gewijzigd": _edit,
    "samengevoegd": _merge_another_in,
}
STATE = {"ingetrokken": "ingetrokken", "verborgen": "verborgen"}  # the rest: "gewijzigd"
LEFT_OUT = {"ingetrokken", "verborgen"}


def published(evaluation) -> str:
    """The HTML the PDF and the Word file are laid out from (and the preview shows)."""
    return report_render("eindrapport", evaluation, for_pdf=True)


def decide(client, evaluation, change, decision, back="opzet"):
    return client.post(
        reverse("reports:wall", args=[evaluation.slug]),
        {"kind": change.kind, "item": change.item.pk, "decision": decision, "back": back},
    )


@pytest.mark.parametrize("kind", list(SOURCED))
@pytest.mark.parametrize("how", list(CHANGES))
def test_every_change_to_the_source_of_every_taken_item_is_told_where_the_analyst_works(
    client, analyst, room, verteller, kind, how
):
    item = take(room, kind)
    assert TAKEN in published(room)
    assert source_changes(room) == []
    CHANGES[how](room, verteller)
    [change] = source_changes(room)
    assert (change.kind, change.item.pk) == (kind, item.pk)
    assert change.state == STATE.get(how, "gewijzigd")
    client.force_login(analyst)
    for page in ("reports:workspace", "reports:wall"):
        html = client.get(reverse(page, args=[room.slug])).content.decode()
        assert f'data-source-change="{change.state}"' in html
        assert TAKEN in html and 'value="verwijderen"' in html
    # The export does not publish a withdrawn or hidden contribution behind the analyst's back.
    assert (TAKEN in published(room)) is (how not in LEFT_OUT)


@pytest.mark.parametrize("kind", list(SOURCED))
@pytest.mark.parametrize("how", list(CHANGES))
def test_the_analyst_removes_the_item(client, analyst, room, verteller, kind, how):
    item = take(room, kind)
    CHANGES[how](room, verteller)
    client.force_login(analyst)
    response = decide(client, room, source_changes(room)[0], "verwijderen")
    assert response.status_code == 302 and response.url.endswith("#bronnen")
    assert not type(item).objects.filter(pk=item.pk).exists()
    assert source_changes(room) == [] and TAKEN not in published(room)


@pytest.mark.parametrize("kind", list(SOURCED))
@pytest.mark.parametrize("how", list(CHANGES))
def test_the_analyst_keeps_the_item_and_is_not_asked_again(
    client, analyst, room, verteller, kind, how
):
    take(room, kind)
    CHANGES[how](room, verteller)
    client.force_login(analyst)
    decide(client, room, source_changes(room)[0], "houden", back="slotdialoog")
    assert source_changes(room) == []
    assert TAKEN in published(room)


@pytest.mark.parametrize("kind", list(SOURCED))
def test_the_analyst_takes_the_changed_text_over(client, analyst, room, verteller, kind):
    item = take(room, kind)
    _edit(room, verteller)
    client.force_login(analyst)
    decide(client, room, source_changes(room)[0], "bijwerken")
    item.refresh_from_db()
    assert item.text == "Start met een dag."
    assert source_changes(room) == []


def test_a_withdrawn_source_cannot_give_a_new_text(client, analyst, room, verteller):
    take(room, "citaat")
    _withdraw(room, verteller)
    client.force_login(analyst)
    decide(client, room, source_changes(room)[0], "bijwerken")
    assert len(source_changes(room)) == 1  # refused with a message; nothing changed


def test_a_team_member_who_cannot_write_sees_the_notice_without_buttons(
    client, facilitator, room, verteller
):
    take(room, "aanbeveling")
    _withdraw(room, verteller)
    client.force_login(facilitator)
    html = client.get(reverse("reports:workspace", args=[room.slug])).content.decode()
    assert 'data-source-change="ingetrokken"' in html and 'value="verwijderen"' not in html
    change = source_changes(room)[0]
    assert decide(client, room, change, "verwijderen").status_code in (403, 404)
    assert len(source_changes(room)) == 1


def test_finding_the_changes_costs_the_same_for_many_items(
    room, verteller, django_assert_max_num_queries
):
    for kind in SOURCED:
        take(room, kind)
    _edit(room, verteller)
    with django_assert_max_num_queries(6):
        assert len(source_changes(room)) == 3


@pytest.mark.parametrize("kind", list(SOURCED))
def test_taking_over_allows_and_names_the_bound_of_the_place_it_goes_to(room, kind):
    """The takeover said "hooguit 2000 tekens" for every place, while a recommendation holds
    5000: every place's own bound (its model field's) is the one allowed and named."""
    limit = SOURCED[kind]._meta.get_field("text").max_length
    with pytest.raises(ValidationError) as refused:
        contribution_take(
            evaluation=room,
            contribution_id=room.test_card.pk,
            target=target(room, kind),
            text="x" * (limit + 1),
        )
    assert f"hooguit {limit} tekens, nu {limit + 1}" in refused.value.messages[0]
    item = contribution_take(
        evaluation=room,
        contribution_id=room.test_card.pk,
        target=target(room, kind),
        text="x" * limit,
    )
    assert len(item.text) == limit


@pytest.mark.parametrize("how", list(CHANGES))
def test_a_pending_question_travels_with_the_evaluation_file(room, verteller, how):
    """The evaluation file carries what each source said when taken over: a copy asks the
    same question (and leaves out the same withdrawn or hidden text) as the original."""
    take(room, "citaat")
    CHANGES[how](room, verteller)
    data = json.loads(json.dumps(evaluation_export(room), default=str))
    copy = evaluation_import(data, slug="kopie")
    assert [c.state for c in source_changes(copy)] == [c.state for c in source_changes(room)]
    assert (TAKEN in published(copy)) is (TAKEN in published(room))
