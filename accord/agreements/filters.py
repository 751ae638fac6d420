"""The one filter definition of the agreement list: the page, and the partnership's section that shows
the list narrowed to it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.agreements.choices import AgreementStatus


class AgreementFilterForm(forms.Form):
    """The list's filters: a status, words from the title or a party's name, and what needs the user
    (the home page links to those)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *AgreementStatus.choices]
    )
    todo = forms.ChoiceField(
        label=_("Needs me"),
        required=False,
        choices=[
            ("", _("Anything")),
            ("approve", _("Awaiting my approval")),
            ("expiring", _("Expiring soon")),
        ],
    )
    partnership = forms.IntegerField(required=False, widget=forms.HiddenInput)
