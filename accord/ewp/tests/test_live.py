"""A real HTTP peer: the signing client calls the node served by pytest-django's live server."""

import pytest

from accord.algorithms.ewp.http_signature import generate_private_key, key_id
from accord.ewp.node import xml
from accord.ewp.node.catalogue import get_catalogue
from accord.ewp.node.client import EwpClient, UntrustedResponse, node_client
from accord.ewp.node.keys import node_private_key
from accord.ewp.tests.conftest import PARTNER_HEI, CatalogueHost

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def node(ewp_settings, node_key_pem, served):
    """The live node has its own key, published in the catalogue as its server credential."""
    ewp_settings.ACCORD_EWP_PRIVATE_KEY = node_key_pem
    return node_private_key()


def test_a_signed_echo_over_http_with_a_signed_response(
    live_server, schemas, write_catalogue, partner_key, node
):
    write_catalogue(
        CatalogueHost((PARTNER_HEI,), client_keys=(partner_key,)),
        CatalogueHost(("home.example.edu",), server_keys=(node,)),
    )
    client = EwpClient(partner_key, server_key_for=get_catalogue().server_key)

    for response in (
        client.get(f"{live_server.url}/ewp/echo", params=[("echo", "a"), ("echo", "ż")]),
        client.post(f"{live_server.url}/ewp/echo", data=[("echo", "a"), ("echo", "ż")]),
    ):
        assert response.status_code == 200
        root = schemas.validate("echo", response.content)
        assert [element.text for element in root] == [PARTNER_HEI, "a", "ż"]
        assert f'keyId="{key_id(node.public_key())}"' in response.headers["Signature"]


def test_institutions_over_http(live_server, schemas, write_catalogue, partner_key, node) -> None:
    write_catalogue(CatalogueHost((PARTNER_HEI,), client_keys=(partner_key,)))

    response = EwpClient(partner_key).post(
        f"{live_server.url}/ewp/institutions", data={"hei_id": "home.example.edu"}
    )

    root = schemas.validate("institutions", response.content)
    assert root.findtext(f"{{{xml.INSTITUTIONS}}}hei/{{{xml.INSTITUTIONS}}}hei-id") == "home.example.edu"


def test_a_response_signed_by_a_key_the_registry_does_not_list_is_untrusted(
    live_server, write_catalogue, partner_key, node
) -> None:
    write_catalogue(CatalogueHost((PARTNER_HEI,), client_keys=(partner_key,)))
    client = EwpClient(partner_key, server_key_for=get_catalogue().server_key)

    with pytest.raises(UntrustedResponse, match="no key with keyId"):
        client.get(f"{live_server.url}/ewp/echo")


def test_the_node_calls_itself_with_its_own_key(live_server, schemas, write_catalogue, node) -> None:
    write_catalogue(CatalogueHost(("home.example.edu",), client_keys=(node,), server_keys=(node,)))

    response = node_client().get(f"{live_server.url}/ewp/echo", params={"echo": "self"})

    assert [element.text for element in schemas.validate("echo", response.content)] == [
        "home.example.edu",
        "self",
    ]


def test_a_node_without_a_key_cannot_call_partners(ewp_settings) -> None:
    with pytest.raises(RuntimeError, match="ewp_create_keys"):
        node_client()


def test_an_unknown_client_is_refused_over_http(live_server, write_catalogue, partner_key) -> None:
    write_catalogue(CatalogueHost((PARTNER_HEI,), client_keys=(partner_key,)))

    response = EwpClient(generate_private_key()).get(f"{live_server.url}/ewp/echo")

    assert response.status_code == 403
