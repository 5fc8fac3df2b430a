from django import forms
from django.db import models
from django.forms import inlineformset_factory, modelformset_factory
from django.utils.translation import gettext_lazy as _

from scoring.conditions import Condition
from sessions.models import ReconstructionSession

from .markup import MarkupDepthValidator
from .models import ConclusionTheme, ContractTheme, HowQuestion, Paradox, Recommendation, ReportText

MARKUP_HELP = _("Witregel = nieuwe alinea · '- ' = opsomming · *schuin* · **vet** · '> ' = citaat")

# The report's sections in the report's order: slug, title, ReportText fields.
SECTIONS = [
    ("omslag", _("Omslag"), ["title", "subtitle", "report_date", "analyst", "publisher"]),
    ("inleiding", _("1 Inleiding"), ["introduction", "reason", "method", "goal"]),
    (
        "contractvormen",
        _("2 Hoe contractvormen zich onderscheiden"),
        ["contract_intro", "other_form", "contract_conclusion"],
    ),
    (
        "theorie",
        _("3 Theoretisch kader"),
        [
            "theory",
            "theory_charts",
            "show_imbalance",
            "show_roles",
            "show_agreement",
            "show_lifecycle",
        ],
    ),
    ("paradoxen", _("4.1 Paradoxen"), ["paradoxes_intro"]),
    ("hoe-vragen", _("4.2 Hoe-vragen en bijlage"), ["how_questions_intro"]),
    ("conclusie", _("5 Conclusie"), ["conclusion_intro"]),
    ("tot-slot", _("6 Tot slot"), ["closing"]),
]
SECTION_TITLES = {slug: title for slug, title, _fields in SECTIONS}
SECTION_FIELDS = {slug: fields for slug, _title, fields in SECTIONS}


class MarkupForm(forms.ModelForm):
    """A model form whose text boxes refuse lists and quotations nested too deep to print."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.validators.append(MarkupDepthValidator(str(field.label)))


def report_text_form(section: str):
    fields = SECTION_FIELDS[section]
    widgets = {
        f: forms.Textarea(attrs={"rows": 8})
        for f in fields
        if isinstance(ReportText._meta.get_field(f), models.TextField)
    }
    return forms.modelform_factory(ReportText, form=MarkupForm, fields=fields, widgets=widgets)


ContractThemeFormSet = modelformset_factory(
    ContractTheme,
    form=MarkupForm,
    fields=["order", "title", "alliance", "other"],
    widgets={
        "alliance": forms.Textarea(attrs={"rows": 3}),
        "other": forms.Textarea(attrs={"rows": 3}),
    },
    can_delete=True,
    extra=1,
)
ConclusionThemeFormSet = modelformset_factory(
    ConclusionTheme,
    form=MarkupForm,
    fields=["order", "title", "text"],
    widgets={"text": forms.Textarea(attrs={"rows": 6})},
    can_delete=True,
    extra=1,
)
HowQuestionFormSet = modelformset_factory(
    HowQuestion, fields=["condition", "order", "text"], can_delete=True, extra=2
)
RecommendationFormSet = inlineformset_factory(
    HowQuestion,
    Recommendation,
    form=MarkupForm,
    fields=["order", "text"],
    widgets={"text": forms.Textarea(attrs={"rows": 2})},
    can_delete=True,
    extra=2,
)


class ParadoxForm(MarkupForm):
    class Meta:
        model = Paradox
        fields = ["title", "practice", "theory"]
        widgets = {
            "practice": forms.Textarea(attrs={"rows": 8}),
            "theory": forms.Textarea(attrs={"rows": 8}),
        }

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("practice") or cleaned.get("theory")) and not cleaned.get("title"):
            self.add_error("title", _("Geef de paradox een titel: 'kracht versus tegenkracht'."))
        return cleaned


def paradox_forms(evaluation, data=None) -> list[tuple[Condition, ParadoxForm]]:
    """One form per condition, in the method's order; an untouched new one is skipped."""
    existing = {p.condition: p for p in evaluation.paradoxes.all()}
    result = []
    for condition in Condition:
        instance = existing.get(condition.value) or Paradox(
            evaluation=evaluation, condition=condition.value
        )
        form = ParadoxForm(
            data,
            instance=instance,
            prefix=condition.value,
            empty_permitted=instance.pk is None,
            use_required_attribute=False,
        )
        result.append((condition, form))
    return result


class SessionNotesForm(MarkupForm):
    class Meta:
        model = ReconstructionSession
        fields = ["reconstruction", "reflections", "insights", "lessons"]
        widgets = {f: forms.Textarea(attrs={"rows": 5}) for f in fields}
        help_texts = {f: MARKUP_HELP for f in fields}


class ExportForm(forms.Form):
    """Which raw data to download. Names only when asked for, in every format.

    The choice is a positive "met namen": an unticked box and a missing parameter mean the
    same, so every way of asking without it (a hand-made URL too) gets pseudonyms.
    """

    FORMATS = [
        ("xlsx", _("Excel (XLSX): puntenverdelingen en wijzigingen")),
        ("csv", _("CSV: puntenverdelingen")),
        ("csv-wijzigingen", _("CSV: alle wijzigingen (auditspoor)")),
    ]
    format = forms.ChoiceField(label=_("Formaat"), choices=FORMATS, initial="xlsx")
    names = forms.BooleanField(
        label=_("Met namen en organisaties (anders vaste pseudoniemen)"),
        required=False,
        initial=False,
    )

    def __init__(self, *args, may_name: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_name = may_name
        if not may_name:
            del self.fields["names"]

    def clean(self):
        cleaned = super().clean()
        if not self.may_name and self.data.get("names"):
            raise forms.ValidationError(
                _("Alleen de analist van deze evaluatie mag gegevens met namen exporteren."),
                code="names_not_allowed",
            )
        cleaned.setdefault("names", False)
        return cleaned
