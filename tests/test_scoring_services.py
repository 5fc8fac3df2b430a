import pytest
from django.core.exceptions import ValidationError

from scoring.charts import figure_svg, radial_max, spider_figure
from scoring.models import Allocation, AllocationChange
from scoring.services import allocation_submit, live_version, session_aggregate, session_state_set
from sessions.models import Participant, Role, SessionState

from .conftest import points


@pytest.fixture
def second_verteller(evaluation, session):
    person = Participant.objects.create(
        evaluation=evaluation, name="Wim Verteller", role=Role.VERTELLER
    )
    session.participants.add(person)
    return person


def submit(session, participant, **kwargs):
    return allocation_submit(participant=participant, session=session, points=points(**kwargs))


class TestAggregate:
    @pytest.fixture(autouse=True)
    def means_of_one_are_shown(self, evaluation):
        # These tests are about the arithmetic; privacy has its own tests (test_privacy.py).
        evaluation.min_group_size = 1
        evaluation.save()

    def test_means_per_role_and_overall_with_n(
        self, session, verteller, second_verteller, reflector
    ):
        submit(session, verteller, ambitie=4, relatie=2, belangen=1, organisatie=2, proces=1)
        submit(session, second_verteller, ambitie=2, relatie=4, belangen=1, organisatie=2, proces=1)
        submit(session, reflector, ambitie=3, relatie=1, belangen=3, organisatie=2, proces=1)
        aggregate = session_aggregate(session)
        assert aggregate.vertellers.n == 2
        assert aggregate.reflectoren.n == 1
        assert aggregate.n == 3
        assert aggregate.vertellers.means == {
            "ambitie": 3.0, "belangen": 1.0, "relatie": 3.0, "organisatie": 2.0, "proces": 1.0
        }  # fmt: skip
        assert aggregate.reflectoren.means["belangen"] == 3.0
        assert aggregate.everyone.means["ambitie"] == pytest.approx(3.0)
        assert aggregate.everyone.means["relatie"] == pytest.approx(7 / 3)
        assert aggregate.everyone.means["belangen"] == pytest.approx(5 / 3)

    def test_the_largest_difference_between_the_roles(self, session, verteller, reflector):
        submit(session, verteller, relatie=4, belangen=1, ambitie=2, organisatie=2, proces=1)
        submit(session, reflector, relatie=1, belangen=3, ambitie=2, organisatie=2, proces=2)
        difference = session_aggregate(session).largest_difference
        assert difference.condition.value == "relatie"
        assert (difference.verteller, difference.reflector) == (4.0, 1.0)

    def test_the_largest_difference_is_the_largest_as_printed(self):
        """Exact gaps 1,08 and 1,02, printed 3,0 · 2,0 and 3,0 · 1,9: the projector names the
        one whose printed means are furthest apart."""
        from scoring.services import Aggregate, Series

        def series(key, ambitie, belangen):
            rest = (10 - ambitie - belangen) / 3
            means = dict(zip(CONDITION_NAMES, [ambitie, belangen, rest, rest, rest], strict=True))
            return Series(key, key, 5, means)

        vertellers, reflectoren = series("verteller", 3.04, 2.96), series("reflector", 1.96, 1.94)
        everyone = series("alle", 2.5, 2.45)
        aggregate = Aggregate(vertellers, reflectoren, everyone, [vertellers, reflectoren])
        assert aggregate.largest_difference.condition.value == "belangen"

    def test_an_empty_session_has_zero_means_and_no_difference(self, session):
        aggregate = session_aggregate(session)
        assert aggregate.n == 0
        assert aggregate.everyone.values == [0.0] * 5
        assert aggregate.largest_difference is None
        assert all(value is None for row in aggregate.rows for value in row["values"])

    def test_a_session_with_one_role_only(self, session, verteller):
        submit(session, verteller, ambitie=6, belangen=1, relatie=1, organisatie=1, proces=1)
        aggregate = session_aggregate(session)
        assert aggregate.reflectoren.n == 0
        assert aggregate.everyone.means == aggregate.vertellers.means
        assert aggregate.largest_difference is None

    def test_a_changed_allocation_replaces_the_old_one(self, session, verteller):
        submit(session, verteller, ambitie=6, belangen=1, relatie=1, organisatie=1, proces=1)
        submit(session, verteller, ambitie=1, belangen=1, relatie=6, organisatie=1, proces=1)
        aggregate = session_aggregate(session)
        assert aggregate.n == 1
        assert aggregate.everyone.means["relatie"] == 6.0
        assert Allocation.objects.count() == 1


