"""Reading, validating and writing agreement documents; the modules stay free of Django."""

import copy
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings

from accord.algorithms.agreements.content import (
    AgreementContent,
    AgreementContentError,
    LanguageSkill,
    SubjectArea,
    content_from_dict,
    content_to_dict,
    parse_content,
)
from accord.algorithms.tests.agreements.test_strategies import contents


def document(**changes: Any) -> dict[str, Any]:
    """A valid Erasmus+ document, like the IIAs v7 example, with top-level ``changes``."""
    base = {
        "partners": [
            {
                "organisation_ref": "17",
                "hei_id": "uw.edu.pl",
                "unit_ref": "140",
                "signing_date": "2026-03-01",
            },
            {"organisation_ref": "hibo.no", "hei_id": "hibo.no", "partner_agreement_id": "1954991"},
        ],
        "conditions": [
            {
                "key": "c1",
                "mobility_type": "student_studies",
                "sending_partner": 0,
                "receiving_partner": 1,
                "sending_unit_ref": "140",
                "first_academic_year": "2026/2027",
                "last_academic_year": "2028/2029",
                "mobilities_per_year": 2,
                "subject_areas": [{"isced_code": "0314"}],
                "eqf_levels": [7, 8],
                "language_skills": [{"language": "en", "cefr_level": "B1"}],
                "total_months_per_year": "5",
            },
            {
                "key": "c2",
                "mobility_type": "staff_teaching",
                "sending_partner": 1,
                "receiving_partner": 0,
                "first_academic_year": "2026/2027",
                "last_academic_year": "2027/2028",
                "mobilities_per_year": 2,
                "language_skills": [{"language": "en", "cefr_level": "C1"}],
                "total_days_per_year": 8,
            },
        ],
        "terms": {"agreement_type": "erasmus_iia"},
    }
    return {**base, **changes}


def with_condition(index: int = 0, **fields: Any) -> dict[str, Any]:
    data = document()
    data["conditions"][index].update(fields)
    return data


def errors_of(data: Any) -> dict[str, list[str]]:
    with pytest.raises(AgreementContentError) as raised:
        parse_content(data)
    return raised.value.errors


# --- A valid document -----------------------------------------------------------------------------------


def test_a_valid_document_becomes_typed_content() -> None:
    content = parse_content(document())

    first, second = content.conditions
    assert content.partners[0].signing_date == date(2026, 3, 1)
    assert first.subject_areas == (SubjectArea("0314"),)
    assert first.language_skills == (LanguageSkill("en", "B1"),)
    assert first.total_months_per_year == Decimal(5)
    assert first.blended is False
    assert second.total_days_per_year == Decimal(8)
    assert content.terms.agreement_type == "erasmus_iia"


def test_the_written_document_is_json_safe_and_reads_back_equal() -> None:
    content = parse_content(document())
    written = content_to_dict(content)

    assert written["format_version"] == 1
    assert written["partners"][0]["signing_date"] == "2026-03-01"
    assert written["conditions"][0]["total_months_per_year"] == "5"
    assert written["conditions"][0]["eqf_levels"] == [7, 8]
    assert parse_content(written) == content


def test_text_codes_and_quotas_are_normalised() -> None:
    data = with_condition(
        0,
        key=" c1 ",
        other_info="  Cafe\u0301\r\nsecond line ",
        sending_unit_ref="",
        total_months_per_year="5.50",
        language_skills=[
            {"language": " EN", "cefr_level": "b1", "isced_code": " 0314 ", "clarification": ""}
        ],
    )

    condition = parse_content(data).conditions[0]

    assert condition.key == "c1"
    assert condition.other_info == "Café\nsecond line"
    assert condition.sending_unit_ref is None
    assert str(condition.total_months_per_year) == "5.5"
    assert condition.language_skills == (LanguageSkill("en", "B1", "0314", None),)


@pytest.mark.parametrize(
    ("given", "expected"), [(2.5, "2.5"), (10, "10"), ("1E+1", "10"), (Decimal("0.10"), "0.1")]
)
def test_quotas_may_be_numbers_or_text(given: object, expected: str) -> None:
    written = content_to_dict(parse_content(with_condition(0, total_months_per_year=given)))

    assert written["conditions"][0]["total_months_per_year"] == expected


def test_a_multilateral_agreement_outside_erasmus() -> None:
    data = document(terms={"agreement_type": "memorandum_of_understanding", "tuition_waiver": True})
    data["partners"].append({"organisation_ref": "99"})
    data["conditions"][1].update(sending_partner=2, language_skills=[])
    data["conditions"][0]["subject_areas"] = [{"isced_code": "04", "clarification": "Any business field"}]

    content = parse_content(data)

    assert len(content.partners) == 3
    assert content.conditions[0].subject_areas == (SubjectArea("04", "Any business field"),)


