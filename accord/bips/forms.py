"""The forms of the BIP pages: they parse what people type; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.bips.choices import BipStatus, ComponentKind, ComponentTiming, ParticipantKind
from accord.core.forms import AccordForm, VersionedFormMixin, add_domain_errors

__all__ = [
    "AttendanceForm",
    "BipCreateForm",
    "BipEditForm",
    "ComponentForm",
    "DecisionForm",
    "NominationForm",
    "PartnerForm",
    "TransitionForm",
    "WithdrawalForm",
    "add_domain_errors",
    "with_version",
]


def with_version(data: dict) -> dict:
    values = dict(data)
    version = values.pop("version")
    return {**values, "expected_version": version}


class _BipFields(AccordForm):
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    isced_code = forms.CharField(
        label=_("Field of education (ISCED-F)"),
        max_length=4,
        required=False,
        help_text=_("For example 0613."),
    )
    language = forms.CharField(
        label=_("Language of instruction"), max_length=8, required=False, help_text=_("For example en.")
    )
    ects = forms.DecimalField(label=_("ECTS credits"), min_value=0, max_digits=4, decimal_places=1)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)


class BipCreateForm(_BipFields):
    coordinator = forms.TypedChoiceField(label=_("Coordinating institution"), coerce=int)
    host = forms.TypedChoiceField(
        label=_("Hosting institution"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_(
            "Where the physical part takes place; the coordinating institution unless you choose another."
        ),
    )
    partners = forms.TypedMultipleChoiceField(
        label=_("Partner institutions"),
        coerce=int,
        required=False,
        help_text=_("At least three institutions from three countries, the coordinating one included."),
    )

    field_order = [
        "title",
        "coordinator",
        "host",
        "partners",
        "description",
        "isced_code",
        "language",
        "ects",
        "capacity",
    ]

    def __init__(self, *args, coordinators, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].choices = coordinators
        self.fields["host"].choices = [("", "—"), *organisations]
        self.fields["partners"].choices = organisations


class BipEditForm(VersionedFormMixin, _BipFields):
    host = forms.TypedChoiceField(label=_("Hosting institution"), coerce=int)

    def __init__(self, *args, partners, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].choices = partners


class TransitionForm(VersionedFormMixin, AccordForm):
    to_status = forms.ChoiceField(choices=BipStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PartnerForm(AccordForm):
    organisation = forms.TypedChoiceField(label=_("Institution"), coerce=int)
    quota = forms.IntegerField(label=_("Quota of places"), min_value=0, required=False)

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations


class ComponentForm(AccordForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ComponentKind.choices)
    timing = forms.ChoiceField(
        label=_("When (virtual parts)"), choices=[("", "—"), *ComponentTiming.choices], required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))


class NominationForm(AccordForm):
    partner = forms.TypedChoiceField(label=_("Sending institution"), coerce=int)
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    kind = forms.ChoiceField(label=_("Participates as"), choices=ParticipantKind.choices)
    eqf_level = forms.IntegerField(
        label=_("EQF level (students)"),
        min_value=1,
        max_value=8,
        required=False,
        help_text=_("6 for a bachelor."),
    )

    def __init__(self, *args, partners, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = partners
        self.fields["person"].choices = people


class DecisionForm(VersionedFormMixin, AccordForm):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class WithdrawalForm(VersionedFormMixin, AccordForm):
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class AttendanceForm(forms.Form):
    """One select per (accepted participant, component): attended, absent or not recorded, with the
    version of each recorded mark."""

    CHOICES = [("", "—"), ("1", _("Attended")), ("0", _("Absent"))]

    def __init__(self, *args, participants, components, attendance, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cells = []
        for participant in participants:
            row = []
            for component in components:
                record = attendance.get((participant.pk, component.pk))
                name = f"a-{participant.pk}-{component.pk}"
                self.fields[name] = forms.ChoiceField(
                    label=f"{participant.person} · {component}",
                    choices=self.CHOICES,
                    required=False,
                    initial="" if record is None else ("1" if record.attended else "0"),
                )
                self.fields[f"v-{participant.pk}-{component.pk}"] = forms.IntegerField(
                    widget=forms.HiddenInput, required=False, initial=record.version if record else None
                )
                row.append(name)
            self.cells.append((participant, row))

    @property
    def rows(self) -> list:
        return [(participant, [self[name] for name in names]) for participant, names in self.cells]

    def marks(self, participants, components) -> list:
        found = []
        for participant in participants:
            for component in components:
                value = self.cleaned_data.get(f"a-{participant.pk}-{component.pk}")
                if value in ("0", "1"):
                    version = self.cleaned_data.get(f"v-{participant.pk}-{component.pk}")
                    found.append((participant, component, value == "1", version))
        return found
