"""Charts legible on a projector and in greyscale (new-user test M8 and minor 13)."""

from scoring.charts import spider_figure, with_agreement
from scoring.services import Series


def _series(key: str) -> Series:
    return Series(key, key, 3, dict(ambitie=3, belangen=2, relatie=2, organisatie=2, proces=1))


def test_every_key_moment_compared_has_its_own_colour_line_and_marker():
    """'Sleutelmomenten vergeleken' drew every key moment in the same green dashed line."""
    figure = spider_figure([_series(f"km{i}") for i in range(1, 6)])
    looks = [(t["line"]["color"], t["line"]["dash"], t["marker"]["symbol"]) for t in figure["data"]]
    assert len(set(looks)) == 5
    assert len({dash for _c, dash, _s in looks}) == 5  # apart in greyscale too
    assert len({symbol for _c, _d, symbol in looks}) == 5


def test_a_zero_to_ten_scale_numbers_every_other_ring_beside_the_spokes():
    """Eleven ring numbers up the Ambitie spoke ran into one blob at 1280x720."""
    radial = spider_figure([_series("alle")], scale=10)["layout"]["polar"]["radialaxis"]
    assert radial["dtick"] == 2
    assert radial["angle"] % 72 != 90 % 72  # not on a spoke


def test_the_anonymous_allocations_are_visible_lines():
    """'Alle verdelingen (anoniem)' were thin pale grey, nearly invisible on a projector."""
    figure = with_agreement(spider_figure([_series("alle")]), individual=[[4, 2, 2, 1, 1]])
    line = figure["data"][0]["line"]
    alpha = float(line["color"].rsplit(",", 1)[1].rstrip(")"))
    assert alpha >= 0.4 and line["width"] >= 2
