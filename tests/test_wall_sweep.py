"""Every state of the wall x every page that shows it x every role (issue 15, second new-user
pass): no 5xx, no template leftovers, plurals that agree, and the Dutch sentence that fits
the state (an empty closed prompt does not say "nog geen bijdragen", a wall with nothing on
it does not say "0 bijdragen zijn nog niet gebruikt")."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from sessions.models import Participant, Prompt, Role
from sessions.services import projector_link_set
from sessions.wall import (
    contribution_merge,
    contribution_moderate,
    contribution_submit,
    prompt_state_set,
    vote_cast,
)

from .conftest import personal_token

HTMX = {"HX-Request": "true"}


def _write(person, prompt, text):
    contribution, _created = contribution_submit(
        participant=person, prompt_id=prompt.pk, text=text, client_token=text[:40]
    )
    return contribution


def _build(state, evaluation, people):
    """Put the wall in `state`; returns the texts that must not show to the room."""
    if state == "geen vraag":
        return []
    prompt = Prompt.objects.create(evaluation=evaluation, title="Welke aanbeveling?")
    if state == "in voorbereiding":
        return []
    prompt_state_set(prompt=prompt, action="open")
    if state == "open, leeg":
        return []
    if state == "gesloten, leeg":
        prompt_state_set(prompt=prompt, action="close")
        return []
    card = _write(people[1], prompt, "Kaart van een ander")
    mine = _write(people[0], prompt, "Mijn eigen kaart")
    evaluation_ = prompt.evaluation
    if state == "stippen getoond":
        vote_cast(participant=people[0], contribution_id=card.pk)
        prompt_state_set(prompt=prompt, action="reveal")
    elif state == "verborgen kaart":
        hidden = _write(people[2], prompt, "Ongepaste kaart")
        contribution_moderate(evaluation=evaluation_, contribution_id=hidden.pk, action="hide")
        return ["Ongepaste kaart"]
    elif state == "alles verborgen":
        for pk in (card.pk, mine.pk):
            contribution_moderate(evaluation=evaluation_, contribution_id=pk, action="hide")
        return ["Kaart van een ander", "Mijn eigen kaart"]
    elif state == "samengevoegd":
        other = _write(people[2], prompt, "Bijna hetzelfde")
        contribution_merge(evaluation=evaluation_, contribution_id=other.pk, into_id=card.pk)
    elif state == "vastgezet":
        contribution_moderate(evaluation=evaluation_, contribution_id=card.pk, action="pin")
    elif state == "gesloten":
        prompt_state_set(prompt=prompt, action="close")
    return []


STATES = [
    "geen vraag",
    "in voorbereiding",
    "open, leeg",
    "gesloten, leeg",
    "open",
    "stippen getoond",
    "verborgen kaart",
    "alles verborgen",
    "samengevoegd",
    "vastgezet",
    "gesloten",
]

# What each page says in a state (page names as in _pages below); "*" is every page.
EXPECTED = {
    "geen vraag": {
        "console": ["Nog geen vragen."],
        "projector": ["Nog geen vraag geopend"],
        "projectorlink": ["Nog geen vraag geopend"],
        "rapport": ["In de slotdialoog is nog geen vraag geopend.", "nog geen bijdragen op de"],
        "deelnemer": ["Er is nu geen ronde open"],
    },
    "in voorbereiding": {
        "console": ["In voorbereiding"],
        "projector": ["Nog geen vraag geopend"],
        "deelnemer": ["Er is nu geen ronde open"],
        "rapport": ["In de slotdialoog is nog geen vraag geopend."],
    },
    "open, leeg": {
        "console": ["Nog geen bijdragen."],
        "projector": ["Nog geen bijdragen.", "Doe mee op"],
        "projectorlink": ["Nog geen bijdragen."],
        "rapport": ["Nog geen bijdragen.", "Er staan nog geen bijdragen op de wand."],
        "deelnemer": ["De slotdialoog is open", "Jouw bijdrage"],
    },
    "gesloten, leeg": {
        "console": ["Op deze vraag is niets geschreven."],
        "projector": ["Gesloten", "Op deze vraag is niets geschreven."],
        "rapport": ["Op deze vraag is niets geschreven."],
        "deelnemer": ["Er is nu geen ronde open"],
    },
    "open": {
        "projector": ["Kaart van een ander", "Mijn eigen kaart"],
        "deelnemer": ["Kaart van een ander", "Stip geven", "Jouw bijdragen", "Nog een bijdrage"],
        "rapport": ["2 bijdragen zijn nog niet in het rapport gebruikt."],
    },
    "stippen getoond": {
        "projector": ["1 stip<"],
        "deelnemer": ["1 stip<", "Stip weghalen", "Je hebt nog 2 van 3 stippen."],
        "console": ["stippen getoond", "Stippen verbergen"],
    },
    "verborgen kaart": {
        "console": ["1 verborgen bijdrage", "Weer tonen"],
        "rapport": ["1 bijdrage is door de facilitator verborgen."],
    },
    "alles verborgen": {
        "console": ["Alle bijdragen zijn verborgen.", "2 verborgen bijdragen"],
        "rapport": ["Alle bijdragen zijn verborgen."],
        "projector": ["Nog geen bijdragen."],
    },
    "samengevoegd": {
        "projector": ["+ 1 vergelijkbare", "Kaart van een ander"],
        "console": ["Bijna hetzelfde", "losmaken"],
        "deelnemer": ["Bijna hetzelfde"],
    },
    "vastgezet": {"*": ['<p class="wall-pinned">Vastgezet</p>']},
    "gesloten": {
        "projector": ["Gesloten", "Kaart van een ander"],
        "deelnemer": ["Er is nu geen ronde open"],
        "console": ["Weer openen"],
    },
}

# The facilitator's buttons: the analyst sees the same console, read-only.
RUN_ONLY = {"Stippen verbergen", "Weer tonen", "losmaken", "Weer openen"}

# Dutch that is wrong whatever the state: a plural that does not agree, a count of nothing.
WRONG = [
    re.compile(r"(?<![\d.,])1 (stippen|bijdragen|verborgen bijdragen)\b"),
    re.compile(r"(?<![\d.,])(0|[2-9]|\d\d+) (stip|bijdrage|verborgen bijdrage)\b(?! is)"),
    re.compile(r"\b0 bijdragen zijn nog niet"),
    re.compile(r"%\(\w+\)s|\{\{|\{%|%s\b|\bNone\b"),
]


def _pages(evaluation, people):
    link = projector_link_set(evaluation=evaluation, active=True)
    slug, token = evaluation.slug, personal_token(people[0])
    return {
        "deelnemer": [
            ("deelnemer", None, reverse("participant:page", args=[token]), {}),
            ("deelnemer", None, reverse("participant:wall", args=[token]), HTMX),
        ],
        "begeleider": [
            ("console", "facilitator", reverse("sessions:wall", args=[slug]), {}),
            ("console", "facilitator", reverse("sessions:wall_live", args=[slug]), HTMX),
            ("projector", "facilitator", reverse("sessions:wall_projector", args=[slug]), {}),
            (
                "projector",
                "facilitator",
                reverse("sessions:wall_projector_live", args=[slug]),
                HTMX,
            ),
        ],
        "analist": [
            ("console", "analyst", reverse("sessions:wall", args=[slug]), {}),
            ("rapport", "analyst", reverse("reports:wall", args=[slug]), {}),
            ("projector", "analyst", reverse("sessions:wall_projector", args=[slug]), {}),
        ],
        "projectorlink": [
            ("projectorlink", None, reverse("wall_projector_link", args=[link.token]), {}),
            (
                "projectorlink",
                None,
                reverse("wall_projector_link_live", args=[link.token]),
                HTMX,
            ),
            ("projectorlink", None, reverse("projector_link", args=[link.token]), {}),
        ],
    }


@pytest.mark.parametrize("role", ["deelnemer", "begeleider", "analist", "projectorlink"])
@pytest.mark.parametrize("state", STATES)
def test_every_state_of_the_wall_reads_right_for_every_role(
    evaluation, facilitator, analyst, state, role
):
    people = [
        Participant.objects.create(
            evaluation=evaluation, name=f"Deelnemer {i}", role=Role.VERTELLER
        )
        for i in range(3)
    ]
    secret = _build(state, evaluation, people)
    users = {"facilitator": facilitator, "analyst": analyst}
    expected = EXPECTED[state]
    client = Client()  # one device per role: a personal link opens on one device only
    for page, user, url, headers in _pages(evaluation, people)[role]:
        if user:
            client.force_login(users[user])
        response = client.get(url, headers=headers, follow=True)
        where = f"{state} / {role} / {url}"
        assert response.status_code == 200, where
        html = response.content.decode()
        if not headers:
            assert '<html lang="nl"' in html, where
        text = re.sub(r"(?s)<script.*?</script>|<svg.*?</svg>|<[^>]+>", " ", html)
        for wrong in WRONG:
            assert not wrong.search(text), f"{where}: {wrong.search(text).group(0)!r}"
        if state in ("gesloten, leeg", "gesloten"):
            assert "Nog geen bijdragen" not in text, where
        if page in ("deelnemer", "projector", "projectorlink"):
            for hidden in secret:
                assert hidden not in html, where
        if page == "deelnemer" or page.startswith("projector"):
            assert "Deelnemer 1" not in html, where  # the room never sees a name
        for phrase in expected.get(page, []) + expected.get("*", []):
            if user == "analyst" and phrase in RUN_ONLY:
                assert phrase not in html, f"{where}: the analyst does not run the wall"
                continue
            if page == "projectorlink" and "/projector/" in url and "slotdialoog" not in url:
                continue  # the round's link: checked below
            if headers and phrase.startswith(("Er is nu", "De slotdialoog is open")):
                continue  # the status line is not in the wall's fragment
            assert phrase in html, f"{where}: {phrase!r}"
        if page == "projectorlink" and "slotdialoog" not in url:
            # The evaluation's link without a round: the wall, whatever its state.
            assert response.redirect_chain == [] or "slotdialoog" in response.redirect_chain[-1][0]
