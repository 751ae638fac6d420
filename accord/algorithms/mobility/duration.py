"""How long a mobility lasts, in days and in months, the way Erasmus+ counts them.

Pure Python, no Django import (decision 1).

Documented rules
----------------
* Both dates count: a mobility from 1 to 1 September lasts one day.
* Months follow the European Commission's 30-day-month convention used by its mobility tools
  (30E/360 with the February rule): each date's day of the month becomes 30 when it is the 31st, or
  when the *end* date is the last day of February; then
  ``days360 = 360·Δyears + 30·Δmonths + Δdays + 1`` and ``months = days360 / 30``. A stay from the
  1st of a month to the last day of the month *k* months later lasts exactly *k* months, whatever
  the lengths of the calendar months in between.
* Months are rounded half up to two decimals for display and quota counting; ``days`` stays the
  calendar count, which is what staff mobility quotas (in days) use.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["Duration", "DurationError", "days360", "mobility_duration"]

DAYS_PER_MONTH = 30


class DurationError(ValueError):
    """The dates do not make a period."""


@dataclass(frozen=True, slots=True)
class Duration:
    days: int
    months: Decimal


def _is_last_of_february(day: date) -> bool:
    return day.month == 2 and day.day == calendar.monthrange(day.year, 2)[1]


def days360(start: date, end: date) -> int:
    """Days from ``start`` to ``end`` inclusive, counting every month as 30 days."""
    if end < start:
        raise DurationError(f"the end ({end.isoformat()}) is before the start ({start.isoformat()})")
    start_day = min(start.day, DAYS_PER_MONTH)
    end_day = DAYS_PER_MONTH if end.day == 31 or _is_last_of_february(end) else end.day
    return (
        360 * (end.year - start.year) + DAYS_PER_MONTH * (end.month - start.month) + (end_day - start_day) + 1
    )


def mobility_duration(start: date, end: date) -> Duration:
    """The calendar days and the Erasmus+ months of a stay from ``start`` to ``end`` (both included)."""
    counted = days360(start, end)
    months = (Decimal(counted) / DAYS_PER_MONTH).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Duration(days=(end - start).days + 1, months=months)
