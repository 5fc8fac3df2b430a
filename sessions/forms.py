from collections import defaultdict

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    JOIN_CODE_LENGTH,
    Evaluation,
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
