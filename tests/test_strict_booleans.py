"""Every yes/no a form reads is strict: only a yes-word means yes (tester's Minor 11).

Django's own checkbox reads "0", "nee" and "no" as ticked: `?names=0` gave names.
"""

import importlib
import inspect

import pytest
from django import forms

from evaluatiespiegel.fields import StrictBooleanField, StrictCheckboxInput
from reports.forms import ExportForm

FORM_MODULES = [
    "sessions.forms",
    "sessions.planner_views",
    "sessions.wall_views",
    "scoring.forms",
    "reports.forms",
]


def _forms():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                yield cls


def test_every_yes_no_field_of_every_form_is_strict():
    def strict(field) -> bool:
        # Django's own checkbox turns "0" into True before the field sees it; any other
        # widget hands the raw text to StrictBooleanField.to_python.
        widget = field.widget
        loose_widget = isinstance(widget, forms.CheckboxInput) and not isinstance(
            widget, StrictCheckboxInput
        )
        return isinstance(field, StrictBooleanField) and not loose_widget

    loose = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _forms()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.BooleanField) and not strict(field)
    ]
    assert loose == []


@pytest.mark.parametrize("value", ["1", "ja", "JA", "aan", "true", "True", "on", " ja "])
def test_a_yes_word_is_yes(value):
    form = ExportForm({"format": "csv", "names": value}, may_name=True)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["names"] is True


@pytest.mark.parametrize("value", ["0", "nee", "no", "false", "uit", "off", "", "2", "jaa"])
def test_anything_else_is_no(value):
    form = ExportForm({"format": "csv", "names": value}, may_name=True)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["names"] is False
