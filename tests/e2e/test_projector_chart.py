"""The projector's spider chart reads from the back of the room (second new-user pass: a thin
pale line on a 0–10 scale, ring numbers on top of the means and of each other at 1280×720)."""

import pytest

from tests.e2e.test_projector_layout import overlapping, projector_page, revealed  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHART = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: el.textContent }; };
  const chart = document.querySelector('.projector-chart');
  return {
    labels: [...chart.querySelectorAll('.main-svg text')].filter(t => t.textContent.trim()).map(box),
    rings: [...chart.querySelectorAll('.polarlayer .xtick text')].map(t => t.textContent),
    lines: [...chart.querySelectorAll('.scatterlayer .trace path.js-line')].map(
      p => parseFloat(getComputedStyle(p).strokeWidth)),
    range: chart.layout.polar.radialaxis.range,
  };
}"""


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720}],
    ids=["1080p", "720p"],
)
def test_the_chart_is_legible_and_nothing_in_it_overlaps(live_server, browser, revealed, viewport):  # noqa: F811
    url = f"/e/{revealed.evaluation.slug}/sessies/{revealed.pk}/projector/"
    page = projector_page(browser, live_server.url, viewport, url)
    chart = page.evaluate(CHART)

    # The demo's means are all under 5: drawn on the reports' 0–5, not in a 0–10's centre.
    assert chart["range"] == [0, 5]
    # Two ring numbers (the middle and the outer ring), never a column of six in the middle.
    assert chart["rings"] == ["2,5", "5"]
    labels = chart["labels"]
    clashes = [
        (a["text"], b["text"])
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if overlapping(a, b)
    ]
    assert not clashes, f"chart words on top of each other: {clashes}"
    # The means are drawn with lines that carry across a room (3 px did not).
    assert min(chart["lines"]) >= (5 if viewport["width"] == 1920 else 3.5), chart["lines"]
    page.context.close()
