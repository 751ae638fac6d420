"""Who may see and do what with funding.

Money belongs to an institution (``organisation`` on funders, rule sets, budgets and grants):

* ``view``: its staff (admin, coordinator, teacher, viewer) and platform staff; a participant sees
  their own grant and its payments, nothing else.
* ``manage``: its admins and coordinators: budgets, grants, payments, distance overrides.
* ``configure``: its admins only: rule sets (a draft is edited, an active version is frozen).
"""

from enum import StrEnum

from django.db import models

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES, STAFF_ROLES, Role

ADMIN_ROLES = frozenset({Role.ADMIN})


class FundingAction(StrEnum):
    VIEW = "view"
    MANAGE = "manage"
    CONFIGURE = "configure"


_ROLES = {
    FundingAction.VIEW: STAFF_ROLES,
    FundingAction.MANAGE: MANAGING_ROLES,
    FundingAction.CONFIGURE: ADMIN_ROLES,
}


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def organisations_for(user, action: str) -> set[int] | None:
    """The institutions whose money ``user`` may ``action`` (None: all, for platform staff)."""
    if is_platform_staff(user):
        return None
    return organisation_ids_with_roles(user, _ROLES[FundingAction(action)])


def funding_may(user, action: str, organisation_id: int) -> bool:
    if not _active(user):
        return False
    allowed = organisations_for(user, action)
    return allowed is None or organisation_id in allowed


class OwnedQuerySet(models.QuerySet):
    """Rows of funders, rule sets and budgets, scoped by their ``organisation``."""

    def for_user(self, user, action: str = FundingAction.VIEW):
        if not _active(user):
            return self.none()
        allowed = organisations_for(user, action)
        return self if allowed is None else self.filter(organisation_id__in=allowed)


class GrantQuerySet(OwnedQuerySet):
    def for_user(self, user, action: str = FundingAction.VIEW):
        if not _active(user):
            return self.none()
        allowed = organisations_for(user, action)
        if allowed is None:
            return self
        scope = models.Q(organisation_id__in=allowed)
        if action == FundingAction.VIEW:
            scope |= models.Q(mobility__participant=user)
        return self.filter(scope)
