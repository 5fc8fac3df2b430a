"""On a 360 px phone words stay whole and no page scrolls sideways, for every role (issue 13,
room2 item 3).

New-user passes: table words broke letter by letter at 360 px, and a long title broke in the
middle of a word. The kind: text squeezed narrower than its words. This sweep opens every page
of every role (tests/urlmap, every session page in every state) at 360 px and measures, for
every word of normal length in every visible text, whether it is laid out on more than one
line; and whether the page is wider than the screen. A table that scrolls inside its own box
is fine; a word broken inside is not.
"""

import pytest
from django.test import Client

from tests.e2e.test_accessibility import (  # noqa: F401
    PHONE,
    VISITORS,
    demo_world,
    site,
    swept_pages,
)
from tests.e2e.test_phone_overflow import OVERFLOW
from tests.urlmap import Visitor, visit_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Words up to this many letters never break; longer ones (rare compounds, codes, links) may.
NORMAL_WORD = 14

# Every word (letters and digits) of every visible text node that is laid out on more than
# one line, with the element it is in.
BROKEN_WORDS = """(longest) => {
  const broken = [];
  const range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const words = /[\\p{L}\\p{N}]+/gu;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || el.closest("script, style, svg, textarea, [hidden], .visually-hidden")) continue;
    if (!el.getClientRects().length) continue;
    for (const match of node.textContent.matchAll(words)) {
      const word = match[0];
      if (word.length < 2 || word.length > longest) continue;
      range.setStart(node, match.index);
      range.setEnd(node, match.index + word.length);
      const lines = new Set(
        [...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))
      );
      if (lines.size > 1) {
        const name = el.tagName.toLowerCase() + (el.className ? "." + el.className : "");
        broken.push(`${word} (${name})`);
      }
    }
  }
  return broken;
}"""


@pytest.mark.parametrize("visitor", VISITORS, ids=lambda v: v.value)
def test_no_word_breaks_and_no_page_scrolls_sideways_at_360px(
    live_server,
    browser,
    site,  # noqa: F811
    visitor,
):
    world = demo_world(site)
    client = visit_as(Client(), visitor, world)
    context = browser.new_context(viewport=PHONE)
    context.add_cookies(
        [{"name": k, "value": v.value, "url": live_server.url} for k, v in client.cookies.items()]
    )
    page = context.new_page()
    pages = swept_pages(world, visitor)
    elsewhere = f"/p/{world.participant.claim.token}/"
    if visitor is Visitor.ANONYMOUS:
        # Someone's personal link on a device that does not hold the name (a 409).
        pages.append(elsewhere)
    problems = []
    for url in pages:
        response = page.goto(live_server.url + url)
        assert response.ok or (url == elsewhere and response.status == 409), url
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-figure]')]"
            ".every(el => el.querySelector('svg'))"
        )
        broken = page.evaluate(BROKEN_WORDS, NORMAL_WORD)
        if broken:
            problems.append(f"{url}: woorden gebroken: {', '.join(sorted(set(broken))[:8])}")
        found = page.evaluate(OVERFLOW)
        if found["scrollWidth"] > found["width"]:
            problems.append(
                f"{url}: {found['scrollWidth']} px breed; {', '.join(found['culprits'])}"
            )
    context.close()
    assert pages  # the sweep found the pages
    assert not problems, f"{len(problems)} problems at 360 px:\n" + "\n".join(problems)
