"""The building blocks of the checks: a named :class:`Check` bound to the API that must be declared for
it to run, an :class:`Endpoint` (one URL of an API with a request it must accept), and the check
factories every API shares: answering GET/POST with the right document, ignoring unknown ids, refusing
bad parameters, honouring ``max-*`` limits, and refusing unsigned, unknown-key, stale and tampered
requests."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests
from lxml import etree

from accord.algorithms.ewp.http_signature import key_id
from accord.ewp.selftest.node import STALE_BY, UNKNOWN_ID, Node
from accord.ewp.selftest.report import CheckFailed, CheckSkipped

CheckFunction = Callable[[Node], str]
Params = Callable[[Node], list[tuple[str, str]]]


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    api: str | None
    """The API that must be declared in the manifest for the check to run (None: always runs)."""
    run: CheckFunction


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One URL of an API, with the parameters (or XML body) of a request it must accept."""

    api: str
    label: str
    url_name: str
    kind: str
    params: Params
    methods: tuple[str, ...] = ("GET", "POST")
    learn: Callable[[Node, etree._Element], None] | None = None
    """Reads what later checks need from the accepted answer (and fails when it is inconsistent)."""
    body: Callable[[Node], bytes] | None = None
    """An XML request body sent instead of form parameters (update endpoints)."""

    def send(self, node: Node, method: str = "POST", params: Params | None = None, **options: Any):
        url = node.url(self.api, self.url_name)
        if self.body is not None and params is None:
            return node.send(method, url, body=self.body(node), **options)
        return node.send(method, url, (params or self.params)(node), **options)


def values(name: str, count: int) -> list[tuple[str, str]]:
    return [(name, f"{UNKNOWN_ID}-{n}") for n in range(count)]


def caller_hei(node: Node) -> str:
    if not node.caller_heis:
        raise CheckSkipped(
            "the node's Echo named no HEI covered by the self-test key (is it in its catalogue?)"
        )
    return node.caller_heis[0]


def served_hei(node: Node) -> str:
    if node.hei_id is None:
        raise CheckSkipped("the manifest covers no HEI")
    return node.hei_id


def answers(endpoint: Endpoint, method: str) -> CheckFunction:
    def check(node: Node) -> str:
        root = node.document(endpoint.send(node, method), endpoint.kind)
        if endpoint.learn is not None:
            endpoint.learn(node, root)
        return f"HTTP 200, {node.valid} {etree.QName(root).localname}"

    return check


def ok_with(endpoint: Endpoint, params: Params, expect_empty: str | None) -> CheckFunction:
    """A request the node must answer with 200; with ``expect_empty``, no such element may come back."""

    def check(node: Node) -> str:
        root = node.document(endpoint.send(node, params=params), endpoint.kind)
        if expect_empty and root.find(f"{{*}}{expect_empty}") is not None:
            raise CheckFailed(f"unknown ids should be ignored, but a <{expect_empty}> came back")
        return f"HTTP 200, {node.valid} response" + (f" without <{expect_empty}>" if expect_empty else "")

    return check


def refused(
    endpoint: Endpoint,
    params: Params | None = None,
    *,
    body: Callable[[Node], bytes] | None = None,
    status: int | Sequence[int] = 400,
) -> CheckFunction:
    """A request the node must refuse with an ``error-response``: other ``params`` or XML ``body``."""

    def check(node: Node) -> str:
        if body is not None:
            response = node.send("POST", node.url(endpoint.api, endpoint.url_name), body=body(node))
        else:
            response = endpoint.send(node, params=params)
        return node.error(response, status)

    return check


# How each security check spoils a request the endpoint would accept: the options of Node.send, the
# status the node must answer, and what the report adds.
_SPOILED: tuple[tuple[str, int, Callable[[Node], tuple[dict[str, Any], str]]], ...] = (
    ("unsigned request → 401", 401, lambda node: ({"key": None}, "")),
    (
        "key not in the catalogue → 403",
        403,
        lambda node: (
            {"key": node.stranger},
            f" (throw-away key {key_id(node.stranger.public_key())[:12]}…)",
        ),
    ),
    (
        "stale Date → 400",
        400,
        lambda node: (
            {"now": datetime.now(UTC) - STALE_BY},
            f" (Date {int(STALE_BY.total_seconds() // 60)} minutes old)",
        ),
    ),
    (
        "Digest not matching the body → 400",
        400,
        lambda node: ({"tamper_body": True}, " (body changed after signing)"),
    ),
)


