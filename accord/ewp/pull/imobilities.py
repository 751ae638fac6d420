"""Incoming Mobilities v2 as the sending node uses it: when the IMobility CNR v2 says a receiving
institution recorded the actual arrival and departure dates of our mobilities, fetch them into our own
mobility.

EWP makes the receiving institution the master of these dates. What is fetched is recorded through the
mobilities service for dates, as the receiving institution's system account
(:func:`accord.ewp.services.partner_node_user`), so every rule of that service holds.
"""

import logging
from dataclasses import dataclass, field

from accord.algorithms.ewp.mobility import (
    IMOBILITIES_NAMESPACE,
    EwpImobility,
    EwpMobilityError,
    parse_imobility,
)
from accord.core.errors import DomainError
from accord.ewp.node import xml
from accord.ewp.node.client import call_partner, chunks, partner_api
from accord.ewp.serve.omobilities import outgoing_mobilities
from accord.ewp.services import partner_node_user
from accord.mobilities import services as mobility_services
from accord.mobilities.models import Mobility

logger = logging.getLogger(__name__)


@dataclass
class DatesFetchReport:
    recorded: list[int] = field(default_factory=list)
    """Our mobilities whose actual dates were recorded."""
    skipped: list[tuple[str, str]] = field(default_factory=list)


def fetch_imobilities(receiving_hei_id: str, omobility_ids: list[str]) -> DatesFetchReport:
    """Fetch the actual dates of our mobilities ``omobility_ids`` from the receiving node and record
    those that changed. Raises :class:`accord.ewp.node.client.PartnerUnavailable`."""
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
