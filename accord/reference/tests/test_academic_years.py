from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.reference.academic_years import (
    AcademicYear,
    academic_year_range,
    current_academic_year,
    parse_academic_year,
)

start_years = st.integers(min_value=1000, max_value=9997)


def test_label_is_the_ewp_form():
    year = AcademicYear(2026)
    assert year.label == "2026/2027"
    assert str(year) == "2026/2027"
    assert year.end_year == 2027


def test_years_are_ordered_and_step_forwards_and_back():
    assert AcademicYear(2025) < AcademicYear(2026)
    assert AcademicYear(2026).next() == AcademicYear(2027)
    assert AcademicYear(2026).previous() == AcademicYear(2025)
    assert sorted([AcademicYear(2030), AcademicYear(2024)]) == [AcademicYear(2024), AcademicYear(2030)]


def test_start_year_must_be_a_four_digit_int():
    with pytest.raises(ValueError, match="out of range"):
        AcademicYear(999)
    with pytest.raises(ValueError, match="out of range"):
        AcademicYear(9999)
    with pytest.raises(TypeError):
        AcademicYear("2026")


def test_parse_academic_year():
    assert parse_academic_year("2026/2027") == AcademicYear(2026)
    assert parse_academic_year(" 2026/2027\n") == AcademicYear(2026)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "2026/2028",
            "'2026/2028' is not an academic year: the second year must follow the first, as in '2026/2027'",
        ),
        ("2027/2026", "the second year must follow the first"),
        ("2026", "'2026' is not an academic year: write two consecutive years, such as '2026/2027'"),
        ("abc", "'abc' is not an academic year"),
        ("2026-2027", "write two consecutive years"),
        ("2026/27", "write two consecutive years"),
        ("", "write two consecutive years"),
    ],
)
def test_parse_explains_what_is_wrong(text, message):
    with pytest.raises(ValueError) as error:
        parse_academic_year(text)
    assert message in str(error.value)


@given(start_years)
def test_parse_reads_back_every_label(start_year):
    year = AcademicYear(start_year)
    assert parse_academic_year(year.label) == year
    assert year.next().previous() == year


def test_range_includes_both_ends():
    assert academic_year_range(AcademicYear(2024), AcademicYear(2026)) == [
        AcademicYear(2024),
        AcademicYear(2025),
        AcademicYear(2026),
    ]
    assert academic_year_range(AcademicYear(2024), AcademicYear(2024)) == [AcademicYear(2024)]


def test_range_must_run_forwards():
    with pytest.raises(ValueError, match="2023/2024 is before 2024/2025"):
        academic_year_range(AcademicYear(2024), AcademicYear(2023))


@given(start_years, st.integers(min_value=0, max_value=30))
def test_range_length_and_order(start_year, span):
    first = AcademicYear(start_year)
    last = AcademicYear(min(start_year + span, 9998))
    years = academic_year_range(first, last)
    assert years[0] == first
    assert years[-1] == last
    assert all(later == earlier.next() for earlier, later in pairwise(years))


@pytest.mark.parametrize(
    ("today", "start_month", "expected"),
    [
        (date(2026, 8, 31), 9, AcademicYear(2025)),
        (date(2026, 9, 1), 9, AcademicYear(2026)),
        (date(2027, 1, 15), 9, AcademicYear(2026)),
        (date(2026, 2, 1), 3, AcademicYear(2025)),
        (date(2026, 3, 1), 3, AcademicYear(2026)),
        (date(2026, 1, 1), 1, AcademicYear(2026)),
    ],
)
def test_current_academic_year(today, start_month, expected):
    assert current_academic_year(today, start_month=start_month) == expected


@pytest.mark.parametrize("start_month", [0, 13])
def test_current_academic_year_needs_a_real_month(start_month):
    with pytest.raises(ValueError, match="start_month"):
        current_academic_year(date(2026, 1, 1), start_month=start_month)
