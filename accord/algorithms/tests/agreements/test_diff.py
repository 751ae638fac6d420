"""Field-level diffs: conditions followed by key (or by content across copies), partners by organisation."""

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.algorithms.agreements.content import (
    AgreementContent,
    AgreementContentError,
    AgreementPartner,
    AgreementTerms,
    Change,
    CooperationCondition,
    LanguageSkill,
    SubjectArea,
    Where,
    content_to_dict,
    diff_contents,
    diff_documents,
    match_conditions_by_content,
)
from accord.algorithms.tests.agreements.test_strategies import CONDITION_MUTATIONS, contents, mutate_condition

FEW = settings(max_examples=10, deadline=None)
SOME = settings(max_examples=20, deadline=None)
NAMES = {"17": "Home University", "hibo.no": "Partner University"}


def studies(key: str = "c1", **changes: object) -> CooperationCondition:
    condition = CooperationCondition(
        key=key,
        mobility_type="student_studies",
        sending_partner=0,
        receiving_partner=1,
        first_academic_year="2026/2027",
        last_academic_year="2028/2029",
        mobilities_per_year=2,
        subject_areas=(SubjectArea("0314"),),
        eqf_levels=(6, 7),
        language_skills=(LanguageSkill("en", "B2"),),
        total_months_per_year=Decimal(10),
    )
    return dataclasses.replace(condition, **changes)  # type: ignore[arg-type]


def teaching(key: str = "c2", **changes: object) -> CooperationCondition:
    condition = CooperationCondition(
        key=key,
        mobility_type="staff_teaching",
        sending_partner=1,
        receiving_partner=0,
        first_academic_year="2026/2027",
        last_academic_year="2027/2028",
        mobilities_per_year=1,
        language_skills=(LanguageSkill("en", "C1"),),
        total_days_per_year=Decimal(8),
    )
    return dataclasses.replace(condition, **changes)  # type: ignore[arg-type]


def agreement(*conditions: CooperationCondition, **terms: object) -> AgreementContent:
    return AgreementContent(
        partners=(AgreementPartner("17", hei_id="uw.edu.pl"), AgreementPartner("hibo.no", hei_id="hibo.no")),
        conditions=conditions or (studies(), teaching()),
        terms=AgreementTerms("erasmus_iia", **terms),  # type: ignore[arg-type]
    )


# --- Hand-built examples ---------------------------------------------------------------------------------


def test_a_changed_field_is_one_change_with_a_readable_label() -> None:
    old = agreement()
    new = agreement(studies(), teaching(mobilities_per_year=3))

    assert diff_contents(old, new, partner_names=NAMES) == [
        Change(
            path="conditions[1].mobilities_per_year",
            kind="changed",
            old=1,
            new=3,
            label="Condition 2 (staff teaching, Partner University → Home University): mobilities per year",
        )
    ]


def test_each_change_says_where_it_is_in_parts_a_page_can_translate() -> None:
    old = agreement(studies(), teaching())
    new = dataclasses.replace(
        agreement(studies(receiving_partner=0, sending_partner=1)),
        terms=AgreementTerms(agreement_type="erasmus_iia", housing="Help finding a room"),
    )

    changes = diff_contents(old, new, partner_names=NAMES)

    assert [(c.path, c.where) for c in changes] == [
        (
            "conditions[0].sending_partner",
            Where(
                "condition",
                "sending_partner",
                "",
                1,
                "student_studies",
                "Partner University",
                "Home University",
            ),
        ),
        (
            "conditions[0].receiving_partner",
            Where(
                "condition",
                "receiving_partner",
                "",
                1,
                "student_studies",
                "Partner University",
                "Home University",
            ),
        ),
        (
            "conditions[1]",
            Where("condition", None, "", 2, "staff_teaching", "Partner University", "Home University"),
        ),
        ("terms.housing", Where("terms", "housing")),
    ]


def test_without_names_labels_show_organisation_refs() -> None:
    changes = diff_contents(agreement(), agreement(studies(blended=True), teaching()))

    assert [change.label for change in changes] == [
        "Condition 1 (student studies, 17 → hibo.no): blended mobility"
    ]


def test_reordered_conditions_are_not_a_change_and_paths_follow_the_new_order() -> None:
    old = agreement(studies(), teaching())

    assert diff_contents(old, agreement(teaching(), studies())) == []
    [change] = diff_contents(old, agreement(teaching(), studies(other_info="Autumn only")))
    assert change.path == "conditions[1].other_info"
    assert (change.old, change.new) == ("", "Autumn only")


