"""The exchange's calendar: its weeks, the occurrences of its sessions, and its first plan."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from accord.algorithms.matching import model as core
from accord.algorithms.timewindows import intersect, week_slots_utc, working_days_utc


@dataclass(frozen=True)
class Plan:
    """The first plan of an accepted pair: its weeks and, for synchronous pairs, one weekly session."""

    start: date
    weeks: int
    session: tuple[int, time, int] | None  # weekday, local start, minutes, in the first class's zone


def first_plan(first: core.ClassProfile, second: core.ClassProfile) -> Plan:
    """The first ``min(wished)`` common teaching weeks, and a session in the first shared window of
    the first common week: inside both classes' slots if they meet, else inside both working days."""
    common = sorted(first.teaching_weeks & second.teaching_weeks)
    if not common:
        start = first.term_start - timedelta(days=first.term_start.weekday())
        return Plan(start, min(first.weeks_wished, second.weeks_wished), None)
    wanted = min(first.weeks_wished, second.weeks_wished, len(common))
    chosen = common[:wanted]
    start = core.monday_of(chosen[0])
    weeks = chosen[-1] - chosen[0] + 1
    if not (first.synchronous or second.synchronous):
        return Plan(start, weeks, None)
    monday = core.monday_of(chosen[0])
    shared = intersect(
        week_slots_utc(first.slots, first.tz, monday, first.closed_in_term),
        week_slots_utc(second.slots, second.tz, monday, second.closed_in_term),
    )
    limit = 120
    if not shared:
        shared = intersect(working_days_utc(first.tz, monday), working_days_utc(second.tz, monday))
        limit = 60
    if not shared:
        return Plan(start, weeks, None)
    local = shared[0].start.astimezone(first.tz)
    return Plan(
        start, weeks, (local.weekday(), local.time().replace(tzinfo=None), min(shared[0].minutes, limit))
    )


def session_occurrences(
    *,
    start: date,
    weeks: int,
    weekday: int,
    at: time,
    zone: str,
    first: core.ClassProfile,
    second: core.ClassProfile,
) -> list[datetime]:
    """The session's start in each week of the exchange, aware in its own zone, skipping the weeks in
    which either class does not teach and the days either class is closed (in its own local date)."""
    tz = ZoneInfo(zone)
    teaching = first.teaching_weeks & second.teaching_weeks
    result = []
    for week in range(weeks):
        day = start + timedelta(weeks=week, days=weekday)
        if core.week_number(day) not in teaching:
            continue
        moment = datetime.combine(day, at, tzinfo=tz)
        if any(moment.astimezone(side.tz).date() in side.closed_in_term for side in (first, second)):
            continue
        result.append(moment)
    return result
