"""The wall's rules after a second new-user pass (issue 15): no stip counts on a card that holds
one's own contribution, a stip is never locked where its voter cannot take it off, and a
pinned card says so in words on every screen that shows it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sessions.models import Prompt, Vote
from sessions.services import projector_link_set
from sessions.wall import (
    OWN,
    contribution_merge,
    contribution_moderate,
    prompt_state_set,
    vote_cast,
    vote_withdraw,
    wall_prompts,
)

from .conftest import personal_token, write

HTMX = {"HX-Request": "true"}


def card_of(prompt, pk, participant=None):
    (wall,) = wall_prompts([prompt], participant=participant)
    return next(card for card in wall.cards if card.pk == pk), wall


# --- Merging and stips ------------------------------------------------------------------------


@pytest.mark.parametrize("direction", ["mine_into_theirs", "theirs_into_mine"])
def test_a_merge_returns_the_stip_of_a_voter_whose_own_contribution_joins_the_card(
    prompt, people, direction
):
    theirs, mine = write(people[1], prompt, "Hun kaart"), write(people[2], prompt, "Mijn kaart")
    vote_cast(participant=people[2], contribution_id=theirs.pk)
    moved, into = (mine, theirs) if direction == "mine_into_theirs" else (theirs, mine)
    card_pk = contribution_merge(
        evaluation=prompt.evaluation, contribution_id=moved.pk, into_id=into.pk
    ).pk
    assert not Vote.objects.filter(participant=people[2]).exists()
    card, wall = card_of(prompt, card_pk, people[2])
    assert card.votes == 0 and wall.votes_left == prompt.votes_per_person


def test_nobody_can_give_a_stip_to_a_card_that_holds_their_own_contribution(prompt, people):
    theirs, mine = write(people[1], prompt, "Hun kaart"), write(people[2], prompt, "Mijn kaart")
    contribution_merge(evaluation=prompt.evaluation, contribution_id=mine.pk, into_id=theirs.pk)
    with pytest.raises(ValidationError) as refused:
        vote_cast(participant=people[2], contribution_id=theirs.pk)
    assert refused.value.code == OWN
    assert "eigen bijdrage" in refused.value.messages[0]


def test_the_participant_page_offers_no_stip_on_a_card_with_their_own_contribution(
    client, prompt, people
):
    theirs, mine = write(people[1], prompt, "Hun kaart"), write(people[2], prompt, "Mijn kaart")
    contribution_merge(evaluation=prompt.evaluation, contribution_id=mine.pk, into_id=theirs.pk)
    html = client.get(reverse("participant:page", args=[personal_token(people[2])])).content
    html = html.decode()
    assert "Hier staat je eigen bijdrage bij: geen stip." in html
    assert f"/bijdragen/{theirs.pk}/stip/" not in html


def test_a_stip_given_before_a_merge_shows_on_the_card_and_can_be_taken_off(prompt, people):
    a, b = write(people[1], prompt, "A"), write(people[2], prompt, "B")
    vote_cast(participant=people[0], contribution_id=b.pk)
    contribution_merge(evaluation=prompt.evaluation, contribution_id=b.pk, into_id=a.pk)
    card, _wall = card_of(prompt, a.pk, people[0])
    assert card.voted and card.votes == 1
    assert vote_withdraw(participant=people[0], contribution_id=a.pk)
    card, wall = card_of(prompt, a.pk, people[0])
    assert not card.voted and card.votes == 0 and wall.votes_left == prompt.votes_per_person


def test_a_voter_with_two_stips_in_one_merged_group_gets_one_back(prompt, people):
    a, b = write(people[1], prompt, "A"), write(people[2], prompt, "B")
    vote_cast(participant=people[0], contribution_id=a.pk)
    vote_cast(participant=people[0], contribution_id=b.pk)
    contribution_merge(evaluation=prompt.evaluation, contribution_id=b.pk, into_id=a.pk)
    assert Vote.objects.filter(participant=people[0]).count() == 1
    card, wall = card_of(prompt, a.pk, people[0])
    assert card.votes == 1 and wall.votes_left == prompt.votes_per_person - 1
    # A stip again on the card is no change, not a second place taken.
    vote_cast(participant=people[0], contribution_id=a.pk)
    assert Vote.objects.filter(participant=people[0]).count() == 1


def test_hiding_a_card_returns_its_stips_to_their_voters(prompt, people):
    a, b = write(people[1], prompt, "A"), write(people[2], prompt, "B")
    contribution_merge(evaluation=prompt.evaluation, contribution_id=b.pk, into_id=a.pk)
    vote_cast(participant=people[0], contribution_id=a.pk)
    contribution_moderate(evaluation=prompt.evaluation, contribution_id=a.pk, action="hide")
    assert not Vote.objects.filter(participant=people[0]).exists()
    (wall,) = wall_prompts([prompt], participant=people[0])
    assert wall.votes_left == prompt.votes_per_person


def test_a_stip_left_on_a_card_with_the_voters_own_contribution_never_counts(prompt, people):
    """Stips from before the rule was kept (or written around the service) still do not count."""
    a, b = write(people[1], prompt, "A"), write(people[2], prompt, "B")
    Vote.objects.create(prompt=prompt, contribution=a, participant=people[2], slot=1)
    type(b).objects.filter(pk=b.pk).update(merged_into=a)
    card, _wall = card_of(prompt, a.pk)
    assert card.votes == 0


# --- Pinned, in words -------------------------------------------------------------------------


def test_a_pinned_card_is_labelled_vastgezet_on_every_screen(
    client, facilitator, analyst, prompt, people
):
    theirs, mine = write(people[1], prompt, "Vast punt"), write(people[0], prompt, "Eigen vast")
    for card in (theirs, mine):
        contribution_moderate(evaluation=prompt.evaluation, contribution_id=card.pk, action="pin")
    slug = prompt.evaluation.slug
    link = projector_link_set(evaluation=prompt.evaluation, active=True)
    label = '<p class="wall-pinned">Vastgezet</p>'
    anonymous = {
        "deelnemer": reverse("participant:page", args=[personal_token(people[0])]),
        "projectorlink": reverse("wall_projector_link", args=[link.token]),
    }
    for role, url in anonymous.items():
        html = client.get(url).content.decode()
        assert html.count(label) == 2, role
    for user, urls in (
        (facilitator, [reverse("sessions:wall_projector", args=[slug])]),
        (facilitator, [reverse("sessions:wall", args=[slug])]),
        (analyst, [reverse("reports:wall", args=[slug])]),
    ):
        client.force_login(user)
        for url in urls:
            assert client.get(url).content.decode().count(label) == 2, url


def test_vastgezet_means_marked_and_first_on_every_screen_and_export_of_the_wall(
    client, facilitator, analyst, prompt, people
):
    """A pinned card is marked and comes first wherever the wall is shown or exported, even
    before an older card with more stippen: the screens, the tussenrapportage (HTML, which
    the PDF and the Word file are made from) and the spreadsheet export."""
    import io

    from docx import Document

    from reports.builder import report_docx
    from reports.export import wall_rows

    older = write(people[1], prompt, "Oude kaart met stippen")
    pinned = write(people[2], prompt, "Jonge vastgezette kaart")
    for voter in people[3:]:
        vote_cast(participant=voter, contribution_id=older.pk)
    contribution_moderate(evaluation=prompt.evaluation, contribution_id=pinned.pk, action="pin")
    prompt_state_set(prompt=prompt, action="reveal")
    slug = prompt.evaluation.slug
    link = projector_link_set(evaluation=prompt.evaluation, active=True)
    screens = [
        (None, reverse("participant:page", args=[personal_token(people[0])])),
        (None, reverse("wall_projector_link", args=[link.token])),
        (facilitator, reverse("sessions:wall_projector", args=[slug])),
        (facilitator, reverse("sessions:wall", args=[slug])),
        (analyst, reverse("reports:wall", args=[slug])),
        (analyst, reverse("reports:interim_preview", args=[slug])),
    ]
    for user, url in screens:
        if user is not None:
            client.force_login(user)
        html = client.get(url).content.decode()
        assert html.count('class="wall-pinned"') == 1, url
        marker = html.index('class="wall-pinned"')
        assert marker < html.index("Jonge vastgezette kaart") < html.index("Oude kaart"), url
    rows = wall_rows(prompt.evaluation, pseudonymise=True)
    assert [row[3] for row in rows] == ["Jonge vastgezette kaart", "Oude kaart met stippen"]
    assert rows[0][7] == "ja"
    # The Word file of the tussenrapportage, made from its HTML.
    document = Document(io.BytesIO(report_docx("tussenrapportage", prompt.evaluation)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert text.count("Vastgezet") == 1
    assert text.index("Vastgezet") < text.index("Jonge vastgezette kaart") < text.index("Oude")


# --- The participant's status line knows the wall ----------------------------------------------


def test_the_status_line_says_the_slotdialoog_is_open_when_no_round_is(client, prompt, people):
    html = client.get(reverse("participant:page", args=[personal_token(people[0])])).content
    html = html.decode()
    assert "De slotdialoog is open" in html
    assert "Schrijf hieronder mee op de wand bij de open vraag." in html
    assert "Er is nu geen ronde open" not in html


def test_the_status_line_waits_for_a_round_when_the_wall_is_not_open(client, prompt, people):
    prompt_state_set(prompt=prompt, action="close")
    html = client.get(reverse("participant:page", args=[personal_token(people[0])])).content
    html = html.decode()
    assert "Er is nu geen ronde open voor jouw groep." in html
    assert "De slotdialoog is open" not in html


def test_the_participants_status_follows_a_prompt_opening_at_the_next_poll(
    client, evaluation, people, django_capture_on_commit_callbacks
):
    later = Prompt.objects.create(evaluation=evaluation, title="Straks")
    url = reverse("participant:live", args=[personal_token(people[0])])
    first = client.get(url, headers=HTMX)
    params = {"sig": first.context["signature"], "rv": first.headers["X-Room-Version"]}
    assert client.get(url, params, headers=HTMX).status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        prompt_state_set(prompt=later, action="open")
    opened = client.get(url, params, headers=HTMX)
    assert opened.status_code == 200 and "De slotdialoog is open" in opened.content.decode()


# --- The evaluation's projector link follows the room (the rule: tests/test_projector_follows.py)


def test_a_projector_link_for_one_group_stays_on_its_round(client, session, evaluation):
    link = projector_link_set(evaluation=evaluation, active=True)
    prompt = Prompt.objects.create(evaluation=evaluation, title="Welke aanbeveling?")
    prompt_state_set(prompt=prompt, action="open")
    url = reverse("projector_link_session_live", args=[link.token, session.pk])
    response = client.get(url, headers=HTMX)
    assert response.status_code == 200 and "HX-Redirect" not in response.headers


# --- A released name never throws away what was being typed -----------------------------------


def _released(person):
    from sessions.services import claim_release

    token = personal_token(person)
    claim_release(participant=person)
    return token


def test_a_released_name_on_the_wall_page_shows_the_news_in_place_without_a_jump(
    client, prompt, people
):
    token = _released(people[0])
    wall_page = f"http://testserver/p/{token}/slotdialoog/vragen/{prompt.pk}/schrijven/"
    response = client.get(
        reverse("participant:wall", args=[token]),
        headers={**HTMX, "HX-Current-URL": wall_page, "HX-Target": "slotdialoog"},
    )
    assert "HX-Redirect" not in response.headers  # the typed text stays on the page
    assert response.status_code == 286 and response["HX-Retarget"] == "#participant-live"
    assert "Je persoonlijke link werkt niet meer" in response.content.decode()
    assert response["X-Draft-Keep"] == "1"


def test_a_contribution_sent_after_the_release_keeps_its_text_as_a_draft(client, prompt, people):
    token = _released(people[0])
    response = client.post(
        reverse("participant:contribute", args=[token, prompt.pk]),
        {"text": "Wat ik net typte", "client_token": "x"},
        headers={**HTMX, "HX-Current-URL": f"http://testserver/p/{token}/"},
    )
    assert response.status_code == 200 and "HX-Redirect" not in response.headers
    assert response["HX-Retarget"] == "#participant-live"
    assert "Je persoonlijke link werkt niet meer" in response.content.decode()
    # A 2xx that saved nothing: the tab keeps the draft (static/js/drafts.js).
    assert response["X-Draft-Keep"] == "1"
    assert not prompt.contributions.exists()


def test_every_participant_page_keeps_drafts_without_the_token_in_their_key(client, prompt, people):
    token = personal_token(people[0])
    refused = client.post(
        reverse("participant:contribute", args=[token, prompt.pk]), {"text": "x" * 400}
    )
    for html in (
        client.get(reverse("participant:page", args=[token])).content.decode(),
        refused.content.decode(),
    ):
        assert 'id="draft-notice"' in html and "js/drafts.js" in html
        assert 'id="participant-live"' in html
    leave = client.get(reverse("participant:leave")).content.decode()
    assert "data-drafts-forget" in leave


def test_the_export_counts_the_stippen_the_wall_shows(prompt, people):
    """One rule for counting stippen (sessions.wall.wall_prompts): a merged card counts each
    voter once and never its own authors. The export counted the votes on each row, so a
    merged card had fewer stippen in the spreadsheet than on the wall, and its members more."""
    from reports.export import WALL_COLUMNS, wall_rows

    card = write(people[0], prompt, "Samen beginnen")
    twin = write(people[1], prompt, "Samen starten")
    alone = write(people[2], prompt, "Eerst luisteren")
    for voter in people[2:]:
        vote_cast(participant=voter, contribution_id=twin.pk)
    vote_cast(participant=people[3], contribution_id=card.pk)
    vote_cast(participant=people[1], contribution_id=alone.pk)
    contribution_merge(evaluation=prompt.evaluation, contribution_id=twin.pk, into_id=card.pk)

    shown = {c.pk: c.votes for w in wall_prompts([prompt], team=True) for c in w.cards}
    column = WALL_COLUMNS.index("stippen")
    exported = {row[2]: row[column] for row in wall_rows(prompt.evaluation, pseudonymise=True)}
    assert exported[card.pk] == shown[card.pk] == 3  # people 2, 3, 4, each once
    assert exported[alone.pk] == shown[alone.pk] == 1
    assert exported[twin.pk] == ""  # counted on the card it was merged into
