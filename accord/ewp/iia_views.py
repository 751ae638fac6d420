"""The IIA endpoints: IIAs v7 (get, index, stats), IIAs Approval v2, IIA CNR v3, IIA Approval CNR v2.

The caller's HEIs are those the registry says its key covers (``request.ewp_client.hei_ids``): it
sees the agreements in which one of them is the partner, and its approvals and notifications count
only for them. The ``hei_id`` of older IIAs versions and the HEI parameters of older CNR versions are
still accepted; when sent, they are checked and narrow the answer.
"""

import re
from datetime import UTC, datetime
from functools import partial

from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict

from accord.ewp import iia_documents, selectors, tasks, xml
from accord.ewp.documents import LIMITS
from accord.ewp.endpoint import EwpError, ewp_endpoint, param_list, xml_response
from accord.ewp.iia_selectors import approved_partner_copies, in_academic_years, served_iias

_ACADEMIC_YEAR = re.compile(r"^[0-9]{4}/[0-9]{4}$")


def _single(params: QueryDict, name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise EwpError(f"{name} may be given once, it was given {len(values)} times")
    return values[0] if values else None


def _served_hei(params: QueryDict, name: str, *, required: bool = False) -> str | None:
    """A HEI parameter naming one of our institutions: unknown ones are refused (400)."""
    hei_id = _single(params, name)
    if hei_id is None and required:
        raise EwpError(f"{name} is required")
    if hei_id is not None and selectors.served_institution(hei_id) is None:
        raise EwpError(f"this node does not cover the HEI {hei_id!r} ({name})")
    return hei_id


def _callers_heis(request: HttpRequest, params: QueryDict, name: str, *, required: bool = False) -> list[str]:
    """The caller's HEIs, or the one it names, which must be among them (the specification asks
    servers to check that the notifier is bound to the key that signed)."""
    covered = list(request.ewp_client.hei_ids)
    hei_id = _single(params, name)
    if hei_id is None and required:
        raise EwpError(f"{name} is required")
    if hei_id is None:
        return covered
    if hei_id.lower() not in {covered_id.lower() for covered_id in covered}:
        raise EwpError(f"the key that signed this request does not cover {hei_id!r} ({name})", status=403)
    return [hei_id]


def _required_ids(params: QueryDict, *, limit: int) -> list[str]:
    ids = param_list(params, "iia_id", limit=limit)
    if not ids:
        raise EwpError("iia_id is required (repeatable)")
    return ids


@ewp_endpoint()
def iias_get(request: HttpRequest, params: QueryDict) -> HttpResponse:
    owner = _served_hei(params, "hei_id")
    ids = _required_ids(params, limit=LIMITS.iia_ids)
    iias = served_iias(partner_hei_ids=request.ewp_client.hei_ids, iia_ids=ids, owner_hei_id=owner)
    return xml_response(iia_documents.iias_get(iias))


@ewp_endpoint()
def iias_index(request: HttpRequest, params: QueryDict) -> HttpResponse:
    owner = _served_hei(params, "hei_id")
    partners = list(request.ewp_client.hei_ids)
    partner = _single(params, "partner_hei_id")
    if partner is not None:
        # An IIAs v6 filter: a partner the caller does not cover has no agreement the caller may see.
        partners = [hei_id for hei_id in partners if hei_id.lower() == partner.lower()]
    years = params.getlist("receiving_academic_year_id")
    malformed = [year for year in years if not _ACADEMIC_YEAR.match(year)]
    if malformed:
        raise EwpError(f"receiving_academic_year_id must look like 2026/2027, not {malformed[0]!r}")
    since_text = _single(params, "modified_since")
    since = None
    if since_text is not None:
        try:
            since = datetime.fromisoformat(since_text)
        except ValueError:
            raise EwpError(f"modified_since is not an xs:dateTime: {since_text!r}") from None
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
    iias = served_iias(partner_hei_ids=partners, owner_hei_id=owner, modified_since=since)
    if years:
        iias = [iia for iia in iias if in_academic_years(iia, years)]
    return xml_response(iia_documents.iias_index([str(iia.agreement.pk) for iia in iias]))


@ewp_endpoint()
def iias_stats(request: HttpRequest, params: QueryDict) -> HttpResponse:
    return xml_response(iia_documents.iias_stats(served_iias(partner_hei_ids=None, with_approvals=True)))


@ewp_endpoint()
def iias_approval(request: HttpRequest, params: QueryDict) -> HttpResponse:
    approving = _served_hei(params, "approving_hei_id")
    owners = _callers_heis(request, params, "owner_hei_id")
    ids = _required_ids(params, limit=LIMITS.approval_iia_ids)
    copies = approved_partner_copies(owner_hei_ids=owners, iia_ids=ids, approving_hei_id=approving)
    return xml_response(iia_documents.iias_approval(copies))


@ewp_endpoint()
def iia_cnr(request: HttpRequest, params: QueryDict) -> HttpResponse:
    """A partner's copy changed: fetch it again (in the background; the answer does not wait)."""
    notifiers = _callers_heis(request, params, "notifier_hei_id", required=True)
    ids = _required_ids(params, limit=LIMITS.cnr_iia_ids)
    for hei_id in notifiers:
        transaction.on_commit(partial(tasks.ewp_fetch_iias.delay, hei_id, ids))
    return xml_response(iia_documents.empty_response(xml.IIA_CNR, "iia-cnr-response"))


@ewp_endpoint()
def iia_approval_cnr(request: HttpRequest, params: QueryDict) -> HttpResponse:
    """A partner approved our copy (``iia_id`` is ours): fetch its approval to check the hash."""
    approvers = _callers_heis(request, params, "approving_hei_id", required=True)
    _served_hei(params, "owner_hei_id", required=True)
    ids = _required_ids(params, limit=LIMITS.cnr_iia_ids)
    for hei_id in approvers:
        transaction.on_commit(partial(tasks.ewp_fetch_approvals.delay, hei_id, ids))
    return xml_response(iia_documents.empty_response(xml.IIA_APPROVAL_CNR, "iia-approval-cnr-response"))
