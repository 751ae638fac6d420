"""Outgoing Mobilities v3 (get, index, update) served by the sending node, and the OMobility CNR v2
receiver of the receiving node.

The caller sees the mobilities whose *receiving* institution it covers
(``request.ewp_client.hei_ids``); ``sending_hei_id`` is required and must be served here (400
otherwise). The receiving institution approves or rejects the nomination through ``update`` (POST, XML
body): the mobilities service moves our mobility to accepted or cancelled, acting as that institution's
system account (:func:`accord.ewp.serve.omobility_las.partner_node_user`). An approval or a rejection of a
nomination that changed since the caller read it (another ``proposal-id``) answers 409.
"""

from functools import partial

from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict

from accord.algorithms.ewp.mobility import EwpMobilityError, nomination_proposal_id
from accord.ewp import tasks
from accord.ewp.serve import omobilities
from accord.ewp.serve.discovery import LIMITS
from accord.ewp.serve.endpoint import EwpError, ewp_endpoint, xml_response
from accord.ewp.serve.omobility_las import partner_node_user
from accord.ewp.serve.params import (
    academic_year,
    callers_heis,
    covered_hei_ids,
    modified_since,
    required_ids,
    served_hei,
)
from accord.exchanges import services as exchanges_services
from accord.mobilities import services as mobility_services
from accord.mobilities.choices import MobilityStatus


@ewp_endpoint()
def omobilities_get(request: HttpRequest, params: QueryDict) -> HttpResponse:
    sending = served_hei(params, "sending_hei_id", required=True)
    ids = required_ids(params, "omobility_id", limit=LIMITS.mobility_ids)
    mobilities = omobilities.outgoing_mobilities(
        sending_hei_id=sending, receiving_hei_ids=request.ewp_client.hei_ids, omobility_ids=ids
    )
    served = omobilities.servable(mobilities)
    return xml_response(omobilities.get_response([mapped for _mobility, mapped in served]))


@ewp_endpoint()
def omobilities_index(request: HttpRequest, params: QueryDict) -> HttpResponse:
    sending = served_hei(params, "sending_hei_id", required=True)
    covered = covered_hei_ids(request)
    asked = params.getlist("receiving_hei_id")
    receivers = [hei_id for hei_id in asked if hei_id.lower() in covered] if asked else list(covered)
    year = academic_year(params)
    mobilities = omobilities.outgoing_mobilities(
        sending_hei_id=sending,
        receiving_hei_ids=receivers,
        academic_year=year,
        modified_since=modified_since(params),
    )
    served = omobilities.servable(mobilities)
    return xml_response(omobilities.index_response([str(mobility.pk) for mobility, _ in served]))


def _stale() -> EwpError:
    return EwpError(
        "Your copy of the nomination is not up to date: refresh it from our server and repeat your request.",
        status=409,
    )


@ewp_endpoint()
def omobilities_update(request: HttpRequest, params: QueryDict) -> HttpResponse:
    if request.method != "POST":
        raise EwpError("the update endpoint takes POST with an XML body", status=405)
    decision = omobilities.parse_update(request.body)
    # v3 update requests name no sending HEI: our omobility-ids are unique on the node.
    mobility = omobilities.outgoing_mobilities(
        sending_hei_id=None,
        receiving_hei_ids=request.ewp_client.hei_ids,
        omobility_ids=[decision.omobility_id],
    ).first()
    if mobility is None:
        raise EwpError(
            f"no mobility {decision.omobility_id!r} of ours whose receiving institution the caller covers"
        )
    try:
        mapped = omobilities.ewp_student_mobility(mobility)
    except EwpMobilityError as exc:
        raise EwpError(f"mobility {decision.omobility_id!r} is not served over EWP: {exc}") from None
    if nomination_proposal_id(mapped) != decision.proposal_id:
        raise _stale()
    status = omobilities.ewp_status(mobility)
    wanted = "approved" if decision.approve else "rejected"
    if status == wanted:
        return xml_response(omobilities.update_response("This decision was already recorded."))
    if status != "pending":
        raise EwpError(f"The nomination is {status} already: it cannot be {wanted} now.", status=409)
    actor = partner_node_user(mobility.receiving_organisation)
    with transaction.atomic():
        if decision.approve:
            mobility_services.mobility_transition(
                actor=actor, mobility=mobility, to_status=MobilityStatus.ACCEPTED
            )
            message = "Your approval of the nomination was recorded."
        else:
            mobility_services.mobility_transition(
                actor=actor,
                mobility=mobility,
                to_status=MobilityStatus.CANCELLED,
                reason=f"{decision.comment}\n\n— {mobility.receiving_organisation.schac_code} (via EWP)",
            )
            message = "Your rejection of the nomination was recorded."
        # A nomination of the exchanges app travels as this mobility: it follows the decision.
        exchanges_services.nomination_follow_mobility(actor=actor, mobility=mobility, reason=decision.comment)
    return xml_response(omobilities.update_response(message))


@ewp_endpoint()
def omobility_cnr(request: HttpRequest, params: QueryDict) -> HttpResponse:
    """A sending institution's mobilities changed: queue a fetch (the answer does not wait)."""
    (sending,) = callers_heis(request, params, "sending_hei_id", required=True)
    ids = required_ids(params, "omobility_id", limit=LIMITS.cnr_omobility_ids)
    transaction.on_commit(partial(tasks.ewp_fetch_omobilities.delay, sending, ids))
    return xml_response(omobilities.cnr_response())
