"""manage.py common_hours: the UTC hours of a UTC date inside every zone's working day."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args: str) -> str:
    out = StringIO()
    call_command("common_hours", *args, stdout=out)
    return out.getvalue()


def test_paris_and_shanghai_share_three_hours_in_december():
    result = json.loads(
        run("--date", "2026-12-08", "--zone", "Europe/Paris", "--zone", "Asia/Shanghai", "--json")
    )
    assert result["intervals"] == [
        {"start": "2026-12-08T07:00:00Z", "end": "2026-12-08T10:00:00Z", "minutes": 180}
    ]
    assert result["total_minutes"] == 180


def test_the_day_window_and_a_half_hour_zone():
    result = json.loads(
        run(
            "--date",
            "2026-12-08",
            "--zone",
            "Asia/Kolkata",
            "--zone",
            "Europe/London",
            "--day",
            "09:00-17:00",
            "--json",
        )
    )
    assert result["intervals"] == [
        {"start": "2026-12-08T09:00:00Z", "end": "2026-12-08T11:30:00Z", "minutes": 150}
    ]


def test_a_weekend_has_no_common_hours():
    assert "No common hours" in run("--date", "2026-12-12", "--zone", "Europe/Paris")


@pytest.mark.parametrize(
    "args",
    [
        ("--date", "2026-13-01", "--zone", "Europe/Paris"),
        ("--date", "2026-12-08", "--zone", "Mars/Base"),
        ("--date", "2026-12-08", "--zone", "Europe/Paris", "--day", "18:00-08:00"),
    ],
)
def test_bad_arguments_are_refused_with_a_sentence(args):
    with pytest.raises(CommandError):
        run(*args)
