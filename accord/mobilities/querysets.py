"""Who may see and do what with a mobility (docs/decisions/0009-mobilities.md).

* ``view``: the participant; staff (admin, coordinator, teacher, viewer) of the sending institution
  (outgoing) and of the receiving institution (incoming); platform staff.
* ``manage``: admins and coordinators of the sending institution: edit, cancel, propose learning
  agreement versions for the participant, convert grades and recognise.
* ``receive``: admins and coordinators of the receiving institution: accept the participant, record
  arrival and departure, record the transcript.

Signing is decided per version in :func:`signing_roles`: the participant signs as the participant,
admins and coordinators (or a named delegate) of each side for that side. Platform staff may manage
everything but sign nothing, since a signature must come from someone holding the role.
"""

from enum import StrEnum

from django.db import models

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES, STAFF_ROLES
from accord.mobilities.choices import SignerRole


class MobilityAction(StrEnum):
    VIEW = "view"
    MANAGE = "manage"
    RECEIVE = "receive"


def mobility_may(user, action: str, mobility) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if is_platform_staff(user):
        return True
    action = MobilityAction(action)
    if action == MobilityAction.VIEW:
        staff_of = organisation_ids_with_roles(user, STAFF_ROLES)
        return (
            mobility.participant_id == user.pk
            or mobility.sending_organisation_id in staff_of
            or mobility.receiving_organisation_id in staff_of
        )
    managing = organisation_ids_with_roles(user, MANAGING_ROLES)
    if action == MobilityAction.MANAGE:
        return mobility.sending_organisation_id in managing
    return mobility.receiving_organisation_id in managing


def side_organisation_id(mobility, role: str) -> int:
    return (
        mobility.sending_organisation_id if role == SignerRole.SENDING else mobility.receiving_organisation_id
    )


# Where a list prefetched the user's active delegations of each agreement (``selectors.delegations_of``),
# deciding who signs on the whole list costs one query instead of one a mobility.
PREFETCHED_DELEGATIONS = "active_delegations_of_user"


def active_delegation(agreement, role: str, user):
    prefetched = getattr(agreement, PREFETCHED_DELEGATIONS, None)
    if prefetched is not None:
        return next((d for d in prefetched if d.role == role and d.delegate_id == user.pk), None)
    return agreement.delegations.filter(role=role, delegate=user, revoked_at__isnull=True).first()


def signing_roles(user, mobility) -> dict:
    """The roles ``user`` may sign in, each with the delegation it relies on (None: their own role).

    Platform staff sign nothing by virtue of being staff: a signature must come from the participant
    or from someone holding the role at that institution."""
    if not (user.is_authenticated and user.is_active):
        return {}
    roles: dict = {}
    if mobility.participant_id == user.pk:
        roles[SignerRole.STUDENT] = None
    managing = organisation_ids_with_roles(user, MANAGING_ROLES)
    agreement = getattr(mobility, "learning_agreement", None)
    for role in (SignerRole.SENDING, SignerRole.RECEIVING):
        if side_organisation_id(mobility, role) in managing:
            roles[role] = None
        elif agreement is not None:
            delegation = active_delegation(agreement, role, user)
            if delegation is not None:
                roles[role] = delegation
    return roles


class MobilityQuerySet(models.QuerySet):
    def for_user(self, user, action: str = MobilityAction.VIEW) -> "MobilityQuerySet":
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if is_platform_staff(user):
            return self
        action = MobilityAction(action)
        if action == MobilityAction.VIEW:
            staff_of = organisation_ids_with_roles(user, STAFF_ROLES)
            return self.filter(
                models.Q(participant=user)
                | models.Q(sending_organisation_id__in=staff_of)
                | models.Q(receiving_organisation_id__in=staff_of)
            )
        managing = organisation_ids_with_roles(user, MANAGING_ROLES)
        if action == MobilityAction.MANAGE:
            return self.filter(sending_organisation_id__in=managing)
        return self.filter(receiving_organisation_id__in=managing)
