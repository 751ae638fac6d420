"""Outgoing Mobility Learning Agreements v1 (get, index, update, stats) and the OMobility LA CNR v1
receiver.

The sending institution serves its learning agreements; the caller sees those whose *receiving*
institution it covers (``request.ewp_client.hei_ids``). ``sending_hei_id`` is required and must be an
institution this node serves (400 otherwise, as for the IIAs' ``hei_id``). The receiving institution
approves or comments a changes proposal through ``update`` (POST, XML body), which calls the
mobilities services (``la_sign`` as the receiving institution, ``la_comment``) through the partner's
system account (:func:`accord.ewp.omobility_las.partner_node_user`).
"""

import re
from collections import defaultdict
from datetime import UTC, datetime
from functools import partial

from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict

from accord.core.errors import Conflict, DomainError
from accord.ewp import omobility_las, selectors, tasks
from accord.ewp.documents import LIMITS
from accord.ewp.endpoint import EwpError, ewp_endpoint, param_list, xml_response
from accord.mobilities import services as mobility_services
from accord.mobilities.choices import SignerRole, VersionStatus
from accord.mobilities.ewp import (
    outgoing_learning_agreements,
    parse_proposal_id,
    proposal_id,
    servable,
    with_learning_agreements,
)

_ACADEMIC_YEAR = re.compile(r"^[0-9]{4}/[0-9]{4}$")


def _single(params: QueryDict, name: str, *, required: bool = False) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise EwpError(f"{name} may be given once, it was given {len(values)} times")
    if not values and required:
        raise EwpError(f"{name} is required")
    return values[0] if values else None


def _sending_hei(params: QueryDict) -> str:
    hei_id = _single(params, "sending_hei_id", required=True)
    if selectors.served_institution(hei_id) is None:
        raise EwpError(f"this node does not cover the HEI {hei_id!r} (sending_hei_id)")
    return hei_id


def _since(params: QueryDict) -> datetime | None:
    text = _single(params, "modified_since")
    if text is None:
        return None
    try:
        since = datetime.fromisoformat(text)
    except ValueError:
        raise EwpError(f"modified_since is not an xs:dateTime: {text!r}") from None
    return since if since.tzinfo else since.replace(tzinfo=UTC)


@ewp_endpoint()
def omobility_las_get(request: HttpRequest, params: QueryDict) -> HttpResponse:
    sending = _sending_hei(params)
    ids = param_list(params, "omobility_id", limit=LIMITS.omobility_ids)
    if not ids:
        raise EwpError("omobility_id is required (repeatable)")
    mobilities = outgoing_learning_agreements(
        sending_hei_id=sending, receiving_hei_ids=request.ewp_client.hei_ids, omobility_ids=ids
    )
    served = servable(with_learning_agreements(mobilities))
    return xml_response(omobility_las.get_response([mapped for _mobility, mapped in served]))


@ewp_endpoint()
def omobility_las_index(request: HttpRequest, params: QueryDict) -> HttpResponse:
    sending = _sending_hei(params)
    covered = {hei_id.lower() for hei_id in request.ewp_client.hei_ids}
    asked = params.getlist("receiving_hei_id")
    receivers = [hei_id for hei_id in asked if hei_id.lower() in covered] if asked else list(covered)
    year = _single(params, "receiving_academic_year_id")
    if year is not None and not _ACADEMIC_YEAR.match(year):
        raise EwpError(f"receiving_academic_year_id must look like 2026/2027, not {year!r}")
    mobilities = outgoing_learning_agreements(
        sending_hei_id=sending, receiving_hei_ids=receivers, academic_year=year, modified_since=_since(params)
    )
    served = servable(with_learning_agreements(mobilities))
    return xml_response(omobility_las.index_response([str(mobility.pk) for mobility, _mapped in served]))


