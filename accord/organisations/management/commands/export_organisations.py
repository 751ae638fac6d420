from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accord.organisations import selectors
from accord.organisations.management.commands._actor import command_actor
from accord.organisations.transfer import Format, Target
from accord.organisations.transfer.exporting import (
    contact_records,
    csv_lines,
    organisation_records,
    xlsx_bytes,
)
from accord.organisations.transfer.http import visible_contacts

FILTERS = ("q", "kind", "country", "field", "language", "network", "ordering")


class Command(BaseCommand):
    help = (
        "Export the directory (or, with --contacts, the contacts of the organisations) as CSV or XLSX, "
        "with the import's columns and the directory's filters."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", required=True, help="The file to write.")
        parser.add_argument(
            "--format",
            choices=[fmt.value for fmt in Format],
            help="csv or xlsx (default: from the output file's extension, else csv).",
        )
        parser.add_argument("--contacts", action="store_true", help="Export contacts instead.")
        parser.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="Export what this user may see (default: the first active superuser).",
        )
        for name in FILTERS:
            parser.add_argument(f"--{name}", help=f"Directory filter '{name}'.")

    def handle(self, *args, output: str, format: str | None, contacts: bool, username: str | None, **options):
        actor = command_actor(username)
        path = Path(output)
        fmt = Format(format or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv"))
        filters = {name: options[name] for name in FILTERS if options.get(name) is not None}
        queryset, form = selectors.organisation_list(user=actor, filters=filters)
        if form.errors:
            problems = "; ".join(f"--{field}: {' '.join(errors)}" for field, errors in form.errors.items())
            raise CommandError(f"Invalid filter: {problems}", returncode=2)
        target = Target.CONTACTS if contacts else Target.ORGANISATIONS
        records = (
            contact_records(visible_contacts(user=actor, organisations=queryset))
            if contacts
            else organisation_records(queryset)
        )
        counted = _Counter(records)
        try:
            if fmt == Format.CSV:
                with path.open("w", encoding="utf-8", newline="") as file:
                    file.writelines(csv_lines(target, counted))
            else:
                path.write_bytes(xlsx_bytes(target, counted))
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from exc
        self.stdout.write(f"Wrote {counted.count} {target.value} to {output}.")


class _Counter:
    """Passes records through, counting them."""

    def __init__(self, records):
        self.records, self.count = records, 0

    def __iter__(self):
        for record in self.records:
            self.count += 1
            yield record
