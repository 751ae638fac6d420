"""Who may see and do what in the exchanges domain (docs/decisions/0008-calls-and-allocation.md).

Roles still come from ``accounts.access``; the rules here say at which organisation they count:

* calls: staff of the owner see them all; students of the owner see them once opened; admins and
  coordinators of the owner manage them; admins, coordinators and teachers of the owner review;
* applications: a student sees their own; reviewers of the owner see those handed in; managers of
  the owner see all, drafts included;
* nominations: admins and coordinators of the receiving organisation see and decide those sent to
  them; the owner's managers see those they sent.

Platform staff may do everything. Everything else answers "not found".
"""

from enum import StrEnum

from django.db import models
from django.db.models import Q

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES, STAFF_ROLES, Role

REVIEWER_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.TEACHER})
STUDENT_ROLES = frozenset({Role.STUDENT})


class ExchangeAction(StrEnum):
    VIEW = "view"
    MANAGE = "manage"
    REVIEW = "review"
    DECIDE = "decide"


def _signed_in(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


class CallQuerySet(models.QuerySet):
    def for_user(self, user, action: str = ExchangeAction.VIEW) -> "CallQuerySet":
        if not _signed_in(user):
            return self.none()
        if is_platform_staff(user):
            return self
        if action == ExchangeAction.MANAGE:
            return self.filter(owner_id__in=organisation_ids_with_roles(user, MANAGING_ROLES))
        if action == ExchangeAction.REVIEW:
            return self.filter(owner_id__in=organisation_ids_with_roles(user, REVIEWER_ROLES))
        staff_of = organisation_ids_with_roles(user, STAFF_ROLES)
        student_of = organisation_ids_with_roles(user, STUDENT_ROLES)
        return self.filter(Q(owner_id__in=staff_of) | (Q(owner_id__in=student_of) & ~Q(status="draft")))


class ApplicationQuerySet(models.QuerySet):
    def for_user(self, user, action: str = ExchangeAction.VIEW) -> "ApplicationQuerySet":
        if not _signed_in(user):
            return self.none()
        if is_platform_staff(user):
            return self
        managed = Q(call__owner_id__in=organisation_ids_with_roles(user, MANAGING_ROLES))
        reviewed = Q(call__owner_id__in=organisation_ids_with_roles(user, REVIEWER_ROLES)) & ~Q(
            status="draft"
        )
        if action == ExchangeAction.MANAGE:
            return self.filter(managed)
        if action == ExchangeAction.REVIEW:
            # Nobody reviews their own application, whatever their role.
            return self.filter(reviewed).exclude(student=user)
        return self.filter(Q(student=user) | managed | reviewed)


class NominationQuerySet(models.QuerySet):
    def for_user(self, user, action: str = ExchangeAction.VIEW) -> "NominationQuerySet":
        if not _signed_in(user):
            return self.none()
        if is_platform_staff(user):
            return self
        managed = organisation_ids_with_roles(user, MANAGING_ROLES)
        receiving = Q(place__receiving_organisation_id__in=managed)
        if action == ExchangeAction.DECIDE:
            return self.filter(receiving)
        return self.filter(receiving | Q(application__call__owner_id__in=managed))
