"""Who may do what: the one place where roles turn into permissions.

Every list and every lookup in the UI and the API goes through a model's ``for_user(user, action)``
scope, which asks the helpers below. Platform staff (Django ``is_staff``) run the directory and see
everything; everyone else acts through their memberships. Objects a user may not see are answered
with "not found", never "forbidden", so their existence does not leak.
"""

from enum import StrEnum

from accord.accounts.choices import MANAGING_ROLES, STAFF_ROLES, Role


class Action(StrEnum):
    VIEW = "view"
    VIEW_PRIVATE = "view_private"
    CHANGE = "change"
    MANAGE = "manage"
    MANAGE_MEMBERS = "manage_members"


# For each action on an organisation's own data, the roles that may perform it.
ROLES_FOR_ACTION: dict[Action, frozenset[str]] = {
    Action.VIEW: frozenset(Role.values),
    Action.VIEW_PRIVATE: MANAGING_ROLES,
    Action.CHANGE: frozenset({Role.ADMIN}),
    Action.MANAGE: MANAGING_ROLES,
    Action.MANAGE_MEMBERS: frozenset({Role.ADMIN}),
}

_CACHE_ATTRIBUTE = "_accord_roles_by_organisation"


def is_platform_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


def roles_by_organisation(user) -> dict[int, str]:
    """The user's role in each organisation, read once per request and cached on the user object."""
    if not (user.is_authenticated and user.is_active):
        return {}
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = dict(user.memberships.values_list("organisation_id", "role"))
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def forget_roles(user) -> None:
    """Call after changing a user's memberships within the same request."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def organisation_ids_with_roles(user, roles: frozenset[str]) -> set[int]:
    """The organisations where the user holds one of ``roles``; domains with their own rule tables
    (partnerships) ask by role set rather than by directory action."""
    return {org_id for org_id, role in roles_by_organisation(user).items() if role in roles}


def organisation_ids_for(user, action: Action) -> set[int]:
    return organisation_ids_with_roles(user, ROLES_FOR_ACTION[action])


def may(user, action: Action, organisation_id: int) -> bool:
    if is_platform_staff(user):
        return True
    return organisation_id in organisation_ids_for(user, action)


def is_member(user, organisation_id: int) -> bool:
    return organisation_id in roles_by_organisation(user)


def works_at_any(user) -> bool:
    """True for staff roles (not students) somewhere: they get the coordinator-facing menus."""
    return any(role in STAFF_ROLES for role in roles_by_organisation(user).values())


def two_factor_recommended(user) -> bool:
    """Platform staff and people who manage an organisation should protect their sign-in with 2FA."""
    if is_platform_staff(user):
        return True
    return any(role in MANAGING_ROLES for role in roles_by_organisation(user).values())
