"""What the mobility services share: access checks, row locks, the state machine and the audit trail."""

from django.db import transaction
from django.utils.translation import gettext_lazy

from accord.core.concurrency import bump
from accord.core.errors import PermissionDenied
from accord.mobilities import notifications
from accord.mobilities.choices import ALLOWED_TRANSITIONS, EventKind
from accord.mobilities.models import Mobility, MobilityEvent, MobilityTransition
from accord.mobilities.querysets import MobilityAction, mobility_may

REFUSALS = {
    MobilityAction.MANAGE: gettext_lazy(
        "Only admins and coordinators of the sending institution can do this."
    ),
    MobilityAction.RECEIVE: gettext_lazy(
        "Only admins and coordinators of the receiving institution can do this."
    ),
}


def require(actor, action: MobilityAction, mobility: Mobility) -> None:
    if not mobility_may(actor, action, mobility):
        raise PermissionDenied(REFUSALS[action])


def lock(mobility: Mobility) -> Mobility:
    """The mobility re-read under a row lock, so that concurrent writes queue behind each other."""
    locked = Mobility.objects.select_for_update().get(pk=mobility.pk)
    mobility.__dict__.update(locked.__dict__)
    return mobility


def event(mobility: Mobility, kind: EventKind, actor, message: str = "") -> None:
    MobilityEvent.objects.create(mobility=mobility, kind=kind, actor=actor, message=message)


def move(mobility: Mobility, to_status: str, *, actor, reason: str = "") -> None:
    """Move along the state machine (the caller holds the lock) and log the transition."""
    ALLOWED_TRANSITIONS.require(mobility.status, to_status, code="invalid_transition")
    MobilityTransition.objects.create(
        mobility=mobility, from_status=mobility.status, to_status=to_status, actor=actor, reason=reason
    )
    mobility.status = to_status
    mobility.save(update_fields=["status", *bump(mobility, actor)])
    notify_on_commit(mobility.pk, f"status_{to_status}")


def notify_on_commit(mobility_id: int, kind: str, **values) -> None:
    transaction.on_commit(lambda: notifications.notify(mobility_id, kind, **values))
