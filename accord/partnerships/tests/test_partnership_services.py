"""Setting up and editing partnerships: members, dates, responsible contacts, and who may do it."""

import datetime as dt

import pytest

from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.partnerships import services
from accord.partnerships.choices import MemberRole, PartnershipModel, PartnershipStatus
from accord.partnerships.models import Partnership, PartnershipMember
from accord.testing.factories import make_contact, make_organisation, make_partnership

pytestmark = pytest.mark.django_db

COORDINATOR, PARTNER = MemberRole.COORDINATOR, MemberRole.PARTNER


def create(personas, members, **data):
    values = {"title": "Green Campus Alliance", "model": PartnershipModel.RESEARCH_ALLIANCE, **data}
    return services.partnership_create(actor=personas.coordinator, members=members, **values)


def test_create_records_members_contacts_and_the_first_history_row(personas):
    contact = make_contact(personas.partner_org, family_name="Garcia")
    partnership = create(
        personas,
        [(personas.home, COORDINATOR), (personas.partner_org, PARTNER)],
        responsible_contacts=[contact],
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2029, 8, 31),
    )
    assert partnership.status == PartnershipStatus.EXPLORING
    assert {(m.organisation, m.role) for m in partnership.members.all()} == {
        (personas.home, COORDINATOR),
        (personas.partner_org, PARTNER),
    }
    assert list(partnership.responsible_contacts.all()) == [contact]
    [created] = partnership.transitions.all()
    assert (created.from_status, created.to_status, created.actor) == ("", "exploring", personas.coordinator)


@pytest.mark.parametrize(
    ("members", "field", "message"),
    [
        ("self", "members", "Home University is listed twice: an organisation cannot partner with itself."),
        ("alone", "members", "A partnership needs at least two different organisations."),
        ("two_coordinators", "members", "A partnership needs exactly one coordinator; 2 were given."),
        ("no_coordinator", "members", "A partnership needs exactly one coordinator; 0 were given."),
        ("bad_role", "members", "'boss' is not a member role"),
    ],
)
def test_member_lists_that_are_not_a_partnership_are_refused(personas, members, field, message):
    home, partner = personas.home, personas.partner_org
    lists = {
        "self": [(home, COORDINATOR), (home, PARTNER)],
        "alone": [(home, COORDINATOR)],
        "two_coordinators": [(home, COORDINATOR), (partner, COORDINATOR)],
        "no_coordinator": [(home, PARTNER), (partner, PARTNER)],
        "bad_role": [(home, COORDINATOR), (partner, "boss")],
    }
    with pytest.raises(ValidationFailed) as exc_info:
        create(personas, lists[members])
    assert exc_info.value.field == field
    assert exc_info.value.errors[field][0].startswith(message)
    assert not Partnership.objects.exists()


def test_end_before_start_is_refused_on_the_end_date(personas):
    with pytest.raises(ValidationFailed) as exc_info:
        create(
            personas,
            [(personas.home, COORDINATOR), (personas.partner_org, PARTNER)],
            start_date=dt.date(2027, 1, 1),
            end_date=dt.date(2026, 12, 31),
        )
    assert exc_info.value.errors == {"end_date": ["The end date cannot be before the start date."]}


def test_a_responsible_contact_must_work_at_a_member(personas):
    stranger = make_contact(personas.outsider_org, given_name="Jean", family_name="Dupont")
    with pytest.raises(ValidationFailed) as exc_info:
        create(
            personas,
            [(personas.home, COORDINATOR), (personas.partner_org, PARTNER)],
            responsible_contacts=[stranger],
        )
    assert exc_info.value.errors == {
        "responsible_contacts": [
            "Jean Dupont works at Outsider College, which is not a member of this partnership."
        ]
    }


def test_missing_title_and_model_name_their_fields(personas):
    with pytest.raises(ValidationFailed) as exc_info:
        create(personas, [(personas.home, COORDINATOR), (personas.partner_org, PARTNER)], title="", model="x")
    assert set(exc_info.value.errors) == {"title", "model"}


@pytest.mark.parametrize("persona", ["teacher", "partner", "outsider"])
def test_only_the_coordinating_organisations_managers_set_it_up(personas, persona):
    with pytest.raises(PermissionDenied):
        services.partnership_create(
            actor=personas.by_name(persona),
            members=[(personas.home, COORDINATOR), (personas.partner_org, PARTNER)],
            title="Unasked",
            model=PartnershipModel.OTHER,
        )
    assert not Partnership.objects.exists()


