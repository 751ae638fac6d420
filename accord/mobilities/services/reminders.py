"""Reminders for what has waited too long: unsigned proposals and overdue transcripts.

Run daily by ``manage.py mobility_reminders``. Each reminder is recorded in ``ReminderSent`` in the
same transaction as it is queued, so running twice a day (or retrying) sends nothing twice; a
proposal is reminded once per version, an overdue transcript once per deadline.
"""

from datetime import date, timedelta

from django.db import IntegrityError, transaction

from accord.mobilities.choices import MobilityStatus, VersionStatus
from accord.mobilities.models import DEFAULT_TRANSCRIPT_DAYS, Mobility, MobilitySettings, ReminderSent
from accord.mobilities.services._common import notify_on_commit

SIGNATURE_WAIT_DAYS = 7


def _once(mobility: Mobility, kind: str, key: str) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(mobility=mobility, kind=kind, key=key)
    except IntegrityError:
        return False
    notify_on_commit(mobility.pk, kind)
    return True


@transaction.atomic
def reminders_send(*, today: date) -> int:
    """Queue the reminders due ``today``; return how many were new."""
    sent = 0
    stale = today - timedelta(days=SIGNATURE_WAIT_DAYS)
    waiting = Mobility.objects.filter(
        learning_agreement__current_version__status=VersionStatus.PROPOSED,
        learning_agreement__current_version__created_at__date__lte=stale,
    ).select_related("learning_agreement__current_version")
    for mobility in waiting:
        version = mobility.learning_agreement.current_version
        sent += _once(mobility, "reminder_signature", f"v{version.number}")
    days = dict(MobilitySettings.objects.values_list("organisation_id", "transcript_days"))
    completed = Mobility.objects.filter(
        status=MobilityStatus.COMPLETED, transcript__isnull=True, actual_end__isnull=False
    )
    for mobility in completed:
        due = mobility.actual_end + timedelta(
            days=days.get(mobility.receiving_organisation_id, DEFAULT_TRANSCRIPT_DAYS)
        )
        if due < today:
            sent += _once(mobility, "reminder_transcript", due.isoformat())
    return sent
