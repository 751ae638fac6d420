import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from accord.surveys.services import reminders_send


class Command(BaseCommand):
    help = (
        "Send survey invitations not sent yet and remind people who have not answered an open survey "
        "(run daily; running twice sends nothing twice)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The day to act for (YYYY-MM-DD); today by default.")

    def handle(self, *args, today=None, **options):
        day = dt.date.fromisoformat(today) if today else timezone.localdate()
        self.stdout.write(f"{reminders_send(today=day)} survey messages sent.")
