"""The CNR receivers: a partner's node says that something it holds changed, and this node answers at
once with an empty document and queues the fetch (:mod:`accord.ewp.tasks`, on commit) that reads it.

IIA CNR v3, IIA Approval CNR v2, OMobility CNR v2, OMobility LA CNR v1, IMobility CNR v2 and IMobility
ToR CNR v2. The notifying HEIs are those the registry says the caller's key covers
(``request.ewp_client.hei_ids``); the HEI parameters of older CNR versions are still accepted and, when
sent, must be among them (403 otherwise). A fetch that fails is only logged: the periodic pull catches
up with whatever a notification announced.
"""

from functools import partial

from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from lxml import etree

from accord.ewp import tasks
from accord.ewp.node import xml
from accord.ewp.node.xml import qname
from accord.ewp.serve.endpoint import ewp_endpoint, xml_response
from accord.ewp.serve.params import LIMITS, callers_heis, required_ids, served_hei


def _empty_response(namespace: str, name: str) -> HttpResponse:
    """Every receiver's answer: always empty (``ewp:Empty``)."""
    return xml_response(xml.to_bytes(etree.Element(qname(namespace, name), nsmap={None: namespace})))


@ewp_endpoint()
def iia_cnr(request: HttpRequest, params: QueryDict) -> HttpResponse:
    """A partner's copy changed: fetch it again."""
    notifiers = callers_heis(request, params, "notifier_hei_id", required=True)
    ids = required_ids(params, "iia_id", limit=LIMITS.cnr_iia_ids)
    for hei_id in notifiers:
        transaction.on_commit(partial(tasks.ewp_fetch_iias.delay, hei_id, ids))
    return _empty_response(xml.IIA_CNR, "iia-cnr-response")


@ewp_endpoint()
def iia_approval_cnr(request: HttpRequest, params: QueryDict) -> HttpResponse:
    """A partner approved our copy (``iia_id`` is ours): fetch its approval to check the hash."""
    approvers = callers_heis(request, params, "approving_hei_id", required=True)
    served_hei(params, "owner_hei_id", required=True)
    ids = required_ids(params, "iia_id", limit=LIMITS.cnr_iia_ids)
    for hei_id in approvers:
        transaction.on_commit(partial(tasks.ewp_fetch_approvals.delay, hei_id, ids))
    return _empty_response(xml.IIA_APPROVAL_CNR, "iia-approval-cnr-response")


@ewp_endpoint()
def omobility_cnr(request: HttpRequest, params: QueryDict) -> HttpResponse:
    """A sending institution's mobilities changed: fetch our copies of them again."""
    (sending,) = callers_heis(request, params, "sending_hei_id", required=True)
    ids = required_ids(params, "omobility_id", limit=LIMITS.cnr_omobility_ids)
    transaction.on_commit(partial(tasks.ewp_fetch_omobilities.delay, sending, ids))
    return _empty_response(xml.OMOBILITY_CNR, "omobility-cnr-response")


@ewp_endpoint()
def omobility_la_cnr(request: HttpRequest, params: QueryDict) -> HttpResponse:
    """A sending institution's learning agreements changed: refresh them on our copies."""
    (sending,) = callers_heis(request, params, "sending_hei_id", required=True)
    ids = required_ids(params, "omobility_id", limit=LIMITS.cnr_omobility_ids)
    transaction.on_commit(partial(tasks.ewp_refresh_omobility_las.delay, sending, ids))
    return _empty_response(xml.OMOBILITY_LA_CNR, "omobility-la-cnr-response")


@ewp_endpoint()
def imobility_cnr(request: HttpRequest, params: QueryDict) -> HttpResponse:
    """A receiving institution recorded actual dates of our mobilities: fetch them."""
    (receiving,) = callers_heis(request, params, "receiving_hei_id", required=True)
    ids = required_ids(params, "omobility_id", limit=LIMITS.cnr_omobility_ids)
    transaction.on_commit(partial(tasks.ewp_fetch_imobilities.delay, receiving, ids))
    return _empty_response(xml.IMOBILITY_CNR, "imobility-cnr-response")


@ewp_endpoint()
def imobility_tor_cnr(request: HttpRequest, params: QueryDict) -> HttpResponse:
    """A receiving institution's transcripts of our mobilities changed: fetch them.

    ToR CNR v2 sends only ``omobility_id``; the receiving institutions are those the signing key covers.
    The ``receiving_hei_id`` of v1 is still accepted, and must be one of them (403 otherwise).
    """
    receivers = sorted(hei_id.lower() for hei_id in callers_heis(request, params, "receiving_hei_id"))
    ids = required_ids(params, "omobility_id", limit=LIMITS.tor_cnr_omobility_ids)
    if receivers:
        transaction.on_commit(partial(tasks.ewp_fetch_tors.delay, receivers, ids))
    return _empty_response(xml.IMOBILITY_TOR_CNR, "imobility-tor-cnr-response")
