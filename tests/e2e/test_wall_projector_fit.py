"""The wall on the projector fits its longest texts (issue 15, second new-user pass).

A projector cannot scroll, and the wall's column hides what overflows: every text the wall
shows, at the longest length the app accepts (an evaluation title of 200 characters, a prompt
title and explanation of 300, contributions of 280, merged cards, pinned cards, revealed
stippen), must be wholly inside the screen at 1920x1080 and at 1280x720, whether one prompt
or three are open. Measured in Chromium, not guessed from CSS.
"""

import pytest

from sessions.models import (
    CONTRIBUTION_MAX_LENGTH,
    Evaluation,
    Participant,
    Prompt,
    Role,
)
from sessions.services import projector_link_set
from sessions.wall import (
    contribution_merge,
    contribution_moderate,
    contribution_submit,
    prompt_state_set,
    vote_cast,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720}]
WORDS = (
    "Vertrouwen groeide pas toen de opdrachtgever de risico's echt deelde; "
    "samenwerkingsovereenkomsten alleen veranderden weinig aan het gedrag op de dijk. "
)


def longest(n: int, tag: str = "") -> str:
    """Realistic Dutch of exactly n characters (words, a long compound, punctuation)."""
    text = (tag + WORDS * (n // len(WORDS) + 2))[:n]
    return text[:-1] + "."


# Every text on the wall's screen, and whether it is inside the screen and not cut off by a
# box that hides what overflows (the wall's columns do). The cards of a screen that holds
# more than fits are the wall's own concern (it says how many more); a shown text is whole.
CLIPPED = """() => {
  const out = [];
  const selector = "h1, .eyebrow, .wall-question, .join-code, .join-instruction, " +
    ".wall-column h2:not(.visually-hidden), .wall-text, .wall-merged, .wall-votes, " +
    ".wall-pinned, .wall-more";
  for (const el of document.querySelectorAll("#projector-live " + selector)) {
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    let bad = "";
    if (r.top < -1 || r.left < -1 || r.bottom > innerHeight + 1 || r.right > innerWidth + 1) {
      bad = "buiten het scherm";
    }
    if (el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2) {
      bad = "afgekapt in zichzelf";
    }
    for (let a = el.parentElement; a && !bad; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflow === "visible" && style.overflowY === "visible") continue;
      const b = a.getBoundingClientRect();
      if (r.top < b.top - 1 || r.bottom > b.bottom + 1 || r.left < b.left - 1 || r.right > b.right + 1) {
        bad = "afgekapt door " + (a.className || a.tagName);
      }
    }
    if (bad) out.push(bad + ": " + el.className + " " + el.textContent.trim().slice(0, 30));
  }
  const root = document.scrollingElement;
  if (root.scrollHeight > innerHeight + 1) out.push("de pagina scrolt");
  return out;
}"""


def _room(evaluation, n):
    return [
        Participant.objects.create(
            evaluation=evaluation, name=f"Deelnemer {i}", role=Role.VERTELLER
        )
        for i in range(n)
    ]


def _write(person, prompt, text):
    card, _created = contribution_submit(
        participant=person, prompt_id=prompt.pk, text=text, client_token=f"{person.pk}-{prompt.pk}"
    )
    return card


def _wall(open_prompts: int, cards_per_prompt: int) -> str:
    evaluation = Evaluation.objects.create(title=longest(200, "Alliantie "), slug="lang")
    people = _room(evaluation, cards_per_prompt + 3)
    for p in range(open_prompts):
        prompt = Prompt.objects.create(
            evaluation=evaluation,
            order=p,
            title=longest(300, f"Vraag {p + 1}: "),
            votes_per_person=10,
            question=longest(300, "Toelichting: "),
        )
        prompt_state_set(prompt=prompt, action="open")
        cards = [
            _write(person, prompt, longest(CONTRIBUTION_MAX_LENGTH, f"Kaart {i}: "))
            for i, person in enumerate(people[:cards_per_prompt])
        ]
        merged = _write(people[-1], prompt, longest(CONTRIBUTION_MAX_LENGTH, "Samen: "))
        contribution_merge(evaluation=evaluation, contribution_id=merged.pk, into_id=cards[0].pk)
        contribution_moderate(evaluation=evaluation, contribution_id=cards[0].pk, action="pin")
        for card in cards:
            vote_cast(participant=people[-2], contribution_id=card.pk)
        prompt_state_set(prompt=prompt, action="reveal")
    return projector_link_set(evaluation=evaluation, active=True).token


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["1080p", "720p"])
@pytest.mark.parametrize(
    "open_prompts,cards", [(1, 1), (1, 6), (3, 1), (3, 4)], ids=["1x1", "1x6", "3x1", "3x4"]
)
def test_every_wall_text_at_its_longest_is_whole_on_the_projector(
    live_server, browser, viewport, open_prompts, cards
):
    token = _wall(open_prompts, cards)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/projector/{token}/slotdialoog/")
    # Measured once the page's fonts are in and the wall was fitted to them.
    page.wait_for_selector('#projector-live[data-fitted="fonts"]', state="attached")
    problems = page.evaluate(CLIPPED)
    assert problems == [], problems
    # The first card (pinned, merged, with stippen) is on the screen whole, in every case.
    first = page.locator(".wall-note").first
    assert first.is_visible()
    context.close()
