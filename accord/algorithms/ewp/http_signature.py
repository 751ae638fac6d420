"""HTTP Signatures as the Erasmus Without Paper network uses them (pure: no Django import).

EWP authenticates clients (``ewp-specs-sec-cliauth-httpsig``) and, on request, servers
(``ewp-specs-sec-srvauth-httpsig``) with draft-cavage-http-signatures-07, ``rsa-sha256`` only:

* a request carries ``Authorization: Signature keyId=…,algorithm="rsa-sha256",headers=…,signature=…``
  over at least ``(request-target) host date|original-date digest x-request-id``;
* a response carries ``Signature: …`` over at least ``date|original-date digest`` plus
  ``x-request-id`` and ``x-request-signature`` when the request had them;
* ``keyId`` is the lower-case hex SHA-256 of the public key's DER (SubjectPublicKeyInfo), the
  fingerprint under which the registry catalogue publishes the key;
* ``Digest`` is ``SHA-256=<base64 of the body's SHA-256>``.

Verification raises :class:`SignatureMissing` (the request is not signed: HTTP 401),
:class:`UnknownKey` (no such key in the registry: 403) or :class:`SignatureRejected` (anything
malformed, stale or tampered with: 400), as the specification asks.
"""

import base64
import hashlib
import hmac
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

ALGORITHM: Final = "rsa-sha256"
# The specification's floor: servers may tolerate more skew, never less than five minutes.
MAX_CLOCK_SKEW: Final = timedelta(minutes=5)
REQUEST_HEADERS: Final = ("(request-target)", "host", "date", "digest", "x-request-id")
REQUIRED_REQUEST_HEADERS: Final = frozenset({"(request-target)", "host", "digest", "x-request-id"})
DATE_HEADERS: Final = frozenset({"date", "original-date"})

_PARAMETER = re.compile(r'\s*([A-Za-z]+)\s*=\s*"([^"]*)"\s*(?:,|$)')
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_KEY_ID = re.compile(r"^[0-9a-f]{64}$")

PublicKeyLookup = Callable[[str], rsa.RSAPublicKey | None]


class HttpSignatureError(Exception):
    """A signature that cannot be accepted; ``http_status`` is what the EWP specification answers."""

    http_status = 400


class SignatureMissing(HttpSignatureError):
    """The request carries no ``Authorization: Signature`` header at all."""

    http_status = 401


class UnknownKey(HttpSignatureError):
    """The signature names a key that the registry does not list for this use."""

    http_status = 403


class SignatureRejected(HttpSignatureError):
    """Malformed parameters, missing signed headers, a stale date, a wrong digest or signature."""


@dataclass(frozen=True, slots=True)
class SignatureParameters:
    key_id: str
    algorithm: str
    headers: tuple[str, ...]
    signature: str


@dataclass(frozen=True, slots=True)
class VerifiedSignature:
    """What a valid signature proves: who signed (``key_id``) and which headers they vouched for."""

    key_id: str
    signed_headers: tuple[str, ...]
    signature: str


# --- Keys -------------------------------------------------------------------------------------------------


def generate_private_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def private_key_to_pem(private_key: rsa.RSAPrivateKey) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def load_private_key_pem(pem: bytes) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("EWP HTTP Signatures need an RSA private key.")
    return key