@settings(max_examples=60, deadline=None)
@given(contents())
def test_round_trip(content: AgreementContent) -> None:
    assert parse_content(content_to_dict(content)) == content


@settings(max_examples=60, deadline=None)
@given(contents())
def test_a_stored_document_reads_back_unvalidated_as_the_same_content(content: AgreementContent) -> None:
    stored = json.loads(json.dumps(content_to_dict(content)))
    assert content_from_dict(stored) == content


# --- Errors ---------------------------------------------------------------------------------------------


def test_every_error_is_reported_at_once_under_its_path() -> None:
    data = with_condition(0, eqf_levels=[9], mobilities_per_year=0, first_academic_year="2026-2027")
    data["conditions"][1]["receiving_partner"] = 1
    data["terms"] = {"agreement_type": "treaty"}

    errors = errors_of(data)

    assert set(errors) == {
        "conditions[0].eqf_levels",
        "conditions[0].mobilities_per_year",
        "conditions[0].first_academic_year",
        "conditions[1].receiving_partner",
        "terms.agreement_type",
    }


CONDITION_ERRORS = [
    (
        {"subject_areas": [{"isced_code": "9999x"}]},
        "conditions[0].subject_areas[0].isced_code",
        "not an ISCED-F",
    ),
    ({"subject_areas": [{"isced_code": "031"}]}, "conditions[0].subject_areas[0].isced_code", "four-digit"),
    (
        {"subject_areas": [{"isced_code": "0314"}, {"isced_code": "0314"}]},
        "conditions[0].subject_areas[1]",
        "same as",
    ),
    ({"eqf_levels": [0]}, "conditions[0].eqf_levels", "not an EQF level"),
    ({"eqf_levels": [True]}, "conditions[0].eqf_levels", "not an EQF level"),
    ({"eqf_levels": [7, 7]}, "conditions[0].eqf_levels", "listed twice"),
    (
        {"language_skills": [{"language": "en", "cefr_level": "B3"}]},
        "conditions[0].language_skills[0].cefr_level",
        "not a CEFR",
    ),
    (
        {"language_skills": [{"language": "eng"}]},
        "conditions[0].language_skills[0].language",
        "not a language",
    ),
    (
        {"language_skills": [{"language": "en", "clarification": "Oral"}]},
        "conditions[0].language_skills[0].clarification",
        "needs the ISCED-F",
    ),
    ({"language_skills": []}, "conditions[0].language_skills", "at least one"),
    ({"mobilities_per_year": 0}, "conditions[0].mobilities_per_year", "at least one"),
    ({"mobilities_per_year": -2}, "conditions[0].mobilities_per_year", "at least one"),
    ({"mobilities_per_year": 1.5}, "conditions[0].mobilities_per_year", "whole number"),
    ({"mobilities_per_year": True}, "conditions[0].mobilities_per_year", "whole number"),
    ({"total_months_per_year": 0}, "conditions[0].total_months_per_year", "more than 0"),
    ({"total_months_per_year": "-1"}, "conditions[0].total_months_per_year", "more than 0"),
    ({"total_months_per_year": "1.005"}, "conditions[0].total_months_per_year", "two decimal"),
    ({"total_months_per_year": "NaN"}, "conditions[0].total_months_per_year", "not a number"),
    ({"total_months_per_year": "five"}, "conditions[0].total_months_per_year", "not a number"),
    ({"total_months_per_year": "1E+99"}, "conditions[0].total_months_per_year", "less than"),
    ({"total_days_per_year": 3}, "conditions[0].total_days_per_year", "counted in months"),
    ({"last_academic_year": "2025/2026"}, "conditions[0].last_academic_year", "before the first"),
    ({"first_academic_year": "2026/2028"}, "conditions[0].first_academic_year", "must follow"),
    ({"first_academic_year": 2026}, "conditions[0].first_academic_year", "not an academic year"),
    ({"receiving_partner": 0}, "conditions[0].receiving_partner", "must differ"),
    ({"sending_partner": 2}, "conditions[0].sending_partner", "no partner 2"),
    ({"sending_partner": -1}, "conditions[0].sending_partner", "no partner -1"),
    ({"mobility_type": "student_exchange"}, "conditions[0].mobility_type", "not a mobility type"),
    ({"key": "c2"}, "conditions[1].key", "already used by conditions[0]"),
    ({"key": "  "}, "conditions[0].key", "cannot be blank"),
    ({"blended": "yes"}, "conditions[0].blended", "true or false"),
    ({"other_info": 5}, "conditions[0].other_info", "Expected text"),
    ({"seats": 3}, "conditions[0].seats", "Unknown field"),
]
STAFF_ERRORS = [
    ({"total_months_per_year": 3}, "conditions[1].total_months_per_year", "counted in days"),
    ({"eqf_levels": [7]}, "conditions[1].eqf_levels", "student mobility only"),
    ({"blended": True}, "conditions[1].blended", "student mobility only"),
]


