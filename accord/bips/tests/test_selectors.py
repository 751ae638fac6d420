"""Who sees which programme and which participants: an institution never sees another's people."""

import pytest

from accord.bips import selectors, services
from accord.bips.filters import BipFilter
from accord.bips.querysets import BipAction
from accord.core.errors import NotFound, PermissionDenied
from accord.testing.bips import make_bip_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    world = make_bip_world(personas)
    for actor, organisation, person in (
        (personas.partner, personas.partner_org, world.partner_student),
        (world.third, world.third_org, world.third_student),
    ):
        services.participant_nominate(
            actor=actor,
            bip=world.bip,
            partner=world.partner_of(organisation),
            person=person,
            kind="student",
            eqf_level=6,
        )
    return world


def names(participants) -> set[str]:
    return {participant.person.username for participant in participants}


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("platform_admin", True),
        ("coordinator", True),
        ("viewer", True),
        ("student", False),
        ("partner", True),
        ("outsider", False),
    ],
)
def test_the_programme_is_visible_to_its_institutions_staff_only(personas, world, persona, sees):
    user = personas.by_name(persona)
    listed = list(selectors.bip_list(user=user, filters=BipFilter()))
    assert (world.bip in listed) is sees
    if not sees:
        with pytest.raises(NotFound):
            selectors.get_bip_for_user(user=user, pk=world.bip.pk)


def test_a_participant_sees_the_programme_they_are_nominated_for(personas, world):
    assert selectors.get_bip_for_user(user=world.partner_student, pk=world.bip.pk) == world.bip
    assert names(selectors.participants_for(user=world.partner_student, bip=world.bip)) == {"pablo"}


def test_the_organiser_sees_every_participant_a_partner_only_its_own(personas, world):
    assert names(selectors.participants_for(user=personas.coordinator, bip=world.bip)) == {"pablo", "marco"}
    assert names(selectors.participants_for(user=personas.partner, bip=world.bip)) == {"pablo"}
    assert names(selectors.participants_for(user=world.third, bip=world.bip)) == {"marco"}
    marco = world.bip.participants.get(person=world.third_student)
    with pytest.raises(NotFound):
        selectors.get_participant_for_user(user=personas.partner, bip=world.bip, pk=marco.pk)


def test_a_partner_may_see_but_not_manage(personas, world):
    with pytest.raises(PermissionDenied):
        selectors.get_bip_for_user(user=personas.partner, pk=world.bip.pk, action=BipAction.MANAGE)
    assert selectors.get_bip_for_user(user=personas.coordinator, pk=world.bip.pk, action=BipAction.MANAGE)


def test_funding_counts_accepted_mobile_participants(personas, world):
    for participant in world.bip.participants.all():
        services.participant_decide(actor=personas.coordinator, participant=participant, accept=True)
    funding = selectors.funding_of(world.bip)
    assert (funding.accepted, funding.mobile, funding.funded) == (2, 2, 0)
    assert [line.code for line in funding.lines][-2:] == ["below_minimum", "support"]


def test_the_list_filters_by_status_and_search(personas, world):
    assert list(selectors.bip_list(user=personas.coordinator, filters=BipFilter(status="draft"))) == []
    assert list(selectors.bip_list(user=personas.coordinator, filters=BipFilter(q="chemistry"))) == [
        world.bip
    ]
