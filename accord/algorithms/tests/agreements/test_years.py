"""Per-year quotas and renewal of an agreement for a new range of academic years."""

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from accord.algorithms.agreements.content import (
    AgreementContentError,
    QuotaRow,
    condition_years,
    conditions_hash,
    diff_contents,
    quota_table,
    renew_content,
)
from accord.algorithms.tests.agreements.test_diff import NAMES, agreement, studies, teaching


def test_condition_years_run_from_first_to_last_included() -> None:
    assert condition_years(studies()) == ["2026/2027", "2027/2028", "2028/2029"]
    assert condition_years(studies(last_academic_year="2026/2027")) == ["2026/2027"]


def test_the_quota_table_has_one_row_per_condition_and_year() -> None:
    assert quota_table(agreement()) == [
        QuotaRow("c1", "2026/2027", 2, Decimal(10), None),
        QuotaRow("c1", "2027/2028", 2, Decimal(10), None),
        QuotaRow("c1", "2028/2029", 2, Decimal(10), None),
        QuotaRow("c2", "2026/2027", 1, None, Decimal(8)),
        QuotaRow("c2", "2027/2028", 1, None, Decimal(8)),
    ]


def renewed_example():
    old = agreement()
    old = dataclasses.replace(
        old, partners=(dataclasses.replace(old.partners[0], signing_date=date(2026, 3, 1)), old.partners[1])
    )
    return old, renew_content(old, "2029/2030", "2031/2032", new_key=lambda condition: f"{condition.key}-r")


def test_renewal_copies_the_conditions_to_the_new_years_with_new_keys() -> None:
    old, renewed = renewed_example()

    assert [c.key for c in renewed.conditions] == ["c1-r", "c2-r"]
    assert {(c.first_academic_year, c.last_academic_year) for c in renewed.conditions} == {
        ("2029/2030", "2031/2032")
    }
    assert [
        dataclasses.replace(c, key="", first_academic_year="", last_academic_year="")
        for c in renewed.conditions
    ] == [
        dataclasses.replace(c, key="", first_academic_year="", last_academic_year="") for c in old.conditions
    ]
    assert renewed.terms == old.terms
    assert conditions_hash(renewed) != conditions_hash(old)


def test_renewal_clears_signing_dates_only() -> None:
    old, renewed = renewed_example()

    assert [p.signing_date for p in renewed.partners] == [None, None]
    assert [dataclasses.replace(p, signing_date=None) for p in old.partners] == list(renewed.partners)


def test_the_diff_of_a_renewal_shows_the_year_changes() -> None:
    old, renewed = renewed_example()

    changes = diff_contents(old, renewed, partner_names=NAMES, match="content")

    assert [(c.path, c.old, c.new) for c in changes] == [
        ("partners[0].signing_date", "2026-03-01", None),
        ("conditions[0].first_academic_year", "2026/2027", "2029/2030"),
        ("conditions[0].last_academic_year", "2028/2029", "2031/2032"),
        ("conditions[1].first_academic_year", "2026/2027", "2029/2030"),
        ("conditions[1].last_academic_year", "2027/2028", "2031/2032"),
    ]
    assert changes[1].label == (
        "Condition 1 (student studies, Home University → Partner University): first academic year"
    )


@pytest.mark.parametrize(
    ("first", "last", "path"),
    [
        ("2029", "2030/2031", "first_academic_year"),
        ("2029/2030", "2030-2031", "last_academic_year"),
        ("2029/2030", "2028/2029", "last_academic_year"),
    ],
)
def test_renewal_refuses_a_bad_range(first: str, last: str, path: str) -> None:
    with pytest.raises(AgreementContentError) as raised:
        renew_content(agreement(), first, last, new_key=lambda condition: condition.key)

    assert list(raised.value.errors) == [path]


def test_renewal_refuses_keys_that_collide() -> None:
    with pytest.raises(AgreementContentError) as raised:
        renew_content(
            agreement(studies(), teaching()), "2029/2030", "2030/2031", new_key=lambda _condition: "same"
        )

    assert "conditions[1].key" in raised.value.errors
