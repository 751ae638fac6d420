"""The EWP registry catalogue: which hosts exist, which HEIs they cover, their APIs and their keys.

The catalogue is one XML document published by the registry (``ACCORD_EWP_REGISTRY_CATALOGUE``: an
``https://`` URL or a file path). It is parsed without DTDs or entity expansion and kept in memory for
``ACCORD_EWP_CATALOGUE_MAX_AGE`` seconds; a file is re-read as soon as it changes.
"""

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from lxml import etree

from accord.algorithms.ewp.http_signature import load_public_key_base64
from accord.algorithms.xml_safety import parse_untrusted_xml
from accord.ewp.node.xml import REGISTRY, qname

logger = logging.getLogger(__name__)

# The production catalogue is a few megabytes; anything far larger is not a catalogue.
MAX_CATALOGUE_BYTES = 64 * 1024 * 1024
FETCH_TIMEOUT_SECONDS = 30


class CatalogueError(Exception):
    """The catalogue could not be read or is not a registry catalogue."""


@dataclass(frozen=True, slots=True)
class ApiEntry:
    """One entry of a host's ``apis-implemented``: the API (namespace and name), version, URLs and the
    ``max-*`` limits it announces (a client must not send more ids per request than those)."""

    namespace: str
    name: str
    version: str
    urls: dict[str, str]
    limits: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Host:
    hei_ids: tuple[str, ...]
    client_key_ids: frozenset[str]
    server_key_ids: frozenset[str]
    apis: tuple[ApiEntry, ...]


@dataclass(frozen=True)
class Catalogue:
    hosts: tuple[Host, ...] = ()
    keys: dict[str, str] = field(default_factory=dict)  # sha-256 → base64 DER, from <binaries>

    def client_key(self, key_id: str) -> rsa.RSAPublicKey | None:
        """The public key a client signs with, if some host lists it as a client credential."""
        if any(key_id in host.client_key_ids for host in self.hosts):
            return self._key(key_id)
        return None

    def server_key(self, key_id: str) -> rsa.RSAPublicKey | None:
        if any(key_id in host.server_key_ids for host in self.hosts):
            return self._key(key_id)
        return None

    def heis_covered_by_client(self, key_id: str) -> list[str]:
        """Every HEI covered by the hosts that use this client key (there may be none, or several)."""
        return sorted({hei for host in self.hosts if key_id in host.client_key_ids for hei in host.hei_ids})

    def hosts_covering(self, hei_id: str) -> list[Host]:
        return [host for host in self.hosts if hei_id in host.hei_ids]

    def api(self, hei_id: str, namespace: str, name: str) -> ApiEntry | None:
        """The entry of the API ``{namespace}name`` served for ``hei_id``, highest version first."""
        entries = [
            api
            for host in self.hosts_covering(hei_id)
            for api in host.apis
            if api.namespace == namespace and api.name == name
        ]
        return max(entries, key=lambda api: _version_key(api.version), default=None)

    def _key(self, key_id: str) -> rsa.RSAPublicKey | None:
        encoded = self.keys.get(key_id)
        if encoded is None:
            return None
        try:
            return load_public_key_base64(encoded)
        except ValueError:
            logger.warning("The registry catalogue holds an unreadable RSA key %s.", key_id)
            return None


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


def parse_catalogue(document: bytes) -> Catalogue:
    try:
        root = parse_untrusted_xml(document)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise CatalogueError(f"the registry catalogue is not well-formed XML: {exc}") from exc
    if root.tag != qname(REGISTRY, "catalogue"):
        raise CatalogueError(f"expected a registry <catalogue>, found <{etree.QName(root).localname}>")
    return Catalogue(
        hosts=tuple(_host(element) for element in root.iterchildren(qname(REGISTRY, "host"))),
        keys={
            key.get("sha-256", ""): "".join((key.text or "").split())
            for key in root.iterfind(f"{qname(REGISTRY, 'binaries')}/{qname(REGISTRY, 'rsa-public-key')}")
        },
    )


def _host(element: etree._Element) -> Host:
    def key_ids(credentials: str) -> frozenset[str]:
        path = f"{qname(REGISTRY, credentials)}/{qname(REGISTRY, 'rsa-public-key')}"
        return frozenset(key.get("sha-256", "") for key in element.iterfind(path))

    return Host(
        hei_ids=tuple(
            (hei.text or "").strip()
            for hei in element.iterfind(
                f"{qname(REGISTRY, 'institutions-covered')}/{qname(REGISTRY, 'hei-id')}"
            )
        ),
        client_key_ids=key_ids("client-credentials-in-use"),
        server_key_ids=key_ids("server-credentials-in-use"),
        apis=tuple(_apis(element.iterfind(f"{qname(REGISTRY, 'apis-implemented')}/*"))),
    )


