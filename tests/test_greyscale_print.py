"""The charts survive greyscale print (issue 11): series differ by line style or marker, not
only by colour. Checked on paper as a greyscale printer makes it: PDF pages rasterised with
`pdftoppm -gray` (poppler-utils; `make test` installs it).

The SVG-attribute tests (test_report_numbers.py, TestGreyscale) check what we draw; these
check what reaches the page: the demo eindrapport's chart pages keep their dash patterns in
the PDF, and each series, printed alone in grey and reduced to ink or no ink (so that colour
and grey level count for nothing), still differs from every other series.
"""

import base64
import io
import itertools
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image, ImageChops, ImageFilter, ImageOps
from pypdf import PdfReader
from pypdf.generic import ContentStream

from reports.builder import report_pdf
from reports.rendering import render_pdf
from scoring.charts import figure_svg, lifecycle_figure, line_svg, spider_figure
from scoring.conditions import CONDITION_FIELDS, Condition
from scoring.insights import insights_by
from scoring.models import Allocation
from scoring.services import ALL_KEY, Series
from sessions.models import Evaluation


@pytest.fixture(autouse=True)
def _pdftoppm_is_there():
    # A missing tool fails, never skips: a skipped test checks nothing (make test installs it).
    assert shutil.which("pdftoppm"), "pdftoppm ontbreekt: make test installeert poppler-utils"


INK = 200  # a grey darker than this prints as ink; the series' light fills do not
SEEN = 0.05  # two series whose own ink differs by more than this share can be told apart
STROKES = {b"S", b"s", b"B", b"B*", b"b", b"b*"}


def greyscale_pages(pdf: bytes, dpi: int = 250) -> list[Image.Image]:
    """Every page of `pdf` as pdftoppm -gray prints it (8-bit grey)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-gray", "-r", str(dpi), str(source), str(Path(folder) / "page")],
            check=True,
            capture_output=True,
        )
        return [Image.open(path).convert("L").copy() for path in sorted(Path(folder).glob("page*"))]


def ink(image: Image.Image) -> Image.Image:
    """What a printer inks (255) and leaves blank (0), cropped to the drawing."""
    mask = image.point(lambda value: 255 if value < INK else 0)
    box = mask.getbbox()
    return mask.crop(box) if box else mask


def inked(mask: Image.Image) -> int:
    return mask.histogram()[255]


def charts_alone(svgs: list[str]) -> list[set]:
    """Each SVG on a page of its own, through the report's PDF renderer, then printed grey."""
    pages = "".join(
        '<div style="break-after: page"><img style="width: 120mm" '
        f'src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}"></div>'
        for svg in svgs
    )
    return [ink(page) for page in greyscale_pages(render_pdf(f"<html><body>{pages}</body></html>"))]


def differ(a: Image.Image, b: Image.Image, frame: Image.Image, slack: int = 1) -> float:
    """The ink that only one of two prints has, more than `slack` pixels from any ink of the
    other (anti-aliasing and sub-pixel placement differ by a pixel), as a share of the ink
    their series add to `frame` (the same chart without series: axes, grid, labels).
    0 means the two cannot be told apart without colour."""
    size = (max(a.width, b.width), max(a.height, b.height))
    a, b = (ImageOps.pad(m, size, centering=(0, 0), color=0) for m in (a, b))
    near_a, near_b = (m.filter(ImageFilter.MaxFilter(2 * slack + 1)) for m in (a, b))
    only_a = ImageChops.multiply(a, ImageOps.invert(near_b))
    only_b = ImageChops.multiply(b, ImageOps.invert(near_a))
    series_ink = inked(a) + inked(b) - 2 * inked(frame)
    return (inked(only_a) + inked(only_b)) / max(1, series_ink)


def _one_series_spider(key: str) -> str:
    means = dict(zip(CONDITION_FIELDS, [3, 2, 2, 2, 1], strict=True))
    # Same label, same values: only the style of the key can tell them apart.
    return figure_svg(spider_figure([Series(key, "Groep", 3, means)]))


def _one_trace_lifecycle(figure: dict, trace: dict, *, hidden: bool = False) -> str:
    """The lifecycle chart with `trace` alone, on values the same for every trace; `hidden`
    draws no line or marker (the frame), but keeps the legend text so the frame matches."""
    values = [2.0, 3.0, 1.5, 2.5, 2.0, 1.0][: len(trace["y"])]
    single = {**trace, "name": "Conditie", "y": [None] * len(values) if hidden else values}
    return line_svg({**figure, "data": [single]})


