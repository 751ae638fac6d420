"""The XML vocabulary of the EWP APIs Accord serves: namespaces, element builders, serialisation."""

from typing import Final

from lxml import etree

_GITHUB: Final = "https://github.com/erasmus-without-paper/"

COMMON: Final = _GITHUB + "ewp-specs-architecture/blob/stable-v1/common-types.xsd"
REGISTRY: Final = _GITHUB + "ewp-specs-api-registry/tree/stable-v1"
MANIFEST: Final = _GITHUB + "ewp-specs-api-discovery/tree/stable-v6"
SECURITY: Final = _GITHUB + "ewp-specs-sec-intro/tree/stable-v2"
CLIAUTH_HTTPSIG: Final = _GITHUB + "ewp-specs-sec-cliauth-httpsig/tree/stable-v1"
SRVAUTH_TLSCERT: Final = _GITHUB + "ewp-specs-sec-srvauth-tlscert/tree/stable-v1"
SRVAUTH_HTTPSIG: Final = _GITHUB + "ewp-specs-sec-srvauth-httpsig/tree/stable-v1"
ECHO: Final = _GITHUB + "ewp-specs-api-echo/tree/stable-v2"
INSTITUTIONS: Final = _GITHUB + "ewp-specs-api-institutions/tree/stable-v2"
OUNITS: Final = _GITHUB + "ewp-specs-api-ounits/tree/stable-v2"
ADDRESS: Final = _GITHUB + "ewp-specs-types-address/tree/stable-v1"
CONTACT: Final = _GITHUB + "ewp-specs-types-contact/tree/stable-v1"
PHONE: Final = _GITHUB + "ewp-specs-types-phonenumber/tree/stable-v1"
IIAS_GET: Final = _GITHUB + "ewp-specs-api-iias/blob/stable-v7/endpoints/get-response.xsd"
IIAS_INDEX: Final = _GITHUB + "ewp-specs-api-iias/blob/stable-v7/endpoints/index-response.xsd"
IIAS_STATS: Final = _GITHUB + "ewp-specs-api-iias/blob/stable-v7/endpoints/stats-response.xsd"
IIAS_APPROVAL: Final = _GITHUB + "ewp-specs-api-iias-approval/tree/stable-v2"
IIA_CNR: Final = _GITHUB + "ewp-specs-api-iia-cnr/tree/stable-v3"
IIA_APPROVAL_CNR: Final = _GITHUB + "ewp-specs-api-iia-approval-cnr/tree/stable-v2"
_OMLA: Final = _GITHUB + "ewp-specs-api-omobility-las/blob/stable-v1/"
OMOBILITY_LAS_GET: Final = _OMLA + "endpoints/get-response.xsd"
OMOBILITY_LAS_INDEX: Final = _OMLA + "endpoints/index-response.xsd"
OMOBILITY_LAS_STATS: Final = _OMLA + "endpoints/stats-response.xsd"
OMOBILITY_LAS_UPDATE_REQUEST: Final = _OMLA + "endpoints/update-request.xsd"
OMOBILITY_LAS_UPDATE_RESPONSE: Final = _OMLA + "endpoints/update-response.xsd"
OMOBILITY_LA_CNR: Final = _GITHUB + "ewp-specs-api-omobility-la-cnr/tree/stable-v1"
OMOBILITY_LA_CNR_STATS: Final = OMOBILITY_LA_CNR + "/endpoints/stats-response.xsd"
OMOBILITY_STATS: Final = _GITHUB + "ewp-specs-api-omobility-stats/tree/stable-v1"
IMOBILITY_TOR_STATS: Final = _GITHUB + "ewp-specs-api-imobility-tor-stats/tree/stable-v1"
_TORS: Final = _GITHUB + "ewp-specs-api-imobility-tors/blob/stable-v3/"
IMOBILITY_TORS_GET: Final = _TORS + "endpoints/get-response.xsd"
IMOBILITY_TORS_INDEX: Final = _TORS + "endpoints/index-response.xsd"
IMOBILITY_TOR_CNR: Final = _GITHUB + "ewp-specs-api-imobility-tor-cnr/tree/stable-v2"
FACTSHEET: Final = _GITHUB + "ewp-specs-api-factsheet/tree/stable-v1"
_OMOBILITIES: Final = _GITHUB + "ewp-specs-api-omobilities/blob/stable-v3/"
OMOBILITIES_GET: Final = _OMOBILITIES + "endpoints/get-response.xsd"
OMOBILITIES_INDEX: Final = _OMOBILITIES + "endpoints/index-response.xsd"
OMOBILITIES_UPDATE_REQUEST: Final = _OMOBILITIES + "endpoints/update-request.xsd"
OMOBILITIES_UPDATE_RESPONSE: Final = _OMOBILITIES + "endpoints/update-response.xsd"
OMOBILITY_CNR: Final = _GITHUB + "ewp-specs-api-omobility-cnr/tree/stable-v2"
IMOBILITIES_GET: Final = _GITHUB + "ewp-specs-api-imobilities/blob/stable-v2/endpoints/get-response.xsd"
IMOBILITY_CNR: Final = _GITHUB + "ewp-specs-api-imobility-cnr/tree/stable-v2"
XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"

