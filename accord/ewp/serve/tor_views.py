"""Incoming Mobility ToRs v3 (get, index), served by the receiving institution, and the IMobility ToR CNR
v2 receiver, served by the sending institution. Which transcripts are served to whom: :mod:`.tors`.

``receiving_hei_id`` is required by both endpoints. ``get`` refuses (400) an institution this node does
not serve, as the other get endpoints do; ``index`` answers an empty list then, as its specification
asks of unknown values ("allowed, not ignored"), and likewise for ``sending_hei_id`` values the caller
does not cover.
"""

from functools import partial

from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict

from accord.ewp import tasks
from accord.ewp.serve import tors
from accord.ewp.serve.discovery import LIMITS
from accord.ewp.serve.endpoint import ewp_endpoint, xml_response
from accord.ewp.serve.params import (
    callers_heis,
    covered_hei_ids,
    modified_since,
    required_ids,
    served_hei,
    single,
)


@ewp_endpoint()
def imobility_tors_get(request: HttpRequest, params: QueryDict) -> HttpResponse:
    receiving = served_hei(params, "receiving_hei_id", required=True)
    ids = required_ids(params, "omobility_id", limit=LIMITS.tor_omobility_ids)
    mobilities = tors.served_transcripts(
        receiving_hei_id=receiving, sending_hei_ids=covered_hei_ids(request), omobility_ids=ids
    )
    return xml_response(tors.get_response(tors.with_transcripts(mobilities)))


@ewp_endpoint()
def imobility_tors_index(request: HttpRequest, params: QueryDict) -> HttpResponse:
    receiving = single(params, "receiving_hei_id", required=True)
    since = modified_since(params)
    covered = covered_hei_ids(request)
    asked = params.getlist("sending_hei_id")
    senders = [hei_id for hei_id in asked if hei_id.lower() in covered] if asked else covered
    mobilities = tors.served_transcripts(
        receiving_hei_id=receiving, sending_hei_ids=senders, modified_since=since
    ).select_related("ewp_remote")
    return xml_response(tors.index_response([tors.omobility_id(mobility) for mobility in mobilities]))


@ewp_endpoint()
def imobility_tor_cnr(request: HttpRequest, params: QueryDict) -> HttpResponse:
    """A receiving institution's transcripts changed: queue a fetch (the answer does not wait).

    ToR CNR v2 sends only ``omobility_id``; the receiving institutions are those the signing key covers.
    The ``receiving_hei_id`` of v1 is still accepted, and must be one of them (403 otherwise).
    """
    receivers = sorted(hei_id.lower() for hei_id in callers_heis(request, params, "receiving_hei_id"))
    ids = required_ids(params, "omobility_id", limit=LIMITS.tor_cnr_omobility_ids)
    if receivers:
        transaction.on_commit(partial(tasks.ewp_fetch_tors.delay, receivers, ids))
    return xml_response(tors.cnr_response())