class TestSubmit:
    def test_the_same_submission_twice_leaves_one_allocation_and_one_change(
        self, session, verteller
    ):
        submit(session, verteller)
        submit(session, verteller)
        assert Allocation.objects.count() == 1
        assert AllocationChange.objects.count() == 1

    def test_every_change_is_recorded_with_old_and_new_points(self, session, verteller):
        submit(session, verteller)
        submit(session, verteller, ambitie=3, proces=1)
        first, second = AllocationChange.objects.order_by("pk")
        assert first.old_points is None and first.new_points == points()
        assert second.old_points == points()
        assert second.new_points == points(ambitie=3, proces=1)
        assert second.changed_by == verteller.name

    def test_a_submit_after_closing_is_refused_and_not_stored(self, session, verteller):
        session_state_set(session=session, state=SessionState.GESLOTEN)
        with pytest.raises(ValidationError, match="gesloten"):
            submit(session, verteller)
        assert not Allocation.objects.exists()

    def test_a_submit_before_opening_is_refused(self, session, verteller):
        session_state_set(session=session, state=SessionState.VOORBEREIDING)
        with pytest.raises(ValidationError, match="nog niet geopend"):
            submit(session, verteller)

    def test_a_participant_outside_the_group_is_refused(self, session, evaluation):
        stranger = Participant.objects.create(
            evaluation=evaluation, name="Sam", role=Role.REFLECTOR
        )
        with pytest.raises(ValidationError, match="niet bij jouw groep"):
            submit(session, stranger)

    def test_a_total_other_than_ten_is_refused(self, session, verteller):
        with pytest.raises(ValidationError, match="2 punten te veel"):
            submit(session, verteller, ambitie=4)


class TestLiveVersion:
    def test_changes_with_every_allocation_change_and_state_change(self, session, verteller):
        seen = {live_version(session)}
        submit(session, verteller)
        seen.add(live_version(session))
        submit(session, verteller)  # identical: no change
        assert live_version(session) in seen
        submit(session, verteller, ambitie=3, proces=1)
        seen.add(live_version(session))
        session = session_state_set(session=session, revealed=True)
        seen.add(live_version(session))
        assert len(seen) == 4


class TestChart:
    @pytest.fixture(autouse=True)
    def means_of_one_are_shown(self, evaluation):
        # These tests are about the arithmetic; privacy has its own tests (test_privacy.py).
        evaluation.min_group_size = 1
        evaluation.save()

    def test_three_traces_in_the_method_order_with_the_means(self, session, verteller, reflector):
        submit(session, verteller, ambitie=4, relatie=2, belangen=1, organisatie=2, proces=1)
        submit(session, reflector, ambitie=2, relatie=2, belangen=3, organisatie=2, proces=1)
        figure = spider_figure(session_aggregate(session).series)
        names = [trace["name"] for trace in figure["data"]]
        assert names == ["Vertellers (n = 1)", "Reflectoren (n = 1)", "Alle deelnemers (n = 2)"]
        for trace in figure["data"]:
            assert trace["theta"] == [
                "Ambitie",
                "Belangen",
                "Relatie",
                "Organisatie",
                "Proces",
                "Ambitie",
            ]
            assert trace["r"][0] == trace["r"][-1]  # closed polygon
        assert figure["data"][0]["r"][:5] == [4, 1, 2, 2, 1]
        assert figure["data"][2]["r"][:5] == [3, 2, 2, 2, 1]
        assert figure["layout"]["polar"]["radialaxis"]["range"] == [0, 5]

    def test_the_radial_scale_is_fixed_at_5_or_10(self):
        assert radial_max([0, 2.5, 5]) == 5
        assert radial_max([5.1]) == 10
        assert radial_max([]) == 5

    def test_the_svg_shows_the_same_figure_as_vector_graphics(self, session, verteller):
        submit(session, verteller)
        svg = figure_svg(spider_figure(session_aggregate(session).series))
        assert svg.startswith("<svg") and "<image" not in svg
        # Five rings, the vertellers and everyone: the empty role is not drawn.
        assert svg.count("<polygon") == 5 + 2
        assert "(n = 0)" not in svg
        assert "Organisatie" in svg
        assert "Vertellers (n = 1)" in svg


@pytest.mark.parametrize("typed", ["e", "-", "1.5", "4e1", "٤", "1_0", "0x5", "+", "4 4"])
def test_what_is_not_a_whole_number_is_refused_in_the_words_the_page_uses(typed):
    """Issue 9, item 7: "e" or "-" was stored as 0. The page's script shows the same message."""
    from scoring.conditions import Condition
    from scoring.services import points_messages, points_validate

    raw = {c.field: "" for c in Condition} | {"proces": typed}
    points, errors = points_validate(raw)
    assert errors == {"proces": points_messages(Condition.PROCES)["bad"]}
    assert errors["proces"] == "Vul bij Proces een heel getal in, van 0 tot en met 10."


CONDITION_NAMES = ["ambitie", "belangen", "relatie", "organisatie", "proces"]
