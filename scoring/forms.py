import functools

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from evaluatiespiegel.fields import StrictBooleanField

from .conditions import POINTS_TOTAL, Condition
from .models import points_total_message
from .services import points_messages, points_validate


@functools.lru_cache(maxsize=16)
def _fields(language: str) -> dict[str, forms.Field]:
    return {
        condition.field: forms.CharField(
            label=condition.label,
            required=False,
            help_text=condition.explanation,
            widget=forms.NumberInput(
                attrs={"min": 0, "max": 10, "step": 1, "inputmode": "numeric"}
            ),
        )
        for condition in Condition
    }


class AllocationForm(forms.Form):
    """Five whole numbers that add up to 10. Text fields, so a wrong entry comes back as typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The fields are the same for every form (in a language): made once, not on every
        # submit (issue 14's profile: building five fields and widgets was 10 % of a submit).
        # Nothing mutates a field after it is made; what a form is bound to lives on the form.
        self.fields.update(_fields(get_language()))

    def clean(self):
        raw = {c.field: self.data.get(self.add_prefix(c.field), "") for c in Condition}
        points, errors = points_validate(raw)
        for field, message in errors.items():
            self.add_error(field, message)
        if not errors:
            total = sum(points.values())
            if total != POINTS_TOTAL:
                raise forms.ValidationError(points_total_message(total), code="total")
        self.points = points
        return points

    def conditions(self):
        """(condition, bound field, messages) in the method's order, for the template."""
        return [(c, self[c.field], points_messages(c)) for c in Condition]


class ConfirmForm(forms.Form):
    confirm = StrictBooleanField(
        label=_("Ja, ik weet het zeker"),
        error_messages={"required": _("Vink aan dat je het zeker weet.")},
    )
