"""Incoming Mobility ToRs v3 (get, index), the IMobility ToR CNR v2 and Incoming Mobility ToR Stats v1:
the served HEI as ``receiving_hei_id``, unknown omobility ids ignored, missing or malformed parameters
refused, ``max-omobility-ids`` honoured, and the usual signature checks. The CNR names an unknown
mobility: the node finds nothing of ours to fetch."""

from accord.ewp.selftest.core import (
    Endpoint,
    no_params,
    omobility_cnr_checks,
    omobility_get_checks,
    omobility_index_checks,
    served_hei,
    stats_checks,
)
from accord.ewp.selftest.node import UNKNOWN_ID, Node


def _receiver(node: Node) -> list[tuple[str, str]]:
    return [("receiving_hei_id", served_hei(node))]


GET = Endpoint(
    "imobility-tors",
    "imobility-tors get",
    "get-url",
    "imobility-tors-get",
    lambda node: [*_receiver(node), ("omobility_id", UNKNOWN_ID)],
)
INDEX = Endpoint("imobility-tors", "imobility-tors index", "index-url", "imobility-tors-index", _receiver)
CNR = Endpoint(
    "imobility-tor-cnr",
    "imobility-tor cnr",
    "url",
    "imobility-tor-cnr",
    lambda node: [("omobility_id", UNKNOWN_ID)],
    methods=("POST",),
)
STATS = Endpoint("imobility-tor-stats", "imobility-tor stats", "url", "imobility-tor-stats", no_params)

CHECKS = [
    *omobility_get_checks(GET, _receiver, "receiving_hei_id", "tor"),
    *omobility_index_checks(INDEX, _receiver, "receiving_hei_id"),
    *omobility_cnr_checks(CNR, no_params),
    *stats_checks(STATS),
]
