"""The IIA endpoints: IIAs v7 (get, index, stats), IIAs Approval v2, IIA CNR v3, IIA Approval CNR v2.

The caller's HEIs are those the registry says its key covers (``request.ewp_client.hei_ids``): it
sees the agreements in which one of them is the partner, and its approvals and notifications count
only for them. The ``hei_id`` of older IIAs versions and the HEI parameters of older CNR versions are
still accepted; when sent, they are checked and narrow the answer.
"""

from functools import partial

from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict

from accord.ewp import tasks
from accord.ewp.node import xml
from accord.ewp.serve import iia_documents
from accord.ewp.serve.discovery import LIMITS
from accord.ewp.serve.endpoint import ewp_endpoint, xml_response
from accord.ewp.serve.iias import approved_partner_copies, in_academic_years, served_iias
from accord.ewp.serve.params import (
    academic_years,
    callers_heis,
    modified_since,
    required_ids,
    served_hei,
    single,
)


@ewp_endpoint()
def iias_get(request: HttpRequest, params: QueryDict) -> HttpResponse:
    owner = served_hei(params, "hei_id")
    ids = required_ids(params, "iia_id", limit=LIMITS.iia_ids)
    iias = served_iias(partner_hei_ids=request.ewp_client.hei_ids, iia_ids=ids, owner_hei_id=owner)
    return xml_response(iia_documents.iias_get(iias))


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
    return xml_response(iia_documents.iias_index([str(iia.agreement.pk) for iia in iias]))


@ewp_endpoint()
def iias_stats(request: HttpRequest, params: QueryDict) -> HttpResponse:
    return xml_response(iia_documents.iias_stats(served_iias(partner_hei_ids=None, with_approvals=True)))


@ewp_endpoint()
def iias_approval(request: HttpRequest, params: QueryDict) -> HttpResponse:
    approving = served_hei(params, "approving_hei_id")
    owners = callers_heis(request, params, "owner_hei_id")
    ids = required_ids(params, "iia_id", limit=LIMITS.approval_iia_ids)
    copies = approved_partner_copies(owner_hei_ids=owners, iia_ids=ids, approving_hei_id=approving)
    return xml_response(iia_documents.iias_approval(copies))


@ewp_endpoint()
def iia_cnr(request: HttpRequest, params: QueryDict) -> HttpResponse:
    """A partner's copy changed: fetch it again (in the background; the answer does not wait)."""
    notifiers = callers_heis(request, params, "notifier_hei_id", required=True)
    ids = required_ids(params, "iia_id", limit=LIMITS.cnr_iia_ids)
    for hei_id in notifiers:
        transaction.on_commit(partial(tasks.ewp_fetch_iias.delay, hei_id, ids))
    return xml_response(iia_documents.empty_response(xml.IIA_CNR, "iia-cnr-response"))


@ewp_endpoint()
def iia_approval_cnr(request: HttpRequest, params: QueryDict) -> HttpResponse:
    """A partner approved our copy (``iia_id`` is ours): fetch its approval to check the hash."""
    approvers = callers_heis(request, params, "approving_hei_id", required=True)
    served_hei(params, "owner_hei_id", required=True)
    ids = required_ids(params, "iia_id", limit=LIMITS.cnr_iia_ids)
    for hei_id in approvers:
        transaction.on_commit(partial(tasks.ewp_fetch_approvals.delay, hei_id, ids))
    return xml_response(iia_documents.empty_response(xml.IIA_APPROVAL_CNR, "iia-approval-cnr-response"))
