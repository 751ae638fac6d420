"""A local wall-clock window on a local date, as the UTC instants it covers.

Wall-clock time is not a straight line: when the clocks go forward an hour of local time does not
exist, and when they go back an hour happens twice. The set wanted is every UTC instant whose local
date is the given day and whose local time lies in ``[start, end)``. Within a stretch where the zone's
offset is constant that set is one interval, so the day is cut at the zone's offset changes (found by
probing every hour and bisecting to the second) and each stretch is intersected with the window
shifted by its own offset. A window over a skipped hour is shorter that day, one over a repeated hour
longer, and a window inside a repeated hour comes twice: exactly what the clocks on the wall do.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from accord.algorithms.timewindows.intervals import Interval, normalise

# Zones change their offset at most twice a year and never twice within this step, so probing at
# this step and bisecting finds every change.
_PROBE = timedelta(hours=12)
_WINDOW = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class LocalWindow:
    """Local wall-clock times ``[start, end)``; ``end`` of ``None`` means midnight at the day's end."""

    start: time
    end: time | None

    def __post_init__(self) -> None:
        if self.end is not None and self.end <= self.start:
            raise ValueError("A window must end after it starts.")


def parse_window(text: str) -> LocalWindow:
    """``"08:00-18:00"`` as a window; ``24:00`` is accepted as the end of the day."""
    match = _WINDOW.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a window such as 08:00-18:00.")
    h1, m1, h2, m2 = (int(group) for group in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2 != 0):
        raise ValueError(f"{text!r} is not a window such as 08:00-18:00.")
    return LocalWindow(time(h1, m1), None if h2 == 24 else time(h2, m2))


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


def _change_after(zone: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """The first instant in ``(low, high]`` with the offset of ``high`` (one change in between)."""
    target = _offset(zone, high)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if _offset(zone, middle) == target:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


@lru_cache(maxsize=512)
def changes_in_year(zone: ZoneInfo, year: int) -> tuple[tuple[datetime, timedelta], ...]:
    """Every instant of the UTC ``year`` at which ``zone`` changes its offset, with the new offset
    (probed twice a day, then bisected to the second; kept per zone and year)."""
    probe = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    offset = _offset(zone, probe)
    changes: list[tuple[datetime, timedelta]] = []
    while probe < end:
        following = probe + _PROBE
        new = _offset(zone, following)
        if new != offset:
            changes.append((_change_after(zone, probe, following), new))
            offset = new
        probe = following
    return tuple(changes)


def constant_stretches(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[Interval, timedelta]]:
    """``[start, end)`` cut where ``zone`` changes its UTC offset, each piece with its offset."""
    pieces: list[tuple[Interval, timedelta]] = []
    piece_start, offset = start, _offset(zone, start)
    for year in range(start.year, end.year + 1):
        changes = changes_in_year(zone, year)
        first = bisect_right(changes, start, key=lambda change: change[0])
        for instant, new in changes[first:]:
            if instant >= end:
                break
            pieces.append((Interval(piece_start, instant), offset))
            piece_start, offset = instant, new
    pieces.append((Interval(piece_start, end), offset))
    return [(interval, off) for interval, off in pieces if interval.end > interval.start]


def local_window_utc(day: date, window: LocalWindow, zone: ZoneInfo) -> list[Interval]:
    """The UTC instants whose local date in ``zone`` is ``day`` and local time lies in ``window``."""
    naive_start = datetime.combine(day, window.start)
    naive_end = (
        datetime.combine(day, window.end) if window.end else datetime.combine(day + timedelta(1), time())
    )
    # Every offset in use lies within ±26 hours, so this span holds every instant of the local day.
    span_start = datetime.combine(day, time(), tzinfo=UTC) - timedelta(hours=27)
    span_end = span_start + timedelta(hours=27 * 2 + 24)
    result: list[Interval] = []
    for stretch, offset in constant_stretches(zone, span_start, span_end):
        start = max(stretch.start, (naive_start - offset).replace(tzinfo=UTC))
        end = min(stretch.end, (naive_end - offset).replace(tzinfo=UTC))
        if start < end:
            result.append(Interval(start, end))
    return normalise(result)