def test_platform_staff_may_set_up_any_partnership(personas):
    partnership = services.partnership_create(
        actor=personas.platform_admin,
        members=[(personas.outsider_org, COORDINATOR), (personas.partner_org, PARTNER)],
        title="Directory-made",
        model=PartnershipModel.CONSORTIUM,
    )
    assert partnership.pk


def test_update_edits_fields_and_contacts(personas, partnership):
    contact = make_contact(personas.home)
    updated = services.partnership_update(
        actor=personas.admin,
        partnership=partnership,
        title="  Renamed  ",
        model=PartnershipModel.DOUBLE_DEGREE,
        responsible_contacts=[contact],
    )
    assert (updated.title, updated.model) == ("Renamed", PartnershipModel.DOUBLE_DEGREE)
    assert list(updated.responsible_contacts.all()) == [contact]


def test_dates_cannot_move_away_from_existing_targets(personas, partnership):
    objective = services.objective_create(actor=personas.admin, partnership=partnership, title="Mobility")
    indicator = services.indicator_create(
        actor=personas.admin, objective=objective, name="Outgoing", unit="students"
    )
    services.indicator_target_create(actor=personas.admin, indicator=indicator, year=2027, target_value=10)
    with pytest.raises(ValidationFailed) as exc_info:
        services.partnership_update(
            actor=personas.admin, partnership=partnership, end_date=dt.date(2026, 12, 31)
        )
    assert exc_info.value.errors == {"end_date": ["Targets exist for 2027, after the new end date."]}


def test_a_closed_partnership_cannot_be_edited(personas):
    closed = make_partnership(personas.home, personas.partner_org, status=PartnershipStatus.CLOSED)
    with pytest.raises(Conflict):
        services.partnership_update(actor=personas.admin, partnership=closed, title="Revived")


def test_members_are_added_once_and_never_as_a_second_coordinator(personas, partnership):
    third = make_organisation(name="Third Academy")
    member = services.partnership_member_add(
        actor=personas.coordinator, partnership=partnership, organisation=third, role=MemberRole.FUNDER
    )
    assert member.role == MemberRole.FUNDER
    with pytest.raises(ValidationFailed) as exc_info:
        services.partnership_member_add(
            actor=personas.coordinator, partnership=partnership, organisation=third
        )
    assert exc_info.value.errors == {
        "organisation": ["Third Academy is already a member of this partnership."]
    }
    with pytest.raises(ValidationFailed) as exc_info:
        services.partnership_member_add(
            actor=personas.coordinator,
            partnership=partnership,
            organisation=personas.outsider_org,
            role=MemberRole.COORDINATOR,
        )
    assert exc_info.value.field == "role"


def test_the_coordinator_and_the_last_partner_cannot_be_removed(personas, partnership):
    coordinator = partnership.members.get(role=COORDINATOR)
    partner = partnership.members.get(role=PARTNER)
    with pytest.raises(ValidationFailed, match="hand coordination over first"):
        services.partnership_member_remove(actor=personas.admin, member=coordinator)
    with pytest.raises(ValidationFailed, match="at least two organisations"):
        services.partnership_member_remove(actor=personas.admin, member=partner)
    assert partnership.members.count() == 2


def test_removing_a_member_drops_its_responsible_contacts(personas, partnership):
    third = make_organisation(name="Third Academy")
    member = services.partnership_member_add(
        actor=personas.admin, partnership=partnership, organisation=third
    )
    theirs, ours = make_contact(third), make_contact(personas.home)
    services.partnership_update(
        actor=personas.admin, partnership=partnership, responsible_contacts=[theirs, ours]
    )
    services.partnership_member_remove(actor=personas.admin, member=member)
    assert list(partnership.responsible_contacts.all()) == [ours]
    assert not PartnershipMember.objects.filter(organisation=third).exists()


def test_handing_over_coordination_moves_ownership(personas, partnership):
    partner_member = partnership.members.get(organisation=personas.partner_org)
    services.partnership_member_update(actor=personas.admin, member=partner_member, role=COORDINATOR)
    roles = dict(partnership.members.values_list("organisation__name", "role"))
    assert roles == {"Home University": PARTNER, "Partner University": COORDINATOR}
    partnership = Partnership.objects.get(pk=partnership.pk)
    with pytest.raises(PermissionDenied):
        services.partnership_update(actor=personas.admin, partnership=partnership, title="Not ours any more")
    services.partnership_update(actor=personas.partner, partnership=partnership, title="Now theirs")


def test_the_coordinator_cannot_step_down_without_a_successor(personas, partnership):
    coordinator = partnership.members.get(role=COORDINATOR)
    with pytest.raises(ValidationFailed, match="make another member coordinator"):
        services.partnership_member_update(actor=personas.admin, member=coordinator, role=PARTNER)
