import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from accord.mobilities.services.schedule import mobilities_advance


class Command(BaseCommand):
    help = (
        "Make mobilities ongoing from the confirmed arrival and completed once the confirmed departure "
        "day is over (run daily, before mobility_reminders; running twice moves nothing twice)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The day to act for (YYYY-MM-DD); today by default.")

    def handle(self, *args, today=None, **options):
        day = dt.date.fromisoformat(today) if today else timezone.localdate()
        self.stdout.write(f"{mobilities_advance(today=day)} mobilities moved on.")
