"""A conformance self-test of an EWP node (Accord or any other), run the way the network's validator
runs it: from the node's discovery manifest, every API it declares and this module knows is called over
HTTP, signed with a key the tested node must trust (its registry catalogue lists it as a client key).

Each check answers pass, fail or skip with a reason. Documents are checked for well-formedness and
their root element, and against the official XSDs when a schemas folder is given; without one, the
report says that XSD validation was skipped and why. APIs declared in the manifest but unknown here are
reported as not checked. The checks are a list (:data:`CHECKS`); :func:`run_selftest` runs them in order,
later checks reusing what earlier ones learnt (the caller's HEIs from Echo, ids from the index). How the
node is called and its documents checked is in :mod:`accord.ewp.selftest_node`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from accord.algorithms import ewp_schemas
from accord.algorithms.http_signature import (
    ALGORITHM,
    HttpSignatureError,
    key_id,
    load_public_key_base64,
    parse_parameters,
    verify_response,
)
from accord.algorithms.iia_hash import IiaHashError, hash_get_response
from accord.ewp import xml
from accord.ewp.selftest_node import (
    DEFAULT_TIMEOUT_SECONDS,
    KNOWN_APIS,
    STALE_BY,
    UNKNOWN_ID,
    CheckFailed,
    CheckResult,
    CheckSkipped,
    Node,
    Report,
    Status,
)
from accord.ewp.xml import qname

__all__ = ["CHECKS", "DEFAULT_TIMEOUT_SECONDS", "Check", "CheckResult", "Report", "Status", "run_selftest"]

# --- Checks -------------------------------------------------------------------------------------------

CheckFunction = Callable[[Node], str]


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    api: str | None
    """The API that must be declared in the manifest for the check to run (None: always runs)."""
    run: CheckFunction


def _values(name: str, count: int) -> list[tuple[str, str]]:
    return [(name, f"{UNKNOWN_ID}-{n}") for n in range(count)]


def _caller_hei(node: Node) -> str:
    if not node.caller_heis:
        raise CheckSkipped(
            "the node's Echo named no HEI covered by the self-test key (is it in its catalogue?)"
        )
    return node.caller_heis[0]


def _served_hei(node: Node) -> str:
    if node.hei_id is None:
        raise CheckSkipped("the manifest covers no HEI")
    return node.hei_id


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One URL of an API, with the parameters of a request it must accept."""

    api: str
    label: str
    url_name: str
    kind: str
    params: Callable[[Node], list[tuple[str, str]]]
    methods: tuple[str, ...] = ("GET", "POST")


ENDPOINTS = (
    Endpoint("echo", "echo", "url", "echo", lambda node: [("echo", "accord-selftest"), ("echo", "ż")]),
    Endpoint(
        "institutions", "institutions", "url", "institutions", lambda node: [("hei_id", _served_hei(node))]
    ),
    Endpoint(
        "ounits",
        "ounits",
        "url",
        "ounits",
        lambda node: [("hei_id", _served_hei(node)), ("ounit_id", (node.ounit_ids or [UNKNOWN_ID])[0])],
    ),
    Endpoint("iias", "iias index", "index-url", "iias-index", lambda node: []),
    Endpoint(
        "iias",
        "iias get",
        "get-url",
        "iias-get",
        lambda node: [("iia_id", (node.iia_ids or [UNKNOWN_ID])[0])],
    ),
    Endpoint("iias", "iias stats", "stats-url", "iias-stats", lambda node: []),
    Endpoint(
        "iias-approval",
        "iias approval",
        "url",
        "iias-approval",
        lambda node: [
            ("approving_hei_id", _served_hei(node)),
            ("owner_hei_id", _caller_hei(node)),
            ("iia_id", UNKNOWN_ID),
        ],
    ),
    Endpoint(
        "iia-cnr",
        "iia cnr",
        "url",
        "iia-cnr",
        lambda node: [("notifier_hei_id", _caller_hei(node)), ("iia_id", UNKNOWN_ID)],
        methods=("POST",),  # CNRs are POST only; servers may refuse other methods
    ),
    Endpoint(
        "iia-approval-cnr",
        "iia approval cnr",
        "url",
        "iia-approval-cnr",
        lambda node: [
            ("approving_hei_id", _caller_hei(node)),
            ("owner_hei_id", _served_hei(node)),
            ("iia_id", UNKNOWN_ID),
        ],
        methods=("POST",),
    ),
)


