"""IIAs v7 (get, index, stats) and IIAs Approval v2 as this node serves them: which agreements it
serves, to whom, in which version, and which partners' copies our institutions approved; their
documents (each validates against its XSD; the ``iia`` elements themselves come from
:mod:`accord.ewp.node.iia_content`); and the endpoints.

An institution this node serves publishes the agreements it owns, in the newest version it shared
(unshared drafts stay private), to the other party's node; an agreement terminated before both sides
approved it is deleted from the network, as the IIAs specification requires, and so no longer served.
EWP agreements are bilateral: agreements with more parties are not served.

The caller's HEIs are those the registry says its key covers (``request.ewp_client.hei_ids``): it
sees the agreements in which one of them is the partner, and its approvals count only for them. The
``hei_id`` of older IIAs versions is still accepted; when sent, it is checked and narrows the answer.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse, QueryDict
from lxml import etree

from accord.agreements.models import (
    Agreement,
    AgreementEvent,
    AgreementParty,
    AgreementVersion,
    PartnerCopy,
)
from accord.algorithms.ewp.iia_hash import IiaHashError
from accord.algorithms.ewp.iia_xml import IiaXmlError, WrittenIia, element_of, get_response_of
from accord.ewp.node import xml
from accord.ewp.node.iia_content import agreement_written_iia, ounit_ids_of, shared_agreements
from accord.ewp.node.xml import qname, sub
from accord.ewp.serve.endpoint import ewp_endpoint, xml_response
from accord.ewp.serve.params import (
    LIMITS,
    academic_years,
    callers_heis,
    modified_since,
    required_ids,
    served_hei,
    single,
)
from accord.organisations.models import Organisation

logger = logging.getLogger(__name__)


# --- what is served to whom -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServedIia:
    """One agreement as served: the agreement (owner loaded), its served version, and the partners' own
    ids of it (from their copies, by organisation id)."""

    agreement: Agreement
    version: AgreementVersion
    partner_ids: dict[int, str]


def _organisations(hei_ids: Iterable[str]) -> QuerySet[Organisation]:
    return Organisation.objects.annotate(hei=Lower("schac_code")).filter(
        hei__in=[hei_id.lower() for hei_id in hei_ids]
    )


def _served_agreements(*, partner_hei_ids: Iterable[str] | None, owner_hei_id: str | None) -> QuerySet:
    agreements = shared_agreements(Agreement.objects.filter(owner__ewp_node__isnull=False))
    if partner_hei_ids is not None:
        agreements = agreements.filter(
            Exists(
                AgreementParty.objects.filter(
                    agreement=OuterRef("pk"), organisation__in=_organisations(partner_hei_ids)
                ).exclude(organisation_id=OuterRef("owner_id"))
            )
        )
    if owner_hei_id is not None:
        agreements = agreements.filter(owner__schac_code__iexact=owner_hei_id)
    return agreements


def served_iias(
    *,
    partner_hei_ids: Iterable[str] | None,
    iia_ids: Iterable[str] | None = None,
    owner_hei_id: str | None = None,
    modified_since: datetime | None = None,
    with_approvals: bool = False,
) -> list[ServedIia]:
    """The IIAs this node serves to a partner covering ``partner_hei_ids`` (to anyone with None).

    ``iia_ids`` keeps only those ids (unknown and malformed ones are ignored); ``modified_since`` those
    with any event since then (a share, an approval, a termination, a partner's copy whose id we now
    publish), which may include some whose document did not change, as the index endpoint allows.
    ``with_approvals`` loads the approvals and the partners' copies too, for :func:`partner_approved`
    and :func:`we_approved`.
    """
    agreements = _served_agreements(partner_hei_ids=partner_hei_ids, owner_hei_id=owner_hei_id)
    if iia_ids is not None:
        agreements = agreements.filter(pk__in=_numbers(iia_ids))
    if modified_since is not None:
        agreements = agreements.filter(
            Exists(AgreementEvent.objects.filter(agreement=OuterRef("pk"), at__gt=modified_since))
        )
    # The owners are a handful of served institutions: prefetched, each is read once and shared by its
    # agreements, where select_related would read a whole organisation row per agreement.
    agreements = agreements.prefetch_related("owner").order_by("pk")
    if with_approvals:
        # Copies are read for their hashes, never for their content.
        agreements = agreements.prefetch_related(
            "approvals", Prefetch("partner_copies", queryset=PartnerCopy.objects.defer("content"))
        )
    rows = list(agreements)
    versions = AgreementVersion.objects.only("agreement_id", "number", "content").in_bulk(
        [row.served_version_id for row in rows]
    )
    # One plain query rather than a prefetch, whose per-agreement managers cost more than the rows.
    partner_ids: dict[int, dict[int, str]] = {row.pk: {} for row in rows}
    for agreement_id, organisation_id, remote_id in (
        PartnerCopy.objects.filter(agreement_id__in=list(partner_ids))
        .exclude(remote_id="")
        .values_list("agreement_id", "organisation_id", "remote_id")
    ):
        partner_ids[agreement_id][organisation_id] = remote_id
    return [
        ServedIia(row, versions[row.served_version_id], partner_ids[row.pk])
        for row in rows
        if len(versions[row.served_version_id].content["partners"]) == 2
    ]


def in_academic_years(iia: ServedIia, years: list[str]) -> bool:
    """Whether some cooperation condition runs in one of ``years`` (``2026/2027``, …)."""
    return any(
        condition["first_academic_year"] <= year <= condition["last_academic_year"]
        for condition in iia.version.content["conditions"]
        for year in years
    )


def partner_approved(iia: ServedIia) -> bool:
    """Whether the partner approved the version we serve (the one its approval's hash names)."""
    return any(
        approval.version_id == iia.version.pk and approval.organisation_id != iia.agreement.owner_id
        for approval in iia.agreement.approvals.all()
    )


def we_approved(iia: ServedIia) -> bool:
    """Whether our institution approved the partner's copy as the partner now holds it."""
    return any(
        copy.approved_hash and copy.approved_hash == copy.remote_hash
        for copy in iia.agreement.partner_copies.all()
    )


def approved_partner_copies(
    *, owner_hei_ids: Iterable[str], iia_ids: Iterable[str], approving_hei_id: str | None = None
) -> list[PartnerCopy]:
    """Partners' copies (by their own ids) that an institution this node serves approved.

    ``owner_hei_ids`` are the partners the copies belong to: the HEIs the caller covers.
    """
    wanted = list(dict.fromkeys(iia_ids))
    copies = PartnerCopy.objects.filter(
        organisation__in=_organisations(owner_hei_ids),
        remote_id__in=wanted,
        agreement__owner__ewp_node__isnull=False,
    ).exclude(approved_hash="")
    if approving_hei_id is not None:
        copies = copies.filter(agreement__owner__schac_code__iexact=approving_hei_id)
    found = {copy.remote_id: copy for copy in copies.order_by("pk")}
    return [found[iia_id] for iia_id in wanted if iia_id in found]


def _numbers(values: Iterable[str]) -> list[int]:
    # Our iia-ids are primary keys (at most 19 digits); anything else names no agreement of ours.
    return [int(value) for value in values if value.isascii() and value.isdigit() and len(value) < 19]


# --- documents ------------------------------------------------------------------------------------------


def written_iias(iias: list[ServedIia]) -> list[WrittenIia]:
    """The ``iia`` elements of ``iias`` as XML text, each its owner's copy with ids mapped and the hash
    computed."""
    units = ounit_ids_of(iia.version.content for iia in iias)
    written = []
    for iia in iias:
        try:
            written.append(
                agreement_written_iia(
                    iia.agreement,
                    iia.agreement.owner,
                    version=iia.version,
                    units=units,
                    partner_ids=iia.partner_ids,
                )
            )
        except (IiaXmlError, IiaHashError):
            # An agreement EWP cannot carry (a partner without a hei-id) is left out, as if unknown.
            logger.warning("Agreement %s cannot be served as an EWP IIA.", iia.agreement.pk, exc_info=True)
    return written


def iia_elements(iias: list[ServedIia]) -> list[etree._Element]:
    """The ``iia`` elements of ``iias`` as lxml elements (see :func:`written_iias`)."""
    return [element_of(written) for written in written_iias(iias)]


def iias_get_response(iias: list[ServedIia]) -> bytes:
    return get_response_of(written_iias(iias))


def iias_index_response(iia_ids: list[str]) -> bytes:
    root = etree.Element(qname(xml.IIAS_INDEX, "iias-index-response"), nsmap={None: xml.IIAS_INDEX})
    for iia_id in iia_ids:
        sub(root, xml.IIAS_INDEX, "iia-id", iia_id)
    return xml.to_bytes(root)


def iias_stats_response(iias: list[ServedIia]) -> bytes:
    ns = xml.IIAS_STATS
    flags = [(partner_approved(iia), we_approved(iia)) for iia in iias]
    root = etree.Element(qname(ns, "iias-stats-response"), nsmap={None: ns})
    for name, value in (
        ("iia-fetchable", len(iias)),
        ("iia-local-unapproved-partner-approved", sum(1 for theirs, ours in flags if theirs and not ours)),
        ("iia-local-approved-partner-unapproved", sum(1 for theirs, ours in flags if ours and not theirs)),
        ("iia-both-approved", sum(1 for theirs, ours in flags if theirs and ours)),
    ):
        sub(root, ns, name, str(value))
    return xml.to_bytes(root)


def iias_approval_response(copies: list[PartnerCopy]) -> bytes:
    """For each partner's copy we approved: its id (the partner's) and the partner's hash we approved."""
    ns = xml.IIAS_APPROVAL
    root = etree.Element(qname(ns, "iias-approval-response"), nsmap={None: ns})
    for copy in copies:
        approval = sub(root, ns, "approval")
        sub(approval, ns, "iia-id", copy.remote_id)
        sub(approval, ns, "iia-hash", copy.approved_hash)
    return xml.to_bytes(root)


# --- endpoints ------------------------------------------------------------------------------------------


@ewp_endpoint()
def iias_get(request: HttpRequest, params: QueryDict) -> HttpResponse:
    owner = served_hei(params, "hei_id")
    ids = required_ids(params, "iia_id", limit=LIMITS.iia_ids)
    iias = served_iias(partner_hei_ids=request.ewp_client.hei_ids, iia_ids=ids, owner_hei_id=owner)
    return xml_response(iias_get_response(iias))


@ewp_endpoint()
def iias_index(request: HttpRequest, params: QueryDict) -> HttpResponse:
    owner = served_hei(params, "hei_id")
    partners = list(request.ewp_client.hei_ids)
    partner = single(params, "partner_hei_id")
    if partner is not None:
        # An IIAs v6 filter: a partner the caller does not cover has no agreement the caller may see.
        partners = [hei_id for hei_id in partners if hei_id.lower() == partner.lower()]
    years = academic_years(params)
    since = modified_since(params)
    iias = served_iias(partner_hei_ids=partners, owner_hei_id=owner, modified_since=since)
    if years:
        iias = [iia for iia in iias if in_academic_years(iia, years)]
    return xml_response(iias_index_response([str(iia.agreement.pk) for iia in iias]))


@ewp_endpoint()
def iias_stats(request: HttpRequest, params: QueryDict) -> HttpResponse:
    return xml_response(iias_stats_response(served_iias(partner_hei_ids=None, with_approvals=True)))


@ewp_endpoint()
def iias_approval(request: HttpRequest, params: QueryDict) -> HttpResponse:
    approving = served_hei(params, "approving_hei_id")
    owners = callers_heis(request, params, "owner_hei_id")
    ids = required_ids(params, "iia_id", limit=LIMITS.approval_iia_ids)
    copies = approved_partner_copies(owner_hei_ids=owners, iia_ids=ids, approving_hei_id=approving)
    return xml_response(iias_approval_response(copies))
