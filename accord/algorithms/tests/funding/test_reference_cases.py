"""Grants computed by hand from the Erasmus+ figures, matched to the cent.

Durations count the start and the end day; a month is 30 days; extra days are 1/30 of the monthly
rate, each line rounded half up to the cent.
"""

from datetime import date
from decimal import Decimal

import pytest

from accord.algorithms.funding.calculate import GrantError, MobilityInput, calculate, duration_days
from accord.algorithms.funding.shipped import (
    bip_organisational_support,
    organisational_support,
    shipped_keys,
    shipped_rule_set,
)

KA131_2024 = shipped_rule_set("erasmus-ka131-2024")
KA131_2021 = shipped_rule_set("erasmus-ka131-2021")


def grant(rules, **fields):
    return calculate(rules, MobilityInput(**fields))


def amounts(result):
    return [(line.label, line.quantity, line.rate, line.amount) for line in result.lines]


def test_every_shipped_rule_set_parses():
    assert {"erasmus-ka131-2024", "erasmus-ka131-2021", "erasmus-ka171"} <= set(shipped_keys())
    for key in shipped_keys():
        assert shipped_rule_set(key).key == key


def test_duration_counts_both_days():
    assert duration_days(date(2024, 9, 1), date(2025, 1, 31)) == 153
    assert duration_days(date(2025, 5, 5), date(2025, 5, 5)) == 1


def test_long_term_student_without_top_up():
    # 153 days = 5 months + 3 days; group 2 at 540: 5 × 540 + 3 × 540 / 30 = 2700 + 54.
    result = grant(
        KA131_2024,
        activity="student-studies",
        start=date(2024, 9, 1),
        end=date(2025, 1, 31),
        country_group="2",
        distance_km=1200,
    )
    assert amounts(result) == [
        ("Individual support × 5 months", 5, 540, Decimal("2700.00")),
        (
            "Individual support, 3 extra days at 1/30 of the monthly rate",
            3,
            Decimal("18.0000"),
            Decimal("54.00"),
        ),
    ]
    assert result.total == Decimal("2754.00")


def test_long_term_student_with_fewer_opportunities_top_up_and_travel():
    # + 250 × 5 + 3 × 250 / 30 = 1275, and travel for 1200 km (500–1999 km band): 309.
    result = grant(
        KA131_2024,
        activity="student-studies",
        start=date(2024, 9, 1),
        end=date(2025, 1, 31),
        country_group="2",
        distance_km=1200,
        fewer_opportunities=True,
    )
    assert result.total == Decimal("4338.00")
    assert [line.amount for line in result.lines] == [
        Decimal("2700.00"),
        Decimal("54.00"),
        Decimal("1250.00"),
        Decimal("25.00"),
        Decimal("309.00"),
    ]


def test_traineeship_rounds_each_extra_day_line_half_up():
    # 92 days = 3 months + 2 days, group 3 at 490: 1470 + 32.666… → 32.67; traineeship 150: 450 + 10.
    result = grant(
        KA131_2024,
        activity="student-traineeship",
        start=date(2024, 10, 1),
        end=date(2024, 12, 31),
        country_group="3",
    )
    assert [line.amount for line in result.lines] == [
        Decimal("1470.00"),
        Decimal("32.67"),
        Decimal("450.00"),
        Decimal("10.00"),
    ]
    assert result.total == Decimal("1962.67")


def test_seven_extra_days_in_group_3():
    result = grant(
        KA131_2024,
        activity="student-studies",
        start=date(2024, 9, 1),
        end=date(2024, 11, 6),
        country_group="3",
    )
    # 67 days = 2 months + 7 days: 980 + 7 × 490 / 30 = 114.333… → 114.33.
    assert result.total == Decimal("1094.33")


def test_short_term_blended_mobility_with_travel_days_and_top_up():
    # 20 days + 2 travel days = 22 funded: 14 × 79 + 8 × 56; top-up for 15–30 days 150; 800 km: 309.
    result = grant(
        KA131_2024,
        activity="student-short-term",
        start=date(2025, 3, 3),
        end=date(2025, 3, 22),
        travel_days=2,
        fewer_opportunities=True,
        distance_km=800,
    )
    assert [line.amount for line in result.lines] == [
        Decimal("1106.00"),
        Decimal("448.00"),
        Decimal("150.00"),
        Decimal("309.00"),
    ]
    assert result.total == Decimal("2013.00")


