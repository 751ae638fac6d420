"""Incoming Mobilities v2 ``get`` served by the receiving node, and the IMobility CNR v2 receiver of
the sending node (see :mod:`accord.ewp.serve.imobilities`)."""

from functools import partial

from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict

from accord.ewp import tasks
from accord.ewp.serve import imobilities
from accord.ewp.serve.discovery import LIMITS
from accord.ewp.serve.endpoint import ewp_endpoint, xml_response
from accord.ewp.serve.params import callers_heis, required_ids, served_hei


@ewp_endpoint()
def imobilities_get(request: HttpRequest, params: QueryDict) -> HttpResponse:
    receiving = served_hei(params, "receiving_hei_id", required=True)
    ids = required_ids(params, "omobility_id", limit=LIMITS.mobility_ids)
    mobilities = imobilities.incoming_mobilities(
        receiving_hei_id=receiving, caller_hei_ids=request.ewp_client.hei_ids, omobility_ids=ids
    )
    return xml_response(imobilities.get_response(mobilities))


@ewp_endpoint()
def imobility_cnr(request: HttpRequest, params: QueryDict) -> HttpResponse:
    """A receiving institution recorded actual dates of our mobilities: queue a fetch."""
    (receiving,) = callers_heis(request, params, "receiving_hei_id", required=True)
    ids = required_ids(params, "omobility_id", limit=LIMITS.cnr_omobility_ids)
    transaction.on_commit(partial(tasks.ewp_fetch_imobilities.delay, receiving, ids))
    return xml_response(imobilities.cnr_response())
