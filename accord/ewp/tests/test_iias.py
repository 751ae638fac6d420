"""The served IIA APIs: IIAs v7 get/index/stats, IIAs Approval v2, IIA CNR v3, IIA Approval CNR v2.

Every document, errors included, is validated against its official XSD.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accord.agreements import services
from accord.agreements.choices import PartnerCopySource
from accord.agreements.models import PartnerCopy
from accord.algorithms.ewp.iia_hash import hash_iia
from accord.core.errors import Conflict, PermissionDenied
from accord.ewp.models import ServedInstitution
from accord.ewp.node import xml
from accord.ewp.serve.params import LIMITS
from accord.ewp.tests.conftest import PARTNER_HEI, CatalogueHost, call
from accord.testing.factories import agreement_document, make_partnership

METHODS = ["GET", "POST"]
GET, INDEX, STATS = "/ewp/iias/get", "/ewp/iias/index", "/ewp/iias/stats"
APPROVAL, CNR, APPROVAL_CNR = "/ewp/iias/approval", "/ewp/iias/cnr", "/ewp/iias/approval-cnr"
IIA = f"{{{xml.IIAS_GET}}}iia"


@pytest.fixture
def node(personas, ewp_settings, write_catalogue, partner_key):
    """Home is served; the registry lists the partner's host (partner.example.edu) with its key."""
    ServedInstitution.objects.create(organisation=personas.home)
    write_catalogue(CatalogueHost((PARTNER_HEI,), client_keys=(partner_key,)))
    return personas


def shared_agreement(personas, **condition):
    partnership = make_partnership(personas.home, personas.partner_org)
    agreement = services.agreement_create(
        actor=personas.coordinator,
        partnership=partnership,
        title="Physics",
        content=agreement_document(personas.home, personas.partner_org, **condition),
    )
    services.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=1)
    return agreement


def iia_ids(root, namespace=xml.IIAS_INDEX) -> list[str]:
    return [element.text for element in root.iterfind(f"{{{namespace}}}iia-id")]


def assert_error(response, schemas, status: int, message: str) -> None:
    assert response.status_code == status, response.content
    root = schemas.validate("error", response.content)
    assert message in root.findtext(f"{{{xml.COMMON}}}developer-message")


# --- get ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_get_serves_the_shared_agreement_with_a_hash_anyone_can_recompute(
    client, schemas, node, partner_key, method
):
    agreement = shared_agreement(node)

    response = call(client, partner_key, method, GET, [("iia_id", str(agreement.pk)), ("iia_id", "999999")])

    assert response.status_code == 200
    (iia,) = schemas.validate("iias-get", response.content).iterfind(IIA)
    partners = iia.findall(f"{{{xml.IIAS_GET}}}partner")
    assert [p.findtext(f"{{{xml.IIAS_GET}}}hei-id") for p in partners] == ["home.example.edu", PARTNER_HEI]
    assert partners[0].findtext(f"{{{xml.IIAS_GET}}}iia-id") == str(agreement.pk)
    assert iia.findtext(f"{{{xml.IIAS_GET}}}iia-hash") == hash_iia(iia).hash
    assert iia.findtext(f"{{{xml.IIAS_GET}}}in-effect") == "false"


def test_get_ignores_unknown_and_malformed_ids_with_an_empty_envelope(client, schemas, node, partner_key):
    response = call(client, partner_key, "GET", GET, [("iia_id", "nope"), ("iia_id", "12345")])

    assert response.status_code == 200
    assert list(schemas.validate("iias-get", response.content)) == []


def test_get_hides_drafts_and_shows_the_last_shared_version(client, schemas, node, partner_key):
    draft = services.agreement_create(
        actor=node.coordinator,
        partnership=make_partnership(node.home, node.partner_org),
        title="Draft",
        content=agreement_document(node.home, node.partner_org),
    )
    agreement = shared_agreement(node, mobilities_per_year=2)
    document = agreement_document(node.home, node.partner_org, mobilities_per_year=9)
    services.agreement_update(actor=node.coordinator, agreement=agreement, content=document, base_version=1)

    response = call(
        client, partner_key, "POST", GET, [("iia_id", str(draft.pk)), ("iia_id", str(agreement.pk))]
    )

    (iia,) = schemas.validate("iias-get", response.content).iterfind(IIA)
    assert iia.findtext(f".//{{{xml.IIAS_GET}}}mobilities-per-year") == "2"


