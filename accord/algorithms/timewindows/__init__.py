"""Hours that fall inside local windows of several time zones, computed with ``zoneinfo`` day by day.

``intervals`` holds the arithmetic of half-open UTC intervals; ``local`` turns a local wall-clock
window on a local date into the UTC intervals it covers (exactly, across daylight-saving changes);
``weekly`` repeats weekly slots week by week and finds the hours common to several zones.
"""

from accord.algorithms.timewindows.intervals import Interval, intersect, normalise, total_minutes
from accord.algorithms.timewindows.local import LocalWindow, local_window_utc, parse_window
from accord.algorithms.timewindows.weekly import (
    WeeklySlot,
    common_hours,
    slot_overlaps,
    week_slots_utc,
    working_days_utc,
)

__all__ = [
    "Interval",
    "LocalWindow",
    "WeeklySlot",
    "common_hours",
    "intersect",
    "local_window_utc",
    "normalise",
    "parse_window",
    "slot_overlaps",
    "total_minutes",
    "week_slots_utc",
    "working_days_utc",
]