# Manifest entries live in their own namespaces, named after the API's manifest-entry.xsd.
DISCOVERY_ENTRY: Final = _GITHUB + "ewp-specs-api-discovery/blob/stable-v6/manifest-entry.xsd"
ECHO_ENTRY: Final = _GITHUB + "ewp-specs-api-echo/blob/stable-v2/manifest-entry.xsd"
INSTITUTIONS_ENTRY: Final = _GITHUB + "ewp-specs-api-institutions/blob/stable-v2/manifest-entry.xsd"
OUNITS_ENTRY: Final = _GITHUB + "ewp-specs-api-ounits/blob/stable-v2/manifest-entry.xsd"
IIAS_ENTRY: Final = _GITHUB + "ewp-specs-api-iias/blob/stable-v7/manifest-entry.xsd"
IIAS_APPROVAL_ENTRY: Final = _GITHUB + "ewp-specs-api-iias-approval/blob/stable-v2/manifest-entry.xsd"
IIA_CNR_ENTRY: Final = _GITHUB + "ewp-specs-api-iia-cnr/blob/stable-v3/manifest-entry.xsd"
IIA_APPROVAL_CNR_ENTRY: Final = _GITHUB + "ewp-specs-api-iia-approval-cnr/blob/stable-v2/manifest-entry.xsd"
OMOBILITY_LAS_ENTRY: Final = _OMLA + "manifest-entry.xsd"
FACTSHEET_ENTRY: Final = _GITHUB + "ewp-specs-api-factsheet/blob/stable-v1/manifest-entry.xsd"
OMOBILITY_LA_CNR_ENTRY: Final = _GITHUB + "ewp-specs-api-omobility-la-cnr/blob/stable-v1/manifest-entry.xsd"
OMOBILITIES_ENTRY: Final = _OMOBILITIES + "manifest-entry.xsd"
OMOBILITY_CNR_ENTRY: Final = _GITHUB + "ewp-specs-api-omobility-cnr/blob/stable-v2/manifest-entry.xsd"
IMOBILITIES_ENTRY: Final = _GITHUB + "ewp-specs-api-imobilities/blob/stable-v2/manifest-entry.xsd"
IMOBILITY_CNR_ENTRY: Final = _GITHUB + "ewp-specs-api-imobility-cnr/blob/stable-v2/manifest-entry.xsd"
IMOBILITY_TORS_ENTRY: Final = _TORS + "manifest-entry.xsd"
IMOBILITY_TOR_CNR_ENTRY: Final = _GITHUB + "ewp-specs-api-imobility-tor-cnr/blob/stable-v2/manifest-entry.xsd"
OMOBILITY_STATS_ENTRY: Final = _GITHUB + "ewp-specs-api-omobility-stats/blob/stable-v1/manifest-entry.xsd"
IMOBILITY_TOR_STATS_ENTRY: Final = (
    _GITHUB + "ewp-specs-api-imobility-tor-stats/blob/stable-v1/manifest-entry.xsd"
)

CONTENT_TYPE: Final = "application/xml; charset=utf-8"


def qname(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def sub(parent: etree._Element, namespace: str, name: str, text: str | None = None, **attributes: str):
    element = etree.SubElement(parent, qname(namespace, name), attributes)
    if text is not None:
        element.text = text
    return element


def to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def error_document(developer_message: str) -> bytes:
    """An ``error-response``: what every EWP endpoint answers with a 4xx or 5xx status."""
    root = etree.Element(qname(COMMON, "error-response"), nsmap={None: COMMON})
    sub(root, COMMON, "developer-message", developer_message)
    return to_bytes(root)


def update_response(namespace: str, root_name: str, message: str) -> bytes:
    """The answer of an ``update`` endpoint that accepted the request: a message for its user."""
    root = etree.Element(qname(namespace, root_name), nsmap={None: namespace, "ewp": COMMON})
    sub(root, COMMON, "success-user-message", message)
    return to_bytes(root)
