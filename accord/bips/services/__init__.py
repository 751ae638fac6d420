"""Every write to BIPs, as ``<noun>_<verb>(*, actor, …)``: atomic, checking access first, validating,
and re-checking places, quotas and the design rules under the BIP's row lock."""

from accord.bips.services.bip import (
    bip_component_delete,
    bip_component_save,
    bip_create,
    bip_partner_add,
    bip_partner_remove,
    bip_partner_update,
    bip_transition,
    bip_update,
)
from accord.bips.services.participants import (
    attendance_record,
    participant_decide,
    participant_nominate,
    participant_withdraw,
)

__all__ = [
    "attendance_record",
    "bip_component_delete",
    "bip_component_save",
    "bip_create",
    "bip_partner_add",
    "bip_partner_remove",
    "bip_partner_update",
    "bip_transition",
    "bip_update",
    "participant_decide",
    "participant_nominate",
    "participant_withdraw",
]
