"""A personal page whose name was released (or removed) while it stood open: whatever is done on
it answers where it was done, says what happened, and keeps what was typed in sight. A new-user
pass found the wall's buttons doing nothing visible: the news went to the rounds' region, which
already showed it."""

import pytest
from django.urls import reverse

from sessions.models import Participant
from sessions.services import claim_release, participant_anonymise
from tests.conftest import personal_token, write

TYPED = "Betrek de aannemer eerder bij het ontwerp."


def _actions(token: str, prompt, own, other) -> list[tuple[str, str, dict]]:
    """Every write the personal page's wall offers: (what, URL, form)."""
    return [
        ("schrijven", reverse("participant:contribute", args=[token, prompt.pk]), {"text": TYPED}),
        ("wijzigen", reverse("participant:contribution", args=[token, own.pk]), {"text": TYPED}),
        (
            "weghalen",
            reverse("participant:contribution", args=[token, own.pk]),
            {"action": "delete"},
        ),
        ("stip", reverse("participant:vote", args=[token, other.pk]), {}),
    ]


@pytest.mark.parametrize("ended_by", ["vrijgegeven", "verwijderd"])
@pytest.mark.parametrize("action", ["schrijven", "wijzigen", "weghalen", "stip"])
def test_a_wall_action_from_a_page_whose_name_ended_answers_on_the_wall(
    client, prompt, people, ended_by, action
):
    writer, other_writer = people[0], people[1]
    token = personal_token(writer)
    page = reverse("participant:page", args=[token])
    own = write(writer, prompt, "Eerste gedachte")
    other = write(other_writer, prompt, "Van een ander")
    url, form = next((u, f) for what, u, f in _actions(token, prompt, own, other) if what == action)
    if ended_by == "vrijgegeven":
        claim_release(participant=writer)
    else:
        participant_anonymise(participant=Participant.objects.get(pk=writer.pk))

    response = client.post(
        url,
        form,
        headers={"HX-Request": "true", "HX-Target": "slotdialoog", "HX-Current-URL": page},
    )

    # htmx swaps a 2xx into the wall itself: the news stands where the button was pressed.
    assert response.status_code == 200
    assert "HX-Retarget" not in response.headers
    html = response.text
    assert html.lstrip().startswith('<div id="slotdialoog"')
    assert 'role="alert"' in html
    if ended_by == "vrijgegeven":
        assert "Je persoonlijke link werkt niet meer" in html
        assert reverse("participant:join") in html
    else:
        assert "Je naam is verwijderd" in html
    # What was typed stays in sight; nothing on the wall still looks usable or polls.
    assert (TYPED in html) == ("text" in form and action != "weghalen")
    assert "<form" not in html and "every" not in html


# --- Without JavaScript nothing polls -----------------------------------------------------


def _no_script_page(client, participant) -> str:
    return client.get(reverse("participant:page", args=[personal_token(participant)])).text


def test_without_javascript_a_page_with_nothing_to_type_reloads_itself(client, session, verteller):
    """A new-user pass: with JavaScript off, a participant who had sent their points never saw
    the round close, reopen or anything else until they reloaded by hand."""
    client.post(
        reverse("participant:submit", args=[personal_token(verteller), session.pk]),
        {"ambitie": 2, "belangen": 2, "relatie": 2, "organisatie": 2, "proces": 2},
    )
    html = _no_script_page(client, verteller)
    assert "Jouw punten" in html
    assert 'http-equiv="refresh"' in html
    assert "ververst deze pagina zich elke 15 seconden" in html


def test_without_javascript_a_page_with_a_form_never_reloads_under_the_typing(
    client, session, verteller, prompt
):
    html = _no_script_page(client, verteller)
    assert "Verstuur" in html
    assert 'http-equiv="refresh"' not in html
    # It says so, and where to look again once sent.
    assert "Pagina vernieuwen" in html
    # An open wall is something to type in too.
    client.post(
        reverse("participant:submit", args=[personal_token(verteller), session.pk]),
        {"ambitie": 2, "belangen": 2, "relatie": 2, "organisatie": 2, "proces": 2},
    )
    assert 'http-equiv="refresh"' not in _no_script_page(client, verteller)