def test_short_term_blended_mobility_2021_rates():
    # 7 days, no travel days: 7 × 70; fewer opportunities 5–14 days: 100; 300 km: 180.
    result = grant(
        KA131_2021,
        activity="student-short-term",
        start=date(2023, 3, 6),
        end=date(2023, 3, 12),
        fewer_opportunities=True,
        distance_km=300,
    )
    assert result.total == Decimal("770.00")


def test_staff_week():
    # 5 days + 2 travel days in group 1 at 180: 1260; 1500 km: 309.
    result = grant(
        KA131_2024,
        activity="staff-teaching",
        start=date(2025, 5, 5),
        end=date(2025, 5, 9),
        country_group="1",
        travel_days=2,
        distance_km=1500,
    )
    assert result.total == Decimal("1569.00")


def test_staff_pays_seventy_percent_from_day_fifteen():
    # 19 days + 2 travel days = 21: 14 × 180 + 7 × 126 = 2520 + 882; 1500 km: 309.
    result = grant(
        KA131_2024,
        activity="staff-training",
        start=date(2025, 5, 5),
        end=date(2025, 5, 23),
        country_group="1",
        travel_days=2,
        distance_km=1500,
    )
    assert amounts(result)[:2] == [
        ("Individual support, days 1–14 (including 2 travel days)", 14, 180, Decimal("2520.00")),
        ("Individual support, days 15–21 at 70%", 7, Decimal("126.0"), Decimal("882.00")),
    ]
    assert result.total == Decimal("3711.00")


def test_green_travel_staff_gets_green_band_and_more_travel_days():
    # 5 days + 4 travel days at 160 = 1440; green 500–1999 km: 417.
    result = grant(
        KA131_2024,
        activity="staff-training",
        start=date(2025, 5, 5),
        end=date(2025, 5, 9),
        country_group="2",
        travel_days=4,
        distance_km=650,
        green_travel=True,
    )
    assert result.total == Decimal("1857.00")


def test_green_travel_student_gets_top_up_and_travel_days():
    # 181 days = 6 months + 1 day at 600: 3600 + 20; green top-up 50; 4 travel days × 20 = 80.
    result = grant(
        KA131_2024,
        activity="student-studies",
        start=date(2024, 9, 1),
        end=date(2025, 2, 28),
        country_group="1",
        green_travel=True,
        travel_days=4,
    )
    assert result.total == Decimal("3750.00")


BANDS_2024 = [
    (10, "28", "56"),
    (99, "28", "56"),
    (100, "211", "285"),
    (499, "211", "285"),
    (500, "309", "417"),
    (1999, "309", "417"),
    (2000, "395", "535"),
    (2999, "395", "535"),
    (3000, "580", "785"),
    (3999, "580", "785"),
    (4000, "1188", "1188"),
    (7999, "1188", "1188"),
    (8000, "1735", "1735"),
    (15000, "1735", "1735"),
]
BANDS_2021 = [
    (10, "23", "23"),
    (99, "23", "23"),
    (100, "180", "210"),
    (499, "180", "210"),
    (500, "275", "320"),
    (1999, "275", "320"),
    (2000, "360", "410"),
    (2999, "360", "410"),
    (3000, "530", "610"),
    (3999, "530", "610"),
    (4000, "820", "820"),
    (7999, "820", "820"),
    (8000, "1500", "1500"),
    (15000, "1500", "1500"),
]


def _staff_travel(rules, km, green, year):
    result = grant(
        rules,
        activity="staff-teaching",
        start=date(year, 5, 5),
        end=date(year, 5, 6),
        country_group="3",
        distance_km=km,
        green_travel=green,
    )
    return next(line.amount for line in result.lines if line.component == "travel")


@pytest.mark.parametrize(("km", "standard", "green"), BANDS_2024)
def test_each_distance_band_of_2024(km, standard, green):
    assert _staff_travel(KA131_2024, km, False, 2025) == Decimal(standard)
    assert _staff_travel(KA131_2024, km, True, 2025) == Decimal(green)


