"""Who may do what with a partnership: the partnership's extension of ``accord.accounts.access``.

Roles still come from ``accounts.access``; what is new is that a partnership belongs to several
organisations at once, so the question becomes "which role, at which *member* organisation":

* ``view`` — anyone with a staff role (admin, coordinator, teacher, viewer; not students) at any
  member organisation sees the partnership and everything it shares: members, responsible contacts,
  objectives and progress, the transition history and the collaboration log.
* ``contribute`` — admins and coordinators of any member organisation add to the shared record:
  meetings, decisions, action items and measured figures (indicator actuals). They may edit or delete
  what they recorded themselves; the owner of an action item may also change its status.
* ``change`` — admins and coordinators of the *coordinating* organisation own the record: they edit
  it, move it through its lifecycle, manage members, objectives, indicators and targets, and may
  edit or delete any log entry.

Platform staff may do everything. Everyone else sees nothing: a partnership outside a user's scope
answers 404, so its existence does not leak (see docs/decisions/0005-partnership-access.md).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.apps import apps
from django.db import models

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES, STAFF_ROLES
from accord.partnerships.choices import MemberRole


class PartnershipAction(StrEnum):
    VIEW = "view"
    CONTRIBUTE = "contribute"
    CHANGE = "change"


@dataclass(frozen=True)
class Rule:
    user_roles: frozenset[str]
    """The roles a user must hold at a member organisation."""
    member_roles: frozenset[str] | None
    """The member roles that organisation must have in the partnership (None: any)."""


COORDINATOR_MEMBER = frozenset({MemberRole.COORDINATOR})

PARTNERSHIP_RULES: dict[PartnershipAction, Rule] = {
    PartnershipAction.VIEW: Rule(user_roles=STAFF_ROLES, member_roles=None),
    PartnershipAction.CONTRIBUTE: Rule(user_roles=MANAGING_ROLES, member_roles=None),
    PartnershipAction.CHANGE: Rule(user_roles=MANAGING_ROLES, member_roles=COORDINATOR_MEMBER),
}


def partnership_may(user, action: str, partnership) -> bool:
    """Whether ``user`` may perform ``action`` on this partnership.

    Reads ``partnership.members.all()``, so prefetching the members makes this free per row.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if is_platform_staff(user):
        return True
    rule = PARTNERSHIP_RULES[PartnershipAction(action)]
    organisation_ids = organisation_ids_with_roles(user, rule.user_roles)
    return any(
        member.organisation_id in organisation_ids
        and (rule.member_roles is None or member.role in rule.member_roles)
        for member in partnership.members.all()
    )


class PartnershipQuerySet(models.QuerySet):
    def for_user(self, user, action: str = PartnershipAction.VIEW) -> "PartnershipQuerySet":
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if is_platform_staff(user):
            return self
        rule = PARTNERSHIP_RULES[PartnershipAction(action)]
        organisation_ids = organisation_ids_with_roles(user, rule.user_roles)
        if not organisation_ids:
            return self.none()
        # The member model is looked up lazily because models.py imports this module.
        members = apps.get_model("partnerships", "PartnershipMember").objects.filter(
            organisation_id__in=organisation_ids
        )
        if rule.member_roles is not None:
            members = members.filter(role__in=rule.member_roles)
        return self.filter(pk__in=members.values("partnership_id"))
