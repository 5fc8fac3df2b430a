import re

from django import forms
from django.forms import inlineformset_factory, modelformset_factory
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from evaluatiespiegel.bounds import BoundedNumbersMixin
from evaluatiespiegel.fields import StrictBooleanField
from scoring.conditions import Condition
from sessions.models import ReconstructionSession

from .images import image_clean
from .markup import MarkupDepthValidator
from .models import (
    PARTS_FOR,
    BlockKind,
    ConclusionTheme,
    ContractTheme,
    HowQuestion,
    Paradox,
    Part,
    Recommendation,
    ReportBlock,
    ReportText,
)
from .outline_file import OutlineFileError, heading_marks
from .presets import presets_for

MARKUP_HELP = _(
    "Witregel = nieuwe alinea · '- ' = opsomming (twee spaties inspringen = sublijst) · "
    "'# ' = tussenkop · *schuin* · **vet** · '> ' = citaat · [tekst](https://…) = link"
)

HEADING_MARKS_HELP = _(
    "Bij een kop kan achter de titel, net als in de opzet als bestand (.md): {-} = zonder "
    "nummer · {uit} = uitgezet · {- uit} = allebei. Eindigt de titel zelf op }, zet er {} "
    "achter."
)

# The parts of the report written in forms of their own, in the report's order: slug, title,
# ReportText fields. The chapters' texts and headings are blocks of the outline.
SECTIONS = [
    (
        "omslag",
        _("Omslag en huisstijl"),
        [
            "title", "subtitle", "tagline", "report_date", "analyst", "publisher",
            "publisher_line2", "running_header", "typeface", "accent",
        ],
    ),
    ("contractvormen", _("Thema's contractvormen"), ["other_form"]),
    ("paradoxen", _("Paradoxen"), []),
    ("hoe-vragen", _("Hoe-vragen en aanbevelingen"), []),
    ("conclusie", _("Thema's conclusie"), []),
]  # fmt: skip
SECTION_TITLES = {slug: title for slug, title, _fields in SECTIONS}
SECTION_FIELDS_COVER = SECTIONS[0][2]
SECTION_FIELDS = {slug: fields for slug, _title, fields in SECTIONS}