class TestSeriesAloneInGrey:
    def test_the_method_ignores_colour(self):
        """Control: one series in two colours prints the same ink, so a difference found
        below comes from line style or marker, never from colour."""
        means = dict(zip(CONDITION_FIELDS, [3, 2, 2, 2, 1], strict=True))
        figure = spider_figure([Series("verteller", "Groep", 3, means)])
        recoloured = {**figure, "data": [dict(figure["data"][0], line={
            **figure["data"][0]["line"], "color": "#b3261e"})]}  # fmt: skip
        frame, a, b = charts_alone(
            [figure_svg({**figure, "data": []}), figure_svg(figure), figure_svg(recoloured)]
        )
        assert inked(a) > inked(frame) + 1000
        assert differ(a, b, frame) < 0.02

    def test_the_spider_series_differ_in_grey(self):
        keys = ["verteller", "reflector", ALL_KEY]
        frame, *alone = charts_alone(
            [figure_svg({**spider_figure([]), "data": []})] + [_one_series_spider(k) for k in keys]
        )
        prints = dict(zip(keys, alone, strict=True))
        for a, b in itertools.combinations(keys, 2):
            assert differ(prints[a], prints[b], frame) > SEEN, (a, b)

    def test_the_lifecycle_series_differ_in_grey(self, demo):
        key_moments = list(demo.key_moments.order_by("order"))
        insights = insights_by(
            Allocation.objects.filter(session__evaluation=demo), "session__key_moment_id"
        )
        figure = lifecycle_figure(key_moments, insights)
        assert len(figure["data"]) == len(Condition)
        frame, *prints = charts_alone(
            [_one_trace_lifecycle(figure, figure["data"][0], hidden=True)]
            + [_one_trace_lifecycle(figure, t) for t in figure["data"]]
        )
        for (i, a), (j, b) in itertools.combinations(enumerate(prints), 2):
            names = (figure["data"][i]["name"], figure["data"][j]["name"])
            assert differ(a, b, frame) > SEEN, names


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())
    return Evaluation.objects.get()


def _strokes(reader: PdfReader, page) -> list[tuple[tuple, str]]:
    """(stroke colour, dash array) of every stroke drawn on `page`, Form XObjects included."""
    found = []

    def walk(content, resources, state):
        stack = []
        for operands, op in ContentStream(content, reader).operations:
            if op == b"q":
                stack.append(dict(state))
            elif op == b"Q" and stack:
                state = stack.pop()
            elif op == b"RG":
                state["colour"] = tuple(round(float(v), 3) for v in operands)
            elif op == b"d":
                state["dash"] = " ".join(str(float(v)) for v in operands[0]) or "solid"
            elif op in STROKES:
                found.append((state.get("colour"), state.get("dash", "solid")))
            elif op == b"Do":
                xobject = resources["/XObject"][operands[0]].get_object()
                if xobject.get("/Subtype") == "/Form":
                    walk(xobject, xobject.get("/Resources", resources), dict(state))

    walk(page.get_contents(), page["/Resources"], {})
    return found


def _grey(colour: tuple) -> float:
    r, g, b = colour
    return 0.299 * r + 0.587 * g + 0.114 * b  # what a greyscale printer keeps


def test_the_demo_eindrapport_chart_pages_keep_their_line_styles_in_grey(demo):
    pdf = report_pdf("eindrapport", demo)
    reader = PdfReader(io.BytesIO(pdf))
    # Captions may break with a hyphen (U+2010) at a line end: read them whole.
    texts = [" ".join(page.extract_text().replace("\u2010\n", "").split()) for page in reader.pages]
    spider = next(i for i, t in enumerate(texts) if "Alle sleutelmomenten samen" in t)
    lifecycle = next(
        i for i, t in enumerate(texts) if "Gemiddelde punten per conditie, van sleutel" in t
    )
    for index, series in ((spider, 3), (lifecycle, len(Condition))):
        strokes = _strokes(reader, reader.pages[index])
        # The coloured strokes are the series (grid lines and axes are neutral grey).
        coloured = {(c, d) for c, d in strokes if c and max(c) - min(c) > 0.08}
        by_colour: dict[tuple, set] = {}
        for colour, dash in coloured:
            by_colour.setdefault(colour, set()).add(dash)
        assert len(by_colour) >= series - 1, by_colour  # "alle" may be a neutral slate
        dashes = {d for _c, d in strokes}
        assert len(dashes) >= series, f"page {index + 1}: dash patterns {dashes}"
        # Two series that print as nearly the same grey never share a line style.
        for (c1, d1), (c2, d2) in itertools.combinations(by_colour.items(), 2):
            if abs(_grey(c1) - _grey(c2)) < 0.1:
                assert d1 != d2, (c1, c2, d1, d2)
    # And the pages print in grey with their charts on them.
    greys = greyscale_pages(pdf)
    assert len(greys) == len(reader.pages)
    for index in (spider, lifecycle):
        assert greys[index].mode == "L" and inked(ink(greys[index])) > 5000
