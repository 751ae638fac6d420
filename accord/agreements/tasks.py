import datetime as dt

from django.utils import timezone

from accord.agreements.services import agreements_expire, expiry_reminders_send
from accord.celery import app


@app.task(acks_late=True)
def agreement_daily(today: str | None = None) -> dict[str, int]:
    """Run daily (celery beat or cron): expire agreements that ended, remind those about to end.

    Both steps are idempotent, so a retried or duplicated delivery does no harm; ``today`` (ISO date)
    pins the day a late delivery was meant for.
    """
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return {"expired": agreements_expire(today=day), "reminded": expiry_reminders_send(today=day)}
