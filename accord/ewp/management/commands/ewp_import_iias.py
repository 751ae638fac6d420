import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accord.core.errors import ValidationFailed
from accord.ewp.node.iia_content import import_iias


class Command(BaseCommand):
    help = (
        "Import a partner's EWP IIAs v7 get-response as received by an institution this instance serves: "
        "creates or updates that institution's own copies and reports what differs. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The get-response XML file, or - for standard input.")
        parser.add_argument(
            "--as", dest="receiver", required=True, help="The receiving institution's hei-id."
        )
        parser.add_argument("--create", action="store_true", help="Add the receiving institution if missing.")
        parser.add_argument(
            "--schemas",
            help="Folder of the official EWP schemas to validate against (default: ACCORD_EWP_SCHEMAS).",
        )
        parser.add_argument(
            "--default-country",
            help="ISO country code for new institutions whose hei-id does not end in a country code.",
        )

    def handle(self, *args, file, receiver, create, default_country, schemas, **options):
        # Read at most one byte beyond the limit: import_iias refuses what is larger, without the whole
        # of an oversized file ever being held in memory.
        limit = settings.ACCORD_EWP_MAX_IMPORT_BYTES
        try:
            if file == "-":
                document = sys.stdin.buffer.read(limit + 1)
            else:
                with Path(file).open("rb") as stream:
                    document = stream.read(limit + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            report = import_iias(
                document,
                receiver_hei_id=receiver,
                create=create,
                default_country=default_country.upper() if default_country else None,
                schemas=schemas,
            )
        except ValidationFailed as error:
            lines = [
                f"{field}: {message}" for field, messages in error.errors.items() for message in messages
            ]
            raise CommandError("Nothing was imported.\n" + "\n".join(lines)) from None
        for organisation in report.added_organisations:
            self.stdout.write(f"added to the directory: {organisation.schac_code}")
        for agreement in report.created:
            self.stdout.write(f"created: agreement {agreement.pk} “{agreement.title}”")
        for agreement in report.mapped:
            self.stdout.write(f"mapped: agreement {agreement.pk} “{agreement.title}”")
        for agreement, changes in report.different:
            self.stdout.write(f"different: agreement {agreement.pk}: {changes}")
        self.stdout.write(
            f"{len(report.created)} created, {len(report.mapped)} mapped, {len(report.different)} different."
        )