def test_conditions_with_new_keys_are_added_and_those_gone_are_removed() -> None:
    old = agreement(studies(), teaching())
    new = agreement(studies(), teaching(key="c3"))

    changes = diff_contents(old, new, partner_names=NAMES)

    assert [(c.path, c.kind) for c in changes] == [("conditions[1]", "added"), ("conditions[1]", "removed")]
    added, removed = changes
    assert added.new["key"] == "c3"
    assert added.old is None and removed.new is None
    assert removed.old == content_to_dict(old)["conditions"][1]
    assert removed.label == "Condition 2 (staff teaching, Partner University → Home University)"


def test_set_like_fields_compare_as_sets_and_change_as_a_whole() -> None:
    old = agreement(studies(eqf_levels=(6, 7), subject_areas=(SubjectArea("0314"), SubjectArea("0413"))))

    assert (
        diff_contents(
            old, agreement(studies(eqf_levels=(7, 6), subject_areas=old.conditions[0].subject_areas[::-1]))
        )
        == []
    )
    [change] = diff_contents(
        old, agreement(studies(eqf_levels=(8, 6, 7), subject_areas=old.conditions[0].subject_areas))
    )
    assert (change.path, change.old, change.new) == ("conditions[0].eqf_levels", [6, 7], [6, 7, 8])


def test_a_nested_field_change_shows_on_its_set_field() -> None:
    old = agreement(studies(language_skills=(LanguageSkill("en", "B2"), LanguageSkill("no", "B1"))))
    new = agreement(studies(language_skills=(LanguageSkill("en", "C1"), LanguageSkill("no", "B1"))))

    [change] = diff_contents(old, new)

    assert change.path == "conditions[0].language_skills"
    assert change.old[0] == {"language": "en", "cefr_level": "B2", "isced_code": None, "clarification": None}
    assert change.new[0]["cefr_level"] == "C1"


def test_partners_are_matched_by_organisation_so_their_order_does_not_matter() -> None:
    old = agreement()
    swapped = AgreementContent(
        partners=old.partners[::-1],
        conditions=(
            studies(sending_partner=1, receiving_partner=0),
            teaching(sending_partner=0, receiving_partner=1),
        ),
        terms=old.terms,
    )

    assert diff_contents(old, swapped) == []


def test_partner_fields_terms_and_quotas_are_reported_as_json_values() -> None:
    old = agreement()
    new = dataclasses.replace(
        agreement(studies(total_months_per_year=Decimal("10.50")), teaching(), fees="EUR 100"),
        partners=(dataclasses.replace(old.partners[0], signing_date=date(2026, 5, 4)), old.partners[1]),
    )

    changes = diff_contents(old, new, partner_names=NAMES)

    assert [(c.path, c.old, c.new, c.label) for c in changes] == [
        ("partners[0].signing_date", None, "2026-05-04", "Partner Home University: signing date"),
        ("conditions[0].total_months_per_year", "10", "10.5",
         "Condition 1 (student studies, Home University → Partner University): total months per year"),
        ("terms.fees", "", "EUR 100", "Terms: fees"),
    ]  # fmt: skip


def test_a_change_of_sending_partner_names_the_organisations() -> None:
    partners = (*agreement().partners, AgreementPartner("42"))
    old = AgreementContent(partners, (studies(),), AgreementTerms("other"))
    new = AgreementContent(partners, (studies(sending_partner=2),), AgreementTerms("other"))

    [change] = diff_contents(old, new, partner_names={**NAMES, "42": "Third College"})

    assert (change.path, change.old, change.new) == ("conditions[0].sending_partner", "17", "42")
    assert (
        change.label == "Condition 1 (student studies, Third College → Partner University): sending partner"
    )


def test_added_and_removed_partners() -> None:
    old = AgreementContent(
        (*agreement().partners, AgreementPartner("42")), (studies(),), AgreementTerms("other")
    )
    new = AgreementContent(
        (*agreement().partners, AgreementPartner("43")), (studies(),), AgreementTerms("other")
    )

    changes = diff_contents(old, new)

    assert [(c.path, c.kind, c.label) for c in changes] == [
        ("partners[2]", "added", "Partner 43"),
        ("partners[2]", "removed", "Partner 42"),
    ]


def test_diff_documents_parses_both_sides() -> None:
    old = content_to_dict(agreement())
    new = content_to_dict(agreement(studies(), teaching(first_academic_year="2027/2028")))

    [change] = diff_documents(old, new)

    assert change.path == "conditions[1].first_academic_year"
    with pytest.raises(AgreementContentError):
        diff_documents(old, {**new, "partners": []})


def test_an_unknown_match_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="match must be"):
        diff_contents(agreement(), agreement(), match="position")  # type: ignore[arg-type]


# --- A partner's copy: matching by content -----------------------------------------------------------------


