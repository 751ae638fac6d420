import datetime as dt

from django.utils import timezone

from accord.celery import app
from accord.surveys.services import reminders_send


@app.task(acks_late=True)
def survey_daily(today: str | None = None) -> dict[str, int]:
    """Run daily (celery beat, or ``survey_reminders`` from cron): send invitations that were never
    sent and remind those who have not answered. Idempotent; ``today`` (ISO date) pins the day."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return {"sent": reminders_send(today=day)}
