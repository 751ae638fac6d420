"""The daily work on agreements in effect: expiry at the end of their last academic year, reminders before."""

from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils.formats import date_format

from accord.agreements import notifications
from accord.agreements.choices import AgreementStatus, EventKind
from accord.agreements.models import (
    Agreement,
    ExpiryReminder,
)
from accord.agreements.services._common import (
    _event,
)


def agreements_expire(*, today: date) -> int:
    """Mark agreements in effect whose last academic year has ended as expired; return how many."""
    expired = 0
    for pk in Agreement.objects.filter(status=AgreementStatus.IN_EFFECT, ends_on__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            agreement = Agreement.objects.select_for_update().get(pk=pk)
            if agreement.status != AgreementStatus.IN_EFFECT or not agreement.ends_on < today:
                continue
            agreement.status = AgreementStatus.EXPIRED
            agreement.save(update_fields=["status", "updated_at"])
            _event(agreement, EventKind.EXPIRED, message=f"Ended on {agreement.ends_on:%Y-%m-%d}.")
            expired += 1
    return expired


def expiry_reminders_send(*, today: date) -> int:
    """Remind each agreement's contacts once per threshold before it ends; return how many were sent."""
    thresholds = sorted(settings.ACCORD_AGREEMENT_REMINDER_DAYS)
    if not thresholds:
        return 0
    horizon = today + timedelta(days=max(thresholds))
    sent = 0
    candidates = Agreement.objects.filter(
        status=AgreementStatus.IN_EFFECT, ends_on__gte=today, ends_on__lte=horizon
    ).values_list("pk", flat=True)
    for pk in candidates:
        with transaction.atomic():
            agreement = Agreement.objects.select_for_update().get(pk=pk)
            days_left = (agreement.ends_on - today).days
            already = set(
                ExpiryReminder.objects.filter(agreement=agreement, ends_on=agreement.ends_on).values_list(
                    "days_before", flat=True
                )
            )
            due = [days for days in thresholds if days_left <= days and days not in already]
            if not due:
                continue
            for days in due:
                ExpiryReminder.objects.create(
                    agreement=agreement, ends_on=agreement.ends_on, days_before=days
                )
            _event(
                agreement,
                EventKind.REMINDER_SENT,
                message=f"Ends on {date_format(agreement.ends_on)}, in {days_left} days.",
            )
            transaction.on_commit(partial(notifications.notify, pk, "expiring", None))
            sent += 1
    return sent
