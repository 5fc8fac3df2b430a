"""Every insight figure against numbers worked out by hand (see each test's comments)."""

import math

import pytest

from scoring.charts import (
    difference_figure,
    figure_svg,
    lifecycle_figure,
    spider_figure,
    with_agreement,
)
from scoring.conditions import Condition
from scoring.insights import (
    MAX_DISTANCE,
    Stats,
    effect_size,
    imbalance_flags,
    insight_for,
    role_difference,
)
from scoring.models import Allocation
from scoring.services import session_aggregate
from sessions.models import Participant, Role

from .conftest import allocate

# Three vertellers and three reflectoren (A B R O P):
VERTELLERS = [(4, 1, 3, 1, 1), (3, 1, 4, 1, 1), (5, 0, 3, 1, 1)]
REFLECTOREN = [(2, 3, 1, 2, 2), (3, 2, 1, 2, 2), (1, 3, 2, 2, 2)]


@pytest.fixture
def room(evaluation, session):
    people = []
    for role, rows in ((Role.VERTELLER, VERTELLERS), (Role.REFLECTOR, REFLECTOREN)):
        for i, row in enumerate(rows):
            person = Participant.objects.create(evaluation=evaluation, name=f"{role}{i}", role=role)
            session.participants.add(person)
            allocate(
                session,
                person,
                **dict(
                    zip(
                        ["ambitie", "belangen", "relatie", "organisatie", "proces"],
                        row,
                        strict=True,
                    )
                ),
            )
            people.append(person)
    return session


def insight(session, **kwargs):
    return insight_for(Allocation.objects.filter(session=session), **kwargs)


def test_means_and_spread_of_everyone(room):
    result = insight(room)
    assert result.n == 6
    # Ambitie: 4 3 5 2 3 1 -> mean 3, squares 1 0 4 1 0 4 = 10, / 5 -> sd sqrt(2)
    assert result.means["ambitie"] == pytest.approx(3.0)
    assert result.spread["ambitie"] == pytest.approx(math.sqrt(2))
    assert result.means["belangen"] == pytest.approx(10 / 6)
    assert result.spread["organisatie"] == pytest.approx(math.sqrt(1.5 / 5))  # 1 1 1 2 2 2


def test_role_means_differences_spread_and_effect_size(room):
    differences = {d.condition: d for d in insight(room).differences}
    ambitie = differences[Condition.AMBITIE]
    # vertellers 4 3 5: mean 4, sd 1; reflectoren 2 3 1: mean 2, sd 1; pooled sd 1 -> d = 2
    assert ambitie.verteller.n == 3
    assert (ambitie.verteller.mean, ambitie.verteller.sd) == pytest.approx((4, 1))
    assert (ambitie.reflector.mean, ambitie.reflector.sd) == pytest.approx((2, 1))
    assert ambitie.difference == pytest.approx(2)
    assert ambitie.effect_size == pytest.approx(2)
    assert ambitie.called_out
    belangen = differences[Condition.BELANGEN]
    # 1 1 0 vs 3 2 3: means 2/3 and 8/3, both sd sqrt(1/3); d = -2 / sqrt(1/3)
    assert belangen.difference == pytest.approx(-2)
    assert belangen.effect_size == pytest.approx(-2 / math.sqrt(1 / 3))
    organisatie = differences[Condition.ORGANISATIE]
    # 1 1 1 vs 2 2 2: no spread within either role, so a certain difference
    assert organisatie.effect_size == -math.inf
    assert organisatie.called_out


