"""Writes to the organisation directory. Every function is atomic and validates before saving."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from accord.accounts.access import Action, is_platform_staff, may
from accord.core.errors import PermissionDenied, ValidationFailed
from accord.core.validation import clean_or_fail
from accord.organisations.choices import OrganisationKind
from accord.organisations.factsheet import clean_factsheet
from accord.organisations.identifiers import (
    normalise_erasmus_code,
    normalise_phone,
    normalise_pic,
    normalise_ror,
    normalise_schac,
)
from accord.organisations.models import (
    Contact,
    Factsheet,
    Organisation,
    OrganisationalUnit,
    OrganisationField,
    OrganisationLanguage,
    OrganisationName,
)
from accord.reference.cities import get_city
from accord.reference.isced import is_isced
from accord.reference.languages import is_language

IDENTIFIER_NORMALISERS = {
    "schac_code": normalise_schac,
    "erasmus_code": normalise_erasmus_code,
    "pic": normalise_pic,
    "ror_id": normalise_ror,
}

PROFILE_FIELDS = (
    "kind",
    "name",
    "abbreviation",
    "country_code",
    "street_address",
    "postal_code",
    "website",
    "mission",
    "offers",
    "seeks",
    "internal_notes",
    "logo",
    *IDENTIFIER_NORMALISERS,
)


def _normalised_identifiers(values: dict[str, Any]) -> dict[str, str | None]:
    errors: dict[str, str] = {}
    result: dict[str, str | None] = {}
    for field, normalise in IDENTIFIER_NORMALISERS.items():
        if field not in values:
            continue
        raw = (values[field] or "").strip()
        if not raw:
            result[field] = None
            continue
        try:
            result[field] = normalise(raw)
        except ValueError as exc:
            errors[field] = str(exc)
    if errors:
        raise ValidationFailed(errors)
    return result


def _apply_city(organisation: Organisation, geonameid: int | None) -> None:
    if geonameid is None:
        organisation.city_geonameid = None
        organisation.city_name = ""
        organisation.latitude = organisation.longitude = None
        organisation.timezone = ""
        return
    city = get_city(int(geonameid))
    if city is None:
        raise ValidationFailed({"city_geonameid": f"'{geonameid}' is not a known GeoNames city id."})
    if organisation.country_code and city.country_code != organisation.country_code.upper():
        raise ValidationFailed(
            {"city_geonameid": f"{city.name} is in {city.country_code}, not in {organisation.country_code}."}
        )
    organisation.city_geonameid = city.geonameid
    organisation.city_name = city.name
    organisation.latitude = city.latitude
    organisation.longitude = city.longitude
    organisation.timezone = city.timezone


def _check_codes(field: str, codes: Iterable[str], is_valid, what: str) -> list[str]:
    cleaned = sorted({code.strip() for code in codes if code and code.strip()})
    bad = [code for code in cleaned if not is_valid(code)]
    if bad:
        raise ValidationFailed({field: f"{', '.join(repr(b) for b in bad)}: not {what}."})
    return cleaned


def _set_languages(organisation: Organisation, codes: Iterable[str]) -> None:
    wanted = [c.lower() for c in _check_codes("languages", codes, is_language, "an ISO 639 language code")]
    organisation.languages.exclude(language_code__in=wanted).delete()
    have = set(organisation.languages.values_list("language_code", flat=True))
    OrganisationLanguage.objects.bulk_create(
        OrganisationLanguage(organisation=organisation, language_code=code)
        for code in wanted
        if code not in have
    )


def _set_fields(organisation: Organisation, codes: Iterable[str]) -> None:
    wanted = _check_codes("fields", codes, is_isced, "an ISCED-F 2013 code")
    organisation.fields.exclude(isced_code__in=wanted).delete()
    have = set(organisation.fields.values_list("isced_code", flat=True))
    OrganisationField.objects.bulk_create(
        OrganisationField(organisation=organisation, isced_code=code) for code in wanted if code not in have
    )


def _set_translations(organisation: Organisation, names: dict[str, str]) -> None:
    cleaned = {lang.strip().lower(): name.strip() for lang, name in names.items() if name and name.strip()}
    bad = [lang for lang in cleaned if not is_language(lang)]
    if bad:
        raise ValidationFailed({"translations": f"{', '.join(bad)}: not an ISO 639 language code."})
    organisation.translations.exclude(language_code__in=cleaned).delete()
    for lang, name in cleaned.items():
        OrganisationName.objects.update_or_create(
            organisation=organisation, language_code=lang, defaults={"name": name}
        )


def _set_networks(organisation: Organisation, network_ids: Iterable[int]) -> None:
    ids = set(network_ids)
    networks = list(Organisation.objects.filter(pk__in=ids, kind=OrganisationKind.NETWORK))
    if len(networks) != len(ids) or organisation.pk in ids:
        raise ValidationFailed({"networks": "Only other organisations of the kind 'network' can be chosen."})
    organisation.networks.set(networks)


def _save_organisation(organisation: Organisation, data: dict[str, Any]) -> Organisation:
    identifiers = _normalised_identifiers(data)
    for field in PROFILE_FIELDS:
        if field in data and field not in IDENTIFIER_NORMALISERS:
            value = data[field]
            setattr(organisation, field, value.strip() if isinstance(value, str) else value)
    for field, value in identifiers.items():
        setattr(organisation, field, value)
    if organisation.country_code:
        organisation.country_code = organisation.country_code.upper()
    if "city_geonameid" in data:
        _apply_city(organisation, data["city_geonameid"])
    clean_or_fail(organisation, exclude=["networks"])
    organisation.save()
    if "languages" in data:
        _set_languages(organisation, data["languages"])
    if "fields" in data:
        _set_fields(organisation, data["fields"])
    if "translations" in data:
        _set_translations(organisation, data["translations"])
    if "networks" in data:
        _set_networks(organisation, data["networks"])
    return organisation


@transaction.atomic
def organisation_create(*, actor, **data: Any) -> Organisation:
    """Platform staff add organisations to the directory (by hand or by import)."""
    if not is_platform_staff(actor):
        raise PermissionDenied("Only platform staff can add organisations to the directory.")
    return _save_organisation(Organisation(), data)


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, **data: Any) -> Organisation:
    if not may(actor, Action.CHANGE, organisation.pk):
        raise PermissionDenied("Only this organisation's admins can edit its profile.")
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    return _save_organisation(locked, data)


def _require_manager(actor, organisation: Organisation) -> None:
    if not may(actor, Action.MANAGE, organisation.pk):
        raise PermissionDenied("Only this organisation's admins and coordinators can change this.")


def _check_unit_parent(unit: OrganisationalUnit, parent: OrganisationalUnit | None) -> None:
    if parent is None:
        return
    if parent.organisation_id != unit.organisation_id:
        raise ValidationFailed({"parent": "The parent unit belongs to another organisation."})
    ancestor: OrganisationalUnit | None = parent
    while ancestor is not None:
        if unit.pk is not None and ancestor.pk == unit.pk:
            raise ValidationFailed({"parent": "A unit cannot be placed inside itself or its own sub-units."})
        ancestor = ancestor.parent


UNIT_FIELDS = ("name", "code", "abbreviation", "website")


@transaction.atomic
def unit_create(
    *, actor, organisation: Organisation, parent: OrganisationalUnit | None = None, **data: Any
) -> OrganisationalUnit:
    _require_manager(actor, organisation)
    unit = OrganisationalUnit(organisation=organisation, parent=parent)
    _check_unit_parent(unit, parent)
    for field in UNIT_FIELDS:
        if field in data:
            setattr(unit, field, (data[field] or "").strip())
    clean_or_fail(unit)
    unit.save()
    return unit


@transaction.atomic
def unit_update(*, actor, unit: OrganisationalUnit, **data: Any) -> OrganisationalUnit:
    _require_manager(actor, unit.organisation)
    if "parent" in data:
        _check_unit_parent(unit, data["parent"])
        unit.parent = data["parent"]
    for field in UNIT_FIELDS:
        if field in data:
            setattr(unit, field, (data[field] or "").strip())
    clean_or_fail(unit)
    unit.save()
    return unit


@transaction.atomic
def unit_delete(*, actor, unit: OrganisationalUnit) -> None:
    _require_manager(actor, unit.organisation)
    unit.delete()


CONTACT_FIELDS = ("given_name", "family_name", "email", "phone", "role", "position", "visibility")


def _save_contact(contact: Contact, data: dict[str, Any]) -> Contact:
    for field in CONTACT_FIELDS:
        if field in data:
            setattr(contact, field, (data[field] or "").strip())
    if "unit" in data:
        unit = data["unit"]
        if unit is not None and unit.organisation_id != contact.organisation_id:
            raise ValidationFailed({"unit": "The unit belongs to another organisation."})
        contact.unit = unit
    if contact.phone:
        try:
            contact.phone = normalise_phone(contact.phone)
        except ValueError as exc:
            raise ValidationFailed({"phone": str(exc)}) from exc
    clean_or_fail(contact)
    contact.save()
    return contact


@transaction.atomic
def contact_create(*, actor, organisation: Organisation, **data: Any) -> Contact:
    _require_manager(actor, organisation)
    return _save_contact(Contact(organisation=organisation), data)


@transaction.atomic
def contact_update(*, actor, contact: Contact, **data: Any) -> Contact:
    _require_manager(actor, contact.organisation)
    return _save_contact(contact, data)


@transaction.atomic
def contact_delete(*, actor, contact: Contact) -> None:
    _require_manager(actor, contact.organisation)
    contact.delete()


@transaction.atomic
def factsheet_update(*, actor, organisation: Organisation, **data: Any) -> Factsheet:
    """Record the organisation's factsheet as a whole (created the first time, replaced after).

    Every field is required except the three lists; values are normalised (phones to E.164, deadlines
    to ``MM-DD``) and checked against what the EWP Factsheet API can carry, and a refusal saves nothing.
    """
    _require_manager(actor, organisation)
    values = clean_factsheet(data)
    Organisation.objects.select_for_update().get(pk=organisation.pk)  # one writer per factsheet
    factsheet = Factsheet.objects.filter(organisation=organisation).first() or Factsheet(
        organisation=organisation
    )
    for field, value in values.items():
        setattr(factsheet, field, value)
    factsheet.updated_by = actor
    clean_or_fail(factsheet, exclude=["organisation", "updated_by"])
    factsheet.save()
    return factsheet
