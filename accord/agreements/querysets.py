"""Who may do what with an agreement (see docs/decisions/0007-agreement-lifecycle.md).

* ``view``: staff (admin, coordinator, teacher, viewer) of the owning organisation always; staff of
  the other parties once the agreement has been shared with them. Partners see only the versions
  that were shared; the owner also sees its unshared drafts.
* ``edit``: admins and coordinators of the owning organisation write versions, share, renew,
  terminate, attach files and record partners' copies.
* ``approve``: admins and coordinators of a party approve for their own organisation.

Platform staff may do everything. Whatever a user may not see answers 404.
"""

from enum import StrEnum

from django.db import models

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES, STAFF_ROLES


class AgreementAction(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    APPROVE = "approve"


def _party_ids(agreement) -> set[int]:
    return {link.organisation_id for link in agreement.party_links.all()}


def agreement_may(user, action: str, agreement) -> bool:
    """Whether ``user`` may perform ``action``; reads ``party_links``, which callers may prefetch."""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_platform_staff(user):
        return True
    action = AgreementAction(action)
    if action == AgreementAction.VIEW:
        staff_of = organisation_ids_with_roles(user, STAFF_ROLES)
        return agreement.owner_id in staff_of or (
            agreement.first_shared_at is not None and bool(staff_of & _party_ids(agreement))
        )
    managing = organisation_ids_with_roles(user, MANAGING_ROLES)
    if action == AgreementAction.EDIT:
        return agreement.owner_id in managing
    return bool(managing & _party_ids(agreement))


def approving_organisation_ids(user, agreement) -> set[int]:
    """The parties ``user`` may approve for: all of them for platform staff."""
    parties = _party_ids(agreement)
    if is_platform_staff(user):
        return parties
    return parties & organisation_ids_with_roles(user, MANAGING_ROLES)


def sees_drafts(user, agreement) -> bool:
    """Whether ``user`` sees versions not shared yet: the owner's staff and platform staff."""
    return is_platform_staff(user) or agreement.owner_id in organisation_ids_with_roles(user, STAFF_ROLES)


class AgreementQuerySet(models.QuerySet):
    def for_user(self, user, action: str = AgreementAction.VIEW) -> "AgreementQuerySet":
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if is_platform_staff(user):
            return self
        action = AgreementAction(action)
        if action == AgreementAction.VIEW:
            staff_of = organisation_ids_with_roles(user, STAFF_ROLES)
            return self.filter(
                models.Q(owner_id__in=staff_of)
                | models.Q(first_shared_at__isnull=False, party_links__organisation_id__in=staff_of)
            ).distinct()
        managing = organisation_ids_with_roles(user, MANAGING_ROLES)
        if action == AgreementAction.EDIT:
            return self.filter(owner_id__in=managing)
        return self.filter(party_links__organisation_id__in=managing).distinct()
