"""What the partnership services share: the access checks and their refusals, the row locks that
concurrent edits wait on (docs/decisions/0011-concurrent-edits.md), and the checks of people, contacts,
dates and numbers."""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.accounts.access import forget_roles, roles_by_organisation
from accord.accounts.choices import STAFF_ROLES
from accord.core.concurrency import VersionedModel
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.partnerships.models import Partnership
from accord.partnerships.querysets import PartnershipAction, partnership_may

CHANGE_REFUSED = gettext_lazy(
    "Only admins and coordinators of the coordinating organisation can change this partnership."
)
CONTRIBUTE_REFUSED = gettext_lazy(
    "Only admins and coordinators of the member organisations can add to this partnership's record."
)
ENTRY_REFUSED = gettext_lazy(
    "Only whoever recorded this entry, or the coordinating organisation's "
    "admins and coordinators, can change it."
)


M = TypeVar("M", bound=VersionedModel)


def locked(record: M) -> M:
    """A fresh copy of ``record`` read under ``SELECT … FOR UPDATE`` of its row alone: what the checks
    that follow read is what is committed now, and no other write of the row can slip in before the
    transaction ends. A record deleted meanwhile is a conflict, not a crash."""
    found = type(record)._default_manager.select_for_update().filter(pk=record.pk).first()
    if found is None:
        name = record._meta.verbose_name
        raise Conflict(
            _("This %(name)s was deleted by someone else meanwhile; nothing was saved.") % {"name": name}
        )
    return found


def apply(record: VersionedModel, data: dict[str, Any]) -> list[str]:
    """Set the values of ``data`` that differ from the (locked) record's; the names of those fields.
    The caller validates, then saves them with :func:`save_written`."""
    changed = [name for name, value in data.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, data[name])
    return changed


def save_written(record: VersionedModel, changed: list[str], actor) -> None:
    """Save only the ``changed`` fields with the next version, so that a write of one field never
    reverts another written meanwhile; nothing changed, nothing written."""
    if changed:
        mark_written(record, actor, changed)


def mark_written(record: VersionedModel, actor, changed: Iterable[str] = ()) -> None:
    """Count a write, also one that changed none of the row's own columns (its many-to-many links)."""
    record.version += 1
    record.updated_by = actor if actor.is_authenticated else None
    record.save(update_fields=[*changed, "version", "updated_by", "updated_at"])


def values(data: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """The values ``data`` gives for ``fields``, text stripped; fields it does not name stay as they are."""
    return {
        field: value.strip() if isinstance(value, str) else value
        for field, value in data.items()
        if field in fields
    }


def require(actor, action: PartnershipAction, partnership: Partnership) -> None:
    """Refuse unless ``actor`` may act; called on the locked partnership, with the actor's roles read
    again, so that a role lost a moment ago counts."""
    forget_roles(actor)
    if not partnership_may(actor, action, partnership):
        raise PermissionDenied(CHANGE_REFUSED if action == PartnershipAction.CHANGE else CONTRIBUTE_REFUSED)


def require_entry_editor(actor, partnership: Partnership, recorded_by_id: int | None) -> None:
    """Log entries and figures belong to whoever recorded them, and to the partnership's owners."""
    forget_roles(actor)
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
        raise ValidationFailed(
            {field: _("%(user)s does not work at any of this partnership's organisations.") % {"user": user}}
        )


def year_range(partnership: Partnership) -> tuple[int | None, int | None]:
    return (
        partnership.start_date.year if partnership.start_date else None,
        partnership.end_date.year if partnership.end_date else None,
    )
