"""Binding an objective's indicator to the library, and the evidence of a figure entered by hand."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import VersionedFormMixin
from accord.evaluation.library import definitions

YEAR = {"min_value": 1950, "max_value": 2100}


def definition_choices() -> list[tuple[str, str]]:
    choices = [("", str(_("Entered by hand, with evidence")))]
    for definition in definitions():
        if definition.bindable:
            suffix = "" if definition.available else f" ({_('pending')}: {definition.domain_name})"
            choices.append((definition.key, f"{definition.name}{suffix}"))
    return choices


class BindingForm(VersionedFormMixin, forms.Form):
    """Edits an ``IndicatorBinding``; version 0 says there was none when the page was opened."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    definition = forms.ChoiceField(label=_("Measured by"), required=False, choices=definition_choices)
    first_year = forms.IntegerField(label=_("Target period starts"), **YEAR)
    last_year = forms.IntegerField(label=_("Target year"), **YEAR)


class EvidenceForm(VersionedFormMixin, forms.Form):
    """Edits the ``ActualEvidence`` of a figure; version 0 as for bindings."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    link = forms.URLField(
        label=_("Link to the evidence"), required=False, max_length=500, assume_scheme="https"
    )
    file = forms.FileField(label=_("Or a file"), required=False)
    description = forms.CharField(label=_("What it shows"), required=False, max_length=255)
