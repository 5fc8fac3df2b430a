"""The wall of the verdiepende slotdialoog (issue 15): prompts, contributions, stippen,
moderation, anonymity, access, and taking contributions into the report."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse

from reports.builder import eindrapport_context, report_render
from reports.catalogue import catalogue_install
from reports.models import (
    ContractTheme,
    ContractThemePoint,
    HowQuestion,
    Paradox,
    ParadoxQuote,
    Recommendation,
)
from reports.wall import contribution_take, curation_context
from sessions.models import (
    CONTRIBUTION_MAX_LENGTH,
    Contribution,
    Participant,
    Prompt,
    Role,
    Vote,
)
from sessions.wall import (
    CLOSED,
    EMPTY,
    HIDDEN,
    MERGED,
    NO_VOTES_LEFT,
    OWN,
    TOO_LONG,
    contribution_delete,
    contribution_edit,
    contribution_merge,
    contribution_moderate,
    contribution_submit,
    prompt_state_set,
    prompts_default_create,
    vote_cast,
    vote_withdraw,
    wall_version,
)

from .conftest import personal_token, write

# --- Writing ---------------------------------------------------------------------------------


def test_a_participant_writes_several_contributions_on_an_open_prompt(prompt, people):
    write(people[0], prompt, "Een")
    write(people[0], prompt, "Twee")
    assert prompt.contributions.filter(participant=people[0]).count() == 2


def test_a_double_click_makes_one_contribution(prompt, people):
    first, created = contribution_submit(
        participant=people[0], prompt_id=prompt.pk, text="Een", client_token="t1"
    )
    again, created_again = contribution_submit(
        participant=people[0], prompt_id=prompt.pk, text="Een", client_token="t1"
    )
    assert created and not created_again and first.pk == again.pk
    assert prompt.contributions.count() == 1


@pytest.mark.parametrize(
    "text,code",
    [
        ("", EMPTY),
        ("   \n ", EMPTY),
        # Looks empty, is empty (second new-user pass: a zero-width space made a blank card).
        ("\u200b", EMPTY),
        ("\ufeff \u2060\n\u200d", EMPTY),
        ("x" * (CONTRIBUTION_MAX_LENGTH + 1), TOO_LONG),
    ],
)
def test_empty_and_too_long_texts_are_refused_in_dutch(prompt, people, text, code):
    with pytest.raises(ValidationError) as caught:
        write(people[0], prompt, text)
    assert caught.value.code == code
    assert prompt.contributions.count() == 0


def test_an_emoji_joined_by_a_zero_width_joiner_is_a_text_and_stays_whole(prompt, people):
    assert (
        write(people[0], prompt, "\U0001f469\u200d\U0001f4bb").text == "\U0001f469\u200d\U0001f4bb"
    )


def test_exactly_the_limit_is_accepted(prompt, people):
    assert (
        len(write(people[0], prompt, "x" * CONTRIBUTION_MAX_LENGTH).text) == CONTRIBUTION_MAX_LENGTH
    )


def test_the_database_refuses_a_too_long_or_empty_contribution(prompt, people):
    # PostgreSQL's varchar answers a too long text with DataError, SQLite's check constraint
    # with IntegrityError: either way the row is refused.
    for text in ("x" * (CONTRIBUTION_MAX_LENGTH + 1), "", "   "):
        with pytest.raises((IntegrityError, DataError)), transaction.atomic():
            Contribution.objects.create(
                prompt=prompt, participant=people[0], text=text, client_token=text or "e"
            )


def test_a_closed_or_unopened_prompt_takes_nothing(prompt, people):
    prompt_state_set(prompt=prompt, action="close")
    with pytest.raises(ValidationError) as caught:
        write(people[0], prompt)
    assert caught.value.code == CLOSED
    assert "gesloten" in caught.value.messages[0]
    draft = Prompt.objects.create(evaluation=prompt.evaluation, title="Later")
    with pytest.raises(ValidationError) as caught:
        write(people[0], draft)
    # Never opened is not "gesloten" (new-user pass): the participant has missed nothing.
    assert caught.value.messages[0].startswith("Deze vraag is nog niet geopend")


def test_a_participant_of_another_evaluation_cannot_write_here(prompt, outsider_participant):
    with pytest.raises(Prompt.DoesNotExist):
        write(outsider_participant, prompt)


def test_only_the_author_edits_and_removes_while_open(prompt, people):
    mine = write(people[0], prompt, "Eerst")
    contribution_edit(participant=people[0], contribution_id=mine.pk, text="Daarna")
    assert Contribution.objects.get(pk=mine.pk).text == "Daarna"
    with pytest.raises(ValidationError):
        contribution_edit(participant=people[1], contribution_id=mine.pk, text="Van mij")
    with pytest.raises(ValidationError):
        contribution_delete(participant=people[1], contribution_id=mine.pk)
    prompt_state_set(prompt=prompt, action="close")
    with pytest.raises(ValidationError):
        contribution_delete(participant=people[0], contribution_id=mine.pk)
    prompt_state_set(prompt=prompt, action="open")
    contribution_delete(participant=people[0], contribution_id=mine.pk)
    assert not Contribution.objects.filter(pk=mine.pk).exists()


# --- Stippen ---------------------------------------------------------------------------------


def test_three_stippen_per_prompt_not_on_ones_own(prompt, people):
    cards = [write(people[i], prompt, f"Kaart {i}") for i in range(1, 5)]
    own = write(people[0], prompt, "Mijn kaart")
    with pytest.raises(ValidationError) as caught:
        vote_cast(participant=people[0], contribution_id=own.pk)
    assert caught.value.code == OWN
    for card in cards[:3]:
        vote_cast(participant=people[0], contribution_id=card.pk)
    vote_cast(participant=people[0], contribution_id=cards[0].pk)  # again: no change
    with pytest.raises(ValidationError) as caught:
        vote_cast(participant=people[0], contribution_id=cards[3].pk)
    assert caught.value.code == NO_VOTES_LEFT
    assert Vote.objects.filter(participant=people[0]).count() == 3
    assert vote_withdraw(participant=people[0], contribution_id=cards[0].pk)
    vote_cast(participant=people[0], contribution_id=cards[3].pk)
    assert Vote.objects.filter(participant=people[0]).count() == 3


def test_the_database_holds_one_stip_per_contribution_and_the_slots(prompt, people):
    card = write(people[1], prompt)
    Vote.objects.create(prompt=prompt, contribution=card, participant=people[0], slot=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(prompt=prompt, contribution=card, participant=people[0], slot=2)
    other = write(people[2], prompt)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(prompt=prompt, contribution=other, participant=people[0], slot=1)


def test_no_stip_on_a_hidden_merged_or_foreign_contribution(prompt, people, outsider_participant):
    hidden = write(people[1], prompt, "Weg")
    contribution_moderate(evaluation=prompt.evaluation, contribution_id=hidden.pk, action="hide")
    with pytest.raises(ValidationError) as caught:
        vote_cast(participant=people[0], contribution_id=hidden.pk)
    assert caught.value.code == HIDDEN
    a, b = write(people[2], prompt, "A"), write(people[3], prompt, "B")
    contribution_merge(evaluation=prompt.evaluation, contribution_id=b.pk, into_id=a.pk)
    with pytest.raises(ValidationError) as caught:
        vote_cast(participant=people[0], contribution_id=b.pk)
    assert caught.value.code == MERGED
    with pytest.raises(Contribution.DoesNotExist):
        vote_cast(participant=outsider_participant, contribution_id=a.pk)


def test_no_stip_on_a_closed_prompt(prompt, people):
    card = write(people[1], prompt)
    prompt_state_set(prompt=prompt, action="close")
    with pytest.raises(ValidationError):
        vote_cast(participant=people[0], contribution_id=card.pk)


# --- The facilitator -------------------------------------------------------------------------


def test_merging_counts_each_voter_once_and_groups_stay_one_level(prompt, people):
    a, b, c = (write(people[i], prompt, t) for i, t in ((1, "A"), (2, "B"), (3, "C")))
    vote_cast(participant=people[0], contribution_id=a.pk)
    vote_cast(participant=people[0], contribution_id=b.pk)
    vote_cast(participant=people[4], contribution_id=b.pk)
    contribution_merge(evaluation=prompt.evaluation, contribution_id=b.pk, into_id=a.pk)
    contribution_merge(evaluation=prompt.evaluation, contribution_id=a.pk, into_id=c.pk)
    from sessions.wall import wall_prompts

    (wall,) = wall_prompts([prompt])
    (card,) = wall.cards
    assert card.pk == c.pk and {m.pk for m in card.merged} == {a.pk, b.pk}
    assert card.votes == 2  # people[0] voted twice inside the group, counted once
    with pytest.raises(ValidationError):
        contribution_merge(evaluation=prompt.evaluation, contribution_id=c.pk, into_id=a.pk)


def test_hidden_contributions_leave_the_projector_and_the_room(client, facilitator, prompt, people):
    _visible, hidden = write(people[1], prompt, "Zichtbaar"), write(people[2], prompt, "Ongepast")
    contribution_moderate(evaluation=prompt.evaluation, contribution_id=hidden.pk, action="hide")
    client.force_login(facilitator)
    projector = client.get(
        reverse("sessions:wall_projector", args=[prompt.evaluation.slug])
    ).content.decode()
    assert "Zichtbaar" in projector and "Ongepast" not in projector
    page = client.get(
        reverse("participant:page", args=[personal_token(people[0])])
    ).content.decode()
    assert "Zichtbaar" in page and "Ongepast" not in page


def test_totals_are_shown_only_after_the_reveal(client, facilitator, prompt, people):
    card = write(people[1], prompt, "Kaart")
    vote_cast(participant=people[0], contribution_id=card.pk)
    client.force_login(facilitator)
    url = reverse("sessions:wall_projector", args=[prompt.evaluation.slug])
    assert "data-votes" not in client.get(url).content.decode()
    prompt_state_set(prompt=prompt, action="reveal")
    assert 'data-votes="1"' in client.get(url).content.decode()


def test_the_room_never_sees_who_wrote_what(client, facilitator, prompt, people, evaluation):
    write(people[1], prompt, "Anoniem punt")
    client.force_login(facilitator)
    projector = client.get(
        reverse("sessions:wall_projector", args=[evaluation.slug])
    ).content.decode()
    other = client.get(
        reverse("participant:page", args=[personal_token(people[0])])
    ).content.decode()
    console = client.get(reverse("sessions:wall", args=[evaluation.slug])).content.decode()
    for html in (projector, other, console):
        assert "Deelnemer 1" not in html
    evaluation.names_in_interim_report = True
    evaluation.save()
    console = client.get(reverse("sessions:wall", args=[evaluation.slug])).content.decode()
    projector = client.get(
        reverse("sessions:wall_projector", args=[evaluation.slug])
    ).content.decode()
    assert "Deelnemer 1" in console and "Deelnemer 1" not in projector


def test_contributions_are_escaped_everywhere(
    client, facilitator, analyst, prompt, people, evaluation
):
    write(people[1], prompt, "<script>alert(1)</script> & <img src=x>")
    client.force_login(facilitator)
    for url in (
        reverse("sessions:wall_projector", args=[evaluation.slug]),
        reverse("sessions:wall", args=[evaluation.slug]),
        reverse("participant:page", args=[personal_token(people[0])]),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "&lt;script&gt;" in html


# --- Live versions ---------------------------------------------------------------------------


def test_the_wall_version_changes_with_every_write_and_not_while_idle(prompt, people):
    seen = {wall_version(prompt.evaluation_id)}
    card = write(people[1], prompt)
    seen.add(wall_version(prompt.evaluation_id))
    assert wall_version(prompt.evaluation_id) in seen  # idle: the same
    vote_cast(participant=people[0], contribution_id=card.pk)
    seen.add(wall_version(prompt.evaluation_id))
    contribution_moderate(evaluation=prompt.evaluation, contribution_id=card.pk, action="pin")
    seen.add(wall_version(prompt.evaluation_id))
    prompt_state_set(prompt=prompt, action="reveal")
    seen.add(wall_version(prompt.evaluation_id))
    assert len(seen) == 5


def test_the_projector_poll_answers_204_while_nothing_changed(client, facilitator, prompt, people):
    client.force_login(facilitator)
    url = reverse("sessions:wall_projector_live", args=[prompt.evaluation.slug])
    first = client.get(url, headers={"HX-Request": "true"})
    version = first.context["version"]
    assert client.get(url, {"v": version}, headers={"HX-Request": "true"}).status_code == 204
    write(people[1], prompt, "Nieuw")
    again = client.get(url, {"v": version}, headers={"HX-Request": "true"})
    assert again.status_code == 200 and "Nieuw" in again.content.decode()


def test_the_projector_link_shows_the_wall_without_login(client, facilitator, prompt, people):
    from sessions.services import projector_link_set

    write(people[1], prompt, "Via de link")
    link = projector_link_set(evaluation=prompt.evaluation, active=True)
    page = client.get(reverse("wall_projector_link", args=[link.token]))
    assert page.status_code == 200 and "Via de link" in page.content.decode()
    facilitator_client = client.__class__()
    facilitator_client.force_login(facilitator)
    console = facilitator_client.get(reverse("sessions:wall", args=[prompt.evaluation.slug]))
    assert reverse("wall_projector_link", args=[link.token]) in console.content.decode()
    projector_link_set(evaluation=prompt.evaluation, active=False)
    assert client.get(reverse("wall_projector_link_live", args=[link.token])).status_code == 286


# --- The participant's pages (with and without JavaScript) -----------------------------------


def test_a_participant_contributes_without_javascript(client, prompt, people):
    token = personal_token(people[0])
    url = reverse("participant:contribute", args=[token, prompt.pk])
    response = client.post(url, {"text": "Zonder script", "client_token": "abc"})
    assert response.status_code == 302
    client.post(url, {"text": "Zonder script", "client_token": "abc"})  # resent
    assert prompt.contributions.filter(text="Zonder script").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Zonder script" in page and "Je bijdrage staat op de wand." in page


def test_a_refused_text_comes_back_with_what_was_typed(client, prompt, people):
    token = personal_token(people[0])
    url = reverse("participant:contribute", args=[token, prompt.pk])
    long = "lang " * 100
    response = client.post(url, {"text": long, "client_token": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "hooguit 280 tekens" in html and long.strip()[:200] in html
    prompt_state_set(prompt=prompt, action="close")
    response = client.post(url, {"text": "Te laat", "client_token": "y"})
    assert response.status_code == 409 and "Te laat" in response.content.decode()


def test_a_participant_votes_with_htmx_and_sees_stippen_left(client, prompt, people):
    card = write(people[1], prompt, "Goed idee")
    token = personal_token(people[0])
    response = client.post(
        reverse("participant:vote", args=[token, card.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Je hebt nog 2 van 3 stippen." in response.content.decode()


def test_a_participant_of_another_evaluation_gets_404(client, prompt, people, outsider_participant):
    card = write(people[1], prompt)
    token = personal_token(outsider_participant)
    assert (
        client.post(
            reverse("participant:contribute", args=[token, prompt.pk]), {"text": "x"}
        ).status_code
        == 404
    )
    assert client.post(reverse("participant:vote", args=[token, card.pk])).status_code == 404
    assert (
        client.post(
            reverse("participant:contribution", args=[token, card.pk]), {"text": "x"}
        ).status_code
        == 404
    )


def test_the_participant_poll_answers_204_while_idle(client, prompt, people):
    token = personal_token(people[0])
    url = reverse("participant:wall", args=[token])
    version = client.get(url, headers={"HX-Request": "true"}).context["version"]
    assert client.get(url, {"v": version}, headers={"HX-Request": "true"}).status_code == 204


# --- Access ----------------------------------------------------------------------------------


def test_an_analyst_cannot_run_the_wall(client, analyst, prompt):
    client.force_login(analyst)
    url = reverse("sessions:prompt_state", args=[prompt.evaluation.slug, prompt.pk])
    assert client.post(url, {"action": "close"}).status_code == 404
    assert Prompt.objects.get(pk=prompt.pk).is_open


def test_another_team_cannot_moderate_our_wall(client, other_facilitator, prompt, people):
    card = write(people[1], prompt)
    client.force_login(other_facilitator)
    url = reverse("sessions:contribution_action", args=[prompt.evaluation.slug, card.pk])
    assert client.post(url, {"action": "hide"}).status_code == 404
    assert not Contribution.objects.get(pk=card.pk).hidden


# --- Default prompts and the report ----------------------------------------------------------


def test_default_prompts_come_from_the_report_and_the_method(evaluation):
    catalogue_install(evaluation=evaluation)
    Paradox.objects.create(
        evaluation=evaluation, condition="ambitie", title="Sterke motor versus effectief proces"
    )
    made = prompts_default_create(evaluation=evaluation)
    titles = [p.title for p in made]
    assert "Ambitie: Sterke motor versus effectief proces" in titles
    assert "Belangen: kracht versus tegenkracht" in titles
    assert "Flexibiliteit · in de alliantie" in titles
    assert "Flexibiliteit · bij D&C" in titles
    # Second new-user pass: "…en hoe gaat het bij Alliantie?" on the alliance's side.
    questions = {p.title: p.question for p in made}
    assert (
        questions["Flexibiliteit · in de alliantie"]
        == "Hoe ging dit in de alliantie? Een voorbeeld."
    )
    assert questions["Flexibiliteit · bij D&C"] == "Hoe gaat dit bij D&C? Een voorbeeld."
    assert evaluation.how_questions.count() == sum(p.key.startswith("hoevraag:") for p in made)
    assert prompts_default_create(evaluation=evaluation) == []  # again: nothing twice


def test_the_analyst_takes_a_contribution_into_the_appendix(evaluation, people):
    catalogue_install(evaluation=evaluation)
    prompts_default_create(evaluation=evaluation)
    question = HowQuestion.objects.filter(evaluation=evaluation).order_by("pk").first()
    prompt = evaluation.prompts.get(key=f"hoevraag:{question.pk}")
    prompt_state_set(prompt=prompt, action="open")
    card = write(people[1], prompt, "Vier de eerste mijlpaal samen.")
    context = curation_context(evaluation)
    assert context["unused"] == 1
    (wall,) = context["walls"]
    assert wall.default_target == f"hoevraag:{question.pk}"
    item = contribution_take(
        evaluation=evaluation,
        contribution_id=card.pk,
        target=wall.default_target,
        text="Vier **samen** de eerste mijlpaal.",
    )
    assert isinstance(item, Recommendation) and item.source_id == card.pk
    assert curation_context(evaluation)["unused"] == 0
    html = report_render("eindrapport", evaluation, for_pdf=False)
    assert "Vier <strong>samen</strong> de eerste mijlpaal." in html
    card.delete()
    assert Recommendation.objects.get(pk=item.pk).source is None  # the report keeps its text


def test_theme_bullets_and_paradox_quotes_reach_the_report(evaluation, people, prompt):
    theme = ContractTheme.objects.create(
        evaluation=evaluation, title="Flexibiliteit", alliance="Ruimte."
    )
    paradox = Paradox.objects.create(
        evaluation=evaluation, condition="relatie", title="Vertrouwen versus scherpte"
    )
    card = write(people[1], prompt, "Wij schoven budget zonder gedoe.")
    contribution_take(
        evaluation=evaluation,
        contribution_id=card.pk,
        target=f"thema:{theme.pk}:ander",
        text="Elke wijziging is een meerwerkdiscussie.",
    )
    contribution_take(
        evaluation=evaluation,
        contribution_id=card.pk,
        target=f"paradox:{paradox.pk}",
        text="Wij schoven budget zonder gedoe.",
    )
    assert ContractThemePoint.objects.get().side == "ander"
    assert ParadoxQuote.objects.get().source_id == card.pk
    context = eindrapport_context(evaluation)
    assert context is not None
    html = report_render("eindrapport", evaluation, for_pdf=False)
    assert (
        "Elke wijziging is een meerwerkdiscussie." in html
        and "Wij schoven budget zonder gedoe." in html
    )


def test_a_contribution_is_taken_once_per_place_but_may_go_elsewhere_too(
    evaluation, people, prompt
):
    """Second new-user pass: "Overnemen" clicked twice made two identical quotes."""
    paradox = Paradox.objects.create(
        evaluation=evaluation, condition="relatie", title="Vertrouwen versus scherpte"
    )
    theme = ContractTheme.objects.create(evaluation=evaluation, title="Flexibiliteit")
    card = write(people[1], prompt, "Wij schoven budget zonder gedoe.")
    take = {"evaluation": evaluation, "contribution_id": card.pk, "text": "Budget schoof mee."}
    contribution_take(target=f"paradox:{paradox.pk}", **take)
    with pytest.raises(ValidationError) as caught:
        contribution_take(target=f"paradox:{paradox.pk}", **take)
    assert caught.value.messages == ["Deze bijdrage staat daar al in het rapport."]
    assert ParadoxQuote.objects.filter(source=card).count() == 1
    contribution_take(target=f"thema:{theme.pk}:alliantie", **take)
    assert ContractThemePoint.objects.filter(source=card).count() == 1


def test_taking_refuses_unknown_targets_and_other_evaluations(
    evaluation, people, prompt, other_evaluation
):
    card = write(people[1], prompt)
    with pytest.raises(ValidationError):
        contribution_take(
            evaluation=evaluation, contribution_id=card.pk, target="hoevraag:999999", text="x"
        )
    with pytest.raises(ValidationError):
        contribution_take(evaluation=evaluation, contribution_id=card.pk, target="", text="x")
    with pytest.raises(Contribution.DoesNotExist):
        contribution_take(evaluation=other_evaluation, contribution_id=card.pk, target="", text="x")


def test_the_interim_report_can_show_the_raw_wall(evaluation, people, prompt):
    write(people[1], prompt, "Rauw van de wand")
    html = report_render("tussenrapportage", evaluation, for_pdf=False)
    assert "Rauw van de wand" in html
    assert "Rauw van de wand" not in report_render("eindrapport", evaluation, for_pdf=False)


def test_a_refused_edit_keeps_the_typed_text_in_the_box(client, prompt, people):
    mine = write(people[0], prompt, "Kort")
    token = personal_token(people[0])
    long = "nieuw " * 60
    response = client.post(
        reverse("participant:contribution", args=[token, mine.pk]), {"text": long}
    )
    assert response.status_code == 400
    assert long.strip()[:100] in response.content.decode()
    assert Contribution.objects.get(pk=mine.pk).text == "Kort"


def test_the_export_has_the_wall_without_formulas_and_with_pseudonyms(evaluation, prompt, people):
    import io

    from openpyxl import load_workbook

    from reports.export import export_xlsx

    write(people[1], prompt, '=HYPERLINK("http://x")')
    evaluation.names_in_interim_report = False
    evaluation.save()
    book = load_workbook(io.BytesIO(export_xlsx(evaluation, pseudonymise=False)))
    rows = list(book["Slotdialoog"].iter_rows(values_only=True))
    # As typed, in a text cell: never a formula (reports/export.py writes strings as strings).
    assert rows[1][3] == '=HYPERLINK("http://x")'
    assert book["Slotdialoog"].cell(row=2, column=4).data_type == "s"
    # Names not allowed: a pseudonym even so, the wall's own (privacy2 item 1).
    assert rows[1][4] == people[1].wall_pseudonym


def test_a_participant_who_wrote_on_the_wall_is_not_removed(prompt, people):
    from sessions.services import participant_remove

    write(people[1], prompt, "Blijft bewaard")
    with pytest.raises(ValidationError):
        participant_remove(participant=people[1])
    assert Contribution.objects.filter(text="Blijft bewaard").exists()


def _queries(client, url, **headers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, headers=headers).status_code == 200
    return len(captured)


def test_the_wall_costs_the_same_queries_for_10_or_60_contributions(
    client, facilitator, prompt, evaluation
):
    """Pinned query counts instead of timings: the wall's polls do not grow with the room."""
    token = personal_token(
        Participant.objects.create(evaluation=evaluation, name="Kijker", role=Role.REFLECTOR)
    )
    client.force_login(facilitator)
    urls = [
        (reverse("participant:wall", args=[token]), {"HX-Request": "true"}),
        (reverse("sessions:wall_projector_live", args=[evaluation.slug]), {"HX-Request": "true"}),
        (reverse("sessions:wall_live", args=[evaluation.slug]), {"HX-Request": "true"}),
    ]

    def room(n, votes=0):
        for i in range(n):
            person = Participant.objects.create(
                evaluation=evaluation, name=f"Schrijver {n}-{i}", role=Role.VERTELLER
            )
            card = write(person, prompt, f"Kaart {i}")
            if i < votes:
                vote_cast(
                    participant=Participant.objects.get(name="Kijker"), contribution_id=card.pk
                )

    room(10, votes=2)
    small = [_queries(client, url, **h) for url, h in urls]
    room(50)
    large = [_queries(client, url, **h) for url, h in urls]
    assert small == large


