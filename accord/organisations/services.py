"""Writes to the organisation directory. Every function is atomic and validates before saving.

Edits follow the concurrency convention (``accord.core.concurrency``): the row is locked alone, the
actor's role is read again under that lock, a stale ``expected_version`` is refused with
``StaleVersion``, and only the fields that changed are written, with the next version.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.accounts.access import Action, forget_roles, is_platform_staff, may
from accord.core.concurrency import lock, require_version
from accord.core.errors import Message, PermissionDenied, ValidationFailed
from accord.core.validation import clean_or_fail
from accord.organisations.choices import OrganisationKind
from accord.organisations.factsheet import clean_factsheet
from accord.organisations.identifiers import (
    normalise_erasmus_code,
    normalise_oid,
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
    "oid": normalise_oid,
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


def _city_values(country_code: str, geonameid: int | None) -> dict[str, Any]:
    if geonameid is None:
        return {"city_geonameid": None, "city_name": "", "latitude": None, "longitude": None, "timezone": ""}
    city = get_city(int(geonameid))
    if city is None:
        raise ValidationFailed(
            {
                "city_geonameid": _("'%(geonameid)s' is not a known GeoNames city id.")
                % {"geonameid": geonameid}
            }
        )
    if country_code and city.country_code != country_code.upper():
        raise ValidationFailed(
            {
                "city_geonameid": _("%(name)s is in %(country_code)s, not in %(expected)s.")
                % {"name": city.name, "country_code": city.country_code, "expected": country_code}
            }
        )
    return {
        "city_geonameid": city.geonameid,
        "city_name": city.name,
        "latitude": city.latitude,
        "longitude": city.longitude,
        "timezone": city.timezone,
    }


def _check_codes(field: str, codes: Iterable[str], is_valid, what: str) -> list[str]:
    cleaned = sorted({code.strip() for code in codes if code and code.strip()})
    bad = [code for code in cleaned if not is_valid(code)]
    if bad:
        raise ValidationFailed(
            {field: _("%(items)s: not %(what)s.") % {"items": ", ".join(repr(b) for b in bad), "what": what}}
        )
    return cleaned


def _set_languages(organisation: Organisation, codes: Iterable[str]) -> None:
    wanted = [c.lower() for c in _check_codes("languages", codes, is_language, _("an ISO 639 language code"))]
    organisation.languages.exclude(language_code__in=wanted).delete()
    have = set(organisation.languages.values_list("language_code", flat=True))
    OrganisationLanguage.objects.bulk_create(
        OrganisationLanguage(organisation=organisation, language_code=code)
        for code in wanted
        if code not in have
    )


def _set_fields(organisation: Organisation, codes: Iterable[str]) -> None:
    wanted = _check_codes("fields", codes, is_isced, _("an ISCED-F 2013 code"))
    organisation.fields.exclude(isced_code__in=wanted).delete()
    have = set(organisation.fields.values_list("isced_code", flat=True))
    OrganisationField.objects.bulk_create(
        OrganisationField(organisation=organisation, isced_code=code) for code in wanted if code not in have
    )


def _set_translations(organisation: Organisation, names: dict[str, str]) -> None:
    cleaned = {lang.strip().lower(): name.strip() for lang, name in names.items() if name and name.strip()}
    bad = [lang for lang in cleaned if not is_language(lang)]
    if bad:
        raise ValidationFailed(
            {"translations": _("%(items)s: not an ISO 639 language code.") % {"items": ", ".join(bad)}}
        )
    organisation.translations.exclude(language_code__in=cleaned).delete()
    for lang, name in cleaned.items():
        OrganisationName.objects.update_or_create(
            organisation=organisation, language_code=lang, defaults={"name": name}
        )


def _set_networks(organisation: Organisation, network_ids: Iterable[int]) -> None:
    ids = set(network_ids)
    networks = list(Organisation.objects.filter(pk__in=ids, kind=OrganisationKind.NETWORK))
    if len(networks) != len(ids) or organisation.pk in ids:
        raise ValidationFailed(
            {"networks": _("Only other organisations of the kind 'network' can be chosen.")}
        )
    organisation.networks.set(networks)


def _profile_values(organisation: Organisation, data: dict[str, Any]) -> dict[str, Any]:
    """The model fields ``data`` sets, normalised; the city is checked against the country the
    profile will have (the one sent, else the one saved)."""
    values: dict[str, Any] = {}
    for field in PROFILE_FIELDS:
        if field in data and field not in IDENTIFIER_NORMALISERS:
            value = data[field]
            values[field] = value.strip() if isinstance(value, str) else value
    values.update(_normalised_identifiers(data))
    if values.get("country_code"):
        values["country_code"] = values["country_code"].upper()
    if "city_geonameid" in data:
        country = values.get("country_code", organisation.country_code)
        values.update(_city_values(country, data["city_geonameid"]))
    return values


def _set_related(organisation: Organisation, data: dict[str, Any]) -> None:
    if "languages" in data:
        _set_languages(organisation, data["languages"])
    if "fields" in data:
        _set_fields(organisation, data["fields"])
    if "translations" in data:
        _set_translations(organisation, data["translations"])
    if "networks" in data:
        _set_networks(organisation, data["networks"])


@transaction.atomic
def organisation_create(*, actor, **data: Any) -> Organisation:
    """Platform staff add organisations to the directory (by hand or by import)."""
    if not is_platform_staff(actor):
        raise PermissionDenied(_("Only platform staff can add organisations to the directory."))
    organisation = Organisation()
    for field, value in _profile_values(organisation, data).items():
        setattr(organisation, field, value)
    organisation.updated_by = actor if actor.is_authenticated else None
    clean_or_fail(organisation, exclude=["networks"])
    organisation.save()
    _set_related(organisation, data)
    return organisation


def _require(actor, action: Action, organisation_id: int, refusal: Message) -> None:
    """Permission decided on the roles as they are now, under the caller's lock: the roles read at the
    start of the request may belong to someone removed a moment ago."""
    forget_roles(actor)
    if not may(actor, action, organisation_id):
        raise PermissionDenied(refusal)


def _write(record, values: dict[str, Any], *, actor, exclude: list[str] | None = None) -> list[str]:
    """Set the values that differ on the locked ``record``, validate it whole (so that a taken code is
    a field error, not a refused insert), and save only those fields with the next version."""
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, values[name])
    clean_or_fail(record, exclude=exclude)
    if changed:
        record.version += 1
        record.updated_by = actor if actor.is_authenticated else None
        record.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
    return changed


def _model_fields(record, names) -> list[str]:
    concrete = {field.name for field in record._meta.concrete_fields}
    return [name for name in names if name in concrete]


@transaction.atomic
def organisation_update(
    *, actor, organisation: Organisation, expected_version: int | None = None, **data: Any
) -> Organisation:
    """Edit the profile; the languages, fields, names and networks sent replace the saved ones."""
    if not may(actor, Action.CHANGE, organisation.pk):
        raise PermissionDenied(_("Only this organisation's admins can edit its profile."))
    lock(organisation)
    refusal = _("Only this organisation's admins can edit its profile.")
    _require(actor, Action.CHANGE, organisation.pk, refusal)
    require_version(organisation, expected_version, _model_fields(organisation, data))
    changed = _write(organisation, _profile_values(organisation, data), actor=actor, exclude=["networks"])
    if any(name in data for name in ("languages", "fields", "translations", "networks")):
        _set_related(organisation, data)
        if not changed:  # the lists are part of the profile: the next reader must see a new version
            organisation.version += 1
            organisation.updated_by = actor
            organisation.save(update_fields=["version", "updated_by", "updated_at"])
    return organisation


MANAGERS_ONLY = gettext_lazy("Only this organisation's admins and coordinators can change this.")


def _require_manager(actor, organisation: Organisation) -> None:
    if not may(actor, Action.MANAGE, organisation.pk):
        raise PermissionDenied(MANAGERS_ONLY)


def _check_unit_parent(unit: OrganisationalUnit, parent: OrganisationalUnit | None) -> None:
    if parent is None:
        return
    if parent.organisation_id != unit.organisation_id:
        raise ValidationFailed({"parent": _("The parent unit belongs to another organisation.")})
    ancestor: OrganisationalUnit | None = parent
    while ancestor is not None:
        if unit.pk is not None and ancestor.pk == unit.pk:
            raise ValidationFailed(
                {"parent": _("A unit cannot be placed inside itself or its own sub-units.")}
            )
        ancestor = ancestor.parent


UNIT_FIELDS = ("name", "code", "abbreviation", "website")


def _stripped(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, str]:
    return {field: (data[field] or "").strip() for field in fields if field in data}


@transaction.atomic
def unit_create(
    *, actor, organisation: Organisation, parent: OrganisationalUnit | None = None, **data: Any
) -> OrganisationalUnit:
    _require_manager(actor, organisation)
    unit = OrganisationalUnit(organisation=organisation, parent=parent, **_stripped(data, UNIT_FIELDS))
    _check_unit_parent(unit, parent)
    unit.updated_by = actor
    clean_or_fail(unit)
    unit.save()
    return unit


def _lock_for_manager(actor, record, expected_version: int | None, fields) -> None:
    """Lock ``record`` (a unit or contact), then check the actor still manages its organisation and
    the version the edit was made from."""
    lock(record)
    _require(actor, Action.MANAGE, record.organisation_id, MANAGERS_ONLY)
    require_version(record, expected_version, _model_fields(record, fields))


@transaction.atomic
def unit_update(
    *, actor, unit: OrganisationalUnit, expected_version: int | None = None, **data: Any
) -> OrganisationalUnit:
    _require_manager(actor, unit.organisation)
    _lock_for_manager(actor, unit, expected_version, data)
    values: dict[str, Any] = _stripped(data, UNIT_FIELDS)
    if "parent" in data:
        _check_unit_parent(unit, data["parent"])
        values["parent"] = data["parent"]
    _write(unit, values, actor=actor)
    return unit


@transaction.atomic
def unit_delete(*, actor, unit: OrganisationalUnit, expected_version: int | None = None) -> None:
    _require_manager(actor, unit.organisation)
    _lock_for_manager(actor, unit, expected_version, ())
    unit.delete()


CONTACT_FIELDS = ("given_name", "family_name", "email", "phone", "role", "position", "visibility")


def _contact_values(organisation_id: int, data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = _stripped(data, CONTACT_FIELDS)
    if "unit" in data:
        unit = data["unit"]
        if unit is not None and unit.organisation_id != organisation_id:
            raise ValidationFailed({"unit": _("The unit belongs to another organisation.")})
        values["unit"] = unit
    if values.get("phone"):
        try:
            values["phone"] = normalise_phone(values["phone"])
        except ValueError as exc:
            raise ValidationFailed({"phone": str(exc)}) from exc
    return values


def _lock_organisation_row(organisation_id: int) -> None:
    """The organisation's row alone, locked: one writer of its contact e-mails (checked and written in
    one step, the unique constraint backing it) and of its factsheet at a time."""
    list(Organisation.objects.select_for_update().filter(pk=organisation_id).values_list("pk", flat=True))


def _refuse_taken_email(organisation_id: int, email: str, contact_id: int | None = None) -> None:
    if not email:
        return
    taken = Contact.objects.filter(organisation_id=organisation_id, email__iexact=email)
    if taken.exclude(pk=contact_id).exists():
        raise ValidationFailed(
            {
                "email": _("This organisation already has a contact with the e-mail '%(email)s'.")
                % {"email": email}
            }
        )


@transaction.atomic
def contact_create(*, actor, organisation: Organisation, **data: Any) -> Contact:
    _require_manager(actor, organisation)
    contact = Contact(organisation=organisation, **_contact_values(organisation.pk, data))
    contact.updated_by = actor
    _lock_organisation_row(organisation.pk)
    _refuse_taken_email(organisation.pk, contact.email)
    clean_or_fail(contact)
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, actor, contact: Contact, expected_version: int | None = None, **data: Any) -> Contact:
    _require_manager(actor, contact.organisation)
    values = _contact_values(contact.organisation_id, data)
    if "email" in values:
        _lock_organisation_row(contact.organisation_id)  # before the contact's row: the order imports use
    _lock_for_manager(actor, contact, expected_version, data)
    if "email" in values:
        _refuse_taken_email(contact.organisation_id, values["email"], contact.pk)
    _write(contact, values, actor=actor)
    return contact


@transaction.atomic
def contact_delete(*, actor, contact: Contact, expected_version: int | None = None) -> None:
    _require_manager(actor, contact.organisation)
    _lock_for_manager(actor, contact, expected_version, ())
    contact.delete()


@transaction.atomic
def factsheet_update(
    *, actor, organisation: Organisation, expected_version: int | None = None, **data: Any
) -> Factsheet:
    """Record the organisation's factsheet as a whole (created the first time, replaced after).

    Every field is required except the three lists; values are normalised (phones to E.164, deadlines
    to ``MM-DD``) and checked against what the EWP Factsheet API can carry, and a refusal saves nothing.
    Replacing it from a stale version is refused; only the values that differ are written.
    """
    _require_manager(actor, organisation)
    values = clean_factsheet(data)
    _lock_organisation_row(organisation.pk)  # one writer per factsheet, also the first one
    _require(actor, Action.MANAGE, organisation.pk, MANAGERS_ONLY)
    factsheet = Factsheet.objects.filter(organisation=organisation).first()
    if factsheet is None:
        factsheet = Factsheet(organisation=organisation, updated_by=actor, **values)
        clean_or_fail(factsheet, exclude=["organisation", "updated_by"])
        factsheet.save()
        return factsheet
    lock(factsheet)
    require_version(factsheet, expected_version, values)
    _write(factsheet, values, actor=actor, exclude=["organisation", "updated_by"])
    return factsheet
