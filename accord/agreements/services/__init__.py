"""Writes to agreements. Every function is keyword-only, atomic, checks access and validates first.

The lifecycle (docs/decisions/0007-agreement-lifecycle.md): every change of content writes a new
version; sharing a version counts as the owner's approval of it; each other party approves the
version by number *and* by the hash of its cooperation conditions, so that an approval of anything
but the current text is refused; when every party has approved the current version it comes into
effect. Notifications leave only once the transaction commits.

Split by subdomain: editing, approvals (the lifecycle), expiry, partners' copies and attachments.
Callers import from here.
"""

from accord.agreements.services.approvals import (
    agreement_approval_receive,
    agreement_approve,
    agreement_share,
    agreement_terminate,
)
from accord.agreements.services.attachments import (
    attachment_add,
    attachment_remove,
)
from accord.agreements.services.copies import (
    partner_copy_approve,
    partner_copy_record,
)
from accord.agreements.services.editing import (
    agreement_create,
    agreement_receive,
    agreement_renew,
    agreement_update,
    condition_remove,
    condition_save,
)
from accord.agreements.services.expiry import (
    agreements_expire,
    expiry_reminders_send,
)

__all__ = [
    "agreement_approval_receive",
    "agreement_approve",
    "agreement_create",
    "agreement_receive",
    "agreement_renew",
    "agreement_share",
    "agreement_terminate",
    "agreement_update",
    "agreements_expire",
    "attachment_add",
    "attachment_remove",
    "condition_remove",
    "condition_save",
    "expiry_reminders_send",
    "partner_copy_approve",
    "partner_copy_record",
]
