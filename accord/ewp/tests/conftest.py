"""Fixtures for the EWP node: official schemas, keys, a registry catalogue file, a served institution."""

import os
from pathlib import Path
from urllib.parse import urlencode

import pytest
from lxml import etree

from accord.algorithms.ewp.http_signature import (
    generate_private_key,
    private_key_to_pem,
    sign_request,
)
from accord.algorithms.tests.ewp.shared import load_schema, require_ewp_shared
from accord.ewp.models import ServedInstitution
from accord.ewp.node.keys import node_private_key
from accord.ewp.node.local_registry import CatalogueHost, catalogue_document
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
