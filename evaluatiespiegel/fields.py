"""Text fields with a size limit that forms, model validation and the admin all enforce.

Report text is rendered into PDFs; a text without a bound can hold a worker for minutes
(a 640 KB list took 60 s and 1.25 GB). Every free text therefore has a limit, and the
message names the field, so the analyst knows which of twenty boxes is too long.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# Limits in characters. A chapter of the source report (seeds/) is about 12,000 characters;
# LONG leaves room for that and more, and still renders in a few seconds.
LONG = 20_000
MEDIUM = 5_000
SHORT = 2_000


@deconstructible
class NamedMaxLengthValidator:
    """Refuses text longer than `limit` characters with a Dutch message naming the field."""

    message = _("%(field)s is te lang: hooguit %(limit)s tekens, nu %(length)s.")

    def __init__(self, field: str, limit: int):
        self.field = field
        self.limit = limit

    def __call__(self, value) -> None:
        if value is not None and len(value) > self.limit:
            raise ValidationError(
                self.message,
                code="max_length",
                params={"field": capfirst(self.field), "limit": self.limit, "length": len(value)},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, NamedMaxLengthValidator) and (self.field, self.limit) == (
            other.field,
            other.limit,
        )


class BoundedTextField(models.TextField):
    """A TextField with a required `max_length`, checked with a message that names the field.

    Django's TextField passes max_length to its form field only; this one also checks it in
    `full_clean()` (imports, the admin) and replaces the anonymous message with a named one.
    """

    def __init__(self, *args, max_length: int = LONG, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)

    def _named_validator(self) -> NamedMaxLengthValidator:
        return NamedMaxLengthValidator(str(self.verbose_name), self.max_length)

    def run_validators(self, value) -> None:
        super().run_validators(value)
        if value not in self.empty_values:
            self._named_validator()(value)

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        if isinstance(field, forms.CharField):
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ] + [self._named_validator()]
        return field


# What a person or a link means by "yes"; anything else is "no" (tester's Minor 11: Django's
# checkbox reads "0", "nee" and "no" as ticked, so `?names=0` gave names).
YES_WORDS = frozenset({"1", "ja", "aan", "true", "on", "yes"})


class StrictCheckboxInput(forms.CheckboxInput):
    """A checkbox whose submitted value counts as ticked only when it is a yes-word
    (YES_WORDS, any case, spaces around ignored); "0", "nee", "false", "" and the rest are no."""

    def value_from_datadict(self, data, files, name) -> bool:
        value = data.get(name)
        if isinstance(value, bool):
            return value
        return isinstance(value, str) and value.strip().lower() in YES_WORDS


class StrictBooleanField(forms.BooleanField):
    """forms.BooleanField with StrictCheckboxInput: every yes/no a form reads, from a
    query string or a POST, means the same thing. Forms use this one, never the plain one
    (tests/test_strict_booleans.py walks every form)."""

    widget = StrictCheckboxInput

    def to_python(self, value) -> bool:
        if isinstance(value, str):
            return value.strip().lower() in YES_WORDS
        return bool(value)
