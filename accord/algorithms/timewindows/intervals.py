"""Half-open intervals ``[start, end)`` of aware UTC datetimes, and their unions and intersections."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True, order=True)
class Interval:
    """The instants from ``start`` (included) to ``end`` (excluded), both aware and in UTC."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Interval bounds must be aware datetimes.")
        if self.end < self.start:
            raise ValueError("An interval cannot end before it starts.")

    @property
    def minutes(self) -> int:
        return int((self.end - self.start) // timedelta(minutes=1))

    def as_utc(self) -> "Interval":
        return Interval(self.start.astimezone(UTC), self.end.astimezone(UTC))


def normalise(intervals: Iterable[Interval]) -> list[Interval]:
    """The same instants as sorted, disjoint, non-empty intervals (touching ones merged)."""
    merged: list[Interval] = []
    for interval in sorted(i.as_utc() for i in intervals if i.end > i.start):
        if merged and interval.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Interval(last.start, max(last.end, interval.end))
        else:
            merged.append(interval)
    return merged


def intersect(first: Iterable[Interval], second: Iterable[Interval]) -> list[Interval]:
    """The instants in both sets, normalised (a sweep over the two sorted lists)."""
    a, b = normalise(first), normalise(second)
    result: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i].start, b[j].start), min(a[i].end, b[j].end)
        if start < end:
            result.append(Interval(start, end))
        if a[i].end <= b[j].end:
            i += 1
        else:
            j += 1
    return result


def total_minutes(intervals: Iterable[Interval]) -> int:
    return sum(interval.minutes for interval in normalise(intervals))
