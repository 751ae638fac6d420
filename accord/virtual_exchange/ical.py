"""iCalendar files: the joint schedule for each side in its own time zone, and meeting invitations.

A session fixed at 15:00 in Paris is at 09:00 in Boston most weeks, and at 10:00 in the weeks when
the USA already has summer time and France not yet. So Boston's calendar cannot hold one weekly rule:
each side's occurrences are converted to its zone and grouped into runs of consecutive weeks at the
same local time, each run one event with a weekly ``RRULE`` (``COUNT``) in that zone, the zone's
``VTIMEZONE`` included. ``SEQUENCE`` is the exchange's schedule version, so calendars replace what
they hold when the schedule changes.
"""

import hashlib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from accord.virtual_exchange.matching import to_core
from accord.virtual_exchange.models import ClassProfile, Exchange
from accord.virtual_exchange.schedule import session_occurrences

PRODID = "-//Accord//Virtual exchange//EN"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def runs(occurrences: list[datetime], zone: ZoneInfo) -> list[list[datetime]]:
    """Occurrences in ``zone``, grouped into runs one week apart at the same local weekday and time."""
    grouped: list[list[datetime]] = []
    for moment in (occurrence.astimezone(zone) for occurrence in occurrences):
        last = grouped[-1][-1] if grouped else None
        if (
            last is not None
            and moment.date() - last.date() == timedelta(weeks=1)
            and moment.time() == last.time()
        ):
            grouped[-1].append(moment)
        else:
            grouped.append([moment])
    return grouped


def exchange_calendar(exchange: Exchange, side: ClassProfile) -> bytes:
    """The exchange's sessions and weekly tasks, in ``side``'s time zone."""
    zone = ZoneInfo(side.time_zone)
    first, second = to_core(exchange.first), to_core(exchange.second)
    other = exchange.second if side.pk == exchange.first_id else exchange.first
    calendar = _calendar(f"{exchange.title} ({side.title})")
    stamp = exchange.updated_at.astimezone(UTC) if exchange.updated_at else datetime.now(UTC)
    for session in exchange.sessions.all():
        occurrences = session_occurrences(
            start=exchange.start,
            weeks=exchange.weeks,
            weekday=session.weekday,
            at=session.start,
            zone=session.time_zone,
            first=first,
            second=second,
        )
        for run in runs(occurrences, zone):
            event = Event()
            event.add("uid", f"ve{exchange.pk}-s{session.pk}-{run[0]:%Y%m%d}@accord")
            event.add("summary", f"{session.title} – {other.title}")
            event.add("dtstart", run[0])
            event.add("duration", timedelta(minutes=session.minutes))
            event.add("dtstamp", stamp)
            event.add("sequence", exchange.schedule_sequence)
            if len(run) > 1:
                event.add("rrule", {"freq": "weekly", "count": len(run)})
            calendar.add_component(event)
    for task in exchange.tasks.all():
        monday = exchange.start + timedelta(weeks=task.week - 1)
        event = Event()
        event.add("uid", f"ve{exchange.pk}-t{task.pk}@accord")
        event.add("summary", task.title)
        event.add("description", task.description)
        event.add("dtstart", monday)
        event.add("dtend", monday + timedelta(days=5))
        event.add("dtstamp", stamp)
        event.add("sequence", exchange.schedule_sequence)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meeting_invitation(
    *, title: str, start: datetime, minutes: int, organiser_email: str = "", description: str = ""
) -> bytes:
    """One meeting (``start`` aware, any zone) as an iCalendar request."""
    calendar = _calendar(title)
    calendar.add("method", "PUBLISH")
    event = Event()
    digest = hashlib.sha256(title.encode()).hexdigest()[:12]
    event.add("uid", f"meeting-{start.astimezone(UTC):%Y%m%dT%H%M%SZ}-{digest}@accord")
    event.add("summary", title)
    event.add("description", description)
    event.add("dtstart", start.astimezone(UTC))
    event.add("duration", timedelta(minutes=minutes))
    event.add("dtstamp", datetime.now(UTC))
    if organiser_email:
        organiser = vCalAddress(f"mailto:{organiser_email}")
        organiser.params["cn"] = vText(organiser_email)
        event["organizer"] = organiser
    calendar.add_component(event)
    return calendar.to_ical()
