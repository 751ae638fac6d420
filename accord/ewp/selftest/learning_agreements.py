"""Outgoing Mobility Learning Agreements v1 (get, index, stats, update) and the OMobility LA CNR v1
(and its ``stats`` endpoint when the manifest entry names one).

The served HEI is the sending HEI; unknown omobility ids are ignored, missing or malformed parameters
refused, ``max-omobility-ids`` honoured, and every endpoint refuses unsigned, unknown-key, stale and
tampered requests. ``update`` takes an XML body: an empty or non-XML one must be refused, and so must a
well-formed approval of a mobility the node does not have (400, or 409 "your copy is not up to date",
which the specification also allows). The CNR names an unknown mobility of the caller's HEI: the node
finds nothing to fetch."""

from datetime import UTC, datetime

from lxml import etree

from accord.ewp.node import xml
from accord.ewp.node.xml import qname, sub
from accord.ewp.selftest.core import (
    Check,
    Endpoint,
    caller_hei,
    no_params,
    omobility_cnr_checks,
    omobility_get_checks,
    omobility_index_checks,
    refused,
    security_checks,
    served_hei,
    stats_checks,
)
from accord.ewp.selftest.node import UNKNOWN_ID, Node

API = "omobility-las"


def _sender(node: Node) -> list[tuple[str, str]]:
    return [("sending_hei_id", served_hei(node))]


def _caller_as_sender(node: Node) -> list[tuple[str, str]]:
    return [("sending_hei_id", caller_hei(node))]


def update_request(node: Node) -> bytes:
    """An ``omobility-las-update-request`` approving a proposal of a mobility no node has."""
    ns, la = xml.OMOBILITY_LAS_UPDATE_REQUEST, xml.OMOBILITY_LAS_GET
    root = etree.Element(qname(ns, "omobility-las-update-request"), nsmap={None: ns, "la": la})
    sub(root, ns, "sending-hei-id", served_hei(node))
    approval = sub(root, ns, "approve-proposal-v1")
    sub(approval, ns, "omobility-id", UNKNOWN_ID)
    sub(approval, ns, "changes-proposal-id", UNKNOWN_ID)
    signature = sub(approval, ns, "signature")
    sub(signature, la, "signer-name", "Accord EWP self-test")
    sub(signature, la, "signer-position", "conformance check")
    sub(signature, la, "timestamp", datetime.now(UTC).isoformat(timespec="seconds"))
    sub(signature, la, "signer-app", "Accord ewp_selftest")
    return xml.to_bytes(root)


GET = Endpoint(
    API,
    "omobility-las get",
    "get-url",
    "omobility-las-get",
    lambda n: [*_sender(n), ("omobility_id", UNKNOWN_ID)],
)
INDEX = Endpoint(API, "omobility-las index", "index-url", "omobility-las-index", _sender)
STATS = Endpoint(API, "omobility-las stats", "stats-url", "omobility-las-stats", no_params)
UPDATE = Endpoint(
    API,
    "omobility-las update",
    "update-url",
    "omobility-las-update",
    no_params,
    methods=("POST",),  # an XML body, POST only
    body=update_request,
)
CNR = Endpoint(
    "omobility-la-cnr",
    "omobility-la cnr",
    "url",
    "omobility-la-cnr",
    lambda n: [*_caller_as_sender(n), ("omobility_id", UNKNOWN_ID)],
    methods=("POST",),
)
CNR_STATS = Endpoint(
    "omobility-la-cnr", "omobility-la cnr stats", "stats-url", "omobility-la-cnr-stats", no_params
)

CHECKS = [
    *omobility_get_checks(GET, _sender, "sending_hei_id", "la"),
    *omobility_index_checks(INDEX, _sender, "sending_hei_id"),
    Check(
        "omobility-las index: malformed receiving_academic_year_id → 400",
        API,
        refused(INDEX, lambda n: [*_sender(n), ("receiving_academic_year_id", "2024-2025")]),
    ),
    *stats_checks(STATS),
    Check("omobility-las update: empty body → 400", API, refused(UPDATE, body=lambda n: b"")),
    Check(
        "omobility-las update: non-XML body → 400",
        API,
        refused(UPDATE, body=lambda n: b"sending_hei_id=not-an-xml-document"),
    ),
    Check(
        "omobility-las update: approval of an unknown omobility_id → 400/409",
        API,
        refused(UPDATE, status=(400, 409)),
    ),
    *security_checks(UPDATE),
    *omobility_cnr_checks(CNR, _caller_as_sender),
    Check(
        "omobility-la cnr: missing sending_hei_id → 400",
        "omobility-la-cnr",
        refused(CNR, lambda n: [("omobility_id", UNKNOWN_ID)]),
    ),
    *stats_checks(CNR_STATS),
]
