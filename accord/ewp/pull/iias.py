"""Accord as an EWP client: fetching partners' IIAs and their approvals of ours.

A partner's IIA is fetched from the host the registry catalogue says covers it, with the node's
signing client. Its ``iia-hash`` is recomputed natively: only a hash that matches (and an agreement
valid for approval) is kept as the copy's ``remote_hash``, so only what the partner really holds can be
approved. The copy is mapped and stored exactly as a file import does (:mod:`accord.ewp.node.iia_content`),
and its differences from ours are reported.

A partner's approval of our copy counts when its hash is the hash of the version we serve; it is
then recorded as that partner's approval of the version, which may bring the agreement into effect.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from lxml import etree

from accord.agreements import services
from accord.agreements.choices import PartnerCopySource
from accord.agreements.models import PartnerCopy
from accord.algorithms.agreements.content import AgreementContentError
from accord.algorithms.ewp.iia_hash import IIAS_V7_NAMESPACE, IiaHashError, hash_iia
from accord.algorithms.ewp.iia_xml import IiaXmlError
from accord.core.errors import DomainError
from accord.ewp import selectors
from accord.ewp.models import IiaPull
from accord.ewp.node import xml
from accord.ewp.node.catalogue import CatalogueError, get_catalogue
from accord.ewp.node.client import PartnerUnavailable, call_partner, chunks, partner_api
from accord.ewp.node.iia_content import ReceivedIia, organisation_by_hei_id, receive_iia
from accord.ewp.notify import outbox
from accord.ewp.serve.iias import iia_elements, partner_approved, served_iias

logger = logging.getLogger(__name__)

# modified_since is asked from a little before the last pull, for clocks that disagree.
CLOCK_MARGIN = timedelta(minutes=5)


@dataclass
class FetchReport:
    received: list[ReceivedIia] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)
    """Partner iia-ids whose reported hash is not the hash of what they sent (kept, not approvable)."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    approved: list[int] = field(default_factory=list)
    """Our agreements whose approval by the partner was received."""
    stale_approvals: list[int] = field(default_factory=list)
    """Our agreements the partner approved in a version other than the one we serve now."""


# --- IIAs ---------------------------------------------------------------------------------------------


def fetch_iia_ids(partner_hei_id: str, *, modified_since: datetime | None = None) -> list[str]:
    """The ids of the partner's IIAs that its node lets us see (index endpoint)."""
    api = partner_api(partner_hei_id, xml.IIAS_ENTRY, "iias")
    data = [("hei_id", partner_hei_id)]
    if modified_since is not None:
        data.append(("modified_since", modified_since.isoformat(timespec="seconds")))
    root = call_partner(api.urls.get("index-url", ""), data, "iias-index-response")
    return [text.strip() for text in root.xpath("./*[local-name()='iia-id']/text()")]


def fetch_iias(partner_hei_id: str, iia_ids: list[str], report: FetchReport | None = None) -> FetchReport:
    """Fetch the partner's IIAs by its ids (get endpoint) and store each as its copy of ours.

    ``hei_id`` is sent too, for nodes that still expect it (IIAs v6); v7 nodes ignore it.
    """
    report = report or FetchReport()
    api = partner_api(partner_hei_id, xml.IIAS_ENTRY, "iias")
    for chunk in chunks(list(dict.fromkeys(iia_ids)), api.limits.get("max-iia-ids", 1)):
        data = [("hei_id", partner_hei_id), *(("iia_id", iia_id) for iia_id in chunk)]
        root = call_partner(api.urls.get("get-url", ""), data, "iias-get-response")
        for iia in root.iterchildren(f"{{{IIAS_V7_NAMESPACE}}}iia"):
            _receive(iia, partner_hei_id, report)
    return report


def _partner_ids(iia: etree._Element) -> dict[str, str]:
    """hei-id (lower case) → iia-id of each partner of a received ``iia``."""
    return {
        (partner.findtext("{*}hei-id") or "").strip().lower(): (partner.findtext("{*}iia-id") or "").strip()
        for partner in iia.iterfind("{*}partner")
    }


def _receive(iia: etree._Element, partner_hei_id: str, report: FetchReport) -> None:
    ids = _partner_ids(iia)
    their_id = ids.get(partner_hei_id.lower(), "")
    receivers = [
        organisation
        for organisation in selectors.served_institutions()
        if organisation.schac_code.lower() in ids
        and organisation.schac_code.lower() != partner_hei_id.lower()
    ]
    if partner_hei_id.lower() not in ids or len(receivers) != 1:
        report.skipped.append((their_id, f"not an agreement between {partner_hei_id} and one HEI we serve"))
        return
    try:
        computed = hash_iia(iia)
    except IiaHashError as exc:
        report.skipped.append((their_id, f"its hash cannot be computed: {exc}"))
        return
    reported = (iia.findtext("{*}iia-hash") or "").strip().lower()
    verified = computed.hash == reported and computed.valid_for_approval
    if not verified:
        report.unverified.append(their_id)
    try:
        with transaction.atomic():
            mapped_before = PartnerCopy.objects.filter(
                organisation__schac_code__iexact=partner_hei_id, remote_id=their_id
            ).exists()
            received = receive_iia(
                iia,
                receiver=receivers[0],
                source=PartnerCopySource.EWP,
                remote_hash=reported if verified else "",
            )
            if their_id and not mapped_before:
                # Our copy now names the partner's id (which its hash covers): tell the partner.
                outbox.enqueue_iia_cnr(received.agreement)
    except (DomainError, IiaXmlError, AgreementContentError) as exc:
        report.skipped.append((their_id, str(exc)))
        logger.warning("IIA %s of %s was not stored: %s", their_id, partner_hei_id, exc)
        return
    report.received.append(received)


