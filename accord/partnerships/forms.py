"""Forms of the partnership pages.

They parse what people type and offer the choices that make sense (the partnership's people, its
meetings, the member organisations' contacts); the rules live in ``services``, whose
``ValidationFailed`` errors are attached back to the fields with ``add_domain_errors``.
"""

from functools import cache

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core import forms as core_forms
from accord.core.errors import ValidationFailed
from accord.partnerships.choices import (
    REASON_REQUIRED,
    ActionItemStatus,
    IndicatorDirection,
    MeetingMode,
    MemberRole,
    PartnershipModel,
)

# The shared filter form names its orderings by their keys; the page shows these instead.
ORDERING_LABELS = {
    "title": _("Title (A–Z)"),
    "-title": _("Title (Z–A)"),
    "start": _("Start date"),
    "newest": _("Newest first"),
}

# Service error keys that a form shows under another field.
ERROR_FIELD_ALIASES = {
    "members": "__all__",
    "organisation_id": "organisation",
    "owner_id": "owner",
    "meeting_id": "meeting",
    "attendee_ids": "attendees",
    "responsible_contact_ids": "responsible_contacts",
}

YEAR = {"min_value": 1950, "max_value": 2100}
AMOUNT = {"max_digits": 16, "decimal_places": 4}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SELECT_SEVERAL = _("To choose several, hold Ctrl (⌘ on a Mac) while clicking.")


def add_domain_errors(form: forms.Form, error: ValidationFailed) -> None:
    core_forms.add_domain_errors(form, error, aliases=ERROR_FIELD_ALIASES)


@cache
def versioned(form: type[forms.Form]) -> type[forms.Form]:
    """The edit form of a record: ``form`` carrying the version it was opened at (its create form
    has none, since nothing can have changed a record that does not exist yet)."""
    return type(f"Versioned{form.__name__}", (core_forms.VersionedFormMixin, form), {})


def with_version(data: dict) -> dict:
    """A versioned form's cleaned data as a service takes it: the version as ``expected_version``."""
    values = dict(data)
    version = values.pop("version")
    return {**values, "expected_version": version}


def humanise_orderings(form: forms.Form) -> forms.Form:
    """Give the shared filter form's ordering choices readable, translated labels."""
    form.fields["ordering"].choices = [
        (key, ORDERING_LABELS.get(key, key)) for key, _label in form.fields["ordering"].choices
    ]
    return form


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class PeopleChoiceField(PersonChoiceField, forms.ModelMultipleChoiceField):
    pass


class ContactChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.given_name} {obj.family_name} ({obj.organisation.name})"


# --- partnerships and members --------------------------------------------------------------------


class PartnershipForm(core_forms.AccordForm):
    """What a partnership is: its title, model, description and dates."""

    title = forms.CharField(label=_("Title"), max_length=255)
    model = forms.ChoiceField(label=_("Model"), choices=PartnershipModel.choices)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DATE)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class PartnershipEditForm(core_forms.VersionedFormMixin, PartnershipForm):
    responsible_contacts = ContactChoiceField(
        label=_("Responsible contacts"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("The people to reach about this partnership, at its member organisations."),
    )

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_contacts"].queryset = contacts


class PartnershipCreateForm(PartnershipForm):
    """A new partnership: the coordinating organisation (one the user manages) and its first members."""

    coordinator = forms.TypedChoiceField(
        label=_("Coordinating organisation"),
        coerce=int,
        help_text=_("Its admins and coordinators will own the partnership's record."),
    )

    def __init__(self, *args, coordinators: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].choices = [("", "—"), *coordinators]


PARTNER_ROLES = [(value, label) for value, label in MemberRole.choices if value != MemberRole.COORDINATOR]


class MemberRowForm(core_forms.AccordForm):
    """One more member of a new partnership; an empty row is skipped."""

    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=PARTNER_ROLES, initial=MemberRole.PARTNER)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "—"), *list(organisations)]


