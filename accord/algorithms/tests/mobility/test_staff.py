"""Staff mobility programmes against the Erasmus+ rules: duration, teaching hours, the content hash."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.algorithms.mobility.staff import (
    ERASMUS_PLUS_2021,
    BreachKind,
    Programme,
    StaffActivity,
    StaffRules,
    check_attendance,
    check_programme,
    programme_hash,
    required_teaching_hours,
)

MONDAY = date(2027, 3, 8)


def programme(
    days: int = 5, activity=StaffActivity.TEACHING, hours: Decimal | None = Decimal(8)
) -> Programme:
    return Programme(
        activity=activity,
        objectives="Share methods of teaching databases.",
        activities="Lectures on query optimisation.",
        outcomes="A joint course module.",
        planned_start=MONDAY,
        planned_end=MONDAY + timedelta(days=days - 1),
        teaching_hours=hours,
    )


@pytest.mark.parametrize(
    ("activity", "days", "hours"),
    [
        (StaffActivity.TEACHING, 2, Decimal(8)),
        (StaffActivity.TEACHING, 7, Decimal(8)),
        (StaffActivity.TEACHING, 10, Decimal("11.5")),  # 8 + 8·3/7 = 11.43, rounded up
        (StaffActivity.TEACHING, 14, Decimal(16)),
        (StaffActivity.COMBINED, 5, Decimal(4)),
        (StaffActivity.COMBINED, 10, Decimal("5.8")),  # 4 + 4·3/7 = 5.71
        (StaffActivity.TRAINING, 30, Decimal(0)),
    ],
)
def test_minimum_teaching_hours(activity, days, hours):
    assert required_teaching_hours(activity, MONDAY, MONDAY + timedelta(days=days - 1)) == hours


def test_a_programme_meeting_the_rules_has_no_breach():
    assert check_programme(programme()) == []
    assert check_programme(programme(activity=StaffActivity.TRAINING, hours=None)) == []


def test_one_day_and_sixty_one_days_are_refused():
    [short] = check_programme(programme(days=1))
    assert (short.kind, short.field, short.required, short.found) == (
        BreachKind.TOO_SHORT,
        "planned_end",
        Decimal(2),
        Decimal(1),
    )
    [long] = check_programme(programme(days=61, hours=Decimal(100)))
    assert (long.kind, long.required, long.found) == (BreachKind.TOO_LONG, Decimal(60), Decimal(61))


def test_teaching_needs_its_hours():
    [missing] = check_programme(programme(hours=None))
    assert missing.kind is BreachKind.TEACHING_HOURS_MISSING and missing.field == "teaching_hours"
    [few] = check_programme(programme(days=10, hours=Decimal(11)))
    assert (few.kind, few.required, few.found) == (BreachKind.TOO_FEW_TEACHING_HOURS, Decimal("11.5"), 11)
    assert check_programme(programme(days=10, activity=StaffActivity.COMBINED, hours=Decimal(6))) == []


def test_the_thresholds_come_from_the_rules_table():
    stricter = StaffRules(
        min_days=5, max_days=14, days_per_week=5, weekly_teaching_hours={StaffActivity.TEACHING: Decimal(10)}
    )
    kinds = {b.kind for b in check_programme(programme(days=3, hours=Decimal(8)), stricter)}
    assert kinds == {BreachKind.TOO_SHORT, BreachKind.TOO_FEW_TEACHING_HOURS}
    assert check_programme(programme(days=3, activity=StaffActivity.COMBINED, hours=None), stricter)[
        0
    ].kind == (BreachKind.TOO_SHORT)


def test_an_end_before_the_start_is_one_breach():
    broken = replace(programme(), planned_end=MONDAY - timedelta(days=1))
    assert [b.kind for b in check_programme(broken)] == [BreachKind.END_BEFORE_START]


def test_attendance_is_checked_on_the_actual_dates():
    assert check_attendance(StaffActivity.TEACHING, MONDAY, MONDAY + timedelta(days=4), Decimal(8)) == []
    [few] = check_attendance(StaffActivity.TEACHING, MONDAY, MONDAY + timedelta(days=4), Decimal(6))
    assert few.kind is BreachKind.TOO_FEW_TEACHING_HOURS


def test_the_hash_ignores_spacing_and_the_writing_of_hours():
    plain = programme(hours=Decimal(8))
    assert programme_hash(plain) == programme_hash(replace(plain, teaching_hours=Decimal("8.0")))
    assert programme_hash(plain) == programme_hash(replace(plain, objectives=f"  {plain.objectives} "))
    assert programme_hash(plain) != programme_hash(replace(plain, teaching_hours=Decimal(9)))
    assert programme_hash(plain) != programme_hash(replace(plain, outcomes="Another outcome."))


@given(
    activity=st.sampled_from(list(StaffActivity)),
    days=st.integers(min_value=1, max_value=120),
    extra=st.integers(min_value=0, max_value=60),
)
def test_required_hours_never_fall_as_the_stay_grows(activity, days, extra):
    end = MONDAY + timedelta(days=days - 1)
    shorter = required_teaching_hours(activity, MONDAY, end)
    longer = required_teaching_hours(activity, MONDAY, end + timedelta(days=extra))
    assert longer >= shorter >= 0


@given(days=st.integers(min_value=2, max_value=60), activity=st.sampled_from(list(StaffActivity)))
def test_the_required_hours_always_pass(days, activity):
    end = MONDAY + timedelta(days=days - 1)
    hours = required_teaching_hours(activity, MONDAY, end)
    assert check_attendance(activity, MONDAY, end, hours) == []
    weekly = ERASMUS_PLUS_2021.weekly_teaching_hours.get(activity, Decimal(0))
    assert hours <= weekly * days  # never more than a week's minimum for every day of the stay


@given(hours=st.decimals(min_value=0, max_value=500, places=1), activity=st.sampled_from(list(StaffActivity)))
def test_equal_programmes_hash_equally(hours, activity):
    one = programme(activity=activity, hours=hours)
    assert programme_hash(one) == programme_hash(replace(one, teaching_hours=hours + Decimal("0.00")))
