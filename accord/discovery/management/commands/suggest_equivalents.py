import json
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from accord.discovery.selectors import suggest_equivalents
from accord.organisations.management.commands._actor import command_actor
from accord.organisations.models import Organisation


class Command(BaseCommand):
    help = "The home courses a host course most likely counts as, ranked, each with its reasons."

    def add_arguments(self, parser):
        parser.add_argument("--home", required=True, help="The home institution's SCHAC code.")
        parser.add_argument("--title", required=True, help="The host course's title.")
        parser.add_argument("--description", default="", help="The host course's description.")
        parser.add_argument("--ects", help="Its ECTS credits.")
        parser.add_argument("--isced", default="", help="Its ISCED-F field.")
        parser.add_argument("--eqf", type=int, help="Its EQF level.")
        parser.add_argument("--language", default="", help="Its language of instruction.")
        parser.add_argument("--limit", type=int, default=5, help="How many suggestions (default 5).")
        parser.add_argument("--json", action="store_true", help="Print JSON.")
        parser.add_argument("--as", dest="username", metavar="USERNAME", help="Act as this user.")

    def handle(self, *args, **options):
        home = Organisation.objects.filter(schac_code=options["home"].strip().lower()).first()
        if home is None:
            raise CommandError(f"No organisation has the SCHAC code {options['home']}.")
        ects = None
        if options["ects"] is not None:
            try:
                ects = Decimal(options["ects"].replace(",", "."))
            except InvalidOperation as exc:
                raise CommandError(f"--ects: '{options['ects']}' is not a number of ECTS credits.") from exc
        if options["limit"] < 1:
            raise CommandError("--limit must be at least 1.")
        answer = suggest_equivalents(
            user=command_actor(options["username"]),
            home_organisation_id=home.pk,
            title=options["title"],
            description=options["description"],
            ects=ects,
            isced=options["isced"],
            eqf=options["eqf"],
            language=options["language"],
            limit=options["limit"],
        )
        rows = [
            {
                "code": suggestion.course.code,
                "title": suggestion.course.title,
                "score": suggestion.score,
                "reasons": suggestion.reasons,
            }
            for suggestion in answer.suggestions
        ]
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"suggestions": rows, "semantic": answer.semantic, "notes": answer.notes},
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        for note in answer.notes:
            self.stderr.write(note)
        for row in rows:
            self.stdout.write(
                f"{row['score']:.3f}  {row['code']}  {row['title']}  ({'; '.join(row['reasons'])})"
            )
