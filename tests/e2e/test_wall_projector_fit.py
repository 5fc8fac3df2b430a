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
    Contribution,
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


def _wall(
    open_prompts: int,
    cards_per_prompt: int,
    *,
    title: int = 300,
    card_length: int = CONTRIBUTION_MAX_LENGTH,
) -> str:
    """A wall of open prompts with `title`-long titles and explanations, each with
    `cards_per_prompt` cards of `card_length` characters (the first pinned, with a merged one and
    stippen), and the projector link's token. At its longest by default."""
    evaluation = Evaluation.objects.create(title=longest(200, "Alliantie "), slug="lang")
    people = _room(evaluation, cards_per_prompt + 3)
    for p in range(open_prompts):
        prompt = Prompt.objects.create(
            evaluation=evaluation,
            order=p,
            title=longest(title, f"Vraag {p + 1}: "),
            votes_per_person=10,
            question=longest(title, "Toelichting: "),
        )
        prompt_state_set(prompt=prompt, action="open")
        cards = [
            _write(person, prompt, longest(card_length, f"Kaart {i}: "))
            for i, person in enumerate(people[:cards_per_prompt])
        ]
        merged = _write(people[-1], prompt, longest(card_length, "Samen: "))
        contribution_merge(evaluation=evaluation, contribution_id=merged.pk, into_id=cards[0].pk)
        contribution_moderate(evaluation=evaluation, contribution_id=cards[0].pk, action="pin")
        for card in cards[: prompt.votes_per_person]:
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


# What each column of the wall shows now: the cards on the screen, its page and pages, and
# whether its page line is as large as the projector's body text.
PAGE = """() => {
  const out = {};
  const body = parseFloat(getComputedStyle(document.body).fontSize);
  for (const list of document.querySelectorAll("#projector-live .wall-notes")) {
    const shown = [...list.querySelectorAll(":scope > .wall-note")]
      .filter(n => !n.hidden && n.getBoundingClientRect().height > 0);
    const line = list.querySelector(":scope > .wall-more");
    out[list.closest("section").getAttribute("aria-labelledby")] = {
      shown: shown.map(n => Number(n.dataset.contribution)),
      pinned: shown.filter(n => n.classList.contains("pinned")).length,
      page: Number(list.dataset.page),
      pages: Number(list.dataset.pages),
      line: line && !line.hidden ? line.textContent : "",
      legible: !line || parseFloat(getComputedStyle(line).fontSize) >= body - 0.5,
    };
  }
  return out;
}"""


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["1080p", "720p"])
@pytest.mark.parametrize(
    "open_prompts,cards,length,pinned_everywhere",
    [(1, 40, 90, True), (3, 16, 90, True), (1, 24, None, True), (3, 10, None, False)],
    ids=["1x40", "3x16", "1x24-longest", "3x10-longest"],
)
def test_the_projector_pages_through_every_card_with_the_pinned_ones_on_every_page(
    live_server, browser, viewport, open_prompts, cards, length, pinned_everywhere
):
    """More cards than fit: the wall shows them all within one cycle of pages, the pinned
    card on every page, each page whole, and a page line as large as the body text. The
    pages are turned by the page's own hook (window.wallPager), not by waiting 12 seconds.

    At the longest texts with three prompts open, the pinned card alone fills a column: then
    it takes its turn like the others (first), and still every card is shown in one cycle.
    """
    if length:
        token = _wall(open_prompts, cards, title=80, card_length=length)
    else:
        token = _wall(open_prompts, cards)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/projector/{token}/slotdialoog/")
    page.wait_for_selector('#projector-live[data-fitted="fonts"]', state="attached")
    page.evaluate("window.wallPager.stop()")
    columns = page.evaluate(PAGE)
    cycle = max(column["pages"] for column in columns.values())
    assert cycle > 1, "this many cards do not fit on one screen: the wall pages"
    seen = {name: set() for name in columns}
    for turn in range(cycle):
        assert page.evaluate(CLIPPED) == [], f"page {turn + 1}"
        for name, column in page.evaluate(PAGE).items():
            seen[name] |= set(column["shown"])
            if pinned_everywhere:
                assert column["pinned"] == 1, f"{name}: the pinned card is on page {turn + 1}"
            assert column["legible"], name
            if column["pages"] > 1:
                assert column["line"].startswith(
                    f"Pagina {column['page']} van {column['pages']}"
                ), column["line"]
        page.evaluate("window.wallPager.next()")
    for prompt in Evaluation.objects.get(slug="lang").prompts.all():
        cards_on_wall = set(
            Contribution.objects.filter(
                prompt=prompt, hidden=False, merged_into__isnull=True
            ).values_list("pk", flat=True)
        )
        assert seen[f"wand-{prompt.pk}"] == cards_on_wall, "every card within one cycle"
    context.close()