@ewp_endpoint()
def omobility_las_stats(request: HttpRequest, params: QueryDict) -> HttpResponse:
    """Counts over every learning agreement this node serves, per receiving academic year."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    mobilities = outgoing_learning_agreements(sending_hei_id=None, receiving_hei_ids=None)
    for mobility, mapped in servable(with_learning_agreements(mobilities)):
        year = counts[mapped.receiving_academic_year]
        year["la-outgoing-total"] += 1
        if mapped.first_version is not None:
            modified = mapped.approved_changes is not None
            year[
                "la-outgoing-modified-after-approval"
                if modified
                else "la-outgoing-not-modified-after-approval"
            ] += 1
        current = mobility.learning_agreement.current_version
        if mapped.changes_proposal is not None:
            year["la-outgoing-latest-version-awaiting"] += 1
        elif current is not None and current.status == VersionStatus.COMMENTED:
            year["la-outgoing-latest-version-rejected"] += 1
        elif current is not None and current.status == VersionStatus.APPROVED:
            year["la-outgoing-latest-version-approved"] += 1
    return xml_response(omobility_las.stats_response(counts))


@ewp_endpoint()
def omobility_las_update(request: HttpRequest, params: QueryDict) -> HttpResponse:
    if request.method != "POST":
        raise EwpError("the update endpoint takes POST with an XML body", status=405)
    update = omobility_las.parse_update(request.body)
    if selectors.served_institution(update.sending_hei_id) is None:
        raise EwpError(f"this node does not cover the HEI {update.sending_hei_id!r} (sending-hei-id)")
    mobility = (
        outgoing_learning_agreements(
            sending_hei_id=update.sending_hei_id,
            receiving_hei_ids=request.ewp_client.hei_ids,
            omobility_ids=[update.omobility_id],
        )
        .select_related("receiving_organisation", "learning_agreement__current_version")
        .first()
    )
    if mobility is None:
        raise EwpError(
            f"no learning agreement {update.omobility_id!r} of {update.sending_hei_id!r} whose receiving "
            "institution the caller covers"
        )
    current = mobility.learning_agreement.current_version
    parsed = parse_proposal_id(update.changes_proposal_id)
    if (
        parsed is None
        or current is None
        or current.status != VersionStatus.PROPOSED
        or (proposal_id(current) != update.changes_proposal_id)
    ):
        raise EwpError(
            "Your copy of the learning agreement is not up to date: refresh it from our server and repeat "
            "your request.",
            status=409,
        )
    number, digest = parsed
    actor = omobility_las.partner_node_user(mobility.receiving_organisation)
    who = update.signature.described()
    try:
        with transaction.atomic():
            if update.action == "approve":
                mobility_services.la_sign(
                    actor=actor,
                    mobility=mobility,
                    version_number=number,
                    components_hash=digest,
                    role=SignerRole.RECEIVING,
                    position=who[:255],
                )
                message = "Your approval of the learning agreement was recorded."
            else:
                mobility_services.la_comment(
                    actor=actor, mobility=mobility, version_number=number, text=f"{update.comment}\n\n— {who}"
                )
                message = (
                    "Your comment was recorded; the sending institution will answer with a new proposal."
                )
    except Conflict as exc:
        raise EwpError(exc.message, status=409) from None
    except DomainError as exc:
        raise EwpError(exc.message) from None
    return xml_response(omobility_las.update_response(message))


@ewp_endpoint()
def omobility_la_cnr(request: HttpRequest, params: QueryDict) -> HttpResponse:
    """A sending institution's learning agreement changed: queue a refresh (the answer does not wait)."""
    sending = _single(params, "sending_hei_id", required=True)
    if sending.lower() not in {hei_id.lower() for hei_id in request.ewp_client.hei_ids}:
        raise EwpError(
            f"the key that signed this request does not cover {sending!r} (sending_hei_id)", status=403
        )
    ids = param_list(params, "omobility_id", limit=LIMITS.cnr_omobility_ids)
    if not ids:
        raise EwpError("omobility_id is required (repeatable)")
    transaction.on_commit(partial(tasks.ewp_refresh_omobility_las.delay, sending, ids))
    return xml_response(omobility_las.cnr_response())
