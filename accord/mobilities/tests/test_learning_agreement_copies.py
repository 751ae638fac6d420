"""A copy of a partner's mobility records the learning agreement the sending node serves: versions,
signatures and approvals as the sender gives them, once each, with the copy's status moving as a
local mobility's would; the acts that are the sending institution's are refused on the copy."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from accord.accounts.choices import Role
from accord.algorithms.ewp.learning_agreement import (
    EwpComponentList,
    EwpContactPerson,
    EwpInstitution,
    EwpLearningAgreement,
    EwpProposal,
    EwpSignature,
    EwpStudent,
    change_entries,
    component_ref,
)
from accord.algorithms.mobility.learning_agreement import (
    ChangeReason,
    Component,
    Section,
    changes_between,
    components_hash,
    parse_components,
)
from accord.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from accord.ewp.serve.omobility_las import proposal_id
from accord.ewp.services import partner_node_user
from accord.mobilities import services
from accord.mobilities.choices import MobilitySource, MobilityStatus, SignerRole, VersionStatus
from accord.mobilities.models import AgreementVersion, Mobility, MobilityEvent, Signature
from accord.mobilities.services.learning_agreement_copies import (
    la_copy_receive,
    la_copy_unserved,
    received_proposal,
)
from accord.testing.factories import make_user

T = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
FIRST = [
    {"section": "studied", "title": "Bases de datos", "code": "BD1", "credits": "6", "term": "1/2"},
    {"section": "studied", "title": "Redes", "code": "RD2", "credits": "24", "term": "1/2"},
    {"section": "recognised", "title": "Databases and networks", "credits": "30", "term": "1/2"},
]
CHANGED = [FIRST[0], {**FIRST[1], "title": "Compiladores", "code": "CO3"}, FIRST[2]]


def courses(items: list[dict]):
    parsed = parse_components([{**item, "ref": f"x{index}"} for index, item in enumerate(items)])
    return tuple(replace(component, ref=component_ref(component)) for component in parsed)


def signed(name: str, minutes: int = 0) -> EwpSignature:
    return EwpSignature(
        T + timedelta(minutes=minutes), name, "Coordinator", f"{name.split()[0].lower()}@x.edu"
    )


def whole(items: list[dict], *, receiving: bool) -> EwpComponentList:
    return EwpComponentList(
        [(component, None) for component in courses(items)],
        signed("Maria Nowak"),
        signed("Ana Ruiz", 1),
        signed("Jan Kowalski", 2) if receiving else None,
    )


def changes(items: list[dict], *, receiving: bool) -> EwpComponentList:
    first, current = courses(FIRST), courses(items)
    found = changes_between(
        first,
        current,
        {
            c.ref: (ChangeReason.NOT_AVAILABLE if c in first else ChangeReason.SUBSTITUTING_DELETED, "")
            for c in (*first, *current)
        },
    )
    return EwpComponentList(
        change_entries(first, current, found),
        signed("Maria Nowak", 10),
        signed("Ana Ruiz", 11),
        signed("Jan Kowalski", 12) if receiving else None,
    )


def document(*, first=None, approved=None, proposal=None, proposal_id_text="3-" + "ab" * 32, **overrides):
    contact = EwpContactPerson("Ana", "Ruiz", "ana@partner.example.edu")
    values = {
        "omobility_id": "om-1",
        "sending": EwpInstitution("partner.example.edu", contact),
        "receiving": EwpInstitution("home.example.edu", contact),
        "receiving_academic_year": "2026/2027",
        "student": EwpStudent("Maria", "Nowak"),
        "start_date": date(2026, 9, 1),
        "end_date": date(2027, 1, 31),
        "eqf_level": 6,
        "isced_code": "0613",
        "language": "es",
        "cefr_level": "B2",
        "first_version": first,
        "approved_changes": approved,
        "changes_proposal": EwpProposal(proposal_id_text, proposal) if proposal is not None else None,
    }
    return EwpLearningAgreement(**(values | overrides))


@pytest.fixture
def copy(personas):
    """Home receives a student the partner sends: our copy of the partner's mobility, accepted."""
    incoming = make_user("incoming", first_name="Maria", last_name="Nowak")
    return Mobility.objects.create(
        participant=incoming,
        mobility_type="long_term_physical",
        sending_organisation=personas.partner_org,
        receiving_organisation=personas.home,
        academic_year="2026/2027",
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 1, 31),
        status=MobilityStatus.ACCEPTED,
        source=MobilitySource.EWP,
    )