@pytest.mark.parametrize(("fields", "path", "message"), CONDITION_ERRORS)
def test_condition_errors(fields: dict[str, Any], path: str, message: str) -> None:
    errors = errors_of(with_condition(0, **fields))

    assert list(errors) == [path]
    assert message in " ".join(errors[path])


@pytest.mark.parametrize(("fields", "path", "message"), STAFF_ERRORS)
def test_staff_condition_errors(fields: dict[str, Any], path: str, message: str) -> None:
    errors = errors_of(with_condition(1, **fields))

    assert list(errors) == [path]
    assert message in errors[path][0]


def test_required_condition_fields() -> None:
    data = document()
    data["conditions"][0] = {"key": "c1"}

    errors = errors_of(data)

    assert {path for path, messages in errors.items() if messages == ["This field is required."]} == {
        f"conditions[0].{name}"
        for name in (
            "mobility_type",
            "sending_partner",
            "receiving_partner",
            "first_academic_year",
            "last_academic_year",
            "mobilities_per_year",
        )
    }


def partners_with(*extra: dict[str, Any], replace_second: dict[str, Any] | None = None) -> dict[str, Any]:
    data = document(terms={"agreement_type": "other"})
    if replace_second is not None:
        data["partners"][1] = replace_second
    data["partners"].extend(extra)
    return data


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        (document(partners=[{"organisation_ref": "17"}], conditions=[]), "partners", "at least two"),
        (document(partners="17, hibo.no"), "partners", "Expected a list"),
        (
            partners_with(replace_second={"organisation_ref": "17"}),
            "partners[1].organisation_ref",
            "cannot partner with itself",
        ),
        (
            partners_with(replace_second={"organisation_ref": "x", "hei_id": "UW.edu.pl"}),
            "partners[1].hei_id",
            "cannot partner with itself",
        ),
        (
            partners_with({"organisation_ref": "3"}) | {"terms": {"agreement_type": "erasmus_iia"}},
            "partners",
            "exactly two",
        ),
        (partners_with({"organisation_ref": ""}), "partners[2].organisation_ref", "cannot be blank"),
        (partners_with({"organisation_ref": 3}), "partners[2].organisation_ref", "Expected text"),
        (
            partners_with({"organisation_ref": "3", "signing_date": "1 March 2026"}),
            "partners[2].signing_date",
            "YYYY-MM-DD",
        ),
        (
            partners_with({"organisation_ref": "3", "signing_date": datetime(2026, 3, 1)}),
            "partners[2].signing_date",
            "not a date",
        ),
        (partners_with("3"), "partners[2]", "must be an object"),
        (document(terms={"agreement_type": "treaty"}), "terms.agreement_type", "not an agreement type"),
        (document(terms={"agreement_type": "other", "fees": None}), "terms.fees", "Expected text"),
        (document(terms={}), "terms.agreement_type", "required"),
        (document(terms=[]), "terms", "must be an object"),
        (document(format_version=2), "format_version", "Unsupported"),
        (document(extra=True), "extra", "Unknown field"),
        (document(conditions={}), "conditions", "Expected a list"),
    ],
)
def test_document_errors(data: dict[str, Any], path: str, message: str) -> None:
    errors = errors_of(data)

    assert message in " ".join(errors[path])


def test_missing_top_level_fields_and_a_document_that_is_not_an_object() -> None:
    assert errors_of({}) == {name: ["This field is required."] for name in ("terms", "partners")}
    assert errors_of(["not", "an", "object"]) == {"__all__": ["An agreement must be an object, not a list."]}


def test_the_error_message_summarises_the_errors() -> None:
    summary = r"^conditions\[0\]\.mobilities_per_year: .* \(and 1 more\)$"
    with pytest.raises(AgreementContentError, match=summary):
        parse_content(with_condition(0, eqf_levels=[9], mobilities_per_year=0))


def test_parsing_does_not_change_its_input() -> None:
    data = with_condition(0, other_info="  padded  ")
    before = copy.deepcopy(data)

    parse_content(data)

    assert data == before