def _answers(endpoint: Endpoint, method: str) -> CheckFunction:
    def check(node: Node) -> str:
        root = node.document(
            node.send(method, node.url(endpoint.api, endpoint.url_name), endpoint.params(node)), endpoint.kind
        )
        _LEARN.get(endpoint.label, lambda node, root: None)(node, root)
        return f"HTTP 200, {node.valid} {etree.QName(root).localname}"

    return check


def _learn_echo(node: Node, root: etree._Element) -> None:
    echoes = [element.text or "" for element in root.findall(qname(xml.ECHO, "echo"))]
    if echoes != ["accord-selftest", "ż"]:
        raise CheckFailed(f"echo values came back as {echoes!r}")
    node.caller_heis = [element.text or "" for element in root.findall(qname(xml.ECHO, "hei-id"))]


def _learn_institutions(node: Node, root: etree._Element) -> None:
    ns = xml.INSTITUTIONS
    heis = [hei.findtext(qname(ns, "hei-id")) for hei in root.findall(qname(ns, "hei"))]
    if heis != [node.hei_id]:
        raise CheckFailed(f"asked for {node.hei_id}, got {heis!r}")
    hei = root.find(qname(ns, "hei"))
    node.ounit_ids = [
        element.text or ""
        for element in hei.iter(qname(ns, "root-ounit-id"), qname(ns, "ounit-id"))
        if element.text
    ]


def _learn_index(node: Node, root: etree._Element) -> None:
    node.iia_ids = [element.text or "" for element in root.findall(qname(xml.IIAS_INDEX, "iia-id"))]


def _learn_get(node: Node, root: etree._Element) -> None:
    if not node.iia_ids:
        return
    found = {element.text for element in root.iter(qname(xml.IIAS_GET, "iia-id"))}
    if node.iia_ids[0] not in found:
        raise CheckFailed(f"the index lists {node.iia_ids[0]} but get does not return it")


def _learn_ounits(node: Node, root: etree._Element) -> None:
    found = {element.text for element in root.iter(qname(xml.OUNITS, "ounit-id"))}
    if node.ounit_ids and node.ounit_ids[0] not in found:
        raise CheckFailed(
            f"the Institutions API lists ounit {node.ounit_ids[0]} but ounits does not return it"
        )


_LEARN = {
    "echo": _learn_echo,
    "ounits": _learn_ounits,
    "institutions": _learn_institutions,
    "iias index": _learn_index,
    "iias get": _learn_get,
}


def _unsigned(endpoint: Endpoint) -> CheckFunction:
    def check(node: Node) -> str:
        response = node.send(
            "POST", node.url(endpoint.api, endpoint.url_name), endpoint.params(node), key=None
        )
        return node.error(response, 401)

    return check


def _unknown_key(endpoint: Endpoint) -> CheckFunction:
    def check(node: Node) -> str:
        url = node.url(endpoint.api, endpoint.url_name)
        response = node.send("POST", url, endpoint.params(node), key=node.stranger)
        return node.error(response, 403) + f" (throw-away key {key_id(node.stranger.public_key())[:12]}…)"

    return check


def _stale(endpoint: Endpoint) -> CheckFunction:
    def check(node: Node) -> str:
        url = node.url(endpoint.api, endpoint.url_name)
        response = node.send("POST", url, endpoint.params(node), now=datetime.now(UTC) - STALE_BY)
        return node.error(response, 400) + f" (Date {int(STALE_BY.total_seconds() // 60)} minutes old)"

    return check


def _tampered(endpoint: Endpoint) -> CheckFunction:
    def check(node: Node) -> str:
        url = node.url(endpoint.api, endpoint.url_name)
        response = node.send("POST", url, endpoint.params(node), tamper_body=True)
        return node.error(response, 400) + " (body changed after signing)"

    return check


def _ok_with(endpoint: Endpoint, params: Callable[[Node], list[tuple[str, str]]], expect_empty: str | None):
    """A request the node must answer with 200; with ``expect_empty``, no such element may come back."""

    def check(node: Node) -> str:
        url = node.url(endpoint.api, endpoint.url_name)
        root = node.document(node.send("POST", url, params(node)), endpoint.kind)
        if expect_empty and root.find(f"{{*}}{expect_empty}") is not None:
            raise CheckFailed(f"unknown ids should be ignored, but a <{expect_empty}> came back")
        return f"HTTP 200, {node.valid} response" + (f" without <{expect_empty}>" if expect_empty else "")

    return check


