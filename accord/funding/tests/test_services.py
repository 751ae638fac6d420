"""The funding services: grants computed and explained, recomputed when the dates change, shared
between funders, paid never above the grant, and rules frozen once in force."""

import copy
from datetime import date
from decimal import Decimal

import pytest

from accord.core.concurrency import StaleVersion
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.funding import selectors, services
from accord.funding.choices import GrantStatus, RuleSetStatus
from accord.funding.models import Grant, GrantRecalculation, Payment, RuleSetVersion
from accord.funding.tests.conftest import STUDIES, make_mobility
from accord.mobilities import services as mobilities


def test_a_grant_is_computed_line_by_line(grant, funding):
    # 1 Sep 2026 – 31 Jan 2027 = 153 days = 5 months + 3 days at 540 (Spain, group 2).
    assert grant.total == Decimal("2754.00")
    assert [line["amount"] for line in grant.lines] == ["2700.00", "54.00"]
    assert grant.country_group == "2"
    assert 2100 <= grant.distance_km <= 2150  # Kraków–Madrid
    position = selectors.get_budget_for_user(user=grant.updated_by, pk=funding.budget.pk)
    assert position.committed == Decimal("2754.00")
    assert position.remaining == Decimal("17246.00")


def test_fewer_opportunities_adds_the_top_up_and_travel(personas, grant):
    services.grant_update(actor=personas.coordinator, grant=grant, data={"fewer_opportunities": True})
    # + 1250 + 25 and travel 2000–2999 km: 395.
    assert grant.total == Decimal("4424.00")
    recalculation = grant.recalculations.get()
    assert recalculation.difference == Decimal("1670.00")


def test_new_dates_recompute_the_grant_and_show_the_difference_to_what_was_paid(personas, grant):
    services.payment_record(
        actor=personas.coordinator,
        grant=grant,
        amount=Decimal("2203.20"),
        paid_on=date(2026, 8, 20),
        label="Pre-financing",
    )
    mobilities.mobility_update(
        actor=personas.coordinator,
        mobility=grant.mobility,
        planned_start=date(2026, 9, 1),
        planned_end=date(2026, 12, 31),
        **STUDIES,
    )
    grant.refresh_from_db()
    # 122 days = 4 months + 2 days: 2160 + 36.
    assert grant.total == Decimal("2196.00")
    recalculation = grant.recalculations.get()
    assert (recalculation.old_total, recalculation.new_total, recalculation.paid) == (
        Decimal("2754.00"),
        Decimal("2196.00"),
        Decimal("2203.20"),
    )
    assert recalculation.balance == Decimal("-7.20")
    assert grant.shares.get().amount == Decimal("2196.00")


def test_dates_the_rules_cannot_fund_keep_the_grant_and_say_why(personas, grant):
    mobilities.mobility_update(
        actor=personas.coordinator,
        mobility=grant.mobility,
        planned_start=date(2026, 9, 1),
        planned_end=date(2026, 9, 30),
        **STUDIES,
    )
    grant.refresh_from_db()
    assert grant.total == Decimal("2754.00")
    assert "outside the programme's limits" in grant.recalculations.get().reason


def test_a_cancelled_mobility_releases_its_commitment(personas, funding, grant):
    mobilities.mobility_transition(
        actor=personas.coordinator, mobility=grant.mobility, to_status="cancelled", reason="Withdrew."
    )
    grant.refresh_from_db()
    assert grant.status == GrantStatus.CANCELLED
    assert selectors.get_budget_for_user(user=personas.admin, pk=funding.budget.pk).committed == 0


def test_a_payment_above_the_grant_is_refused_and_nothing_saved(personas, grant):
    services.payment_record(
        actor=personas.coordinator,
        grant=grant,
        amount=Decimal("2000"),
        paid_on=date(2026, 8, 20),
        label="First",
    )
    with pytest.raises(ValidationFailed, match="cannot exceed the grant") as error:
        services.payment_record(
            actor=personas.coordinator,
            grant=grant,
            amount=Decimal("754.01"),
            paid_on=date(2026, 9, 20),
            label="Second",
        )
    assert "amount" in error.value.errors
    assert Payment.objects.count() == 1


def test_a_payment_in_another_currency_is_refused(personas, grant):
    with pytest.raises(ValidationFailed) as error:
        services.payment_record(
            actor=personas.coordinator,
            grant=grant,
            amount=Decimal("100"),
            paid_on=date(2026, 8, 20),
            label="First",
            currency="PLN",
        )
    assert "currency" in error.value.errors


def test_a_budget_in_another_currency_is_refused(personas, funding, mobility):
    budget = services.budget_create(
        actor=personas.admin,
        funder=funding.eu,
        name="In zloty",
        year=2026,
        amount=Decimal("90000"),
        currency="PLN",
    )
    with pytest.raises(ValidationFailed, match="currency rule"):
        services.grant_create(
            actor=personas.coordinator, mobility=mobility, rule_set=funding.rule_set, budget=budget
        )
    assert not Grant.objects.exists()


def test_a_budget_is_not_over_committed(personas, funding, mobility):
    services.budget_update(actor=personas.admin, budget=funding.budget, data={"amount": Decimal("2000")})
    with pytest.raises(ValidationFailed, match="over-committed"):
        services.grant_create(
            actor=personas.coordinator, mobility=mobility, rule_set=funding.rule_set, budget=funding.budget
        )
    assert not Grant.objects.exists()


