"""Form fields for reference data, so every form offers the same choices with the same labels.

Choices are computed when a form is rendered, not at import time, and codes typed in another case
("fr", "b2") are accepted and cleaned to their canonical form.
"""

from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from accord.reference.academic_years import AcademicYear, parse_academic_year
from accord.reference.cefr import all_cefr
from accord.reference.countries import all_countries
from accord.reference.eqf import all_eqf
from accord.reference.isced import all_isced, isced_label
from accord.reference.languages import all_languages


def country_choices() -> list[tuple[str, str]]:
    """(code, name) for every country, by name."""
    return [(country.code, country.name) for country in all_countries()]


def language_choices() -> list[tuple[str, str]]:
    """(code, name) for every ISO 639-1 language, by name."""
    return [(language.code, language.name) for language in all_languages()]


def isced_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """ISCED-F fields grouped under their broad field (each group starts with the broad field itself)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for field in all_isced():
        groups.setdefault(field.code[:2], []).append((field.code, isced_label(field.code)))
    return [(isced_label(broad), options) for broad, options in groups.items()]


def cefr_choices() -> list[tuple[str, str]]:
    """("B2", "B2 Vantage") and so on, lowest level first."""
    return [(level.code, f"{level.code} {level.name}") for level in all_cefr()]


def eqf_choices() -> list[tuple[int, str]]:
    """(6, "EQF 6: First cycle (bachelor)") and so on; levels 1 to 4 have no cycle to show."""
    return [
        (level.level, f"EQF {level.level}: {level.cycle}" if level.cycle else f"EQF {level.level}")
        for level in all_eqf()
    ]


class _OptionalChoiceMixin:
    """Offers an empty first choice when the field is optional, as model form fields do."""

    def __init__(self, *, required: bool = True, **kwargs):
        choices = kwargs.pop("choices")
        if not required:
            choices = self._with_empty_choice(choices)
        super().__init__(required=required, choices=choices, **kwargs)

    @staticmethod
    def _with_empty_choice(choices):
        return lambda: [*BLANK_CHOICE_DASH, *choices()]


class CountryField(_OptionalChoiceMixin, forms.ChoiceField):
    """One country; cleans to its upper-case ISO 3166-1 alpha-2 code."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Country"))
        super().__init__(choices=country_choices, **kwargs)

    def to_python(self, value) -> str:
        return super().to_python(value).strip().upper()


class LanguageMultipleField(forms.MultipleChoiceField):
    """Several languages; cleans to a list of lower-case ISO 639-1 codes."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Languages"))
        super().__init__(choices=language_choices, **kwargs)

    def to_python(self, value) -> list[str]:
        return [code.strip().lower() for code in super().to_python(value)]


class IscedMultipleField(forms.MultipleChoiceField):
    """Several ISCED-F 2013 fields at any level, offered grouped by broad field."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Fields of education"))
        super().__init__(choices=isced_choices, **kwargs)

    def to_python(self, value) -> list[str]:
        return [code.strip() for code in super().to_python(value)]


class CefrField(_OptionalChoiceMixin, forms.ChoiceField):
    """A CEFR level; cleans to its upper-case code, such as "B2"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("CEFR level"))
        super().__init__(choices=cefr_choices, **kwargs)

    def to_python(self, value) -> str:
        return super().to_python(value).strip().upper()


class EqfField(_OptionalChoiceMixin, forms.TypedChoiceField):
    """An EQF level; cleans to an ``int`` from 1 to 8 (``None`` when left empty)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("EQF level"))
        kwargs.setdefault("empty_value", None)
        super().__init__(choices=eqf_choices, coerce=int, **kwargs)


class AcademicYearField(forms.CharField):
    """An academic year typed as "2026/2027"; cleans to an ``AcademicYear`` (``None`` when empty)."""

    default_error_messages = {
        "invalid": _("Enter an academic year as two consecutive years, such as 2026/2027."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Academic year"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget) -> dict:
        return {**super().widget_attrs(widget), "placeholder": "2026/2027"}

    def prepare_value(self, value):
        return value.label if isinstance(value, AcademicYear) else value

    def to_python(self, value) -> AcademicYear | None:
        if isinstance(value, AcademicYear):
            return value
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_academic_year(text)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
