"""Two Accord nodes agree a learning agreement over real HTTP, with nothing mocked (see
``test_peer_to_peer.py`` for the set-up and ``peer_learning_agreements.py`` for B's steps).

A nominates and B accepts (``test_peer_mobilities.nominate_and_accept``) → the student and A sign a
proposal → A's OMobility LA CNR → B fetches A's ``la`` and records it on its copy → B's coordinator
approves: B forwards the approval to A's ``update``, A records it (three signatures, la_approved) and
notifies B, whose copy follows → B records the arrival → A proposes one change during the mobility,
signed by the student and A → CNR → B sees the proposal → B approves → both hold the new version
approved, counted as changes to the first.
"""

import pytest

from accord.ewp.models import NotificationKind, NotificationStatus, OutgoingNotification
from accord.ewp.serve.omobility_las import proposal_id
from accord.ewp.tests.peer import B_HEI
from accord.ewp.tests.test_peer_mobilities import COMPONENTS, nominate_and_accept
from accord.mobilities import services
from accord.mobilities.choices import MobilityStatus, SignerRole, VersionStatus
from accord.testing.factories import make_contact

pytestmark = pytest.mark.usefixtures("transactional_db")
STEPS = "accord.ewp.tests.peer_learning_agreements"
CHANGED = [
    COMPONENTS[0],
    {"ref": "v", "section": "virtual", "title": "Seminario en línea", "credits": "3"},
    COMPONENTS[1],
]


def propose(a, mobility, components, **extra):
    version = services.la_propose(actor=a.student, mobility=mobility, components=components, **extra)
    for actor in (a.student, a.coordinator):
        services.la_sign(
            actor=actor,
            mobility=mobility,
            version_number=version.number,
            components_hash=version.components_hash,
        )
    return version


def la_notifications() -> list[str]:
    kinds = OutgoingNotification.objects.filter(kind=NotificationKind.OMOBILITY_LA)
    return sorted({notification.status for notification in kinds})


def test_a_learning_agreement_is_agreed_and_changed_between_two_nodes(nodes):
    b = nodes
    a, mobility = nominate_and_accept(b)
    # What A serves names a contact person at each side: A's signer, and B's contact in A's directory.
    a.coordinator.first_name, a.coordinator.last_name = "Jan", "Kowalski"
    a.coordinator.save()
    make_contact(a.partner, given_name="Ines", family_name="Garcia", email="ines@b.example.es")

    # The student and A sign: A's node notifies B, which records A's proposal on its copy.
    first = propose(a, mobility, COMPONENTS)
    assert la_notifications() == [NotificationStatus.SENT]
    at_b = b.step("la_state", module=STEPS)
    assert at_b["current"]["proposal_id"] == proposal_id(first), at_b
    assert at_b["current"]["status"] == VersionStatus.PROPOSED
    assert at_b["current"]["signed"] == [SignerRole.SENDING, SignerRole.STUDENT]
    assert at_b["la_fetched"] and at_b["status"] == MobilityStatus.ACCEPTED

    # B approves: A records B's signature first, then B's copy is approved as well.
    at_b = b.step("approve", module=STEPS)
    mobility.refresh_from_db()
    agreement = mobility.learning_agreement
    assert mobility.status == MobilityStatus.LA_APPROVED
    assert agreement.approved_version.number == 1
    receiving = agreement.approved_version.signatures.get(role=SignerRole.RECEIVING)
    assert receiving.signer.username == f"ewp:{B_HEI}"
    assert "Coordinadora Erasmus" in receiving.signer_position
    assert at_b["status"] == MobilityStatus.LA_APPROVED, at_b
    assert at_b["current"]["status"] == VersionStatus.APPROVED
    assert at_b["first"]["signed"] == [SignerRole.RECEIVING, SignerRole.SENDING, SignerRole.STUDENT]

    # During the stay (B records the arrival), A proposes a change; B sees it and approves it.
    b.step("record_arrival", module="accord.ewp.tests.peer_mobilities")
    mobility.refresh_from_db()
    assert mobility.status == MobilityStatus.ONGOING
    change = propose(
        a,
        mobility,
        CHANGED,
        reasons=[{"ref": "v", "reason_code": "adding-virtual-component"}],
        base_version=1,
    )
    at_b = b.step("la_state", module=STEPS)
    assert at_b["current"]["proposal_id"] == proposal_id(change), at_b
    assert at_b["current"]["titles"] == ["Física cuántica", "Quantum physics", "Seminario en línea"]
    assert at_b["approved"]["number"] == 1

    at_b = b.step("approve", module=STEPS)
    agreement.refresh_from_db()
    assert agreement.approved_version.number == 2 and agreement.first_approved_version.number == 1
    assert at_b["approved"]["proposal_id"] == proposal_id(change), at_b
    assert at_b["first"]["number"] == 1 and at_b["status"] == MobilityStatus.ONGOING
    assert la_notifications() == [NotificationStatus.SENT]
