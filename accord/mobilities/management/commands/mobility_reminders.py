import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from accord.mobilities.services.reminders import reminders_send


class Command(BaseCommand):
    help = "Remind signers of proposals waiting a week and receivers of overdue transcripts (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The day to act for (YYYY-MM-DD); today by default.")

    def handle(self, *args, today=None, **options):
        day = dt.date.fromisoformat(today) if today else timezone.localdate()
        self.stdout.write(f"{reminders_send(today=day)} reminders sent.")
