"""Reading the registry catalogue: keys, covered HEIs, API entries, safe parsing and caching."""

import os

import pytest

from accord.algorithms.ewp.http_signature import generate_private_key, key_id
from accord.algorithms.tests.ewp.shared import require_ewp_shared
from accord.ewp.node.catalogue import CatalogueError, get_catalogue, parse_catalogue
from accord.ewp.node.xml import ECHO_ENTRY
from accord.ewp.tests.conftest import CatalogueHost, catalogue_document

EXAMPLE_KEY_ID = "5531f9a02c44a894d0b706961259fec740ad4ae8a3555871f1a5cd9801285bd4"


def test_the_official_example_catalogue_is_understood() -> None:
    document = (require_ewp_shared() / "ewp-specs-api-registry/catalogue-example.xml").read_bytes()

    catalogue = parse_catalogue(document)

    assert key_id(catalogue.client_key(EXAMPLE_KEY_ID)) == EXAMPLE_KEY_ID
    assert key_id(catalogue.server_key(EXAMPLE_KEY_ID)) == EXAMPLE_KEY_ID
    assert catalogue.heis_covered_by_client(EXAMPLE_KEY_ID) == ["uw.edu.pl"]
    echo = catalogue.api("uw.edu.pl", ECHO_ENTRY, "echo")
    assert (echo.version, echo.urls) == ("2.0.0", {"url": "https://example.com/ewp/echo"})
    assert catalogue.api("unknown.example.edu", ECHO_ENTRY, "echo") is None


def test_the_test_catalogues_are_valid_registry_catalogues(schemas) -> None:
    key = generate_private_key()

    schemas.validate("catalogue", catalogue_document(CatalogueHost(("a.example.edu",), (key,), (key,))))


def test_a_catalogue_with_a_doctype_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE catalogue [<!ENTITY a "aaaaaaaaaa">]>'
        b'<catalogue xmlns="https://github.com/erasmus-without-paper/ewp-specs-api-registry/tree/stable-v1">'
        b"<host><admin-notes>&a;</admin-notes></host></catalogue>"
    )

    with pytest.raises(CatalogueError, match="DOCTYPE"):
        parse_catalogue(bomb)


def test_another_document_is_not_a_catalogue() -> None:
    with pytest.raises(CatalogueError, match="expected a registry <catalogue>, found <manifest>"):
        parse_catalogue(b"<manifest/>")


def test_no_configured_catalogue_knows_no_key(settings) -> None:
    settings.ACCORD_EWP_REGISTRY_CATALOGUE = ""

    assert get_catalogue().client_key(EXAMPLE_KEY_ID) is None


def test_the_catalogue_is_cached_and_reread_when_the_file_changes(write_catalogue) -> None:
    first, second = generate_private_key(), generate_private_key()
    path = write_catalogue(CatalogueHost(("a.example.edu",), (first,)))
    catalogue = get_catalogue()

    assert get_catalogue() is catalogue
    path.write_bytes(catalogue_document(CatalogueHost(("a.example.edu",), (second,))))
    os.utime(path, ns=(1, 1))

    assert get_catalogue().client_key(key_id(second.public_key())) is not None
    assert get_catalogue().client_key(key_id(first.public_key())) is None


def test_a_broken_refresh_keeps_the_previous_catalogue(write_catalogue, settings) -> None:
    key = generate_private_key()
    path = write_catalogue(CatalogueHost(("a.example.edu",), (key,)))
    get_catalogue()
    settings.ACCORD_EWP_CATALOGUE_MAX_AGE = 0

    path.write_bytes(b"<not-closed")

    assert get_catalogue().client_key(key_id(key.public_key())) is not None


def test_an_unreadable_catalogue_without_a_previous_copy_is_an_error(settings, tmp_path) -> None:
    settings.ACCORD_EWP_REGISTRY_CATALOGUE = str(tmp_path / "missing.xml")

    with pytest.raises(CatalogueError, match="cannot read the registry catalogue"):
        get_catalogue()
