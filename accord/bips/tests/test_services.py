"""The BIP services: the design rules when opening, nominations within places and quotas, the
organiser's decisions with the mobility on the sending side, attendance and versions."""

from datetime import date
from decimal import Decimal

import pytest

from accord.accounts.choices import Role
from accord.bips import events, services
from accord.bips.choices import BipStatus, ParticipantStatus
from accord.core import events as core_events
from accord.core.concurrency import StaleVersion
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.core.events import subscribe
from accord.mobilities.choices import MobilitySource, MobilityStatus, MobilityType
from accord.mobilities.models import Mobility
from accord.testing.bips import PHYSICAL, make_bip_world
from accord.testing.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch):
    monkeypatch.setattr(core_events, "_handlers", {k: list(v) for k, v in core_events._handlers.items()})
    received: list = []
    subscribe(events.BipEvent, received.append)
    return received


def test_only_the_coordinating_institutions_coordinators_draft_its_programmes(personas):
    with pytest.raises(PermissionDenied):
        services.bip_create(
            actor=personas.partner, coordinator=personas.home, title="X", ects=Decimal(3), capacity=10
        )
    with pytest.raises(ValidationFailed) as refused:
        services.bip_create(
            actor=personas.coordinator, coordinator=personas.home, title="X", ects=Decimal(2), capacity=10
        )
    assert "at least 3 ECTS" in refused.value.errors["ects"][0]


def test_a_draft_with_two_countries_and_no_virtual_part_cannot_open_and_says_why(personas):
    bip = services.bip_create(
        actor=personas.coordinator,
        coordinator=personas.home,
        partners=[personas.partner_org],
        title="Too small",
        ects=Decimal(3),
        capacity=10,
    )
    services.bip_component_save(
        actor=personas.coordinator, bip=bip, kind="physical", start=PHYSICAL[0], end=PHYSICAL[1]
    )
    with pytest.raises(ValidationFailed) as refused:
        services.bip_transition(actor=personas.coordinator, bip=bip, to_status=BipStatus.OPEN)
    messages = refused.value.errors["to_status"]
    assert any("at least 3 institutions" in m for m in messages)
    assert any("at least 3 countries" in m for m in messages)
    assert any("virtual component" in m for m in messages)
    bip.refresh_from_db()
    assert bip.status == BipStatus.DRAFT


def test_a_physical_part_of_four_days_is_refused_on_the_field(personas):
    world = make_bip_world(personas, status=BipStatus.DRAFT)
    physical = world.bip.components.get(kind="physical")
    with pytest.raises(ValidationFailed) as refused:
        services.bip_component_save(
            actor=personas.coordinator,
            bip=world.bip,
            component=physical,
            kind="physical",
            start=date(2027, 5, 10),
            end=date(2027, 5, 13),
        )
    assert "lasts 4" in refused.value.errors["end"][0]


def test_opening_publishes_bip_opened(personas, heard):
    world = make_bip_world(personas)
    assert world.bip.status == BipStatus.OPEN
    assert [type(e) for e in heard if isinstance(e, events.BipStatusChanged)] == [events.BipOpened]


def test_a_partner_nominates_its_own_student_but_not_another_institutions(personas, heard):
    world = make_bip_world(personas)
    partner = world.partner_of(personas.partner_org)
    participant = services.participant_nominate(
        actor=personas.partner,
        bip=world.bip,
        partner=partner,
        person=world.partner_student,
        kind="student",
        eqf_level=6,
    )
    assert participant.status == ParticipantStatus.NOMINATED
    assert isinstance(heard[-1], events.BipParticipantNominated)
    with pytest.raises(ValidationFailed) as refused:
        services.participant_nominate(
            actor=personas.partner,
            bip=world.bip,
            partner=partner,
            person=world.third_student,
            kind="student",
            eqf_level=6,
        )
    assert "student of your own institution" in refused.value.errors["person"][0]
    with pytest.raises(PermissionDenied):
        services.participant_nominate(
            actor=personas.partner,
            bip=world.bip,
            partner=world.partner_of(world.third_org),
            person=world.third_student,
            kind="student",
            eqf_level=6,
        )


