"""The facilitator walks the room with a phone: no facilitator page scrolls sideways at 360 px.

Every page the facilitator can open (found through tests/urlmap, so new views are swept as soon
as they are routed), every session page in every state, on a 360 px wide screen. A wide table
may scroll inside its own box; the page itself must not.
"""

import pytest

from tests.e2e.test_accessibility import PHONE, demo_world, site, swept_pages  # noqa: F401
from tests.urlmap import Visitor, visit_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The widest elements that stick out of the viewport, to say what to fix.
OVERFLOW = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const scrollsItself = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (['auto', 'scroll', 'hidden'].includes(style.overflowX)) return true;
    }
    return false;
  };
  const culprits = [];
  if (root.scrollWidth > width) {
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      if (box.right > width + 1 && box.width > 0 && !scrollsItself(el)) {
        const name = el.id ? '#' + el.id : (el.getAttribute('class') || '').split(' ').join('.');
        culprits.push(`${el.tagName.toLowerCase()}${name ? '.' + name : ''} (${Math.round(box.right)} px)`);
      }
    }
  }
  return {scrollWidth: root.scrollWidth, width, culprits: culprits.slice(0, 6)};
}"""


def test_no_facilitator_page_scrolls_sideways_on_a_phone(live_server, browser, site):  # noqa: F811
    from django.test import Client

    world = demo_world(site)
    client = visit_as(Client(), Visitor.FACILITATOR, world)
    context = browser.new_context(viewport=PHONE)
    context.add_cookies(
        [{"name": k, "value": v.value, "url": live_server.url} for k, v in client.cookies.items()]
    )
    page = context.new_page()
    pages = swept_pages(world, Visitor.FACILITATOR)
    problems = []
    for url in pages:
        response = page.goto(live_server.url + url)
        assert response.ok, url
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-figure]')]"
            ".every(el => el.querySelector('svg'))"
        )
        found = page.evaluate(OVERFLOW)
        if found["scrollWidth"] > found["width"]:
            problems.append(
                f"{url}: {found['scrollWidth']} px breed; {', '.join(found['culprits'])}"
            )
    context.close()
    assert len(pages) > 25  # the sweep found the pages
    assert not problems, f"{len(problems)} pages scroll sideways at 360 px:\n" + "\n".join(problems)