@pytest.fixture
def receive(copy, personas):
    def receive_document(received: EwpLearningAgreement):
        return la_copy_receive(
            mobility=copy, received=received, sending_signer=partner_node_user(personas.partner_org)
        )

    return receive_document


def state(mobility: Mobility) -> tuple:
    return (
        AgreementVersion.objects.filter(learning_agreement__mobility=mobility).count(),
        Signature.objects.filter(version__learning_agreement__mobility=mobility).count(),
        MobilityEvent.objects.filter(mobility=mobility).count(),
    )


def test_a_proposal_is_recorded_with_the_senders_number_hash_and_signatures_once(copy, receive):
    served = "3-" + "ab" * 32

    update = receive(document(proposal=whole(FIRST, receiving=False), proposal_id_text=served))

    version = copy.learning_agreement.current_version
    assert update.created == [3] and version.status == VersionStatus.PROPOSED
    assert proposal_id(version) == served  # our copy names it exactly as the sender does
    assert [c["title"] for c in version.components] == ["Bases de datos", "Redes", "Databases and networks"]
    signatures = {s.role: s for s in version.signatures.select_related("signer")}
    assert set(signatures) == {SignerRole.STUDENT, SignerRole.SENDING}
    assert signatures[SignerRole.STUDENT].signer == copy.participant
    assert signatures[SignerRole.STUDENT].signed_at == T
    assert signatures[SignerRole.SENDING].signer.username == "ewp:partner.example.edu"
    assert signatures[SignerRole.SENDING].signer_name == "Ana Ruiz"
    assert all(s.components_hash == "ab" * 32 for s in signatures.values())

    copy.refresh_from_db()
    assert (copy.language, copy.cefr_level) == ("es", "B2")  # only the learning agreement carries them
    before = state(copy)
    again = receive(document(proposal=whole(FIRST, receiving=False), proposal_id_text=served))
    assert not again.changed and state(copy) == before


def test_the_copy_follows_the_planned_dates_of_the_learning_agreement(copy, receive):
    update = receive(
        document(
            proposal=whole(FIRST, receiving=False), start_date=date(2026, 10, 1), end_date=date(2026, 12, 20)
        )
    )

    copy.refresh_from_db()
    assert {"planned_start", "planned_end"} <= set(update.details)
    assert (copy.planned_start, copy.planned_end, copy.duration_days) == (
        date(2026, 10, 1),
        date(2026, 12, 20),
        81,
    )
    with pytest.raises(ValidationFailed, match="ends before it starts"):
        receive(document(proposal=whole(FIRST, receiving=False), end_date=date(2026, 1, 1)))


def test_the_senders_approval_approves_the_version_held_and_moves_the_copy(copy, receive):
    receive(document(proposal=whole(FIRST, receiving=False)))

    update = receive(document(first=whole(FIRST, receiving=True)))

    agreement = copy.learning_agreement
    copy.refresh_from_db()
    assert update.created == [] and update.approved == [3]
    assert agreement.first_approved_version.number == agreement.approved_version.number == 3
    assert agreement.current_version.status == VersionStatus.APPROVED
    receiving = agreement.approved_version.signatures.get(role=SignerRole.RECEIVING)
    assert (receiving.signer_name, receiving.signed_at) == ("Jan Kowalski", T + timedelta(minutes=2))
    assert copy.status == MobilityStatus.LA_APPROVED
    assert copy.transitions.last().to_status == MobilityStatus.LA_APPROVED
    assert copy.planned_credits == Decimal(30)

    before = state(copy)
    assert not receive(document(first=whole(FIRST, receiving=True))).changed
    assert state(copy) == before