def test_imbalance_flags_and_balance(room):
    result = insight(room)
    # Means 3, 5/3, 7/3, 1.5, 1.5: only Ambitie reaches the dominant threshold of 3.
    assert [(f.condition, f.kind) for f in result.flags] == [(Condition.AMBITIE, "dominant")]
    assert "tempo" in result.flags[0].consequence
    # Distance from 2-2-2-2-2: sqrt(1 + 1/9 + 1/9 + 1/4 + 1/4)
    distance = math.sqrt(1 + 1 / 9 + 1 / 9 + 0.25 + 0.25)
    assert result.distance == pytest.approx(distance)
    assert result.balance == pytest.approx(100 * (1 - distance / math.sqrt(80)))
    assert pytest.approx(math.sqrt(80)) == MAX_DISTANCE


@pytest.mark.parametrize(
    "mean, kind",
    [
        (3.0, "dominant"),
        (2.96, "dominant"),  # shown as 3,0: flagged as a reader of the 3,0 expects
        (2.94, None),  # shown as 2,9
        (1.06, None),  # shown as 1,1
        (1.04, "onderbelicht"),  # shown as 1,0
        (1.0, "onderbelicht"),
        (0.0, "onderbelicht"),
    ],
)
def test_flags_at_the_rule_boundaries(mean, kind):
    means = {"ambitie": mean, "belangen": 2, "relatie": 2, "organisatie": 2, "proces": 2}
    flags = imbalance_flags(means, n=1)
    assert [f.kind for f in flags if f.condition == Condition.AMBITIE] == ([kind] if kind else [])


def test_the_rule_is_configurable(settings):
    settings.INSIGHT_DOMINANT_AT = 2.5
    means = {"ambitie": 2.6, "belangen": 2, "relatie": 2, "organisatie": 2, "proces": 1.4}
    assert [f.kind for f in imbalance_flags(means, n=1)] == ["dominant"]


def test_too_few_to_tell():
    two = Stats(2, 4.0, 0.5)
    many = Stats(5, 1.0, 0.5)
    verdict = role_difference(Condition.RELATIE, two, many)
    assert verdict.verdict == "te_weinig" and not verdict.called_out


def test_a_small_difference_within_a_wide_spread_is_not_called_out():
    # difference 0.5, pooled sd 1.5 -> d = 0.33 < 0.8
    verdict = role_difference(Condition.PROCES, Stats(4, 2.0, 1.5), Stats(4, 1.5, 1.5))
    assert verdict.effect_size == pytest.approx(1 / 3)
    assert verdict.verdict == "geen_verschil"


def test_effect_size_needs_two_per_group():
    assert effect_size(Stats(1, 3, 0), Stats(4, 1, 1)) is None


def test_an_empty_session_has_no_insights(session):
    result = insight(session)
    assert result.n == 0 and result.flags == [] and result.differences == []


def test_the_diverging_bar_chart_data(room):
    figure = difference_figure(insight(room).differences)
    bar = figure["data"][0]
    assert bar["y"] == ["Ambitie", "Belangen", "Relatie", "Organisatie", "Proces"]
    assert bar["x"] == [2.0, -2.0, 2.0, -1.0, -1.0]
    assert bar["marker"]["color"][0] == "#0b4f6c" and bar["marker"]["color"][1] == "#c8553d"


def test_individual_allocations_as_faint_polygons_and_spread_rings(room):
    result = insight(room, individual=True)
    figure = with_agreement(
        spider_figure(session_aggregate(room).series), individual=result.individual
    )
    faint = [t for t in figure["data"] if t["meta"]["key"] == "individueel"]
    assert sorted(tuple(t["r"][:5]) for t in faint) == sorted(VERTELLERS + REFLECTOREN)
    assert all("name" not in t for t in faint)  # anonymous
    rings = with_agreement(
        spider_figure(session_aggregate(room).series), spread=result.spread, means=result.means
    )
    upper = next(t for t in rings["data"] if t["name"] == "gemiddelde + spreiding")
    assert upper["r"][0] == round(3 + math.sqrt(2), 2)
    assert figure_svg(figure).count("<polygon") >= 6


