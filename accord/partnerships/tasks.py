import datetime as dt

from django.utils import timezone

from accord.celery import app
from accord.partnerships.services import action_item_reminders_send


@app.task(acks_late=True)
def send_action_item_reminders(today: str | None = None) -> int:
    """Run daily (celery beat or cron); a second run on the same day sends nothing.

    ``today`` (ISO date) pins the day, so a retried or late delivery reminds for the day it was meant for.
    """
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return action_item_reminders_send(today=day)
