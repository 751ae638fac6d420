"""Profiles with bad input, invitations, the accepted exchange, its schedule and its completion."""

from datetime import date, time
from decimal import Decimal

import pytest

from accord.core import events as core_events
from accord.core.concurrency import StaleVersion
from accord.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.core.events import subscribe
from accord.mobilities.choices import MobilitySource, MobilityStatus, MobilityType
from accord.mobilities.models import Mobility
from accord.testing.virtual_exchange import class_data
from accord.virtual_exchange import events, selectors, services
from accord.virtual_exchange.choices import ExchangeStatus, ProposalStatus
from accord.virtual_exchange.models import ClassProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch):
    monkeypatch.setattr(core_events, "_handlers", {k: list(v) for k, v in core_events._handlers.items()})
    received: list = []
    subscribe(events.ExchangeEvent, received.append)
    return received


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        (
            {"term_start": date(2027, 6, 1), "term_end": date(2027, 2, 1)},
            "term_end",
            "cannot end before it starts",
        ),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "is not a time zone"),
        (
            {
                "slots": [
                    {"weekday": 1, "start": "09:00", "end": "11:00"},
                    {"weekday": 1, "start": "10:30", "end": "12:00"},
                ]
            },
            "slots",
            "overlap",
        ),
        ({"students": 0}, "students", "at least one student"),
        ({"weeks_wished": 20}, "weeks_wished", "4 to 15 weeks"),
        ({"languages": [{"language": "en", "cefr": "Z9"}]}, "languages", "not a CEFR level"),
    ],
)
def test_bad_input_names_its_field_and_saves_nothing(personas, world, overrides, field, words):
    with pytest.raises(ValidationFailed) as refused:
        services.profile_create(
            actor=world.home_teacher, organisation=personas.home, data=class_data(**overrides)
        )
    assert words in refused.value.errors[field][0]
    assert not ClassProfile.objects.exists()


def test_an_empty_profile_is_refused_with_every_missing_field(personas, world):
    with pytest.raises(ValidationFailed) as refused:
        services.profile_create(actor=world.home_teacher, organisation=personas.home, data={})
    errors = refused.value.errors
    assert "empty" in errors["title"][0]
    assert {"term_start", "term_end", "time_zone", "students", "languages"} <= set(errors)
    assert not ClassProfile.objects.exists()


def test_a_class_is_seen_by_partners_teachers_but_not_by_outsiders(personas, world, warsaw):
    assert selectors.get_profile_for_user(user=world.partner_teacher, pk=warsaw.pk) == warsaw
    with pytest.raises(NotFound):
        selectors.get_profile_for_user(user=personas.outsider, pk=warsaw.pk)


def test_a_class_shown_to_networks_only_is_hidden_from_partners_outside_them(personas, world, warsaw):
    from accord.organisations.choices import OrganisationKind
    from accord.testing.factories import make_organisation

    network = make_organisation(kind=OrganisationKind.NETWORK, name="Green network")
    personas.outsider_org.networks.add(network)
    services.profile_update(
        actor=world.home_teacher, profile=warsaw, data={"visibility": "networks"}, network_ids=[network.pk]
    )
    with pytest.raises(NotFound):
        selectors.get_profile_for_user(user=world.partner_teacher, pk=warsaw.pk)
    assert selectors.get_profile_for_user(user=personas.outsider, pk=warsaw.pk) == warsaw


def test_a_stale_edit_is_refused_and_names_the_version(world, warsaw):
    services.profile_update(
        actor=world.home_teacher, profile=warsaw, data={"students": 20}, expected_version=1
    )
    with pytest.raises(StaleVersion):
        services.profile_update(
            actor=world.home_teacher, profile=warsaw, data={"students": 22}, expected_version=1
        )
    warsaw.refresh_from_db()
    assert warsaw.students == 20


def test_suggestions_rank_the_partner_class_with_its_reasons(world, warsaw, boston):
    found = selectors.partner_suggestions(user=world.home_teacher, profile=warsaw)
    assert [s.profile for s in found.partners] == [boston]
    assessment = found.partners[0].assessment
    assert assessment.feasible and assessment.languages == {"en"}
    assert 0 < assessment.slot_minutes < 120


def test_a_class_without_partner_is_told_why(personas, world, warsaw):
    services.profile_create(
        actor=world.partner_teacher,
        organisation=personas.partner_org,
        data=class_data(
            title="Spanish only", languages=[{"language": "es", "cefr": "C1"}], time_zone="America/New_York"
        ),
    )
    found = selectors.partner_suggestions(user=world.home_teacher, profile=warsaw)
    assert found.partners == [] and found.alone_reason == "no_language"


