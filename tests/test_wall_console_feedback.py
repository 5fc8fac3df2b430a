"""Every action on the facilitator's console answers where it was taken (wallfix item 1): the
feedback, error or success, shows inside the region of the prompt or card acted on, and is
announced to screen readers. Without JavaScript the redirect scrolls to that region; with
htmx the console's wall comes back with the feedback in place. Never at the top of the page,
out of view."""

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from sessions.models import Prompt, PromptState
from sessions.wall import (
    MODERATE_ACTIONS,
    PROMPT_ACTIONS,
    contribution_merge,
    contribution_moderate,
)

from .conftest import write

HTMX = {"HTTP_HX_REQUEST": "true"}


def _prompt_action(action, *, empty=False, state=PromptState.OPEN, written=False, top=False):
    def act(prompt, people):
        if written:
            write(people[1], prompt, "Al iets")
        target = prompt
        if empty:
            target = Prompt.objects.create(evaluation=prompt.evaluation, title="Leeg", state=state)
        else:
            prompt.state = state
            prompt.save()
        url = reverse("sessions:prompt_state", args=[prompt.evaluation.slug, target.pk])
        # A deleted prompt's region is gone with it: its news shows at the top of the wall.
        return url, {"action": action}, "wall-console" if top else f"vraag-{target.pk}"

    return act


def _card_action(action, *, region="card", prepare=None, into=None):
    def act(prompt, people):
        first, second = write(people[1], prompt, "Eerste"), write(people[2], prompt, "Tweede")
        if prepare:
            prepare(prompt, first, second)
        data = {"action": action}
        if into is not None:
            data["into"] = into(first, second)
        where = {
            "card": f"bijdrage-{first.pk}",
            "target": f"bijdrage-{second.pk}",
            "prompt": f"vraag-{prompt.pk}",
        }[region]
        url = reverse("sessions:contribution_action", args=[prompt.evaluation.slug, first.pk])
        return url, data, where

    return act


def _moderated(action):
    def prepare(prompt, first, second):
        contribution_moderate(evaluation=prompt.evaluation, contribution_id=first.pk, action=action)

    return prepare


def _merged(prompt, first, second):
    contribution_merge(evaluation=prompt.evaluation, contribution_id=first.pk, into_id=second.pk)


def _defaults(prompt, people):
    return reverse("sessions:wall_defaults", args=[prompt.evaluation.slug]), {}, "wall-console"


def _add(prompt, people):
    url = reverse("sessions:wall", args=[prompt.evaluation.slug])
    return url, {"title": "Nieuwe vraag", "question": "", "votes": "3"}, "new-prompt"


# (name, endpoint action or None, set up and give url/data/region, level, words in the feedback)
CASES = [
    ("open", "open", _prompt_action("open", state=PromptState.VOORBEREIDING), "success", "open"),
    ("close", "close", _prompt_action("close"), "success", "gesloten"),
    ("reveal", "reveal", _prompt_action("reveal"), "success", "stippen"),
    (
        "reveal refused",
        "reveal",
        _prompt_action("reveal", empty=True, state=PromptState.VOORBEREIDING),
        "error",
        "Open de vraag eerst",
    ),
    ("hide_votes", "hide_votes", _prompt_action("hide_votes"), "success", "verborgen"),
    ("reset", "reset", _prompt_action("reset", empty=True), "success", "voorbereiding"),
    ("delete refused", "delete", _prompt_action("delete", written=True), "error", "al geschreven"),
    ("delete", "delete", _prompt_action("delete", empty=True, top=True), "success", "verwijderd"),
    ("hide", "hide", _card_action("hide", region="prompt"), "success", "verborgen"),
    ("show", "show", _card_action("show", prepare=_moderated("hide")), "success", "weer"),
    ("pin", "pin", _card_action("pin"), "success", "vastgezet"),
    ("unpin", "unpin", _card_action("unpin", prepare=_moderated("pin")), "success", "losgemaakt"),
    ("unmerge", "unmerge", _card_action("unmerge", prepare=_merged), "success", "eigen kaart"),
    (
        "merge",
        "merge",
        _card_action("merge", region="target", into=lambda a, b: b.pk),
        "success",
        "samengevoegd",
    ),
    (
        "merge refused",
        "merge",
        _card_action("merge", into=lambda a, b: a.pk),
        "error",
        "andere bijdrage",
    ),
    (
        "merge without a number",
        "merge",
        _card_action("merge", into=lambda a, b: "twee"),
        "error",
        "Kies de bijdrage",
    ),
    ("defaults", None, _defaults, "success", "klaargezet"),
    ("add", None, _add, "success", "staat klaar"),
]


