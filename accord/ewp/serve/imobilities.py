"""Incoming Mobilities v2: the receiving node serves the actual arrival and departure dates it recorded,
and the sending node fetches them into its own mobility when the IMobility CNR v2 says they changed.

EWP makes the receiving institution the master of these dates. Served are our copies of partners'
mobilities (by the sending node's omobility-id) and the mobilities Accord owns whose receiving
institution is served here (by our id), each only to a caller covering its sending institution. The
sending node records what it fetches through the mobilities service for dates, as the receiving
institution's system account, so every rule of that service holds.
"""

import logging
from dataclasses import dataclass, field

from django.db.models.functions import Lower
from lxml import etree

from accord.algorithms.ewp.mobility import (
    IMOBILITIES_NAMESPACE,
    EwpImobility,
    EwpMobilityError,
    imobility_element,
    parse_imobility,
)
from accord.core.errors import DomainError
from accord.ewp.models import RemoteMobility
from accord.ewp.node import xml
from accord.ewp.pull.iias import call_partner, chunks, partner_api
from accord.ewp.serve.omobilities import outgoing_mobilities
from accord.ewp.serve.omobility_las import partner_node_user
from accord.mobilities import services as mobility_services
from accord.mobilities.choices import MobilitySource
from accord.mobilities.models import Mobility

logger = logging.getLogger(__name__)


# --- serving ------------------------------------------------------------------------------------------


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
        Mobility.objects.exclude(source=MobilitySource.EWP)
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


def cnr_response() -> bytes:
    return xml.to_bytes(
        etree.Element(f"{{{xml.IMOBILITY_CNR}}}imobility-cnr-response", nsmap={None: xml.IMOBILITY_CNR})
    )


# --- fetching (the sending node) -----------------------------------------------------------------------


@dataclass
class DatesFetchReport:
    recorded: list[int] = field(default_factory=list)
    """Our mobilities whose actual dates were recorded."""
    skipped: list[tuple[str, str]] = field(default_factory=list)


def fetch_imobilities(receiving_hei_id: str, omobility_ids: list[str]) -> DatesFetchReport:
    """Fetch the actual dates of our mobilities ``omobility_ids`` from the receiving node and record
    those that changed. Raises :class:`accord.ewp.pull.iias.PartnerUnavailable`."""
    report = DatesFetchReport()
    ours = {
        str(mobility.pk): mobility
        for mobility in outgoing_mobilities(
            sending_hei_id=None, receiving_hei_ids=[receiving_hei_id], omobility_ids=omobility_ids
        )
    }
    if not ours:
        return report
    api = partner_api(receiving_hei_id, xml.IMOBILITIES_ENTRY, "imobilities")
    for chunk in chunks(list(ours), api.limits.get("max-omobility-ids", 1)):
        data = [("receiving_hei_id", receiving_hei_id), *(("omobility_id", value) for value in chunk)]
        root = call_partner(api.urls.get("get-url", ""), data, "imobilities-get-response")
        for element in root.iterchildren(f"{{{IMOBILITIES_NAMESPACE}}}student-mobility"):
            try:
                dates = parse_imobility(element)
            except EwpMobilityError as exc:
                report.skipped.append(("", str(exc)))
                continue
            mobility = ours.get(dates.omobility_id)
            if mobility is None:
                continue
            _record(mobility, dates, report)
    return report


def _record(mobility: Mobility, dates: EwpImobility, report: DatesFetchReport) -> None:
    if dates.actual_arrival is None:
        report.skipped.append((dates.omobility_id, "no arrival recorded yet"))
        return
    if (mobility.actual_start, mobility.actual_end) == (dates.actual_arrival, dates.actual_departure):
        return
    try:
        mobility_services.mobility_record_dates(
            actor=partner_node_user(mobility.receiving_organisation),
            mobility=mobility,
            actual_start=dates.actual_arrival,
            actual_end=dates.actual_departure,
        )
    except DomainError as exc:
        report.skipped.append((dates.omobility_id, str(exc)))
        logger.warning("Actual dates of mobility %s not recorded: %s", mobility.pk, exc)
        return
    report.recorded.append(mobility.pk)
