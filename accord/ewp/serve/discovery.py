"""The Discovery API v6 (one manifest per served HEI) and the Echo API v2: what the node announces,
with the ``max-*`` limits its endpoints enforce (:data:`accord.ewp.serve.params.LIMITS`), and the check
that a caller's signature works.

The manifest is public, as the registry fetches it anonymously; every other endpoint of the node
authenticates its caller (:mod:`accord.ewp.serve.endpoint`).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from lxml import etree

from accord.algorithms.ewp.http_signature import public_key_base64
from accord.ewp import selectors
from accord.ewp.node import xml
from accord.ewp.node.keys import node_next_key, node_private_key
from accord.ewp.node.xml import qname, sub
from accord.ewp.serve.endpoint import EwpError, ewp_endpoint, xml_response
from accord.ewp.serve.institutions import names, other_ids, with_lang
from accord.ewp.serve.params import LIMITS
from accord.organisations.models import Organisation

# The APIs each manifest declares, in this order: (entry namespace, element, version, children). A child's
# value is the name of its URL in ``accord/ewp/urls.py`` (a string) or the ``max-*`` limit (a number).
_SERVED_APIS: tuple[tuple[str, str, str, tuple[tuple[str, str | int], ...]], ...] = (
    (xml.ECHO_ENTRY, "echo", "2.0.1", (("url", "echo"),)),
    (
        xml.INSTITUTIONS_ENTRY,
        "institutions",
        "2.2.0",
        (("url", "institutions"), ("max-hei-ids", LIMITS.hei_ids)),
    ),
    (
        xml.OUNITS_ENTRY,
        "organizational-units",
        "2.1.1",
        (("url", "ounits"), ("max-ounit-ids", LIMITS.ounit_ids), ("max-ounit-codes", LIMITS.ounit_codes)),
    ),
    (
        xml.IIAS_ENTRY,
        "iias",
        "7.0.0",
        (
            ("get-url", "iias-get"),
            ("max-iia-ids", LIMITS.iia_ids),
            ("index-url", "iias-index"),
            ("stats-url", "iias-stats"),
        ),
    ),
    (
        xml.IIAS_APPROVAL_ENTRY,
        "iias-approval",
        "2.0.0",
        (("url", "iias-approval"), ("max-iia-ids", LIMITS.approval_iia_ids)),
    ),
    (xml.IIA_CNR_ENTRY, "iia-cnr", "3.0.0", (("url", "iia-cnr"),)),
    (xml.IIA_APPROVAL_CNR_ENTRY, "iia-approval-cnr", "2.0.0", (("url", "iia-approval-cnr"),)),
    (
        xml.OMOBILITY_LAS_ENTRY,
        "omobility-las",
        "1.2.0",
        (
            ("get-url", "omobility-las-get"),
            ("index-url", "omobility-las-index"),
            ("update-url", "omobility-las-update"),
            ("stats-url", "omobility-las-stats"),
            ("max-omobility-ids", LIMITS.omobility_ids),
        ),
    ),
    (
        xml.OMOBILITY_LA_CNR_ENTRY,
        "omobility-la-cnr",
        "1.1.0",
        (
            ("url", "omobility-la-cnr"),
            ("stats-url", "omobility-las-incoming-stats"),
            ("max-omobility-ids", LIMITS.cnr_omobility_ids),
        ),
    ),
    (
        xml.IMOBILITY_TORS_ENTRY,
        "imobility-tors",
        "3.0.0",
        (
            ("get-url", "imobility-tors-get"),
            ("index-url", "imobility-tors-index"),
            ("max-omobility-ids", LIMITS.tor_omobility_ids),
        ),
    ),
    (
        xml.IMOBILITY_TOR_CNR_ENTRY,
        "imobility-tor-cnr",
        "2.0.0",
        (("url", "imobility-tor-cnr"), ("max-omobility-ids", LIMITS.tor_cnr_omobility_ids)),
    ),
    (
        xml.OMOBILITIES_ENTRY,
        "omobilities",
        "3.0.0",
        (
            ("get-url", "omobilities-get"),
            ("index-url", "omobilities-index"),
            ("update-url", "omobilities-update"),
            ("max-omobility-ids", LIMITS.mobility_ids),
        ),
    ),
    (
        xml.IMOBILITIES_ENTRY,
        "imobilities",
        "2.0.0",
        (("get-url", "imobilities-get"), ("max-omobility-ids", LIMITS.mobility_ids)),
    ),
    (
        xml.OMOBILITY_CNR_ENTRY,
        "omobility-cnr",
        "2.0.0",
        (("url", "omobility-cnr"), ("max-omobility-ids", LIMITS.cnr_omobility_ids)),
    ),
    (
        xml.IMOBILITY_CNR_ENTRY,
        "imobility-cnr",
        "2.0.0",
        (("url", "imobility-cnr"), ("max-omobility-ids", LIMITS.cnr_omobility_ids)),
    ),
    (xml.OMOBILITY_STATS_ENTRY, "omobility-stats", "1.0.0", (("url", "omobility-stats"),)),
    (xml.IMOBILITY_TOR_STATS_ENTRY, "imobility-tor-stats", "1.0.0", (("url", "imobility-tor-stats"),)),
    (
        xml.FACTSHEET_ENTRY,
        "factsheet",
        "1.2.0",
        (("url", "factsheet"), ("max-hei-ids", LIMITS.factsheet_hei_ids)),
    ),
)


# --- Discovery ------------------------------------------------------------------------------------------


def manifest_document(
    organisation: Organisation,
    *,
    manifest_url: str,
    url_of: Callable[[str], str],
    admin_email: str,
    provider: str,
    public_key: str | None,
    next_public_key: str | None = None,
) -> bytes:
    """The discovery manifest (v6) of one served HEI: v6 allows one HEI per manifest.

    Client authentication is HTTP Signatures everywhere; responses are signed on request when the node
    has a key, so that server method is only announced then. ``url_of`` gives the absolute URL of a
    URL name of ``accord/ewp/urls.py``.
    """
    root = etree.Element(
        qname(xml.MANIFEST, "manifest"),
        nsmap={None: xml.MANIFEST, "ewp": xml.COMMON, "r": xml.REGISTRY, "sec": xml.SECURITY},
    )
    host = sub(root, xml.MANIFEST, "host")
    sub(host, xml.COMMON, "admin-email", admin_email)
    sub(host, xml.COMMON, "admin-provider", provider)
    apis = sub(host, xml.REGISTRY, "apis-implemented")

    discovery = _entry(apis, xml.DISCOVERY_ENTRY, "discovery", "6.0.0")
    sub(discovery, xml.DISCOVERY_ENTRY, "url", manifest_url)
    for namespace, name, version, children in _SERVED_APIS:
        entry = _entry(apis, namespace, name, version)
        _http_security(entry, namespace, signs_responses=public_key is not None)
        for child, value in children:
            sub(entry, namespace, child, url_of(value) if isinstance(value, str) else str(value))

    hei = sub(
        sub(host, xml.MANIFEST, "institutions-covered"), xml.REGISTRY, "hei", id=organisation.schac_code
    )
    for kind, value in other_ids(organisation):
        sub(hei, xml.REGISTRY, "other-id", value, type=kind)
    for name, language in names(organisation):
        with_lang(sub(hei, xml.REGISTRY, "name", name), language)
    if public_key is not None:
        # During a rotation the next key is published too, so that the registry lists it before the
        # node signs with it (see accord.ewp.node.keys).
        published = [public_key] if next_public_key is None else [public_key, next_public_key]
        for credentials in ("client-credentials-in-use", "server-credentials-in-use"):
            listed = sub(host, xml.MANIFEST, credentials)
            for value in published:
                sub(listed, xml.MANIFEST, "rsa-public-key", value)
    return xml.to_bytes(root)


def _entry(parent: etree._Element, namespace: str, name: str, version: str) -> etree._Element:
    return etree.SubElement(parent, qname(namespace, name), {"version": version}, nsmap={None: namespace})


def _http_security(entry: etree._Element, namespace: str, *, signs_responses: bool) -> None:
    security = sub(entry, namespace, "http-security")
    client = sub(security, xml.SECURITY, "client-auth-methods")
    etree.SubElement(client, qname(xml.CLIAUTH_HTTPSIG, "httpsig"), nsmap={None: xml.CLIAUTH_HTTPSIG})
    server = sub(security, xml.SECURITY, "server-auth-methods")
    etree.SubElement(server, qname(xml.SRVAUTH_TLSCERT, "tlscert"), nsmap={None: xml.SRVAUTH_TLSCERT})
    if signs_responses:
        etree.SubElement(server, qname(xml.SRVAUTH_HTTPSIG, "httpsig"), nsmap={None: xml.SRVAUTH_HTTPSIG})


def _absolute(path: str) -> str:
    return settings.ACCORD_EWP_BASE_URL.rstrip("/") + path


def own_manifest_url(hei_id: str) -> str:
    """The address this node's manifest of ``hei_id`` announces for itself (and gives the registry)."""
    return _absolute(reverse("ewp:manifest", args=[hei_id]))


