from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accord.core.errors import DomainError
from accord.courses.importing import COLUMNS, REQUIRED, course_import
from accord.organisations.management.commands._actor import command_actor
from accord.organisations.models import Organisation
from accord.organisations.transfer.columns import ImportFailed

EXIT_REFUSED = 2


class Command(BaseCommand):
    help = (
        "Import an institution's course catalogue from a CSV or XLSX file with the columns "
        f"{','.join(REQUIRED)} (and optionally {', '.join(COLUMNS[len(REQUIRED) : len(REQUIRED) + 5])}, "
        "title_<lang>, description_<lang>). Every row is checked first; if any has a problem nothing is "
        "saved, the problems are printed one per line and the command exits with status 2. Rows whose "
        "code the catalogue has update that course."
    )

    def add_arguments(self, parser):
        parser.add_argument("schac", help="The institution's SCHAC code, e.g. uni-leipzig.de")
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file with a header row.")
        parser.add_argument("--as", dest="username", metavar="USERNAME", help="Act as this user.")

    def handle(self, *args, schac: str, file: str, username: str | None, **options):
        actor = command_actor(username)
        organisation = Organisation.objects.filter(schac_code=schac.strip().lower()).first()
        if organisation is None:
            raise CommandError(f"No organisation has the SCHAC code {schac}.", returncode=EXIT_REFUSED)
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
        try:
            outcome = course_import(actor=actor, organisation=organisation, data=data)
        except ImportFailed as exc:
            raise CommandError(
                f"Nothing was imported from {file}; {len(exc.problems)} problem(s):\n{exc.report()}",
                returncode=EXIT_REFUSED,
            ) from exc
        except DomainError as exc:
            raise CommandError(exc.message, returncode=EXIT_REFUSED) from exc
        self.stdout.write(
            f"Imported {outcome.rows} courses into {organisation.name}'s catalogue: "
            f"{outcome.created} created, {outcome.updated} updated."
        )
