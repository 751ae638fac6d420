"""Weekly class slots in local time, repeated week by week, and the hours common to several zones.

A class meets in *slots*: a weekday and a local start and end time in the class's IANA zone. Each
week is computed on its own with :func:`~accord.algorithms.timewindows.local.local_window_utc`, so a
slot at 09:00 in Paris is 08:00 UTC in winter and 07:00 UTC in summer, and the hour it shares with a
class in New York or Santiago moves on the weeks when either zone changes its clocks.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from accord.algorithms.timewindows.intervals import Interval, intersect, normalise
from accord.algorithms.timewindows.local import LocalWindow, local_window_utc

WORKING_DAY = LocalWindow(time(8), time(18))
WEEKDAYS = range(5)


@dataclass(frozen=True, order=True)
class WeeklySlot:
    """A weekly class meeting: ``weekday`` 0 (Monday) to 6, from ``start`` to ``end`` local time."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError("A weekday runs from 0 (Monday) to 6 (Sunday).")
        if self.end <= self.start:
            raise ValueError("A slot must end after it starts.")

    @property
    def window(self) -> LocalWindow:
        return LocalWindow(self.start, self.end)


def slot_overlaps(slots: Sequence[WeeklySlot]) -> list[tuple[int, int]]:
    """The index pairs of slots that overlap each other (same weekday, times that intersect)."""
    return [
        (i, j)
        for i, first in enumerate(slots)
        for j in range(i + 1, len(slots))
        if first.weekday == slots[j].weekday and first.start < slots[j].end and slots[j].start < first.end
    ]


def week_slots_utc(
    slots: Iterable[WeeklySlot], zone: ZoneInfo, monday: date, closed: Collection[date] = ()
) -> list[Interval]:
    """The UTC intervals of the slots in the local week starting on ``monday``, skipping ``closed``
    days (holidays)."""
    intervals: list[Interval] = []
    for slot in slots:
        day = monday + timedelta(days=slot.weekday)
        if day not in closed:
            intervals.extend(local_window_utc(day, slot.window, zone))
    return normalise(intervals)


def working_days_utc(
    zone: ZoneInfo, monday: date, window: LocalWindow = WORKING_DAY, closed: Collection[date] = ()
) -> list[Interval]:
    """The UTC intervals of the working day ``window`` on Monday to Friday of the local week."""
    slots = [WeeklySlot(day, window.start, window.end or time.max) for day in WEEKDAYS]
    return week_slots_utc(slots, zone, monday, closed)


def common_hours(day: date, zones: Sequence[ZoneInfo], window: LocalWindow = WORKING_DAY) -> list[Interval]:
    """The UTC intervals of the UTC date ``day`` during which, in every zone of ``zones``, it is a
    weekday (Monday to Friday) and the local time lies in ``window``."""
    day_start = datetime.combine(day, time(), tzinfo=UTC)
    common = [Interval(day_start, day_start + timedelta(days=1))]
    for zone in zones:
        # The UTC date touches the local dates before, of and after it in any zone.
        local = [
            interval
            for offset in (-1, 0, 1)
            if (day + timedelta(days=offset)).weekday() in WEEKDAYS
            for interval in local_window_utc(day + timedelta(days=offset), window, zone)
        ]
        common = intersect(common, local)
    return common
