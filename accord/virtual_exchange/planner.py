"""The meeting planner of a partnership: the hours inside every member organisation's working day."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from accord.algorithms.timewindows import Interval, LocalWindow, common_hours
from accord.partnerships.models import Partnership


@dataclass(frozen=True)
class LocalTime:
    organisation: str
    zone: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Slot:
    interval: Interval
    local: list[LocalTime]


@dataclass(frozen=True)
class PlannedDay:
    day: date
    slots: list[Slot]


@dataclass(frozen=True)
class Plan:
    zones: list[tuple[str, str]]  # (organisation, zone)
    without_zone: list[str]
    days: list[PlannedDay]


def meeting_plan(partnership: Partnership, *, first_date: date, days: int, window: LocalWindow) -> Plan:
    """For each UTC date from ``first_date``, the intervals inside every member's working day (members
    without a time zone in the directory are named, not counted)."""
    members = [member.organisation for member in partnership.members.select_related("organisation")]
    zones = [(o.name, o.timezone) for o in members if o.timezone]
    without = [o.name for o in members if not o.timezone]
    tzs = sorted({zone for _name, zone in zones})
    planned = []
    for offset in range(days):
        day = first_date + timedelta(days=offset)
        intervals = common_hours(day, [ZoneInfo(zone) for zone in tzs], window) if tzs else []
        planned.append(
            PlannedDay(
                day,
                [
                    Slot(
                        interval,
                        [
                            LocalTime(
                                name,
                                zone,
                                interval.start.astimezone(ZoneInfo(zone)),
                                interval.end.astimezone(ZoneInfo(zone)),
                            )
                            for name, zone in zones
                        ],
                    )
                    for interval in intervals
                ],
            )
        )
    return Plan(zones, without, planned)