def _refused(endpoint: Endpoint, params: Callable[[Node], list[tuple[str, str]]]) -> CheckFunction:
    def check(node: Node) -> str:
        return node.error(node.send("POST", node.url(endpoint.api, endpoint.url_name), params(node)), 400)

    return check


def _endpoint(label: str) -> Endpoint:
    return next(endpoint for endpoint in ENDPOINTS if endpoint.label == label)


# --- Discovery and transport checks


def _check_schemas(node: Node) -> str:
    if node.schemas_problem:
        raise CheckFailed(node.schemas_problem)
    if node.schemas is None:
        raise CheckSkipped(
            "XSD validation skipped: no schemas folder (give --schemas DIR or set ACCORD_EWP_SCHEMAS); "
            "structural checks still run"
        )
    return f"validating against the official XSDs in {node.schemas}"


def _check_manifest(node: Node) -> str:
    response = node.send("GET", node.manifest_url, key=None)
    root = node.document(response, "manifest")
    node.manifest = root
    host = root.find(qname(xml.MANIFEST, "host"))
    if host is None:
        raise CheckFailed("the manifest declares no <host>")
    heis = [
        hei.get("id") or ""
        for hei in host.iterfind(f"{{{xml.MANIFEST}}}institutions-covered/{{{xml.REGISTRY}}}hei")
    ]
    if node.hei_id is None:
        node.hei_id = heis[0] if heis else None
    elif node.hei_id not in heis:
        raise CheckFailed(f"--hei {node.hei_id} is not among the HEIs the manifest covers: {heis}")
    apis = host.find(qname(xml.REGISTRY, "apis-implemented"))
    for entry in apis if apis is not None else ():
        if not isinstance(entry.tag, str):
            continue
        name = etree.QName(entry)
        known = KNOWN_APIS.get((name.namespace, name.localname))
        if known:
            node.apis[known] = entry
        else:
            node.unknown_apis.append(f"{name.localname} {entry.get('version', '?')} ({name.namespace})")
    covered = ", ".join(heis) or "no HEI"
    return f"HTTP 200, {node.valid} manifest covering {covered}; APIs: {', '.join(node.apis)}"


def _check_other_method(node: Node) -> str:
    response = node.send("PUT", node.url("echo"), [("echo", "x")])
    return node.error(response, 405)


def _check_signed_response(node: Node) -> str:
    """When an entry announces srvauth-httpsig, a response asked for with Accept-Signature is signed by a
    server key the manifest publishes."""
    entry = node.apis["echo"]
    if entry.find(f".//{{{xml.SRVAUTH_HTTPSIG}}}httpsig") is None:
        raise CheckSkipped("the Echo entry does not announce signed responses (srvauth-httpsig)")
    keys = {}
    for element in node.manifest.iterfind(
        f".//{{{xml.MANIFEST}}}server-credentials-in-use/{{{xml.MANIFEST}}}rsa-public-key"
    ):
        public = load_public_key_base64(element.text or "")
        keys[key_id(public)] = public
    response = node.send(
        "GET", node.url("echo"), [("echo", "signed")], headers={"Accept-Signature": ALGORITHM}
    )
    node.document(response, "echo")
    sent = response.request.headers
    try:
        verify_response(
            headers=response.headers,
            body=response.content,
            public_key_for=keys.get,
            request_id=sent["X-Request-Id"],
            request_signature=parse_parameters(sent["Authorization"].partition(" ")[2]).signature,
        )
    except HttpSignatureError as exc:
        raise CheckFailed(
            f"the response signature does not verify against the manifest's server keys: {exc}"
        ) from None
    return "response signed by a server key the manifest publishes"


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


def _security_checks(endpoint: Endpoint) -> list[Check]:
    return [
        Check(f"{endpoint.label}: unsigned request → 401", endpoint.api, _unsigned(endpoint)),
        Check(f"{endpoint.label}: key not in the catalogue → 403", endpoint.api, _unknown_key(endpoint)),
        Check(f"{endpoint.label}: stale Date → 400", endpoint.api, _stale(endpoint)),
        Check(f"{endpoint.label}: Digest not matching the body → 400", endpoint.api, _tampered(endpoint)),
    ]