# --- approvals ----------------------------------------------------------------------------------------


def fetch_approvals(
    partner_hei_id: str, iia_ids: list[str] | None = None, report: FetchReport | None = None
) -> FetchReport:
    """Ask the partner which of our IIAs (by our ids; by default all it has not approved yet) it
    approved, and record each approval whose hash is that of the version we serve."""
    report = report or FetchReport()
    partner = organisation_by_hei_id(partner_hei_id)
    if partner is None:
        return report
    iias = served_iias(partner_hei_ids=[partner_hei_id], iia_ids=iia_ids, with_approvals=True)
    if iia_ids is None:
        iias = [iia for iia in iias if not partner_approved(iia)]
    ours = {str(iia.agreement.pk): iia for iia in iias}
    if not ours:
        return report
    api = partner_api(partner_hei_id, xml.IIAS_APPROVAL_ENTRY, "iias-approval")
    for chunk in chunks(list(ours), api.limits.get("max-iia-ids", 1)):
        root = call_partner(
            api.urls.get("url", ""), [("iia_id", iia_id) for iia_id in chunk], "iias-approval-response"
        )
        for approval in root.iterchildren(f"{{{xml.IIAS_APPROVAL}}}approval"):
            iia = ours.get((approval.findtext(f"{{{xml.IIAS_APPROVAL}}}iia-id") or "").strip())
            if iia is None:
                continue
            approved_hash = (approval.findtext(f"{{{xml.IIAS_APPROVAL}}}iia-hash") or "").strip().lower()
            (element,) = iia_elements([iia])
            if approved_hash != element.findtext(f"{{{IIAS_V7_NAMESPACE}}}iia-hash"):
                report.stale_approvals.append(iia.agreement.pk)
                continue
            try:
                services.agreement_approval_receive(
                    agreement=iia.agreement, organisation=partner, version_number=iia.version.number
                )
            except DomainError as exc:
                logger.warning("Approval of %s by %s not recorded: %s", iia.agreement.pk, partner_hei_id, exc)
                report.stale_approvals.append(iia.agreement.pk)
                continue
            report.approved.append(iia.agreement.pk)
    return report


# --- the periodic pull ----------------------------------------------------------------------------------


def pull(partner_hei_id: str) -> FetchReport:
    """Catch up with one partner without relying on its notifications: its IIAs changed since the last
    pull (index with ``modified_since``, then get), then its approvals of ours still awaited."""
    started = timezone.now()
    last = IiaPull.objects.filter(partner_hei_id=partner_hei_id.lower()).first()
    since = last.pulled_at - CLOCK_MARGIN if last and last.pulled_at else None
    report = FetchReport()
    fetch_iias(partner_hei_id, fetch_iia_ids(partner_hei_id, modified_since=since), report)
    fetch_approvals(partner_hei_id, report=report)
    IiaPull.objects.update_or_create(
        partner_hei_id=partner_hei_id.lower(),
        defaults={
            "pulled_at": started,
            "attempted_at": started,
            "received": len(report.received),
            "error": "",
        },
    )
    return report


def partners_to_pull() -> list[str]:
    """The HEIs that are parties to agreements of the institutions we serve and that a host covers."""
    served = selectors.served_institutions()
    hei_ids = (
        served.model.objects.filter(agreements__owner__in=served, schac_code__isnull=False)
        .exclude(pk__in=served)
        .values_list("schac_code", flat=True)
        .distinct()
    )
    try:
        catalogue = get_catalogue()
    except CatalogueError:
        return []
    return sorted({hei_id.lower() for hei_id in hei_ids if hei_id and catalogue.hosts_covering(hei_id)})


def pull_all() -> dict[str, FetchReport | str]:
    results: dict[str, FetchReport | str] = {}
    for hei_id in partners_to_pull():
        try:
            results[hei_id] = pull(hei_id)
        except PartnerUnavailable as exc:
            logger.warning("Pulling the IIAs of %s failed: %s", hei_id, exc)
            results[hei_id] = str(exc)
            IiaPull.objects.update_or_create(
                partner_hei_id=hei_id,
                defaults={"attempted_at": timezone.now(), "received": 0, "error": str(exc)},
            )
    return results