def test_the_lifecycle_chart_follows_the_key_moments(room, key_moment):
    from scoring.insights import insights_by

    insights = insights_by(Allocation.objects.all(), "session__key_moment_id")
    figure = lifecycle_figure([key_moment], insights)
    assert [t["name"] for t in figure["data"]] == [
        "Ambitie",
        "Belangen",
        "Relatie",
        "Organisatie",
        "Proces",
    ]
    assert figure["data"][0]["y"] == [3.0]
    vertellers = lifecycle_figure([key_moment], insights, role="verteller")
    assert vertellers["data"][0]["y"] == [4.0]


class TestInReports:
    @pytest.fixture(autouse=True)
    def rich_outline(self, evaluation):
        """Today's data-rich report: every insight block in chapter 3."""
        from reports.outline import outline_for, preset_apply

        preset_apply(outline=outline_for(evaluation, "eindrapport"), preset="rijk")

    def test_the_insight_blocks_are_in_the_report_when_switched_on(self, room, evaluation):
        from reports.builder import report_render

        html = report_render("eindrapport", evaluation, for_pdf=False)
        for anchor in (
            "onevenwichtige-aandacht",
            "vertellers-reflectoren",
            "overeenstemming",
            "levenscyclus",
        ):
            assert f'id="{anchor}"' in html
        assert "Ambitie is dominant (gemiddeld 3,0)" in html

    @pytest.mark.parametrize(
        "part, anchor",
        [
            ("imbalance", "onevenwichtige-aandacht"),
            ("roles", "vertellers-reflectoren"),
            ("agreement", "overeenstemming"),
            ("lifecycle", "levenscyclus"),
        ],
    )
    def test_each_block_can_be_switched_off(self, room, evaluation, part, anchor):
        from reports.builder import report_render
        from reports.outline import block_toggle, outline_for

        outline = outline_for(evaluation, "eindrapport")
        block_toggle(block=outline.blocks.get(part=part))
        html = report_render("eindrapport", evaluation, for_pdf=False)
        assert f'id="{anchor}"' not in html
        others = {
            "onevenwichtige-aandacht",
            "vertellers-reflectoren",
            "overeenstemming",
            "levenscyclus",
        } - {anchor}
        assert all(f'id="{other}"' in html for other in others)

    def test_the_tussenrapportage_names_each_sessions_balance_and_differences(
        self, room, evaluation
    ):
        from reports.builder import report_render

        html = report_render("tussenrapportage", evaluation, for_pdf=False)
        assert "Ambitie dominant (3,0)" in html
        assert "Verschil op ambitie: vertellers 4,0, reflectoren 2,0" in html

    def test_the_projector_shows_flags_and_role_differences_after_reveal(
        self, client, facilitator, room, evaluation
    ):
        from django.urls import reverse

        from scoring.services import session_state_set

        session_state_set(session=room, revealed=True)
        client.force_login(facilitator)
        url = reverse("sessions:projector", args=[evaluation.slug, room.pk])
        html = client.get(url).content.decode()
        assert "Ambitie dominant" in html
        assert 'id="bars-' in html
        faint = client.get(url, {"weergave": "individueel"}).context["figure"]["data"]
        assert len([t for t in faint if t["meta"]["key"] == "individueel"]) == 6

    def test_the_insights_page(self, client, analyst, room, evaluation):
        from django.urls import reverse

        client.force_login(analyst)
        response = client.get(reverse("sessions:insights", args=[evaluation.slug]))
        assert response.status_code == 200
        assert response.context["ranking"][0][1].balance == pytest.approx(
            response.context["insight"].balance
        )
        assert [t["name"] for t in response.context["lifecycle"]["data"]][0] == "Ambitie"


