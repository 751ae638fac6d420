"""Incoming Mobilities v2 as the receiving node serves it: the actual arrival and departure dates it
recorded, and the ``get`` endpoint (the sending node fetches them, :mod:`accord.ewp.pull.imobilities`).

EWP makes the receiving institution the master of these dates. Served are our copies of partners'
mobilities (by the sending node's omobility-id) and the mobilities Accord owns whose receiving
institution is served here (by our id), each only to a caller covering its sending institution.
"""

from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse, QueryDict
from lxml import etree

from accord.algorithms.ewp.mobility import EwpImobility, imobility_element
from accord.ewp.models import RemoteMobility
from accord.ewp.node import xml
from accord.ewp.node.mobility_scope import NOT_SERVED_SOURCES
from accord.ewp.serve.endpoint import ewp_endpoint, xml_response
from accord.ewp.serve.params import LIMITS, required_ids, served_hei
from accord.mobilities.models import Mobility


def _numbers(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isascii() and value.isdigit() and len(value) < 19]


def incoming_mobilities(
    *, receiving_hei_id: str, caller_hei_ids: tuple[str, ...], omobility_ids: list[str]
) -> list[EwpImobility]:
    """The actual dates of the mobilities ``omobility_ids`` received by ``receiving_hei_id`` (served
    here) and sent by an institution the caller covers; others are ignored, in the order asked."""
    callers = [hei_id.lower() for hei_id in caller_hei_ids]
    found: dict[str, Mobility] = {}
    copies = RemoteMobility.objects.filter(
        omobility_id__in=omobility_ids,
        sending_hei_id__in=callers,
        mobility__receiving_organisation__schac_code__iexact=receiving_hei_id,
    ).select_related("mobility")
    for copy in copies:
        found[copy.omobility_id] = copy.mobility
    owned = (
        Mobility.objects.exclude(source__in=NOT_SERVED_SOURCES)
        .annotate(sending_hei=Lower("sending_organisation__schac_code"))
        .filter(
            pk__in=_numbers(omobility_ids),
            sending_hei__in=callers,
            receiving_organisation__schac_code__iexact=receiving_hei_id,
        )
    )
    for mobility in owned:
        found.setdefault(str(mobility.pk), mobility)
    return [
        EwpImobility(omobility_id, found[omobility_id].actual_start, found[omobility_id].actual_end)
        for omobility_id in omobility_ids
        if omobility_id in found
    ]


def get_response(mobilities: list[EwpImobility]) -> bytes:
    root = etree.Element(
        f"{{{xml.IMOBILITIES_GET}}}imobilities-get-response", nsmap={None: xml.IMOBILITIES_GET}
    )
    for mobility in mobilities:
        root.append(imobility_element(mobility))
    return xml.to_bytes(root)


# --- endpoint -------------------------------------------------------------------------------------------


@ewp_endpoint()
def imobilities_get(request: HttpRequest, params: QueryDict) -> HttpResponse:
    receiving = served_hei(params, "receiving_hei_id", required=True)
    ids = required_ids(params, "omobility_id", limit=LIMITS.mobility_ids)
    mobilities = incoming_mobilities(
        receiving_hei_id=receiving, caller_hei_ids=request.ewp_client.hei_ids, omobility_ids=ids
    )
    return xml_response(get_response(mobilities))
