"""Outgoing Mobilities v3 (get, index, update) and Incoming Mobilities v2 served by Accord, the
OMobility and IMobility CNR v2 receivers, the CNRs the mobility services owe, and the receiving side's
decisions on copies when the sending node cannot be asked.

Every document served, errors included, is validated against the registry's XSD.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.accounts.choices import Role
from accord.algorithms.ewp.mobility import EwpStudentMobility, nomination_proposal_id
from accord.core.errors import DomainError
from accord.ewp import tasks
from accord.ewp.models import (
    NotificationKind,
    NotificationStatus,
    OutgoingNotification,
    RemoteMobility,
    ServedInstitution,
)
from accord.ewp.node import xml
from accord.ewp.notify.outbox import send_due
from accord.ewp.pull.omobilities import incoming_student
from accord.ewp.serve.omobilities import NominationDecision, ewp_student_mobility, update_request
from accord.ewp.serve.params import LIMITS
from accord.ewp.services import partner_node_user
from accord.ewp.tests.conftest import PARTNER_HEI, CatalogueHost, call, signed_headers
from accord.mobilities import notifications, services
from accord.mobilities.choices import MobilitySource, MobilityStatus
from accord.mobilities.models import Mobility
from accord.testing.factories import make_user

GET, INDEX, UPDATE, CNR = (
    "/ewp/omobilities/get",
    "/ewp/omobilities/index",
    "/ewp/omobilities/update",
    "/ewp/omobilities/cnr",
)
IGET, ICNR = "/ewp/imobilities/get", "/ewp/imobilities/cnr"
HOME = "home.example.edu"
METHODS = ["GET", "POST"]
STUDENT_MOBILITY = f"{{{xml.OMOBILITIES_GET}}}student-mobility"


@pytest.fixture
def node(personas, ewp_settings, write_catalogue, partner_key):
    """Home is served; the registry lists the partner's host with its key; the student has the
    details EWP requires."""
    ServedInstitution.objects.create(organisation=personas.home)
    write_catalogue(CatalogueHost((PARTNER_HEI,), client_keys=(partner_key,)))
    personas.student.first_name, personas.student.last_name = "Maria", "Nowak"
    personas.student.save()
    services.participant_details_save(
        actor=personas.coordinator,
        participant=personas.student,
        birth_date=date(2004, 5, 17),
        nationality="PL",
        gender=2,
        global_id="urn:schac:personalUniqueCode:int:esi:home.example.edu:1",
    )
    return personas


def nominate(personas, **overrides) -> Mobility:
    values = {
        "actor": personas.coordinator,
        "participant": personas.student,
        "mobility_type": "long_term_physical",
        "sending_organisation": personas.home,
        "receiving_organisation": personas.partner_org,
        "academic_year": "2026/2027",
        "planned_start": date(2026, 9, 1),
        "planned_end": date(2027, 1, 31),
        "eqf_level": 6,
        "isced_code": "0533",
    }
    return services.mobility_create(**(values | overrides))


@pytest.fixture
def mobility(node):
    return nominate(node)


def assert_error(response, schemas, status: int, message: str) -> None:
    assert response.status_code == status, response.content
    root = schemas.validate("error", response.content)
    assert message in root.findtext(f"{{{xml.COMMON}}}developer-message")


def served_ids(root, namespace) -> list[str]:
    return [element.text for element in root.iter(f"{{{namespace}}}omobility-id")]


def post_xml(client, key, path: str, body: bytes):
    headers = signed_headers(key, "POST", path, body)
    return client.generic("POST", path, body, content_type="text/xml", headers=headers)


# --- get and index ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_get_serves_the_nomination_to_the_receiving_institution(
    client, schemas, mobility, partner_key, method
):
    response = call(
        client, partner_key, method, GET, [("sending_hei_id", HOME), ("omobility_id", str(mobility.pk))]
    )

    assert response.status_code == 200
    root = schemas.validate("omobilities-get-response", response.content)
    (element,) = root.iter(STUDENT_MOBILITY)

    def text(path: str) -> str:
        return element.findtext(path.replace("o:", f"{{{xml.OMOBILITIES_GET}}}"))

    assert text("o:omobility-id") == str(mobility.pk)
    assert (text("o:student/o:given-names"), text("o:student/o:family-name")) == ("Maria", "Nowak")
    assert (text("o:student/o:birth-date"), text("o:student/o:nationality"), text("o:student/o:gender")) == (
        "2004-05-17",
        "PL",
        "2",
    )
    assert text("o:nomination/o:receiving-hei/o:hei-id") == PARTNER_HEI
    assert text("o:nomination/o:sending-academic-term-ewp-id") == "2026/2027-1/1"
    assert text("o:nomination/o:activity-attributes") == "long-term"
    assert text("o:status") == "pending"


def test_get_ignores_unknown_ids_copies_staff_and_mobilities_without_student_details(
    client, schemas, node, mobility, partner_key
):
    staff = nominate(node, participant=node.teacher, mobility_type="staff_teaching", eqf_level=None)
    other = make_user("other-student", organisation=node.home, role=Role.STUDENT)
    undetailed = nominate(node, participant=other)
    ids = [str(mobility.pk), str(staff.pk), str(undetailed.pk), "999999", "not-a-number"]

    response = call(
        client, partner_key, "POST", GET, [("sending_hei_id", HOME), *(("omobility_id", i) for i in ids)]
    )

    root = schemas.validate("omobilities-get-response", response.content)
    assert served_ids(root, xml.OMOBILITIES_GET) == [str(mobility.pk)]


def test_a_caller_not_covering_the_receiving_institution_sees_nothing(
    client, schemas, node, partner_key, write_catalogue
):
    to_outsider = nominate(node, receiving_organisation=node.outsider_org)
    params = [("sending_hei_id", HOME), ("omobility_id", str(to_outsider.pk))]

    root = schemas.validate("omobilities-get-response", call(client, partner_key, "GET", GET, params).content)
    assert served_ids(root, xml.OMOBILITIES_GET) == []
    index = call(client, partner_key, "GET", INDEX, [("sending_hei_id", HOME)])
    assert (
        served_ids(schemas.validate("omobilities-index-response", index.content), xml.OMOBILITIES_INDEX) == []
    )


def test_get_and_index_refuse_missing_and_malformed_parameters(client, schemas, mobility, partner_key):
    too_many = [("sending_hei_id", HOME)] + [("omobility_id", str(i)) for i in range(LIMITS.mobility_ids + 1)]
    exactly = too_many[:-1]
    assert call(client, partner_key, "POST", GET, exactly).status_code == 200
    for response, message in (
        (call(client, partner_key, "POST", GET, too_many), f"at most {LIMITS.mobility_ids}"),
        (call(client, partner_key, "GET", GET, [("omobility_id", "1")]), "sending_hei_id is required"),
        (call(client, partner_key, "GET", GET, [("sending_hei_id", HOME)]), "omobility_id is required"),
        (
            call(client, partner_key, "GET", GET, [("sending_hei_id", PARTNER_HEI), ("omobility_id", "1")]),
            "does not cover",
        ),
        (
            call(
                client, partner_key, "GET", INDEX, [("sending_hei_id", HOME), ("modified_since", "yesterday")]
            ),
            "modified_since",
        ),
        (
            call(
                client,
                partner_key,
                "GET",
                INDEX,
                [("sending_hei_id", HOME), ("receiving_academic_year_id", "2026")],
            ),
            "2026/2027",
        ),
    ):
        assert_error(response, schemas, 400, message)
    assert_error(
        call(client, None, "GET", GET, [("sending_hei_id", HOME)]), schemas, 401, "requires HTTP Signature"
    )


@pytest.mark.parametrize("method", METHODS)
def test_index_filters_by_receiver_year_and_modification(
    client, schemas, node, mobility, partner_key, method
):
    later = nominate(
        node, academic_year="2027/2028", planned_start=date(2027, 9, 1), planned_end=date(2028, 1, 31)
    )

    def index(*extra):
        response = call(client, partner_key, method, INDEX, [("sending_hei_id", HOME), *extra])
        return served_ids(
            schemas.validate("omobilities-index-response", response.content), xml.OMOBILITIES_INDEX
        )

    assert index() == [str(mobility.pk), str(later.pk)]
    assert index(("receiving_academic_year_id", "2027/2028")) == [str(later.pk)]
    assert index(("receiving_hei_id", PARTNER_HEI)) == [str(mobility.pk), str(later.pk)]
    assert index(("receiving_hei_id", "outsider.example.edu")) == []
    since = timezone.now()
    assert index(("modified_since", since.isoformat())) == []
    Mobility.objects.filter(pk=mobility.pk).update(updated_at=since + timedelta(seconds=1))
    assert index(("modified_since", since.isoformat())) == [str(mobility.pk)]


# --- update ---------------------------------------------------------------------------------------------


def decision(mobility, *, approve=True, proposal=None, comment="No places left.") -> bytes:
    """The update request the partner's node sends, for the nomination as we serve it now."""
    fresh = Mobility.objects.get(pk=mobility.pk)
    proposal = proposal or nomination_proposal_id(ewp_student_mobility(fresh))
    return update_request(NominationDecision(approve, str(mobility.pk), proposal, "" if approve else comment))


