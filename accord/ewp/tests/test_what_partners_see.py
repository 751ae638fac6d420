"""What partners see is what the institution shared: never a draft.

Every way an agreement leaves the node (IIAs get and index, the IIA CNRs that invite a fetch, the
IIA file written by ``ewp_export_iias``) shows the newest *shared* version. Each case is one state of
the lifecycle: a draft never shared, an amendment drafted after the agreement came into effect, an
amendment shared and waiting for the partner, a renewal drafted, a termination after and before the
partner's approval. The peer-to-peer test does the same over the network
(``test_peer_to_peer.test_two_accord_nodes_agree_over_ewp``, its last step).
"""

import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from accord.agreements import services
from accord.algorithms.xml_safety import parse_untrusted_xml
from accord.ewp.models import NotificationKind, OutgoingNotification, ServedInstitution
from accord.ewp.node import xml
from accord.ewp.tests.conftest import PARTNER_HEI, CatalogueHost, call
from accord.testing.factories import agreement_document, make_partnership

GET, INDEX = "/ewp/iias/get", "/ewp/iias/index"
NS = f"{{{xml.IIAS_GET}}}"


@pytest.fixture
def node(personas, ewp_settings, write_catalogue, partner_key):
    ServedInstitution.objects.create(organisation=personas.home)
    write_catalogue(CatalogueHost((PARTNER_HEI,), client_keys=(partner_key,)))
    return personas


@dataclass
class Served:
    """What partners should see: nothing (None), or this many places a year, in effect or not."""

    places: int | None
    in_effect: bool = False
    terminated: bool = False


def _document(personas, places: int) -> dict:
    return agreement_document(personas.home, personas.partner_org, mobilities_per_year=places)


def _agreement(personas, places: int = 2):
    return services.agreement_create(
        actor=personas.coordinator,
        partnership=make_partnership(personas.home, personas.partner_org),
        title="Physics",
        content=_document(personas, places),
    )


def _share(personas, agreement) -> None:
    agreement.refresh_from_db()
    services.agreement_share(
        actor=personas.coordinator, agreement=agreement, version_number=agreement.current_version.number
    )


def _in_effect(personas, places: int = 2):
    agreement = _agreement(personas, places)
    _share(personas, agreement)
    agreement.refresh_from_db()
    services.agreement_approve(
        actor=personas.partner,
        agreement=agreement,
        version_number=1,
        conditions_hash=agreement.current_version.conditions_hash,
    )
    return agreement


def _amend(personas, agreement, places: int) -> None:
    agreement.refresh_from_db()
    services.agreement_update(
        actor=personas.coordinator,
        agreement=agreement,
        content=_document(personas, places),
        base_version=agreement.current_version.number,
    )


def draft_never_shared(personas):
    return _agreement(personas, 2), Served(None)


def amendment_drafted_after_coming_into_effect(personas):
    agreement = _in_effect(personas, 2)
    _amend(personas, agreement, 9)
    return agreement, Served(2, in_effect=True)


def second_amendment_drafted_after_the_first_was_shared(personas):
    # Version 2 in effect, version 3 a draft: the case the issue found in the exported file.
    agreement = _in_effect(personas, 2)
    _amend(personas, agreement, 5)
    _share(personas, agreement)
    agreement.refresh_from_db()
    services.agreement_approve(
        actor=personas.partner,
        agreement=agreement,
        version_number=2,
        conditions_hash=agreement.current_version.conditions_hash,
    )
    _amend(personas, agreement, 9)
    return agreement, Served(5, in_effect=True)


def amendment_shared_and_pending(personas):
    agreement = _in_effect(personas, 2)
    _amend(personas, agreement, 4)
    _share(personas, agreement)
    return agreement, Served(4, in_effect=False)


def renewal_drafted(personas):
    agreement = _in_effect(personas, 2)
    agreement.refresh_from_db()
    services.agreement_renew(
        actor=personas.coordinator,
        agreement=agreement,
        first_academic_year="2029/2030",
        last_academic_year="2031/2032",
        base_version=1,
    )
    return agreement, Served(2, in_effect=True)


def terminated_after_coming_into_effect(personas):
    agreement = _in_effect(personas, 3)
    _amend(personas, agreement, 8)  # a draft left behind when terminating
    agreement.refresh_from_db()
    services.agreement_terminate(actor=personas.coordinator, agreement=agreement, reason="Programme closed.")
    return agreement, Served(3, terminated=True)


def terminated_before_the_partner_approved(personas):
    agreement = _agreement(personas, 2)
    _share(personas, agreement)
    agreement.refresh_from_db()
    services.agreement_terminate(actor=personas.coordinator, agreement=agreement, reason="Not needed.")
    return agreement, Served(None)


CASES = [
    draft_never_shared,
    amendment_drafted_after_coming_into_effect,
    second_amendment_drafted_after_the_first_was_shared,
    amendment_shared_and_pending,
    renewal_drafted,
    terminated_after_coming_into_effect,
    terminated_before_the_partner_approved,
]


def _iias(document: bytes) -> list:
    return list(parse_untrusted_xml(document).iter(f"{NS}iia"))


def _assert_shows(iias: list, expected: Served) -> None:
    if expected.places is None:
        assert iias == []
        return
    (iia,) = iias
    assert iia.findtext(f".//{NS}mobilities-per-year") == str(expected.places)
    assert iia.findtext(f"{NS}in-effect") == ("true" if expected.in_effect else "false")
    terminated = iia.find(f"{NS}cooperation-conditions").get("terminated-as-a-whole")
    assert terminated == ("true" if expected.terminated else None)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
def test_the_api_serves_the_newest_shared_version(client, schemas, node, partner_key, case):
    agreement, expected = case(node)

    got = call(client, partner_key, "POST", GET, [("iia_id", str(agreement.pk))])
    index = call(client, partner_key, "GET", INDEX)

    _assert_shows(list(schemas.validate("iias-get", got.content).iterfind(f"{NS}iia")), expected)
    listed = [
        e.text for e in schemas.validate("iias-index", index.content).iterfind(f"{{{xml.IIAS_INDEX}}}iia-id")
    ]
    assert listed == ([] if expected.places is None else [str(agreement.pk)])


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
def test_the_exported_file_holds_the_newest_shared_version(node, schemas, case, tmp_path):
    _, expected = case(node)
    output = tmp_path / "iias.xml"

    call_command(
        "ewp_export_iias", "--hei", node.home.schac_code, "--output", str(output), stderr=io.StringIO()
    )

    document = output.read_bytes()
    schemas.validate("iias-get", document)
    _assert_shows(_iias(document), expected)


def test_drafts_owe_the_partner_no_notification_and_sharing_does(node):
    agreement = _in_effect(node, 2)
    OutgoingNotification.objects.all().delete()

    _amend(node, agreement, 9)
    agreement.refresh_from_db()
    services.agreement_renew(
        actor=node.coordinator,
        agreement=agreement,
        first_academic_year="2029/2030",
        last_academic_year="2031/2032",
        base_version=agreement.current_version.number,
    )
    assert not OutgoingNotification.objects.exists()

    _share(node, agreement)
    (notification,) = OutgoingNotification.objects.all()
    assert (notification.kind, notification.partner_hei_id) == (NotificationKind.IIA, PARTNER_HEI)


def test_a_draft_never_shared_and_then_terminated_owes_no_notification(node):
    agreement = _agreement(node)
    services.agreement_terminate(actor=node.coordinator, agreement=agreement, reason="Not needed.")
    assert not OutgoingNotification.objects.exists()
