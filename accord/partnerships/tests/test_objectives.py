"""Shared objectives: indicators, yearly targets, measured figures, and progress towards targets."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accord.core.errors import PermissionDenied, ValidationFailed
from accord.partnerships import selectors, services
from accord.partnerships.choices import ActualSource, IndicatorDirection
from accord.partnerships.progress import progress_fraction
from accord.testing.factories import make_organisation, make_partnership, make_user

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def dated(personas):
    return make_partnership(
        personas.home, personas.partner_org, start_date=dt.date(2020, 9, 1), end_date=dt.date(2040, 8, 31)
    )


@pytest.fixture
def indicator(personas, dated):
    objective = services.objective_create(
        actor=personas.coordinator, partnership=dated, title="Balanced mobility", owner=personas.teacher
    )
    return services.indicator_create(
        actor=personas.coordinator,
        objective=objective,
        name="Incoming students",
        unit="students",
        baseline_value="10",
        baseline_year=2020,
    )


# --- progress maths (pure) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "actual", "expected"),
    [
        ("increase", D(10), D(20), D(15), 0.5),
        ("increase", D(10), D(20), D(20), 1.0),
        ("increase", D(10), D(20), D(25), 1.5),
        ("increase", D(10), D(20), D(5), -0.5),
        ("increase", None, D(40), D(10), 0.25),  # no baseline: counted from zero
        ("decrease", D(20), D(10), D(15), 0.5),  # drop-out rate 20 % → 10 %, reached 15 %
        ("decrease", D(20), D(10), D(10), 1.0),
        ("decrease", D(20), D(10), D(5), 1.5),
        ("decrease", D(20), D(10), D(25), -0.5),  # went up: moving away from the target
        ("decrease", None, D(10), D(5), None),  # a reduction needs a starting point
        ("increase", D(10), D(10), D(12), 1.0),  # target equal to the baseline: reached or not
        ("increase", D(10), D(10), D(9), 0.0),
        ("decrease", D(10), D(10), D(9), 1.0),
        ("decrease", D(10), D(10), D(11), 0.0),
        ("maintain", D(30), D(30), D(27), 0.9),
        ("maintain", D(30), D(30), D(35), 1.0),
        ("maintain", None, D(0), D(0), 1.0),
        ("increase", D(10), D(20), None, None),
        ("increase", D(10), None, D(15), None),
    ],
)
def test_progress_fraction(direction, baseline, target, actual, expected):
    got = progress_fraction(direction=direction, baseline=baseline, target=target, actual=actual)
    assert got == expected


def test_the_progress_module_has_no_django_import():
    import subprocess
    import sys

    code = "import sys, accord.partnerships.progress; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- targets and actuals -------------------------------------------------------------------------


def test_targets_are_one_per_year_and_within_the_partnership_dates(personas, indicator):
    services.indicator_target_create(
        actor=personas.admin, indicator=indicator, year=2022, target_value="12.5"
    )
    with pytest.raises(ValidationFailed) as exc_info:
        services.indicator_target_create(
            actor=personas.admin, indicator=indicator, year=2022, target_value=14
        )
    assert exc_info.value.errors == {
        "year": ["'Incoming students' already has a target for 2022; edit that one."]
    }
    with pytest.raises(ValidationFailed) as exc_info:
        services.indicator_target_create(
            actor=personas.admin, indicator=indicator, year=2041, target_value=14
        )
    assert exc_info.value.errors == {"year": ["2041 is outside the partnership's dates (2020–2040)."]}
    assert indicator.targets.count() == 1


@pytest.mark.parametrize("value", ["many", "NaN", "Infinity", ""])
def test_figures_must_be_numbers(personas, indicator, value):
    with pytest.raises(ValidationFailed) as exc_info:
        services.indicator_target_create(
            actor=personas.admin, indicator=indicator, year=2023, target_value=value
        )
    assert exc_info.value.field == "target_value"
    with pytest.raises(ValidationFailed) as exc_info:
        services.indicator_actual_record(actor=personas.admin, indicator=indicator, year=2023, value=value)
    assert exc_info.value.field == "value"


def test_a_target_can_be_moved_to_a_free_year_only(personas, indicator):
    services.indicator_target_create(actor=personas.admin, indicator=indicator, year=2022, target_value=12)
    later = services.indicator_target_create(
        actor=personas.admin, indicator=indicator, year=2023, target_value=14
    )
    with pytest.raises(ValidationFailed, match="already has a target for 2022"):
        services.indicator_target_update(actor=personas.admin, target=later, year=2022)
    moved = services.indicator_target_update(actor=personas.admin, target=later, year=2024, target_value=16)
    assert (moved.year, moved.target_value) == (2024, D(16))


def test_actuals_are_one_per_year_in_the_past_and_remember_who_recorded_them(personas, indicator):
    actual = services.indicator_actual_record(
        actor=personas.partner, indicator=indicator, year=2022, value=11, note="From the mobility tool"
    )
    assert (actual.source, actual.recorded_by) == (ActualSource.MANUAL, personas.partner)
    with pytest.raises(ValidationFailed, match="already has a figure for 2022"):
        services.indicator_actual_record(actor=personas.admin, indicator=indicator, year=2022, value=12)
    next_year = timezone.localdate().year + 1
    with pytest.raises(ValidationFailed, match=f"{next_year} has not begun"):
        services.indicator_actual_record(actor=personas.admin, indicator=indicator, year=next_year, value=1)


def test_a_figure_is_corrected_by_whoever_recorded_it_or_the_coordinating_managers(personas, indicator):
    actual = services.indicator_actual_record(
        actor=personas.partner, indicator=indicator, year=2022, value=11
    )
    services.indicator_actual_update(actor=personas.partner, actual=actual, value=13)
    services.indicator_actual_update(actor=personas.coordinator, actual=actual, note="Checked")
    other_partner = make_user(organisation=personas.partner_org, role="admin")
    with pytest.raises(PermissionDenied):
        services.indicator_actual_update(actor=other_partner, actual=actual, value=99)
    actual.refresh_from_db()
    assert (actual.value, actual.note) == (D(13), "Checked")


def test_objectives_indicators_and_targets_are_changed_by_the_coordinating_side_only(
    personas, dated, indicator
):
    with pytest.raises(PermissionDenied):
        services.objective_create(actor=personas.partner, partnership=dated, title="Ours too")
    with pytest.raises(PermissionDenied):
        services.indicator_target_create(
            actor=personas.partner, indicator=indicator, year=2023, target_value=1
        )
    with pytest.raises(PermissionDenied):
        services.indicator_update(actor=personas.teacher, indicator=indicator, name="Renamed")


def test_an_objective_owner_works_at_a_member_organisation(personas, dated):
    stranger = make_user(organisation=make_organisation(), role="coordinator")
    with pytest.raises(ValidationFailed) as exc_info:
        services.objective_create(actor=personas.admin, partnership=dated, title="Reach", owner=stranger)
    assert exc_info.value.field == "owner"
    with pytest.raises(ValidationFailed):
        services.objective_create(
            actor=personas.admin, partnership=dated, title="Reach", owner=personas.student
        )


def test_objectives_are_ordered_as_created_unless_told(personas, dated):
    first = services.objective_create(actor=personas.admin, partnership=dated, title="First")
    second = services.objective_create(actor=personas.admin, partnership=dated, title="Second")
    assert (first.order, second.order) == (0, 1)
    services.objective_update(actor=personas.admin, objective=second, order=0)
    services.objective_update(actor=personas.admin, objective=first, order=5)
    assert [o.title for o in dated.objectives.all()] == ["Second", "First"]


# --- objective_progress --------------------------------------------------------------------------


def test_objective_progress_per_indicator_and_year(personas, dated, indicator, django_assert_max_num_queries):
    drop_out = services.indicator_create(
        actor=personas.admin,
        objective=indicator.objective,
        name="Drop-out rate",
        unit="%",
        direction=IndicatorDirection.DECREASE,
        baseline_value=20,
        baseline_year=2020,
    )
    for year, target in ((2022, 15), (2023, 20)):
        services.indicator_target_create(
            actor=personas.admin, indicator=indicator, year=year, target_value=target
        )
    services.indicator_actual_record(actor=personas.admin, indicator=indicator, year=2022, value=12)
    services.indicator_actual_record(actor=personas.admin, indicator=indicator, year=2021, value=11)
    services.indicator_target_create(actor=personas.admin, indicator=drop_out, year=2023, target_value=10)
    services.indicator_actual_record(actor=personas.admin, indicator=drop_out, year=2023, value="17.5")

    with django_assert_max_num_queries(4):
        rows = selectors.objective_progress(partnership=dated)

    students, rate = rows
    assert (students["indicator"], students["baseline_value"], students["baseline_year"]) == (
        "Incoming students",
        D(10),
        2020,
    )
    assert students["years"] == [
        {"year": 2021, "target": None, "actual": D(11), "progress": None},
        {"year": 2022, "target": D(15), "actual": D(12), "progress": 0.4},
        {"year": 2023, "target": D(20), "actual": None, "progress": None},
    ]
    assert rate["direction"] == "decrease"
    assert rate["years"] == [{"year": 2023, "target": D(10), "actual": D("17.5"), "progress": 0.25}]