def _endpoint_checks(endpoint: Endpoint) -> list[Check]:
    return [
        Check(f"{endpoint.label}: {method}", endpoint.api, _answers(endpoint, method))
        for method in endpoint.methods
    ]


def _limit_checks(
    endpoint: Endpoint, parameter: str, limit_name: str, base: Callable[[Node], list]
) -> list[Check]:
    def at_limit(node: Node) -> list[tuple[str, str]]:
        return base(node) + _values(parameter, node.limit(endpoint.api, limit_name))

    def over_limit(node: Node) -> list[tuple[str, str]]:
        return base(node) + _values(parameter, node.limit(endpoint.api, limit_name) + 1)

    return [
        Check(
            f"{endpoint.label}: {limit_name} {parameter} values accepted",
            endpoint.api,
            _ok_with(endpoint, at_limit, None),
        ),
        Check(
            f"{endpoint.label}: {limit_name} + 1 {parameter} values → 400",
            endpoint.api,
            _refused(endpoint, over_limit),
        ),
    ]


def _build_checks() -> list[Check]:
    echo, institutions, ounits = _endpoint("echo"), _endpoint("institutions"), _endpoint("ounits")
    index, get, stats = _endpoint("iias index"), _endpoint("iias get"), _endpoint("iias stats")
    approval, cnr, approval_cnr = (
        _endpoint("iias approval"),
        _endpoint("iia cnr"),
        _endpoint("iia approval cnr"),
    )

    def hei(node: Node) -> list[tuple[str, str]]:
        return [("hei_id", _served_hei(node))]

    def approval_base(node: Node) -> list[tuple[str, str]]:
        return [("approving_hei_id", _served_hei(node)), ("owner_hei_id", _caller_hei(node))]

    checks = [
        Check("schemas", None, _check_schemas),
        Check("discovery: manifest", None, _check_manifest),
        *_endpoint_checks(echo),
        Check("echo: PUT → 405", "echo", _check_other_method),
        Check("echo: signed response on request", "echo", _check_signed_response),
        *_security_checks(echo),
        *_endpoint_checks(institutions),
        Check(
            "institutions: unknown hei_id ignored",
            "institutions",
            _ok_with(institutions, lambda n: [("hei_id", UNKNOWN_ID)], "hei"),
        ),
        Check("institutions: missing hei_id → 400", "institutions", _refused(institutions, lambda n: [])),
        *_limit_checks(institutions, "hei_id", "max-hei-ids", lambda n: []),
        *_security_checks(institutions),
        *_endpoint_checks(ounits),
        Check(
            "ounits: unknown ounit_id ignored",
            "ounits",
            _ok_with(ounits, lambda n: [*hei(n), ("ounit_id", UNKNOWN_ID)], "ounit"),
        ),
        Check(
            "ounits: unknown ounit_code ignored",
            "ounits",
            _ok_with(ounits, lambda n: [*hei(n), ("ounit_code", UNKNOWN_ID)], "ounit"),
        ),
        Check(
            "ounits: missing hei_id → 400", "ounits", _refused(ounits, lambda n: [("ounit_id", UNKNOWN_ID)])
        ),
        Check(
            "ounits: unknown hei_id → 400",
            "ounits",
            _refused(ounits, lambda n: [("hei_id", UNKNOWN_ID), ("ounit_id", UNKNOWN_ID)]),
        ),
        Check(
            "ounits: ounit_id and ounit_code together → 400",
            "ounits",
            _refused(ounits, lambda n: [*hei(n), ("ounit_id", UNKNOWN_ID), ("ounit_code", UNKNOWN_ID)]),
        ),
        *_limit_checks(ounits, "ounit_id", "max-ounit-ids", hei),
        *_limit_checks(ounits, "ounit_code", "max-ounit-codes", hei),
        *_security_checks(ounits),
        *_endpoint_checks(index),
        Check(
            "iias index: malformed receiving_academic_year_id → 400",
            "iias",
            _refused(index, lambda n: [("receiving_academic_year_id", "2024-2025")]),
        ),
        Check(
            "iias index: malformed modified_since → 400",
            "iias",
            _refused(index, lambda n: [("modified_since", "yesterday")]),
        ),
        *_security_checks(index),
        *_endpoint_checks(get),
        Check(
            "iias get: unknown iia_id ignored",
            "iias",
            _ok_with(get, lambda n: [("iia_id", UNKNOWN_ID)], "iia"),
        ),
        Check("iias get: missing iia_id → 400", "iias", _refused(get, lambda n: [])),
        *_limit_checks(get, "iia_id", "max-iia-ids", lambda n: []),
        Check("iias get: iia-hash recomputes", "iias", _check_iia_hashes),
        *_security_checks(get),
        *_endpoint_checks(stats),
        *_security_checks(stats),
        *_endpoint_checks(approval),
        Check(
            "iias approval: unknown iia_id ignored",
            "iias-approval",
            _ok_with(approval, lambda n: [*approval_base(n), ("iia_id", UNKNOWN_ID)], "approval"),
        ),
        Check("iias approval: missing iia_id → 400", "iias-approval", _refused(approval, approval_base)),
        *_limit_checks(approval, "iia_id", "max-iia-ids", approval_base),
        *_security_checks(approval),
        *_endpoint_checks(cnr),
        Check(
            "iia cnr: missing iia_id → 400",
            "iia-cnr",
            _refused(cnr, lambda n: [("notifier_hei_id", _caller_hei(n))]),
        ),
        Check(
            "iia cnr: missing notifier_hei_id → 400",
            "iia-cnr",
            _refused(cnr, lambda n: [("iia_id", UNKNOWN_ID)]),
        ),
        *_security_checks(cnr),
        *_endpoint_checks(approval_cnr),
        Check(
            "iia approval cnr: missing iia_id → 400",
            "iia-approval-cnr",
            _refused(
                approval_cnr,
                lambda n: [("approving_hei_id", _caller_hei(n)), ("owner_hei_id", _served_hei(n))],
            ),
        ),
        *_security_checks(approval_cnr),
    ]
    return checks


