"""Fixtures for the EWP node: official schemas, keys, a registry catalogue file, a served institution."""

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from lxml import etree

from accord.algorithms.ewp.http_signature import (
    generate_private_key,
    key_id,
    private_key_to_pem,
    public_key_base64,
    sign_request,
)
from accord.algorithms.tests.ewp.shared import load_schema, require_ewp_shared
from accord.ewp.models import ServedInstitution
from accord.ewp.node import xml
from accord.ewp.node.keys import node_private_key
from accord.ewp.node.xml import REGISTRY, qname, sub
from accord.ewp.serve.params import LIMITS
from accord.ewp.tests.peer import A_HEI, B_HEI
from accord.ewp.tests.peer_harness import NodeB, free_port, shared_template
from accord.organisations.choices import ContactVisibility
from accord.organisations.models import OrganisationName
from accord.testing.factories import make_contact, make_organisation, make_unit

BASE_URL = "https://accord.example.edu"
PARTNER_HEI = "partner.example.edu"
# Newer API versions the network adopted are read from the registry service's copies.
REGISTRY_SCHEMAS = "ewp-registry-service/src/main/resources/schemas"
ENTRY_SCHEMAS = (
    "ewp-specs-api-discovery/manifest-entry.xsd",
    "ewp-specs-api-echo/manifest-entry.xsd",
    "ewp-specs-api-institutions/manifest-entry.xsd",
    "ewp-specs-api-ounits/manifest-entry.xsd",
    "ewp-specs-api-iias/manifest-entry.xsd",
    "ewp-specs-api-iias-approval/manifest-entry.xsd",
    "ewp-specs-api-iia-cnr/manifest-entry.xsd",
    "ewp-specs-api-iia-approval-cnr/manifest-entry.xsd",
    "ewp-specs-api-omobility-las/manifest-entry.xsd",
    "ewp-specs-api-omobility-la-cnr/manifest-entry.xsd",
    f"{REGISTRY_SCHEMAS}/ewp-specs-api-imobility-tors-v3.0.0/manifest-entry.xsd",
    f"{REGISTRY_SCHEMAS}/ewp-specs-api-imobility-tor-cnr-v2.0.0/manifest-entry.xsd",
    "ewp-specs-api-factsheet/manifest-entry.xsd",
    f"{REGISTRY_SCHEMAS}/ewp-specs-api-omobilities-v3.0.0/manifest-entry.xsd",
    f"{REGISTRY_SCHEMAS}/ewp-specs-api-omobility-cnr-v2.0.0/manifest-entry.xsd",
    f"{REGISTRY_SCHEMAS}/ewp-specs-api-imobilities-v2.0.0/manifest-entry.xsd",
    f"{REGISTRY_SCHEMAS}/ewp-specs-api-imobility-cnr-v2.0.0/manifest-entry.xsd",
    f"{REGISTRY_SCHEMAS}/ewp-specs-api-omobility-stats-v1.0.0/manifest-entry.xsd",
    f"{REGISTRY_SCHEMAS}/ewp-specs-api-imobility-tor-stats-v1.0.0/manifest-entry.xsd",
    "ewp-specs-sec-cliauth-httpsig/security-entries.xsd",
    "ewp-specs-sec-srvauth-tlscert/security-entries.xsd",
    "ewp-specs-sec-srvauth-httpsig/security-entries.xsd",
)
SCHEMAS = {
    "manifest": ("ewp-specs-api-discovery/manifest.xsd", ENTRY_SCHEMAS),
    "catalogue": ("ewp-specs-api-registry/catalogue.xsd", ENTRY_SCHEMAS),
    "error": ("ewp-specs-architecture/common-types.xsd", ()),
    "echo": ("ewp-specs-api-echo/response.xsd", ()),
    "institutions": ("ewp-specs-api-institutions/response.xsd", ()),
    "ounits": ("ewp-specs-api-ounits/response.xsd", ()),
    "iias-get": ("ewp-specs-api-iias/endpoints/get-response.xsd", ()),
    "iias-index": ("ewp-specs-api-iias/endpoints/index-response.xsd", ()),
    "iias-stats": ("ewp-specs-api-iias/endpoints/stats-response.xsd", ()),
    "iias-approval": ("ewp-specs-api-iias-approval/response.xsd", ()),
    "iia-cnr": ("ewp-specs-api-iia-cnr/response.xsd", ()),
    "iia-approval-cnr": ("ewp-specs-api-iia-approval-cnr/response.xsd", ()),
    "imobility-tors-get": (
        f"{REGISTRY_SCHEMAS}/ewp-specs-api-imobility-tors-v3.0.0/endpoints/get-response.xsd",
        (),
    ),
    "imobility-tors-index": (
        f"{REGISTRY_SCHEMAS}/ewp-specs-api-imobility-tors-v3.0.0/endpoints/index-response.xsd",
        (),
    ),
    "imobility-tor-cnr": (f"{REGISTRY_SCHEMAS}/ewp-specs-api-imobility-tor-cnr-v2.0.0/response.xsd", ()),
    "factsheet": ("ewp-specs-api-factsheet/response.xsd", ()),
    **{
        f"omobilities-{name}": (
            f"{REGISTRY_SCHEMAS}/ewp-specs-api-omobilities-v3.0.0/endpoints/{name}.xsd",
            (),
        )
        for name in ("get-response", "index-response", "update-request", "update-response")
    },
    "omobility-cnr": (f"{REGISTRY_SCHEMAS}/ewp-specs-api-omobility-cnr-v2.0.0/response.xsd", ()),
    "imobilities-get-response": (
        f"{REGISTRY_SCHEMAS}/ewp-specs-api-imobilities-v2.0.0/endpoints/get-response.xsd",
        (),
    ),
    "imobility-cnr": (f"{REGISTRY_SCHEMAS}/ewp-specs-api-imobility-cnr-v2.0.0/response.xsd", ()),
    "omobility-stats": (f"{REGISTRY_SCHEMAS}/ewp-specs-api-omobility-stats-v1.0.0/response.xsd", ()),
    "imobility-tor-stats": (f"{REGISTRY_SCHEMAS}/ewp-specs-api-imobility-tor-stats-v1.0.0/response.xsd", ()),
    "las-incoming-stats": ("ewp-specs-api-omobility-la-cnr/endpoints/stats-response.xsd", ()),
}


