"""The node under test in the EWP self-test (:mod:`accord.ewp.selftest`): what it declares, how it is
called (signed, unsigned, with a foreign key, stale or tampered), and how its documents are checked
(status, well-formedness without DTDs, root element, and the official XSD when a folder is given)."""

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from accord.algorithms import ewp_schemas
from accord.algorithms.http_signature import generate_private_key, sign_request
from accord.algorithms.iia_hash import UnsafeXmlError, parse_untrusted_xml
from accord.ewp import xml
from accord.ewp.xml import qname

DEFAULT_TIMEOUT_SECONDS = 30
UNKNOWN_ID = "accord-selftest-unknown-0b7d1c"
STALE_BY = timedelta(minutes=20)

_ENTRY_SCHEMAS = (
    "ewp-specs-api-discovery/manifest-entry.xsd",
    "ewp-specs-api-echo/manifest-entry.xsd",
    "ewp-specs-api-institutions/manifest-entry.xsd",
    "ewp-specs-api-ounits/manifest-entry.xsd",
    "ewp-specs-api-iias/manifest-entry.xsd",
    "ewp-specs-api-iias-approval/manifest-entry.xsd",
    "ewp-specs-api-iia-cnr/manifest-entry.xsd",
    "ewp-specs-api-iia-approval-cnr/manifest-entry.xsd",
    "ewp-specs-sec-intro/schema.xsd",
    "ewp-specs-sec-cliauth-httpsig/security-entries.xsd",
    "ewp-specs-sec-srvauth-tlscert/security-entries.xsd",
    "ewp-specs-sec-srvauth-httpsig/security-entries.xsd",
)


@dataclass(frozen=True, slots=True)
class DocumentKind:
    root: str
    schema: str
    also: tuple[str, ...] = ()


DOCUMENTS = {
    "manifest": DocumentKind(
        qname(xml.MANIFEST, "manifest"), "ewp-specs-api-discovery/manifest.xsd", _ENTRY_SCHEMAS
    ),
    "error": DocumentKind(qname(xml.COMMON, "error-response"), "ewp-specs-architecture/common-types.xsd"),
    "echo": DocumentKind(qname(xml.ECHO, "response"), "ewp-specs-api-echo/response.xsd"),
    "institutions": DocumentKind(
        qname(xml.INSTITUTIONS, "institutions-response"), "ewp-specs-api-institutions/response.xsd"
    ),
    "ounits": DocumentKind(qname(xml.OUNITS, "ounits-response"), "ewp-specs-api-ounits/response.xsd"),
    "iias-get": DocumentKind(
        qname(xml.IIAS_GET, "iias-get-response"), "ewp-specs-api-iias/endpoints/get-response.xsd"
    ),
    "iias-index": DocumentKind(
        qname(xml.IIAS_INDEX, "iias-index-response"), "ewp-specs-api-iias/endpoints/index-response.xsd"
    ),
    "iias-stats": DocumentKind(
        qname(xml.IIAS_STATS, "iias-stats-response"), "ewp-specs-api-iias/endpoints/stats-response.xsd"
    ),
    "iias-approval": DocumentKind(
        qname(xml.IIAS_APPROVAL, "iias-approval-response"), "ewp-specs-api-iias-approval/response.xsd"
    ),
    "iia-cnr": DocumentKind(qname(xml.IIA_CNR, "iia-cnr-response"), "ewp-specs-api-iia-cnr/response.xsd"),
    "iia-approval-cnr": DocumentKind(
        qname(xml.IIA_APPROVAL_CNR, "iia-approval-cnr-response"),
        "ewp-specs-api-iia-approval-cnr/response.xsd",
    ),
}

# The manifest entries this self-test knows, by (namespace, element name): each major version of an
# API has its own namespace, so other versions are reported as not checked.
KNOWN_APIS = {
    (xml.DISCOVERY_ENTRY, "discovery"): "discovery",
    (xml.ECHO_ENTRY, "echo"): "echo",
    (xml.INSTITUTIONS_ENTRY, "institutions"): "institutions",
    (xml.OUNITS_ENTRY, "organizational-units"): "ounits",
    (xml.IIAS_ENTRY, "iias"): "iias",
    (xml.IIAS_APPROVAL_ENTRY, "iias-approval"): "iias-approval",
    (xml.IIA_CNR_ENTRY, "iia-cnr"): "iia-cnr",
    (xml.IIA_APPROVAL_CNR_ENTRY, "iia-approval-cnr"): "iia-approval-cnr",
}


class Status(enum.StrEnum):
    PASS = "pass"  # noqa: S105 (not a password)
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    status: Status
    message: str


@dataclass
class Report:
    manifest_url: str
    results: list[CheckResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(result.status != Status.FAIL for result in self.results)

    def counts(self) -> dict[str, int]:
        return {status.value: sum(1 for r in self.results if r.status == status) for status in Status}


class CheckFailed(Exception):
    """The node did not behave as the specification asks; the message says how."""


class CheckSkipped(Exception):
    """The check cannot run against this node (nothing to call, or nothing to call it with)."""


# --- The node under test ------------------------------------------------------------------------------------


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
        key: rsa.RSAPrivateKey | bool | None = True,
        now: datetime | None = None,
        tamper_body: bool = False,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        """Send a request signed with the self-test's key (``key=True``), another key, or unsigned."""
        if method == "GET":
            request = requests.Request(method, url, params=list(params), headers=headers)
        else:
            request = requests.Request(method, url, data=list(params), headers=headers)
        prepared = self.session.prepare_request(request)
        body = prepared.body or b""
        body = body.encode("utf-8") if isinstance(body, str) else body
        signing_key = self.key if key is True else key or None
        if signing_key is not None:
            target = urlsplit(prepared.url or "")
            prepared.headers.update(
                sign_request(
                    method=method,
                    path_and_query=(target.path or "/") + (f"?{target.query}" if target.query else ""),
                    host=target.netloc,
                    body=body,
                    private_key=signing_key,
                    now=now,
                )
            )
        if tamper_body:
            prepared.prepare_body(body + b"&tampered=1", None)
        try:
            return self.session.send(prepared, timeout=self.timeout, allow_redirects=False)
        except requests.RequestException as exc:
            raise CheckFailed(f"{method} {url} failed: {exc}") from None

    # --- documents

    def document(self, response: requests.Response, kind: str, *, status: int = 200) -> etree._Element:
        """The response's document, after checking its status, root element and (with schemas) XSD."""
        where = f"{response.request.method} {response.url}"
        if response.status_code != status:
            raise CheckFailed(
                f"{where} answered HTTP {response.status_code}, expected {status}{_excerpt(response)}"
            )
        try:
            root = parse_untrusted_xml(response.content)
        except (etree.XMLSyntaxError, UnsafeXmlError) as exc:
            raise CheckFailed(f"{where}: the body is not acceptable XML: {exc}") from None
        expected = DOCUMENTS[kind]
        if root.tag != expected.root:
            raise CheckFailed(f"{where}: root element {root.tag}, expected {expected.root}")
        if self.schemas is not None:
            error = ewp_schemas.validation_error(self.schemas, expected.schema, root, also=expected.also)
            if error:
                raise CheckFailed(f"{where}: invalid against {expected.schema}: {error}")
        return root

    def error(self, response: requests.Response, status: int) -> str:
        self.document(response, "error", status=status)
        return f"HTTP {status} with {'a valid' if self.schemas else 'an'} error-response"

    @property
    def valid(self) -> str:
        return "valid" if self.schemas is not None else "well-formed (XSD not checked)"


def _excerpt(response: requests.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return f": {text[:200]}" if text else ""
