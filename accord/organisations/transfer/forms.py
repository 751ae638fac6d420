from django import forms
from django.utils.translation import gettext_lazy as _

from accord.organisations.transfer.columns import Mode


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8, comma- or semicolon-separated) or Excel workbook (.xlsx)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[
            (Mode.CREATE.value, _("Create only: a row matching an existing record is an error")),
            (Mode.UPSERT.value, _("Create or update: a row matching an existing record updates it")),
        ],
        initial=Mode.CREATE.value,
    )