def partner_copy(*conditions: CooperationCondition) -> AgreementContent:
    """How a partner's EWP copy arrives: its own condition keys, hei-ids as organisation refs."""
    return AgreementContent(
        partners=(
            AgreementPartner("uw.edu.pl", hei_id="uw.edu.pl"),
            AgreementPartner("hibo.no", hei_id="hibo.no"),
        ),
        conditions=conditions,
        terms=AgreementTerms("erasmus_iia"),
    )


def test_conditions_of_a_partner_copy_pair_by_type_direction_and_years() -> None:
    ours = agreement(studies("a"), studies("b", first_academic_year="2027/2028"), teaching("c"))
    theirs = partner_copy(teaching("x"), studies("y", first_academic_year="2027/2028"), studies("z"))

    assert match_conditions_by_content(ours, theirs) == [(0, 2), (1, 1), (2, 0)]


def test_other_fields_break_ties_between_similar_conditions() -> None:
    ours = agreement(studies("a", mobilities_per_year=2), studies("b", mobilities_per_year=5))
    theirs = partner_copy(studies("y", mobilities_per_year=5), studies("z", mobilities_per_year=3))

    assert match_conditions_by_content(ours, theirs) == [(0, 1), (1, 0)]


def test_a_different_direction_or_mobility_type_never_pairs() -> None:
    ours = agreement(studies("a"))
    theirs = partner_copy(
        studies("y", sending_partner=1, receiving_partner=0),
        dataclasses.replace(studies("z"), mobility_type="student_traineeship"),
    )

    assert match_conditions_by_content(ours, theirs) == []


def test_diff_with_a_partner_copy_shows_real_differences_only() -> None:
    ours = agreement(studies("a"), teaching("b"))
    theirs = partner_copy(teaching("x", total_days_per_year=Decimal(10)), studies("y"))

    changes = diff_contents(ours, theirs, match="content")

    assert [(c.path, c.old, c.new) for c in changes] == [
        ("partners[0].organisation_ref", "17", "uw.edu.pl"),
        ("conditions[0].total_days_per_year", "8", "10"),
    ]


# --- Properties -------------------------------------------------------------------------------------------


@SOME
@given(contents())
def test_a_content_does_not_differ_from_itself(content: AgreementContent) -> None:
    assert diff_contents(content, content) == []
    assert diff_contents(content, content, match="content") == []


@SOME
@given(contents())
def test_matching_by_content_pairs_every_condition_of_a_rekeyed_copy(content: AgreementContent) -> None:
    rekeyed = dataclasses.replace(
        content, conditions=tuple(dataclasses.replace(c, key=f"theirs-{c.key}") for c in content.conditions)
    )

    assert diff_contents(content, rekeyed, match="content") == []
    assert len(match_conditions_by_content(content, rekeyed)) == len(content.conditions)


@pytest.mark.parametrize("field", sorted(CONDITION_MUTATIONS))
@FEW
@given(content=contents(min_conditions=1), data=st.data())
def test_a_single_field_mutation_is_exactly_one_change_at_its_path(
    field: str, content: AgreementContent, data: st.DataObject
) -> None:
    mutated, index = mutate_condition(data, content, field)

    [change] = diff_contents(content, mutated)

    assert change.path == f"conditions[{index}].{field.split('.')[0]}"
    assert change.kind == "changed"
    assert change.old != change.new


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("signing_contact", "Someone Else"),
        ("signing_date", date(1999, 12, 31)),
        ("partner_agreement_id", "IIA-42"),
        ("partner_agreement_code", "2026/E+/42"),
        ("unit_ref", "unit-of-its-own"),
    ],
)
@FEW
@given(content=contents(), data=st.data())
def test_a_single_partner_field_mutation_is_exactly_one_change(
    field: str, value: object, content: AgreementContent, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(content.partners) - 1))
    partners = list(content.partners)
    partners[index] = dataclasses.replace(partners[index], **{field: value})  # type: ignore[arg-type]

    [change] = diff_contents(content, dataclasses.replace(content, partners=tuple(partners)))

    assert (change.path, change.kind) == (f"partners[{index}].{field}", "changed")


@pytest.mark.parametrize(
    ("field", "value"),
    [("tuition_waiver", None), ("fees", "EUR 1,000,000"), ("termination_notice", "Six months, in writing")],
)
@FEW
@given(content=contents())
def test_a_single_terms_mutation_is_exactly_one_change(
    field: str, value: object, content: AgreementContent
) -> None:
    new_value = not content.terms.tuition_waiver if value is None else value

    [change] = diff_contents(
        content, dataclasses.replace(content, terms=dataclasses.replace(content.terms, **{field: new_value}))
    )

    assert (change.path, change.new) == (f"terms.{field}", new_value)
