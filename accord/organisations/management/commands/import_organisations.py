import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accord.core.errors import DomainError
from accord.organisations.management.commands._actor import command_actor
from accord.organisations.transfer import ImportFailed, Mode, Target, import_file

EXIT_REFUSED = 2


class Command(BaseCommand):
    help = (
        "Import organisations (or, with --contacts, contacts) from a CSV or XLSX file. Every row is "
        "checked first; if any has a problem nothing is saved, the problems are printed one per line "
        "('row N, column: message') and the command exits with status 2."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file with a header row.")
        parser.add_argument(
            "--mode",
            choices=[mode.value for mode in Mode],
            default=Mode.CREATE.value,
            help="create (default): existing records are errors; upsert: they are updated.",
        )
        parser.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="Act as this user (default: the first active superuser).",
        )
        parser.add_argument("--contacts", action="store_true", help="The file holds contacts.")

    def handle(self, *args, file: str, mode: str, username: str | None, contacts: bool, **options):
        actor = command_actor(username)
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
        target = Target.CONTACTS if contacts else Target.ORGANISATIONS
        interactive = sys.stderr.isatty()

        def progress(done: int, total: int, message: str) -> None:
            if interactive:
                self.stderr.write(f"\r{message}", ending="")

        try:
            outcome = import_file(data, target=target, mode=mode, actor=actor, progress=progress)
        except ImportFailed as exc:
            if interactive:
                self.stderr.write("")
            raise CommandError(
                f"Nothing was imported from {file}; {len(exc.problems)} problem(s):\n{exc.report()}",
                returncode=EXIT_REFUSED,
            ) from exc
        except DomainError as exc:
            raise CommandError(exc.message, returncode=EXIT_REFUSED) from exc
        if interactive:
            self.stderr.write("")
        self.stdout.write(
            f"Imported {outcome.rows} {target.value} rows from {file}: "
            f"{outcome.created} created, {outcome.updated} updated."
        )
