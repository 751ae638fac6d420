import pytest

from accord.testing.virtual_exchange import boston_data, class_data, make_ve_world
from accord.virtual_exchange import services


@pytest.fixture
def world(personas):
    return make_ve_world(personas)


@pytest.fixture
def warsaw(personas, world):
    return services.profile_create(actor=world.home_teacher, organisation=personas.home, data=class_data())


@pytest.fixture
def boston(personas, world):
    return services.profile_create(
        actor=world.partner_teacher, organisation=personas.partner_org, data=boston_data()
    )


@pytest.fixture
def exchange(world, warsaw, boston):
    proposal = services.proposal_invite(actor=world.home_teacher, from_profile=warsaw, to_profile=boston)
    services.proposal_decide(actor=world.partner_teacher, proposal=proposal, accept=True)
    proposal.refresh_from_db()
    return proposal.exchange
