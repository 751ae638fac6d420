"""The status overview of the EWP page: per agreement and partner, approved by both, waiting for us,
waiting for them, copies differing; filters, CSV export and a fixed number of queries."""

import pytest
from django.urls import reverse

from accord.agreements import services
from accord.agreements.choices import PartnerCopySource
from accord.agreements.models import PartnerCopy
from accord.algorithms.agreements.content import conditions_hash, parse_content
from accord.ewp.models import ServedInstitution
from accord.testing.factories import agreement_document, make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def node(personas, ewp_settings):
    ServedInstitution.objects.create(organisation=personas.home)
    return personas


def _agreement(personas, title: str, *, places: int = 2, partner_approves=False, copy=None):
    document = agreement_document(personas.home, personas.partner_org, mobilities_per_year=places)
    agreement = services.agreement_create(
        actor=personas.coordinator,
        partnership=make_partnership(personas.home, personas.partner_org),
        title=title,
        content=document,
    )
    services.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=1)
    agreement.refresh_from_db()
    if partner_approves:
        services.agreement_approve(
            actor=personas.partner,
            agreement=agreement,
            version_number=1,
            conditions_hash=agreement.current_version.conditions_hash,
        )
    if copy is not None:
        theirs = agreement_document(personas.home, personas.partner_org, mobilities_per_year=copy["places"])
        PartnerCopy.objects.create(
            agreement=agreement,
            organisation=personas.partner_org,
            content=theirs,
            conditions_hash=conditions_hash(parse_content(theirs)),
            source=PartnerCopySource.EWP,
            remote_id=f"their-{title}",
            remote_hash="a" * 64,
            approved_hash="a" * 64 if copy.get("approved") else "",
        )
    return agreement


def test_each_agreement_shows_where_it_stands_and_filters_and_export_agree(client, node):
    _agreement(node, "Both", partner_approves=True, copy={"places": 2, "approved": True})
    _agreement(node, "Ours to approve", partner_approves=True, copy={"places": 2})
    _agreement(node, "Theirs to approve")
    _agreement(node, "Different", partner_approves=True, copy={"places": 7, "approved": True})
    services.agreement_create(
        actor=node.coordinator,
        partnership=make_partnership(node.home, node.partner_org),
        title="Draft never shared",
        content=agreement_document(node.home, node.partner_org),
    )
    client.force_login(node.admin)
    url = reverse("ewp:page-overview", args=[node.home.pk])

    page = client.get(url).content.decode()
    assert "Approved by both: 2 · Waiting for us: 1 · Waiting for them: 1 · Copies differ: 1" in page
    assert "Draft never shared" not in page

    waiting = client.get(url, {"state": "waiting_us"}).content.decode()
    assert "Ours to approve" in waiting and "Theirs to approve" not in waiting
    assert (
        "No shared agreement matches." in client.get(url, {"partner": "nobody.example.edu"}).content.decode()
    )

    exported = client.get(url, {"state": "different", "format": "csv"})
    lines = exported.content.decode().splitlines()
    assert lines[0] == "agreement_id,title,partner,partner_hei_id,both,waiting_us,waiting_them,different"
    assert len(lines) == 2 and ",Different,Partner University,partner.example.edu,yes,,,yes" in lines[1]


def test_the_overview_costs_the_same_queries_for_one_or_many_agreements(
    client, node, django_assert_max_num_queries
):
    client.force_login(node.admin)
    url = reverse("ewp:page-overview", args=[node.home.pk])
    _agreement(node, "One", copy={"places": 3})
    with django_assert_max_num_queries(14):
        client.get(url)
    for index in range(8):
        _agreement(node, f"More {index}", partner_approves=True, copy={"places": 2})
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.content.decode().count("<tr>") == 10  # the header and nine agreements


def test_only_admins_see_the_overview(client, node):
    client.force_login(node.coordinator)
    assert client.get(reverse("ewp:page-overview", args=[node.home.pk])).status_code == 403
