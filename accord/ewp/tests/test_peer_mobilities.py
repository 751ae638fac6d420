"""Two Accord nodes carry a nomination from the sending institution (A, this process) to the receiving
one (B, a second process) and back over real HTTP, with nothing mocked (see ``test_peer_to_peer.py``
for the set-up and ``peer_mobilities.py`` for B's steps).

A nominates a student → OMobility CNR → B fetches the mobility and creates its copy → B's coordinator
accepts, which B forwards to A's Outgoing Mobilities ``update`` → A's mobility is accepted → A's CNR
→ B's copy shows it. B records the arrival → IMobility CNR → A fetches B's Incoming Mobilities and
records the actual arrival on its mobility. A second nomination is rejected by B: A's mobility is
cancelled with B's reason, and A serves it as rejected.

:func:`nominate_and_accept` brings a mobility to *accepted* on both nodes, for the learning agreement
and transcript tests to start from.
"""

from dataclasses import dataclass
from datetime import date

import pytest

from accord.accounts.choices import Role
from accord.ewp.models import NotificationKind, NotificationStatus, OutgoingNotification, ServedInstitution
from accord.ewp.serve.omobilities import ewp_status
from accord.ewp.services import partner_node_user
from accord.ewp.tests.peer import A_HEI, B_HEI
from accord.ewp.tests.peer_mobilities import ARRIVAL
from accord.mobilities import services
from accord.mobilities.choices import MobilityStatus, SignerRole
from accord.mobilities.models import Mobility
from accord.testing.factories import make_organisation, make_user

pytestmark = pytest.mark.usefixtures("transactional_db")
STEPS = "accord.ewp.tests.peer_mobilities"
COMPONENTS = [
    {
        "ref": "a",
        "section": "studied",
        "title": "Física cuántica",
        "code": "FC1",
        "credits": "30",
        "term": "1/2",
    },
    {"ref": "r", "section": "recognised", "title": "Quantum physics", "credits": "30", "term": "1/2"},
]


@dataclass(frozen=True)
class NodeA:
    organisation: object
    partner: object
    coordinator: object
    student: object


def node_a() -> NodeA:
    """A's directory: A (served here) and B, a coordinator and a student with what EWP needs."""
    a_org = make_organisation(name="Uniwersytet A", schac_code=A_HEI, country_code="PL")
    b_org = make_organisation(name="Universidad B", schac_code=B_HEI, country_code="ES")
    ServedInstitution.objects.create(organisation=a_org)
    coordinator = make_user("a-coordinator", organisation=a_org, role=Role.COORDINATOR)
    student = make_user(
        "a-student", organisation=a_org, role=Role.STUDENT, first_name="Maria", last_name="Nowak"
    )
    services.participant_details_save(
        actor=coordinator,
        participant=student,
        birth_date=date(2004, 5, 17),
        nationality="PL",
        gender=2,
        global_id="urn:schac:personalUniqueCode:int:esi:a.example.pl:123456",
    )
    return NodeA(a_org, b_org, coordinator, student)


def nominate(a: NodeA) -> Mobility:
    """A's coordinator records the nomination; A's node notifies B once it commits."""
    return services.mobility_create(
        actor=a.coordinator,
        participant=a.student,
        mobility_type="long_term_physical",
        sending_organisation=a.organisation,
        receiving_organisation=a.partner,
        academic_year="2026/2027",
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 1, 31),
        eqf_level=6,
        isced_code="0533",
        language="es",
        cefr_level="B2",
    )


def nominate_and_accept(b) -> tuple[NodeA, Mobility]:
    """A nominates, B receives the copy and accepts it: the mobility is accepted on both nodes."""
    a = node_a()
    mobility = nominate(a)
    at_b = b.step("mobility_state", module=STEPS)
    assert (at_b["status"], at_b["remote_status"]) == (MobilityStatus.NOMINATED, "pending"), at_b
    at_b = b.step("accept", module=STEPS)
    mobility.refresh_from_db()
    assert mobility.status == MobilityStatus.ACCEPTED
    assert (at_b["status"], at_b["remote_status"]) == (MobilityStatus.ACCEPTED, "approved"), at_b
    return a, mobility