def test_a_co_funder_pays_what_its_rule_says(personas, funding, mobility):
    grant = services.grant_create(
        actor=personas.coordinator,
        mobility=mobility,
        rule_set=funding.rule_set,
        budget=funding.budget,
        fewer_opportunities=True,
        co_funding=[
            {"budget": funding.foundation_budget.pk, "kind": "components", "components": ["travel"]},
            {"budget": funding.budget.pk, "kind": "remainder"},
        ],
    )
    shares = {share.budget_id: share.amount for share in grant.shares.all()}
    assert shares == {funding.foundation_budget.pk: Decimal("395.00"), funding.budget.pk: Decimal("4029.00")}


def test_a_distance_override_needs_a_reason(personas, grant):
    with pytest.raises(ValidationFailed) as error:
        services.grant_update(actor=personas.coordinator, grant=grant, data={"distance_override_km": 300})
    assert "distance_override_reason" in error.value.errors
    services.grant_update(
        actor=personas.coordinator,
        grant=grant,
        data={
            "distance_override_km": 300,
            "distance_override_reason": "The course is at the Toledo campus.",
            "fewer_opportunities": True,
        },
    )
    assert grant.lines[-1]["label"] == "Travel support, 100–499 km (300 km)"


def test_a_city_without_coordinates_is_an_error_on_the_distance(personas, funding):
    personas.partner_org.city_geonameid = None
    personas.partner_org.save(update_fields=["city_geonameid"])
    with pytest.raises(ValidationFailed) as error:
        services.grant_create(
            actor=personas.coordinator,
            mobility=make_mobility(personas),
            rule_set=funding.rule_set,
            budget=funding.budget,
        )
    assert "distance_override_km" in error.value.errors


def test_a_stale_grant_edit_is_refused(personas, grant):
    services.grant_update(
        actor=personas.coordinator, grant=grant, data={"green_travel": True}, expected_version=1
    )
    with pytest.raises(StaleVersion):
        services.grant_update(actor=personas.admin, grant=grant, data={"travel_days": 2}, expected_version=1)


def test_teachers_and_other_institutions_cannot_grant(personas, funding, mobility):
    for actor in (personas.teacher, personas.partner):
        with pytest.raises(PermissionDenied):
            services.grant_create(
                actor=actor, mobility=mobility, rule_set=funding.rule_set, budget=funding.budget
            )


def test_the_rule_set_in_force_is_frozen_and_changed_by_a_new_version(personas, funding):
    active = funding.rule_set.versions.get()
    assert active.status == RuleSetStatus.ACTIVE
    with pytest.raises(Conflict, match="frozen"):
        services.rule_set_version_update(actor=personas.admin, version=active, data=active.data)
    draft = services.rule_set_version_draft(actor=personas.admin, rule_set=funding.rule_set)
    data = copy.deepcopy(draft.data)
    data["activities"]["student-studies"]["components"][0]["rates"]["2"]["amount"] = "560"
    services.rule_set_version_update(actor=personas.admin, version=draft, data=data, note="Agency's new rate")
    services.rule_set_version_publish(actor=personas.admin, version=draft)
    active.refresh_from_db()
    assert (active.status, draft.status) == (RuleSetStatus.RETIRED, RuleSetStatus.ACTIVE)


def test_only_administrators_configure_rules(personas, funding):
    with pytest.raises(PermissionDenied):
        services.rule_set_version_draft(actor=personas.coordinator, rule_set=funding.rule_set)


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (lambda bands: bands[2].update(min_km=600), "distance_bands[2]"),
        (lambda bands: bands[2].update(min_km=450), "distance_bands[2]"),
        (lambda bands: bands.pop(3), "distance_bands[3]"),
        (lambda bands: bands[-1].update(max_km=20000), "distance_bands[6]"),
    ],
)
def test_a_draft_with_a_gapped_overlapping_or_missing_band_is_refused(personas, funding, change, rule):
    draft = services.rule_set_version_draft(actor=personas.admin, rule_set=funding.rule_set)
    data = copy.deepcopy(draft.data)
    change(data["distance_bands"])
    with pytest.raises(ValidationFailed) as error:
        services.rule_set_version_update(actor=personas.admin, version=draft, data=data)
    assert rule in error.value.errors["data"][0]
    assert RuleSetVersion.objects.get(pk=draft.pk).data == draft.data


def test_outsiders_see_no_grant_and_the_student_sees_theirs(personas, grant):
    assert not selectors.grants_for(user=personas.outsider).exists()
    assert not selectors.grants_for(user=personas.partner).exists()
    assert list(selectors.grants_for(user=personas.student)) == [grant]
    assert list(selectors.grants_for(user=personas.viewer)) == [grant]


def test_the_payment_schedule_follows_the_rules(grant):
    detail = selectors.grant_detail(grant)
    assert [payment.amount for payment in detail.schedule] == [Decimal("2203.20"), Decimal("550.80")]


def test_forecast_warns_before_over_commitment(personas, funding, grant):
    others = [
        make_mobility(personas, planned_start=date(2026, 9, 1), planned_end=date(2027, 6, 30))
        for _ in range(3)
    ]
    rows, costs = selectors.forecast(
        user=personas.coordinator,
        rule_set=funding.rule_set,
        budget_ids=[funding.budget.pk],
        chosen=others,
        charge_to=funding.budget.pk,
    )
    # 303 days = 10 months + 3 days: 5454 each, 16362 for three; 17246 left.
    assert all(cost == Decimal("5454.00") for cost, _ in costs.values())
    assert rows[0].remaining == Decimal("884.00")
    assert rows[0].warning and not rows[0].over


def test_recalculations_are_recorded_only_when_something_changed(personas, grant):
    services.grant_recalculate(grant=grant, reason="nothing new")
    assert not GrantRecalculation.objects.exists()
