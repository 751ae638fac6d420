"""``manage.py grant_calculate --rules RULESET FILE [--json]``: grants of a JSON list of mobilities.

RULESET is a shipped rule set (``erasmus-ka131-2024``), a rule set stored by an institution (its
version in force), or a path to a rule-set JSON file. Invalid entries are reported with their id and
nothing is computed for them; the exit status is 0 when the file could be read."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accord.algorithms.funding.batch import EntryError, calculate_batch
from accord.algorithms.funding.rules import RuleSetError
from accord.funding.selectors import rule_set_by_key


class Command(BaseCommand):
    help = "Compute the grants of a JSON list of mobilities under a rule set, line by line."

    def add_arguments(self, parser):
        parser.add_argument("--rules", required=True, help="Rule set key or path to a rule-set JSON file.")
        parser.add_argument("file", help="JSON list of mobilities ('-' reads standard input).")
        parser.add_argument("--json", action="store_true", help="Print JSON (per id: total and lines).")

    def handle(self, *args, **options):
        try:
            rules = rule_set_by_key(options["rules"])
        except RuleSetError as error:
            raise CommandError(str(error)) from error
        try:
            text = (
                self.stdin.read()
                if options["file"] == "-"
                else Path(options["file"]).read_text(encoding="utf-8")
            )
            entries = json.loads(text)
        except (OSError, json.JSONDecodeError) as error:
            raise CommandError(f"{options['file']}: {error}") from error
        try:
            results = calculate_batch(rules, entries)
        except EntryError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(results, indent=2, ensure_ascii=False))
            return
        for key, result in results.items():
            if "errors" in result:
                for error in result["errors"]:
                    self.stdout.write(f"{key}: invalid, {error['rule']}: {error['message']}")
                continue
            self.stdout.write(f"{key}: {result['total']} {result['currency']}")
            for line in result["lines"]:
                self.stdout.write(
                    f"    {line['label']}: {line['quantity']} × {line['rate']} = {line['amount']}"
                )
