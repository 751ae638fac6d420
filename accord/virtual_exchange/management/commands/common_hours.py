import datetime as dt
import json
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError

from accord.algorithms.timewindows import common_hours, parse_window


class Command(BaseCommand):
    help = (
        "Print the UTC intervals of a UTC date during which it is a weekday (Monday to Friday) and "
        "within the day window in local time in every zone given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="The UTC date, YYYY-MM-DD.")
        parser.add_argument(
            "--zone", action="append", required=True, help="An IANA time zone; repeat for each zone."
        )
        parser.add_argument("--day", default="08:00-18:00", help="The local day window (08:00-18:00).")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, **options):
        date, zone, day = options["date"], options["zone"], options["day"]
        try:
            utc_date = dt.date.fromisoformat(date)
        except ValueError as error:
            raise CommandError(f"--date: {date!r} is not a date such as 2026-12-08.") from error
        zones = []
        for name in zone:
            try:
                zones.append(ZoneInfo(name))
            except (ZoneInfoNotFoundError, ValueError) as error:
                raise CommandError(
                    f"--zone: {name!r} is not an IANA time zone such as Europe/Paris."
                ) from error
        try:
            window = parse_window(day)
        except ValueError as error:
            raise CommandError(f"--day: {error}") from error
        intervals = common_hours(utc_date, zones, window)
        if options["json"]:
            self.stdout.write(_json(utc_date, zone, day, intervals))
            return
        if not intervals:
            self.stdout.write("No common hours.")
        for interval in intervals:
            self.stdout.write(f"{_utc(interval.start)} – {_utc(interval.end)} ({interval.minutes} min)")


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _json(utc_date, zones, day, intervals) -> str:
    return json.dumps(
        {
            "date": utc_date.isoformat(),
            "zones": zones,
            "day": day,
            "intervals": [
                {"start": _utc(i.start), "end": _utc(i.end), "minutes": i.minutes} for i in intervals
            ],
            "total_minutes": sum(i.minutes for i in intervals),
        }
    )
