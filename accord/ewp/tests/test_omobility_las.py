"""Outgoing Mobility Learning Agreements v1 (get, index, stats, update) and the OMobility LA CNR v1
receiver, and the CNRs the learning-agreement services owe the receiving institution.

Every document, errors included, is validated against its official XSD.
"""

from datetime import date

import pytest
from django.utils import timezone

from accord.accounts.choices import Role
from accord.agreements import services as agreements
from accord.algorithms.tests.ewp.shared import load_schema
from accord.ewp import tasks
from accord.ewp.models import NotificationKind, OutgoingNotification, ServedInstitution
from accord.ewp.node import xml
from accord.ewp.serve.omobility_las import proposal_id
from accord.ewp.serve.params import LIMITS
from accord.ewp.tests.conftest import PARTNER_HEI, CatalogueHost, call
from accord.mobilities import services
from accord.mobilities.choices import MobilityStatus, VersionStatus
from accord.testing.factories import agreement_document, make_agreement, make_contact, make_partnership

GET, INDEX, STATS = "/ewp/omobilities/las/get", "/ewp/omobilities/las/index", "/ewp/omobilities/las/stats"
UPDATE, CNR = "/ewp/omobilities/las/update", "/ewp/omobilities/las/cnr"
HOME = "home.example.edu"
METHODS = ["GET", "POST"]
LA = f"{{{xml.OMOBILITY_LAS_GET}}}la"
SCHEMA_FILES = {
    "get": "ewp-specs-api-omobility-las/endpoints/get-response.xsd",
    "index": "ewp-specs-api-omobility-las/endpoints/index-response.xsd",
    "stats": "ewp-specs-api-omobility-las/endpoints/stats-response.xsd",
    "update-request": "ewp-specs-api-omobility-las/endpoints/update-request.xsd",
    "update": "ewp-specs-api-omobility-las/endpoints/update-response.xsd",
    "cnr": "ewp-specs-api-omobility-la-cnr/response.xsd",
}
COMPONENTS = [
    {
        "ref": "a",
        "section": "studied",
        "title": "Bases de datos",
        "code": "BD1",
        "credits": "6",
        "term": "1/2",
    },
    {"ref": "b", "section": "studied", "title": "Redes", "code": "RD2", "credits": "24", "term": "1/2"},
    {"ref": "r", "section": "recognised", "title": "Databases and networks", "credits": "30", "term": "1/2"},
]


@pytest.fixture(scope="session")
def omla(schemas):
    """The OMLA schemas, loaded once (``schemas`` skips the tests without the shared folder)."""
    loaded = {}

    def validate(name: str, document: bytes):
        if name not in loaded:
            loaded[name] = load_schema(schemas._dir, SCHEMA_FILES[name])
        from lxml import etree

        root = etree.fromstring(document)
        loaded[name].validate(root)
        return root

    return validate


@pytest.fixture
def node(personas, ewp_settings, write_catalogue, partner_key):
    """Home is served; the registry lists the partner's host (partner.example.edu) with its key."""
    ServedInstitution.objects.create(organisation=personas.home)
    write_catalogue(CatalogueHost((PARTNER_HEI,), client_keys=(partner_key,)))
    personas.student.first_name, personas.student.last_name = "Maria", "Nowak"
    personas.student.save()
    for user, (given, family) in (
        (personas.coordinator, ("Jan", "Kowalski")),
        (personas.partner, ("Ana", "Ruiz")),
    ):
        user.first_name, user.last_name = given, family
        user.save()
    make_contact(
        personas.partner_org, given_name="Ines", family_name="Garcia", email="ines@partner.example.edu"
    )
    return personas


@pytest.fixture
def mobility(node):
    partnership = make_partnership(node.home, node.partner_org)
    agreement = make_agreement(node.coordinator, partnership, agreement_document(node.home, node.partner_org))
    version = agreement.current_version
    agreements.agreement_share(actor=node.coordinator, agreement=agreement, version_number=version.number)
    agreements.agreement_approve(
        actor=node.partner,
        agreement=agreement,
        version_number=version.number,
        conditions_hash=version.conditions_hash,
    )
    mobility = services.mobility_create(
        actor=node.coordinator,
        participant=node.student,
        mobility_type="long_term_physical",
        sending_organisation=node.home,
        receiving_organisation=node.partner_org,
        academic_year="2026/2027",
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 1, 31),
        agreement=agreement,
        condition_key="c1",
        eqf_level=6,
        isced_code="0613",
        language="es",
        cefr_level="B2",
    )
    services.mobility_transition(actor=node.partner, mobility=mobility, to_status=MobilityStatus.ACCEPTED)
    return mobility


