import datetime as dt

from django.utils import timezone

from accord.celery import app
from accord.mobilities.services.reminders import reminders_send
from accord.mobilities.services.schedule import mobilities_advance


@app.task(acks_late=True)
def mobility_daily(today: str | None = None) -> dict[str, int]:
    """Run daily (celery beat, or ``mobility_advance`` then ``mobility_reminders`` from cron): move
    mobilities along their confirmed dates, then send the reminders due, which then include the
    transcripts of the mobilities completed just now. Both steps are idempotent; ``today`` (ISO date)
    pins the day a late delivery was meant for."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return {"advanced": mobilities_advance(today=day), "reminded": reminders_send(today=day)}