def approve_learning_agreement(a: NodeA, mobility: Mobility) -> None:
    """On A: the student and A sign a proposal, and B's signature arrives as the OMLA update records
    it (through B's system account), so A's mobility becomes la_approved."""
    version = services.la_propose(actor=a.student, mobility=mobility, components=COMPONENTS)
    for actor, role in (
        (a.student, SignerRole.STUDENT),
        (a.coordinator, SignerRole.SENDING),
        (partner_node_user(a.partner), SignerRole.RECEIVING),
    ):
        services.la_sign(
            actor=actor,
            mobility=mobility,
            version_number=version.number,
            components_hash=version.components_hash,
            role=role,
        )
    mobility.refresh_from_db()
    assert mobility.status == MobilityStatus.LA_APPROVED


def mobility_notifications() -> list[str]:
    kinds = (NotificationKind.OMOBILITY, NotificationKind.IMOBILITY)
    return sorted(f"{n.kind}:{n.status}" for n in OutgoingNotification.objects.filter(kind__in=kinds))


def test_a_nomination_travels_to_the_receiving_node_and_back(nodes):
    b = nodes
    a = node_a()

    # A nominates: the CNR is owed in the same transaction and sent on commit; B fetches A's mobility.
    mobility = nominate(a)
    assert mobility_notifications() == ["omobility:sent"]
    at_b = b.step("mobility_state", module=STEPS)
    assert at_b["copies"] == 1, at_b
    assert (at_b["omobility_id"], at_b["sending_hei_id"], at_b["source"]) == (str(mobility.pk), A_HEI, "ewp")
    assert (at_b["status"], at_b["remote_status"]) == (MobilityStatus.NOMINATED, "pending")
    assert (at_b["receiving"], at_b["academic_year"], at_b["isced_code"]) == (B_HEI, "2026/2027", "0533")
    assert (at_b["student"], at_b["email"], at_b["can_sign_in"]) == (
        "Maria Nowak",
        "a-student@example.org",
        False,
    )
    assert at_b["global_id"].endswith(":123456")

    # B accepts: A's node records it first (as B's system account), then notifies B, whose copy follows.
    at_b = b.step("accept", module=STEPS)
    mobility.refresh_from_db()
    assert mobility.status == MobilityStatus.ACCEPTED
    assert mobility.transitions.last().actor.username == f"ewp:{B_HEI}"
    assert (at_b["status"], at_b["remote_status"]) == (MobilityStatus.ACCEPTED, "approved"), at_b
    assert OutgoingNotification.objects.filter(kind=NotificationKind.OMOBILITY).count() == 2
    assert not OutgoingNotification.objects.filter(status=NotificationStatus.PENDING).exists()

    # B records the arrival: A fetches B's Incoming Mobilities and records it on its own mobility.
    approve_learning_agreement(a, mobility)
    at_b = b.step("record_arrival", module=STEPS)
    assert at_b["actual_start"] == ARRIVAL.isoformat()
    assert "imobility:sent" in at_b["outbox"], at_b
    mobility.refresh_from_db()
    assert mobility.actual_start == ARRIVAL
    assert mobility.status == MobilityStatus.ONGOING

    # A second nomination, rejected by B: A cancels it with B's reason and serves it as rejected.
    second = nominate(a)
    at_b = b.step("reject", module=STEPS)
    assert at_b["copies"] == 2 and at_b["status"] == MobilityStatus.CANCELLED, at_b
    assert at_b["remote_status"] == "rejected"
    second.refresh_from_db()
    assert second.status == MobilityStatus.CANCELLED
    assert "No places left in physics" in second.transitions.last().reason
    assert ewp_status(second) == "rejected"
