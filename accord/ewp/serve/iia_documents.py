"""The documents of the IIAs v7, IIAs Approval v2 and IIA (Approval) CNR receivers (each validates
against its XSD). The ``iia`` elements themselves come from :mod:`accord.ewp.iia_content`."""

import logging

from lxml import etree

from accord.agreements.models import PartnerCopy
from accord.algorithms.ewp.iia_hash import IiaHashError
from accord.algorithms.ewp.iia_xml import IiaXmlError, WrittenIia, element_of, get_response_of
from accord.ewp.iia_content import agreement_written_iia, ounit_ids_of
from accord.ewp.node import xml
from accord.ewp.node.xml import qname, sub
from accord.ewp.serve.iias import ServedIia, partner_approved, we_approved

logger = logging.getLogger(__name__)


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


def iias_get(iias: list[ServedIia]) -> bytes:
    return get_response_of(written_iias(iias))


def iias_index(iia_ids: list[str]) -> bytes:
    root = etree.Element(qname(xml.IIAS_INDEX, "iias-index-response"), nsmap={None: xml.IIAS_INDEX})
    for iia_id in iia_ids:
        sub(root, xml.IIAS_INDEX, "iia-id", iia_id)
    return xml.to_bytes(root)


def iias_stats(iias: list[ServedIia]) -> bytes:
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


def iias_approval(copies: list[PartnerCopy]) -> bytes:
    """For each partner's copy we approved: its id (the partner's) and the partner's hash we approved."""
    ns = xml.IIAS_APPROVAL
    root = etree.Element(qname(ns, "iias-approval-response"), nsmap={None: ns})
    for copy in copies:
        approval = sub(root, ns, "approval")
        sub(approval, ns, "iia-id", copy.remote_id)
        sub(approval, ns, "iia-hash", copy.approved_hash)
    return xml.to_bytes(root)


def empty_response(namespace: str, name: str) -> bytes:
    """The CNR receivers' answer: always empty (``ewp:Empty``)."""
    return xml.to_bytes(etree.Element(qname(namespace, name), nsmap={None: namespace}))
