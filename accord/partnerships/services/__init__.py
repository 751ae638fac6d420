"""Writes to partnerships. Every function is keyword-only, atomic and validates before it saves.

Who may call what is decided by ``querysets.partnership_may`` (see its module docstring); the services
check it again, so the API, the CLI and tasks cannot bypass it.

Split by subdomain: the partnership with its members and lifecycle, the objectives with their indicators,
targets and measured figures, and the collaboration log. Callers import from here."""

from accord.partnerships.services._common import ENTRY_REFUSED
from accord.partnerships.services.log import (
    action_item_create,
    action_item_delete,
    action_item_reminders_send,
    action_item_update,
    decision_create,
    decision_delete,
    decision_update,
    meeting_create,
    meeting_delete,
    meeting_update,
)
from accord.partnerships.services.objectives import (
    indicator_actual_delete,
    indicator_actual_record,
    indicator_actual_update,
    indicator_create,
    indicator_delete,
    indicator_target_create,
    indicator_target_delete,
    indicator_target_update,
    indicator_update,
    objective_create,
    objective_delete,
    objective_update,
)
from accord.partnerships.services.partnership import (
    partnership_create,
    partnership_member_add,
    partnership_member_remove,
    partnership_member_update,
    partnership_transition,
    partnership_update,
)

__all__ = [
    "ENTRY_REFUSED",
    "action_item_create",
    "action_item_delete",
    "action_item_reminders_send",
    "action_item_update",
    "decision_create",
    "decision_delete",
    "decision_update",
    "indicator_actual_delete",
    "indicator_actual_record",
    "indicator_actual_update",
    "indicator_create",
    "indicator_delete",
    "indicator_target_create",
    "indicator_target_delete",
    "indicator_target_update",
    "indicator_update",
    "meeting_create",
    "meeting_delete",
    "meeting_update",
    "objective_create",
    "objective_delete",
    "objective_update",
    "partnership_create",
    "partnership_member_add",
    "partnership_member_remove",
    "partnership_member_update",
    "partnership_transition",
    "partnership_update",
]
