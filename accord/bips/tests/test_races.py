"""BIPs under real overlap (threads released together, on PostgreSQL): two partners nominating for
the last place at once fill it once, and two decisions on one nomination create one mobility."""

import pytest

from accord.accounts.choices import Role
from accord.bips import services
from accord.bips.choices import ACTIVE_PARTICIPANT_STATUSES
from accord.bips.models import Bip, BipParticipant, BipPartner
from accord.core.errors import Conflict
from accord.mobilities.models import Mobility
from accord.testing.bips import make_bip_world
from accord.testing.factories import make_user
from accord.testing.races import race, require_parallel_database

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 10


@pytest.fixture(autouse=True)
def parallel_database():
    require_parallel_database()


def nominate(actor, bip_pk: int, organisation, person):
    def run():
        bip = Bip.objects.get(pk=bip_pk)
        partner = BipPartner.objects.get(bip=bip, organisation=organisation)
        return services.participant_nominate(
            actor=actor, bip=bip, partner=partner, person=person, kind="student", eqf_level=6
        )

    return run


def test_two_partners_nominating_for_the_last_place_fill_it_once(personas):
    world = make_bip_world(personas, capacity=TRIES)
    bip = world.bip
    for number in range(TRIES):
        # One place is left: the others are held by earlier rounds.
        spanish = make_user(f"es{number}", organisation=personas.partner_org, role=Role.STUDENT)
        italian = make_user(f"it{number}", organisation=world.third_org, role=Role.STUDENT)
        services.bip_update(actor=personas.coordinator, bip=bip, capacity=number + 1)
        outcomes = race(
            nominate(personas.partner, bip.pk, personas.partner_org, spanish),
            nominate(world.third, bip.pk, world.third_org, italian),
        )
        assert sorted(outcome.ok for outcome in outcomes) == [False, True], [o.error for o in outcomes]
        loser = next(outcome for outcome in outcomes if not outcome.ok)
        assert isinstance(loser.error, Conflict) and "places are taken" in loser.error.message
        assert (
            BipParticipant.objects.filter(bip=bip, status__in=ACTIVE_PARTICIPANT_STATUSES).count()
            == number + 1
        )


def test_two_acceptances_of_one_nomination_create_one_mobility(personas):
    world = make_bip_world(personas)
    for number in range(TRIES):
        student = make_user(f"es{number}", organisation=personas.partner_org, role=Role.STUDENT)
        participant = nominate(personas.partner, world.bip.pk, personas.partner_org, student)()

        def accept(pk=participant.pk):
            return services.participant_decide(
                actor=personas.coordinator, participant=BipParticipant.objects.get(pk=pk), accept=True
            )

        outcomes = race(accept, accept)
        assert sorted(outcome.ok for outcome in outcomes) == [False, True], [o.error for o in outcomes]
        assert Mobility.objects.filter(source="bip", source_id=participant.pk).count() == 1
