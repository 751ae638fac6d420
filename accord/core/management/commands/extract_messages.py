"""Re-extract every catalogue (``make messages``), compile them, and say what is left to translate.

Extraction is Django's ``makemessages`` (it needs GNU gettext); compiling and counting need only polib.
Languages are those with a catalogue directory under ``accord/locale``, plus any given with ``-l``.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from accord.core.catalogues import DOMAINS, EXTRACT_OPTIONS, LOCALE_DIR


class Command(BaseCommand):
    help = "Re-extract the django and djangojs catalogues of every language, compile them, report gaps."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("-l", "--locale", action="append", default=[], help="Also start this locale.")

    def handle(self, *args: Any, locale: list[str], **options: Any) -> None:
        locales = sorted({path.name for path in LOCALE_DIR.iterdir() if path.is_dir()} | set(locale))
        for domain in DOMAINS:
            call_command("makemessages", locale=locales, domain=domain, **EXTRACT_OPTIONS)
        call_command("compile_catalogues", report=True, stdout=self.stdout)
