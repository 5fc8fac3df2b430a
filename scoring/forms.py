from django import forms
from django.utils.translation import gettext_lazy as _

from evaluatiespiegel.fields import StrictBooleanField

from .conditions import POINTS_TOTAL, Condition
from .models import points_total_message
from .services import points_messages, points_validate


class AllocationForm(forms.Form):
    """Five whole numbers that add up to 10. Text fields, so a wrong entry comes back as typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for condition in Condition:
            self.fields[condition.field] = forms.CharField(
                label=condition.label,
                required=False,
                help_text=condition.explanation,
                widget=forms.NumberInput(
                    attrs={"min": 0, "max": 10, "step": 1, "inputmode": "numeric"}
                ),
            )

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
