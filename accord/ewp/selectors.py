"""Reads for the EWP APIs.

EWP partners are not users of Accord, so there is no acting user to scope by: these selectors return
only what the directory already treats as public (profiles, units, and contacts marked public), and
only for the institutions this node serves.
"""

from django.db.models import Prefetch, Q, QuerySet

from accord.organisations.choices import ContactVisibility
from accord.organisations.models import Contact, Organisation, OrganisationalUnit

_PUBLIC_CONTACTS = Contact.objects.filter(visibility=ContactVisibility.PUBLIC).order_by(
    "family_name", "given_name", "pk"
)


def served_institutions() -> QuerySet[Organisation]:
    return Organisation.objects.filter(ewp_node__isnull=False, schac_code__isnull=False).order_by(
        "schac_code"
    )


def served_institution(hei_id: str) -> Organisation | None:
    return served_institutions().filter(schac_code=hei_id).first()


def institutions(hei_ids: list[str]) -> list[Organisation]:
    """The served institutions among ``hei_ids`` (others are ignored), in the order asked."""
    found = {
        organisation.schac_code: organisation
        for organisation in served_institutions()
        .filter(schac_code__in=hei_ids)
        .prefetch_related(
            "translations",
            Prefetch("units", queryset=OrganisationalUnit.objects.order_by("pk")),
            Prefetch("contacts", queryset=_PUBLIC_CONTACTS.filter(unit__isnull=True), to_attr="ewp_contacts"),
        )
    }
    return [found[hei_id] for hei_id in hei_ids if hei_id in found]


def units_by_id(organisation: Organisation, ids: list[str]) -> list[OrganisationalUnit]:
    """Units of ``organisation`` by EWP ``ounit-id`` (``OrganisationalUnit.ounit_id``: the unit's EWP id
    if it has one, else our primary key); unknown ids are ignored."""
    found = {unit.ounit_id: unit for unit in _units(organisation).filter(_ounit_id_in(ids))}
    return [found[value] for value in ids if value in found]


def units_by_code(organisation: Organisation, codes: list[str]) -> list[OrganisationalUnit]:
    """Units by ``ounit-code``; a unit without a code is served with its ounit-id as code, so found by it."""
    matches = _units(organisation).filter(Q(code__in=codes) | (Q(code="") & _ounit_id_in(codes)))
    found = {unit.code or unit.ounit_id: unit for unit in matches}
    return [found[value] for value in codes if value in found]


def _ounit_id_in(values: list[str]) -> Q:
    return Q(ewp_id__in=values) | Q(ewp_id="", pk__in=_numbers(values))


def _units(organisation: Organisation) -> QuerySet[OrganisationalUnit]:
    return organisation.units.select_related("parent").prefetch_related(
        Prefetch("contacts", queryset=_PUBLIC_CONTACTS, to_attr="ewp_contacts")
    )


def _numbers(values: list[str]) -> list[int]:
    # Primary keys are at most 19 digits; anything else cannot name a unit.
    return [int(value) for value in values if value.isascii() and value.isdigit() and len(value) < 19]