def test_a_flag_links_to_the_matching_paradox_and_how_questions(client, analyst, room, evaluation):
    from django.urls import reverse

    from reports.builder import report_render
    from reports.models import HowQuestion, Paradox

    Paradox.objects.create(evaluation=evaluation, condition="ambitie", title="Motor versus rem")
    HowQuestion.objects.create(evaluation=evaluation, condition="ambitie", text="Hoe houd je maat?")
    client.force_login(analyst)
    html = client.get(reverse("sessions:insights", args=[evaluation.slug])).content.decode()
    assert "Motor versus rem" in html and "Hoe houd je maat?" in html
    assert "1 hoe-vraag bij Ambitie" in html
    report = report_render("eindrapport", evaluation, for_pdf=False)
    # No contract-form chapter yet: the paradoxes are chapter 3, and the reference says so.
    assert (
        "Zie de paradox ‘Motor versus rem’ in 3.1 en de 1 hoe-vraag bij ambitie in 3.2." in report
    )


class TestOneVerdictRule:
    """Issue 11: text and table never decide a verdict differently. Every verdict is decided on
    the number as printed (one decimal) and worded by scoring.insights, for every page."""

    def test_a_d_printed_as_0_8_is_a_difference_as_the_rule_text_says(self):
        # d = (3.0 - 2.24) / 1.0 = 0.76, printed "0,8"; the rule: "d minstens 0,8".
        d = role_difference(Condition.AMBITIE, Stats(4, 3.0, 1.0), Stats(4, 2.24, 1.0))
        assert d.effect_label == "0,8"
        assert d.called_out and d.verdict_label == "duidelijk verschil"
        # 0.74 prints "0,7": no difference.
        d = role_difference(Condition.AMBITIE, Stats(4, 3.0, 1.0), Stats(4, 2.26, 1.0))
        assert d.effect_label == "0,7" and not d.called_out

    def test_agreement_is_judged_on_the_spread_as_printed(self):
        from scoring.insights import Insight

        means = {c.field: 2.0 for c in Condition}
        spread = dict(zip(means, [0.98, 0.94, 1.46, 1.44, 1.2], strict=True))
        room = Insight(n=10, means=means, spread=spread, flags=[], distance=0.0, differences=[])
        verdicts = [row["verdict"] for row in room.agreement_rows]
        # 0,98 prints "1,0" (not below 1); 1,46 prints "1,5" (from 1,5 on: uiteenlopend).
        assert verdicts == [
            "enige spreiding",
            "grote overeenstemming",
            "sterk uiteenlopend",
            "enige spreiding",
            "enige spreiding",
        ]

    def test_the_insights_page_and_the_report_print_the_same_verdict_words(
        self, client, facilitator, evaluation, session
    ):
        """Two of each role: too few to judge a difference. Both pages said it in other words."""
        from reports.builder import report_render

        evaluation.min_group_size = 2
        evaluation.save()
        session.participants.clear()
        for i, (role, row) in enumerate(
            [(Role.VERTELLER, (4, 1, 3, 1, 1)), (Role.VERTELLER, (3, 1, 4, 1, 1)),
             (Role.REFLECTOR, (2, 3, 1, 2, 2)), (Role.REFLECTOR, (1, 3, 2, 2, 2))]
        ):  # fmt: skip
            person = Participant.objects.create(evaluation=evaluation, name=f"p{i}", role=role)
            session.participants.add(person)
            allocate(session, person, **dict(zip(CONDITION_NAMES, row, strict=True)))
        from reports.outline import outline_for

        outline_for(evaluation, "eindrapport").blocks.filter(part="agreement").update(enabled=True)
        client.force_login(facilitator)
        page = client.get(f"/e/{evaluation.slug}/inzichten/").content.decode()
        report = report_render("eindrapport", evaluation, for_pdf=False)
        for html in (page, report):
            assert html.count("te weinig deelnemers</td>") == 5
        # The agreement sentence names the words its table uses, and its thresholds.
        for html in (page, report):
            assert "‘grote overeenstemming’" in html and "‘sterk uiteenlopend’" in html


CONDITION_NAMES = ["ambitie", "belangen", "relatie", "organisatie", "proces"]
