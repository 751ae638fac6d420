"""Mobility durations in calendar days and in Erasmus+ 30-day months."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.algorithms.mobility.duration import DurationError, days360, mobility_duration


@pytest.mark.parametrize(
    ("start", "end", "days", "months"),
    [
        (date(2026, 9, 1), date(2026, 9, 1), 1, Decimal("0.03")),
        (date(2026, 9, 1), date(2027, 1, 31), 153, Decimal("5.00")),
        (date(2026, 9, 15), date(2027, 2, 14), 153, Decimal("5.00")),
        (date(2026, 9, 15), date(2027, 2, 20), 159, Decimal("5.20")),
        (date(2027, 2, 1), date(2027, 2, 28), 28, Decimal("1.00")),
        (date(2028, 2, 1), date(2028, 2, 29), 29, Decimal("1.00")),
        (date(2026, 10, 1), date(2027, 6, 30), 273, Decimal("9.00")),
    ],
)
def test_known_stays(start, end, days, months):
    duration = mobility_duration(start, end)
    assert (duration.days, duration.months) == (days, months)


def test_an_end_before_the_start_is_refused():
    with pytest.raises(DurationError, match="before the start"):
        mobility_duration(date(2026, 9, 2), date(2026, 9, 1))


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@given(st.integers(2000, 2090), st.integers(1, 12), st.integers(1, 24))
def test_whole_calendar_months_are_whole_months(year, month, count):
    start = date(year, month, 1)
    last_month_index = month - 1 + count
    following = date(year + last_month_index // 12, last_month_index % 12 + 1, 1)
    end = following - timedelta(days=1)
    assert mobility_duration(start, end).months == Decimal(count)


@given(dates, st.integers(0, 400), st.integers(1, 40))
def test_a_later_end_never_shortens_a_stay(start, length, extra):
    end = start + timedelta(days=length)
    longer = end + timedelta(days=extra)
    assert mobility_duration(start, longer).months >= mobility_duration(start, end).months
    assert mobility_duration(start, longer).days == mobility_duration(start, end).days + extra
    assert days360(start, end) >= 1