def propose(personas, mobility, components=COMPONENTS, *, sign=("student", "coordinator"), **extra):
    version = services.la_propose(actor=personas.student, mobility=mobility, components=components, **extra)
    for name in sign:
        services.la_sign(
            actor=getattr(personas, name),
            mobility=mobility,
            version_number=version.number,
            components_hash=version.components_hash,
        )
    return version


def ids(root, namespace=xml.OMOBILITY_LAS_INDEX) -> list[str]:
    return [element.text for element in root.iterfind(f"{{{namespace}}}omobility-id")]


def assert_error(response, schemas, status: int, message: str) -> None:
    assert response.status_code == status, response.content
    root = schemas.validate("error", response.content)
    assert message in root.findtext(f"{{{xml.COMMON}}}developer-message")


def update_body(mobility, version, *, comment: str | None = None, sending=HOME, proposal=None) -> bytes:
    ns, la = xml.OMOBILITY_LAS_UPDATE_REQUEST, xml.OMOBILITY_LAS_GET
    kind = "comment-proposal-v1" if comment is not None else "approve-proposal-v1"
    comment_xml = f"<comment>{comment}</comment>" if comment is not None else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<omobility-las-update-request xmlns="{ns}" xmlns:la="{la}">
  <sending-hei-id>{sending}</sending-hei-id>
  <{kind}>
    <omobility-id>{mobility.pk}</omobility-id>
    <changes-proposal-id>{proposal or proposal_id(version)}</changes-proposal-id>
    {comment_xml}
    <signature>
      <la:signer-name>Ines Garcia</la:signer-name>
      <la:signer-position>Erasmus coordinator</la:signer-position>
      <la:signer-email>ines@partner.example.edu</la:signer-email>
      <la:timestamp>2026-07-01T10:00:00+02:00</la:timestamp>
      <la:signer-app>Partner SIS</la:signer-app>
    </signature>
  </{kind}>
