"""Discovery and the directory APIs: the schemas folder, the manifest (which APIs are declared, which
HEI is served), Echo (which HEIs the self-test key covers, signed responses, other methods),
Institutions and Organizational Units."""

from lxml import etree

from accord.algorithms.ewp.http_signature import (
    ALGORITHM,
    HttpSignatureError,
    key_id,
    load_public_key_base64,
    parse_parameters,
    verify_response,
)
from accord.ewp.node import xml
from accord.ewp.node.xml import qname
from accord.ewp.selftest.core import (
    Check,
    Endpoint,
    endpoint_checks,
    limit_checks,
    no_params,
    ok_with,
    refused,
    security_checks,
    served_hei,
)
from accord.ewp.selftest.documents import KNOWN_APIS
from accord.ewp.selftest.node import UNKNOWN_ID, Node
from accord.ewp.selftest.report import CheckFailed, CheckSkipped


def check_schemas(node: Node) -> str:
    if node.schemas_problem:
        raise CheckFailed(node.schemas_problem)
    if node.schemas is None:
        raise CheckSkipped(
            "XSD validation skipped: no schemas folder (give --schemas DIR or set ACCORD_EWP_SCHEMAS); "
            "structural checks still run"
        )
    return f"validating against the official XSDs in {node.schemas}"


def check_manifest(node: Node) -> str:
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


def _learn_ounits(node: Node, root: etree._Element) -> None:
    found = {element.text for element in root.iter(qname(xml.OUNITS, "ounit-id"))}
    if node.ounit_ids and node.ounit_ids[0] not in found:
        raise CheckFailed(
            f"the Institutions API lists ounit {node.ounit_ids[0]} but ounits does not return it"
        )


def _hei(node: Node) -> list[tuple[str, str]]:
    return [("hei_id", served_hei(node))]


ECHO = Endpoint(
    "echo",
    "echo",
    "url",
    "echo",
    lambda node: [("echo", "accord-selftest"), ("echo", "ż")],
    learn=_learn_echo,
)
INSTITUTIONS = Endpoint(
    "institutions", "institutions", "url", "institutions", _hei, learn=_learn_institutions
)
OUNITS = Endpoint(
    "ounits",
    "ounits",
    "url",
    "ounits",
    lambda node: [*_hei(node), ("ounit_id", (node.ounit_ids or [UNKNOWN_ID])[0])],
    learn=_learn_ounits,
)

CHECKS = [
    Check("schemas", None, check_schemas),
    Check("discovery: manifest", None, check_manifest),
    *endpoint_checks(ECHO),
    Check("echo: PUT → 405", "echo", _check_other_method),
    Check("echo: signed response on request", "echo", _check_signed_response),
    *security_checks(ECHO),
    *endpoint_checks(INSTITUTIONS),
    Check(
        "institutions: unknown hei_id ignored",
        "institutions",
        ok_with(INSTITUTIONS, lambda n: [("hei_id", UNKNOWN_ID)], "hei"),
    ),
    Check("institutions: missing hei_id → 400", "institutions", refused(INSTITUTIONS, no_params)),
    *limit_checks(INSTITUTIONS, "hei_id", "max-hei-ids", no_params),
    *security_checks(INSTITUTIONS),
    *endpoint_checks(OUNITS),
    Check(
        "ounits: unknown ounit_id ignored",
        "ounits",
        ok_with(OUNITS, lambda n: [*_hei(n), ("ounit_id", UNKNOWN_ID)], "ounit"),
    ),
    Check(
        "ounits: unknown ounit_code ignored",
        "ounits",
        ok_with(OUNITS, lambda n: [*_hei(n), ("ounit_code", UNKNOWN_ID)], "ounit"),
    ),
    Check("ounits: missing hei_id → 400", "ounits", refused(OUNITS, lambda n: [("ounit_id", UNKNOWN_ID)])),
    Check(
        "ounits: unknown hei_id → 400",
        "ounits",
        refused(OUNITS, lambda n: [("hei_id", UNKNOWN_ID), ("ounit_id", UNKNOWN_ID)]),
    ),
    Check(
        "ounits: ounit_id and ounit_code together → 400",
        "ounits",
        refused(OUNITS, lambda n: [*_hei(n), ("ounit_id", UNKNOWN_ID), ("ounit_code", UNKNOWN_ID)]),
    ),
    *limit_checks(OUNITS, "ounit_id", "max-ounit-ids", _hei),
    *limit_checks(OUNITS, "ounit_code", "max-ounit-codes", _hei),
    *security_checks(OUNITS),
]
