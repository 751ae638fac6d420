"""The Institutions API v2 and the Organizational Units API v2, served from the directory: public
profiles, units and the contacts marked public of the institutions this node serves (the reads are in
:mod:`accord.ewp.selectors`), their documents and the endpoints.
"""

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation
from lxml import etree

from accord.ewp import selectors
from accord.ewp.node import xml
from accord.ewp.node.xml import XML_LANG, qname, sub
from accord.ewp.serve.endpoint import EwpError, ewp_endpoint, param_list, xml_response
from accord.ewp.serve.params import LIMITS, required_ids
from accord.organisations.choices import ContactRole
from accord.organisations.models import Contact, Organisation, OrganisationalUnit

_E164 = re.compile(r"^\+[0-9]{1,15}$")
_NSMAP = {"a": xml.ADDRESS, "c": xml.CONTACT, "p": xml.PHONE}


# --- documents ------------------------------------------------------------------------------------------


def institutions_response(organisations: list[Organisation], *, base_url: str) -> bytes:
    """``organisations`` come from ``selectors.institutions`` (names, units and public contacts loaded)."""
    ns = xml.INSTITUTIONS
    root = etree.Element(qname(ns, "institutions-response"), nsmap={None: ns, **_NSMAP})
    for organisation in organisations:
        hei = sub(root, ns, "hei")
        sub(hei, ns, "hei-id", organisation.schac_code)
        for kind, value in other_ids(organisation):
            sub(hei, ns, "other-id", value, type=kind)
        for name, language in names(organisation):
            with_lang(sub(hei, ns, "name", name), language)
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


def ounits_response(units: list[OrganisationalUnit]) -> bytes:
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


def other_ids(organisation: Organisation) -> list[tuple[str, str]]:
    candidates = [
        ("erasmus", organisation.erasmus_code),
        ("pic", organisation.pic),
        ("ror", organisation.ror_id),
    ]
    return [(kind, value) for kind, value in candidates if value]


def names(organisation: Organisation) -> list[tuple[str, str | None]]:
    """The directory name (language not recorded) and then its translations, each with its language."""
    return [(organisation.name, None)] + [
        (translation_.name, translation_.language_code) for translation_ in organisation.translations.all()
    ]


def with_lang(element: etree._Element, language: str | None) -> None:
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


# --- endpoints ------------------------------------------------------------------------------------------


@ewp_endpoint()
def institutions(request: HttpRequest, params: QueryDict) -> HttpResponse:
    hei_ids = required_ids(params, "hei_id", limit=LIMITS.hei_ids)
    return xml_response(
        institutions_response(
            selectors.institutions(hei_ids), base_url=settings.ACCORD_EWP_BASE_URL.rstrip("/")
        )
    )


@ewp_endpoint()
def ounits(request: HttpRequest, params: QueryDict) -> HttpResponse:
    hei_ids = params.getlist("hei_id")
    if len(hei_ids) != 1:
        raise EwpError(f"exactly one hei_id is required, {len(hei_ids)} were sent")
    organisation = selectors.served_institution(hei_ids[0])
    if organisation is None:
        raise EwpError(f"this node does not cover the HEI {hei_ids[0]!r}")
    ids = param_list(params, "ounit_id", limit=LIMITS.ounit_ids)
    codes = param_list(params, "ounit_code", limit=LIMITS.ounit_codes)
    if bool(ids) == bool(codes):
        raise EwpError("send either ounit_id or ounit_code values (one of the two, not both)")
    units = selectors.units_by_id(organisation, ids) if ids else selectors.units_by_code(organisation, codes)
    return xml_response(ounits_response(units))
