"""Mobility Factsheet v1: the served HEI's factsheet (or nothing when none is recorded), unknown
``hei_id`` ignored, a missing one refused, ``max-hei-ids`` honoured."""

from accord.ewp.node import xml
from accord.ewp.node.xml import qname
from accord.ewp.selftest.core import (
    Check,
    CheckFunction,
    Endpoint,
    limit_checks,
    no_params,
    ok_with,
    refused,
    security_checks,
    served_hei,
)
from accord.ewp.selftest.node import UNKNOWN_ID, Node
from accord.ewp.selftest.report import CheckFailed

FACTSHEET = Endpoint(
    "factsheet", "factsheet", "url", "factsheet", lambda node: [("hei_id", served_hei(node))]
)


def _answers_for_the_served_hei(method: str) -> CheckFunction:
    def check(node: Node) -> str:
        root = node.document(FACTSHEET.send(node, method), "factsheet")
        heis = [element.text for element in root.iter(qname(xml.FACTSHEET, "hei-id"))]
        if heis not in ([], [node.hei_id]):
            raise CheckFailed(f"asked for {node.hei_id}, got factsheets of {heis!r}")
        return f"HTTP 200, {node.valid} factsheet-response ({len(heis)} factsheet)"

    return check


CHECKS = [
    *(
        Check(f"factsheet: {method}", "factsheet", _answers_for_the_served_hei(method))
        for method in FACTSHEET.methods
    ),
    Check(
        "factsheet: unknown hei_id ignored",
        "factsheet",
        ok_with(FACTSHEET, lambda n: [("hei_id", UNKNOWN_ID)], "factsheet"),
    ),
    Check("factsheet: missing hei_id → 400", "factsheet", refused(FACTSHEET, no_params)),
    *limit_checks(FACTSHEET, "hei_id", "max-hei-ids", no_params),
    *security_checks(FACTSHEET),
]
