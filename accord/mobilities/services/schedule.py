"""Statuses that follow the real dates: a mobility is ongoing from the day the participant arrived
and completed once the confirmed departure day is over.

Arrival and departure are confirmed only once they happened (``mobility_record_dates`` refuses a
future day), so a confirmation made on the day of departure leaves the mobility ongoing until that
day has passed; :func:`mobilities_advance`, run daily by ``manage.py mobility_daily`` or celery beat,
moves it then. Both paths go through :func:`advance`, which is idempotent: a mobility already where
its dates put it is left alone.
"""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accord.core.events import publish
from accord.mobilities import events
from accord.mobilities.choices import MobilityStatus
from accord.mobilities.models import Mobility
from accord.mobilities.services._common import lock, move


def due_status(mobility: Mobility, today: date) -> str:
    """Where the confirmed dates put ``mobility`` today, from its current status (never backwards)."""
    status = mobility.status
    if status == MobilityStatus.LA_APPROVED and mobility.actual_start and mobility.actual_start <= today:
        status = MobilityStatus.ONGOING
    if status == MobilityStatus.ONGOING and mobility.actual_end and mobility.actual_end < today:
        status = MobilityStatus.COMPLETED
    return status


def advance(mobility: Mobility, *, today: date, actor=None) -> list[str]:
    """Move the locked ``mobility`` to where its dates put it, one transition at a time, each
    logged and published as :class:`~accord.mobilities.events.MobilityStatusChanged`; returns the
    statuses it went through."""
    passed: list[str] = []
    while (target := due_status(mobility, today)) != mobility.status:
        if mobility.status == MobilityStatus.LA_APPROVED:
            step = str(MobilityStatus.ONGOING)
            reason = _("The participant arrived on %(day)s.") % {"day": mobility.start.isoformat()}
        else:
            step = target
            reason = _("The participant left on %(day)s.") % {"day": mobility.end.isoformat()}
        from_status = mobility.status
        move(mobility, step, actor=actor, reason=reason)
        publish(events.MobilityStatusChanged(mobility, from_status=from_status, to_status=step))
        passed.append(step)
    return passed


def _due(today: date):
    arrived = Q(status=MobilityStatus.LA_APPROVED, actual_start__lte=today)
    left = Q(status=MobilityStatus.ONGOING, actual_end__lt=today)
    return Mobility.objects.filter(arrived | left)


def mobilities_advance(*, today: date) -> int:
    """Advance every mobility whose confirmed dates have come (run daily); returns how many moved.

    Each mobility moves in its own transaction under its row lock, so one that a person changes
    meanwhile is judged on what they saved, and running twice moves nothing twice."""
    moved = 0
    for pk in _due(today).values_list("pk", flat=True):
        with transaction.atomic():
            mobility = lock(Mobility(pk=pk))
            moved += bool(advance(mobility, today=today))
    return moved