def test_update_approves_the_nomination_as_the_receiving_institution(client, schemas, mobility, partner_key):
    body = decision(mobility)
    schemas.validate("omobilities-update-request", body)

    response = post_xml(client, partner_key, UPDATE, body)

    assert response.status_code == 200, response.content
    schemas.validate("omobilities-update-response", response.content)
    mobility.refresh_from_db()
    assert mobility.status == MobilityStatus.ACCEPTED
    assert mobility.transitions.last().actor.username == f"ewp:{PARTNER_HEI}"
    assert post_xml(client, partner_key, UPDATE, body).status_code == 200  # said twice, recorded once
    assert mobility.transitions.count() == 2
    assert_error(
        post_xml(client, partner_key, UPDATE, decision(mobility, approve=False)), schemas, 409, "approved"
    )


def test_update_rejects_with_the_partners_comment_and_serves_it_as_rejected(
    client, schemas, mobility, partner_key
):
    response = post_xml(client, partner_key, UPDATE, decision(mobility, approve=False))

    assert response.status_code == 200, response.content
    mobility.refresh_from_db()
    assert mobility.status == MobilityStatus.CANCELLED
    assert "No places left." in mobility.transitions.last().reason
    served = call(
        client, partner_key, "GET", GET, [("sending_hei_id", HOME), ("omobility_id", str(mobility.pk))]
    )
    root = schemas.validate("omobilities-get-response", served.content)
    assert root.findtext(f".//{{{xml.OMOBILITIES_GET}}}status") == "rejected"