def test_the_last_place_goes_once_and_the_quota_holds(personas):
    world = make_bip_world(personas, capacity=2)
    partner = world.partner_of(personas.partner_org)
    services.bip_partner_update(actor=personas.coordinator, partner=partner, quota=1)
    services.participant_nominate(
        actor=personas.partner,
        bip=world.bip,
        partner=partner,
        person=world.partner_student,
        kind="student",
        eqf_level=6,
    )
    other = make_user("lucia", organisation=personas.partner_org, role=Role.STUDENT)
    with pytest.raises(Conflict, match="quota of 1 places is used up"):
        services.participant_nominate(
            actor=personas.partner, bip=world.bip, partner=partner, person=other, kind="student", eqf_level=6
        )
    third = world.partner_of(world.third_org)
    services.participant_nominate(
        actor=world.third,
        bip=world.bip,
        partner=third,
        person=world.third_student,
        kind="student",
        eqf_level=7,
    )
    late = make_user("late", organisation=world.third_org, role=Role.STUDENT)
    with pytest.raises(Conflict, match="All 2 places are taken"):
        services.participant_nominate(
            actor=world.third, bip=world.bip, partner=third, person=late, kind="student", eqf_level=6
        )


def test_accepting_creates_the_mobility_on_the_sending_side(personas, heard):
    world = make_bip_world(personas)
    participant = services.participant_nominate(
        actor=personas.partner,
        bip=world.bip,
        partner=world.partner_of(personas.partner_org),
        person=world.partner_student,
        kind="student",
        eqf_level=6,
    )
    services.participant_decide(actor=personas.coordinator, participant=participant, accept=True)
    mobility = Mobility.objects.get(source=MobilitySource.BIP, source_id=participant.pk)
    assert participant.mobility == mobility
    assert mobility.mobility_type == MobilityType.BLENDED_INTENSIVE
    assert (mobility.sending_organisation, mobility.receiving_organisation) == (
        personas.partner_org,
        personas.home,
    )
    assert (mobility.planned_start, mobility.planned_end) == PHYSICAL
    assert mobility.status == MobilityStatus.ACCEPTED and mobility.created_by == personas.partner
    assert mobility.academic_year == "2026/2027" and mobility.isced_code == "0531"
    assert isinstance(heard[-1], events.BipParticipantAccepted)


def test_staff_go_as_staff_mobility_and_the_hosts_own_people_get_no_mobility(personas):
    world = make_bip_world(personas)
    staff = make_user("prof", organisation=world.third_org, role=Role.TEACHER)
    teaching = services.participant_nominate(
        actor=world.third,
        bip=world.bip,
        partner=world.partner_of(world.third_org),
        person=staff,
        kind="staff_teaching",
    )
    local = services.participant_nominate(
        actor=personas.coordinator,
        bip=world.bip,
        partner=world.partner_of(personas.home),
        person=world.home_student,
        kind="student",
        eqf_level=6,
    )
    services.participant_decide(actor=personas.coordinator, participant=teaching, accept=True)
    services.participant_decide(actor=personas.coordinator, participant=local, accept=True)
    assert teaching.mobility.mobility_type == MobilityType.STAFF_TEACHING
    assert local.mobility is None


def test_declining_needs_a_reason_and_frees_the_place(personas):
    world = make_bip_world(personas, capacity=1)
    partner = world.partner_of(personas.partner_org)
    participant = services.participant_nominate(
        actor=personas.partner,
        bip=world.bip,
        partner=partner,
        person=world.partner_student,
        kind="student",
        eqf_level=6,
    )
    with pytest.raises(PermissionDenied):
        services.participant_decide(actor=personas.partner, participant=participant, accept=True)
    with pytest.raises(ValidationFailed):
        services.participant_decide(actor=personas.coordinator, participant=participant, accept=False)
    services.participant_decide(
        actor=personas.coordinator, participant=participant, accept=False, reason="Prerequisites missing."
    )
    assert participant.status == ParticipantStatus.DECLINED and participant.mobility is None
    again = services.participant_nominate(
        actor=personas.partner,
        bip=world.bip,
        partner=partner,
        person=world.partner_student,
        kind="student",
        eqf_level=6,
    )
    assert again.pk != participant.pk