</omobility-las-update-request>""".encode()


def post_xml(client, key, path: str, body: bytes):
    from accord.ewp.tests.conftest import signed_headers

    return client.generic(
        "POST", path, body, content_type="text/xml", headers=signed_headers(key, "POST", path, body)
    )


# --- get ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_get_serves_a_proposal_signed_by_the_student_and_the_sender(
    client, schemas, omla, mobility, node, partner_key, method
):
    version = propose(node, mobility)

    response = call(
        client,
        partner_key,
        method,
        GET,
        [("sending_hei_id", HOME), ("omobility_id", str(mobility.pk)), ("omobility_id", "999999")],
    )

    assert response.status_code == 200
    (la,) = omla("get", response.content).iterfind(LA)
    proposal = la.find(f"{{{xml.OMOBILITY_LAS_GET}}}changes-proposal")
    assert proposal.get("id") == proposal_id(version)
    assert la.find(f"{{{xml.OMOBILITY_LAS_GET}}}first-version") is None
    receiving = la.find(f"{{{xml.OMOBILITY_LAS_GET}}}receiving-hei")
    assert receiving.findtext(f".//{{{xml.OMOBILITY_LAS_GET}}}email") == "ines@partner.example.edu"


def test_get_serves_the_first_version_and_approved_changes_once_approved(
    client, omla, mobility, node, partner_key
):
    propose(node, mobility, sign=("student", "coordinator", "partner"))
    changed = [*COMPONENTS[:1], {**COMPONENTS[1], "ref": "c", "title": "Compiladores"}, COMPONENTS[2]]
    reasons = [
        {"ref": "b", "reason_code": "not-available"},
        {"ref": "c", "reason_code": "substituting-deleted"},
    ]
    propose(node, mobility, changed, reasons=reasons, sign=("student", "coordinator", "partner"))

    response = call(
        client, partner_key, "GET", GET, [("sending_hei_id", HOME), ("omobility_id", str(mobility.pk))]
    )

    (la,) = omla("get", response.content).iterfind(LA)
    assert la.find(f"{{{xml.OMOBILITY_LAS_GET}}}first-version") is not None
    statuses = [
        c.get("status") for c in la.iterfind(f"{{{xml.OMOBILITY_LAS_GET}}}approved-changes//*[@status]")
    ]
    assert sorted(statuses) == ["deleted", "inserted"]


def test_get_hides_unsigned_proposals_and_other_receivers(
    client, omla, mobility, node, partner_key, write_catalogue
):
    propose(node, mobility, sign=("student",))
    response = call(
        client, partner_key, "GET", GET, [("sending_hei_id", HOME), ("omobility_id", str(mobility.pk))]
    )
    assert list(omla("get", response.content)) == []

    services.la_sign(
        actor=node.coordinator,
        mobility=mobility,
        version_number=1,
        components_hash=mobility.learning_agreement.current_version.components_hash,
    )
    write_catalogue(CatalogueHost(("outsider.example.edu",), client_keys=(partner_key,)))
    response = call(
        client, partner_key, "GET", GET, [("sending_hei_id", HOME), ("omobility_id", str(mobility.pk))]
    )
    assert list(omla("get", response.content)) == []


def test_get_and_index_refuse_bad_parameters(client, schemas, node, partner_key):
    assert_error(
        call(client, partner_key, "GET", GET, [("omobility_id", "1")]),
        schemas,
        400,
        "sending_hei_id is required",
    )
    assert_error(
        call(
            client, partner_key, "POST", GET, [("sending_hei_id", "other.example.edu"), ("omobility_id", "1")]
        ),
        schemas,
        400,
        "does not cover",
    )
    assert_error(
        call(client, partner_key, "GET", GET, [("sending_hei_id", HOME)]),
        schemas,
        400,
        "omobility_id is required",
    )
    too_many = [("sending_hei_id", HOME)] + [
        ("omobility_id", str(n)) for n in range(LIMITS.omobility_ids + 1)
    ]
    assert_error(
        call(client, partner_key, "POST", GET, too_many), schemas, 400, f"at most {LIMITS.omobility_ids}"
    )
    assert_error(
        call(
            client,
            partner_key,
            "GET",
            INDEX,
            [("sending_hei_id", HOME), ("receiving_academic_year_id", "2026")],
        ),
        schemas,
        400,
        "receiving_academic_year_id",
    )
    assert_error(
        call(client, partner_key, "GET", INDEX, [("sending_hei_id", HOME), ("modified_since", "yesterday")]),
        schemas,
        400,
        "modified_since",
    )
    assert_error(
        call(client, None, "GET", INDEX, [("sending_hei_id", HOME)]), schemas, 401, "requires HTTP Signature"
    )


# --- index and stats ----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_index_filters_by_receiver_year_and_modification(client, omla, mobility, node, partner_key, method):
    propose(node, mobility)
    base = [("sending_hei_id", HOME)]

    def index(*extra):
        return ids(omla("index", call(client, partner_key, method, INDEX, base + list(extra)).content))

    assert index() == [str(mobility.pk)]
    assert index(("receiving_hei_id", PARTNER_HEI), ("receiving_hei_id", "unknown.example.edu")) == [
        str(mobility.pk)
    ]
    assert index(("receiving_hei_id", "unknown.example.edu")) == []
    assert index(("receiving_academic_year_id", "2026/2027")) == [str(mobility.pk)]
    assert index(("receiving_academic_year_id", "2027/2028")) == []
    future = (timezone.now() + timezone.timedelta(hours=1)).isoformat()
    assert index(("modified_since", future)) == []
    assert index(("modified_since", "2020-01-01T00:00:00Z")) == [str(mobility.pk)]


def test_stats_count_per_academic_year(client, omla, mobility, node, partner_key):
    propose(node, mobility)

    root = omla("stats", call(client, partner_key, "GET", STATS).content)

    ns = xml.OMOBILITY_LAS_STATS
    (year,) = root.iterfind(f"{{{ns}}}academic-year-la-stats")
    assert year.findtext(f"{{{ns}}}receiving-academic-year-id") == "2026/2027"
    assert year.findtext(f"{{{ns}}}la-outgoing-total") == "1"
    assert year.findtext(f"{{{ns}}}la-outgoing-latest-version-awaiting") == "1"


# --- update -------------------------------------------------------------------------------------------


def test_update_approval_signs_as_the_receiving_institution(client, omla, mobility, node, partner_key):
    version = propose(node, mobility)
    body = update_body(mobility, version)
    omla("update-request", body)

    response = post_xml(client, partner_key, UPDATE, body)

    assert response.status_code == 200, response.content
    omla("update", response.content)
    version.refresh_from_db()
    mobility.refresh_from_db()
    assert version.status == VersionStatus.APPROVED
    assert mobility.status == MobilityStatus.LA_APPROVED
    signature = version.signatures.get(role="receiving")
    assert signature.signer.username == f"ewp:{PARTNER_HEI}"
    assert signature.signer.has_usable_password() is False
    assert signature.signer.memberships.get().role == Role.COORDINATOR
    assert "Ines Garcia" in signature.signer_position


def test_update_comment_returns_the_proposal(client, omla, mobility, node, partner_key):
    version = propose(node, mobility)
    body = update_body(mobility, version, comment="Redes is not offered in autumn.")
    omla("update-request", body)

    response = post_xml(client, partner_key, UPDATE, body)

    assert response.status_code == 200, response.content
    version.refresh_from_db()
    assert version.status == VersionStatus.COMMENTED
    assert "Redes is not offered" in version.comments.get().text


def test_update_refuses_stale_proposals_strangers_and_bad_bodies(
    client, schemas, mobility, node, partner_key
):
    version = propose(node, mobility)
    stale = update_body(mobility, version, proposal=f"{version.number}-{'0' * 64}")
    assert_error(post_xml(client, partner_key, UPDATE, stale), schemas, 409, "not up to date")
    assert_error(
        post_xml(client, partner_key, UPDATE, b"<nope/>"), schemas, 400, "omobility-las-update-request"
    )
    assert_error(post_xml(client, partner_key, UPDATE, b"not xml"), schemas, 400, "well-formed")
    assert_error(
        post_xml(client, partner_key, UPDATE, update_body(mobility, version, sending="other.example.edu")),
        schemas,
        400,
        "does not cover",
    )
    assert_error(call(client, partner_key, "GET", UPDATE), schemas, 405, "POST")
    version.refresh_from_db()
    assert version.status == VersionStatus.PROPOSED


def test_update_by_a_node_that_does_not_cover_the_receiver_is_refused(
    client, schemas, mobility, node, partner_key, write_catalogue
):
    version = propose(node, mobility)
    write_catalogue(CatalogueHost(("outsider.example.edu",), client_keys=(partner_key,)))

    response = post_xml(client, partner_key, UPDATE, update_body(mobility, version))

    assert_error(response, schemas, 400, "no learning agreement")


# --- CNRs ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_cnr_receiver_queues_a_refresh(client, omla, schemas, node, partner_key, monkeypatch, method):
    queued = []
    monkeypatch.setattr(tasks.ewp_refresh_omobility_las, "delay", lambda *args: queued.append(args))

    response = call(
        client, partner_key, method, CNR, [("sending_hei_id", PARTNER_HEI), ("omobility_id", "7")]
    )

    assert response.status_code == 200
    omla("cnr", response.content)
    assert_error(
        call(
            client, partner_key, method, CNR, [("sending_hei_id", "other.example.edu"), ("omobility_id", "7")]
        ),
        schemas,
        403,
        "does not cover",
    )
    assert_error(
        call(client, partner_key, method, CNR, [("sending_hei_id", PARTNER_HEI)]),
        schemas,
        400,
        "omobility_id",
    )


def test_proposals_and_signatures_owe_the_receiver_one_cnr(
    mobility, node, django_capture_on_commit_callbacks
):
    propose(node, mobility)

    (notification,) = OutgoingNotification.objects.filter(kind=NotificationKind.OMOBILITY_LA)
    assert (notification.sender_hei_id, notification.partner_hei_id) == (HOME, PARTNER_HEI)
    assert notification.iia_id == str(mobility.pk)
