from dataclasses import fields

from django.core.management.base import BaseCommand, CommandError

from accord.ewp.node.client import PartnerUnavailable
from accord.ewp.pull import omobilities, omobility_las, tors
from accord.ewp.pull.iias import pull, pull_all


class Command(BaseCommand):
    help = (
        "Pull partners' IIAs changed since the last pull (index with modified_since, then get) and their "
        "approvals of ours: the safety net behind change notifications. Run it hourly from cron where "
        "celery beat does not run."
    )

    def add_arguments(self, parser):
        parser.add_argument("hei_ids", nargs="*", help="Only these partners' IIAs (default: all).")
        parser.add_argument(
            "--mobilities",
            action="store_true",
            help="Also pull every partner's mobilities sent to us, the learning agreements of our copies "
            "and the transcripts of our mobilities (what celery beat pulls hourly).",
        )

    def handle(self, *args, hei_ids, mobilities, **options):
        if hei_ids:
            results = {}
            for hei_id in hei_ids:
                try:
                    results[hei_id] = pull(hei_id)
                except PartnerUnavailable as exc:
                    raise CommandError(f"{hei_id}: {exc}") from exc
        else:
            results = pull_all()
        for hei_id, report in results.items():
            if isinstance(report, str):
                self.stdout.write(f"{hei_id}: not reachable: {report}")
                continue
            self.stdout.write(
                f"{hei_id}: {len(report.received)} received ({len(report.unverified)} with a wrong hash), "
                f"{len(report.skipped)} skipped, {len(report.approved)} approvals recorded, "
                f"{len(report.stale_approvals)} approvals of another version."
            )
            for received in report.received:
                if received.differences:
                    self.stdout.write(f"  agreement {received.agreement.pk} differs: {received.differences}")
            for iia_id, reason in report.skipped:
                self.stdout.write(f"  skipped {iia_id or '(no id)'}: {reason}")
        if mobilities:
            for what, results in (
                ("mobilities", omobilities.pull_all()),
                ("learning agreements", omobility_las.pull_all()),
                ("transcripts", tors.pull_all_tors()),
            ):
                for hei_id, report in results.items():
                    self.stdout.write(f"{hei_id}: {what}: {_counts(report)}")


def _counts(report) -> str:
    if isinstance(report, str):
        return f"not reachable: {report}"
    return ", ".join(f"{len(getattr(report, field.name))} {field.name}" for field in fields(report))
