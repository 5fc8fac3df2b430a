from collections import defaultdict

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluatiespiegel.bounds import BoundedNumbersMixin
from evaluatiespiegel.fields import StrictBooleanField
from evaluatiespiegel.text import normalise_typed

from . import participant_import
from .models import (
    Evaluation,
    EvaluationMember,
    KeyMoment,
    Participant,
    Phase,
    ReconstructionSession,
    Role,
    TimerKind,
    default_min_group_size,
    is_join_code,
    normalise_join_code,
)


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Deelnamecode"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
                "class": "code-input",
            }
        ),
        error_messages={"required": _("Vul de deelnamecode in die de facilitator laat zien.")},
    )

    def clean_code(self) -> str:
        return normalise_join_code(self.cleaned_data["code"])

    def evaluation(self) -> Evaluation | None:
        code = self.cleaned_data.get("code", "")
        if not is_join_code(code):
            return None
        return Evaluation.objects.filter(join_code=code).first()


class PickForm(forms.Form):
    """ "Wie ben jij?": one participant of the evaluation that the visitor joined.

    Anything else (no choice, a number of someone elsewhere, ``abc``, ``1.5``) is refused
    with the same Dutch message, never looked up raw.
    """

    participant = forms.ModelChoiceField(
        queryset=Participant.objects.none(),
        error_messages={
            "required": _("Kies je naam uit de lijst."),
            "invalid_choice": _("Kies je naam uit de lijst."),
        },
    )

    def __init__(self, *args, evaluation: Evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = evaluation.participants.filter(
            anonymised_at__isnull=True
        )


class RegisterForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["name", "organisation", "role"]
        widgets = {"role": forms.RadioSelect}
        labels = {"name": _("Je naam"), "organisation": _("Je organisatie"), "role": _("Je rol")}
        help_texts = {
            "role": _(
                "Vertellers komen uit de alliantie en vertellen wat er gebeurde; "
                "reflectoren kijken als vakgenoot van buiten mee."
            )
        }

    def __init__(self, *args, evaluation: Evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.evaluation = evaluation
        self.fields["role"].choices = Role.choices
        self.fields["organisation"].required = True
        self.fields["name"].error_messages["required"] = _("Vul je naam in.")
        self.fields["organisation"].error_messages["required"] = _("Vul je organisatie in.")
        self.fields["role"].error_messages["required"] = _(
            "Kies of je verteller of reflector bent."
        )

    def clean_name(self) -> str:
        return normalise_typed(self.cleaned_data["name"])

    def clean_organisation(self) -> str:
        return normalise_typed(self.cleaned_data["organisation"])


class GroupField(forms.ModelMultipleChoiceField):
    """The group's checkboxes: each name with role and organisation, so that the facilitator
    can balance vertellers and reflectoren (the list comes sorted by role)."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Participant) -> str:
        role = obj.get_role_display().lower()
        if obj.organisation:
            return _("%(name)s (%(role)s, %(organisation)s)") % {
                "name": obj.name,
                "role": role,
                "organisation": obj.organisation,
            }
        return _("%(name)s (%(role)s)") % {"name": obj.name, "role": role}


class SessionForm(BoundedNumbersMixin, forms.ModelForm):
    """Plan a reconstruction session: key moment, day and round, and the group."""

    class Meta:
        model = ReconstructionSession
        fields = ["key_moment", "day", "slot", "room", "participants", "live_results"]
        field_classes = {"participants": GroupField, "live_results": StrictBooleanField}
        labels = {"slot": _("Ronde"), "participants": _("Groep")}

    def __init__(self, *args, evaluation: Evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        self.instance.evaluation = evaluation
        self.fields["key_moment"].queryset = evaluation.key_moments.all()
        self.fields["participants"].queryset = evaluation.participants.in_list_order()
        self.fields["participants"].required = False
        self.fields["key_moment"].empty_label = None

    def participant_history(self) -> dict[int, list[ReconstructionSession]]:
        """Per participant the other sessions they are in, to make rotating groups easy."""
        history: dict[int, list[ReconstructionSession]] = defaultdict(list)
        others = (
            self.evaluation.sessions.exclude(pk=self.instance.pk)
            .select_related("key_moment")
            .prefetch_related("participants")
        )
        for session in others:
            for person in session.participants.all():
                history[person.pk].append(session)
        return history

    def clean(self):
        cleaned = super().clean()
        day, slot, group = cleaned.get("day"), cleaned.get("slot"), cleaned.get("participants")
        if day and slot and group:
            parallel_sessions = ReconstructionSession.objects.filter(
                evaluation=self.evaluation, day=day, slot=slot
            ).exclude(pk=self.instance.pk)
            busy = sorted(
                Participant.objects.filter(
                    pk__in=[p.pk for p in group], sessions__in=parallel_sessions
                )
                .values_list("name", flat=True)
                .distinct()
            )
            if busy:
                self.add_error(
                    "participants",
                    _("Deze deelnemers zitten in dezelfde ronde al in een andere sessie: %(names)s")
                    % {"names": ", ".join(busy)},
                )
        return cleaned


class ParticipantsPasteForm(forms.Form):
    """Add many participants at once: one per line, 'naam; organisatie; rol'."""

    lines = forms.CharField(
        label=_("Deelnemers toevoegen"),
        # A thousand participants with long names and organisations; more is not a paste.
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            "Eén deelnemer per regel: naam; organisatie; verteller of reflector. "
            "Bijvoorbeeld: Anne de Vries; Waterschap; verteller"
        ),
        error_messages={
            "required": _("Vul minstens één regel in."),
            "max_length": _(
                "Deelnemers toevoegen is te lang: hooguit %(limit_value)s tekens, "
                "nu %(show_value)s. Voeg ze in delen toe."
            ),
        },
    )

    def __init__(self, *args, evaluation: Evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation

    def clean_lines(self) -> list[Participant]:
        rows = participant_import.rows_from_lines(self.cleaned_data["lines"])
        people, errors = participant_import.participant_rows_check(self.evaluation, rows)
        if errors:
            raise forms.ValidationError(errors)
        if not people:
            raise forms.ValidationError(_("Vul minstens één regel in."))
        return people


class ParticipantsUploadForm(forms.Form):
    """A participant list as the alliance sends it: CSV or XLSX with a header row."""

    file = forms.FileField(
        label=_("Of upload een bestand (.xlsx of .csv)"),
        help_text=_(
            "Met kolomkoppen naam, organisatie en rol (verteller of reflector), in elke volgorde. "
            "Je ziet eerst een voorvertoning; er wordt pas iets opgeslagen als elke regel klopt."
        ),
        error_messages={
            "required": _("Kies een bestand."),
            "empty": _("Het bestand is leeg."),
            "invalid": _("Kies een bestand."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class KeyMomentForm(forms.ModelForm):
    class Meta:
        model = KeyMoment
        fields = ["title", "phase", "period", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class EvaluationForm(BoundedNumbersMixin, forms.ModelForm):
    """The evaluation's own settings: what is evaluated, when, and how the room works."""

    class Meta:
        model = Evaluation
        fields = [
            "title",
            "client",
            "contractor",
            "description",
            "central_questions",
            "starts_on",
            "ends_on",
            "self_registration",
            "names_in_interim_report",
            "min_group_size",
        ]
        field_classes = {
            "self_registration": StrictBooleanField,
            "names_in_interim_report": StrictBooleanField,
        }
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "central_questions": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"title": _("Naam van de evaluatie")}
        help_texts = {
            "names_in_interim_report": _(
                "Aan: het team ziet namen bij ieders punten, wijzigingen en bijdragen "
                "(sessiepagina, exports, slotdialoog, tussenrapportage). Uit: overal "
                "pseudoniemen, zonder tijdstip; de zaal ziet nooit namen bij punten."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Geef de evaluatie een naam.")
        for name in ("starts_on", "ends_on"):
            self.fields[name].error_messages["invalid"] = _(
                "Vul een datum in als dag-maand-jaar, bijv. 14-03-2026."
            )
            self.fields[name].input_formats = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
        size = self.fields["min_group_size"]
        size.required = False  # empty: the site's default (MIN_GROUP_SIZE)
        size.error_messages["invalid"] = _("Vul een heel getal in, bijv. 3.")

    def clean_min_group_size(self) -> int:
        size = self.cleaned_data.get("min_group_size")
        return default_min_group_size() if size is None else size

    def clean_title(self) -> str:
        return normalise_typed(self.cleaned_data["title"])


class EvaluationCreateForm(EvaluationForm):
    """Creating adds the short name used in addresses; it stays fixed afterwards."""

    class Meta(EvaluationForm.Meta):
        fields = ["title", "slug", *EvaluationForm.Meta.fields[1:]]
        help_texts = {
            "slug": _(
                "Laat leeg om er een te maken uit de naam. Alleen kleine letters, cijfers en -."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].error_messages["invalid"] = _(
            "Gebruik alleen kleine letters, cijfers en streepjes, bijv. ammd-2026."
        )

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug", "").lower()
        if slug and Evaluation.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Deze korte naam is al in gebruik. Kies een andere."))
        return slug

    def validate_unique(self) -> None:
        # An empty slug is filled in by evaluation_create; only a typed one must be free,
        # and clean_slug already said so in plain Dutch.
        self._validate_unique = False


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["name", "organisation", "role"]
        widgets = {"role": forms.RadioSelect}

    def __init__(self, *args, evaluation: Evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.evaluation = evaluation
        self.fields["role"].choices = Role.choices
        self.fields["name"].error_messages["required"] = _("Vul de naam in.")
        self.fields["role"].error_messages["required"] = _(
            "Kies of deze deelnemer verteller of reflector is."
        )

    def clean_name(self) -> str:
        return normalise_typed(self.cleaned_data["name"])

    def clean_organisation(self) -> str:
        return normalise_typed(self.cleaned_data["organisation"])

    def clean(self):
        # The unique constraint spans the evaluation, which is not a form field, so
        # ModelForm leaves it out of validation: check it here, in words.
        cleaned = super().clean()
        name, organisation = cleaned.get("name"), cleaned.get("organisation")
        if (
            name
            and organisation is not None
            and Participant.objects.filter(
                evaluation=self.instance.evaluation,
                name__iexact=name,
                organisation__iexact=organisation,
            )
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(
                _("Er is al een deelnemer met deze naam en organisatie in deze evaluatie.")
            )
        return cleaned


class KeyMomentsPasteForm(forms.Form):
    """Add several key moments at once: one per line, 'titel; fase; periode'."""

    lines = forms.CharField(
        label=_("Sleutelmomenten toevoegen"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "Eén sleutelmoment per regel, in de volgorde van de tijd: titel; fase; periode. "
            "Fase is start, vormgeving, uitvoering, slot of crisis; de periode mag leeg. "
            "Bijvoorbeeld: Handtekening onder de overeenkomst; start; 2015"
        ),
        error_messages={"required": _("Vul minstens één regel in.")},
    )

    def __init__(self, *args, evaluation: Evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation

    def clean_lines(self) -> list[KeyMoment]:
        phases = {p.value: p for p in Phase} | {str(p.label).lower(): p for p in Phase}
        title_max = KeyMoment._meta.get_field("title").max_length
        period_max = KeyMoment._meta.get_field("period").max_length
        moments, errors = [], []
        for number, line in enumerate(self.cleaned_data["lines"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [normalise_typed(p) for p in line.replace("\t", ";").split(";")]
            if len(parts) == 2:
                parts.append("")
            if len(parts) != 3 or not parts[0]:
                errors.append(_("Regel %(n)s: gebruik ‘titel; fase; periode’.") % {"n": number})
                continue
            title, phase_word, period = parts
            phase = phases.get(phase_word.lower())
            if phase is None:
                errors.append(
                    _(
                        "Regel %(n)s: de fase moet start, vormgeving, uitvoering, slot of "
                        "crisis zijn, niet ‘%(phase)s’."
                    )
                    % {"n": number, "phase": phase_word}
                )
            elif len(title) > title_max or len(period) > period_max:
                errors.append(_("Regel %(n)s: de titel of periode is te lang.") % {"n": number})
            else:
                moments.append(KeyMoment(title=title, phase=phase, period=period))
        if errors:
            raise forms.ValidationError(errors)
        if not moments:
            raise forms.ValidationError(_("Vul minstens één regel in."))
        return moments


class TeamInviteForm(forms.Form):
    who = forms.CharField(
        label=_("Gebruikersnaam of e-mailadres"),
        max_length=254,
        error_messages={"required": _("Vul een gebruikersnaam of e-mailadres in.")},
    )
    role = forms.ChoiceField(
        label=_("Rol"),
        choices=EvaluationMember.Role.choices,
        initial=EvaluationMember.Role.ANALYST,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een rol."),
            "invalid_choice": _("Kies facilitator of analist."),
        },
    )


class TimerForm(forms.Form):
    """The round timer: what it counts down and for how long."""

    kind = forms.ChoiceField(
        label=_("Klok voor"),
        choices=TimerKind.choices,
        initial=TimerKind.RECONSTRUCTIE,
        error_messages={
            "required": _("Kies reconstructie of scoren."),
            "invalid_choice": _("Kies reconstructie of scoren."),
        },
    )
    minutes = forms.IntegerField(
        label=_("Minuten"),
        min_value=1,
        max_value=240,
        initial=45,
        widget=forms.NumberInput(attrs={"min": 1, "max": 240, "class": "minutes-input"}),
        error_messages={
            "required": _("Vul het aantal minuten in."),
            "invalid": _("Vul een heel aantal minuten in."),
            "min_value": _("Minstens 1 minuut."),
            "max_value": _("Hoogstens %(limit_value)s minuten."),
        },
    )
