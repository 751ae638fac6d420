"""The design rules of blended intensive programmes and the organisational support they earn."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.algorithms.bips import (
    ERASMUS_2021_2027,
    BipDesign,
    FundingParticipant,
    bip_design_problems,
    bip_funding,
    physical_days,
)

RULES = ERASMUS_2021_2027
# The machine is shared: time limits per example would fail on load, not on a wrong answer.
PATIENT = settings(deadline=None)
COORDINATOR, HOST, PARTNER_B, PARTNER_C = 1, 2, 3, 4


def design(**overrides) -> BipDesign:
    values = {
        "partner_countries": ["PL", "ES", "IT"],
        "ects": Decimal(3),
        "virtual_components": 1,
        "physical": (date(2027, 5, 10), date(2027, 5, 14)),
    }
    return BipDesign(**{**values, **overrides})


def travellers(count: int, institution: int = PARTNER_B) -> list[FundingParticipant]:
    return [FundingParticipant(institution=institution, travels=True) for _ in range(count)]


def test_a_three_country_design_with_a_week_on_site_and_a_virtual_part_may_open():
    assert bip_design_problems(design(), RULES) == []


@pytest.mark.parametrize(
    ("overrides", "code", "needed", "found"),
    [
        ({"partner_countries": ["PL", "ES"]}, "partners", 3, 2),
        ({"partner_countries": ["PL", "ES", "es"]}, "countries", 3, 2),
        ({"ects": Decimal("2.5")}, "ects", Decimal(3), Decimal("2.5")),
        ({"virtual_components": 0}, "virtual", 1, 0),
        ({"physical": None}, "physical", (5, 30), 0),
        ({"physical": (date(2027, 5, 10), date(2027, 5, 13))}, "physical_days", (5, 30), 4),
        ({"physical": (date(2027, 5, 1), date(2027, 5, 31))}, "physical_days", (5, 30), 31),
    ],
)
def test_each_broken_rule_is_named_with_its_figures(overrides, code, needed, found):
    problem = bip_design_problems(design(**overrides), RULES)[0]
    assert (problem.code, problem.needed, problem.found) == (code, needed, found)


def test_two_partners_from_two_countries_break_both_rules():
    codes = [problem.code for problem in bip_design_problems(design(partner_countries=["PL", "ES"]), RULES)]
    assert codes == ["partners", "countries"]


def test_both_dates_of_the_physical_part_count():
    assert physical_days(date(2027, 5, 10), date(2027, 5, 14)) == 5


def test_the_guide_example_fifteen_travellers_earn_6000_euro():
    funding = bip_funding(travellers(15), coordinator=COORDINATOR, host=HOST, rules=RULES)
    assert (funding.mobile, funding.funded, funding.organisational_support) == (15, 15, Decimal(6000))


def test_local_participants_of_the_coordinator_and_host_do_not_count():
    participants = [
        *travellers(10),
        FundingParticipant(institution=HOST, travels=False),
        FundingParticipant(institution=COORDINATOR, travels=False),
        FundingParticipant(institution=COORDINATOR, travels=True),  # travels to a host elsewhere
    ]
    funding = bip_funding(participants, coordinator=COORDINATOR, host=HOST, rules=RULES)
    assert (funding.accepted, funding.not_mobile, funding.mobile, funding.funded) == (13, 2, 11, 11)
    assert funding.organisational_support == Decimal(4400)


def test_below_the_minimum_nothing_is_funded_and_the_line_says_why():
    funding = bip_funding(travellers(9), coordinator=COORDINATOR, host=HOST, rules=RULES)
    assert funding.funded == 0 and funding.organisational_support == 0 and funding.below_minimum
    assert [line.code for line in funding.lines] == [
        "accepted",
        "not_mobile",
        "mobile",
        "below_minimum",
        "support",
    ]


def test_above_the_maximum_twenty_are_funded_up_to_8000_euro():
    funding = bip_funding(travellers(27), coordinator=COORDINATOR, host=HOST, rules=RULES)
    assert (funding.funded, funding.organisational_support) == (20, Decimal(8000))
    assert "capped" in [line.code for line in funding.lines]
    assert RULES.maximum_support == Decimal(8000)


def test_rules_are_data_a_later_call_may_change():
    generous = replace(RULES, amount_per_participant=Decimal(450), minimum_participants=5)
    funding = bip_funding(travellers(6), coordinator=COORDINATOR, host=HOST, rules=generous)
    assert funding.organisational_support == Decimal(2700)


def test_rules_that_contradict_themselves_are_refused():
    with pytest.raises(ValueError):
        replace(RULES, minimum_participants=30)
    with pytest.raises(ValueError):
        replace(RULES, physical_days_min=0)


participant = st.builds(
    FundingParticipant,
    institution=st.sampled_from([COORDINATOR, HOST, PARTNER_B, PARTNER_C]),
    travels=st.booleans(),
)


@PATIENT
@given(st.lists(participant, max_size=40))
def test_support_is_amount_times_funded_within_the_bounds(participants):
    funding = bip_funding(participants, coordinator=COORDINATOR, host=HOST, rules=RULES)
    assert funding.organisational_support == RULES.amount_per_participant * funding.funded
    assert 0 <= funding.organisational_support <= RULES.maximum_support
    assert funding.funded == 0 or RULES.minimum_participants <= funding.funded <= RULES.maximum_participants
    assert funding.mobile + funding.not_mobile == funding.accepted == len(participants)


@PATIENT
@given(st.lists(participant, max_size=40), participant)
def test_one_more_participant_never_lowers_the_support(participants, extra):
    before = bip_funding(participants, coordinator=COORDINATOR, host=HOST, rules=RULES)
    after = bip_funding([*participants, extra], coordinator=COORDINATOR, host=HOST, rules=RULES)
    assert after.organisational_support >= before.organisational_support


@PATIENT
@given(
    st.integers(min_value=0, max_value=60), st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 1, 1))
)
def test_the_physical_length_rule_matches_the_day_count(length, start):
    end = start + timedelta(days=length)
    problems = {p.code for p in bip_design_problems(design(physical=(start, end)), RULES)}
    assert ("physical_days" in problems) == (not 5 <= length + 1 <= 30)
