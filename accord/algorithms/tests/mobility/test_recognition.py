"""Recognition rates per mobility and per group."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.algorithms.mobility.recognition import recognition_by_group, recognition_rate


def test_rates_are_percentages_and_nothing_planned_gives_none():
    assert recognition_rate(Decimal(27), Decimal(30)) == Decimal("90.0")
    assert recognition_rate(Decimal(31), Decimal(30)) == Decimal("103.3")
    assert recognition_rate(Decimal(0), Decimal(0)) is None
    with pytest.raises(ValueError):
        recognition_rate(Decimal(-1), Decimal(30))


def test_groups_are_weighted_by_credits():
    figures = recognition_by_group([("uni-a", Decimal(60), Decimal(60)), ("uni-a", Decimal(5), Decimal(0))])
    assert figures["uni-a"].mobilities == 2
    # (60 + 0) / (60 + 5), not the mean of 100 % and 0 %.
    assert figures["uni-a"].rate == Decimal("92.3")


credits = st.integers(0, 600).map(lambda tenths: Decimal(tenths) / 10)


@given(st.lists(st.tuples(st.sampled_from("abc"), credits, credits), max_size=20))
def test_group_totals_are_the_sums_of_their_rows(rows):
    figures = recognition_by_group(rows)
    assert sum(f.mobilities for f in figures.values()) == len(rows)
    for group, figure in figures.items():
        assert figure.planned == sum((p for g, p, _ in rows if g == group), Decimal(0))
        if figure.rate is not None:
            assert figure.rate >= 0