def test_editing_without_javascript_opens_the_text_in_a_box(client, prompt, people):
    mine = write(people[0], prompt, "Mijn eerste gedachte")
    token = personal_token(people[0])
    page = client.get(reverse("participant:page", args=[token]), {"bewerk": mine.pk})
    html = page.content.decode()
    assert f'id="wijzig-{mine.pk}"' in html and "Mijn eerste gedachte</textarea>" in html
    response = client.post(
        reverse("participant:contribution", args=[token, mine.pk]), {"text": "Beter"}
    )
    assert response.status_code == 302 and Contribution.objects.get(pk=mine.pk).text == "Beter"


def test_a_device_sending_faster_than_a_room_reads_is_slowed_down(prompt, people):
    from sessions.wall import CONTRIBUTIONS_PER_MINUTE, TOO_FAST

    for i in range(CONTRIBUTIONS_PER_MINUTE):
        write(people[0], prompt, f"Nummer {i}")
    with pytest.raises(ValidationError) as caught:
        write(people[0], prompt, "Nog een")
    assert caught.value.code == TOO_FAST
    write(people[1], prompt, "Iemand anders kan gewoon")


def test_the_facilitator_merges_by_number_and_a_wrong_number_is_explained(
    client, facilitator, prompt, people
):
    a, b = write(people[1], prompt, "A"), write(people[2], prompt, "B")
    client.force_login(facilitator)
    url = reverse("sessions:contribution_action", args=[prompt.evaluation.slug, b.pk])
    response = client.post(url, {"action": "merge", "into": "abc"}, follow=True)
    assert "Kies de bijdrage om mee samen te voegen." in response.content.decode()
    response = client.post(url, {"action": "merge", "into": "99999999"}, follow=True)
    assert "Er is geen bijdrage met nummer 99999999 bij deze vraag." in response.content.decode()
    client.post(url, {"action": "merge", "into": str(a.pk)})
    assert Contribution.objects.get(pk=b.pk).merged_into_id == a.pk


def test_an_idle_wall_poll_is_answered_from_the_room_version_without_a_query(
    client, prompt, people, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The wall's polls use the room versions of sessions/live.py (issue 14) with a key of
    their own: idle, no query; a contribution makes the next poll read the database."""
    token = personal_token(people[0])
    url = reverse("participant:wall", args=[token])
    first = client.get(url, headers={"HX-Request": "true"})
    rv, v = first["X-Room-Version"], first.context["version"]
    with django_assert_num_queries(0):
        idle = client.get(url, {"rv": rv, "v": v}, headers={"HX-Request": "true"})
    assert idle.status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        write(people[1], prompt, "Nieuw op de wand")
    fresh = client.get(url, {"rv": rv, "v": v}, headers={"HX-Request": "true"})
    assert fresh.status_code == 200 and "Nieuw op de wand" in fresh.content.decode()
