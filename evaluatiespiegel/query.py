"""Query-string parameters, read through form fields like every other input."""

from typing import Any

from django import forms
from django.http import HttpRequest


def query_param(request: HttpRequest, name: str, field: forms.Field, default: Any = None) -> Any:
    """The value of ``?name=`` cleaned by ``field``, or ``default`` when absent or invalid.

    A query string is typed by nobody: a stale bookmark or a probe gets the default page
    rather than an error. The form field gives the usual checks for free: numbers that are
    numbers (``"²".isdigit()`` is true, ``int("²")`` fails), no NUL characters (PostgreSQL
    refuses them), maximum lengths, choices.
    """
    field.required = False
    try:
        value = field.clean(request.GET.get(name, ""))
    except forms.ValidationError:
        return default
    return default if value in (None, "") else value
