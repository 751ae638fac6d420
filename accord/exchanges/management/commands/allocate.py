import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accord.algorithms.allocation.allocation import AllocationInputError, allocate, parse_instance

STDIO = "-"
INVALID_INPUT = 2


class Command(BaseCommand):
    help = (
        "Allocate exchange places: read an allocation instance (JSON), run deferred acceptance and write "
        "the result (assignments, cut-offs, waitlists, explanations) as JSON. The format is documented in "
        "accord/algorithms/allocation/allocation.py."
    )
    # A pure computation on a file: nothing the system checks guard is involved.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("instance", help="The instance JSON file, or - for standard input.")
        parser.add_argument(
            "--output",
            "-o",
            default=STDIO,
            help="Where to write the result JSON (default: - for standard output).",
        )

    def handle(self, *args, instance: str, output: str, **options):
        source = "standard input" if instance == STDIO else instance
        try:
            parsed = parse_instance(_read(instance))
        except OSError as exc:
            raise CommandError(f"Cannot read {source}: {exc.strerror}.", returncode=INVALID_INPUT) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"Cannot read {source}: it is not UTF-8 text.", returncode=INVALID_INPUT
            ) from exc
        except AllocationInputError as exc:
            raise CommandError(
                f"Invalid allocation instance in {source}: {exc}.", returncode=INVALID_INPUT
            ) from exc
        result = allocate(parsed)
        document = json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
        if output == STDIO:
            self.stdout.write(document)
            return
        try:
            Path(output).write_text(document + "\n", encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from exc
        stats = result.stats
        self.stdout.write(
            f"Assigned {stats.assigned} of {stats.assigned + stats.unassigned} applicants "
            f"in {stats.seconds:.3f} s; wrote {output}."
        )


def _read(instance: str) -> str | bytes:
    if instance == STDIO:
        return sys.stdin.read()
    return Path(instance).read_bytes()
