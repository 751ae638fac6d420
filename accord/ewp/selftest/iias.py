"""Interinstitutional Agreements v7 (index, get with the recomputed ``iia-hash``, stats), IIAs Approval
v2, and the IIA and IIA Approval CNRs. The CNRs name an agreement id that does not exist: the node finds
nothing to fetch."""

from lxml import etree

from accord.algorithms.ewp.iia_hash import IiaHashError, hash_get_response
from accord.ewp.node import xml
from accord.ewp.node.xml import qname
from accord.ewp.selftest.core import (
    Check,
    Endpoint,
    caller_hei,
    endpoint_checks,
    limit_checks,
    no_params,
    ok_with,
    refused,
    security_checks,
    served_hei,
    stats_checks,
)
from accord.ewp.selftest.node import UNKNOWN_ID, Node
from accord.ewp.selftest.report import CheckFailed, CheckSkipped


def _learn_index(node: Node, root: etree._Element) -> None:
    node.iia_ids = [element.text or "" for element in root.findall(qname(xml.IIAS_INDEX, "iia-id"))]


def _learn_get(node: Node, root: etree._Element) -> None:
    if not node.iia_ids:
        return
    found = {element.text for element in root.iter(qname(xml.IIAS_GET, "iia-id"))}
    if node.iia_ids[0] not in found:
        raise CheckFailed(f"the index lists {node.iia_ids[0]} but get does not return it")


def _check_iia_hashes(node: Node) -> str:
    if not node.iia_ids:
        raise CheckSkipped("the index lists no agreement for the self-test key's HEIs")
    limit = node.limit("iias", "max-iia-ids")
    response = node.send("POST", node.url("iias", "get-url"), [("iia_id", i) for i in node.iia_ids[:limit]])
    root = node.document(response, "iias-get")
    try:
        computed = hash_get_response(root)
    except IiaHashError as exc:
        raise CheckFailed(f"the official hash algorithm stops on this response: {exc}") from None
    served = [
        element.findtext(qname(xml.IIAS_GET, "iia-hash")) for element in root.iter(qname(xml.IIAS_GET, "iia"))
    ]
    wrong = [result.iia_id for result, hash_ in zip(computed, served, strict=True) if result.hash != hash_]
    if wrong:
        raise CheckFailed(f"iia-hash differs from the recomputed hash for {', '.join(wrong)}")
    return f"the iia-hash of {len(served)} agreement(s) equals the hash recomputed from the response"


def _approval_base(node: Node) -> list[tuple[str, str]]:
    return [("approving_hei_id", served_hei(node)), ("owner_hei_id", caller_hei(node))]


def _approval_cnr_base(node: Node) -> list[tuple[str, str]]:
    return [("approving_hei_id", caller_hei(node)), ("owner_hei_id", served_hei(node))]


INDEX = Endpoint("iias", "iias index", "index-url", "iias-index", no_params, learn=_learn_index)
GET = Endpoint(
    "iias",
    "iias get",
    "get-url",
    "iias-get",
    lambda node: [("iia_id", (node.iia_ids or [UNKNOWN_ID])[0])],
    learn=_learn_get,
)
STATS = Endpoint("iias", "iias stats", "stats-url", "iias-stats", no_params)
APPROVAL = Endpoint(
    "iias-approval",
    "iias approval",
    "url",
    "iias-approval",
    lambda node: [*_approval_base(node), ("iia_id", UNKNOWN_ID)],
)
CNR = Endpoint(
    "iia-cnr",
    "iia cnr",
    "url",
    "iia-cnr",
    lambda node: [("notifier_hei_id", caller_hei(node)), ("iia_id", UNKNOWN_ID)],
    methods=("POST",),  # CNRs are POST only; servers may refuse other methods
)
APPROVAL_CNR = Endpoint(
    "iia-approval-cnr",
    "iia approval cnr",
    "url",
    "iia-approval-cnr",
    lambda node: [*_approval_cnr_base(node), ("iia_id", UNKNOWN_ID)],
    methods=("POST",),
)

CHECKS = [
    *endpoint_checks(INDEX),
    Check(
        "iias index: malformed receiving_academic_year_id → 400",
        "iias",
        refused(INDEX, lambda n: [("receiving_academic_year_id", "2024-2025")]),
    ),
    Check(
        "iias index: malformed modified_since → 400",
        "iias",
        refused(INDEX, lambda n: [("modified_since", "yesterday")]),
    ),
    *security_checks(INDEX),
    *endpoint_checks(GET),
    Check(
        "iias get: unknown iia_id ignored", "iias", ok_with(GET, lambda n: [("iia_id", UNKNOWN_ID)], "iia")
    ),
    Check("iias get: missing iia_id → 400", "iias", refused(GET, no_params)),
    *limit_checks(GET, "iia_id", "max-iia-ids", no_params),
    Check("iias get: iia-hash recomputes", "iias", _check_iia_hashes),
    *security_checks(GET),
    *stats_checks(STATS),
    *endpoint_checks(APPROVAL),
    Check(
        "iias approval: unknown iia_id ignored",
        "iias-approval",
        ok_with(APPROVAL, APPROVAL.params, "approval"),
    ),
    Check("iias approval: missing iia_id → 400", "iias-approval", refused(APPROVAL, _approval_base)),
    *limit_checks(APPROVAL, "iia_id", "max-iia-ids", _approval_base),
    *security_checks(APPROVAL),
    *endpoint_checks(CNR),
    Check(
        "iia cnr: missing iia_id → 400",
        "iia-cnr",
        refused(CNR, lambda n: [("notifier_hei_id", caller_hei(n))]),
    ),
    Check(
        "iia cnr: missing notifier_hei_id → 400", "iia-cnr", refused(CNR, lambda n: [("iia_id", UNKNOWN_ID)])
    ),
    *security_checks(CNR),
    *endpoint_checks(APPROVAL_CNR),
    Check(
        "iia approval cnr: missing iia_id → 400",
        "iia-approval-cnr",
        refused(APPROVAL_CNR, _approval_cnr_base),
    ),
    *security_checks(APPROVAL_CNR),
]