def public_key_der(public_key: rsa.RSAPublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key_pem(public_key: rsa.RSAPublicKey) -> bytes:
    """The key as a PEM file (SubjectPublicKeyInfo), the form people hand to a registry's operators."""
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key_base64(public_key: rsa.RSAPublicKey) -> str:
    """The key as manifests and the catalogue's ``<binaries>`` publish it: base64 of the DER."""
    return base64.b64encode(public_key_der(public_key)).decode("ascii")


def load_public_key_base64(text: str) -> rsa.RSAPublicKey:
    """Read a key published in a manifest or catalogue (whitespace and line breaks allowed)."""
    key = serialization.load_der_public_key(base64.b64decode("".join(text.split()), validate=True))
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("EWP HTTP Signatures need an RSA public key.")
    return key


def key_id(public_key: rsa.RSAPublicKey) -> str:
    """The ``keyId`` of a key: lower-case hex SHA-256 of its DER, as the catalogue's ``sha-256``."""
    return hashlib.sha256(public_key_der(public_key)).hexdigest()


# --- Headers ----------------------------------------------------------------------------------------------


def digest_header(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


def http_date(moment: datetime) -> str:
    """RFC 7231 ``IMF-fixdate``, the format of ``Date`` and ``Original-Date``."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def parse_parameters(value: str) -> SignatureParameters:
    """Read ``keyId="…",algorithm="…",headers="…",signature="…"`` (the part after ``Signature``)."""
    parameters: dict[str, str] = {}
    position = 0
    while position < len(value):
        match = _PARAMETER.match(value, position)
        if match is None:
            raise SignatureRejected(f"cannot read the signature parameters at {value[position:][:40]!r}")
        parameters[match.group(1)] = match.group(2)
        position = match.end()
    missing = [name for name in ("keyId", "signature") if name not in parameters]
    if missing:
        raise SignatureRejected(f"the signature has no {' and no '.join(missing)} parameter")
    return SignatureParameters(
        key_id=parameters["keyId"],
        algorithm=parameters.get("algorithm", ""),
        # The draft's default list is just "date", which EWP never accepts.
        headers=tuple(parameters.get("headers", "date").lower().split()),
        signature=parameters["signature"],
    )


def format_parameters(parameters: SignatureParameters) -> str:
    return (
        f'keyId="{parameters.key_id}",algorithm="{parameters.algorithm}",'
        f'headers="{" ".join(parameters.headers)}",signature="{parameters.signature}"'
    )


def _lower_keys(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def signing_string(names: Iterable[str], headers: Mapping[str, str], request_target: str | None) -> str:
    """The text that is signed: one ``name: value`` line per signed header, in the listed order."""
    lines = []
    for name in names:
        if name == "(request-target)":
            if request_target is None:
                raise SignatureRejected("(request-target) can only be signed in a request")
            lines.append(f"(request-target): {request_target}")
        elif name in headers:
            lines.append(f"{name}: {headers[name].strip()}")
        else:
            raise SignatureRejected(f"the signed header '{name}' is not in the message")
    return "\n".join(lines)


def request_target(method: str, path_and_query: str) -> str:
    return f"{method.lower()} {path_and_query}"


def _sign(private_key: rsa.RSAPrivateKey, text: str) -> str:
    signature = private_key.sign(text.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode("ascii")


# --- Requests (client authentication) -----------------------------------------------------------------------


def sign_request(
    *,
    method: str,
    path_and_query: str,
    host: str,
    body: bytes,
    private_key: rsa.RSAPrivateKey,
    now: datetime | None = None,
    request_id: str | None = None,
) -> dict[str, str]:
    """The headers to add to a request so that an EWP server accepts it as signed by ``private_key``.

    ``path_and_query`` and ``host`` must be exactly what goes on the wire (``/ewp/echo?echo=a``,
    ``node.example.edu:8443``), and ``body`` the exact bytes sent (``b""`` for a GET).
    """
    headers = {
        "host": host,
        "date": http_date(now or datetime.now(UTC)),
        "digest": digest_header(body),
        "x-request-id": request_id or str(uuid.uuid4()),
    }
    target = request_target(method, path_and_query)
    parameters = SignatureParameters(
        key_id=key_id(private_key.public_key()),
        algorithm=ALGORITHM,
        headers=REQUEST_HEADERS,
        signature=_sign(private_key, signing_string(REQUEST_HEADERS, headers, target)),
    )
    return {
        "Host": headers["host"],
        "Date": headers["date"],
        "Digest": headers["digest"],
        "X-Request-Id": headers["x-request-id"],
        "Authorization": "Signature " + format_parameters(parameters),
    }


def verify_request(
    *,
    method: str,
    path_and_query: str,
    headers: Mapping[str, str],
    body: bytes,
    public_key_for: PublicKeyLookup,
    now: datetime | None = None,
    max_skew: timedelta = MAX_CLOCK_SKEW,
) -> VerifiedSignature:
    """Check an incoming request's ``Authorization: Signature`` as the cliauth-httpsig server steps say.

    ``public_key_for(key_id)`` returns the client key the registry lists under that fingerprint, or
    None. Raises a :class:`HttpSignatureError` subclass whose ``http_status`` is the answer to give.
    """
    received = _lower_keys(headers)
    scheme, _, value = received.get("authorization", "").strip().partition(" ")
    if scheme.lower() != "signature":
        raise SignatureMissing(
            "this endpoint requires HTTP Signature client authentication: send an "
            "'Authorization: Signature …' header (ewp-specs-sec-cliauth-httpsig)"
        )
    parameters = parse_parameters(value)
    missing = sorted(REQUIRED_REQUEST_HEADERS - set(parameters.headers))
    if missing:
        raise SignatureRejected(f"the signature must cover {', '.join(missing)}")
    if "x-request-id" in received and not _UUID.match(received["x-request-id"].strip()):
        raise SignatureRejected("X-Request-Id must be a UUID in canonical form")
    return _verify(
        parameters,
        received,
        body,
        public_key_for,
        request_target(method, path_and_query),
        now or datetime.now(UTC),
        max_skew,
    )


# --- Responses (server authentication) ----------------------------------------------------------------------


def wants_signed_response(accept_signature: str | None) -> bool:
    """Whether a request's ``Accept-Signature`` header asks for an ``rsa-sha256`` signed response."""
    return ALGORITHM in {item.strip().lower() for item in (accept_signature or "").split(",")}


def sign_response(
    *,
    body: bytes,
    private_key: rsa.RSAPrivateKey,
    request_id: str | None = None,
    request_signature: str | None = None,
    now: datetime | None = None,
) -> dict[str, str]:
    """The headers that sign a response (srvauth-httpsig), echoing the request's id and signature."""
    headers = {"date": http_date(now or datetime.now(UTC)), "digest": digest_header(body)}
    if request_id:
        headers["x-request-id"] = request_id
    if request_signature:
        headers["x-request-signature"] = request_signature
    names = tuple(headers)
    parameters = SignatureParameters(
        key_id=key_id(private_key.public_key()),
        algorithm=ALGORITHM,
        headers=names,
        signature=_sign(private_key, signing_string(names, headers, None)),
    )
    capitalised = {"date": "Date", "digest": "Digest", "x-request-id": "X-Request-Id"}
    return {capitalised.get(name, "X-Request-Signature"): value for name, value in headers.items()} | {
        "Signature": format_parameters(parameters)
    }


def verify_response(
    *,
    headers: Mapping[str, str],
    body: bytes,
    public_key_for: PublicKeyLookup,
    request_id: str | None = None,
    request_signature: str | None = None,
    now: datetime | None = None,
    max_skew: timedelta = MAX_CLOCK_SKEW,
) -> VerifiedSignature:
    """Check a response's ``Signature`` header as the srvauth-httpsig client steps say."""
    received = _lower_keys(headers)
    if "signature" not in received:
        raise SignatureMissing("the response is not signed: it has no Signature header")
    parameters = parse_parameters(received["signature"])
    required = {"digest"}
    for name, expected in (("x-request-id", request_id), ("x-request-signature", request_signature)):
        if expected:
            required.add(name)
            if received.get(name, "").strip() != expected:
                raise SignatureRejected(f"the response's {name} does not match the request")
    missing = sorted(required - set(parameters.headers))
    if missing:
        raise SignatureRejected(f"the response signature must cover {', '.join(missing)}")
    return _verify(parameters, received, body, public_key_for, None, now or datetime.now(UTC), max_skew)


# --- Shared verification ------------------------------------------------------------------------------------


def _verify(
    parameters: SignatureParameters,
    headers: dict[str, str],
    body: bytes,
    public_key_for: PublicKeyLookup,
    target: str | None,
    now: datetime,
    max_skew: timedelta,
) -> VerifiedSignature:
    if parameters.algorithm.lower() != ALGORITHM:
        raise SignatureRejected(f"the signature algorithm must be {ALGORITHM}, not {parameters.algorithm!r}")
    if not DATE_HEADERS & set(parameters.headers):
        raise SignatureRejected("the signature must cover date or original-date")
    if not _KEY_ID.match(parameters.key_id):
        raise SignatureRejected("keyId must be the lower-case hex SHA-256 fingerprint of the public key")
    public_key = public_key_for(parameters.key_id)
    if public_key is None:
        raise UnknownKey(f"no key with keyId {parameters.key_id} is registered for this use")
    for name in sorted(DATE_HEADERS & headers.keys()):
        _check_date(name, headers[name], now, max_skew)
    try:
        signature = base64.b64decode(parameters.signature, validate=True)
        public_key.verify(
            signature,
            signing_string(parameters.headers, headers, target).encode("utf-8"),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (InvalidSignature, ValueError) as exc:
        raise SignatureRejected("the signature does not match the signed headers") from exc
    _check_digest(headers.get("digest", ""), body)
    return VerifiedSignature(
        key_id=parameters.key_id, signed_headers=parameters.headers, signature=parameters.signature
    )


def _check_date(name: str, value: str, now: datetime, max_skew: timedelta) -> None:
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError) as exc:
        raise SignatureRejected(f"the {name} header is not an HTTP date: {value!r}") from exc
    if moment.tzinfo is None:
        raise SignatureRejected(f"the {name} header has no time zone: {value!r}")
    if abs(moment - now) > max_skew:
        raise SignatureRejected(
            f"the {name} header ({value}) is more than {int(max_skew.total_seconds())} s away from "
            f"this server's clock ({http_date(now)})"
        )


def _check_digest(value: str, body: bytes) -> None:
    """The ``SHA-256`` entry of a ``Digest`` header (which may list several algorithms) must match."""
    for item in value.split(","):
        algorithm, _, encoded = item.strip().partition("=")
        if algorithm.strip().upper() == "SHA-256":
            if hmac.compare_digest(encoded.strip(), digest_header(body).partition("=")[2]):
                return
            raise SignatureRejected("the Digest header does not match the SHA-256 of the body")
    raise SignatureRejected("the Digest header has no SHA-256 value")