CHECKS: list[Check] = _build_checks()


# --- Running ------------------------------------------------------------------------------------------


def manifest_url(base_url: str, hei_id: str | None) -> str:
    """``base_url`` itself when it names a manifest (``….xml``), else Accord's manifest of ``hei_id``."""
    if base_url.endswith(".xml") or not hei_id:
        return base_url
    return f"{base_url.rstrip('/')}/ewp/manifest/{hei_id}.xml"


def run_selftest(
    base_url: str,
    *,
    key: rsa.RSAPrivateKey,
    hei_id: str | None = None,
    schemas: str | Path | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    checks: Sequence[Check] | None = None,
    session: requests.Session | None = None,
) -> Report:
    """Run every check against the node whose manifest is at (or under) ``base_url``.

    ``session`` lets a caller route the requests (tests reach a node published at an https:// address
    through a loopback server); by default a plain ``requests`` session is used.
    """
    node = Node(manifest_url=manifest_url(base_url, hei_id), key=key, hei_id=hei_id, timeout=timeout)
    if session is not None:
        node.session = session
    if schemas:
        try:
            node.schemas = ewp_schemas.schema_folder(schemas)
        except ewp_schemas.SchemaFolderError as exc:
            node.schemas_problem = str(exc)
    report = Report(manifest_url=node.manifest_url)
    manifest_ok = True
    for check in CHECKS if checks is None else checks:
        if not manifest_ok and check.api is not None:
            report.results.append(CheckResult(check.name, Status.SKIP, "no usable manifest"))
            continue
        if check.api is not None and check.api not in node.apis:
            report.results.append(
                CheckResult(check.name, Status.SKIP, f"{check.api} is not declared in the manifest")
            )
            continue
        result = _run_one(check, node)
        report.results.append(result)
        if check.run is _check_manifest and result.status == Status.FAIL:
            manifest_ok = False
    report.results.extend(
        CheckResult(f"api {name}", Status.SKIP, "not checked: this self-test does not know this API")
        for name in node.unknown_apis
    )
    if session is None:
        node.session.close()
    return report


def _run_one(check: Check, node: Node) -> CheckResult:
    try:
        message = check.run(node)
    except CheckFailed as exc:
        return CheckResult(check.name, Status.FAIL, str(exc))
    except CheckSkipped as exc:
        return CheckResult(check.name, Status.SKIP, str(exc))
    except Exception as exc:  # a node answering nonsense must not stop the report
        return CheckResult(check.name, Status.FAIL, f"unexpected {type(exc).__name__}: {exc}")
    return CheckResult(check.name, Status.PASS, message)
