"""The forms of the funding pages: they parse what people type; the rules live in the services."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import AccordForm, VersionedFormMixin
from accord.funding.choices import Activity


def with_version(data: dict) -> dict:
    values = dict(data)
    version = values.pop("version")
    return {**values, "expected_version": version}


class RuleSetDataForm(VersionedFormMixin, AccordForm):
    """A draft's rules as JSON: every figure with its amount, source document, page and validity."""

    data = forms.CharField(
        label=_("Rules (JSON)"), widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"})
    )
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def clean_data(self):
        try:
            return json.loads(self.cleaned_data["data"])
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("This is not valid JSON (line %(line)s, column %(column)s).")
                % {"line": error.lineno, "column": error.colno}
            ) from error


class GrantCreateForm(AccordForm):
    rule_set = forms.TypedChoiceField(label=_("Grant rules"), coerce=int)
    budget = forms.TypedChoiceField(label=_("Budget"), coerce=int)
    activity = forms.ChoiceField(label=_("Activity"), choices=Activity.choices)
    fewer_opportunities = forms.BooleanField(label=_("Participant with fewer opportunities"), required=False)
    green_travel = forms.BooleanField(label=_("Green travel"), required=False)
    travel_days = forms.IntegerField(label=_("Travel days"), min_value=0, max_value=10, initial=0)
    co_funder = forms.TypedChoiceField(
        label=_("Co-funder paying the travel support"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, rule_sets, budgets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule_set"].choices = rule_sets
        self.fields["budget"].choices = budgets
        self.fields["co_funder"].choices = [("", _("None")), *budgets]


class GrantEditForm(VersionedFormMixin, AccordForm):
    fewer_opportunities = forms.BooleanField(label=_("Participant with fewer opportunities"), required=False)
    green_travel = forms.BooleanField(label=_("Green travel"), required=False)
    travel_days = forms.IntegerField(label=_("Travel days"), min_value=0, max_value=10)
    distance_override_km = forms.IntegerField(
        label=_("Distance used instead (km)"),
        min_value=0,
        required=False,
        help_text=_("Only when the activity takes place elsewhere than the partner's city."),
    )
    distance_override_reason = forms.CharField(
        label=_("Why another distance"), max_length=300, required=False
    )


class PaymentForm(AccordForm):
    label = forms.CharField(label=_("Instalment"), max_length=200)
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Bank reference"), max_length=100, required=False)


class ForecastForm(AccordForm):
    rule_set = forms.TypedChoiceField(label=_("Grant rules"), coerce=int)
    budget = forms.TypedChoiceField(label=_("Charge to budget"), coerce=int)
    mobilities = forms.TypedMultipleChoiceField(
        label=_("Chosen applicants"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, rule_sets, budgets, mobilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule_set"].choices = rule_sets
        self.fields["budget"].choices = budgets
        self.fields["mobilities"].choices = mobilities


class ReportForm(AccordForm):
    by = forms.ChoiceField(
        label=_("Group by"),
        choices=[
            ("funder", _("Funder")),
            ("programme", _("Programme")),
            ("partner", _("Partner")),
            ("country", _("Country")),
            ("year", _("Year")),
        ],
        required=False,
    )


class ApplicantForecastForm(AccordForm):
    call = forms.TypedChoiceField(label=_("Call"), coerce=int)
    rule_set = forms.TypedChoiceField(label=_("Grant rules"), coerce=int)
    budget = forms.TypedChoiceField(label=_("Charge to budget"), coerce=int)
    applications = forms.TypedMultipleChoiceField(
        label=_("Chosen applicants"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, calls, rule_sets, budgets, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].choices = calls
        self.fields["rule_set"].choices = rule_sets
        self.fields["budget"].choices = budgets
        self.fields["applications"].choices = applications
