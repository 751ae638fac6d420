"""The served EWP APIs through Django's test client; every document is checked against the official XSD."""

from datetime import UTC, datetime, timedelta

import pytest

from accord.algorithms.ewp.http_signature import generate_private_key, key_id, public_key_base64
from accord.ewp.node import xml
from accord.ewp.node.keys import node_private_key
from accord.ewp.serve.params import LIMITS
from accord.ewp.tests.conftest import BASE_URL, PARTNER_HEI, CatalogueHost, call, signed_headers
from accord.testing.factories import make_organisation, make_unit

pytestmark = pytest.mark.usefixtures("db", "partner_catalogue")

METHODS = ("GET", "POST")
MANIFEST = "/ewp/manifest/home.example.edu.xml"


def texts(root, namespace: str, path: str) -> list[str]:
    """Text of every element at ``path`` (slash-separated local names, all in ``namespace``)."""
    steps = "/".join(f"{{{namespace}}}{step}" for step in path.split("/"))
    return [element.text for element in root.iterfind(steps)]


def assert_error(response, schemas, status: int, message: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == xml.CONTENT_TYPE
    root = schemas.validate("error", response.content)
    assert message in root.findtext(f"{{{xml.COMMON}}}developer-message")


# --- Discovery ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_the_manifest_lists_the_apis_their_limits_and_the_served_hei(client, schemas, served, method) -> None:
    response = call(client, None, method, MANIFEST)

    assert response.status_code == 200
    root = schemas.validate("manifest", response.content)
    apis = root.find(f"{{{xml.MANIFEST}}}host/{{{xml.REGISTRY}}}apis-implemented")
    entries = {element.tag: element for element in apis}
    assert {tag: entry.get("version") for tag, entry in entries.items()} == {
        xml.qname(xml.DISCOVERY_ENTRY, "discovery"): "6.0.0",
        xml.qname(xml.ECHO_ENTRY, "echo"): "2.0.1",
        xml.qname(xml.INSTITUTIONS_ENTRY, "institutions"): "2.2.0",
        xml.qname(xml.OUNITS_ENTRY, "organizational-units"): "2.1.1",
        xml.qname(xml.IIAS_ENTRY, "iias"): "7.0.0",
        xml.qname(xml.IIAS_APPROVAL_ENTRY, "iias-approval"): "2.0.0",
        xml.qname(xml.IIA_CNR_ENTRY, "iia-cnr"): "3.0.0",
        xml.qname(xml.IIA_APPROVAL_CNR_ENTRY, "iia-approval-cnr"): "2.0.0",
        xml.qname(xml.OMOBILITY_LAS_ENTRY, "omobility-las"): "1.2.0",
        xml.qname(xml.OMOBILITY_LA_CNR_ENTRY, "omobility-la-cnr"): "1.1.0",
        xml.qname(xml.FACTSHEET_ENTRY, "factsheet"): "1.2.0",
        xml.qname(xml.OMOBILITIES_ENTRY, "omobilities"): "3.0.0",
        xml.qname(xml.OMOBILITY_CNR_ENTRY, "omobility-cnr"): "2.0.0",
        xml.qname(xml.IMOBILITIES_ENTRY, "imobilities"): "2.0.0",
        xml.qname(xml.IMOBILITY_CNR_ENTRY, "imobility-cnr"): "2.0.0",
        xml.qname(xml.IMOBILITY_TORS_ENTRY, "imobility-tors"): "3.0.0",
        xml.qname(xml.IMOBILITY_TOR_CNR_ENTRY, "imobility-tor-cnr"): "2.0.0",
        xml.qname(xml.OMOBILITY_STATS_ENTRY, "omobility-stats"): "1.0.0",
        xml.qname(xml.IMOBILITY_TOR_STATS_ENTRY, "imobility-tor-stats"): "1.0.0",
    }
    iias = entries[xml.qname(xml.IIAS_ENTRY, "iias")]
    assert texts(iias, xml.IIAS_ENTRY, "get-url") == [f"{BASE_URL}/ewp/iias/get"]
    assert texts(iias, xml.IIAS_ENTRY, "index-url") == [f"{BASE_URL}/ewp/iias/index"]
    assert texts(iias, xml.IIAS_ENTRY, "stats-url") == [f"{BASE_URL}/ewp/iias/stats"]
    assert texts(iias, xml.IIAS_ENTRY, "max-iia-ids") == [str(LIMITS.iia_ids)]
    approval = entries[xml.qname(xml.IIAS_APPROVAL_ENTRY, "iias-approval")]
    assert texts(approval, xml.IIAS_APPROVAL_ENTRY, "max-iia-ids") == [str(LIMITS.approval_iia_ids)]
    assert texts(entries[xml.qname(xml.IIA_CNR_ENTRY, "iia-cnr")], xml.IIA_CNR_ENTRY, "url") == [
        f"{BASE_URL}/ewp/iias/cnr"
    ]
    ounits = entries[xml.qname(xml.OUNITS_ENTRY, "organizational-units")]
    assert texts(ounits, xml.OUNITS_ENTRY, "url") == [f"{BASE_URL}/ewp/ounits"]
    assert texts(ounits, xml.OUNITS_ENTRY, "max-ounit-ids") == [str(LIMITS.ounit_ids)]
    assert texts(ounits, xml.OUNITS_ENTRY, "max-ounit-codes") == [str(LIMITS.ounit_codes)]
    factsheet = entries[xml.qname(xml.FACTSHEET_ENTRY, "factsheet")]
    assert texts(factsheet, xml.FACTSHEET_ENTRY, "url") == [f"{BASE_URL}/ewp/factsheet"]
    assert texts(factsheet, xml.FACTSHEET_ENTRY, "max-hei-ids") == [str(LIMITS.factsheet_hei_ids)]
    institutions = entries[xml.qname(xml.INSTITUTIONS_ENTRY, "institutions")]
    assert texts(institutions, xml.INSTITUTIONS_ENTRY, "max-hei-ids") == [str(LIMITS.hei_ids)]
    assert texts(entries[xml.qname(xml.DISCOVERY_ENTRY, "discovery")], xml.DISCOVERY_ENTRY, "url") == [
        f"{BASE_URL}{MANIFEST}"
    ]
    hei = root.find(f".//{{{xml.MANIFEST}}}institutions-covered/{{{xml.REGISTRY}}}hei")
    assert hei.get("id") == "home.example.edu"
    assert texts(hei, xml.REGISTRY, "name") == ["Uniwersytet Przykładowy", "Example University"]
    # Without a node key there is nothing to publish, and responses cannot be signed.
    assert root.find(f".//{{{xml.MANIFEST}}}client-credentials-in-use") is None
    assert root.find(f".//{{{xml.SRVAUTH_HTTPSIG}}}httpsig") is None


def test_the_manifest_publishes_the_node_key_once_it_exists(client, schemas, served, settings, node_key_pem):
    settings.ACCORD_EWP_PRIVATE_KEY = node_key_pem

    root = schemas.validate("manifest", client.get(MANIFEST).content)

    published = texts(root, xml.MANIFEST, "host/client-credentials-in-use/rsa-public-key")
    assert published == texts(root, xml.MANIFEST, "host/server-credentials-in-use/rsa-public-key")
    assert published == [public_key_base64(node_private_key().public_key())]
    assert root.find(f".//{{{xml.SRVAUTH_HTTPSIG}}}httpsig") is not None


@pytest.mark.parametrize("hei_id", ["unknown.example.edu", "outsider.example.edu"])
def test_there_is_no_manifest_for_an_institution_this_node_does_not_serve(client, schemas, served, hei_id):
    make_organisation(schac_code="outsider.example.edu")

    assert_error(
        client.get(f"/ewp/manifest/{hei_id}.xml"), schemas, 404, f"does not serve the HEI '{hei_id}'"
    )


def test_other_methods_are_refused_with_an_error_response(client, schemas, served, partner_key) -> None:
    response = call(client, partner_key, "PUT", "/ewp/echo")

    assert_error(response, schemas, 405, "PUT is not supported")
    assert response["Allow"] == "GET, POST"


# --- Echo and authentication --------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_echo_answers_a_signed_request_with_the_callers_heis(client, schemas, partner_key, method) -> None:
    response = call(client, partner_key, method, "/ewp/echo", [("echo", "a"), ("echo", "zażółć")])

    assert response.status_code == 200
    root = schemas.validate("echo", response.content)
    assert texts(root, xml.ECHO, "hei-id") == [PARTNER_HEI]
    assert texts(root, xml.ECHO, "echo") == ["a", "zażółć"]


@pytest.mark.parametrize("path", ["/ewp/echo", "/ewp/institutions", "/ewp/ounits"])
@pytest.mark.parametrize("method", METHODS)
def test_an_unsigned_request_is_told_to_authenticate(client, schemas, path, method) -> None:
    response = call(client, None, method, path, [("hei_id", PARTNER_HEI)])

    assert_error(response, schemas, 401, "requires HTTP Signature client authentication")
    assert response["WWW-Authenticate"] == 'Signature realm="EWP"'
    assert response["Want-Digest"] == "SHA-256"


def test_a_key_the_registry_does_not_list_is_forbidden(client, schemas) -> None:
    stranger = generate_private_key()

    response = call(client, stranger, "GET", "/ewp/echo", [("echo", "a")])

    assert_error(response, schemas, 403, f"no key with keyId {key_id(stranger.public_key())}")


def test_a_server_key_is_not_a_client_key(client, schemas, write_catalogue, partner_key) -> None:
    write_catalogue(CatalogueHost(hei_ids=(PARTNER_HEI,), server_keys=(partner_key,)))

    assert_error(call(client, partner_key, "GET", "/ewp/echo"), schemas, 403, "no key with keyId")


def test_a_host_may_cover_no_hei_or_several(client, schemas, write_catalogue, partner_key) -> None:
    write_catalogue(
        CatalogueHost(hei_ids=("b.example.edu", "a.example.edu"), client_keys=(partner_key,)),
        CatalogueHost(hei_ids=("c.example.edu",), client_keys=(generate_private_key(),)),
    )

    root = schemas.validate("echo", call(client, partner_key, "GET", "/ewp/echo").content)

    assert texts(root, xml.ECHO, "hei-id") == ["a.example.edu", "b.example.edu"]


def test_a_tampered_body_is_refused(client, schemas, partner_key) -> None:
    headers = signed_headers(partner_key, "POST", "/ewp/echo", b"echo=a")

    response = client.post(
        "/ewp/echo", "echo=b", content_type="application/x-www-form-urlencoded", headers=headers
    )

    assert_error(response, schemas, 400, "Digest header does not match")


def test_a_tampered_query_is_refused(client, schemas, partner_key) -> None:
    headers = signed_headers(partner_key, "GET", "/ewp/echo?echo=a")

    assert_error(client.get("/ewp/echo?echo=b", headers=headers), schemas, 400, "signature does not match")


def test_a_stale_signature_is_refused(client, schemas, partner_key) -> None:
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    headers = signed_headers(partner_key, "GET", "/ewp/echo", now=an_hour_ago)

    assert_error(client.get("/ewp/echo", headers=headers), schemas, 400, "away from this server's clock")


def test_a_missing_catalogue_is_a_server_error_that_says_so(client, schemas, settings, partner_key) -> None:
    settings.ACCORD_EWP_REGISTRY_CATALOGUE = "/nonexistent/catalogue.xml"

    assert_error(call(client, partner_key, "GET", "/ewp/echo"), schemas, 500, "cannot read the EWP registry")


# --- Institutions -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_institutions_describes_served_heis_and_ignores_others(client, schemas, served, partner_key, method):
    _, faculty, department = served
    make_organisation(schac_code="listed-but-not-served.example.edu")
    params = [("hei_id", "unknown.example.edu"), ("hei_id", "home.example.edu")]
    params.append(("hei_id", "listed-but-not-served.example.edu"))

    response = call(client, partner_key, method, "/ewp/institutions", params)

    assert response.status_code == 200
    root = schemas.validate("institutions", response.content)
    (hei,) = root.findall(f"{{{xml.INSTITUTIONS}}}hei")
    assert texts(hei, xml.INSTITUTIONS, "hei-id") == ["home.example.edu"]
    assert {other.get("type"): other.text for other in hei.iterfind(f"{{{xml.INSTITUTIONS}}}other-id")} == {
        "erasmus": "PL WARSZAW99",
        "pic": "999999999",
    }
    assert texts(hei, xml.INSTITUTIONS, "name") == ["Uniwersytet Przykładowy", "Example University"]
    assert hei.find(f"{{{xml.INSTITUTIONS}}}name[@{xml.XML_LANG}='en']") is not None
    assert texts(hei, xml.ADDRESS, "street-address/locality") == ["Warszawa"]
    assert texts(hei, xml.INSTITUTIONS, "ounit-id") == [str(faculty.pk), str(department.pk)]
    # Only public contacts leave Accord, and unit contacts are served with their unit.
    assert texts(hei, xml.CONTACT, "contact/role-description") == ["IRO head"]
    phone = f"{{{xml.CONTACT}}}contact/{{{xml.PHONE}}}phone-number/{{{xml.PHONE}}}e164"
    assert hei.findtext(phone) == "+48221234567"


def test_institutions_answers_an_empty_response_for_unknown_heis(client, schemas, partner_key) -> None:
    response = call(client, partner_key, "GET", "/ewp/institutions", [("hei_id", "unknown.example.edu")])

    assert response.status_code == 200
    assert len(schemas.validate("institutions", response.content)) == 0


def test_institutions_needs_a_hei_id(client, schemas, partner_key) -> None:
    assert_error(call(client, partner_key, "GET", "/ewp/institutions"), schemas, 400, "hei_id is required")


@pytest.mark.parametrize("method", METHODS)
def test_institutions_enforces_max_hei_ids(client, schemas, partner_key, method) -> None:
    params = [("hei_id", f"h{number}.example.edu") for number in range(LIMITS.hei_ids + 1)]

    response = call(client, partner_key, method, "/ewp/institutions", params)

    assert_error(response, schemas, 400, f"at most {LIMITS.hei_ids} hei_id values")


def test_institutions_accepts_exactly_max_hei_ids(client, schemas, partner_key) -> None:
    params = [("hei_id", f"h{number}.example.edu") for number in range(LIMITS.hei_ids)]

    assert call(client, partner_key, "GET", "/ewp/institutions", params).status_code == 200


# --- Organizational units -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_ounits_by_id_describes_units_and_ignores_unknown_ids(client, schemas, served, partner_key, method):
    _, faculty, department = served
    other = make_unit(make_organisation(), "Elsewhere")
    ids = [str(department.pk), "999999", str(other.pk), "x", str(faculty.pk)]

    response = call(
        client, partner_key, method, "/ewp/ounits",
        [("hei_id", "home.example.edu"), *(("ounit_id", value) for value in ids)],
    )  # fmt: skip

    assert response.status_code == 200
    root = schemas.validate("ounits", response.content)
    assert texts(root, xml.OUNITS, "ounit/ounit-id") == [str(department.pk), str(faculty.pk)]
    assert texts(root, xml.OUNITS, "ounit/ounit-code") == [str(department.pk), "SCI"]
    assert texts(root, xml.OUNITS, "ounit/parent-ounit-id") == [str(faculty.pk)]
    contact = f"{{{xml.OUNITS}}}ounit/{{{xml.CONTACT}}}contact/{{{xml.CONTACT}}}person-family-name"
    assert [element.text for element in root.iterfind(contact)] == ["Dean"]


def test_ounits_by_code_finds_coded_units_and_uncoded_ones_by_their_served_code(
    client, schemas, served, partner_key
) -> None:
    _, faculty, department = served
    params = [("hei_id", "home.example.edu"), ("ounit_code", str(department.pk)), ("ounit_code", "SCI")]
    params.append(("ounit_code", str(faculty.pk)))  # a coded unit is not found by its id

    root = schemas.validate("ounits", call(client, partner_key, "POST", "/ewp/ounits", params).content)

    assert texts(root, xml.OUNITS, "ounit/name") == ["Department of Physics", "Faculty of Science"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ([("ounit_id", "1")], "exactly one hei_id is required, 0 were sent"),
        ([("hei_id", "home.example.edu"), ("hei_id", "x.edu"), ("ounit_id", "1")], "exactly one hei_id"),
        ([("hei_id", "unknown.example.edu"), ("ounit_id", "1")], "does not cover the HEI"),
        ([("hei_id", "home.example.edu")], "either ounit_id or ounit_code"),
        ([("hei_id", "home.example.edu"), ("ounit_id", "1"), ("ounit_code", "SCI")], "not both"),
        (
            [("hei_id", "home.example.edu"), *(("ounit_id", str(n)) for n in range(LIMITS.ounit_ids + 1))],
            f"at most {LIMITS.ounit_ids} ounit_id values",
        ),
        (
            [("hei_id", "home.example.edu")]
            + [("ounit_code", str(n)) for n in range(LIMITS.ounit_codes + 1)],
            f"at most {LIMITS.ounit_codes} ounit_code values",
        ),
    ],
)
@pytest.mark.parametrize("method", METHODS)
def test_ounits_refuses_invalid_parameters(client, schemas, served, partner_key, params, message, method):
    assert_error(call(client, partner_key, method, "/ewp/ounits", params), schemas, 400, message)
