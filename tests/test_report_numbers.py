"""Numbers that agree with themselves, and charts that survive greyscale print."""

import re
import xml.etree.ElementTree as ET

from reports.builder import report_context, report_render
from scoring.charts import (
    bar_svg,
    difference_figure,
    figure_svg,
    lifecycle_figure,
    line_svg,
    spider_figure,
)
from scoring.conditions import CONDITION_FIELDS, Condition
from scoring.insights import RoleDifference, Stats, imbalance_flags, insights_by, role_difference
from scoring.models import Allocation
from scoring.services import ALL_KEY, Series
from sessions.models import KeyMoment, Phase, ReconstructionSession, SessionState

from .conftest import allocate

SVG = "{http://www.w3.org/2000/svg}"


def _series_styles(svg: str) -> dict[str, tuple[str, str]]:
    """Per drawn series: (stroke-dasharray of its line, shape of its markers)."""
    root = ET.fromstring(svg)
    styles = {}
    for group in root.iter(f"{SVG}g"):
        key = group.get("data-series")
        if not key:
            continue
        line = next(
            e for e in group if e.tag in (f"{SVG}polygon", f"{SVG}polyline") and e.get("stroke")
        )
        markers = {e.get("data-marker") for e in group if e.get("data-marker")}
        assert len(markers) == 1, key
        styles[key] = (line.get("stroke-dasharray", "solid"), markers.pop())
    return styles


class TestGreyscale:
    def test_spider_series_differ_by_line_style_and_marker_not_only_colour(self):
        series = [
            Series(key, key, 3, dict(zip(CONDITION_FIELDS, [3, 2, 2, 2, 1], strict=True)))
            for key in ("verteller", "reflector", ALL_KEY)
        ]
        styles = _series_styles(figure_svg(spider_figure(series)))
        assert len(styles) == 3
        assert len({dash for dash, _m in styles.values()}) == 3
        assert len({marker for _d, marker in styles.values()}) == 3

    def test_the_legend_shows_each_series_line_style(self):
        series = [
            Series(key, key, 3, dict(zip(CONDITION_FIELDS, [3, 2, 2, 2, 1], strict=True)))
            for key in ("verteller", "reflector", ALL_KEY)
        ]
        svg = figure_svg(spider_figure(series))
        root = ET.fromstring(svg)
        legend_lines = [e for e in root.iter(f"{SVG}line") if e.get("stroke-width") == "2.5"]
        assert len({e.get("stroke-dasharray", "solid") for e in legend_lines}) == 3
        assert not [e for e in root.iter(f"{SVG}rect") if e.get("height") == "10"]

    def test_lifecycle_lines_differ_by_line_style_and_marker_and_have_axis_titles(
        self, evaluation, session, verteller, reflector
    ):
        later = KeyMoment.objects.create(
            evaluation=evaluation, order=2, title="Oplevering", phase=Phase.SLOT
        )
        second = ReconstructionSession.objects.create(
            evaluation=evaluation, key_moment=later, day=2, slot=1, state=SessionState.OPEN
        )
        second.participants.set([verteller])
        allocate(session, verteller, ambitie=4, proces=0)
        allocate(second, verteller, relatie=4, belangen=0)
        # One scorer per moment: shown here on purpose (the minimum group: test_privacy.py).
        insights = insights_by(Allocation.objects.all(), "session__key_moment_id", min_size=1)
        svg = line_svg(lifecycle_figure([session.key_moment, later], insights))
        styles = _series_styles(svg)
        assert len(styles) == 5
        assert len(set(styles.values())) == 5
        assert len({marker for _d, marker in styles.values()}) == 5
        assert "gemiddelde punten" in svg and "sleutelmoment en fase" in svg

    def test_the_live_chart_uses_the_same_styles(self):
        series = [
            Series("verteller", "v", 3, dict.fromkeys(CONDITION_FIELDS, 2)),
            Series("reflector", "r", 3, dict.fromkeys(CONDITION_FIELDS, 2)),
        ]
        traces = spider_figure(series)["data"]
        assert [(t["line"]["dash"], t["marker"]["symbol"]) for t in traces] == [
            ("solid", "circle"),
            ("dash", "square"),
        ]


def _difference(v_mean, r_mean, n=5, sd=1.0) -> RoleDifference:
    return role_difference(Condition.AMBITIE, Stats(n, v_mean, sd), Stats(n, r_mean, sd))


class TestNumbersAgree:
    def test_a_difference_is_the_difference_of_the_shown_means(self):
        difference = _difference(3.66, 2.04)  # shown as 3,7 and 2,0
        assert difference.difference_label == "+1,7"

    def test_the_bar_label_is_signed_as_in_the_table_and_never_minus_zero(self):
        differences = [_difference(2.02, 2.04), _difference(3.66, 2.04), _difference(1.0, 2.5)]
        assert [d.difference_label for d in differences] == ["0,0", "+1,7", "-1,5"]
        svg = bar_svg(difference_figure(differences))
        labels = re.findall(r">([+-]?\d,\d)</text>", svg)
        assert labels == ["0,0", "+1,7", "-1,5"]

    def test_a_flag_is_decided_on_the_mean_as_shown(self):
        means = dict(zip(CONDITION_FIELDS, [2.971, 1.0, 3.029, 1.5, 1.5], strict=True))
        flagged = {(f.condition, f.kind) for f in imbalance_flags(means, n=10)}
        assert (Condition.AMBITIE, "dominant") in flagged
        assert (Condition.RELATIE, "dominant") in flagged

    def test_a_session_that_never_scored_is_not_counted(
        self, evaluation, session, key_moment, verteller
    ):
        allocate(session, verteller)
        ReconstructionSession.objects.create(
            evaluation=evaluation, key_moment=key_moment, day=2, slot=1, state=SessionState.OPEN
        )
        html = report_render("eindrapport", evaluation, for_pdf=False)
        assert "in 1 reconstructiesessie," in html

    def test_the_rounding_rule_is_stated_once(self, evaluation, session, verteller, reflector):
        allocate(session, verteller, ambitie=4, proces=0)
        allocate(session, reflector, ambitie=3, belangen=3, proces=0)
        html = report_render("eindrapport", evaluation, for_pdf=False)
        assert html.count("afgerond op één decimaal") == 1

    def test_figure_numbers_run_without_gaps_in_order_of_appearance(
        self, evaluation, session, verteller, reflector
    ):
        allocate(session, verteller, ambitie=4, proces=0)
        allocate(session, reflector)
        context = report_context("eindrapport", evaluation)
        numbers = [f.number for sheet in context["sheets"] for i in sheet for f in i.figures]
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 6


class TestLayout:
    def test_a_web_address_in_a_text_is_never_hyphenated(self, evaluation):
        import io

        from lxml import html as lxml_html
        from pypdf import PdfReader

        from reports.builder import eindrapport_pdf
        from reports.outline import outline_for

        url = (
            "https://www.neerlandsdiep.nl/kennisbank/evaluatiespiegel-markermeerdijken-eindrapport"
        )
        block = outline_for(evaluation, "eindrapport").blocks.get(slot="introduction")
        block.body = f"Het volledige verslag staat op {url} en is openbaar."
        block.save()
        html = report_render("eindrapport", evaluation, for_pdf=False)
        spans = lxml_html.fromstring(html).find_class("url")
        assert [s.text_content() for s in spans] == [url]
        text = "".join(
            page.extract_text() for page in PdfReader(io.BytesIO(eindrapport_pdf(evaluation))).pages
        )
        assert url in text.replace("\n", "").replace(" ", "")
