from django import forms

from accord.reference.academic_years import AcademicYear
from accord.reference.forms import (
    AcademicYearField,
    CefrField,
    CountryField,
    EqfField,
    IscedMultipleField,
    LanguageMultipleField,
    isced_choices,
)


class ReferenceForm(forms.Form):
    country = CountryField()
    languages = LanguageMultipleField(required=False)
    fields = IscedMultipleField(required=False)
    cefr = CefrField(required=False)
    eqf = EqfField(required=False)
    year = AcademicYearField(required=False)


def test_valid_input_cleans_to_canonical_codes():
    form = ReferenceForm(
        {
            "country": "fr",
            "languages": ["EN", "pl"],
            "fields": ["0413", "04"],
            "cefr": "b2",
            "eqf": "6",
            "year": "2026/2027",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "country": "FR",
        "languages": ["en", "pl"],
        "fields": ["0413", "04"],
        "cefr": "B2",
        "eqf": 6,
        "year": AcademicYear(2026),
    }


def test_optional_fields_may_stay_empty():
    form = ReferenceForm({"country": "PL"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["eqf"] is None
    assert form.cleaned_data["year"] is None
    assert form.cleaned_data["cefr"] == ""


def test_invalid_input_is_refused():
    form = ReferenceForm(
        {
            "country": "XX",
            "languages": ["eng"],
            "fields": ["0418"],
            "cefr": "C3",
            "eqf": "9",
            "year": "2026/2028",
        }
    )
    assert not form.is_valid()
    assert set(form.errors) == {"country", "languages", "fields", "cefr", "eqf", "year"}
    assert form.errors["year"] == ["Enter an academic year as two consecutive years, such as 2026/2027."]


def test_country_choices_are_sorted_names_and_required_field_has_no_blank():
    choices = list(ReferenceForm().fields["country"].choices)
    assert choices[0] == ("AF", "Afghanistan")
    assert ("PL", "Poland") in choices


def test_optional_choice_fields_offer_a_blank_first():
    form = ReferenceForm()
    assert list(form.fields["cefr"].choices)[:2] == [("", "---------"), ("A1", "A1 Breakthrough")]
    assert list(form.fields["eqf"].choices)[6] == (6, "EQF 6: First cycle (bachelor)")


def test_isced_choices_are_grouped_by_broad_field_with_labels():
    groups = dict(isced_choices())
    assert len(groups) == 12
    business = groups["04 Business, administration and law"]
    assert business[0] == ("04", "04 Business, administration and law")
    assert ("0413", "0413 Management and administration") in business
    assert all(code.startswith("04") for code, _label in business)


def test_isced_widget_renders_optgroups():
    html = str(ReferenceForm()["fields"])
    assert '<optgroup label="06 Information and Communication Technologies (ICTs)">' in html


def test_academic_year_field_shows_the_label_of_an_initial_value():
    form = ReferenceForm(initial={"year": AcademicYear(2025)})
    assert 'value="2025/2026"' in str(form["year"])
    assert 'placeholder="2026/2027"' in str(form["year"])