def test_get_publishes_the_partners_ids_with_a_number_of_queries_independent_of_the_agreements(
    client, schemas, node, partner_key
):
    agreements = [shared_agreement(node) for _ in range(3)]
    partner_copy(agreements[1], node, remote_id="their-7&<co>")
    ids = [("iia_id", str(agreement.pk)) for agreement in agreements]

    with CaptureQueriesContext(connection) as one:
        call(client, partner_key, "POST", GET, ids[:1])
    with CaptureQueriesContext(connection) as three:
        response = call(client, partner_key, "POST", GET, ids)

    assert len(three.captured_queries) == len(one.captured_queries)
    iias = list(schemas.validate("iias-get", response.content).iterfind(IIA))
    partner_ids = [iia.findtext(f"{{{xml.IIAS_GET}}}partner[2]/{{{xml.IIAS_GET}}}iia-id") for iia in iias]
    assert partner_ids == [None, "their-7&<co>", None]
    assert [iia.findtext(f"{{{xml.IIAS_GET}}}iia-hash") for iia in iias] == [
        hash_iia(iia).hash for iia in iias
    ]
    assert "_iia-id_2=their-7&<co>_" in hash_iia(iias[1]).text_to_hash


def test_get_shows_nothing_to_a_client_that_is_not_the_partner(
    client, schemas, node, write_catalogue, partner_key
):
    agreement = shared_agreement(node)
    write_catalogue(CatalogueHost(("outsider.example.edu",), client_keys=(partner_key,)))

    response = call(client, partner_key, "GET", GET, [("iia_id", str(agreement.pk))])

    assert list(schemas.validate("iias-get", response.content)) == []


def test_get_refuses_missing_ids_too_many_ids_and_hei_ids_not_served(client, schemas, node, partner_key):
    assert_error(call(client, partner_key, "GET", GET), schemas, 400, "iia_id is required")
    too_many = [("iia_id", str(number)) for number in range(LIMITS.iia_ids + 1)]
    assert_error(call(client, partner_key, "POST", GET, too_many), schemas, 400, f"at most {LIMITS.iia_ids}")
    assert_error(
        call(client, partner_key, "GET", GET, [("hei_id", "other.example.edu"), ("iia_id", "1")]),
        schemas,
        400,
        "does not cover the HEI",
    )
    assert_error(call(client, None, "GET", GET, [("iia_id", "1")]), schemas, 401, "HTTP Signature")


# --- index and stats -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_index_filters_by_academic_year_and_modification_time(client, schemas, node, partner_key, method):
    early = shared_agreement(node, first_academic_year="2024/2025", last_academic_year="2025/2026")
    late = shared_agreement(node, first_academic_year="2027/2028", last_academic_year="2028/2029")

    def index(*params):
        response = call(client, partner_key, method, INDEX, list(params))
        assert response.status_code == 200, response.content
        return iia_ids(schemas.validate("iias-index", response.content))

    assert index() == [str(early.pk), str(late.pk)]
    assert index(("receiving_academic_year_id", "2025/2026")) == [str(early.pk)]
    assert index(("receiving_academic_year_id", "2026/2027")) == []
    assert index(
        ("receiving_academic_year_id", "2026/2027"), ("receiving_academic_year_id", "2028/2029")
    ) == [str(late.pk)]
    future = (timezone.now() + timezone.timedelta(hours=1)).isoformat()
    assert index(("modified_since", future)) == []
    since = timezone.now().isoformat()
    services.agreement_terminate(actor=node.coordinator, agreement=late, reason="No students")
    # Terminated before both approved: deleted from the network, so listed by no index at all.
    assert index(("modified_since", since)) == []
    assert index() == [str(early.pk)]


def test_index_refuses_malformed_filters(client, schemas, node, partner_key):
    bad_year = call(client, partner_key, "GET", INDEX, [("receiving_academic_year_id", "2026-2027")])
    assert_error(bad_year, schemas, 400, "receiving_academic_year_id")
    bad_date = call(client, partner_key, "GET", INDEX, [("modified_since", "yesterday")])
    assert_error(bad_date, schemas, 400, "modified_since")


def test_stats_count_what_each_side_approved(client, schemas, node, partner_key):
    shared_agreement(node)
    approved_by_partner = shared_agreement(node)
    services.agreement_approve(
        actor=node.partner,
        agreement=approved_by_partner,
        version_number=1,
        conditions_hash=approved_by_partner.current_version.conditions_hash,
    )

    response = call(client, partner_key, "GET", STATS)

    root = schemas.validate("iias-stats", response.content)
    assert {element.tag.split("}")[1]: element.text for element in root} == {
        "iia-fetchable": "2",
        "iia-local-unapproved-partner-approved": "1",
        "iia-local-approved-partner-unapproved": "0",
        "iia-both-approved": "0",
    }


# --- approvals ---------------------------------------------------------------------------------------------


def partner_copy(agreement, personas, *, remote_id="their-1", remote_hash="a" * 64) -> PartnerCopy:
    return services.partner_copy_record(
        actor=None,
        agreement=agreement,
        organisation=personas.partner_org,
        content=agreement.current_version.content,
        source=PartnerCopySource.EWP,
        remote_id=remote_id,
        remote_hash=remote_hash,
    )