def test_update_refuses_stale_proposals_strangers_and_bad_bodies(
    client, schemas, node, mobility, partner_key, write_catalogue
):
    assert_error(
        post_xml(client, partner_key, UPDATE, decision(mobility, proposal="0" * 64)),
        schemas,
        409,
        "not up to date",
    )
    assert_error(post_xml(client, partner_key, UPDATE, b"<not-xml"), schemas, 400, "well-formed")
    assert_error(post_xml(client, partner_key, UPDATE, b""), schemas, 400, "omobilities-update-request")
    no_comment = decision(mobility, approve=False, comment="")
    assert_error(post_xml(client, partner_key, UPDATE, no_comment), schemas, 400, "comment")
    assert_error(call(client, partner_key, "GET", UPDATE), schemas, 405, "POST")
    to_outsider = nominate(node, receiving_organisation=node.outsider_org)
    assert_error(post_xml(client, partner_key, UPDATE, decision(to_outsider)), schemas, 400, "caller covers")
    mobility.refresh_from_db()
    to_outsider.refresh_from_db()
    assert mobility.status == to_outsider.status == MobilityStatus.NOMINATED


# --- CNRs -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_cnr_receivers_queue_a_fetch(
    client, schemas, node, partner_key, monkeypatch, method, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(tasks.ewp_fetch_omobilities, "delay", lambda *args: queued.append(("o", *args)))
    monkeypatch.setattr(tasks.ewp_fetch_imobilities, "delay", lambda *args: queued.append(("i", *args)))

    with django_capture_on_commit_callbacks(execute=True):
        omobility = call(
            client, partner_key, method, CNR, [("sending_hei_id", PARTNER_HEI), ("omobility_id", "7")]
        )
        imobility = call(
            client, partner_key, method, ICNR, [("receiving_hei_id", PARTNER_HEI), ("omobility_id", "8")]
        )
    assert (omobility.status_code, imobility.status_code) == (200, 200)
    schemas.validate("omobility-cnr", omobility.content)
    schemas.validate("imobility-cnr", imobility.content)
    assert queued == [("o", PARTNER_HEI, ["7"]), ("i", PARTNER_HEI, ["8"])]

    for path, name in ((CNR, "sending_hei_id"), (ICNR, "receiving_hei_id")):
        assert_error(
            call(client, partner_key, method, path, [(name, "other.example.edu"), ("omobility_id", "7")]),
            schemas,
            403,
            "does not cover",
        )
        assert_error(
            call(client, partner_key, method, path, [(name, PARTNER_HEI)]), schemas, 400, "omobility_id"
        )
        too_many = [(name, PARTNER_HEI)] + [
            ("omobility_id", str(i)) for i in range(LIMITS.cnr_omobility_ids + 1)
        ]
        assert_error(call(client, partner_key, method, path, too_many), schemas, 400, "at most")


