"""Serve plotly.js from the plotly Python package, so no CDN and no npm are needed."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_STATIC_PATH = "vendor/plotly.min.js"
_PLOTLY_DIR = Path(plotly.__file__).parent / "package_data"


class PlotlyFinder(BaseFinder):
    storage = FileSystemStorage(location=_PLOTLY_DIR)

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != PLOTLY_STATIC_PATH:
            return [] if find_all else None
        match = str(_PLOTLY_DIR / "plotly.min.js")
        return [match] if find_all else match

    def list(self, ignore_patterns):
        yield "plotly.min.js", _PlotlyStorage(location=_PLOTLY_DIR)


class _PlotlyStorage(FileSystemStorage):
    """Stores plotly.min.js under vendor/ when collectstatic copies it."""

    prefix = "vendor"
