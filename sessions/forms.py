from collections import defaultdict

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    JOIN_CODE_LENGTH,
    Evaluation,
    KeyMoment,
    Participant,
    ReconstructionSession,
    Role,
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
        if len(code) != JOIN_CODE_LENGTH:
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
        return " ".join(self.cleaned_data["name"].split())

    def clean_organisation(self) -> str:
        return " ".join(self.cleaned_data["organisation"].split())


class GroupField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class SessionForm(forms.ModelForm):
    """Plan a reconstruction session: key moment, day and round, and the group."""

    class Meta:
        model = ReconstructionSession
        fields = ["key_moment", "day", "slot", "room", "participants", "live_results"]
        field_classes = {"participants": GroupField}
        labels = {"slot": _("Ronde"), "participants": _("Groep")}

    def __init__(self, *args, evaluation: Evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        self.instance.evaluation = evaluation
        self.fields["key_moment"].queryset = evaluation.key_moments.all()
        self.fields["participants"].queryset = evaluation.participants.order_by("role", "name")
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

    ROLE_WORDS = {
        "verteller": Role.VERTELLER,
        "vertellers": Role.VERTELLER,
        "v": Role.VERTELLER,
        "reflector": Role.REFLECTOR,
        "reflectoren": Role.REFLECTOR,
        "r": Role.REFLECTOR,
    }

    def __init__(self, *args, evaluation: Evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation

    def clean_lines(self) -> list[Participant]:
        existing = set(self.evaluation.participants.values_list("name", "organisation"))
        people, errors, seen = [], [], set()
        for number, line in enumerate(self.cleaned_data["lines"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [" ".join(p.split()) for p in line.replace("\t", ";").split(";")]
            if len(parts) != 3 or not parts[0]:
                errors.append(_("Regel %(n)s: gebruik ‘naam; organisatie; rol’.") % {"n": number})
                continue
            name, organisation, role_word = parts
            role = self.ROLE_WORDS.get(role_word.lower())
            if role is None:
                errors.append(
                    _("Regel %(n)s: de rol moet ‘verteller’ of ‘reflector’ zijn, niet ‘%(role)s’.")
                    % {"n": number, "role": role_word}
                )
                continue
            if (name, organisation) in existing or (name, organisation) in seen:
                errors.append(
                    _("Regel %(n)s: %(name)s (%(org)s) staat al op de lijst.")
                    % {"n": number, "name": name, "org": organisation or "–"}
                )
                continue
            seen.add((name, organisation))
            people.append(
                Participant(
                    evaluation=self.evaluation, name=name, organisation=organisation, role=role
                )
            )
        if errors:
            raise forms.ValidationError(errors)
        if not people:
            raise forms.ValidationError(_("Vul minstens één regel in."))
        return people


class KeyMomentForm(forms.ModelForm):
    class Meta:
        model = KeyMoment
        fields = ["title", "phase", "period", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
