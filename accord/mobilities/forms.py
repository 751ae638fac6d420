"""Forms of the mobility pages; they only parse input, the services validate and write."""

import uuid

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accord.core.forms import VersionedFormMixin
from accord.mobilities.choices import (
    ChangeReason,
    ConversionPolicy,
    CreditRuleKind,
    MobilityStatus,
    MobilityType,
    RuleScope,
    Section,
    SignerRole,
    StaffActivity,
)
from accord.mobilities.models import Gender
from accord.reference.forms import country_choices

EMPTY = [("", "—")]


# Changing what decides which cooperation conditions fit refreshes the condition's choices (htmx).
CONDITION_REFRESH = {
    "hx-get": reverse_lazy("mobilities:create"),
    "hx-include": "closest form",
    "hx-target": "#condition-field",
    "hx-swap": "outerHTML",
    "hx-vals": '{"refresh": "conditions"}',
}


class MobilityForm(forms.Form):
    participant = forms.CharField(label=_("Participant (username or e-mail)"), max_length=254)
    mobility_type = forms.ChoiceField(
        label=_("Type"), choices=MobilityType.choices, widget=forms.Select(attrs=CONDITION_REFRESH)
    )
    sending_organisation = forms.TypedChoiceField(
        label=_("Sending institution"), coerce=int, widget=forms.Select(attrs=CONDITION_REFRESH)
    )
    receiving_organisation = forms.TypedChoiceField(
        label=_("Receiving institution"), coerce=int, widget=forms.Select(attrs=CONDITION_REFRESH)
    )
    agreement = forms.TypedChoiceField(
        label=_("Agreement"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs=CONDITION_REFRESH),
        help_text=_("An agreement in effect; the mobility counts against one of its cooperation conditions."),
    )
    condition_key = forms.ChoiceField(
        label=_("Cooperation condition"),
        required=False,
        template_name="mobilities/_condition_field.html",
        help_text=_("Chosen for you when only one condition of the agreement fits this mobility."),
    )
    academic_year = forms.CharField(
        label=_("Academic year"),
        max_length=9,
        help_text=_("Such as 2026/2027."),
        widget=forms.TextInput(attrs={**CONDITION_REFRESH, "hx-trigger": "change delay:300ms"}),
    )
    planned_start = forms.DateField(label=_("Planned start"), widget=forms.DateInput(attrs={"type": "date"}))
    planned_end = forms.DateField(label=_("Planned end"), widget=forms.DateInput(attrs={"type": "date"}))
    eqf_level = forms.IntegerField(label=_("EQF level"), required=False)
    isced_code = forms.CharField(label=_("ISCED-F field"), required=False, max_length=4)
    language = forms.CharField(label=_("Language of instruction"), required=False, max_length=8)
    cefr_level = forms.CharField(label=_("Language level (CEFR)"), required=False, max_length=2)

    def __init__(self, *args, sending, receiving, agreements, conditions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sending_organisation"].choices = [(o.pk, o.name) for o in sending]
        self.fields["receiving_organisation"].choices = [(o.pk, o.name) for o in receiving]
        self.fields["agreement"].choices = EMPTY + [(a.pk, a.title) for a in agreements]
        choices = [(c.key, c.label) for c in conditions]
        # One fitting condition is chosen for the person; several leave the choice to them.
        self.fields["condition_key"].choices = choices if len(choices) == 1 else EMPTY + choices


class ComponentForm(forms.Form):
    ref = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)
    section = forms.ChoiceField(label=_("Table"), choices=Section.choices)
    code = forms.CharField(label=_("Code"), required=False, max_length=64)
    title = forms.CharField(label=_("Title"), required=False, max_length=255)
    credits = forms.CharField(label=_("ECTS"), required=False, max_length=8)
    term = forms.CharField(
        label=_("Term"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"list": "terms", "size": 12}),
        help_text=_("1/2 for the first of two terms, 2/2 the second, 1/1 the whole year; or Autumn, Spring…"),
    )
    hours = forms.CharField(label=_("Hours"), required=False, max_length=8)
    remove = forms.BooleanField(label=_("Remove"), required=False)
    reason_code = forms.ChoiceField(label=_("Reason"), required=False, choices=EMPTY + ChangeReason.choices)
    reason_text = forms.CharField(label=_("Other reason"), required=False, max_length=255)

    def component(self) -> dict | None:
        """The component to keep, or None for a removed or empty row."""
        data = self.cleaned_data
        if data.get("remove") or not (data.get("title") or "").strip():
            return None
        return {
            "ref": data.get("ref") or uuid.uuid4().hex[:12],
            "section": data["section"],
            "code": data.get("code", ""),
            "title": data["title"],
            "credits": data.get("credits") or None,
            "term": data.get("term", ""),
            "hours": data.get("hours") or None,
        }


ComponentFormSet = forms.formset_factory(ComponentForm, extra=3)