class Schemas:
    """The official schemas, loaded once per session from the shared folder (tests skip without it)."""

    def __init__(self, ewp_dir: Path):
        self._dir = ewp_dir
        self._loaded: dict = {}

    def validate(self, name: str, document: bytes) -> etree._Element:
        if name not in self._loaded:
            path, also = SCHEMAS[name]
            self._loaded[name] = load_schema(self._dir, path, also=also)
        root = etree.fromstring(document)
        self._loaded[name].validate(root)
        return root


@pytest.fixture(scope="session")
def schemas() -> Schemas:
    return Schemas(require_ewp_shared())


@pytest.fixture(scope="session")
def partner_key():
    """The key a partner node signs with; the catalogue lists it as a client credential."""
    return generate_private_key()


@pytest.fixture(scope="session")
def node_key_pem(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ewp-key") / "node-key.pem"
    path.write_bytes(private_key_to_pem(generate_private_key()))
    return path


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


@pytest.fixture
def write_catalogue(settings, tmp_path):
    """Write a catalogue file and point the node at it; returns the path."""
    counter = iter(range(1000))

    def write(*hosts: CatalogueHost) -> Path:
        path = tmp_path / f"catalogue-{next(counter)}.xml"
        path.write_bytes(catalogue_document(*hosts))
        settings.ACCORD_EWP_REGISTRY_CATALOGUE = str(path)
        return path

    return write


@pytest.fixture
def ewp_settings(settings, tmp_path):
    settings.ACCORD_EWP_BASE_URL = BASE_URL
    settings.ACCORD_EWP_PRIVATE_KEY = tmp_path / "no-key-yet.pem"
    return settings


@pytest.fixture
def partner_catalogue(ewp_settings, write_catalogue, partner_key):
    """The registry lists one partner host, covering partner.example.edu, with ``partner_key``."""
    return write_catalogue(CatalogueHost(hei_ids=(PARTNER_HEI,), client_keys=(partner_key,)))


def served_institution():
    """A served institution with names, identifiers, a unit tree and public and members-only contacts."""
    organisation = make_organisation(
        name="Uniwersytet Przykładowy",
        schac_code="home.example.edu",
        erasmus_code="PL WARSZAW99",
        pic="999999999",
        abbreviation="UP",
        city_name="Warszawa",
        street_address="ul. Krakowskie Przedmieście 26/28",
        postal_code="00-927",
        website="https://home.example.edu/",
    )
    OrganisationName.objects.create(organisation=organisation, language_code="en", name="Example University")
    ServedInstitution.objects.create(organisation=organisation)
    faculty = make_unit(organisation, "Faculty of Science", code="SCI", abbreviation="FS")
    department = make_unit(organisation, "Department of Physics", parent=faculty)
    make_contact(organisation, visibility=ContactVisibility.PUBLIC, phone="+48221234567", position="IRO head")
    make_contact(organisation, visibility=ContactVisibility.MEMBERS, family_name="Hidden")
    make_contact(organisation, unit=faculty, visibility=ContactVisibility.PUBLIC, family_name="Dean")
    return organisation, faculty, department


@pytest.fixture
def served(db):
    return served_institution()


def signed_headers(key, method: str, target: str, body: bytes = b"", **kwargs) -> dict[str, str]:
    return sign_request(
        method=method, path_and_query=target, host="testserver", body=body, private_key=key, **kwargs
    )


def call(client, key, method: str, path: str, params: list[tuple[str, str]] | None = None, **extra_headers):
    """Call an endpoint through Django's test client, signed with ``key`` unless it is None."""
    query = urlencode(params or [])
    if method == "GET":
        target = f"{path}?{query}" if query else path
        headers = (signed_headers(key, "GET", target) if key else {}) | extra_headers
        return client.get(target, headers=headers)
    body = query.encode()
    headers = (signed_headers(key, "POST", path, body) if key else {}) | extra_headers
    return client.generic(
        method, path, body, content_type="application/x-www-form-urlencoded", headers=headers
    )


@pytest.fixture(scope="session")
def node_b_template(tmp_path_factory) -> Path:
    """B's migrated and set-up database, built once per session: xdist workers share the parent of
    their temporary folders."""
    root = tmp_path_factory.getbasetemp()
    return shared_template(root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root)


@pytest.fixture
def nodes(live_server, settings, tmp_path, node_b_template):
    """A (this process) and B (a subprocess), each with its own key, in one registry catalogue."""
    a_key_path, b_key_path = tmp_path / "a-key.pem", tmp_path / "b-key.pem"
    a_key, b_key = generate_private_key(), generate_private_key()
    a_key_path.write_bytes(private_key_to_pem(a_key))
    b_key_path.write_bytes(private_key_to_pem(b_key))
    b = NodeB(tmp_path, tmp_path / "catalogue.xml", b_key_path, free_port())
    (tmp_path / "catalogue.xml").write_bytes(
        catalogue_document(
            CatalogueHost((A_HEI,), client_keys=(a_key,), server_keys=(a_key,), base_url=live_server.url),
            CatalogueHost((B_HEI,), client_keys=(b_key,), server_keys=(b_key,), base_url=b.url),
        )
    )
    settings.ACCORD_EWP_PRIVATE_KEY = a_key_path
    settings.ACCORD_EWP_REGISTRY_CATALOGUE = str(tmp_path / "catalogue.xml")
    settings.ACCORD_EWP_BASE_URL = live_server.url
    assert node_private_key() is not None
    try:
        b.start(node_b_template)
        yield b
    finally:
        b.stop()
