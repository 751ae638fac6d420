"""An indicator's progress in words: what moved, out of how much, and which way counts as better."""

from decimal import Decimal

import pytest

from accord.partnerships.wording import progress_text


def said(
    direction: str, baseline: str | None, target: str, actual: str, percent: int, unit: str = "%"
) -> str:
    return progress_text(
        direction=direction,
        unit=unit,
        baseline=None if baseline is None else Decimal(baseline),
        target=Decimal(target),
        actual=Decimal(actual),
        percent=percent,
    )


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (
            ("increase", "10", "12", "11", 50, "students"),
            "1 of 2 students above the baseline, 50 % of the way to the target",
        ),
        (
            ("increase", "10", "20", "25", 150, "students"),
            "15 of 10 students above the baseline, 150 % of the way to the target",
        ),
        (
            ("increase", "10", "20", "8", -20, "students"),
            "2 students below the baseline, away from the target",
        ),
        (("decrease", "20", "10", "15", 50), "5 of 10 % below the baseline, 50 % of the way to the target"),
        (("decrease", "20", "10", "22.5", -25), "2.50 % above the baseline, away from the target"),
        (("increase", None, "20", "15", 75, "students"), "15 of 20 students, 75 % of the target"),
        (("maintain", None, "95", "90", 95), "90 of the 95 % to hold, 95 % held"),
        (("increase", "10", "10", "12", 100, "students"), "target reached"),
    ],
)
def test_progress_says_what_moved_out_of_how_much(args, text):
    assert said(*args) == text
