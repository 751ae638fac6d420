"""Compile the translation catalogues (pure Python); ``--report`` also counts what is untranslated."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from accord.core.catalogues import compile_stale, coverage


class Command(BaseCommand):
    help = "Compile stale .po catalogues to .mo without GNU gettext; --report counts untranslated entries."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--force", action="store_true", help="Compile every catalogue, stale or not.")
        parser.add_argument("--report", action="store_true", help="Print untranslated and fuzzy counts.")

    def handle(self, *args: Any, force: bool = False, report: bool = False, **options: Any) -> None:
        written = compile_stale(force=force)
        self.stdout.write(f"{len(written)} catalogue(s) compiled.")
        if report:
            for item in coverage():
                missing = item.untranslated + item.fuzzy
                line = (
                    f"{item.catalogue}: {item.total} entries, "
                    f"{item.untranslated} untranslated, {item.fuzzy} fuzzy"
                )
                self.stdout.write(self.style.WARNING(line) if missing else line)