@pytest.mark.parametrize("method", METHODS)
def test_approval_serves_the_partners_hash_we_approved(client, schemas, node, partner_key, method):
    agreement = shared_agreement(node)
    copy = partner_copy(agreement, node)
    unapproved = partner_copy(shared_agreement(node), node, remote_id="their-2")
    services.partner_copy_approve(actor=node.coordinator, copy=copy, remote_hash="A" * 64)

    response = call(
        client,
        partner_key,
        method,
        APPROVAL,
        [("iia_id", "their-1"), ("iia_id", unapproved.remote_id), ("iia_id", "unknown")],
    )

    root = schemas.validate("iias-approval", response.content)
    approvals = root.findall(f"{{{xml.IIAS_APPROVAL}}}approval")
    assert [
        (a.findtext(f"{{{xml.IIAS_APPROVAL}}}iia-id"), a.findtext(f"{{{xml.IIAS_APPROVAL}}}iia-hash"))
        for a in approvals
    ] == [("their-1", "a" * 64)]


def test_approval_answers_only_the_owner_of_the_copy(client, schemas, node, write_catalogue, partner_key):
    copy = partner_copy(shared_agreement(node), node)
    services.partner_copy_approve(actor=node.coordinator, copy=copy, remote_hash=copy.remote_hash)
    write_catalogue(CatalogueHost(("outsider.example.edu",), client_keys=(partner_key,)))

    response = call(client, partner_key, "GET", APPROVAL, [("iia_id", "their-1")])

    assert list(schemas.validate("iias-approval", response.content)) == []
    assert_error(call(client, partner_key, "GET", APPROVAL), schemas, 400, "iia_id is required")


# --- change notification receivers -------------------------------------------------------------------------


# The parameters each receiver requires besides iia_id, as the CNR specifications name them.
CNR_PARAMETERS = {
    CNR: [("notifier_hei_id", "partner.example.edu")],
    APPROVAL_CNR: [("approving_hei_id", "partner.example.edu"), ("owner_hei_id", "home.example.edu")],
}


@pytest.mark.parametrize("path,schema", [(CNR, "iia-cnr"), (APPROVAL_CNR, "iia-approval-cnr")])
def test_notifications_are_accepted_even_when_the_fetch_cannot_happen_yet(
    client, schemas, node, partner_key, path, schema, caplog, django_capture_on_commit_callbacks
):
    agreement = shared_agreement(node)

    # The registry lists no IIA APIs for the partner: the fetch fails and is logged (the periodic pull
    # catches up), and the notification is still accepted.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = call(
            client, partner_key, "POST", path, [*CNR_PARAMETERS[path], ("iia_id", str(agreement.pk))]
        )

    assert response.status_code == 200
    assert list(schemas.validate(schema, response.content)) == []
    assert len(callbacks) == 1
    assert "the registry lists no iias" in caplog.text


def test_a_notifier_must_be_covered_by_the_signing_key(client, schemas, node, partner_key):
    response = call(
        client, partner_key, "POST", CNR, [("notifier_hei_id", "home.example.edu"), ("iia_id", "1")]
    )
    assert_error(response, schemas, 403, "does not cover")
    assert_error(
        call(client, partner_key, "POST", CNR, [("notifier_hei_id", "partner.example.edu")]),
        schemas,
        400,
        "iia_id is required",
    )


@pytest.mark.parametrize("path", [CNR, APPROVAL_CNR])
def test_notifications_without_their_required_parameters_are_refused(
    client, schemas, node, partner_key, path
):
    for missing in range(len(CNR_PARAMETERS[path])):
        parameters = [p for i, p in enumerate(CNR_PARAMETERS[path]) if i != missing] + [("iia_id", "1")]
        name = CNR_PARAMETERS[path][missing][0]
        assert_error(call(client, partner_key, "POST", path, parameters), schemas, 400, f"{name} is required")


def test_only_a_mapped_verified_current_copy_can_be_approved(node):
    agreement = shared_agreement(node)
    unmapped = partner_copy(agreement, node, remote_id="")
    with pytest.raises(Conflict, match="agreement id"):
        services.partner_copy_approve(actor=node.coordinator, copy=unmapped, remote_hash="a" * 64)
    unverified = partner_copy(agreement, node, remote_hash="")
    with pytest.raises(Conflict, match="no hash"):
        services.partner_copy_approve(actor=node.coordinator, copy=unverified, remote_hash="")
    copy = partner_copy(agreement, node, remote_hash="b" * 64)
    with pytest.raises(Conflict, match="changed"):
        services.partner_copy_approve(actor=node.coordinator, copy=copy, remote_hash="a" * 64)
    with pytest.raises(PermissionDenied):
        services.partner_copy_approve(actor=node.partner, copy=copy, remote_hash="b" * 64)
    services.partner_copy_approve(actor=node.coordinator, copy=copy, remote_hash="b" * 64)
    with pytest.raises(Conflict, match="already approved"):
        services.partner_copy_approve(actor=node.coordinator, copy=copy, remote_hash="b" * 64)
