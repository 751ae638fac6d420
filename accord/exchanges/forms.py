"""Forms of the exchanges pages; they parse input, the services validate the domain rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.algorithms.allocation.selection import GRADING_SCALES
from accord.core.forms import AccordForm, VersionedFormMixin
from accord.exchanges.choices import MobilityType, Term
from accord.reference.cefr import all_cefr


def _split(text: str) -> list[str]:
    return [item.strip() for item in (text or "").replace("\n", ",").split(",") if item.strip()]


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    academic_year = forms.CharField(label=_("Academic year"), max_length=9, help_text=_("Such as 2026/2027."))
    term = forms.ChoiceField(label=_("Term"), choices=Term.choices)
    mobility_type = forms.ChoiceField(label=_("Mobility type"), choices=MobilityType.choices)
    opens_at = forms.DateTimeField(
        label=_("Opens at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    max_choices = forms.IntegerField(label=_("Choices per applicant"), min_value=1, initial=3)
    required_documents = forms.CharField(
        label=_("Required documents"), required=False, help_text=_("Separated by commas.")
    )
    weight_grade = forms.FloatField(label=_("Weight of the grade average"), initial=1)
    weight_language = forms.FloatField(label=_("Weight of the language level"), initial=1)
    weight_motivation = forms.FloatField(label=_("Weight of the motivation (reviews)"), initial=1)
    priority_bonus = forms.FloatField(label=_("Priority bonus (points)"), initial=0)
    review_scale_max = forms.IntegerField(label=_("Review scale maximum"), min_value=1, initial=10)
    eqf_levels = forms.CharField(
        label=_("EQF levels"), required=False, help_text=_("Such as 6, 7; empty: any.")
    )
    isced_codes = forms.CharField(label=_("ISCED-F fields"), required=False, help_text=_("Such as 06, 0413."))
    min_cefr = forms.ChoiceField(label=_("Minimum CEFR level in the destination's language"), required=False)
    min_grade = forms.FloatField(label=_("Minimum grade (0-10 scale)"), required=False)
    min_year_of_study = forms.IntegerField(label=_("Minimum year of study"), required=False, min_value=1)
    tie_break_seed = forms.IntegerField(label=_("Tie-break seed"), min_value=0, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_cefr"].choices = [("", _("None"))] + [(c.code, c.code) for c in all_cefr()]

    def clean_eqf_levels(self):
        try:
            return [int(level) for level in _split(self.cleaned_data["eqf_levels"])]
        except ValueError as exc:
            raise forms.ValidationError(_("Write EQF levels as numbers.")) from exc

    def clean_isced_codes(self):
        return _split(self.cleaned_data["isced_codes"])

    def clean_required_documents(self):
        return _split(self.cleaned_data["required_documents"])

    @staticmethod
    def initial_from(call) -> dict:
        values = {name: getattr(call, name) for name in CallForm.base_fields}
        values["required_documents"] = ", ".join(call.required_documents)
        values["eqf_levels"] = ", ".join(map(str, call.eqf_levels))
        values["isced_codes"] = ", ".join(call.isced_codes)
        return values


class CallEditForm(VersionedFormMixin, CallForm):
    """The call form of an existing call: it carries the version it was opened at."""


class ApplicationForm(forms.Form):
    grade_average = forms.DecimalField(label=_("Grade average"), max_digits=6, decimal_places=2)
    grading_scale = forms.ChoiceField(
        label=_("Grading scale"), choices=[(scale.code, scale.label) for scale in GRADING_SCALES.values()]
    )
    eqf_level = forms.IntegerField(label=_("EQF level"), help_text=_("6 for a bachelor, 7 for a master."))
    isced_code = forms.CharField(label=_("Field of study (ISCED-F code)"), max_length=4)
    year_of_study = forms.IntegerField(label=_("Year of study"), min_value=1)
    languages = forms.CharField(
        label=_("Languages"), required=False, help_text=_("Code and CEFR level, such as: en C1, es B2.")
    )
    priority = forms.BooleanField(
        label=_("I belong to a priority group (fewer opportunities)"), required=False
    )
    motivation = forms.CharField(
        label=_("Motivation"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, places=(), max_choices=1, **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", _("(none)"))] + [(place.pk, place.name) for place in places]
        for rank in range(1, max_choices + 1):
            self.fields[f"choice_{rank}"] = forms.TypedChoiceField(
                label=_("Choice %(rank)s") % {"rank": rank},
                choices=options,
                required=False,
                coerce=int,
                empty_value=None,
            )
        self.max_choices = max_choices

    def clean_languages(self):
        levels = {}
        for item in _split(self.cleaned_data["languages"]):
            parts = item.split()
            if len(parts) != 2:
                raise forms.ValidationError(_("Write each language as a code and a level, such as es B2."))
            levels[parts[0].lower()] = parts[1].upper()
        return levels

    def choices(self) -> list[int]:
        picked = [self.cleaned_data.get(f"choice_{rank}") for rank in range(1, self.max_choices + 1)]
        return [place for place in picked if place]

    def service_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in (
                "grade_average",
                "grading_scale",
                "eqf_level",
                "isced_code",
                "year_of_study",
                "languages",
                "priority",
                "motivation",
            )
        }

    @staticmethod
    def initial_from(application) -> dict:
        values = ApplicationForm.initial_fields(application)
        for choice in application.choices.all():
            values[f"choice_{choice.rank}"] = choice.place_id
        return values

    @staticmethod
    def initial_fields(application) -> dict:
        return {
            "grade_average": application.grade_average,
            "grading_scale": application.grading_scale,
            "eqf_level": application.eqf_level,
            "isced_code": application.isced_code,
            "year_of_study": application.year_of_study,
            "languages": ", ".join(f"{code} {level}" for code, level in application.languages.items()),
            "priority": application.priority,
            "motivation": application.motivation,
        }


def add_domain_errors(form: forms.Form, error) -> None:
    """Show a service's ValidationFailed on the form's fields (or above it for other fields)."""
    for field, messages in error.errors.items():
        target = field if field in form.fields else None
        if field == "choices" and "choice_1" in form.fields:
            target = "choice_1"
        for message in messages:
            form.add_error(target, message)


class ApplicationEditForm(VersionedFormMixin, ApplicationForm):
    """The application form of an existing application: it carries the version it was opened at."""


def _version_or_none_yet() -> forms.IntegerField:
    """The hidden version of a form that may create its record: 0 when there was none yet when the page
    was opened (``services.NOT_THERE``), so that one saved meanwhile is not overwritten either."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class ReviewForm(VersionedFormMixin, AccordForm):
    """A reviewer's score and comment, with the version of their review it was opened at."""

    version = _version_or_none_yet()
    score = forms.DecimalField(label=_("Motivation score"), min_value=0, max_digits=5, decimal_places=2)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @staticmethod
    def initial_for(review) -> dict:
        if review is None:
            return {"version": 0}
        return {"version": review.version, "score": review.score, "comment": review.comment}


class DocumentForm(VersionedFormMixin, AccordForm):
    """An upload of a required document, with the version of the file it replaces (0: none yet)."""

    version = _version_or_none_yet()
    title = forms.CharField(label=_("Document"), max_length=255)
    file = forms.FileField(label=_("File"), error_messages={"required": _("Choose a file to upload.")})


class DocumentRemoveForm(VersionedFormMixin, AccordForm):
    """The removal of an uploaded document, with the version of the file the applicant saw."""
