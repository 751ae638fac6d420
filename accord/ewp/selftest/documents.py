"""What the self-test knows of the EWP vocabulary: the documents it expects (root element and official
schema, read from the schemas folder) and the manifest entries of the APIs it checks."""

from dataclasses import dataclass

from accord.ewp.node import xml
from accord.ewp.node.xml import qname

# Newer API versions the network adopted are read from the registry service's copies.
_REGISTRY_SCHEMAS = "ewp-registry-service/src/main/resources/schemas"
_OMLA = "ewp-specs-api-omobility-las"
_ENTRY_SCHEMAS = (
    "ewp-specs-api-discovery/manifest-entry.xsd",
    "ewp-specs-api-echo/manifest-entry.xsd",
    "ewp-specs-api-institutions/manifest-entry.xsd",
    "ewp-specs-api-ounits/manifest-entry.xsd",
    "ewp-specs-api-iias/manifest-entry.xsd",
    "ewp-specs-api-iias-approval/manifest-entry.xsd",
    "ewp-specs-api-iia-cnr/manifest-entry.xsd",
    "ewp-specs-api-iia-approval-cnr/manifest-entry.xsd",
    "ewp-specs-api-factsheet/manifest-entry.xsd",
    f"{_OMLA}/manifest-entry.xsd",
    "ewp-specs-api-omobility-la-cnr/manifest-entry.xsd",
    f"{_REGISTRY_SCHEMAS}/ewp-specs-api-imobility-tors-v3.0.0/manifest-entry.xsd",
    f"{_REGISTRY_SCHEMAS}/ewp-specs-api-imobility-tor-cnr-v2.0.0/manifest-entry.xsd",
    f"{_REGISTRY_SCHEMAS}/ewp-specs-api-omobilities-v3.0.0/manifest-entry.xsd",
    f"{_REGISTRY_SCHEMAS}/ewp-specs-api-omobility-cnr-v2.0.0/manifest-entry.xsd",
    f"{_REGISTRY_SCHEMAS}/ewp-specs-api-imobilities-v2.0.0/manifest-entry.xsd",
    f"{_REGISTRY_SCHEMAS}/ewp-specs-api-imobility-cnr-v2.0.0/manifest-entry.xsd",
    f"{_REGISTRY_SCHEMAS}/ewp-specs-api-omobility-stats-v1.0.0/manifest-entry.xsd",
    f"{_REGISTRY_SCHEMAS}/ewp-specs-api-imobility-tor-stats-v1.0.0/manifest-entry.xsd",
    "ewp-specs-sec-intro/schema.xsd",
    "ewp-specs-sec-cliauth-httpsig/security-entries.xsd",
    "ewp-specs-sec-srvauth-tlscert/security-entries.xsd",
    "ewp-specs-sec-srvauth-httpsig/security-entries.xsd",
)

OMOBILITY_LAS_UPDATE_REQUEST_XSD = f"{_OMLA}/endpoints/update-request.xsd"
"""The schema of the update request the self-test sends (its tests check that it is valid)."""


@dataclass(frozen=True, slots=True)
class DocumentKind:
    root: str
    schema: str
    also: tuple[str, ...] = ()


def _registry(namespace: str, root: str, path: str) -> DocumentKind:
    return DocumentKind(qname(namespace, root), f"{_REGISTRY_SCHEMAS}/{path}")


