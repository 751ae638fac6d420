"""The one filter definition of the agreement list: the page, and the partnership's section that shows
the list narrowed to it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.agreements.choices import AgreementStatus


class AgreementFilterForm(forms.Form):
    """The list's filters: a status and words from the title or a party's name."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *AgreementStatus.choices]
    )
    partnership = forms.IntegerField(required=False, widget=forms.HiddenInput)