def _apis(entries: Iterable[etree._Element]) -> Iterable[ApiEntry]:
    for entry in entries:
        if not isinstance(entry.tag, str):
            continue
        name = etree.QName(entry)
        yield ApiEntry(
            namespace=name.namespace or "",
            name=name.localname,
            version=entry.get("version", ""),
            urls={
                etree.QName(child).localname: (child.text or "").strip()
                for child in entry
                if isinstance(child.tag, str) and etree.QName(child).localname.endswith("url")
            },
            limits={
                etree.QName(child).localname: int(child.text.strip())
                for child in entry
                if isinstance(child.tag, str)
                and etree.QName(child).localname.startswith("max-")
                and (child.text or "").strip().isdigit()
            },
        )


# --- Loading and caching ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cached:
    source: str
    version: float | None  # a file's modification time; None for a URL
    loaded_at: float
    catalogue: Catalogue
    read_at: datetime


@dataclass(frozen=True, slots=True)
class CatalogueStatus:
    """What the EWP page says about the registry: where the catalogue comes from, when this process
    last read it, and why it cannot be read (``error``), if it cannot."""

    source: str
    catalogue: Catalogue | None = None
    read_at: datetime | None = None
    error: str = ""


def catalogue_status() -> CatalogueStatus:
    source = settings.ACCORD_EWP_REGISTRY_CATALOGUE
    if not source:
        return CatalogueStatus(source="")
    try:
        catalogue = get_catalogue()
    except CatalogueError as exc:
        return CatalogueStatus(source=source, error=str(exc))
    cached = _cached
    return CatalogueStatus(source=source, catalogue=catalogue, read_at=cached.read_at if cached else None)


_lock = threading.Lock()
_cached: _Cached | None = None


def get_catalogue() -> Catalogue:
    """The catalogue named by ``ACCORD_EWP_REGISTRY_CATALOGUE`` (an empty one when none is set).

    When a refresh fails, the copy already in memory keeps serving (the registry being down must not
    take every partner's requests down with it); with no copy at all, the error is raised.
    """
    global _cached
    source = settings.ACCORD_EWP_REGISTRY_CATALOGUE
    if not source:
        return Catalogue()
    is_url = source.startswith(("https://", "http://"))
    version = None if is_url else _modified_at(source)
    now = time.monotonic()
    with _lock:
        cached = _cached
        if (
            cached is not None
            and cached.source == source
            and cached.version == version
            and now - cached.loaded_at < settings.ACCORD_EWP_CATALOGUE_MAX_AGE
        ):
            return cached.catalogue
        try:
            catalogue = parse_catalogue(_fetch(source) if is_url else _read(source))
        except CatalogueError:
            if cached is None or cached.source != source:
                raise
            logger.exception("Refreshing the EWP registry catalogue failed; the previous copy stays in use.")
            return cached.catalogue
        _cached = _Cached(
            source=source, version=version, loaded_at=now, catalogue=catalogue, read_at=datetime.now(UTC)
        )
        return catalogue


def _modified_at(path: str) -> float:
    try:
        return Path(path).stat().st_mtime
    except OSError as exc:
        raise CatalogueError(f"cannot read the registry catalogue {path}: {exc}") from exc


def _read(path: str) -> bytes:
    try:
        with Path(path).open("rb") as file:
            document = file.read(MAX_CATALOGUE_BYTES + 1)
    except OSError as exc:
        raise CatalogueError(f"cannot read the registry catalogue {path}: {exc}") from exc
    if len(document) > MAX_CATALOGUE_BYTES:
        raise CatalogueError(f"the registry catalogue {path} is larger than {MAX_CATALOGUE_BYTES} bytes")
    return document


def _fetch(url: str) -> bytes:
    try:
        with requests.get(url, timeout=FETCH_TIMEOUT_SECONDS, stream=True) as response:
            response.raise_for_status()
            document = response.raw.read(MAX_CATALOGUE_BYTES + 1, decode_content=True)
    except requests.RequestException as exc:
        raise CatalogueError(f"cannot fetch the registry catalogue {url}: {exc}") from exc
    if len(document) > MAX_CATALOGUE_BYTES:
        raise CatalogueError(f"the registry catalogue at {url} is larger than {MAX_CATALOGUE_BYTES} bytes")
    return document
