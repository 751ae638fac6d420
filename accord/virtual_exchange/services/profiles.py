"""Publishing, editing and withdrawing class profiles."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.core.concurrency import bump, lock, require_version, save_changes
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.organisations.choices import OrganisationKind
from accord.organisations.models import Organisation
from accord.virtual_exchange.choices import ProfileStatus
from accord.virtual_exchange.models import ClassProfile
from accord.virtual_exchange.services._common import (
    PROFILE_FIELDS,
    TEACHING_ROLES,
    clean_profile,
    require_profile_change,
)


def _networks(network_ids: list[int] | None, errors: dict) -> list[Organisation]:
    ids = sorted(set(network_ids or []))
    networks = list(Organisation.objects.filter(pk__in=ids, kind=OrganisationKind.NETWORK))
    if len(networks) != len(ids):
        errors["network_ids"] = _("Only organisations of the kind 'network' can be chosen.")
    return networks


@transaction.atomic
def profile_create(
    *,
    actor,
    organisation: Organisation,
    data: dict[str, Any],
    teacher=None,
    network_ids: list[int] | None = None,
) -> ClassProfile:
    """Publish a class of ``organisation``: its teachers publish their own, its coordinators any."""
    teacher = teacher or actor
    if not (
        is_platform_staff(actor) or organisation.pk in organisation_ids_with_roles(actor, TEACHING_ROLES)
    ):
        raise PermissionDenied(
            _("Only teachers and coordinators of the institution can publish its classes.")
        )
    if teacher.pk != actor.pk and not (
        is_platform_staff(actor) or organisation.pk in organisation_ids_with_roles(actor, MANAGING_ROLES)
    ):
        raise PermissionDenied(_("Only coordinators can publish a class in another teacher's name."))
    cleaned, errors = clean_profile({name: data.get(name) for name in PROFILE_FIELDS if name in data})
    if organisation.pk not in organisation_ids_with_roles(teacher, TEACHING_ROLES):
        errors["teacher_id"] = _("The teacher must teach at the institution.")
    networks = _networks(network_ids, errors)
    if errors:
        raise ValidationFailed(errors)
    profile = ClassProfile(
        organisation=organisation,
        teacher=teacher,
        updated_by=actor,
        **{name: cleaned[name] for name in PROFILE_FIELDS if name in cleaned},
    )
    profile.save()
    profile.networks.set(networks)
    return profile


@transaction.atomic
def profile_update(
    *,
    actor,
    profile: ClassProfile,
    data: dict[str, Any],
    network_ids: list[int] | None = None,
    expected_version: int | None = None,
) -> ClassProfile:
    """Edit the fields of ``data`` (the others stay); refused on a stale version."""
    require_profile_change(actor, profile)
    lock(profile)
    require_version(profile, expected_version, data)
    require_profile_change(actor, profile)
    merged = {name: getattr(profile, name) for name in PROFILE_FIELDS} | data
    cleaned, errors = clean_profile(merged)
    networks = _networks(network_ids, errors) if network_ids is not None else None
    if errors:
        raise ValidationFailed(errors)
    changed = save_changes(
        profile,
        {name: cleaned[name] for name in data if name in PROFILE_FIELDS},
        actor=actor,
        editable=PROFILE_FIELDS,
    )
    if networks is not None:
        profile.networks.set(networks)
        if not changed:
            profile.save(update_fields=bump(profile, actor))
    return profile


@transaction.atomic
def profile_withdraw(*, actor, profile: ClassProfile, expected_version: int | None = None) -> ClassProfile:
    """Take the class out of the proposals (its exchanges go on)."""
    require_profile_change(actor, profile)
    lock(profile)
    require_version(profile, expected_version, ("status",))
    if profile.status == ProfileStatus.WITHDRAWN:
        raise Conflict(_("This class was already withdrawn."))
    profile.status = ProfileStatus.WITHDRAWN
    profile.save(update_fields=["status", *bump(profile, actor)])
    return profile
