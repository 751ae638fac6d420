"""The mobilities' home-page panel: agreements to sign counted as the mobility list's queue shows
them, a participant's own mobility with its next step, and nothing of another institution's."""

import pytest
from django.utils import timezone

from accord.mobilities import selectors, services
from accord.mobilities.dashboard import panel
from accord.mobilities.tests.conftest import COMPONENTS

pytestmark = pytest.mark.django_db


def _items(user):
    return panel(user, timezone.localdate())


def test_agreements_to_sign_match_the_list_queue(client, personas, mobility):
    services.la_propose(actor=personas.student, mobility=mobility, components=COMPONENTS)
    (item,) = [item for item in _items(personas.coordinator) if item.count is not None]
    assert item.label == "1 learning or mobility agreement to sign"
    assert item.url == "/mobilities/#to-sign"
    assert len(selectors.awaiting_my_signature(user=personas.coordinator)) == item.count
    client.force_login(personas.coordinator)
    queue = client.get("/mobilities/").content.decode().split('id="to-sign"')[1].split("</section>")[0]
    assert queue.count("<li>") == item.count
    # The receiving side signs after the other two; an outsider sees nothing of it.
    assert not [item for item in _items(personas.partner) if item.count is not None]
    assert _items(personas.outsider) == []


def test_a_participant_sees_their_mobility_and_next_step(personas, mobility):
    (item,) = _items(personas.student)
    assert item.mine
    assert item.label == "Your mobility to Partner University"
    assert item.detail.startswith("Propose your learning agreement")
    assert item.url == f"/mobilities/{mobility.pk}/propose/"
    services.la_propose(actor=personas.student, mobility=mobility, components=COMPONENTS)
    mine = [item for item in _items(personas.student) if item.mine]
    assert [item.detail for item in mine] == ["Read and sign version 1 of your learning agreement."]
    assert mine[0].url == f"/mobilities/{mobility.pk}/#la-heading"
