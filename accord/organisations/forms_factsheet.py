"""The factsheet's edit form: the fixed fields, and a formset for each repeatable list.

The forms only parse; ``services.factsheet_update`` decides what is valid. Its errors come back keyed
like ``housing_phone`` or ``accessibility.1.email`` and are attached to the field that was typed
(:meth:`FactsheetForms.add_errors`), the list index being that of the rows that were sent.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core import forms as core_forms
from accord.core.errors import ValidationFailed
from accord.organisations.factsheet import DEADLINE_FIELDS, INFORMATION_KINDS, LIST_FIELDS, WEEKS_FIELDS
from accord.organisations.factsheet_rules import DOCUMENT_REQUIREMENTS, MAX_WEEKS
from accord.organisations.models import Factsheet

_DEADLINE_HELP = _("Month and day, the same every year: MM-DD, e.g. 04-30.")
_INFORMATION_LABELS = {
    "application": _("Applications"),
    "housing": _("Housing"),
    "visa": _("Visas"),
    "insurance": _("Insurance"),
}


def _email(label) -> forms.CharField:
    return forms.CharField(label=label, max_length=254, widget=forms.EmailInput)


def _phone(label) -> forms.CharField:
    field = forms.CharField(
        label=label, max_length=32, help_text=_("International format, e.g. +48221234567")
    )
    field.widget.input_type = "tel"
    return field


def _website(label, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=500, required=required, widget=forms.URLInput)


class FactsheetForm(core_forms.AccordForm):
    """Deadlines, delays and the four required information points."""

    nominations_autumn = forms.CharField(
        label=_("Nominations, autumn term"), max_length=7, help_text=_DEADLINE_HELP
    )
    nominations_spring = forms.CharField(
        label=_("Nominations, spring term"), max_length=7, help_text=_DEADLINE_HELP
    )
    applications_autumn = forms.CharField(
        label=_("Applications, autumn term"), max_length=7, help_text=_DEADLINE_HELP
    )
    applications_spring = forms.CharField(
        label=_("Applications, spring term"), max_length=7, help_text=_DEADLINE_HELP
    )
    decision_weeks_limit = forms.IntegerField(
        label=_("Decision sent within (weeks)"),
        min_value=1,
        max_value=MAX_WEEKS,
        help_text=_("At most 5 is advised."),
    )
    tor_weeks_limit = forms.IntegerField(
        label=_("Transcript of records issued within (weeks)"),
        min_value=1,
        max_value=MAX_WEEKS,
        help_text=_("At most 5 is advised."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in INFORMATION_KINDS:
            label = _INFORMATION_LABELS[kind]
            self.fields[f"{kind}_email"] = _email(_("%(topic)s: e-mail") % {"topic": label})
            self.fields[f"{kind}_phone"] = _phone(_("%(topic)s: phone") % {"topic": label})
            self.fields[f"{kind}_website"] = _website(_("%(topic)s: website") % {"topic": label})

    def deadline_fields(self) -> list:
        return [self[name] for name in (*DEADLINE_FIELDS, *WEEKS_FIELDS)]

    def information_groups(self) -> list[tuple[str, list]]:
        return [
            (_INFORMATION_LABELS[kind], [self[f"{kind}_{part}"] for part in ("email", "phone", "website")])
            for kind in INFORMATION_KINDS
        ]


class RequirementForm(core_forms.AccordForm):
    name = forms.CharField(
        label=_("Requirement"),
        max_length=255,
        help_text=_("Documents students send are named exactly: %(names)s.")
        % {"names": ", ".join(DOCUMENT_REQUIREMENTS)},
    )
    details = forms.CharField(label=_("Details"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    website = _website(_("Information website"), required=False)


class AccessibilityForm(core_forms.AccordForm):
    type = forms.ChoiceField(
        label=_("Kind"),
        # The blank choice keeps the empty extra row unchanged, so that it adds nothing.
        choices=[("", "—"), ("service", _("Service")), ("infrastructure", _("Infrastructure"))],
    )
    name = forms.CharField(label=_("Name"), max_length=255)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    email = _email(_("E-mail"))
    phone = _phone(_("Phone"))
    website = _website(_("Website"))


class AdditionalInfoForm(core_forms.AccordForm):
    type = forms.CharField(label=_("Topic"), max_length=255, help_text=_("e.g. Recognition process"))
    email = _email(_("E-mail"))
    phone = _phone(_("Phone"))
    website = _website(_("Website"))


_FORMSETS = {
    "additional_requirements": (RequirementForm, _("Additional requirements")),
    "accessibility": (AccessibilityForm, _("Accessibility: support for students with special needs")),
    "additional_info": (AdditionalInfoForm, _("Further information")),
}


class FactsheetForms:
    """The main form and the three list formsets, bound and validated together."""

    def __init__(self, data=None, *, factsheet: Factsheet | None = None):
        initial = {name: getattr(factsheet, name) for name in FactsheetForm.base_fields} if factsheet else {}
        if factsheet:
            initial.update(
                {
                    f"{kind}_{part}": getattr(factsheet, f"{kind}_{part}")
                    for kind in INFORMATION_KINDS
                    for part in ("email", "phone", "website")
                }
            )
        self.main = FactsheetForm(data, initial=initial)
        self.formsets = {}
        for name in LIST_FIELDS:
            form_class, title = _FORMSETS[name]
            formset_class = forms.formset_factory(form_class, extra=1, can_delete=True, max_num=50)
            formset = formset_class(data, prefix=name, initial=getattr(factsheet, name) if factsheet else [])
            formset.title = title
            self.formsets[name] = formset
        self._sent: dict[str, list[forms.Form]] = {}

    def is_valid(self) -> bool:
        valid = self.main.is_valid()
        return all([formset.is_valid() for formset in self.formsets.values()]) and valid

    def service_data(self) -> dict:
        """The cleaned values as ``factsheet_update`` keyword arguments (blank and deleted rows left out)."""
        data = dict(self.main.cleaned_data)
        for name, formset in self.formsets.items():
            deleted = formset.deleted_forms
            kept = formset.initial_form_count()
            sent = [
                form
                for number, form in enumerate(formset.forms)
                if (number < kept or form.has_changed()) and form not in deleted
            ]
            self._sent[name] = sent
            data[name] = [
                {key: value for key, value in form.cleaned_data.items() if key != "DELETE"} for form in sent
            ]
        return data

    def add_errors(self, error: ValidationFailed) -> None:
        for key, messages in error.errors.items():
            name, _dot, rest = key.partition(".")
            index, _dot, field = rest.partition(".")
            if name in self._sent and index.isdigit() and int(index) < len(self._sent[name]):
                form = self._sent[name][int(index)]
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
            else:
                core_forms.add_domain_errors(self.main, ValidationFailed({key: messages}))
