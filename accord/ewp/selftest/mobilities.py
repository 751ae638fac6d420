"""Outgoing Mobilities v3 (get, index), Incoming Mobilities v2 (get), their CNRs v2 and Outgoing
Mobility Stats v1: the served HEI as sending or receiving HEI, unknown omobility ids ignored, missing or
malformed parameters refused, ``max-omobility-ids`` honoured, and the usual signature checks.
``update`` is not called: without a mobility of ours to decide on, it could only be refused. The CNRs
name an unknown mobility: the node finds nothing to fetch."""

from accord.ewp.selftest.core import (
    Endpoint,
    Params,
    caller_hei,
    no_params,
    omobility_cnr_checks,
    omobility_get_checks,
    omobility_index_checks,
    served_hei,
    stats_checks,
)
from accord.ewp.selftest.node import UNKNOWN_ID, Node

_UNKNOWN = [("omobility_id", UNKNOWN_ID)]


def _sender(node: Node) -> list[tuple[str, str]]:
    return [("sending_hei_id", served_hei(node))]


def _receiver(node: Node) -> list[tuple[str, str]]:
    return [("receiving_hei_id", served_hei(node))]


def _notifier(name: str) -> Params:
    return lambda node: [(name, caller_hei(node))]


GET = Endpoint(
    "omobilities", "omobilities get", "get-url", "omobilities-get", lambda n: _sender(n) + _UNKNOWN
)
INDEX = Endpoint("omobilities", "omobilities index", "index-url", "omobilities-index", _sender)
INCOMING = Endpoint(
    "imobilities", "imobilities get", "get-url", "imobilities-get", lambda n: _receiver(n) + _UNKNOWN
)
CNRS = [
    Endpoint(api, label, "url", api, lambda n, name=name: _notifier(name)(n) + _UNKNOWN, methods=("POST",))
    for api, label, name in (
        ("omobility-cnr", "omobility cnr", "sending_hei_id"),
        ("imobility-cnr", "imobility cnr", "receiving_hei_id"),
    )
]
STATS = Endpoint("omobility-stats", "omobility stats", "url", "omobility-stats", no_params)

CHECKS = [
    *omobility_get_checks(GET, _sender, "sending_hei_id", "student-mobility"),
    *omobility_get_checks(INCOMING, _receiver, "receiving_hei_id", "student-mobility"),
    *omobility_index_checks(INDEX, _sender, "sending_hei_id"),
    *(check for cnr in CNRS for check in omobility_cnr_checks(cnr, lambda n, c=cnr: c.params(n)[:1])),
    *stats_checks(STATS),
]