def test_the_sending_services_owe_the_receiver_one_omobility_cnr(node):
    mobility = nominate(node)
    (notification,) = OutgoingNotification.objects.filter(kind=NotificationKind.OMOBILITY)
    assert (notification.sender_hei_id, notification.partner_hei_id, notification.iia_id) == (
        HOME,
        PARTNER_HEI,
        str(mobility.pk),
    )
    services.mobility_transition(actor=node.partner, mobility=mobility, to_status=MobilityStatus.ACCEPTED)
    assert OutgoingNotification.objects.filter(kind=NotificationKind.OMOBILITY).count() == 1  # re-armed
    nominate(node, participant=node.teacher, mobility_type="staff_training", eqf_level=None)
    assert OutgoingNotification.objects.filter(kind=NotificationKind.OMOBILITY).count() == 1

    # Whether the registry covers a receiver is the sender's question, asked after the commit.
    nominate(node, receiving_organisation=node.outsider_org)
    outsider = OutgoingNotification.objects.get(partner_hei_id=node.outsider_org.schac_code)
    OutgoingNotification.objects.exclude(pk=outsider.pk).update(status=NotificationStatus.SENT)
    assert send_due().skipped == [outsider]
    outsider.refresh_from_db()
    assert outsider.status == NotificationStatus.SKIPPED


def test_a_virtual_exchanges_mobility_is_neither_announced_nor_served(client, schemas, node, partner_key):
    """A class exchange online is recorded as each student's virtual mobility; it is no nomination, so
    the partner's node is never told of it nor finds it in the index."""
    virtual = services.virtual_mobility_record(
        actor=node.coordinator,
        participant=node.student,
        sending_organisation=node.home,
        receiving_organisation=node.partner_org,
        start=date(2026, 3, 2),
        end=date(2026, 4, 24),
        hours=Decimal("20"),
        source_id=1,
        eqf_level=6,
        isced_code="0533",
    )
    assert virtual.source == MobilitySource.VIRTUAL_EXCHANGE
    assert not OutgoingNotification.objects.exists()
    response = call(client, partner_key, "GET", INDEX, [("sending_hei_id", HOME)])
    root = schemas.validate("omobilities-index-response", response.content)
    assert served_ids(root, xml.OMOBILITIES_INDEX) == []


# --- copies and Incoming Mobilities --------------------------------------------------------------------


