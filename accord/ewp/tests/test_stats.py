"""The statistics endpoints: Outgoing Mobility Stats v1, Incoming Mobility ToR Stats v1 and the OMobility LA
CNR v1.1 ``stats`` (incoming learning agreements), with their manifest entries.

The mix below is what a node serving home holds: home's own outgoing mobilities in every status (some of
kinds Outgoing Mobilities v3 cannot describe), mobilities of an institution the node does not serve,
copies of the partner's mobilities with learning agreements in every state, and transcripts issued by
home and by the partner. Every document is validated against its official XSD.
"""

from datetime import date
from itertools import count

import pytest
from django.utils import timezone

from accord.ewp.models import RemoteMobility, ServedInstitution
from accord.ewp.node import xml
from accord.ewp.tests.conftest import BASE_URL, PARTNER_HEI, CatalogueHost, call
from accord.mobilities.choices import AgreementKind, MobilitySource, MobilityStatus, VersionStatus
from accord.mobilities.models import (
    AgreementVersion,
    GradingScale,
    LearningAgreement,
    Mobility,
    Transcript,
)
from accord.testing.factories import make_user

OMOBILITY_STATS = "/ewp/omobilities/stats"
TOR_STATS = "/ewp/imobilities/tors/stats"
LA_INCOMING_STATS = "/ewp/omobilities/las/incoming-stats"
METHODS = ["GET", "POST"]
_numbers = count(1)


@pytest.fixture
def node(personas, ewp_settings, write_catalogue, partner_key):
    """Home is served; the registry lists the partner's host (partner.example.edu) with its key."""
    ServedInstitution.objects.create(organisation=personas.home)
    write_catalogue(CatalogueHost((PARTNER_HEI,), client_keys=(partner_key,)))
    return personas


def mobility(sending, receiving, year, status, *, source=MobilitySource.MANUAL, kind="long_term_physical"):
    first = int(year[:4])
    created = Mobility.objects.create(
        participant=make_user(f"participant{next(_numbers)}"),
        mobility_type=kind,
        sending_organisation=sending,
        receiving_organisation=receiving,
        academic_year=year,
        planned_start=date(first, 9, 1),
        planned_end=date(first + 1, 1, 31),
        status=status,
        source=source,
    )
    if source == MobilitySource.EWP:
        RemoteMobility.objects.create(
            mobility=created,
            sending_hei_id=sending.schac_code,
            omobility_id=f"remote-{created.pk}",
            fetched_at=timezone.now(),
        )
    return created


def learning_agreement(mobility, *statuses):
    """Versions 1, 2 … in ``statuses``; the last is the current one, the first approved is recorded."""
    agreement = LearningAgreement.objects.create(mobility=mobility, kind=AgreementKind.LEARNING)
    versions = [
        AgreementVersion.objects.create(
            learning_agreement=agreement,
            number=number,
            components=[],
            components_hash=f"{number:064x}",
            status=status,
        )
        for number, status in enumerate(statuses, start=1)
    ]
    approved = [version for version in versions if version.status == VersionStatus.APPROVED]
    agreement.current_version = versions[-1]
    agreement.first_approved_version = approved[0] if approved else None
    agreement.approved_version = approved[-1] if approved else None
    agreement.save()


def transcript(mobility):
    scale, _ = GradingScale.objects.get_or_create(
        organisation=mobility.receiving_organisation, name="Scale", defaults={"passing_grades": ["A", "B"]}
    )
    Transcript.objects.create(mobility=mobility, scale=scale, issued_on=date(2026, 2, 15))


@pytest.fixture
def mix(node):
    home, partner, outsider = node.home, node.partner_org, node.outsider_org
    S = MobilityStatus
    # Home's outgoing mobilities: pending, approved in three later statuses, cancelled; a staff and a
    # virtual mobility (no Outgoing Mobilities v3 form); and one whose transcript the partner issued.
    mobility(home, partner, "2026/2027", S.NOMINATED)
    mobility(home, partner, "2026/2027", S.ACCEPTED, source=MobilitySource.NOMINATION)
    learning_agreement(mobility(home, partner, "2026/2027", S.LA_APPROVED), VersionStatus.APPROVED)
    transcript(mobility(home, partner, "2025/2026", S.COMPLETED))
    mobility(home, partner, "2026/2027", S.CANCELLED)
    mobility(home, partner, "2026/2027", S.ACCEPTED, kind="staff_teaching")
    mobility(home, partner, "2026/2027", S.ACCEPTED, kind="virtual")
    # An institution this node does not serve.
    mobility(outsider, partner, "2026/2027", S.NOMINATED)
    # Copies of the partner's mobilities to home, with learning agreements in every state.
    copy = mobility(partner, home, "2026/2027", S.LA_APPROVED, source=MobilitySource.EWP)
    learning_agreement(copy, VersionStatus.APPROVED, VersionStatus.PROPOSED)
    copy = mobility(partner, home, "2026/2027", S.ACCEPTED, source=MobilitySource.EWP)
    learning_agreement(copy, VersionStatus.PROPOSED)
    copy = mobility(partner, home, "2026/2027", S.ACCEPTED, source=MobilitySource.EWP)
    learning_agreement(copy, VersionStatus.COMMENTED)
    copy = mobility(partner, home, "2025/2026", S.COMPLETED, source=MobilitySource.EWP)
    learning_agreement(copy, VersionStatus.APPROVED, VersionStatus.SUPERSEDED, VersionStatus.APPROVED)
    transcript(copy)
    mobility(partner, home, "2026/2027", S.NOMINATED, source=MobilitySource.EWP)  # no learning agreement yet
    transcript(mobility(partner, home, "2025/2026", S.RECOGNISED, source=MobilitySource.EWP))
    # An incoming mobility home recorded by hand (not a copy: its learning agreement is not an incoming
    # EWP one), with the transcript home issued.
    recorded = mobility(outsider, home, "2025/2026", S.COMPLETED)
    learning_agreement(recorded, VersionStatus.APPROVED)
    transcript(recorded)
    return node