DOCUMENTS = {
    "manifest": DocumentKind(
        qname(xml.MANIFEST, "manifest"), "ewp-specs-api-discovery/manifest.xsd", _ENTRY_SCHEMAS
    ),
    "error": DocumentKind(qname(xml.COMMON, "error-response"), "ewp-specs-architecture/common-types.xsd"),
    "echo": DocumentKind(qname(xml.ECHO, "response"), "ewp-specs-api-echo/response.xsd"),
    "institutions": DocumentKind(
        qname(xml.INSTITUTIONS, "institutions-response"), "ewp-specs-api-institutions/response.xsd"
    ),
    "ounits": DocumentKind(qname(xml.OUNITS, "ounits-response"), "ewp-specs-api-ounits/response.xsd"),
    "iias-get": DocumentKind(
        qname(xml.IIAS_GET, "iias-get-response"), "ewp-specs-api-iias/endpoints/get-response.xsd"
    ),
    "iias-index": DocumentKind(
        qname(xml.IIAS_INDEX, "iias-index-response"), "ewp-specs-api-iias/endpoints/index-response.xsd"
    ),
    "iias-stats": DocumentKind(
        qname(xml.IIAS_STATS, "iias-stats-response"), "ewp-specs-api-iias/endpoints/stats-response.xsd"
    ),
    "iias-approval": DocumentKind(
        qname(xml.IIAS_APPROVAL, "iias-approval-response"), "ewp-specs-api-iias-approval/response.xsd"
    ),
    "iia-cnr": DocumentKind(qname(xml.IIA_CNR, "iia-cnr-response"), "ewp-specs-api-iia-cnr/response.xsd"),
    "iia-approval-cnr": DocumentKind(
        qname(xml.IIA_APPROVAL_CNR, "iia-approval-cnr-response"),
        "ewp-specs-api-iia-approval-cnr/response.xsd",
    ),
    "factsheet": DocumentKind(
        qname(xml.FACTSHEET, "factsheet-response"), "ewp-specs-api-factsheet/response.xsd"
    ),
    "omobility-las-get": DocumentKind(
        qname(xml.OMOBILITY_LAS_GET, "omobility-las-get-response"), f"{_OMLA}/endpoints/get-response.xsd"
    ),
    "omobility-las-index": DocumentKind(
        qname(xml.OMOBILITY_LAS_INDEX, "omobility-las-index-response"),
        f"{_OMLA}/endpoints/index-response.xsd",
    ),
    "omobility-las-stats": DocumentKind(
        qname(xml.OMOBILITY_LAS_STATS, "las-outgoing-stats-response"), f"{_OMLA}/endpoints/stats-response.xsd"
    ),
    "omobility-las-update": DocumentKind(
        qname(xml.OMOBILITY_LAS_UPDATE_RESPONSE, "omobility-las-update-response"),
        f"{_OMLA}/endpoints/update-response.xsd",
    ),
    "omobility-la-cnr": DocumentKind(
        qname(xml.OMOBILITY_LA_CNR, "omobility-la-cnr-response"),
        "ewp-specs-api-omobility-la-cnr/response.xsd",
    ),
    "omobility-la-cnr-stats": DocumentKind(
        qname(xml.OMOBILITY_LA_CNR_STATS, "las-incoming-stats-response"),
        "ewp-specs-api-omobility-la-cnr/endpoints/stats-response.xsd",
    ),
    "omobility-stats": _registry(
        xml.OMOBILITY_STATS, "omobility-stats-response", "ewp-specs-api-omobility-stats-v1.0.0/response.xsd"
    ),
    "imobility-tor-stats": _registry(
        xml.IMOBILITY_TOR_STATS,
        "imobility-tor-stats-response",
        "ewp-specs-api-imobility-tor-stats-v1.0.0/response.xsd",
    ),
    "imobility-tors-get": _registry(
        xml.IMOBILITY_TORS_GET,
        "imobility-tors-get-response",
        "ewp-specs-api-imobility-tors-v3.0.0/endpoints/get-response.xsd",
    ),
    "imobility-tors-index": _registry(
        xml.IMOBILITY_TORS_INDEX,
        "imobility-tors-index-response",
        "ewp-specs-api-imobility-tors-v3.0.0/endpoints/index-response.xsd",
    ),
    "imobility-tor-cnr": _registry(
        xml.IMOBILITY_TOR_CNR,
        "imobility-tor-cnr-response",
        "ewp-specs-api-imobility-tor-cnr-v2.0.0/response.xsd",
    ),
    "omobilities-get": _registry(
        xml.OMOBILITIES_GET,
        "omobilities-get-response",
        "ewp-specs-api-omobilities-v3.0.0/endpoints/get-response.xsd",
    ),
    "omobilities-index": _registry(
        xml.OMOBILITIES_INDEX,
        "omobilities-index-response",
        "ewp-specs-api-omobilities-v3.0.0/endpoints/index-response.xsd",
    ),
    "omobility-cnr": _registry(
        xml.OMOBILITY_CNR, "omobility-cnr-response", "ewp-specs-api-omobility-cnr-v2.0.0/response.xsd"
    ),
    "imobilities-get": _registry(
        xml.IMOBILITIES_GET,
        "imobilities-get-response",
        "ewp-specs-api-imobilities-v2.0.0/endpoints/get-response.xsd",
    ),
    "imobility-cnr": _registry(
        xml.IMOBILITY_CNR, "imobility-cnr-response", "ewp-specs-api-imobility-cnr-v2.0.0/response.xsd"
    ),
}

# The manifest entries this self-test knows, by (namespace, element name): each major version of an
# API has its own namespace, so other versions are reported as not checked.
KNOWN_APIS = {
    (xml.DISCOVERY_ENTRY, "discovery"): "discovery",
    (xml.ECHO_ENTRY, "echo"): "echo",
    (xml.INSTITUTIONS_ENTRY, "institutions"): "institutions",
    (xml.OUNITS_ENTRY, "organizational-units"): "ounits",
    (xml.IIAS_ENTRY, "iias"): "iias",
    (xml.IIAS_APPROVAL_ENTRY, "iias-approval"): "iias-approval",
    (xml.IIA_CNR_ENTRY, "iia-cnr"): "iia-cnr",
    (xml.IIA_APPROVAL_CNR_ENTRY, "iia-approval-cnr"): "iia-approval-cnr",
    (xml.FACTSHEET_ENTRY, "factsheet"): "factsheet",
    (xml.OMOBILITY_LAS_ENTRY, "omobility-las"): "omobility-las",
    (xml.OMOBILITY_LA_CNR_ENTRY, "omobility-la-cnr"): "omobility-la-cnr",
    (xml.IMOBILITY_TORS_ENTRY, "imobility-tors"): "imobility-tors",
    (xml.IMOBILITY_TOR_CNR_ENTRY, "imobility-tor-cnr"): "imobility-tor-cnr",
    (xml.OMOBILITIES_ENTRY, "omobilities"): "omobilities",
    (xml.OMOBILITY_CNR_ENTRY, "omobility-cnr"): "omobility-cnr",
    (xml.IMOBILITIES_ENTRY, "imobilities"): "imobilities",
    (xml.IMOBILITY_CNR_ENTRY, "imobility-cnr"): "imobility-cnr",
    (xml.OMOBILITY_STATS_ENTRY, "omobility-stats"): "omobility-stats",
    (xml.IMOBILITY_TOR_STATS_ENTRY, "imobility-tor-stats"): "imobility-tor-stats",
}