@pytest.fixture
def copy(node):
    """A copy of a mobility the partner's node sends to home (home receives here)."""
    incoming = make_user("incoming", first_name="Ana", last_name="Ruiz")
    sender = partner_node_user(node.partner_org)
    mobility = services.mobility_copy_save(
        actor=sender,
        mobility=None,
        participant=incoming,
        mobility_type="long_term_physical",
        sending_organisation=node.partner_org,
        receiving_organisation=node.home,
        academic_year="2026/2027",
        eqf_level=7,
        isced_code="0533",
    )
    RemoteMobility.objects.create(
        mobility=mobility,
        sending_hei_id=PARTNER_HEI,
        omobility_id="P-1",
        proposal_id="",
        fetched_at=timezone.now(),
    )
    return mobility


def test_a_copy_is_not_decided_while_the_sending_node_cannot_confirm(node, copy):
    assert copy.source == MobilitySource.EWP and copy.planned_start == date(2026, 9, 1)
    with pytest.raises(DomainError, match="never fetched"):
        services.mobility_transition(actor=node.coordinator, mobility=copy, to_status=MobilityStatus.ACCEPTED)
    RemoteMobility.objects.filter(mobility=copy).update(proposal_id="abc")
    with pytest.raises(DomainError, match="no omobilities API"):
        services.mobility_transition(actor=node.coordinator, mobility=copy, to_status=MobilityStatus.ACCEPTED)
    copy.refresh_from_db()
    assert copy.status == MobilityStatus.NOMINATED and copy.transitions.count() == 1


def test_copies_follow_the_master_and_owe_it_an_imobility_cnr_for_dates(node, copy):
    sender = partner_node_user(node.partner_org)
    services.mobility_copy_follow(actor=sender, mobility=copy, status=MobilityStatus.ACCEPTED)
    services.mobility_copy_follow(actor=sender, mobility=copy, status=MobilityStatus.ACCEPTED)  # no-op
    assert [t.to_status for t in copy.transitions.all()] == [
        MobilityStatus.NOMINATED,
        MobilityStatus.ACCEPTED,
    ]
    with pytest.raises(DomainError):
        services.mobility_copy_follow(actor=node.coordinator, mobility=copy, status=MobilityStatus.CANCELLED)

    services.mobility_record_dates(actor=node.coordinator, mobility=copy, actual_start=date(2026, 9, 3))

    (notification,) = OutgoingNotification.objects.filter(kind=NotificationKind.IMOBILITY)
    assert (notification.sender_hei_id, notification.partner_hei_id, notification.iia_id) == (
        HOME,
        PARTNER_HEI,
        "P-1",
    )
    assert not OutgoingNotification.objects.filter(
        kind=NotificationKind.OMOBILITY
    ).exists()  # copies are not served


@pytest.mark.parametrize("method", METHODS)
def test_imobilities_get_serves_actual_dates_to_the_sending_institution_only(
    client, schemas, node, copy, partner_key, method
):
    sender = partner_node_user(node.partner_org)
    services.mobility_copy_follow(actor=sender, mobility=copy, status=MobilityStatus.ACCEPTED)
    services.mobility_record_dates(actor=node.coordinator, mobility=copy, actual_start=date(2026, 9, 3))
    outsider_copy = services.mobility_copy_save(
        actor=partner_node_user(node.outsider_org),
        mobility=None,
        participant=make_user("incoming2"),
        mobility_type="long_term_physical",
        sending_organisation=node.outsider_org,
        receiving_organisation=node.home,
        academic_year="2026/2027",
        eqf_level=7,
        isced_code="0533",
    )
    RemoteMobility.objects.create(
        mobility=outsider_copy,
        sending_hei_id="outsider.example.edu",
        omobility_id="P-2",
        fetched_at=timezone.now(),
    )

    params = [
        ("receiving_hei_id", HOME),
        ("omobility_id", "P-1"),
        ("omobility_id", "P-2"),
        ("omobility_id", "nope"),
    ]
    response = call(client, partner_key, method, IGET, params)

    root = schemas.validate("imobilities-get-response", response.content)
    assert served_ids(root, xml.IMOBILITIES_GET) == ["P-1"]
    assert root.findtext(f".//{{{xml.IMOBILITIES_GET}}}actual-arrival-date") == "2026-09-03"
    assert_error(
        call(client, partner_key, method, IGET, [("omobility_id", "P-1")]), schemas, 400, "receiving_hei_id"
    )
    assert_error(
        call(client, partner_key, method, IGET, [("receiving_hei_id", PARTNER_HEI), ("omobility_id", "P-1")]),
        schemas,
        400,
        "does not cover",
    )
    too_many = [("receiving_hei_id", HOME)] + [
        ("omobility_id", str(i)) for i in range(LIMITS.mobility_ids + 1)
    ]
    assert_error(call(client, partner_key, method, IGET, too_many), schemas, 400, "at most")