MemberRowFormSet = forms.formset_factory(MemberRowForm, extra=4, max_num=20)


class MemberAddForm(core_forms.AccordForm):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    role = forms.ChoiceField(label=_("Role"), choices=PARTNER_ROLES, initial=MemberRole.PARTNER)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "—"), *list(organisations)]


class MemberRoleForm(core_forms.VersionedFormMixin, core_forms.AccordForm):
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)


class TransitionForm(core_forms.AccordForm):
    """One move through the lifecycle; the page shows one such form per allowed next status."""

    to_status = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, to_status: str, **kwargs):
        kwargs.setdefault("auto_id", f"id_{to_status}_%s")
        super().__init__(*args, initial={"to_status": to_status}, **kwargs)
        # The service insists on a reason too; marking it here tells people before they press.
        if to_status in REASON_REQUIRED:
            self.fields["reason"].widget.attrs["required"] = True
            self.fields["reason"].label = _("Reason (required)")


# --- objectives, indicators, targets and figures -------------------------------------------------


class ObjectiveForm(core_forms.AccordForm):
    title = forms.CharField(label=_("Objective"), max_length=255)
    owner = PersonChoiceField(label=_("Owner"), queryset=None, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class IndicatorForm(core_forms.AccordForm):
    name = forms.CharField(label=_("Indicator"), max_length=255)
    unit = forms.CharField(
        label=_("Unit"), max_length=32, help_text=_('For example "students", "%" or "EUR".')
    )
    direction = forms.ChoiceField(
        label=_("Better when it"), choices=IndicatorDirection.choices, initial=IndicatorDirection.INCREASE
    )
    baseline_value = forms.DecimalField(label=_("Baseline"), required=False, **AMOUNT)
    baseline_year = forms.IntegerField(label=_("Baseline year"), required=False, **YEAR)


class TargetForm(core_forms.AccordForm):
    year = forms.IntegerField(label=_("Year"), **YEAR)
    target_value = forms.DecimalField(label=_("Target"), **AMOUNT)


class ActualForm(core_forms.AccordForm):
    year = forms.IntegerField(label=_("Year"), **YEAR)
    value = forms.DecimalField(label=_("Value reached"), **AMOUNT)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


# --- the collaboration log -----------------------------------------------------------------------


class MeetingForm(core_forms.AccordForm):
    title = forms.CharField(label=_("Title"), max_length=255)
    date = forms.DateField(label=_("Date"), widget=DATE)
    mode = forms.ChoiceField(label=_("Mode"), choices=MeetingMode.choices, initial=MeetingMode.VIDEO)
    location = forms.CharField(label=_("Location"), max_length=255, required=False)
    attendees = PeopleChoiceField(
        label=_("Attendees"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=SELECT_SEVERAL,
    )
    external_attendees = forms.CharField(
        label=_("Other attendees"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One person per line."),
    )
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.date:%Y-%m-%d} {obj.title}"


class DecisionForm(core_forms.AccordForm):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    decided_on = forms.DateField(
        label=_("Decided on"),
        required=False,
        widget=DATE,
        help_text=_("Left empty: the day of the meeting, or else today."),
    )
    meeting = MeetingChoiceField(label=_("At the meeting"), queryset=None, required=False)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class ActionItemForm(core_forms.AccordForm):
    title = forms.CharField(label=_("Action"), max_length=255)
    owner = PersonChoiceField(label=_("Owner"), queryset=None)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE)
    meeting = MeetingChoiceField(label=_("Agreed at the meeting"), queryset=None, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ActionItemStatus.choices)

    def __init__(self, *args, people, meetings, new: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["meeting"].queryset = meetings
        if new:  # a new item is open; its status is changed later
            del self.fields["status"]


class ActionItemStatusForm(core_forms.VersionedFormMixin, core_forms.AccordForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItemStatus.choices)