@ewp_endpoint(authenticated=False)
def manifest(request: HttpRequest, params: QueryDict, hei_id: str) -> HttpResponse:
    """Public, as the registry fetches it anonymously; one manifest per served HEI."""
    organisation = selectors.served_institution(hei_id)
    if organisation is None:
        raise EwpError(f"this node does not serve the HEI {hei_id!r}", status=404)
    key, next_key = node_private_key(), node_next_key()
    return xml_response(
        manifest_document(
            organisation,
            manifest_url=own_manifest_url(hei_id),
            url_of=lambda name: _absolute(reverse(f"ewp:{name}")),
            admin_email=settings.ACCORD_EWP_ADMIN_EMAIL,
            provider=settings.ACCORD_EWP_PROVIDER,
            public_key=public_key_base64(key.public_key()) if key else None,
            next_public_key=public_key_base64(next_key.public_key()) if key and next_key else None,
        )
    )


# --- Echo -----------------------------------------------------------------------------------------------


def echo_response(*, hei_ids: list[str] | tuple[str, ...], echoes: list[str]) -> bytes:
    root = etree.Element(qname(xml.ECHO, "response"), nsmap={None: xml.ECHO})
    for hei_id in hei_ids:
        sub(root, xml.ECHO, "hei-id", hei_id)
    for value in echoes:
        sub(root, xml.ECHO, "echo", value)
    return xml.to_bytes(root)


@ewp_endpoint()
def echo(request: HttpRequest, params: QueryDict) -> HttpResponse:
    return xml_response(echo_response(hei_ids=request.ewp_client.hei_ids, echoes=params.getlist("echo")))
