"""Who may see and do what in virtual exchange.

* A class profile is seen by the staff of its institution, and, once published, by the staff of
  institutions that share a partnership with it (visibility "partners") or that belong to one of its
  chosen networks (visibility "networks"). It is changed by its teacher and by the admins and
  coordinators of its institution (``change``).
* A proposal and an exchange are seen by whoever may change either class, by the call's organisers
  and (an exchange) by its students; they are acted on by whoever may change either class.
* A call is seen by the staff of its organiser, of the organiser network's members and of the
  organiser's partners; it is run by the organiser's admins and coordinators (``manage``).
"""

from enum import StrEnum

from django.db import models

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES, STAFF_ROLES


class VeAction(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    MANAGE = "manage"


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def partner_ids(organisation_ids: set[int]) -> models.QuerySet:
    """The organisations sharing a partnership with any of ``organisation_ids`` (themselves too)."""
    from accord.partnerships.models import PartnershipMember

    return PartnershipMember.objects.filter(
        partnership__members__organisation_id__in=organisation_ids
    ).values("organisation_id")


def network_ids(organisation_ids: set[int]) -> models.QuerySet:
    """The networks any of ``organisation_ids`` belongs to."""
    from accord.organisations.models import Organisation

    return Organisation.objects.filter(pk__in=organisation_ids, networks__isnull=False).values("networks")


def changeable_profile_q(user, prefix: str = "") -> models.Q:
    managing = organisation_ids_with_roles(user, MANAGING_ROLES)
    return models.Q(**{f"{prefix}teacher": user}) | models.Q(**{f"{prefix}organisation_id__in": managing})


class ClassProfileQuerySet(models.QuerySet):
    def for_user(self, user, action: str = VeAction.VIEW) -> "ClassProfileQuerySet":
        if not _active(user):
            return self.none()
        if is_platform_staff(user):
            return self
        if VeAction(action) == VeAction.CHANGE:
            return self.filter(changeable_profile_q(user))
        staff_of = organisation_ids_with_roles(user, STAFF_ROLES)
        published = models.Q(status="published")
        partners = models.Q(visibility="partners", organisation_id__in=partner_ids(staff_of))
        networks = models.Q(visibility="networks") & (
            models.Q(networks__in=network_ids(staff_of)) | models.Q(networks__in=staff_of)
        )
        scope = models.Q(organisation_id__in=staff_of) | (published & (partners | networks))
        return self.filter(pk__in=self.model._default_manager.filter(scope).values("pk"))


class ProposalQuerySet(models.QuerySet):
    def for_user(self, user, action: str = VeAction.VIEW) -> "ProposalQuerySet":
        if not _active(user):
            return self.none()
        if is_platform_staff(user):
            return self
        scope = changeable_profile_q(user, "first__") | changeable_profile_q(user, "second__")
        if VeAction(action) == VeAction.VIEW:
            scope |= models.Q(call__organiser_id__in=organisation_ids_with_roles(user, MANAGING_ROLES))
        return self.filter(scope)


class ExchangeQuerySet(models.QuerySet):
    def for_user(self, user, action: str = VeAction.VIEW) -> "ExchangeQuerySet":
        if not _active(user):
            return self.none()
        if is_platform_staff(user):
            return self
        scope = changeable_profile_q(user, "first__") | changeable_profile_q(user, "second__")
        if VeAction(action) == VeAction.VIEW:
            managing = organisation_ids_with_roles(user, MANAGING_ROLES)
            scope |= models.Q(proposal__call__organiser_id__in=managing)
            students = self.model._default_manager.filter(students__person=user).values("pk")
            scope |= models.Q(pk__in=students)
        return self.filter(scope)


class CallQuerySet(models.QuerySet):
    def for_user(self, user, action: str = VeAction.VIEW) -> "CallQuerySet":
        if not _active(user):
            return self.none()
        if is_platform_staff(user):
            return self
        if VeAction(action) == VeAction.MANAGE:
            return self.filter(organiser_id__in=organisation_ids_with_roles(user, MANAGING_ROLES))
        staff_of = organisation_ids_with_roles(user, STAFF_ROLES)
        return self.filter(
            models.Q(organiser_id__in=staff_of)
            | models.Q(organiser_id__in=network_ids(staff_of))
            | models.Q(organiser_id__in=partner_ids(staff_of))
        )
