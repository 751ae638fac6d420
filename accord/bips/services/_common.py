"""What the BIP services share: the rules in force, access checks, row locks and the lifecycle log."""

from django.utils.translation import gettext as _

from accord.bips.models import Bip
from accord.bips.querysets import BipAction, bip_may
from accord.bips.rules import RULES
from accord.core.concurrency import lock
from accord.core.errors import PermissionDenied

__all__ = ["RULES", "lock_bip", "require_manage"]


def require_manage(actor, bip: Bip) -> None:
    if not bip_may(actor, BipAction.MANAGE, bip):
        raise PermissionDenied(
            _("Only admins and coordinators of the coordinating institution can change this programme.")
        )


def lock_bip(bip: Bip) -> Bip:
    """The BIP re-read under its row lock: every change to its places, partners and components queues
    here, so capacity and quotas are counted with nobody else writing."""
    return lock(bip)
