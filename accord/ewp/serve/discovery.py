"""The XML documents of the served APIs, built from the directory (each validates against its XSD)."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation
from lxml import etree

from accord.ewp.node import xml
from accord.ewp.node.xml import XML_LANG, qname, sub
from accord.organisations.choices import ContactRole
from accord.organisations.models import Contact, Organisation, OrganisationalUnit

_E164 = re.compile(r"^\+[0-9]{1,15}$")


@dataclass(frozen=True, slots=True)
class Limits:
    """The ``max-*`` values announced in the manifest and enforced by the endpoints."""

    hei_ids: int = 10
    ounit_ids: int = 100
    ounit_codes: int = 100
    iia_ids: int = 500
    approval_iia_ids: int = 100
    cnr_iia_ids: int = 100  # not announced (CNR manifest entries have no limit); a guard only
    omobility_ids: int = 100  # Outgoing Mobility Learning Agreements get
    cnr_omobility_ids: int = 100  # OMobility LA, OMobility and IMobility CNR receivers (announced)
    mobility_ids: int = 100  # Outgoing Mobilities get, Incoming Mobilities get
    factsheet_hei_ids: int = 10  # Mobility Factsheet
    tor_omobility_ids: int = 100  # Incoming Mobility ToRs get
    tor_cnr_omobility_ids: int = 100  # IMobility ToR CNR receiver (its manifest entry announces it)


LIMITS = Limits()


# The APIs each manifest declares, in this order: (entry namespace, element, version, children). A child's
# value is the name of its URL in ``accord/ewp/urls.py`` (a string) or the ``max-*`` limit (a number).
_SERVED_APIS: tuple[tuple[str, str, str, tuple[tuple[str, str | int], ...]], ...] = (
    (xml.ECHO_ENTRY, "echo", "2.0.1", (("url", "echo"),)),
    (
        xml.INSTITUTIONS_ENTRY,
        "institutions",
        "2.2.0",
        (("url", "institutions"), ("max-hei-ids", LIMITS.hei_ids)),
    ),
    (
        xml.OUNITS_ENTRY,
        "organizational-units",
        "2.1.1",
        (("url", "ounits"), ("max-ounit-ids", LIMITS.ounit_ids), ("max-ounit-codes", LIMITS.ounit_codes)),
    ),
    (
        xml.IIAS_ENTRY,
        "iias",
        "7.0.0",
        (
            ("get-url", "iias-get"),
            ("max-iia-ids", LIMITS.iia_ids),
            ("index-url", "iias-index"),
            ("stats-url", "iias-stats"),
        ),
    ),
    (
        xml.IIAS_APPROVAL_ENTRY,
        "iias-approval",
        "2.0.0",
        (("url", "iias-approval"), ("max-iia-ids", LIMITS.approval_iia_ids)),
    ),
    (xml.IIA_CNR_ENTRY, "iia-cnr", "3.0.0", (("url", "iia-cnr"),)),
    (xml.IIA_APPROVAL_CNR_ENTRY, "iia-approval-cnr", "2.0.0", (("url", "iia-approval-cnr"),)),
    (
        xml.OMOBILITY_LAS_ENTRY,
        "omobility-las",
        "1.2.0",
        (
            ("get-url", "omobility-las-get"),
            ("index-url", "omobility-las-index"),
            ("update-url", "omobility-las-update"),
            ("stats-url", "omobility-las-stats"),
            ("max-omobility-ids", LIMITS.omobility_ids),
        ),
    ),
    (
        xml.OMOBILITY_LA_CNR_ENTRY,
        "omobility-la-cnr",
        "1.1.0",
        (
            ("url", "omobility-la-cnr"),
            ("stats-url", "omobility-las-incoming-stats"),
            ("max-omobility-ids", LIMITS.cnr_omobility_ids),
        ),
    ),
    (
        xml.IMOBILITY_TORS_ENTRY,
        "imobility-tors",
        "3.0.0",
        (
            ("get-url", "imobility-tors-get"),
            ("index-url", "imobility-tors-index"),
            ("max-omobility-ids", LIMITS.tor_omobility_ids),
        ),
    ),
    (
        xml.IMOBILITY_TOR_CNR_ENTRY,
        "imobility-tor-cnr",
        "2.0.0",
        (("url", "imobility-tor-cnr"), ("max-omobility-ids", LIMITS.tor_cnr_omobility_ids)),
    ),
    (
        xml.OMOBILITIES_ENTRY,
        "omobilities",
        "3.0.0",
        (
            ("get-url", "omobilities-get"),
            ("index-url", "omobilities-index"),
            ("update-url", "omobilities-update"),
            ("max-omobility-ids", LIMITS.mobility_ids),
        ),
    ),
    (
        xml.IMOBILITIES_ENTRY,
        "imobilities",
        "2.0.0",
        (("get-url", "imobilities-get"), ("max-omobility-ids", LIMITS.mobility_ids)),
    ),
    (
        xml.OMOBILITY_CNR_ENTRY,
        "omobility-cnr",
        "2.0.0",
        (("url", "omobility-cnr"), ("max-omobility-ids", LIMITS.cnr_omobility_ids)),
    ),
    (
        xml.IMOBILITY_CNR_ENTRY,
        "imobility-cnr",
        "2.0.0",
        (("url", "imobility-cnr"), ("max-omobility-ids", LIMITS.cnr_omobility_ids)),
    ),
    (xml.OMOBILITY_STATS_ENTRY, "omobility-stats", "1.0.0", (("url", "omobility-stats"),)),
    (xml.IMOBILITY_TOR_STATS_ENTRY, "imobility-tor-stats", "1.0.0", (("url", "imobility-tor-stats"),)),
    (
        xml.FACTSHEET_ENTRY,
        "factsheet",
        "1.2.0",
        (("url", "factsheet"), ("max-hei-ids", LIMITS.factsheet_hei_ids)),
    ),
)


# --- Discovery ----------------------------------------------------------------------------------------------


def manifest(
    organisation: Organisation,
    *,
    manifest_url: str,
    url_of: Callable[[str], str],
    admin_email: str,
    provider: str,
    public_key: str | None,
) -> bytes:
    """The discovery manifest (v6) of one served HEI: v6 allows one HEI per manifest.

    Client authentication is HTTP Signatures everywhere; responses are signed on request when the node
    has a key, so that server method is only announced then. ``url_of`` gives the absolute URL of a
    URL name of ``accord/ewp/urls.py``.
    """
    root = etree.Element(
        qname(xml.MANIFEST, "manifest"),
        nsmap={None: xml.MANIFEST, "ewp": xml.COMMON, "r": xml.REGISTRY, "sec": xml.SECURITY},
    )
    host = sub(root, xml.MANIFEST, "host")
    sub(host, xml.COMMON, "admin-email", admin_email)
    sub(host, xml.COMMON, "admin-provider", provider)
    apis = sub(host, xml.REGISTRY, "apis-implemented")

    discovery = _entry(apis, xml.DISCOVERY_ENTRY, "discovery", "6.0.0")
    sub(discovery, xml.DISCOVERY_ENTRY, "url", manifest_url)
    for namespace, name, version, children in _SERVED_APIS:
        entry = _entry(apis, namespace, name, version)
        _http_security(entry, namespace, signs_responses=public_key is not None)
        for child, value in children:
            sub(entry, namespace, child, url_of(value) if isinstance(value, str) else str(value))

    hei = sub(
        sub(host, xml.MANIFEST, "institutions-covered"), xml.REGISTRY, "hei", id=organisation.schac_code
    )
    for kind, value in _other_ids(organisation):
        sub(hei, xml.REGISTRY, "other-id", value, type=kind)
    for name, language in _names(organisation):
        _with_lang(sub(hei, xml.REGISTRY, "name", name), language)
    if public_key is not None:
        sub(sub(host, xml.MANIFEST, "client-credentials-in-use"), xml.MANIFEST, "rsa-public-key", public_key)
        sub(sub(host, xml.MANIFEST, "server-credentials-in-use"), xml.MANIFEST, "rsa-public-key", public_key)
    return xml.to_bytes(root)


def _entry(parent: etree._Element, namespace: str, name: str, version: str) -> etree._Element:
    return etree.SubElement(parent, qname(namespace, name), {"version": version}, nsmap={None: namespace})


def _http_security(entry: etree._Element, namespace: str, *, signs_responses: bool) -> None:
    security = sub(entry, namespace, "http-security")
    client = sub(security, xml.SECURITY, "client-auth-methods")
    etree.SubElement(client, qname(xml.CLIAUTH_HTTPSIG, "httpsig"), nsmap={None: xml.CLIAUTH_HTTPSIG})
    server = sub(security, xml.SECURITY, "server-auth-methods")
    etree.SubElement(server, qname(xml.SRVAUTH_TLSCERT, "tlscert"), nsmap={None: xml.SRVAUTH_TLSCERT})
    if signs_responses:
        etree.SubElement(server, qname(xml.SRVAUTH_HTTPSIG, "httpsig"), nsmap={None: xml.SRVAUTH_HTTPSIG})


# --- Echo ---------------------------------------------------------------------------------------------------


def echo(*, hei_ids: list[str] | tuple[str, ...], echoes: list[str]) -> bytes:
    root = etree.Element(qname(xml.ECHO, "response"), nsmap={None: xml.ECHO})
    for hei_id in hei_ids:
        sub(root, xml.ECHO, "hei-id", hei_id)
    for value in echoes:
        sub(root, xml.ECHO, "echo", value)
    return xml.to_bytes(root)


# --- Institutions and organisational units ------------------------------------------------------------------

_NSMAP = {"a": xml.ADDRESS, "c": xml.CONTACT, "p": xml.PHONE}


def institutions(organisations: list[Organisation], *, base_url: str) -> bytes:
    """``organisations`` come from ``selectors.institutions`` (names, units and public contacts loaded)."""
    ns = xml.INSTITUTIONS
    root = etree.Element(qname(ns, "institutions-response"), nsmap={None: ns, **_NSMAP})
    for organisation in organisations:
        hei = sub(root, ns, "hei")
        sub(hei, ns, "hei-id", organisation.schac_code)
        for kind, value in _other_ids(organisation):
            sub(hei, ns, "other-id", value, type=kind)
        for name, language in _names(organisation):
            _with_lang(sub(hei, ns, "name", name), language)
        if organisation.abbreviation:
            sub(hei, ns, "abbreviation", organisation.abbreviation)
        _address(hei, organisation)
        if organisation.website:
            sub(hei, ns, "website-url", organisation.website)
        if organisation.logo and base_url.startswith("https://"):
            sub(hei, ns, "logo-url", base_url + organisation.logo.url)
        for contact in organisation.ewp_contacts:
            _contact(hei, contact)
        for unit in organisation.units.all():
            sub(hei, ns, "ounit-id", unit.ounit_id)
    return xml.to_bytes(root)


def ounits(units: list[OrganisationalUnit]) -> bytes:
    """``units`` come from ``selectors.units_by_id``/``units_by_code`` (public contacts loaded)."""
    ns = xml.OUNITS
    root = etree.Element(qname(ns, "ounits-response"), nsmap={None: ns, **_NSMAP})
    for unit in units:
        element = sub(root, ns, "ounit")
        sub(element, ns, "ounit-id", unit.ounit_id)
        sub(element, ns, "ounit-code", unit.code or unit.ounit_id)
        sub(element, ns, "name", unit.name)
        if unit.abbreviation:
            sub(element, ns, "abbreviation", unit.abbreviation)
        if unit.parent_id:
            sub(element, ns, "parent-ounit-id", unit.parent.ounit_id)
        if unit.website:
            sub(element, ns, "website-url", unit.website)
        for contact in unit.ewp_contacts:
            _contact(element, contact)
    return xml.to_bytes(root)


def _other_ids(organisation: Organisation) -> list[tuple[str, str]]:
    candidates = [
        ("erasmus", organisation.erasmus_code),
        ("pic", organisation.pic),
        ("ror", organisation.ror_id),
    ]
    return [(kind, value) for kind, value in candidates if value]


def _names(organisation: Organisation) -> list[tuple[str, str | None]]:
    """The directory name (language not recorded) and then its translations, each with its language."""
    return [(organisation.name, None)] + [
        (translation_.name, translation_.language_code) for translation_ in organisation.translations.all()
    ]


def _with_lang(element: etree._Element, language: str | None) -> None:
    if language:
        element.set(XML_LANG, language)


def _address(parent: etree._Element, organisation: Organisation) -> None:
    address = sub(parent, xml.ADDRESS, "street-address")
    for name, value in (
        ("addressLine", organisation.street_address),
        ("postalCode", organisation.postal_code),
        ("locality", organisation.city_name),
        ("country", organisation.country_code),
    ):
        if value:
            sub(address, xml.ADDRESS, name, value)


def _contact(parent: etree._Element, contact: Contact) -> None:
    element = sub(parent, xml.CONTACT, "contact")
    sub(element, xml.CONTACT, "contact-name", f"{contact.given_name} {contact.family_name}".strip())
    if contact.given_name:
        sub(element, xml.CONTACT, "person-given-names", contact.given_name)
    if contact.family_name:
        sub(element, xml.CONTACT, "person-family-name", contact.family_name)
    if contact.phone:
        phone = sub(element, xml.PHONE, "phone-number")
        sub(phone, xml.PHONE, "e164" if _E164.match(contact.phone) else "other-format", contact.phone)
    if contact.email:
        sub(element, xml.CONTACT, "email", contact.email)
    with translation.override("en"):  # EWP readers expect English when no language is given
        role = contact.position or str(ContactRole(contact.role).label)
    sub(element, xml.CONTACT, "role-description", role)