def test_a_decision_on_a_stale_version_is_refused(personas):
    world = make_bip_world(personas)
    participant = services.participant_nominate(
        actor=personas.partner,
        bip=world.bip,
        partner=world.partner_of(personas.partner_org),
        person=world.partner_student,
        kind="student",
        eqf_level=6,
    )
    read_at = participant.version
    services.participant_decide(actor=personas.coordinator, participant=participant, accept=True)
    with pytest.raises(StaleVersion):
        services.participant_decide(
            actor=personas.coordinator,
            participant=participant,
            accept=False,
            reason="x",
            expected_version=read_at,
        )


def test_withdrawing_an_accepted_participant_cancels_the_mobility(personas):
    world = make_bip_world(personas)
    participant = services.participant_nominate(
        actor=personas.partner,
        bip=world.bip,
        partner=world.partner_of(personas.partner_org),
        person=world.partner_student,
        kind="student",
        eqf_level=6,
    )
    services.participant_decide(actor=personas.coordinator, participant=participant, accept=True)
    services.participant_withdraw(actor=personas.partner, participant=participant, reason="Illness.")
    participant.mobility.refresh_from_db()
    assert participant.status == ParticipantStatus.WITHDRAWN
    assert participant.mobility.status == MobilityStatus.CANCELLED


def test_capacity_cannot_drop_below_the_places_taken_and_edits_are_versioned(personas):
    world = make_bip_world(personas, capacity=5)
    services.participant_nominate(
        actor=personas.partner,
        bip=world.bip,
        partner=world.partner_of(personas.partner_org),
        person=world.partner_student,
        kind="student",
        eqf_level=6,
    )
    read_at = world.bip.version
    with pytest.raises(ValidationFailed):
        services.bip_update(actor=personas.coordinator, bip=world.bip, capacity=0, expected_version=read_at)
    services.bip_update(actor=personas.coordinator, bip=world.bip, title="Renamed", expected_version=read_at)
    with pytest.raises(StaleVersion):
        services.bip_update(actor=personas.coordinator, bip=world.bip, capacity=8, expected_version=read_at)


def test_attendance_is_recorded_per_component_while_running_and_completion_is_published(personas, heard):
    world = make_bip_world(personas)
    participant = services.participant_nominate(
        actor=personas.partner,
        bip=world.bip,
        partner=world.partner_of(personas.partner_org),
        person=world.partner_student,
        kind="student",
        eqf_level=6,
    )
    services.participant_decide(actor=personas.coordinator, participant=participant, accept=True)
    virtual, physical = world.bip.components.order_by("start")
    with pytest.raises(Conflict, match="once the programme is running"):
        services.attendance_record(
            actor=personas.coordinator, bip=world.bip, marks=[(participant, virtual, True, None)]
        )
    services.bip_transition(actor=personas.coordinator, bip=world.bip, to_status=BipStatus.RUNNING)
    with pytest.raises(PermissionDenied):
        services.attendance_record(
            actor=personas.partner, bip=world.bip, marks=[(participant, virtual, True, None)]
        )
    changed = services.attendance_record(
        actor=personas.coordinator,
        bip=world.bip,
        marks=[(participant, virtual, True, None), (participant, physical, False, None)],
    )
    assert changed == 2
    record = participant.attendance.get(component=physical)
    assert (
        services.attendance_record(
            actor=personas.coordinator, bip=world.bip, marks=[(participant, physical, True, record.version)]
        )
        == 1
    )
    with pytest.raises(StaleVersion):
        services.attendance_record(
            actor=personas.coordinator, bip=world.bip, marks=[(participant, physical, False, record.version)]
        )
    services.bip_transition(actor=personas.coordinator, bip=world.bip, to_status=BipStatus.COMPLETED)
    assert isinstance(heard[-1], events.BipCompleted)


def test_cancelling_needs_a_reason_and_a_completed_programme_is_final(personas):
    world = make_bip_world(personas)
    with pytest.raises(ValidationFailed):
        services.bip_transition(actor=personas.coordinator, bip=world.bip, to_status=BipStatus.CANCELLED)
    with pytest.raises(Conflict, match="allowed next statuses"):
        services.bip_transition(actor=personas.coordinator, bip=world.bip, to_status=BipStatus.COMPLETED)
