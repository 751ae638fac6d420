"""Local windows, weekly slots and common hours in UTC, across daylight-saving changes."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.algorithms.timewindows import (
    Interval,
    LocalWindow,
    WeeklySlot,
    common_hours,
    intersect,
    local_window_utc,
    normalise,
    parse_window,
    slot_overlaps,
    total_minutes,
    week_slots_utc,
)
from accord.algorithms.timewindows.local import changes_in_year

PATIENT = settings(deadline=None, max_examples=60)
# Europe, the USA, Chile, Australia (east and the half-hour Adelaide), the half-hour DST shift of Lord
# Howe, Newfoundland's -03:30, India's +05:30 without DST, Nepal's +05:45.
ZONES = [
    "Europe/Paris",
    "America/New_York",
    "America/Los_Angeles",
    "America/Santiago",
    "Australia/Sydney",
    "Australia/Adelaide",
    "Australia/Lord_Howe",
    "America/St_Johns",
    "Asia/Kolkata",
    "Asia/Kathmandu",
]
TRANSITION_DAYS = sorted(
    {
        (zone, instant.date() + timedelta(days=shift))
        for zone in ZONES
        for year in (2025, 2026, 2027)
        for instant, _offset in changes_in_year(ZoneInfo(zone), year)
        for shift in (-1, 0, 1)
    }
)
STEP = timedelta(minutes=1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def hhmm(intervals):
    return [(i.start.strftime("%H:%M"), i.end.strftime("%H:%M")) for i in intervals]


def minutes_in(intervals, start, end):
    """Brute force: every minute of ``[start, end)`` in ``intervals``."""
    return {
        start + n * STEP
        for n in range(int((end - start) / STEP))
        if any(i.start <= start + n * STEP < i.end for i in intervals)
    }


windows = st.tuples(st.integers(0, 23 * 4), st.integers(1, 8 * 4)).map(
    lambda q: (
        LocalWindow(time(q[0] // 4, q[0] % 4 * 15), None)
        if q[0] + q[1] >= 96
        else LocalWindow(time(q[0] // 4, q[0] % 4 * 15), time((q[0] + q[1]) // 4, (q[0] + q[1]) % 4 * 15))
    )
)


@PATIENT
@given(st.sampled_from(TRANSITION_DAYS), windows)
def test_a_local_window_is_exactly_the_instants_whose_local_time_is_in_it(zone_day, window):
    zone_name, day = zone_day
    zone = ZoneInfo(zone_name)
    result = local_window_utc(day, window, zone)
    start = datetime.combine(day, time(), tzinfo=UTC) - timedelta(hours=15)
    end = start + timedelta(hours=54)
    expected = {
        start + n * STEP
        for n in range(54 * 60)
        if (local := (start + n * STEP).astimezone(zone)).date() == day
        and window.start <= local.time().replace(tzinfo=None)
        and (window.end is None or local.time().replace(tzinfo=None) < window.end)
    }
    assert minutes_in(result, start, end) == expected
    assert result == normalise(result)


@PATIENT
@given(
    st.dates(date(2025, 1, 1), date(2027, 12, 31)),
    st.lists(st.sampled_from(ZONES), min_size=1, max_size=3, unique=True),
    windows,
)
def test_common_hours_are_weekday_minutes_inside_every_zones_window(day, zones, window):
    tzs = [ZoneInfo(name) for name in zones]
    result = common_hours(day, tzs, window)
    start = datetime.combine(day, time(), tzinfo=UTC)

    def inside(instant, zone):
        local = instant.astimezone(zone)
        clock = local.time().replace(tzinfo=None)
        return local.weekday() < 5 and window.start <= clock and (window.end is None or clock < window.end)

    expected = {start + n * STEP for n in range(1440) if all(inside(start + n * STEP, zone) for zone in tzs)}
    assert minutes_in(result, start, start + timedelta(days=1)) == expected


@PATIENT
@given(st.sampled_from(TRANSITION_DAYS))
def test_a_slot_lasts_its_wall_clock_length_unless_the_clocks_change_inside_it(zone_day):
    zone_name, day = zone_day
    zone = ZoneInfo(zone_name)
    monday = day - timedelta(days=day.weekday())
    slot = WeeklySlot(day.weekday(), time(1), time(4))
    intervals = week_slots_utc([slot], zone, monday)
    before = datetime.combine(day, time(1), tzinfo=zone).utcoffset()
    after = datetime.combine(day, time(4), tzinfo=zone).utcoffset()
    assert before is not None and after is not None
    assert total_minutes(intervals) == 180 - (after - before) // STEP


@given(
    st.lists(st.tuples(st.integers(0, 500), st.integers(0, 60)), max_size=6),
    st.lists(st.tuples(st.integers(0, 500), st.integers(0, 60)), max_size=6),
)
def test_intersection_is_symmetric_and_inside_both(first, second):
    base = utc(2026, 1, 1)

    def build(pairs):
        return [Interval(base + s * STEP, base + (s + d) * STEP) for s, d in pairs]

    a, b = build(first), build(second)
    both = intersect(a, b)
    assert both == intersect(b, a)
    assert total_minutes(both) <= min(total_minutes(a), total_minutes(b))
    assert intersect(both, a) == both


def test_paris_and_new_york_share_five_hours_but_four_in_the_weeks_their_clocks_differ():
    paris, new_york = ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York")
    assert hhmm(common_hours(date(2026, 3, 10), [paris, new_york])) == [("12:00", "17:00")]
    assert hhmm(common_hours(date(2026, 3, 31), [paris, new_york])) == [("12:00", "16:00")]
    assert hhmm(common_hours(date(2026, 10, 28), [paris, new_york])) == [("12:00", "17:00")]
    assert hhmm(common_hours(date(2026, 12, 8), [paris, new_york])) == [("13:00", "17:00")]


def test_a_weekend_in_one_zone_leaves_no_common_hour():
    # Saturday 12 December 2026 in Paris; Friday evening in Los Angeles is Saturday in UTC.
    assert common_hours(date(2026, 12, 12), [ZoneInfo("Europe/Paris")]) == []
    tokyo, honolulu = ZoneInfo("Asia/Tokyo"), ZoneInfo("Pacific/Honolulu")
    assert common_hours(date(2026, 12, 7), [tokyo, honolulu], parse_window("00:00-24:00")) != []


def test_a_half_hour_zone_moves_the_window_by_half_hours():
    result = common_hours(date(2026, 12, 8), [ZoneInfo("Asia/Kolkata"), ZoneInfo("Australia/Adelaide")])
    assert hhmm(result) == [("02:30", "07:30")]


def test_the_skipped_and_the_repeated_hour_of_paris():
    paris = ZoneInfo("Europe/Paris")
    window = LocalWindow(time(2, 30), time(3, 30))
    assert hhmm(local_window_utc(date(2026, 3, 29), window, paris)) == [("01:00", "01:30")]
    assert hhmm(local_window_utc(date(2026, 10, 25), window, paris)) == [
        ("00:30", "01:00"),
        ("01:30", "02:30"),
    ]


@pytest.mark.parametrize("text", ["8-18", "08:00-07:00", "25:00-26:00", "08:00-24:30", ""])
def test_a_window_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError):
        parse_window(text)


def test_overlapping_slots_are_named():
    slots = [
        WeeklySlot(1, time(9), time(11)),
        WeeklySlot(1, time(10, 30), time(12)),
        WeeklySlot(2, time(9), time(11)),
        WeeklySlot(1, time(11), time(12)),
    ]
    assert slot_overlaps(slots) == [(0, 1), (1, 3)]
    with pytest.raises(ValueError):
        WeeklySlot(1, time(11), time(9))
    with pytest.raises(ValueError):
        WeeklySlot(7, time(9), time(11))