class ProposeForm(forms.Form):
    summary = forms.CharField(
        label=_("What changed and why"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    components_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    role = forms.ChoiceField(widget=forms.HiddenInput, choices=SignerRole.choices)
    position = forms.CharField(label=_("Your position"), required=False, max_length=255)


class CommentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class DelegateForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Side"),
        choices=[
            (SignerRole.SENDING, SignerRole.SENDING.label),
            (SignerRole.RECEIVING, SignerRole.RECEIVING.label),
        ],
    )
    delegate = forms.CharField(label=_("Colleague (username or e-mail)"), max_length=254)


class TransitionForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (MobilityStatus.ACCEPTED, MobilityStatus.ACCEPTED.label),
            (MobilityStatus.CANCELLED, MobilityStatus.CANCELLED.label),
        ]
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class DatesForm(VersionedFormMixin, forms.Form):
    actual_start = forms.DateField(
        label=_("Arrival"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the participant arrived; a day to come stays in the planned dates."),
    )
    actual_end = forms.DateField(
        label=_("Departure"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Once the participant has left; the mobility is completed the day after."),
    )


class MobilityPlanForm(VersionedFormMixin, forms.Form):
    """What the sending institution plans: the form carries the version it was opened at."""

    planned_start = forms.DateField(label=_("Planned start"), widget=forms.DateInput(attrs={"type": "date"}))
    planned_end = forms.DateField(label=_("Planned end"), widget=forms.DateInput(attrs={"type": "date"}))
    eqf_level = forms.IntegerField(label=_("EQF level"), required=False)
    isced_code = forms.CharField(label=_("ISCED-F field"), required=False, max_length=4)
    language = forms.CharField(label=_("Language of instruction"), required=False, max_length=8)
    cefr_level = forms.CharField(label=_("Language level (CEFR)"), required=False, max_length=2)


class EntryForm(forms.Form):
    code = forms.CharField(label=_("Code"), required=False, max_length=64)
    title = forms.CharField(label=_("Title"), required=False, max_length=255)
    credits = forms.CharField(label=_("ECTS"), required=False, max_length=8)
    grade = forms.CharField(label=_("Grade"), required=False, max_length=32)
    term = forms.CharField(
        label=_("Term"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"list": "terms", "size": 12}),
    )


EntryFormSet = forms.formset_factory(EntryForm, extra=2)


class TranscriptForm(forms.Form):
    scale = forms.TypedChoiceField(label=_("Grading scale"), coerce=int)
    issued_on = forms.DateField(label=_("Issued on"), widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(label=_("Or import a CSV or XLSX file"), required=False)

    def __init__(self, *args, scales, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scale"].choices = [(scale.pk, scale.name) for scale in scales]


class ConvertForm(forms.Form):
    policy = forms.ChoiceField(label=_("Policy"), choices=ConversionPolicy.choices, required=False)


class ManualConvertForm(forms.Form):
    """Both fields are checked by the service, which explains what is missing on each field."""

    home_grade = forms.CharField(label=_("Home grade"), required=False, max_length=32)
    reason = forms.CharField(
        label=_("Why no table is used"),
        required=False,
        max_length=500,
        help_text=_("The student reads this reason."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, grades=(), **kwargs):
        super().__init__(*args, **kwargs)
        if grades:
            self.fields["home_grade"] = forms.ChoiceField(
                label=_("Home grade"), required=False, choices=EMPTY + [(grade, grade) for grade in grades]
            )


class RecognitionItemForm(forms.Form):
    entry_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    component_ref = forms.CharField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(label=_("Code"), required=False, max_length=64)
    title = forms.CharField(label=_("Home component"), required=False, max_length=255)
    credits = forms.CharField(label=_("ECTS"), required=False, max_length=8)
    home_grade = forms.CharField(label=_("Home grade"), required=False, max_length=32)


RecognitionFormSet = forms.formset_factory(RecognitionItemForm, extra=1)


class ScaleForm(forms.Form):
    name = forms.CharField(label=_("Scale name"), max_length=100)
    passing_grades = forms.CharField(label=_("Passing grades, best first, comma-separated"), max_length=1000)
    failing_grades = forms.CharField(
        label=_("Failing grades, comma-separated"), required=False, max_length=1000
    )


class TableImportForm(forms.Form):
    scale = forms.TypedChoiceField(label=_("Scale"), coerce=int)
    isced_code = forms.CharField(label=_("ISCED-F field (blank: all)"), required=False, max_length=4)
    eqf_level = forms.IntegerField(label=_("EQF level (blank: all cycles)"), required=False)
    reference_period = forms.CharField(label=_("Reference period"), required=False, max_length=50)
    file = forms.FileField(label=_("CSV or XLSX file"))

    def __init__(self, *args, scales, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scale"].choices = [(scale.pk, scale.name) for scale in scales]


class SettingsForm(forms.Form):
    conversion_policy = forms.ChoiceField(
        label=_("Grade conversion policy"), choices=ConversionPolicy.choices
    )
    transcript_days = forms.IntegerField(label=_("Days to issue a transcript after a stay"))
    home_scale = forms.TypedChoiceField(label=_("Home scale"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, scales, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_scale"].choices = EMPTY + [(scale.pk, scale.name) for scale in scales]


class RuleForm(forms.Form):
    scope = forms.ChoiceField(label=_("Applies to"), choices=RuleScope.choices)
    kind = forms.ChoiceField(label=_("Rule"), choices=CreditRuleKind.choices)
    value = forms.CharField(label=_("Value"), max_length=8)
    blocking = forms.BooleanField(label=_("Blocks the sending signature"), required=False, initial=True)


class ParticipantDetailsForm(forms.Form):
    birth_date = forms.DateField(label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}))
    nationality = forms.ChoiceField(label=_("Nationality"), choices=country_choices)
    gender = forms.TypedChoiceField(label=_("Gender"), choices=Gender.choices, coerce=int)
    global_id = forms.CharField(
        label=_("European Student Identifier"),
        max_length=255,
        help_text=_("For example urn:schac:personalUniqueCode:int:esi:example.edu:12345."),
    )


class ParticipantDetailsEditForm(VersionedFormMixin, ParticipantDetailsForm):
    """The details once recorded: the form carries the version it was opened at."""


# --- staff mobility -----------------------------------------------------------------------------

_DATE = forms.DateInput(attrs={"type": "date"})


class StaffInviteForm(forms.Form):
    participant = forms.CharField(label=_("Colleague (username or e-mail)"), max_length=254)
    mobility_type = forms.ChoiceField(
        label=_("Type"),
        choices=[
            (t, MobilityType(t).label) for t in (MobilityType.STAFF_TEACHING, MobilityType.STAFF_TRAINING)
        ],
    )
    sending_organisation = forms.TypedChoiceField(label=_("Your institution"), coerce=int)
    receiving_organisation = forms.TypedChoiceField(label=_("Receiving institution"), coerce=int)
    academic_year = forms.CharField(
        label=_("Academic year"), max_length=9, help_text=_("For example 2026/2027.")
    )
    planned_start = forms.DateField(label=_("Planned start"), widget=_DATE)
    planned_end = forms.DateField(label=_("Planned end"), widget=_DATE)
    note = forms.CharField(
        label=_("Message to your colleague"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, sending, receiving, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sending_organisation"].choices = [(o.pk, o.name) for o in sending]
        self.fields["receiving_organisation"].choices = EMPTY + [(o.pk, o.name) for o in receiving]


class StaffProgrammeForm(forms.Form):
    """The Erasmus+ Mobility Agreement's programme; ``base_version`` is the version it was opened at."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    activity = forms.ChoiceField(label=_("Activity"), choices=StaffActivity.choices)
    planned_start = forms.DateField(label=_("Planned start"), widget=_DATE)
    planned_end = forms.DateField(label=_("Planned end"), widget=_DATE, help_text=_("Travel days excluded."))
    teaching_hours = forms.DecimalField(
        label=_("Teaching hours"),
        required=False,
        max_digits=5,
        decimal_places=1,
        help_text=_("At least 8 a week for teaching, 4 when combined with training."),
    )
    objectives = forms.CharField(
        label=_("Objectives of the mobility"), widget=forms.Textarea(attrs={"rows": 3})
    )
    activities = forms.CharField(
        label=_("Activities to be carried out"), widget=forms.Textarea(attrs={"rows": 3})
    )
    outcomes = forms.CharField(
        label=_("Expected outcomes and impact"), widget=forms.Textarea(attrs={"rows": 3})
    )
    sending_contact_name = forms.CharField(label=_("Contact at the sending institution"), max_length=255)
    sending_contact_email = forms.EmailField(label=_("E-mail of the sending contact"))
    receiving_contact_name = forms.CharField(label=_("Contact at the receiving institution"), max_length=255)
    receiving_contact_email = forms.EmailField(label=_("E-mail of the receiving contact"))
    summary = forms.CharField(label=_("What changed and why"), required=False, max_length=1000)


class StaffArrivalForm(VersionedFormMixin, forms.Form):
    actual_start = forms.DateField(label=_("Arrival"), widget=_DATE)


class StaffCertificateForm(forms.Form):
    actual_start = forms.DateField(label=_("First day of activities"), widget=_DATE)
    actual_end = forms.DateField(label=_("Last day of activities"), widget=_DATE)
    teaching_hours = forms.DecimalField(
        label=_("Hours taught"), required=False, max_digits=5, decimal_places=1, min_value=0
    )
    signer_position = forms.CharField(label=_("Your position"), required=False, max_length=255)


class StaffCertificateEditForm(VersionedFormMixin, StaffCertificateForm):
    """A correction of an issued certificate, at the version it was opened at."""
