"""The evaluation arithmetic: shares without data, reciprocity, the status rule, trends and health."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.algorithms.evaluation.arithmetic import share, utilisation
from accord.algorithms.evaluation.flows import CountryFlow, by_region, south_south_count
from accord.algorithms.evaluation.health import (
    ExpiringAgreement,
    HealthFacts,
    HealthWarning,
    Severity,
    Suggestion,
    WarningCode,
    assess,
    ranked,
)
from accord.algorithms.evaluation.reciprocity import PartnerFlow, balance, overall_balance, partner_flows
from accord.algorithms.evaluation.status import (
    TrackStatus,
    Trend,
    expected_share,
    slope,
    track_status,
    trend,
)
from accord.reference.dac import RECIPIENTS, dac_group, is_oda_recipient
from accord.reference.sdg4 import TARGETS

TODAY = date(2026, 12, 8)
counts = st.integers(min_value=0, max_value=10_000)


def test_an_empty_whole_has_no_share_rather_than_zero():
    assert share(0, 0) is None
    assert share(3, 0) is None
    assert share(1, 4) == Decimal("25.0000")
    assert utilisation(12, 10) == Decimal("120.0000")


@given(counts, st.integers(min_value=1, max_value=10_000))
def test_a_share_of_a_part_no_larger_than_its_whole_is_a_percentage(part, whole):
    part = min(part, whole)
    assert Decimal(0) <= share(part, whole) <= Decimal(100)


@given(counts, counts)
def test_balance_is_symmetric_and_between_zero_and_one(incoming, outgoing):
    value = balance(incoming, outgoing)
    assert value == balance(outgoing, incoming)
    if incoming == outgoing == 0:
        assert value is None
    else:
        assert Decimal(0) <= value <= Decimal(1)
        assert (value == 1) == (incoming == outgoing)


def test_partner_flows_fold_directions_and_flag_only_meaningful_imbalance():
    flows = partner_flows(
        [
            ("Lyon", "out", 8, Decimal(40)),
            ("Lyon", "in", 1, Decimal(5)),
            ("Porto", "in", 1, Decimal(5)),
            ("Porto", "out", 1, Decimal(4)),
            ("Kyoto", "out", 2, Decimal(10)),
        ]
    )
    by_partner = {flow.partner: flow for flow in flows}
    assert by_partner["Lyon"].balance == Decimal("0.1250")
    assert by_partner["Lyon"].unbalanced()
    assert by_partner["Lyon"].net == -7
    assert not by_partner["Porto"].unbalanced()
    assert not by_partner["Kyoto"].unbalanced(), "two people are too few to call it a trend"
    assert overall_balance(flows) == Decimal("0.1818")
    with pytest.raises(ValueError):
        partner_flows([("Lyon", "sideways", 1, Decimal(1))])


@given(st.lists(st.tuples(st.sampled_from("ABC"), st.sampled_from(["in", "out"]), counts, counts)))
def test_folding_flows_keeps_every_person(rows):
    flows = partner_flows([(p, d, n, Decimal(m)) for p, d, n, m in rows])
    assert sum(f.incoming + f.outgoing for f in flows) == sum(n for _p, _d, n, _m in rows)


def test_expected_share_runs_from_start_to_target_year():
    assert expected_share(year=2024, start_year=2024, target_year=2028) == 0
    assert expected_share(year=2025, start_year=2024, target_year=2028) == 0.25
    assert expected_share(year=2030, start_year=2024, target_year=2028) == 1
    assert expected_share(year=2024, start_year=2026, target_year=2026) == 1
    with pytest.raises(ValueError, match="ends"):
        expected_share(year=2025, start_year=2028, target_year=2024)


@pytest.mark.parametrize(
    ("progress", "expected", "status"),
    [
        (None, 0.5, TrackStatus.NOT_MEASURED),
        (1.2, 1.0, TrackStatus.ON_TRACK),
        (0.45, 0.5, TrackStatus.ON_TRACK),
        (0.35, 0.5, TrackStatus.AT_RISK),
        (0.2, 0.5, TrackStatus.OFF_TRACK),
        (-0.1, 0.0, TrackStatus.OFF_TRACK),
        (0.0, 0.0, TrackStatus.ON_TRACK),
    ],
)
def test_the_status_rule(progress, expected, status):
    assert track_status(progress, expected) == status


@given(st.floats(min_value=-2, max_value=3), st.floats(min_value=0, max_value=1))
def test_more_progress_never_worsens_the_status(progress, expected):
    order = [TrackStatus.OFF_TRACK, TrackStatus.AT_RISK, TrackStatus.ON_TRACK]
    assert order.index(track_status(progress + 0.1, expected)) >= order.index(
        track_status(progress, expected)
    )


def test_trend_follows_the_direction_that_is_better():
    rising = [(2022, Decimal(10)), (2023, Decimal(12)), (2024, Decimal(15))]
    assert slope(rising) == pytest.approx(2.5)
    assert trend(rising, "increase") == Trend.IMPROVING
    assert trend(rising, "decrease") == Trend.WORSENING
    assert trend(rising, "maintain") == Trend.WORSENING
    assert trend([(2022, Decimal(10)), (2023, Decimal(10))], "maintain") == Trend.STEADY
    assert trend([(2022, Decimal(10))], "increase") is None


@given(st.lists(st.tuples(st.integers(2000, 2030), st.integers(0, 1000)), min_size=2))
def test_a_trend_reverses_with_the_direction(points):
    points = [(year, Decimal(value)) for year, value in points]
    up, down = trend(points, "increase"), trend(points, "decrease")
    if up is None or up == Trend.STEADY:
        assert down == up
    else:
        assert {up, down} == {Trend.IMPROVING, Trend.WORSENING}


def test_a_healthy_active_partnership_is_one_to_grow():
    facts = HealthFacts(
        today=TODAY, last_meeting=date(2026, 10, 1), activity=12, places_agreed=10, places_used=9
    )
    result = assess(facts)
    assert result.score == 100
    assert result.warnings == ()
    assert result.suggestion == Suggestion.GROW


def test_every_warning_explains_itself_with_its_figures():
    facts = HealthFacts(
        today=TODAY,
        flows=[PartnerFlow("Lyon", incoming=1, outgoing=9)],
        places_agreed=20,
        places_used=4,
        agreements=[
            ExpiringAgreement("Student exchange", date(2027, 1, 31), renewal_pending=False),
            ExpiringAgreement("Renewing", date(2027, 1, 31), renewal_pending=True),
        ],
        last_meeting=date(2025, 11, 1),
        overdue_actions=3,
        planned_credits=Decimal(60),
        recognised_credits=Decimal(30),
        extra=[HealthWarning(WarningCode.FUNDING_ENDING, Severity.LOW, {"ends_on": "2027-08-31"})],
    )
    result = assess(facts)
    codes = [warning.code for warning in result.warnings]
    assert codes == [
        WarningCode.UNBALANCED_FLOWS,
        WarningCode.UNUSED_QUOTAS,
        WarningCode.AGREEMENT_EXPIRING,
        WarningCode.NO_RECENT_MEETING,
        WarningCode.OVERDUE_ACTIONS,
        WarningCode.LOW_RECOGNITION,
        WarningCode.FUNDING_ENDING,
    ]
    assert result.warnings[0].params == {"partner": "Lyon", "incoming": 1, "outgoing": 9}
    assert result.warnings[1].params["percent"] == 20
    assert result.warnings[2].params["days"] == 54
    assert result.warnings[3].params["months"] == 13
    assert result.score == 0
    assert result.suggestion == Suggestion.CLOSE_OR_RENEW


def test_a_new_partnership_without_a_meeting_is_not_warned_before_its_time():
    assert assess(HealthFacts(today=TODAY, started_on=date(2026, 9, 1))).warnings == ()
    assert assess(HealthFacts(today=TODAY)).warnings == ()


@given(
    st.integers(0, 50),
    st.integers(0, 50),
    st.integers(0, 10),
    st.integers(0, 100),
)
def test_scores_stay_between_0_and_100_and_ranking_is_by_score(agreed, used, overdue, activity):
    result = assess(
        HealthFacts(
            today=TODAY, places_agreed=agreed, places_used=used, overdue_actions=overdue, activity=activity
        )
    )
    assert 0 <= result.score <= 100
    healthy = assess(HealthFacts(today=TODAY, activity=activity))
    order = ranked([(2, result), (1, healthy)])
    assert order[0][1].score >= order[1][1].score


def test_country_flows_south_south_and_regions():
    flows = [CountryFlow("KE", "IN", 3), CountryFlow("FR", "KE", 5), CountryFlow("", "KE", 2)]
    assert flows[0].south_south and not flows[1].south_south
    assert south_south_count(flows) == (3, 8)
    assert by_region([("KE", 3), ("FR", 5), ("ZZ", 1), ("DE", 1)]) == {"?": 1, "Africa": 3, "Europe": 6}


def test_the_dac_list_and_sdg4_targets():
    assert is_oda_recipient("ke") and dac_group("AF") == "ldc"
    assert not is_oda_recipient("FR") and dac_group("DE") is None
    assert dac_group("XK") == "umic"
    assert len(RECIPIENTS) > 130
    assert set(TARGETS) == {"4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.a", "4.b", "4.c"}
