"""Virtual exchange under real overlap (threads released together, on PostgreSQL): two teachers
inviting each other at once make one invitation, two acceptances make one exchange, and two
completions record each student's virtual mobility once."""

from decimal import Decimal

import pytest

from accord.core.errors import Conflict
from accord.mobilities.models import Mobility
from accord.testing.races import race, require_parallel_database
from accord.testing.virtual_exchange import boston_data, class_data
from accord.virtual_exchange import services
from accord.virtual_exchange.models import ClassProfile, Exchange, Proposal

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 5


@pytest.fixture(autouse=True)
def parallel_database():
    require_parallel_database()


def pair(personas, world, number: int) -> tuple[ClassProfile, ClassProfile]:
    here = services.profile_create(
        actor=world.home_teacher, organisation=personas.home, data=class_data(title=f"Warsaw {number}")
    )
    there = services.profile_create(
        actor=world.partner_teacher, organisation=personas.partner_org, data=boston_data()
    )
    return here, there


def test_two_teachers_inviting_each_other_at_once_make_one_invitation(personas, world):
    for number in range(TRIES):
        here, there = pair(personas, world, number)
        outcomes = race(
            lambda h=here, t=there: services.proposal_invite(
                actor=world.home_teacher, from_profile=h, to_profile=t
            ),
            lambda h=here, t=there: services.proposal_invite(
                actor=world.partner_teacher, from_profile=t, to_profile=h
            ),
        )
        assert sorted(o.ok for o in outcomes) == [False, True], [o.error for o in outcomes]
        assert isinstance(next(o for o in outcomes if not o.ok).error, Conflict)
        assert Proposal.objects.filter(first__in=[here, there], second__in=[here, there]).count() == 1


def test_two_acceptances_make_one_exchange(personas, world):
    for number in range(TRIES):
        here, there = pair(personas, world, number)
        proposal = services.proposal_invite(actor=world.home_teacher, from_profile=here, to_profile=there)

        def accept(pk=proposal.pk):
            return services.proposal_decide(
                actor=world.partner_teacher, proposal=Proposal.objects.get(pk=pk), accept=True
            )

        outcomes = race(accept, accept)
        assert sorted(o.ok for o in outcomes) == [False, True], [o.error for o in outcomes]
        assert Exchange.objects.filter(proposal=proposal).count() == 1


def test_two_completions_record_each_virtual_mobility_once(personas, world):
    here, there = pair(personas, world, 0)
    proposal = services.proposal_invite(actor=world.home_teacher, from_profile=here, to_profile=there)
    services.proposal_decide(actor=world.partner_teacher, proposal=proposal, accept=True)
    exchange = Exchange.objects.get(proposal=proposal)
    services.students_set(
        actor=world.home_teacher,
        exchange=exchange,
        profile=here,
        person_ids=[s.pk for s in world.home_students],
    )
    services.exchange_update(actor=world.home_teacher, exchange=exchange, data={"hours": Decimal(12)})

    def complete(actor):
        return lambda: services.exchange_complete(actor=actor, exchange=Exchange.objects.get(pk=exchange.pk))

    outcomes = race(complete(world.home_teacher), complete(world.partner_teacher))
    assert sorted(o.ok for o in outcomes) == [False, True], [o.error for o in outcomes]
    assert Mobility.objects.filter(source="virtual_exchange").count() == len(world.home_students)
