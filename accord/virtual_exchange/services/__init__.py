"""Every write to virtual exchange, as ``<noun>_<verb>(*, actor, …)``: atomic, checking access and
validating before saving."""

from accord.virtual_exchange.services.calls import (
    call_close,
    call_constraint_set,
    call_create,
    call_match,
    call_submit,
)
from accord.virtual_exchange.services.exchanges import (
    exchange_cancel,
    exchange_complete,
    exchange_update,
    message_post,
    session_delete,
    session_save,
    students_set,
    task_save,
)
from accord.virtual_exchange.services.profiles import profile_create, profile_update, profile_withdraw
from accord.virtual_exchange.services.proposals import proposal_decide, proposal_invite, proposal_withdraw

__all__ = [
    "call_close",
    "call_constraint_set",
    "call_create",
    "call_match",
    "call_submit",
    "exchange_cancel",
    "exchange_complete",
    "exchange_update",
    "message_post",
    "profile_create",
    "profile_update",
    "profile_withdraw",
    "proposal_decide",
    "proposal_invite",
    "proposal_withdraw",
    "session_delete",
    "session_save",
    "students_set",
    "task_save",
]
