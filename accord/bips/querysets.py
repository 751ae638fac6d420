"""Who may see and do what with a blended intensive programme.

* ``view``: staff (admin, coordinator, teacher, viewer) of any institution taking part (the coordinator
  included), its participants, platform staff. Others do not know it exists.
* ``manage``: admins and coordinators of the coordinating institution (the organiser): edit, move along
  the lifecycle, add partners and components, accept or decline nominations, record attendance.
* ``nominate``: admins and coordinators of a partner institution, for that institution's own people.

Participants are personal data: the organiser's and the host's staff see all of a BIP's participants;
a partner's staff see their own institution's; a participant sees themselves.
"""

from enum import StrEnum

from django.db import models

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES, STAFF_ROLES


class BipAction(StrEnum):
    VIEW = "view"
    MANAGE = "manage"
    NOMINATE = "nominate"


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def bip_may(user, action: str, bip, partner_ids: set[int] | None = None) -> bool:
    """Whether ``user`` may do ``action`` on ``bip``; ``partner_ids`` are its institutions (read when
    not given)."""
    if not _active(user):
        return False
    if is_platform_staff(user):
        return True
    action = BipAction(action)
    if action == BipAction.MANAGE:
        return bip.coordinator_id in organisation_ids_with_roles(user, MANAGING_ROLES)
    if partner_ids is None:
        partner_ids = set(bip.partners.values_list("organisation_id", flat=True))
    if action == BipAction.NOMINATE:
        return bool(partner_ids & organisation_ids_with_roles(user, MANAGING_ROLES))
    return (
        bool(partner_ids & organisation_ids_with_roles(user, STAFF_ROLES))
        or bip.participants.filter(person=user).exists()
    )


def sees_all_participants(user, bip) -> bool:
    if is_platform_staff(user):
        return True
    staff_of = organisation_ids_with_roles(user, STAFF_ROLES)
    return bip.coordinator_id in staff_of or bip.host_id in staff_of


class BipQuerySet(models.QuerySet):
    def for_user(self, user, action: str = BipAction.VIEW) -> "BipQuerySet":
        if not _active(user):
            return self.none()
        if is_platform_staff(user):
            return self
        action = BipAction(action)
        if action == BipAction.MANAGE:
            return self.filter(coordinator_id__in=organisation_ids_with_roles(user, MANAGING_ROLES))
        roles = MANAGING_ROLES if action == BipAction.NOMINATE else STAFF_ROLES
        # Through the reverse relations, as subqueries so that a BIP with several matches stays one row.
        bips = self.model._default_manager
        scope = models.Q(
            pk__in=bips.filter(partners__organisation_id__in=organisation_ids_with_roles(user, roles)).values(
                "pk"
            )
        )
        if action == BipAction.VIEW:
            scope |= models.Q(pk__in=bips.filter(participants__person=user).values("pk"))
        return self.filter(scope)


class BipParticipantQuerySet(models.QuerySet):
    def for_user(self, user) -> "BipParticipantQuerySet":
        """The participants ``user`` may see, across BIPs (see the module's docstring)."""
        if not _active(user):
            return self.none()
        if is_platform_staff(user):
            return self
        staff_of = organisation_ids_with_roles(user, STAFF_ROLES)
        return self.filter(
            models.Q(bip__coordinator_id__in=staff_of)
            | models.Q(bip__host_id__in=staff_of)
            | models.Q(partner__organisation_id__in=staff_of)
            | models.Q(person=user)
        )
