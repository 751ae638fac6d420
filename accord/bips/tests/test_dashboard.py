"""The BIPs' home-page panel: the organiser's nominations to decide per programme, as its participants
list shows them; partners and outsiders decide nothing and see no count."""

import datetime as dt

import pytest

from accord.bips import services
from accord.bips.dashboard import panel
from accord.testing.bips import make_bip_world

pytestmark = pytest.mark.django_db
TODAY = dt.date(2027, 3, 1)


def test_nominations_to_decide_per_programme(client, personas):
    world = make_bip_world(personas)
    partner = world.partner_of(personas.partner_org)
    first = services.participant_nominate(
        actor=personas.partner,
        bip=world.bip,
        partner=partner,
        person=world.partner_student,
        kind="student",
        eqf_level=6,
    )
    assert [item.label for item in panel(personas.coordinator, TODAY)] == [
        "1 BIP nomination to decide in Green Chemistry Intensive"
    ]
    (item,) = panel(personas.coordinator, TODAY)
    client.force_login(personas.coordinator)
    participants = client.get(item.url).content.decode().split('id="participants"')[1]
    assert "Pablo Ruiz" in participants
    services.participant_decide(actor=personas.coordinator, participant=first, accept=True)
    assert panel(personas.coordinator, TODAY) == []
    assert panel(personas.partner, TODAY) == []
    assert panel(personas.outsider, TODAY) == []