def years(root, namespace: str, element: str) -> dict[str, dict[str, str]]:
    return {
        year.findtext(f"{{{namespace}}}receiving-academic-year-id"): {
            child.tag.split("}")[1]: child.text for child in year[1:]
        }
        for year in root.iterfind(f"{{{namespace}}}{element}")
    }


@pytest.mark.parametrize("method", METHODS)
def test_outgoing_mobility_stats_count_pending_and_approved_per_year(
    client, schemas, mix, partner_key, method
):
    response = call(client, partner_key, method, OMOBILITY_STATS)

    assert response.status_code == 200, response.content
    root = schemas.validate("omobility-stats", response.content)
    assert years(root, xml.OMOBILITY_STATS, "academic-year-stats") == {
        "2025/2026": {"omobility-pending": "0", "omobility-approved": "1"},
        "2026/2027": {"omobility-pending": "1", "omobility-approved": "2"},
    }


@pytest.mark.parametrize("method", METHODS)
def test_tor_stats_count_the_transcripts_served_institutions_issued(
    client, schemas, mix, partner_key, method
):
    response = call(client, partner_key, method, TOR_STATS)

    assert response.status_code == 200, response.content
    root = schemas.validate("imobility-tor-stats", response.content)
    assert years(root, xml.IMOBILITY_TOR_STATS, "academic-year-stats") == {
        "2025/2026": {"imobility-tor-total": "3"}
    }


@pytest.mark.parametrize("method", METHODS)
def test_incoming_la_stats_count_the_learning_agreements_of_copies(client, schemas, mix, partner_key, method):
    response = call(client, partner_key, method, LA_INCOMING_STATS)

    assert response.status_code == 200, response.content
    root = schemas.validate("las-incoming-stats", response.content)
    assert years(root, xml.OMOBILITY_LA_CNR_STATS, "academic-year-la-stats") == {
        "2025/2026": {
            "la-incoming-total": "1",
            "la-incoming-some-version-approved": "1",
            "la-incoming-latest-version-approved": "1",
            "la-incoming-latest-version-rejected": "0",
            "la-incoming-latest-version-awaiting": "0",
        },
        "2026/2027": {
            "la-incoming-total": "3",
            "la-incoming-some-version-approved": "1",
            "la-incoming-latest-version-approved": "0",
            "la-incoming-latest-version-rejected": "1",
            "la-incoming-latest-version-awaiting": "2",
        },
    }


@pytest.mark.parametrize("path", [OMOBILITY_STATS, TOR_STATS, LA_INCOMING_STATS])
def test_a_node_with_nothing_to_count_answers_an_empty_valid_document(
    client, schemas, node, partner_key, path
):
    name = {OMOBILITY_STATS: "omobility-stats", TOR_STATS: "imobility-tor-stats"}.get(
        path, "las-incoming-stats"
    )

    response = call(client, partner_key, "GET", path)

    assert response.status_code == 200
    assert len(schemas.validate(name, response.content)) == 0


@pytest.mark.parametrize("path", [OMOBILITY_STATS, TOR_STATS, LA_INCOMING_STATS])
def test_a_request_is_one_query_whatever_the_number_of_mobilities(
    client, mix, partner_key, path, django_assert_num_queries
):
    # Authentication reads the catalogue file, not the database; the counts are one GROUP BY query.
    with django_assert_num_queries(1):
        assert call(client, partner_key, "GET", path).status_code == 200


@pytest.mark.parametrize("path", [OMOBILITY_STATS, TOR_STATS, LA_INCOMING_STATS])
@pytest.mark.parametrize("method", METHODS)
def test_unsigned_requests_are_refused(client, schemas, node, path, method):
    response = call(client, None, method, path)

    assert response.status_code == 401
    schemas.validate("error", response.content)


def test_the_manifest_announces_the_statistics_endpoints(client, schemas, node):
    root = schemas.validate("manifest", client.get("/ewp/manifest/home.example.edu.xml").content)

    apis = root.find(f"{{{xml.MANIFEST}}}host/{{{xml.REGISTRY}}}apis-implemented")
    la_cnr = apis.find(f"{{{xml.OMOBILITY_LA_CNR_ENTRY}}}omobility-la-cnr")
    assert la_cnr.findtext(f"{{{xml.OMOBILITY_LA_CNR_ENTRY}}}stats-url") == f"{BASE_URL}{LA_INCOMING_STATS}"
    for namespace, name, path in (
        (xml.OMOBILITY_STATS_ENTRY, "omobility-stats", OMOBILITY_STATS),
        (xml.IMOBILITY_TOR_STATS_ENTRY, "imobility-tor-stats", TOR_STATS),
    ):
        entry = apis.find(f"{{{namespace}}}{name}")
        assert entry.get("version") == "1.0.0"
        assert entry.findtext(f"{{{namespace}}}url") == f"{BASE_URL}{path}"
