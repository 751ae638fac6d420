"""The node under test: what it declares, how it is called (signed, unsigned, with a foreign key, stale
or tampered; with form parameters or an XML body), and how its documents are checked (status,
well-formedness without DTDs, root element, and the official XSD when a folder is given)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from accord.algorithms.ewp import schemas as ewp_schemas
from accord.algorithms.ewp.http_signature import generate_private_key, sign_request
from accord.algorithms.xml_safety import UnsafeXmlError, parse_untrusted_xml
from accord.ewp.node.xml import CONTENT_TYPE, qname
from accord.ewp.selftest.documents import DOCUMENTS
from accord.ewp.selftest.report import CheckFailed, CheckSkipped

DEFAULT_TIMEOUT_SECONDS = 30
UNKNOWN_ID = "accord-selftest-unknown-0b7d1c"
STALE_BY = timedelta(minutes=20)


@dataclass
class Node:
    """What the self-test knows of the node under test, learnt as the checks run."""

    manifest_url: str
    key: rsa.RSAPrivateKey
    hei_id: str | None = None
    schemas: Path | None = None
    schemas_problem: str | None = None
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    manifest: etree._Element | None = None
    apis: dict[str, etree._Element] = field(default_factory=dict)
    unknown_apis: list[str] = field(default_factory=list)
    caller_heis: list[str] = field(default_factory=list)
    ounit_ids: list[str] = field(default_factory=list)
    iia_ids: list[str] = field(default_factory=list)
    stranger: rsa.RSAPrivateKey = field(default_factory=generate_private_key)
    session: requests.Session = field(default_factory=requests.Session)

    # --- manifest entries

    def entry_value(self, api: str, name: str) -> str | None:
        entry = self.apis.get(api)
        if entry is None:
            return None
        element = entry.find(qname(etree.QName(entry).namespace, name))
        return element.text.strip() if element is not None and element.text else None

    def url(self, api: str, name: str = "url") -> str:
        value = self.entry_value(api, name)
        if not value:
            raise CheckSkipped(f"the {api} manifest entry has no <{name}>")
        return value

    def limit(self, api: str, name: str) -> int:
        value = self.entry_value(api, name)
        try:
            return int(value) if value else 1  # clients assume 1 when the manifest says nothing
        except ValueError:
            raise CheckFailed(f"<{name}> of the {api} entry is not a number: {value!r}") from None

    # --- HTTP

    def send(
        self,
        method: str,
        url: str,
        params: Sequence[tuple[str, str]] = (),
        *,
        body: bytes | None = None,
        key: rsa.RSAPrivateKey | bool | None = True,
        now: datetime | None = None,
        tamper_body: bool = False,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        """Send a request signed with the self-test's key (``key=True``), another key, or unsigned.

        ``params`` go in the query (GET) or as a form (POST); ``body`` is sent instead as an XML
        document (the update endpoints take one)."""
        if body is not None:
            headers = {"Content-Type": CONTENT_TYPE, **(headers or {})}
            request = requests.Request(method, url, data=body, headers=headers)
        elif method == "GET":
            request = requests.Request(method, url, params=list(params), headers=headers)
        else:
            request = requests.Request(method, url, data=list(params), headers=headers)
        prepared = self.session.prepare_request(request)
        sent = prepared.body or b""
        sent = sent.encode("utf-8") if isinstance(sent, str) else sent
        signing_key = self.key if key is True else key or None
        if signing_key is not None:
            target = urlsplit(prepared.url or "")
            prepared.headers.update(
                sign_request(
                    method=method,
                    path_and_query=(target.path or "/") + (f"?{target.query}" if target.query else ""),
                    host=target.netloc,
                    body=sent,
                    private_key=signing_key,
                    now=now,
                )
            )
        if tamper_body:
            prepared.prepare_body(sent + b"&tampered=1", None)
        try:
            return self.session.send(prepared, timeout=self.timeout, allow_redirects=False)
        except requests.RequestException as exc:
            raise CheckFailed(f"{method} {url} failed: {exc}") from None

    # --- documents

    def document(
        self, response: requests.Response, kind: str, *, status: int | Sequence[int] = 200
    ) -> etree._Element:
        """The response's document, after checking its status (one of ``status``), root element and
        (with schemas) XSD."""
        where = f"{response.request.method} {response.url}"
        allowed = (status,) if isinstance(status, int) else tuple(status)
        if response.status_code not in allowed:
            expected = " or ".join(str(code) for code in allowed)
            raise CheckFailed(
                f"{where} answered HTTP {response.status_code}, expected {expected}{_excerpt(response)}"
            )
        try:
            root = parse_untrusted_xml(response.content)
        except (etree.XMLSyntaxError, UnsafeXmlError) as exc:
            raise CheckFailed(f"{where}: the body is not acceptable XML: {exc}") from None
        expected_kind = DOCUMENTS[kind]
        if root.tag != expected_kind.root:
            raise CheckFailed(f"{where}: root element {root.tag}, expected {expected_kind.root}")
        if self.schemas is not None:
            error = ewp_schemas.validation_error(
                self.schemas, expected_kind.schema, root, also=expected_kind.also
            )
            if error:
                raise CheckFailed(f"{where}: invalid against {expected_kind.schema}: {error}")
        return root

    def error(self, response: requests.Response, status: int | Sequence[int]) -> str:
        self.document(response, "error", status=status)
        return f"HTTP {response.status_code} with {'a valid' if self.schemas else 'an'} error-response"

    @property
    def valid(self) -> str:
        return "valid" if self.schemas is not None else "well-formed (XSD not checked)"


def _excerpt(response: requests.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return f": {text[:200]}" if text else ""
