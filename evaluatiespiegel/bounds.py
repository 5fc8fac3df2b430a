"""Number fields in forms take their bounds from the model's database constraints.

The database is the last line of defence (CheckConstraint "day >= 1"); a form built from the
model used to know only the column type (PositiveSmallIntegerField: "minstens 0") and said
Django's generic "Zorg ervoor dat deze waarde minstens 0 is." beside the constraint's own
message. BoundedNumbersMixin gives every integer field of a ModelForm the lower and upper
bound of its model's CheckConstraints, with the constraint's Dutch message: one rule, in
one place, said in one wording in the form, in model validation and in the database.
"""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


def constraint_bounds(model, name: str) -> tuple[int | None, int | None, str]:
    """The lowest and highest value the CheckConstraints of `model` allow in field `name`
    (None: no bound), and the constraint's message (the last bound found). Reads plain
    ``name__gte/__gt/__lte/__lt`` conditions, alone or ANDed; anything else is ignored."""
    low = high = None
    message = ""
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            continue
        condition = constraint.condition
        if not isinstance(condition, Q) or condition.connector != Q.AND or condition.negated:
            continue
        for child in condition.children:
            if not isinstance(child, tuple):
                continue
            lookup, value = child
            if isinstance(value, bool) or not isinstance(value, int):
                continue
            found = {
                f"{name}__gte": ("low", value),
                f"{name}__gt": ("low", value + 1),
                f"{name}__lte": ("high", value),
                f"{name}__lt": ("high", value - 1),
            }.get(lookup)
            if found is None:
                continue
            if found[0] == "low":
                low = found[1]
            else:
                high = found[1]
            message = str(constraint.violation_error_message)
    return low, high, message


class BoundedNumbersMixin:
    """For a ModelForm: each integer field gets its model constraint's bounds (the form's
    min/max, the input's min/max attributes and the constraint's message)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.IntegerField):
                bound_field(field, self._meta.model, name)


def bound_field(field: forms.IntegerField, model, name: str) -> None:
    """Give `field` the bounds of `model`'s constraints on `name` (see constraint_bounds)."""
    low, high, message = constraint_bounds(model, name)
    if low is None and high is None:
        return
    field.validators = [
        v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
    ]
    if low is not None:
        field.min_value = low
        field.validators.append(MinValueValidator(low, message))
        field.widget.attrs["min"] = low
    if high is not None:
        field.max_value = high
        field.validators.append(MaxValueValidator(high, message))
        field.widget.attrs["max"] = high
