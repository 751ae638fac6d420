"""Properties of the grant calculation, the distance bands, co-funding and payment schedules."""

import copy
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.algorithms.funding.calculate import Line, MobilityInput, calculate
from accord.algorithms.funding.distance import great_circle_km
from accord.algorithms.funding.rules import Instalment, RuleSetError, parse_rule_set
from accord.algorithms.funding.shares import ShareRule, schedule, split
from accord.algorithms.funding.shipped import shipped_data, shipped_rule_set

KA131 = shipped_rule_set("erasmus-ka131-2024")
CENT = Decimal("0.01")
starts = st.dates(min_value=date(2024, 6, 1), max_value=date(2027, 12, 31))


def student(start, days, **fields):
    return MobilityInput(
        activity="student-studies",
        start=start,
        end=start + timedelta(days=days - 1),
        country_group="2",
        **fields,
    )


@given(
    start=starts,
    days=st.integers(60, 360),
    fewer=st.booleans(),
    km=st.integers(0, 20000),
    green=st.booleans(),
)
def test_total_is_the_sum_of_cent_rounded_lines(start, days, fewer, km, green):
    result = calculate(
        KA131, student(start, days, fewer_opportunities=fewer, distance_km=km, green_travel=green)
    )
    assert result.total == sum(line.amount for line in result.lines)
    assert all(line.amount == line.amount.quantize(CENT) and line.amount >= 0 for line in result.lines)


@given(start=starts, days=st.integers(60, 359), fewer=st.booleans())
def test_a_longer_stay_is_never_paid_less(start, days, fewer):
    shorter = calculate(KA131, student(start, days, fewer_opportunities=fewer, distance_km=900)).total
    longer = calculate(KA131, student(start, days + 1, fewer_opportunities=fewer, distance_km=900)).total
    assert longer >= shorter


@given(start=starts, days=st.integers(60, 360))
def test_a_month_of_thirty_days_is_paid_the_monthly_rate(start, days):
    total = calculate(KA131, student(start, days)).total
    exact = Decimal(540) * days / 30
    assert abs(total - exact) <= CENT


@given(start=starts, days=st.integers(2, 60), travel=st.integers(0, 2), group=st.sampled_from("123"))
def test_staff_days_after_the_fourteenth_are_paid_seventy_percent(start, days, travel, group):
    result = calculate(
        KA131,
        MobilityInput(
            activity="staff-teaching",
            start=start,
            end=start + timedelta(days=days - 1),
            country_group=group,
            travel_days=travel,
            distance_km=5,
        ),
    )
    rate = {"1": 180, "2": 160, "3": 140}[group]
    funded = days + travel
    assert result.total == rate * min(funded, 14) + Decimal(rate) * Decimal("0.7") * max(0, funded - 14)


@given(km=st.integers(10, 40000))
def test_every_distance_from_ten_km_has_exactly_one_band(km):
    assert sum(band.contains(km) for band in KA131.distance_bands) == 1


@given(data=st.data())
def test_a_missing_overlapping_or_gapped_band_is_refused(data):
    raw = copy.deepcopy(shipped_data("erasmus-ka131-2024"))
    bands = raw["distance_bands"]
    index = data.draw(st.integers(1, len(bands) - 2))
    fault = data.draw(st.sampled_from(["gap", "overlap", "missing", "open"]))
    if fault == "gap":
        bands[index]["min_km"] += data.draw(st.integers(1, 50))
    elif fault == "overlap":
        bands[index]["min_km"] -= data.draw(st.integers(1, 50))
    elif fault == "missing":
        del bands[index]
    else:
        bands[-1]["max_km"] = 20000
    with pytest.raises(RuleSetError) as error:
        parse_rule_set(raw)
    assert error.value.rule.startswith("distance_bands")


def test_a_band_without_its_standard_amount_is_refused():
    raw = copy.deepcopy(shipped_data("erasmus-ka131-2024"))
    del raw["distance_bands"][2]["standard"]
    with pytest.raises(RuleSetError, match=r"distance_bands\[2\]"):
        parse_rule_set(raw)


def test_a_figure_without_a_source_is_refused():
    raw = copy.deepcopy(shipped_data("erasmus-ka131-2024"))
    raw["document"] = ""
    with pytest.raises(RuleSetError, match="source document"):
        parse_rule_set(raw)


coordinates = st.tuples(st.floats(-89.9, 89.9), st.floats(-179.9, 179.9))


@given(a=coordinates, b=coordinates)
def test_great_circle_is_symmetric_and_bounded(a, b):
    assert great_circle_km(*a, *b) == great_circle_km(*b, *a)
    assert 0 <= great_circle_km(*a, *b) <= 20016
    assert great_circle_km(*a, *a) == 0


def test_known_distances():
    # Paris–Berlin about 878 km, Lisbon–Warsaw about 2760 km.
    assert 870 <= great_circle_km(48.8566, 2.3522, 52.52, 13.405) <= 885
    assert 2740 <= great_circle_km(38.7223, -9.1393, 52.2297, 21.0122) <= 2780


amounts = st.decimals(min_value=0, max_value=100000, places=2)


@given(
    line_amounts=st.lists(amounts, min_size=1, max_size=6),
    percent=st.decimals(0, 100, places=2),
    fixed=amounts,
)
def test_co_funding_shares_add_up_to_the_grant(line_amounts, percent, fixed):
    lines = [
        Line("x", Decimal(1), a, a, "travel" if i == 0 else "monthly") for i, a in enumerate(line_amounts)
    ]
    shares = split(
        lines,
        [
            ShareRule("eu", "remainder"),
            ShareRule("foundation", "percent", percent),
            ShareRule("city", "fixed", fixed),
            ShareRule("company", "components", components=("travel",)),
        ],
    )
    assert sum(share.amount for share in shares) == sum(line_amounts)
    assert all(share.amount >= 0 for share in shares)


@given(total=amounts, first=st.integers(0, 100))
def test_a_payment_schedule_adds_up_to_the_grant(total, first):
    instalments = [Instalment("a", Decimal(first), "x"), Instalment("b", Decimal(100 - first), "y")]
    payments = schedule(total, instalments)
    assert sum(payment.amount for payment in payments) == total
    assert all(payment.amount == payment.amount.quantize(CENT) for payment in payments)


mobilities = st.builds(
    lambda activity, start, days, km, fewer, group: MobilityInput(
        activity=activity,
        start=start,
        end=start + timedelta(days=days - 1),
        distance_km=km,
        fewer_opportunities=fewer,
        country_group=group,
    ),
    st.sampled_from(["student-studies", "student-traineeship", "student-short-term", "staff-teaching"]),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)),
    st.sampled_from([3, 10, 61, 150, 300, 400]),
    st.sampled_from([None, 50, 900, 9000]),
    st.booleans(),
    st.sampled_from([None, "1", "3"]),
)


@given(batch=st.lists(mobilities, max_size=30))
def test_a_batch_gives_each_mobility_what_it_gets_alone(batch):
    from accord.algorithms.funding.calculate import GrantError, calculate_many

    def alone(mobility):
        try:
            return calculate(KA131, mobility)
        except GrantError as error:
            return (error.rule, error.message)

    together = [
        (result.rule, result.message) if isinstance(result, GrantError) else result
        for result in calculate_many(KA131, batch)
    ]
    assert together == [alone(mobility) for mobility in batch]
