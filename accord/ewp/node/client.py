"""Calling partners' EWP APIs: every request signed with the node's key (cliauth-httpsig), and the
response's signature checked against the registry catalogue when the server can sign (srvauth-httpsig).

Every client module of the node (:mod:`accord.ewp.pull`) reaches partners through the three helpers at
the end: the API entry the registry lists for the partner (:func:`partner_api`), a signed call whose
answer must be the expected document (:func:`call_partner`), and ids sent in chunks of the partner's
limit (:func:`chunks`).
"""

from collections.abc import Iterable
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from accord.algorithms.ewp.http_signature import (
    ALGORITHM,
    HttpSignatureError,
    PublicKeyLookup,
    parse_parameters,
    sign_request,
    verify_response,
)
from accord.algorithms.xml_safety import parse_untrusted_xml
from accord.ewp.node.catalogue import ApiEntry, CatalogueError, get_catalogue
from accord.ewp.node.keys import node_private_key

DEFAULT_TIMEOUT_SECONDS = 30


class UntrustedResponse(Exception):
    """The partner's response is not signed by a server key the registry lists for it."""


class HttpSignatureAuth(requests.auth.AuthBase):
    """Signs a prepared request exactly as it will be sent (target, host and body bytes)."""

    def __init__(self, private_key: rsa.RSAPrivateKey):
        self.private_key = private_key

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        url = urlsplit(request.url or "")
        body = request.body or b""
        request.headers.update(
            sign_request(
                method=request.method or "GET",
                path_and_query=(url.path or "/") + (f"?{url.query}" if url.query else ""),
                host=url.netloc,
                body=body.encode("utf-8") if isinstance(body, str) else body,
                private_key=self.private_key,
            )
        )
        return request


class EwpClient:
    """A signing HTTP client for EWP APIs.

    With ``server_key_for`` (the catalogue's server keys), responses must be signed by one of them:
    the client asks for it with ``Accept-Signature`` and raises :class:`UntrustedResponse` otherwise.
    """

    def __init__(
        self,
        private_key: rsa.RSAPrivateKey,
        *,
        server_key_for: PublicKeyLookup | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ):
        self.server_key_for = server_key_for
        self.timeout = timeout
        self.session = requests.Session()
        self.session.auth = HttpSignatureAuth(private_key)
        if server_key_for is not None:
            self.session.headers["Accept-Signature"] = ALGORITHM

    def get(self, url: str, params: dict | list[tuple[str, str]] | None = None) -> requests.Response:
        return self._checked(self.session.get(url, params=params, timeout=self.timeout))

    def post(self, url: str, data: dict | list[tuple[str, str]] | None = None) -> requests.Response:
        """POST form parameters (``application/x-www-form-urlencoded``, as the EWP APIs take them)."""
        return self._checked(self.session.post(url, data=data, timeout=self.timeout))

    def post_xml(self, url: str, body: bytes) -> requests.Response:
        """POST an XML document as the body (the update endpoints take one instead of parameters)."""
        headers = {"Content-Type": "application/xml; charset=utf-8"}
        return self._checked(self.session.post(url, data=body, headers=headers, timeout=self.timeout))

    def _checked(self, response: requests.Response) -> requests.Response:
        if self.server_key_for is None:
            return response
        sent = response.request.headers
        try:
            verify_response(
                headers=response.headers,
                body=response.content,
                public_key_for=self.server_key_for,
                request_id=sent["X-Request-Id"],
                request_signature=parse_parameters(sent["Authorization"].partition(" ")[2]).signature,
            )
        except HttpSignatureError as exc:
            raise UntrustedResponse(f"{response.request.method} {response.url}: {exc}") from exc
        return response


def node_client(*, verify_responses: bool = True) -> EwpClient:
    """A client that signs with this node's key and trusts the servers the registry catalogue lists."""
    key = node_private_key()
    if key is None:
        raise RuntimeError("This node has no EWP key yet: run `manage.py ewp_create_keys` first.")
    return EwpClient(key, server_key_for=get_catalogue().server_key if verify_responses else None)


MAX_RESPONSE_BYTES = 32 * 1024 * 1024


class PartnerUnavailable(Exception):
    """The partner's node could not be asked (no API in the registry, network, 5xx, bad document)."""


def partner_api(hei_id: str, namespace: str, name: str) -> ApiEntry:
    """The entry of API ``name`` that the registry lists for the partner's node."""
    try:
        api = get_catalogue().api(hei_id, namespace, name)
    except CatalogueError as exc:
        raise PartnerUnavailable(str(exc)) from exc
    if api is None:
        raise PartnerUnavailable(f"the registry lists no {name} API for {hei_id}")
    return api


def call_partner(url: str, data: list[tuple[str, str]], expected: str) -> etree._Element:
    """POST a signed request and return the answer's root, which must be an ``expected`` document."""
    try:
        response = node_client().post(url, data=data)
    except (requests.RequestException, UntrustedResponse, RuntimeError) as exc:
        raise PartnerUnavailable(f"{url}: {exc}") from exc
    if response.status_code != 200:
        raise PartnerUnavailable(f"{url} answered HTTP {response.status_code}")
    if len(response.content) > MAX_RESPONSE_BYTES:
        raise PartnerUnavailable(f"{url} answered more than {MAX_RESPONSE_BYTES} bytes")
    try:
        root = parse_untrusted_xml(response.content)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise PartnerUnavailable(f"{url} answered unreadable XML: {exc}") from exc
    if etree.QName(root).localname != expected:
        raise PartnerUnavailable(f"{url} answered <{etree.QName(root).localname}>, not <{expected}>")
    return root


def chunks(values: list[str], size: int) -> Iterable[list[str]]:
    size = max(size, 1)
    for start in range(0, len(values), size):
        yield values[start : start + size]
