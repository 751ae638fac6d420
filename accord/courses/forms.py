"""The forms of the catalogue pages: they parse what people type; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import AccordForm, VersionedFormMixin
from accord.courses.choices import CourseMode


class CourseForm(AccordForm):
    code = forms.CharField(label=_("Code"), max_length=64)
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    ects = forms.CharField(label=_("ECTS credits"), max_length=8)
    isced_code = forms.CharField(
        label=_("Field of education (ISCED-F)"),
        max_length=4,
        required=False,
        help_text=_("For example 0613."),
    )
    eqf_level = forms.CharField(
        label=_("EQF level"), max_length=2, required=False, help_text=_("6 for a bachelor, 7 for a master.")
    )
    language = forms.CharField(
        label=_("Language of instruction"), max_length=8, help_text=_("A language code, e.g. fr.")
    )
    term = forms.CharField(label=_("Term"), max_length=32, required=False)
    mode = forms.ChoiceField(label=_("Mode"), choices=CourseMode.choices)
    learning_outcomes = forms.CharField(
        label=_("Learning outcomes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    open_to_partners = forms.BooleanField(label=_("Open to partners' students"), required=False, initial=True)


class CourseEditForm(VersionedFormMixin, CourseForm):
    pass


class CourseImportForm(AccordForm):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: code, title, description, ects, isced, eqf, language; optionally term, mode, "
            "learning_outcomes, open_to_partners, unit_code."
        ),
    )
