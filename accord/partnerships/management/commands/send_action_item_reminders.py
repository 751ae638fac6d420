import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accord.partnerships.services import action_item_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail the owners of overdue open action items, one message per owner. Running it again on the "
        "same day sends nothing new, so it is safe in cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if it were this day (YYYY-MM-DD); default: today.")

    def handle(self, *args, today: str | None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today: '{today}' is not a date like 2026-03-31.") from None
        sent = action_item_reminders_send(today=day)
        self.stdout.write(f"Sent {sent} reminder e-mail{'s' if sent != 1 else ''}.")
