"""A registry catalogue written locally: the network's registry, for nodes that are not on it.

The peer-to-peer tests and ``make ewp-demo`` run two Accord nodes on loopback that must trust each
other; the real registry (``registry.erasmuswithoutpaper.eu``) builds its catalogue from the manifests
of the hosts it knows, which it cannot reach here. :func:`catalogue_document` writes the same document
(it validates against the registry's ``catalogue.xsd``) from the hosts given: the HEIs each covers, its
client and server keys, and, for an Accord node, the APIs its manifest lists that partners call.
"""

from dataclasses import dataclass

from lxml import etree

from accord.algorithms.ewp.http_signature import key_id, public_key_base64
from accord.ewp.node import xml
from accord.ewp.node.xml import REGISTRY, qname, sub
from accord.ewp.serve.params import LIMITS


@dataclass(frozen=True)
class CatalogueHost:
    hei_ids: tuple[str, ...] = ()
    client_keys: tuple = ()
    server_keys: tuple = ()
    base_url: str | None = None
    """Where an Accord node serving these HEIs listens: its IIA APIs are then listed."""


def accord_apis(base_url: str) -> list[tuple[str, str, str, dict[str, str]]]:
    """The IIA API entries of an Accord node at ``base_url``, as its manifest lists them."""
    return [
        (
            xml.IIAS_ENTRY,
            "iias",
            "7.0.0",
            {
                "get-url": f"{base_url}/ewp/iias/get",
                "max-iia-ids": str(LIMITS.iia_ids),
                "index-url": f"{base_url}/ewp/iias/index",
                "stats-url": f"{base_url}/ewp/iias/stats",
            },
        ),
        (
            xml.IIAS_APPROVAL_ENTRY,
            "iias-approval",
            "2.0.0",
            {"url": f"{base_url}/ewp/iias/approval", "max-iia-ids": str(LIMITS.approval_iia_ids)},
        ),
        (xml.IIA_CNR_ENTRY, "iia-cnr", "3.0.0", {"url": f"{base_url}/ewp/iias/cnr"}),
        (
            xml.OMOBILITY_LAS_ENTRY,
            "omobility-las",
            "1.2.0",
            {
                "get-url": f"{base_url}/ewp/omobilities/las/get",
                "index-url": f"{base_url}/ewp/omobilities/las/index",
                "update-url": f"{base_url}/ewp/omobilities/las/update",
                "stats-url": f"{base_url}/ewp/omobilities/las/stats",
                "max-omobility-ids": str(LIMITS.omobility_ids),
            },
        ),
        (
            xml.OMOBILITY_LA_CNR_ENTRY,
            "omobility-la-cnr",
            "1.1.0",
            {
                "url": f"{base_url}/ewp/omobilities/las/cnr",
                "stats-url": f"{base_url}/ewp/omobilities/las/incoming-stats",
                "max-omobility-ids": str(LIMITS.cnr_omobility_ids),
            },
        ),
        (
            xml.OMOBILITIES_ENTRY,
            "omobilities",
            "3.0.0",
            {
                "get-url": f"{base_url}/ewp/omobilities/get",
                "index-url": f"{base_url}/ewp/omobilities/index",
                "update-url": f"{base_url}/ewp/omobilities/update",
                "max-omobility-ids": str(LIMITS.mobility_ids),
            },
        ),
        (
            xml.OMOBILITY_CNR_ENTRY,
            "omobility-cnr",
            "2.0.0",
            {"url": f"{base_url}/ewp/omobilities/cnr", "max-omobility-ids": str(LIMITS.cnr_omobility_ids)},
        ),
        (
            xml.IMOBILITIES_ENTRY,
            "imobilities",
            "2.0.0",
            {"get-url": f"{base_url}/ewp/imobilities/get", "max-omobility-ids": str(LIMITS.mobility_ids)},
        ),
        (
            xml.IMOBILITY_CNR_ENTRY,
            "imobility-cnr",
            "2.0.0",
            {"url": f"{base_url}/ewp/imobilities/cnr", "max-omobility-ids": str(LIMITS.cnr_omobility_ids)},
        ),
        (
            xml.IMOBILITY_TORS_ENTRY,
            "imobility-tors",
            "3.0.0",
            {
                "get-url": f"{base_url}/ewp/imobilities/tors/get",
                "index-url": f"{base_url}/ewp/imobilities/tors/index",
                "max-omobility-ids": str(LIMITS.tor_omobility_ids),
            },
        ),
        (
            xml.IMOBILITY_TOR_CNR_ENTRY,
            "imobility-tor-cnr",
            "2.0.0",
            {
                "url": f"{base_url}/ewp/imobilities/tors/cnr",
                "max-omobility-ids": str(LIMITS.tor_cnr_omobility_ids),
            },
        ),
        (xml.OMOBILITY_STATS_ENTRY, "omobility-stats", "1.0.0", {"url": f"{base_url}/ewp/omobilities/stats"}),
        (
            xml.IMOBILITY_TOR_STATS_ENTRY,
            "imobility-tor-stats",
            "1.0.0",
            {"url": f"{base_url}/ewp/imobilities/tors/stats"},
        ),
        (
            xml.IIA_APPROVAL_CNR_ENTRY,
            "iia-approval-cnr",
            "2.0.0",
            {"url": f"{base_url}/ewp/iias/approval-cnr"},
        ),
    ]


def catalogue_document(*hosts: CatalogueHost) -> bytes:
    """A registry catalogue as the registry publishes it (it validates against catalogue.xsd)."""
    root = etree.Element(qname(REGISTRY, "catalogue"), nsmap={None: REGISTRY})
    binaries: dict[str, str] = {}
    for host in hosts:
        element = sub(root, REGISTRY, "host")
        if host.base_url:
            apis = sub(element, REGISTRY, "apis-implemented")
            for namespace, name, version, children in accord_apis(host.base_url):
                entry = etree.SubElement(
                    apis, qname(namespace, name), version=version, nsmap={None: namespace}
                )
                for child, text in children.items():
                    sub(entry, namespace, child, text)
        covered = sub(element, REGISTRY, "institutions-covered")
        for hei_id in host.hei_ids:
            sub(covered, REGISTRY, "hei-id", hei_id)
        for credentials, keys in (
            ("client-credentials-in-use", host.client_keys),
            ("server-credentials-in-use", host.server_keys),
        ):
            listed = sub(element, REGISTRY, credentials)
            for key in keys:
                fingerprint = key_id(key.public_key())
                sub(listed, REGISTRY, "rsa-public-key", **{"sha-256": fingerprint})
                binaries[fingerprint] = public_key_base64(key.public_key())
    institutions = sub(root, REGISTRY, "institutions")
    for hei_id in sorted({hei for host in hosts for hei in host.hei_ids}):
        sub(sub(institutions, REGISTRY, "hei", id=hei_id), REGISTRY, "name", hei_id)
    listed_binaries = sub(root, REGISTRY, "binaries")
    for fingerprint, encoded in binaries.items():
        sub(listed_binaries, REGISTRY, "rsa-public-key", encoded, **{"sha-256": fingerprint})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