def test_changes_after_approval_arrive_as_new_versions_and_withdrawn_ones_are_superseded(copy, receive):
    first = whole(FIRST, receiving=True)
    receive(document(first=first))  # first seen already approved: a version of our own numbering

    receive(
        document(first=first, proposal=changes(CHANGED, receiving=False), proposal_id_text="5-" + "cd" * 32)
    )

    agreement = copy.learning_agreement
    proposal = agreement.current_version
    assert (agreement.approved_version.number, proposal.number) == (1, 5)
    assert [c["title"] for c in proposal.components] == [
        "Bases de datos",
        "Compiladores",
        "Databases and networks",
    ]
    assert sorted(change["status"] for change in proposal.changes) == ["deleted", "inserted"]
    assert {change["reason_code"] for change in proposal.changes} == {"not-available", "substituting-deleted"}

    # A newer proposal supersedes it; the sender's approval of that one is then recorded in place.
    newer = [*CHANGED, {"section": "virtual", "title": "Online seminar"}]
    receive(
        document(first=first, proposal=changes(newer, receiving=False), proposal_id_text="6-" + "ef" * 32)
    )
    assert (
        AgreementVersion.objects.get(learning_agreement=agreement, number=5).status
        == VersionStatus.SUPERSEDED
    )
    update = receive(document(first=first, approved=changes(newer, receiving=True)))
    agreement.refresh_from_db()
    assert update.approved == [6] and agreement.approved_version.number == 6
    assert agreement.first_approved_version.number == 1

    # A proposal the sender stops serving is no longer awaiting us.
    receive(
        document(
            first=first,
            approved=changes(newer, receiving=True),
            proposal=changes(CHANGED, receiving=False),
            proposal_id_text="8-" + "ab" * 32,
        )
    )
    update = receive(document(first=first, approved=changes(newer, receiving=True)))
    agreement.refresh_from_db()
    assert update.superseded == [8]
    assert agreement.current_version.number == 6


def test_an_opaque_proposal_id_is_stood_for_by_the_hash_of_the_components(copy, receive):
    received = document(proposal=whole(FIRST, receiving=False), proposal_id_text="59B15BAF222F868493C1")

    receive(received)

    version = copy.learning_agreement.current_version
    assert version.number == 1
    assert version.components_hash == components_hash(parse_components(version.components))
    assert received_proposal(received) == (None, version.components_hash)
    assert not receive(received).changed


def test_what_the_copy_cannot_hold_is_refused_and_nothing_is_written(copy, receive, personas):
    termless = Component("", Section.STUDIED, "Bases de datos", credits=Decimal(6))  # EWP allows it
    termless = replace(termless, ref=component_ref(termless))
    listed = replace(whole(FIRST, receiving=False), entries=[(termless, None)])
    with pytest.raises(ValidationFailed, match="term"):
        receive(document(proposal=listed))
    other = EwpInstitution("outsider.example.edu", EwpContactPerson("A", "B", "a@b.c"))
    with pytest.raises(DomainError, match="not the copy's institutions"):
        receive(document(proposal=whole(FIRST, receiving=False), sending=other))
    assert state(copy) == (0, 0, 0)

    receive(document(first=whole(FIRST, receiving=True)))
    with pytest.raises(Conflict, match="another first version"):
        receive(document(first=whole(CHANGED, receiving=True)))

    local = Mobility.objects.create(
        participant=personas.student,
        mobility_type="long_term_physical",
        sending_organisation=personas.home,
        receiving_organisation=personas.partner_org,
        academic_year="2026/2027",
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 1, 31),
    )
    with pytest.raises(DomainError, match="Only a copy"):
        la_copy_receive(mobility=local, received=document(), sending_signer=personas.coordinator)


def test_the_sending_institutions_acts_are_refused_on_a_copy(copy, receive, personas):
    receive(document(proposal=whole(FIRST, receiving=False)))
    version = copy.learning_agreement.current_version
    sender = make_user("sender", organisation=personas.partner_org, role=Role.COORDINATOR)

    with pytest.raises(DomainError, match="proposes this learning agreement in its own system"):
        services.la_propose(actor=sender, mobility=copy, components=FIRST)
    with pytest.raises(PermissionDenied, match="comment in the sending institution's system"):
        services.la_comment(actor=copy.participant, mobility=copy, version_number=version.number, text="No")
    assert version.comments.count() == 0


def test_a_first_proposal_the_sender_no_longer_serves_no_longer_awaits_us(copy, receive, personas):
    receive(document(proposal=whole(FIRST, receiving=False)))

    update = la_copy_unserved(mobility=copy, sending_signer=partner_node_user(personas.partner_org))

    assert update.superseded == [3]
    assert copy.learning_agreement.versions.get().status == VersionStatus.SUPERSEDED
    assert not la_copy_unserved(mobility=copy, sending_signer=partner_node_user(personas.partner_org)).changed