class MarkupForm(forms.ModelForm):
    """A model form whose text boxes refuse lists and quotations nested too deep to print."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.validators.append(MarkupDepthValidator(str(field.label)))


class CoverForm(MarkupForm):
    """The cover and house style, with an optional logo upload (sanitised like figures)."""

    logo_upload = forms.FileField(
        label=_("Logo (PNG, JPEG of SVG)"),
        required=False,
        help_text=_("Op het omslag en, als de kopregel de uitgever toont, in de kopregel."),
    )
    logo_remove = StrictBooleanField(label=_("Logo verwijderen"), required=False)

    class Meta:
        model = ReportText
        fields = SECTION_FIELDS_COVER
        widgets = {"accent": forms.TextInput(attrs={"type": "color"})}

    def clean_accent(self):
        accent = self.cleaned_data["accent"]
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", accent or ""):
            raise forms.ValidationError(_("Geef een kleur als #rrggbb, bijv. #0b4f6c."))
        return accent.lower()

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if upload:
            self.cleaned_logo = image_clean(upload)
        return upload

    def save(self, commit=True):
        text = super().save(commit=False)
        if self.cleaned_data.get("logo_remove"):
            text.logo, text.logo_type = None, ""
        elif getattr(self, "cleaned_logo", None):
            text.logo, text.logo_type = self.cleaned_logo
        if commit:
            text.save()
        return text


def report_text_form(section: str):
    if section == "omslag":
        return CoverForm
    return forms.modelform_factory(ReportText, form=MarkupForm, fields=SECTION_FIELDS[section])


class BlockForm(BoundedNumbersMixin, MarkupForm):
    """Add or change one block of an outline; which fields count depends on its kind."""

    upload = forms.FileField(
        label=_("Afbeelding (PNG, JPEG of SVG)"),
        required=False,
        help_text=_("Wordt veilig opgeslagen: alleen de tekening, nooit verwijzingen naar buiten."),
    )

    class Meta:
        model = ReportBlock
        fields = ["kind", "level", "numbered", "title", "body", "part", "width"]
        field_classes = {"numbered": StrictBooleanField}
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "level": forms.Select(choices=[(1, "1"), (2, "2"), (3, "3")]),
        }
        help_texts = {"body": MARKUP_HELP, "title": HEADING_MARKS_HELP}

    def __init__(self, *args, report_kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = [("", "—")] + [
            (p.value, p.label) for p in Part if p in PARTS_FOR[report_kind]
        ]
        self.fields["kind"].required = self.instance.pk is None
        self.fields["width"].required = False
        self.fields["level"].required = False
        if self.instance.pk:
            self.fields["kind"].disabled = True

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind") or self.instance.kind
        if not cleaned.get("level"):
            cleaned["level"] = self.instance.level or 1
        if kind == BlockKind.HEADING and cleaned.get("title"):
            self._heading_marks(cleaned)
        if kind == BlockKind.HEADING and not cleaned.get("title"):
            self.add_error("title", _("Een kop heeft een titel nodig."))
        if kind == BlockKind.GENERATED and not cleaned.get("part"):
            self.add_error("part", _("Kies welk onderdeel uit de gegevens hier komt."))
        if kind != BlockKind.GENERATED:
            cleaned["part"] = ""
        upload = cleaned.get("upload")
        if kind == BlockKind.FIGURE:
            if upload:
                try:
                    self.cleaned_image = image_clean(upload)
                except forms.ValidationError as error:
                    self.add_error("upload", error)
            elif not self.instance.image:
                self.add_error("upload", _("Kies een afbeelding voor de figuur."))
        width = cleaned.get("width")
        if width is None:
            cleaned["width"] = self.instance.width or 100
        return cleaned

    def _heading_marks(self, cleaned) -> None:
        """The outline file's marks typed after a heading's title ("{-}", "{uit}"): one
        notation in the editor and the file (reports.outline_file.heading_marks)."""
        try:
            title, numbered, enabled = heading_marks(cleaned["title"], capfirst(_("titel")))
        except OutlineFileError as error:
            self.add_error("title", error.messages)
            return
        cleaned["title"] = title
        if numbered is False:
            cleaned["numbered"] = False
        self.switched_off = enabled is False

    def save(self, commit=True):
        block = super().save(commit=False)
        if getattr(self, "switched_off", False):
            block.enabled = False
        if getattr(self, "cleaned_image", None):
            block.image, block.image_type = self.cleaned_image
        if commit:
            block.save()
        return block


class PresetForm(forms.Form):
    """Which preset to apply; without `bevestig` the view first shows what it would do."""

    preset = forms.ChoiceField(label=_("Opzet"))
    bevestig = StrictBooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, report_kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preset"].choices = presets_for(report_kind)


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
    widgets={"text": forms.Textarea(attrs={"rows": 4})},
    help_texts={"text": MARKUP_HELP},
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
    names = StrictBooleanField(
        label=_("Met namen en organisaties (anders vaste pseudoniemen)"),
        required=False,
        initial=False,
    )

    def __init__(self, *args, evaluation=None, may_name: bool = False, **kwargs):
        """`may_name`: the user's role may export names; names are offered only where the
        evaluation allows the team to see them, too (Evaluation.team_sees_names)."""
        super().__init__(*args, **kwargs)
        self.role_may_name = may_name
        self.evaluation_allows_names = evaluation is None or evaluation.team_sees_names
        self.may_name = may_name and self.evaluation_allows_names
        if not may_name:
            del self.fields["names"]

    def clean(self):
        cleaned = super().clean()
        if self.role_may_name and not self.evaluation_allows_names and cleaned.get("names"):
            raise forms.ValidationError(
                _(
                    "Deze evaluatie toont het team geen namen bij punten en bijdragen. "
                    "Zet ‘Namen in de tussenrapportage’ aan in de instellingen, of "
                    "exporteer met pseudoniemen."
                ),
                code="names_off",
            )
        if not self.role_may_name and self.data.get("names"):
            raise forms.ValidationError(
                _("Alleen de analist van deze evaluatie mag gegevens met namen exporteren."),
                code="names_not_allowed",
            )
        cleaned.setdefault("names", False)
        return cleaned


class OutlineFileForm(forms.Form):
    """An outline file to read: Markdown (from 'Opzet als bestand') or a Word document."""

    bestand = forms.FileField(
        label=_("Bestand (.md of .docx)"),
        help_text=_("Je ziet eerst wat er verandert; pas na bevestigen wordt de opzet vervangen."),
    )