def test_the_sweep_covers_every_action_of_the_console():
    covered = {case[1] for case in CASES}
    assert PROMPT_ACTIONS | {"delete"} | MODERATE_ACTIONS | {"merge"} <= covered


def _region(prompt, region):
    if region == "new-prompt":
        return f"vraag-{Prompt.objects.filter(title='Nieuwe vraag').get().pk}"
    return region


def _assert_feedback_in(document, region, level, words):
    (feedback,) = document.xpath("//*[@data-feedback]")
    assert words.lower() in feedback.text_content().lower()
    assert feedback.get("role") == ("alert" if level == "error" else "status")
    assert f"message-{level}" in feedback.get("class")
    # Inside the region acted on (a card's feedback sits in the row right under it).
    (element,) = document.xpath(f"//*[@id='{region}']")
    holder = element.getnext() if element.tag == "tr" else element
    assert feedback in holder.iterdescendants(), region


@pytest.mark.parametrize(("name", "action", "setup", "level", "words"), CASES, ids=lambda c: c)
def test_the_feedback_shows_in_the_region_acted_on_without_javascript(
    client, facilitator, prompt, people, name, action, setup, level, words
):
    url, data, region = setup(prompt, people)
    client.force_login(facilitator)
    response = client.post(url, data)
    assert response.status_code == 302, name
    region = _region(prompt, region)
    assert response["Location"].endswith(f"#{region}")
    page = client.get(response["Location"])
    document = lxml_html.fromstring(page.content.decode())
    _assert_feedback_in(document, region, level, words)
    # Said once, in place: not (also) at the top of the page.
    assert not document.xpath("//ul[contains(@class, 'messages')]")
    again = lxml_html.fromstring(client.get(response["Location"]).content.decode())
    assert not again.xpath("//*[@data-feedback]"), "shown once, not on every later visit"


# Adding a prompt is a whole-page form (its errors stay beside its fields): not an htmx case.
HTMX_CASES = [case for case in CASES if case[0] != "add"]


@pytest.mark.parametrize(("name", "action", "setup", "level", "words"), HTMX_CASES, ids=lambda c: c)
def test_the_feedback_shows_in_the_region_acted_on_with_htmx(
    client, facilitator, prompt, people, name, action, setup, level, words
):
    url, data, region = setup(prompt, people)
    client.force_login(facilitator)
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200, name
    document = lxml_html.fromstring(f"<div>{response.content.decode()}</div>")
    assert document.xpath("//*[@id='wall-console']")
    _assert_feedback_in(document, _region(prompt, region), level, words)


def test_every_form_of_the_console_posts_with_htmx_into_the_wall(client, facilitator, prompt):
    first = write(prompt.evaluation.participants.create(name="Ans", role="verteller"), prompt)
    contribution_moderate(evaluation=prompt.evaluation, contribution_id=first.pk, action="pin")
    client.force_login(facilitator)
    html = client.get(reverse("sessions:wall", args=[prompt.evaluation.slug])).content.decode()
    document = lxml_html.fromstring(html)
    (console,) = document.xpath("//*[@id='wall-console']")
    forms = console.xpath(".//form")
    assert forms
    for form in forms:
        assert form.get("hx-post") == form.get("action")
        assert form.get("hx-target") == "#wall-console"


def test_a_refused_new_prompt_comes_back_scrolled_to_the_form_with_its_error(
    client, facilitator, evaluation
):
    client.force_login(facilitator)
    url = reverse("sessions:wall", args=[evaluation.slug])
    response = client.post(url, {"title": "", "question": "", "votes": "99"})
    assert response.status_code == 400
    document = lxml_html.fromstring(response.content.decode())
    (section,) = document.xpath("//*[@id='vraag-toevoegen']")
    (form,) = section.xpath(".//form")
    # The browser keeps the action's fragment: the answer opens at the form, not the top.
    assert form.get("action") == f"{url}#vraag-toevoegen"
    errors = section.xpath(".//*[@role='alert']")
    assert errors and "stippen" in " ".join(e.text_content() for e in errors)
