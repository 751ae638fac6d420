"""HTTP Signatures as EWP uses them: what is signed verifies, and any change to it is refused."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.algorithms.ewp.http_signature import (
    REQUEST_HEADERS,
    SignatureMissing,
    SignatureParameters,
    SignatureRejected,
    UnknownKey,
    digest_header,
    format_parameters,
    generate_private_key,
    http_date,
    key_id,
    load_private_key_pem,
    load_public_key_base64,
    parse_parameters,
    private_key_to_pem,
    public_key_base64,
    sign_request,
    sign_response,
    signing_string,
    verify_request,
    verify_response,
    wants_signed_response,
)

NOW = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
# The key of the registry's catalogue-example.xml, with the fingerprint the catalogue gives it.
CATALOGUE_EXAMPLE_KEY = (
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAkQojIPtX+BYGGC2f1zXrU3ijq5oApW6Y"
    "A+mSiB3p5pEQRUuvIHKbSKRXQaW/5hORYpWU1GzU2Wq99vykjX9b8GQlM+0xbFP0cILIhjz23R0Q"
    "53mKcf2xAzQt2b3f56QOnjUaKbXsuB+ejTLAtQ4DyKYSodCzUFkuUZUw+TK7G9ySMbcVHqrG8qDC"
    "w3/7CXkN0Wf9HpSnYP5fwd426fayu6RXGeX5vUuX5BJkjsxoL8Smn7TB31LSFn3LbQLzG4UuxGaG"
    "gHWZCMSC35dX2d3z4zcpZxgyN8LNWXCf4g95b20Ljsbnvk1dIUTJtRJJ29zbWXcgXgVl69UKQx8N"
    "xXIx6wIDAQAB"
)
CATALOGUE_EXAMPLE_KEY_ID = "5531f9a02c44a894d0b706961259fec740ad4ae8a3555871f1a5cd9801285bd4"


@pytest.fixture(scope="module")
def private_key():
    return generate_private_key()


@pytest.fixture(scope="module")
def lookup(private_key):
    known = {key_id(private_key.public_key()): private_key.public_key()}
    return known.get


def signed(private_key, *, method="POST", target="/ewp/echo?x=1", body=b"echo=a", now=NOW, **kwargs):
    return sign_request(
        method=method, path_and_query=target, host="node.example.edu", body=body, private_key=private_key,
        now=now, **kwargs,
    )  # fmt: skip


def verify(headers, lookup, *, method="POST", target="/ewp/echo?x=1", body=b"echo=a", now=NOW):
    return verify_request(
        method=method, path_and_query=target, headers=headers, body=body, public_key_for=lookup, now=now
    )


# --- Keys ---------------------------------------------------------------------------------------------------


def test_key_id_is_the_sha256_of_the_public_key_der_as_the_registry_computes_it() -> None:
    assert key_id(load_public_key_base64(CATALOGUE_EXAMPLE_KEY)) == CATALOGUE_EXAMPLE_KEY_ID


def test_keys_survive_their_published_forms(private_key) -> None:
    public = private_key.public_key()
    spread = "\n  ".join(public_key_base64(public)[i : i + 64] for i in range(0, 400, 64))

    assert key_id(load_public_key_base64(spread)) == key_id(public)
    assert key_id(load_private_key_pem(private_key_to_pem(private_key)).public_key()) == key_id(public)


# --- Requests -----------------------------------------------------------------------------------------------


def test_a_signed_request_verifies_and_names_its_key(private_key, lookup) -> None:
    headers = signed(private_key)

    verified = verify(headers, lookup)

    assert verified.key_id == key_id(private_key.public_key())
    assert verified.signed_headers == ("(request-target)", "host", "date", "digest", "x-request-id")
    assert headers["Digest"] == digest_header(b"echo=a")
    assert headers["Authorization"].startswith(f'Signature keyId="{verified.key_id}",algorithm="rsa-sha256"')


@settings(max_examples=30, deadline=None)
@given(
    method=st.sampled_from(["GET", "POST"]),
    path=st.from_regex(r"/[a-z0-9/_.-]{0,30}(\?[a-z_]{1,8}=[a-z0-9%.]{0,12}(&[a-z]{1,8}=[a-z0-9]{0,8}){0,3})?", fullmatch=True),  # noqa: E501
    body=st.binary(max_size=200),
)  # fmt: skip
def test_any_request_round_trips(private_key, lookup, method, path, body) -> None:
    headers = signed(private_key, method=method, target=path, body=body)

    assert verify(headers, lookup, method=method, target=path, body=body).signature


def test_header_names_are_matched_whatever_their_case(private_key, lookup) -> None:
    headers = {name.upper(): value for name, value in signed(private_key).items()}

    assert verify(headers, lookup)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"body": b"echo=b"}, "Digest header does not match"),
        ({"target": "/ewp/echo?x=2"}, "signature does not match"),
        ({"method": "GET"}, "signature does not match"),
        ({"headers": {"Host": "evil.example.com"}}, "signature does not match"),
        ({"headers": {"X-Request-Id": "00000000-0000-4000-8000-000000000000"}}, "signature does not match"),
        ({"headers": {"Digest": digest_header(b"echo=b")}}, "signature does not match"),
        ({"headers": {"Date": "Mon, 02 Mar 2026 10:31:00 GMT"}}, "signature does not match"),
        ({"headers": {"X-Request-Id": "not-a-uuid"}}, "X-Request-Id must be a UUID"),
        ({"headers": {"Date": "yesterday"}}, "not an HTTP date"),
    ],
)
def test_tampering_is_refused(private_key, lookup, change, message) -> None:
    headers = signed(private_key) | change.get("headers", {})
    arguments = {key: value for key, value in change.items() if key != "headers"}

    with pytest.raises(SignatureRejected, match=message):
        verify(headers, lookup, **arguments)


@pytest.mark.parametrize("offset", [timedelta(minutes=-6), timedelta(minutes=6)])
def test_a_date_beyond_five_minutes_of_the_clock_is_refused(private_key, lookup, offset) -> None:
    headers = signed(private_key, now=NOW + offset)

    with pytest.raises(SignatureRejected, match="more than 300 s away"):
        verify(headers, lookup)


def test_a_date_within_five_minutes_is_accepted(private_key, lookup) -> None:
    assert verify(signed(private_key, now=NOW - timedelta(minutes=4, seconds=50)), lookup)


def test_an_unsigned_request_is_missing_its_signature(lookup) -> None:
    with pytest.raises(SignatureMissing) as raised:
        verify({"Host": "node.example.edu", "Authorization": "Bearer abc"}, lookup)

    assert raised.value.http_status == 401


def test_a_key_the_registry_does_not_list_is_unknown(lookup) -> None:
    stranger = generate_private_key()

    with pytest.raises(UnknownKey) as raised:
        verify(signed(stranger), lookup)

    assert raised.value.http_status == 403


def _with_parameters(message: dict[str, str], **replacements: str) -> dict[str, str]:
    parameters = parse_parameters(message["Authorization"].partition(" ")[2])
    values = {
        "keyId": parameters.key_id,
        "algorithm": parameters.algorithm,
        "headers": " ".join(parameters.headers),
        "signature": parameters.signature,
    } | replacements
    return message | {"Authorization": "Signature " + ",".join(f'{k}="{v}"' for k, v in values.items())}


@pytest.mark.parametrize(
    ("replacements", "message"),
    [
        ({"headers": "(request-target) host date x-request-id"}, "must cover digest"),
        ({"headers": "(request-target) host digest x-request-id"}, "must cover date or original-date"),
        ({"algorithm": "hmac-sha256"}, "must be rsa-sha256"),
        ({"keyId": "ABC"}, "keyId must be the lower-case hex"),
        ({"signature": "%%%"}, "signature does not match"),
    ],
)
def test_signature_parameters_that_break_the_rules_are_refused(
    private_key, lookup, replacements, message
) -> None:
    with pytest.raises(SignatureRejected, match=message):
        verify(_with_parameters(signed(private_key), **replacements), lookup)


def test_malformed_parameters_are_refused(private_key, lookup) -> None:
    with pytest.raises(SignatureRejected, match="cannot read the signature parameters"):
        verify(signed(private_key) | {"Authorization": "Signature keyId=abc"}, lookup)


def test_a_digest_listing_several_algorithms_is_read_for_its_sha256(private_key, lookup) -> None:
    # sign_request always sends one algorithm, so this request is signed by hand, as another node might.
    headers = {
        "host": "node.example.edu",
        "date": http_date(NOW),
        "digest": "MD5=bm90IGNoZWNrZWQ=, " + digest_header(b"echo=a"),
        "x-request-id": "dc05b425-4e86-4106-8dde-1257fccf53e5",
    }
    text = signing_string(REQUEST_HEADERS, headers, "post /ewp/echo?x=1").encode()
    signature = base64.b64encode(private_key.sign(text, padding.PKCS1v15(), hashes.SHA256())).decode()
    parameters = SignatureParameters(
        key_id(private_key.public_key()), "rsa-sha256", REQUEST_HEADERS, signature
    )
    headers["authorization"] = "Signature " + format_parameters(parameters)

    assert verify(headers, lookup)
    with pytest.raises(SignatureRejected, match="does not match the SHA-256 of the body"):
        verify(headers, lookup, body=b"echo=b")


# --- Responses ----------------------------------------------------------------------------------------------


def test_a_signed_response_verifies_and_echoes_the_request(private_key, lookup) -> None:
    headers = sign_response(
        body=b"<xml/>", private_key=private_key, request_id="id-1", request_signature="sig==", now=NOW
    )

    verified = verify_response(
        headers=headers, body=b"<xml/>", public_key_for=lookup, request_id="id-1", request_signature="sig==",
        now=NOW,
    )  # fmt: skip

    assert verified.signed_headers == ("date", "digest", "x-request-id", "x-request-signature")
    assert headers["X-Request-Id"] == "id-1" and headers["X-Request-Signature"] == "sig=="


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"body": b"<other/>"}, "Digest header does not match"),
        ({"request_id": "id-2"}, "x-request-id does not match"),
        ({"request_signature": "other=="}, "x-request-signature does not match"),
    ],
)
def test_a_response_that_does_not_answer_this_request_is_refused(
    private_key, lookup, arguments, message
) -> None:
    headers = sign_response(
        body=b"<xml/>", private_key=private_key, request_id="id-1", request_signature="sig==", now=NOW
    )
    values = {"body": b"<xml/>", "request_id": "id-1", "request_signature": "sig=="} | arguments

    with pytest.raises(SignatureRejected, match=message):
        verify_response(headers=headers, public_key_for=lookup, now=NOW, **values)


def test_an_unsigned_response_is_missing_its_signature(lookup) -> None:
    with pytest.raises(SignatureMissing):
        verify_response(headers={"Date": "x"}, body=b"", public_key_for=lookup, now=NOW)


@pytest.mark.parametrize(
    ("header", "wanted"),
    [(None, False), ("", False), ("rsa-sha256", True), ("hmac-sha256, RSA-SHA256", True), ("ed25519", False)],
)
def test_accept_signature_asks_for_rsa_sha256(header, wanted) -> None:
    assert wants_signed_response(header) is wanted
