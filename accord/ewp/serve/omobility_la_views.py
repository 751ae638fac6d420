"""Outgoing Mobility Learning Agreements v1 (get, index, update, stats) and the OMobility LA CNR v1
receiver.

The sending institution serves its learning agreements; the caller sees those whose *receiving*
institution it covers (``request.ewp_client.hei_ids``). ``sending_hei_id`` is required and must be an
institution this node serves (400 otherwise, as for the IIAs' ``hei_id``). The receiving institution
approves or comments a changes proposal through ``update`` (POST, XML body), which calls the
mobilities services (``la_sign`` as the receiving institution, ``la_comment``) through the partner's
system account (:func:`accord.ewp.serve.omobility_las.partner_node_user`).
"""

from collections import defaultdict
from functools import partial

from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict

from accord.ewp import selectors, tasks
from accord.ewp.omobility_la_documents import (
    outgoing_learning_agreements,
    parse_proposal_id,
    proposal_id,
    servable,
    with_learning_agreements,
)
from accord.ewp.serve import omobility_las
from accord.ewp.serve.discovery import LIMITS
from accord.ewp.serve.endpoint import EwpError, ewp_endpoint, xml_response
from accord.ewp.serve.params import (
    academic_year,
    callers_heis,
    covered_hei_ids,
    modified_since,
    required_ids,
    served_hei,
)
from accord.mobilities import services as mobility_services
from accord.mobilities.choices import SignerRole, VersionStatus


@ewp_endpoint()
def omobility_las_get(request: HttpRequest, params: QueryDict) -> HttpResponse:
    sending = served_hei(params, "sending_hei_id", required=True)
    ids = required_ids(params, "omobility_id", limit=LIMITS.omobility_ids)
    mobilities = outgoing_learning_agreements(
        sending_hei_id=sending, receiving_hei_ids=request.ewp_client.hei_ids, omobility_ids=ids
    )
    served = servable(with_learning_agreements(mobilities))
    return xml_response(omobility_las.get_response([mapped for _mobility, mapped in served]))


@ewp_endpoint()
def omobility_las_index(request: HttpRequest, params: QueryDict) -> HttpResponse:
    sending = served_hei(params, "sending_hei_id", required=True)
    covered = covered_hei_ids(request)
    asked = params.getlist("receiving_hei_id")
    receivers = [hei_id for hei_id in asked if hei_id.lower() in covered] if asked else list(covered)
    year = academic_year(params)
    mobilities = outgoing_learning_agreements(
        sending_hei_id=sending,
        receiving_hei_ids=receivers,
        academic_year=year,
        modified_since=modified_since(params),
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
    with transaction.atomic():
        if update.action == "approve":
            mobility_services.la_sign(
                actor=actor,
                mobility=mobility,
                version_number=number,
                components_hash=digest,
                role=SignerRole.RECEIVING,
                position=who[:255],
                signer_name=update.signature.signer_name,
                signer_email=update.signature.signer_email,
            )
            message = "Your approval of the learning agreement was recorded."
        else:
            mobility_services.la_comment(
                actor=actor, mobility=mobility, version_number=number, text=f"{update.comment}\n\n— {who}"
            )
            message = "Your comment was recorded; the sending institution will answer with a new proposal."
    return xml_response(omobility_las.update_response(message))


@ewp_endpoint()
def omobility_la_cnr(request: HttpRequest, params: QueryDict) -> HttpResponse:
    """A sending institution's learning agreement changed: queue a refresh (the answer does not wait)."""
    (sending,) = callers_heis(request, params, "sending_hei_id", required=True)
    ids = required_ids(params, "omobility_id", limit=LIMITS.cnr_omobility_ids)
    transaction.on_commit(partial(tasks.ewp_refresh_omobility_las.delay, sending, ids))
    return xml_response(omobility_las.cnr_response())
