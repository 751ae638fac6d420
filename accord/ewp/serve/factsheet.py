"""Mobility Factsheet API v1: which factsheets are served, the ``factsheet-response`` document (it
validates against the API's response.xsd) and the endpoint: ``hei_id`` repeatable up to
``max-hei-ids``; unknown ids, institutions this node does not serve and served institutions without a
factsheet are ignored.

A served institution that has recorded no factsheet is left out as if unknown: the schema requires
deadlines, delays and contact points, and inventing them would publish false commitments. A factsheet
is public information (the directory shows it to everyone signed in), so no caller sees more than
another.
"""

from django.http import HttpRequest, HttpResponse, QueryDict
from lxml import etree

from accord.ewp.node import xml
from accord.ewp.node.xml import qname, sub
from accord.ewp.selectors import served_institutions
from accord.ewp.serve.endpoint import ewp_endpoint, xml_response
from accord.ewp.serve.params import LIMITS, required_ids
from accord.organisations.factsheet_rules import g_month_day
from accord.organisations.models import Factsheet


def served_factsheets(hei_ids: list[str]) -> list[Factsheet]:
    """The factsheets of the served institutions among ``hei_ids`` (others ignored), in the order asked."""
    found = {
        factsheet.organisation.schac_code: factsheet
        for factsheet in Factsheet.objects.filter(
            organisation__in=served_institutions().filter(schac_code__in=hei_ids)
        ).select_related("organisation")
    }
    return [found[hei_id] for hei_id in dict.fromkeys(hei_ids) if hei_id in found]


def factsheet_response(factsheets: list[Factsheet]) -> bytes:
    ns = xml.FACTSHEET
    root = etree.Element(qname(ns, "factsheet-response"), nsmap={None: ns, "p": xml.PHONE})
    for factsheet in factsheets:
        element = sub(root, ns, "factsheet")
        sub(element, ns, "hei-id", factsheet.organisation.schac_code)
        calendar = sub(element, ns, "calendar")
        for name, autumn, spring in (
            ("student-nominations", factsheet.nominations_autumn, factsheet.nominations_spring),
            ("student-applications", factsheet.applications_autumn, factsheet.applications_spring),
        ):
            entry = sub(calendar, ns, name)
            sub(entry, ns, "autumn-term", g_month_day(autumn))
            sub(entry, ns, "spring-term", g_month_day(spring))
        _information(
            sub(element, ns, "application-info"),
            factsheet.application_email,
            factsheet.application_phone,
            factsheet.application_website,
        )
        for requirement in factsheet.additional_requirements:
            item = sub(element, ns, "additional-requirement")
            sub(item, ns, "name", requirement["name"])
            sub(item, ns, "details", requirement["details"])
            if requirement.get("website"):
                sub(item, ns, "information-website", requirement["website"])
        sub(element, ns, "decision-weeks-limit", str(factsheet.decision_weeks_limit))
        sub(element, ns, "tor-weeks-limit", str(factsheet.tor_weeks_limit))
        for accessibility in factsheet.accessibility:
            item = sub(element, ns, "accessibility")
            sub(item, ns, "type", accessibility["type"])
            sub(item, ns, "name", accessibility["name"])
            if accessibility.get("description"):
                sub(item, ns, "description", accessibility["description"])
            _information(
                sub(item, ns, "information"),
                accessibility["email"],
                accessibility["phone"],
                accessibility["website"],
            )
        for kind in ("housing", "visa", "insurance"):
            _information(
                sub(element, ns, f"{kind}-info"),
                getattr(factsheet, f"{kind}_email"),
                getattr(factsheet, f"{kind}_phone"),
                getattr(factsheet, f"{kind}_website"),
            )
        for info in factsheet.additional_info:
            item = sub(element, ns, "additional-info")
            sub(item, ns, "type", info["type"])
            _information(sub(item, ns, "info"), info["email"], info["phone"], info["website"])
    return xml.to_bytes(root)


def _information(parent: etree._Element, email: str, phone: str, website: str) -> None:
    """An ``InformationEntry``: the service keeps phones in E.164, as the schema's ``e164`` requires."""
    ns = xml.FACTSHEET
    sub(parent, ns, "email", email)
    sub(sub(parent, xml.PHONE, "phone-number"), xml.PHONE, "e164", phone)
    sub(parent, ns, "website-url", website)


# --- endpoint -------------------------------------------------------------------------------------------


@ewp_endpoint()
def factsheet(request: HttpRequest, params: QueryDict) -> HttpResponse:
    hei_ids = required_ids(params, "hei_id", limit=LIMITS.factsheet_hei_ids)
    return xml_response(factsheet_response(served_factsheets(hei_ids)))