def test_participant_details_are_recorded_by_the_students_institution_only(node):
    with pytest.raises(DomainError):
        services.participant_details_save(
            actor=node.partner,
            participant=node.student,
            birth_date=date(2004, 1, 1),
            nationality="ES",
            gender=1,
            global_id="x",
        )
    with pytest.raises(DomainError) as refused:
        services.participant_details_save(
            actor=node.coordinator,
            participant=node.student,
            birth_date=date(2004, 1, 1),
            nationality="XX",
            gender=5,
            global_id="",
        )
    assert set(refused.value.errors) >= {"nationality", "gender", "global_id"}


def _received(**overrides) -> EwpStudentMobility:
    values = {
        "omobility_id": "P-7",
        "given_names": "Ana",
        "family_name": "Ruiz",
        "global_id": "urn:schac:personalUniqueCode:int:esi:partner.example.edu:7",
        "birth_date": date(2003, 2, 1),
        "nationality": "ES",
        "gender": 2,
        "email": "ana.ruiz@partner.example.edu",
        "sending_hei_id": PARTNER_HEI,
        "receiving_hei_id": "home.example.edu",
        "receiving_academic_year": "2026/2027",
        "activity_attributes": "long-term",
        "agreement_isced": "0533",
        "eqf_level": 7,
        "nominee_isced": "0533",
        "status": "nomination",
    }
    return EwpStudentMobility(**(values | overrides))


def test_a_partner_node_cannot_take_over_an_account_that_signs_in_here(node):
    """A sending node names the student by e-mail and ESI; an account with a password here is never
    matched (nor renamed), only accounts created for incoming students are found again."""
    local = make_user("local", email="ana.ruiz@partner.example.edu", first_name="Local", last_name="Person")

    created = incoming_student(_received())

    assert created.pk != local.pk and not created.has_usable_password()
    assert created.email.endswith("@accord.invalid")
    local.refresh_from_db()
    assert (local.first_name, local.last_name) == ("Local", "Person")
    assert incoming_student(_received(given_names="Ana María")).pk == created.pk
    created.refresh_from_db()
    assert created.first_name == "Ana María"


def test_the_mobility_page_says_why_the_sending_node_did_not_take_the_decision(client, node, copy):
    client.force_login(node.coordinator)

    response = client.post(
        reverse("mobilities:transition", args=[copy.pk]), {"status": MobilityStatus.ACCEPTED}, follow=True
    )

    assert response.status_code == 200
    assert any("never fetched" in str(message) for message in response.context["messages"])
    copy.refresh_from_db()
    assert copy.status == MobilityStatus.NOMINATED


def test_mail_about_a_copy_goes_to_the_receiving_staff_only(node, copy):
    """The student hears from their own institution, and the sending node's system account has an
    undeliverable address."""
    partner_node_user(node.partner_org)

    addresses = notifications.recipients(
        copy, [notifications.SENDING, notifications.STUDENT, notifications.RECEIVING], with_delegates=False
    )

    assert node.coordinator.email in addresses
    assert copy.participant.email not in addresses
    assert not any(address.endswith(".invalid") for address in addresses)