@pytest.mark.parametrize(("km", "standard", "green"), BANDS_2021)
def test_each_distance_band_of_2021(km, standard, green):
    assert _staff_travel(KA131_2021, km, False, 2022) == Decimal(standard)
    assert _staff_travel(KA131_2021, km, True, 2022) == Decimal(green)


def test_below_the_first_band_there_is_no_travel_support():
    assert _staff_travel(KA131_2024, 9, False, 2025) == 0


def test_organisational_support():
    assert organisational_support(KA131_2024, 100) == 40000
    assert organisational_support(KA131_2024, 130) == 40000 + 30 * 230


def test_bip_organisational_support_within_the_participant_limits():
    assert bip_organisational_support(KA131_2024, 9) == 0
    assert bip_organisational_support(KA131_2024, 15) == 6000
    assert bip_organisational_support(KA131_2024, 35) == 8000


@pytest.mark.parametrize(
    ("fields", "rule"),
    [
        ({"start": date(2025, 3, 1), "end": date(2025, 2, 1)}, "end"),
        ({"start": date(2025, 3, 1), "end": date(2025, 3, 20)}, "activities.student-studies.duration"),
        ({"start": date(2024, 9, 1), "end": date(2025, 9, 30)}, "activities.student-studies.duration"),
        ({"start": date(2024, 9, 1), "end": date(2025, 1, 31), "country_group": None}, "country_group"),
        (
            {"start": date(2024, 9, 1), "end": date(2025, 1, 31), "travel_days": 3},
            "activities.student-studies.travel_days",
        ),
        ({"start": date(2024, 9, 1), "end": date(2025, 1, 31), "fewer_opportunities": True}, "distance_km"),
        ({"start": date(2021, 9, 1), "end": date(2022, 1, 31)}, "valid_from"),
    ],
)
def test_bad_input_names_the_rule(fields, rule):
    values = {"activity": "student-studies", "country_group": "2", **fields}
    with pytest.raises(GrantError) as error:
        grant(KA131_2024, **values)
    assert error.value.rule == rule


def test_ka171_outgoing_to_a_third_country_and_incoming_to_group_1():
    outgoing = grant(
        shipped_rule_set("erasmus-ka171"),
        activity="student-studies",
        start=date(2024, 9, 1),
        end=date(2024, 12, 29),
        country_group="*",
        distance_km=9000,
    )
    # 120 days = 4 months at 700 = 2800; travel for every KA171 student: 8000 km or more, 1735.
    assert outgoing.total == Decimal("4535.00")
    incoming = grant(
        shipped_rule_set("erasmus-ka171"),
        activity="student-studies",
        start=date(2024, 9, 1),
        end=date(2024, 12, 29),
        country_group="1",
        distance_km=9000,
    )
    assert incoming.total == Decimal("3600.00") + Decimal("1735.00")


def test_other_funders_without_code():
    foundation = grant(
        shipped_rule_set("example-foundation-fixed"),
        activity="student-studies",
        start=date(2025, 1, 6),
        end=date(2025, 3, 31),
        claimed_costs={"travel": Decimal("1234.50"), "visa": Decimal("80")},
    )
    # 1500 fixed, travel capped at 1000, visa 80 in full, no insurance claimed.
    assert foundation.total == Decimal("2580.00")
    government = grant(
        shipped_rule_set("example-government-monthly"),
        activity="student-studies",
        start=date(2025, 1, 1),
        end=date(2025, 3, 31),
        destination_country="JP",
    )
    assert government.total == Decimal("3900.00")  # 90 days = 3 months at 1300
    award = grant(
        shipped_rule_set("example-fulbright-style"),
        activity="student-studies",
        start=date(2025, 8, 15),
        end=date(2026, 5, 15),
        destination_country="US",
        tuition=Decimal("24000"),
    )
    # 274 days = 9 months + 4 days: 19800 + 293.33; settling-in 500; no travel claimed. Waiver not paid.
    assert award.currency == "USD"
    assert award.total == Decimal("20593.33")
    assert award.in_kind == Decimal("24000.00")