def _spoiled(endpoint: Endpoint, status: int, spoil: Callable[[Node], tuple[dict[str, Any], str]]):
    def check(node: Node) -> str:
        options, note = spoil(node)
        response: requests.Response = endpoint.send(node, **options)
        return node.error(response, status) + note

    return check


def security_checks(endpoint: Endpoint) -> list[Check]:
    return [
        Check(f"{endpoint.label}: {name}", endpoint.api, _spoiled(endpoint, status, spoil))
        for name, status, spoil in _SPOILED
    ]


def endpoint_checks(endpoint: Endpoint) -> list[Check]:
    return [
        Check(f"{endpoint.label}: {method}", endpoint.api, answers(endpoint, method))
        for method in endpoint.methods
    ]


def stats_checks(endpoint: Endpoint) -> list[Check]:
    """A statistics endpoint: it takes no parameters, so it answers and refuses spoiled requests."""
    return [*endpoint_checks(endpoint), *security_checks(endpoint)]


def limit_checks(endpoint: Endpoint, parameter: str, limit_name: str, base: Params) -> list[Check]:
    def at_limit(node: Node) -> list[tuple[str, str]]:
        return base(node) + values(parameter, node.limit(endpoint.api, limit_name))

    def over_limit(node: Node) -> list[tuple[str, str]]:
        return base(node) + values(parameter, node.limit(endpoint.api, limit_name) + 1)

    return [
        Check(
            f"{endpoint.label}: {limit_name} {parameter} values accepted",
            endpoint.api,
            ok_with(endpoint, at_limit, None),
        ),
        Check(
            f"{endpoint.label}: {limit_name} + 1 {parameter} values → 400",
            endpoint.api,
            refused(endpoint, over_limit),
        ),
    ]


def no_params(node: Node) -> list[tuple[str, str]]:
    return []


# --- The shapes shared by the mobility APIs (Outgoing and Incoming Mobilities, their learning
# agreements and transcripts): a HEI parameter naming the served side, repeatable omobility_id.


def omobility_get_checks(endpoint: Endpoint, base: Params, hei_name: str, element: str) -> list[Check]:
    """A ``get`` taking ``base`` (the HEI parameter) and ``omobility_id``: answers, unknown ids ignored
    (no ``element`` comes back), either parameter missing refused, ``max-omobility-ids`` honoured."""
    return [
        *endpoint_checks(endpoint),
        Check(
            f"{endpoint.label}: unknown omobility_id ignored",
            endpoint.api,
            ok_with(endpoint, endpoint.params, element),
        ),
        Check(
            f"{endpoint.label}: missing {hei_name} → 400",
            endpoint.api,
            refused(endpoint, lambda node: [("omobility_id", UNKNOWN_ID)]),
        ),
        Check(f"{endpoint.label}: missing omobility_id → 400", endpoint.api, refused(endpoint, base)),
        *limit_checks(endpoint, "omobility_id", "max-omobility-ids", base),
        *security_checks(endpoint),
    ]


def omobility_index_checks(endpoint: Endpoint, base: Params, hei_name: str) -> list[Check]:
    """An ``index`` taking ``base`` (the HEI parameter): answers, a malformed ``modified_since`` and a
    missing HEI refused."""
    return [
        *endpoint_checks(endpoint),
        Check(
            f"{endpoint.label}: malformed modified_since → 400",
            endpoint.api,
            refused(endpoint, lambda node: [*base(node), ("modified_since", "yesterday")]),
        ),
        Check(f"{endpoint.label}: missing {hei_name} → 400", endpoint.api, refused(endpoint, no_params)),
        *security_checks(endpoint),
    ]


def omobility_cnr_checks(cnr: Endpoint, base: Params) -> list[Check]:
    """A CNR taking ``base`` and ``omobility_id``: answers, a missing ``omobility_id`` refused,
    ``max-omobility-ids`` honoured."""
    return [
        *endpoint_checks(cnr),
        Check(f"{cnr.label}: missing omobility_id → 400", cnr.api, refused(cnr, base)),
        *limit_checks(cnr, "omobility_id", "max-omobility-ids", base),
        *security_checks(cnr),
    ]
