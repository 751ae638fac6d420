"""What the partnership services share: the access checks and their refusals, and the checks of people,
contacts, dates and numbers."""

from collections.abc import Iterable
from typing import Any

from accord.accounts.access import roles_by_organisation
from accord.accounts.choices import STAFF_ROLES
from accord.core.errors import PermissionDenied, ValidationFailed
from accord.partnerships.models import Partnership
from accord.partnerships.querysets import PartnershipAction, partnership_may

CHANGE_REFUSED = "Only admins and coordinators of the coordinating organisation can change this partnership."
CONTRIBUTE_REFUSED = (
    "Only admins and coordinators of the member organisations can add to this partnership's record."
)
ENTRY_REFUSED = (
    "Only whoever recorded this entry, or the coordinating organisation's admins and coordinators, "
    "can change it."
)


def require(actor, action: PartnershipAction, partnership: Partnership) -> None:
    if not partnership_may(actor, action, partnership):
        raise PermissionDenied(CHANGE_REFUSED if action == PartnershipAction.CHANGE else CONTRIBUTE_REFUSED)


def require_entry_editor(actor, partnership: Partnership, recorded_by_id: int | None) -> None:
    """Log entries and figures belong to whoever recorded them, and to the partnership's owners."""
    if partnership_may(actor, PartnershipAction.CHANGE, partnership):
        return
    if recorded_by_id == actor.pk and partnership_may(actor, PartnershipAction.CONTRIBUTE, partnership):
        return
    raise PermissionDenied(ENTRY_REFUSED)


def assign(instance, data: dict[str, Any], fields: Iterable[str]) -> None:
    for field in fields:
        if field in data:
            value = data[field]
            setattr(instance, field, value.strip() if isinstance(value, str) else value)


def member_organisation_ids(partnership: Partnership) -> set[int]:
    return {member.organisation_id for member in partnership.members.all()}


def check_person(partnership: Partnership, user, field: str) -> None:
    """Owners and attendees must work (in a staff role) at a member organisation."""
    roles = roles_by_organisation(user)
    if not any(roles.get(org_id) in STAFF_ROLES for org_id in member_organisation_ids(partnership)):
        raise ValidationFailed({field: f"{user} does not work at any of this partnership's organisations."})


def year_range(partnership: Partnership) -> tuple[int | None, int | None]:
    return (
        partnership.start_date.year if partnership.start_date else None,
        partnership.end_date.year if partnership.end_date else None,
    )
