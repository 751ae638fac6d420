"""The status of an objective's indicator, by one stated rule, and its trend.

**Rule.** An indicator's progress is the share of the way from its baseline to its target that the
latest figure covers (``partnerships.progress``: 1.0 is the target reached). The share *expected* by
now is the share of the target's period that has elapsed: an indicator whose period runs from 2024 to
2028 is expected a quarter of the way in 2025 (the baseline year counts as the start, the target year
as the end). Then:

* **on track**: the target is reached, or the progress is at least ``ON_TRACK`` (90 %) of what is
  expected by now;
* **at risk**: the progress is at least ``AT_RISK`` (60 %) of what is expected;
* **off track**: less than that, or moving away from the target (negative progress);
* **not measured**: no figure, or no target to measure against.

**Trend.** The least-squares slope of the figures over the years; "improving" when it moves the way
the indicator's direction says is better, "worsening" when the other way, "steady" when flat (less
than ``STEADY`` of the mean value per year) or when the indicator holds a level and stays near it.
Fewer than two figures: no trend.
"""

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum

ON_TRACK = 0.9
AT_RISK = 0.6
STEADY = 0.02


class TrackStatus(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NOT_MEASURED = "not_measured"


class Trend(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    STEADY = "steady"


def expected_share(*, year: int, start_year: int, target_year: int) -> float:
    """How far along the period ``year`` is: 0 at the start, 1 at the target year and after."""
    if target_year < start_year:
        raise ValueError(f"The period ends ({target_year}) before it starts ({start_year}).")
    if target_year == start_year or year >= target_year:
        return 1.0
    if year <= start_year:
        return 0.0
    return (year - start_year) / (target_year - start_year)


def track_status(progress: float | None, expected: float) -> TrackStatus:
    if progress is None:
        return TrackStatus.NOT_MEASURED
    if progress >= 1.0 or progress >= ON_TRACK * expected:
        return TrackStatus.ON_TRACK
    if progress >= 0 and progress >= AT_RISK * expected:
        return TrackStatus.AT_RISK
    return TrackStatus.OFF_TRACK


def slope(points: Sequence[tuple[int, Decimal]]) -> float | None:
    """The least-squares slope of ``(year, value)`` points; None for fewer than two distinct years."""
    if len({year for year, _value in points}) < 2:
        return None
    n = len(points)
    mean_x = sum(year for year, _value in points) / n
    mean_y = sum(float(value) for _year, value in points) / n
    numerator = sum((year - mean_x) * (float(value) - mean_y) for year, value in points)
    denominator = sum((year - mean_x) ** 2 for year, _value in points)
    return numerator / denominator


def trend(points: Sequence[tuple[int, Decimal]], direction: str) -> Trend | None:
    """``direction`` is "increase", "decrease" or "maintain" (``partnerships.IndicatorDirection``)."""
    value = slope(points)
    if value is None:
        return None
    scale = max(abs(sum(float(v) for _year, v in points) / len(points)), 1.0)
    if abs(value) < STEADY * scale:
        return Trend.STEADY
    if direction == "maintain":
        return Trend.WORSENING
    rising = value > 0
    return Trend.IMPROVING if rising == (direction == "increase") else Trend.WORSENING
