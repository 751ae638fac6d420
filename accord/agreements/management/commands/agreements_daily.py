import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accord.agreements.services import agreements_expire, expiry_reminders_send


class Command(BaseCommand):
    help = "Expire agreements whose last academic year has ended and remind contacts of those about to end."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The day to act for (YYYY-MM-DD); by default today.")

    def handle(self, *args, today=None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today must be a date written YYYY-MM-DD, not {today!r}.") from None
        expired = agreements_expire(today=day)
        reminded = expiry_reminders_send(today=day)
        self.stdout.write(f"{expired} agreement(s) expired, {reminded} reminder(s) sent for {day:%Y-%m-%d}.")