def test_an_accepted_invitation_becomes_an_exchange_with_a_session_in_the_shared_slot(
    world, warsaw, boston, heard
):
    proposal = services.proposal_invite(actor=world.home_teacher, from_profile=warsaw, to_profile=boston)
    assert proposal.status == ProposalStatus.INVITED
    with pytest.raises(PermissionDenied):
        services.proposal_decide(actor=world.home_teacher, proposal=proposal, accept=True)
    with pytest.raises(ValidationFailed):
        services.proposal_decide(actor=world.partner_teacher, proposal=proposal, accept=False)
    services.proposal_decide(actor=world.partner_teacher, proposal=proposal, accept=True)
    exchange = proposal.exchange
    assert exchange.weeks == 6 and exchange.start == date(2027, 2, 22)
    session = exchange.sessions.get()
    assert (session.weekday, session.start, session.minutes, session.time_zone) == (
        1,
        time(15),
        120,
        "Europe/Warsaw",
    )
    assert [type(e).__name__ for e in heard] == ["ExchangeAccepted"]
    with pytest.raises(Conflict):
        services.proposal_invite(actor=world.partner_teacher, from_profile=boston, to_profile=warsaw)


def test_changing_the_schedule_bumps_its_sequence_and_is_published(world, exchange, heard):
    session = exchange.sessions.get()
    services.session_save(
        actor=world.partner_teacher,
        exchange=exchange,
        session=session,
        data={
            "title": "Joint seminar",
            "weekday": 1,
            "start": time(16),
            "minutes": 60,
            "time_zone": "Europe/Warsaw",
        },
        expected_version=session.version,
    )
    exchange.refresh_from_db()
    assert exchange.schedule_sequence == 1
    assert [type(e).__name__ for e in heard] == ["ScheduleChanged"]
    with pytest.raises(ValidationFailed) as refused:
        services.session_save(
            actor=world.partner_teacher,
            exchange=exchange,
            data={"title": "X", "weekday": 1, "start": time(16), "minutes": 60, "time_zone": "Asia/Tokyo"},
        )
    assert "one of the two classes" in refused.value.errors["time_zone"][0]


def test_completion_records_a_virtual_mobility_for_every_student(
    personas, world, warsaw, boston, exchange, heard
):
    services.students_set(
        actor=world.home_teacher,
        exchange=exchange,
        profile=warsaw,
        person_ids=[s.pk for s in world.home_students],
    )
    services.students_set(
        actor=world.partner_teacher,
        exchange=exchange,
        profile=boston,
        person_ids=[s.pk for s in world.partner_students],
    )
    with pytest.raises(ValidationFailed) as refused:
        services.exchange_complete(actor=world.home_teacher, exchange=exchange)
    assert "hours" in refused.value.errors
    services.exchange_update(
        actor=world.home_teacher,
        exchange=exchange,
        data={"hours": Decimal(30), "ects": Decimal(2), "certificate": "COIL badge"},
    )
    services.exchange_complete(actor=world.home_teacher, exchange=exchange)
    assert exchange.status == ExchangeStatus.COMPLETED
    mobilities = Mobility.objects.filter(source=MobilitySource.VIRTUAL_EXCHANGE).order_by("pk")
    assert mobilities.count() == 3
    assert {m.mobility_type for m in mobilities} == {MobilityType.VIRTUAL}
    assert {m.status for m in mobilities} == {MobilityStatus.COMPLETED}
    boston_student = mobilities.get(participant=world.partner_students[0])
    assert boston_student.sending_organisation == personas.partner_org
    assert boston_student.receiving_organisation == personas.home
    assert (boston_student.virtual_hours, boston_student.virtual_ects, boston_student.certificate) == (
        Decimal(30),
        Decimal(2),
        "COIL badge",
    )
    completed = heard[-1]
    assert isinstance(completed, events.ExchangeCompleted) and len(completed.mobility_ids) == 3
    with pytest.raises(Conflict):
        services.exchange_complete(actor=world.home_teacher, exchange=exchange)


def test_only_students_of_the_class_can_take_part(personas, world, warsaw, exchange):
    with pytest.raises(ValidationFailed):
        services.students_set(
            actor=world.home_teacher,
            exchange=exchange,
            profile=warsaw,
            person_ids=[world.partner_students[0].pk],
        )
    with pytest.raises(PermissionDenied):
        services.message_post(actor=personas.outsider, exchange=exchange, body="Hello")
