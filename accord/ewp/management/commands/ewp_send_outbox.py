from django.core.management.base import BaseCommand

from accord.ewp.notify.outbox import send_due


class Command(BaseCommand):
    help = (
        "Send the change notifications (CNRs) due to partners' EWP nodes; run it every minute from cron "
        "where celery beat does not run. Safe to run in parallel and after a crash."
    )

    def handle(self, *args, **options):
        report = send_due()
        for notification in report.sent:
            self.stdout.write(f"sent: {notification}")
        for notification in report.failed:
            self.stdout.write(f"refused: {notification}: {notification.last_error}")
        for notification in report.retrying:
            self.stdout.write(
                f"will retry at {notification.next_attempt_at:%H:%M:%S}: {notification}: "
                f"{notification.last_error}"
            )
        self.stdout.write(
            f"{len(report.sent)} sent, {len(report.failed)} refused, {len(report.retrying)} to retry, "
            f"{report.expired} expired, {len(report.skipped)} not on EWP."
        )
