"""The joint schedule as iCalendar for each side, and pairing a whole call."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from accord.accounts.choices import Role
from accord.core.errors import PermissionDenied
from accord.testing.factories import make_organisation, make_partnership, make_user
from accord.testing.virtual_exchange import boston_data, class_data
from accord.virtual_exchange import services
from accord.virtual_exchange.choices import ConstraintKind
from accord.virtual_exchange.ical import exchange_calendar, meeting_invitation

pytestmark = pytest.mark.django_db


def occurrences(calendar_bytes: bytes) -> list[datetime]:
    """Every session occurrence of a calendar, expanded from its weekly rules."""
    calendar = Calendar.from_ical(calendar_bytes)
    found = []
    for event in calendar.walk("VEVENT"):
        start = event.decoded("dtstart")
        if not isinstance(start, datetime):
            continue
        count = int(event["rrule"]["COUNT"][0]) if "rrule" in event else 1
        found += [start + timedelta(weeks=n) for n in range(count)]
    return sorted(found)


def test_each_side_gets_its_own_zone_and_the_sessions_meet_at_the_same_instants(exchange, warsaw, boston):
    services.exchange_update(
        actor=exchange.first.teacher, exchange=exchange, data={"start": date(2027, 3, 8)}
    )
    exchange.refresh_from_db()
    here = exchange_calendar(exchange, warsaw)
    there = exchange_calendar(exchange, boston)
    assert b"TZID=Europe/Warsaw" in here and b"BEGIN:VTIMEZONE" in here
    assert b"TZID=America/New_York" in there
    ours, theirs = occurrences(here), occurrences(there)
    assert ours == theirs and len(ours) == 6
    # Boston's local time moves on the weeks when only the USA has changed its clocks.
    local = [moment.astimezone(ZoneInfo("America/New_York")).time() for moment in theirs]
    assert local == [time(9), time(10), time(10), time(9), time(9), time(9)]
    assert all(m.astimezone(ZoneInfo("Europe/Warsaw")).time() == time(15) for m in ours)
    assert b"SEQUENCE:1" in here


def test_the_calendar_follows_a_changed_schedule(world, exchange, warsaw):
    session = exchange.sessions.get()
    services.session_save(
        actor=world.home_teacher,
        exchange=exchange,
        session=session,
        data={
            "title": "Seminar",
            "weekday": 3,
            "start": time(14),
            "minutes": 90,
            "time_zone": "Europe/Warsaw",
        },
    )
    exchange.refresh_from_db()
    calendar = exchange_calendar(exchange, warsaw)
    assert b"SEQUENCE:1" in calendar and b"Seminar" in calendar
    assert {m.weekday() for m in occurrences(calendar)} == {3}


def test_a_meeting_invitation_is_one_event_in_utc():
    invitation = meeting_invitation(
        title="Steering group", start=datetime(2027, 3, 10, 13, tzinfo=ZoneInfo("UTC")), minutes=60
    )
    event = next(iter(Calendar.from_ical(invitation).walk("VEVENT")))
    assert event.decoded("dtstart") == datetime(2027, 3, 10, 13, tzinfo=ZoneInfo("UTC"))


@pytest.fixture
def call_world(personas, world):
    third_org = make_organisation(name="Santiago University", country_code="CL")
    make_partnership(personas.home, third_org)
    third_teacher = make_user("santiago_teacher", organisation=third_org, role=Role.TEACHER)
    classes = [
        services.profile_create(actor=world.home_teacher, organisation=personas.home, data=class_data()),
        services.profile_create(
            actor=world.partner_teacher, organisation=personas.partner_org, data=boston_data()
        ),
        services.profile_create(
            actor=third_teacher,
            organisation=third_org,
            data=class_data(
                title="Ciudades",
                time_zone="America/Santiago",
                slots=[{"weekday": 1, "start": "11:00", "end": "13:00"}],
            ),
        ),
        services.profile_create(
            actor=third_teacher,
            organisation=third_org,
            data=class_data(
                title="German only",
                languages=[{"language": "de", "cefr": "C1"}],
                time_zone="America/Santiago",
            ),
        ),
    ]
    call = services.call_create(actor=personas.coordinator, organiser=personas.home, title="Spring COIL")
    teachers = [world.home_teacher, world.partner_teacher, third_teacher, third_teacher]
    for teacher, profile in zip(teachers, classes, strict=True):
        services.call_submit(actor=teacher, call=call, profile=profile)
    return call, classes


def test_a_call_is_paired_at_once_and_a_lonely_class_is_told_why(personas, call_world):
    call, classes = call_world
    services.call_match(actor=personas.coordinator, call=call)
    pairs = {(p.first_id, p.second_id) for p in call.proposals.all()}
    assert len(pairs) == 1
    alone = {entry.profile_id: entry.alone_reason for entry in call.entries.all()}
    assert alone[classes[3].pk] == "no_language"


def test_coordinators_fix_and_forbid_pairs_and_run_again(personas, call_world):
    call, classes = call_world
    services.call_match(actor=personas.coordinator, call=call)
    first_run = {(p.first_id, p.second_id) for p in call.proposals.all()}
    chosen = next(iter(first_run))
    by_pk = {profile.pk: profile for profile in classes}
    services.call_constraint_set(
        actor=personas.coordinator,
        call=call,
        first=by_pk[chosen[0]],
        second=by_pk[chosen[1]],
        kind=ConstraintKind.FORBIDDEN,
    )
    services.call_match(actor=personas.coordinator, call=call)
    second_run = {(p.first_id, p.second_id) for p in call.proposals.all()}
    assert second_run and chosen not in second_run
    with pytest.raises(PermissionDenied):
        services.call_match(actor=classes[0].teacher, call=call)
