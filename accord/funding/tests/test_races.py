"""Funding under real overlap (threads released together, on PostgreSQL): two payments that each fit
but together pass the grant record one; two grants that each fit but together over-commit the
budget commit one."""

from datetime import date
from decimal import Decimal

import pytest

from accord.core.errors import ValidationFailed
from accord.funding import services
from accord.funding.models import Budget, Grant, Payment
from accord.funding.tests.conftest import make_mobility
from accord.mobilities.models import Mobility
from accord.testing.races import race, require_parallel_database

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 5


@pytest.fixture(autouse=True)
def parallel_database():
    require_parallel_database()


def test_two_payments_never_pass_the_grant(personas, grant):
    for _ in range(TRIES):
        Payment.objects.all().delete()

        def pay(label):
            def run():
                return services.payment_record(
                    actor=personas.coordinator,
                    grant=Grant.objects.get(pk=grant.pk),
                    amount=Decimal("1500.00"),
                    paid_on=date(2026, 8, 20),
                    label=label,
                )

            return run

        outcomes = race(pay("a"), pay("b"))
        assert sorted(outcome.ok for outcome in outcomes) == [False, True], [o.error for o in outcomes]
        loser = next(outcome for outcome in outcomes if not outcome.ok)
        assert isinstance(loser.error, ValidationFailed) and "amount" in loser.error.errors
        assert Payment.objects.count() == 1


def test_two_grants_never_over_commit_a_budget(personas, funding):
    services.budget_update(actor=personas.admin, budget=funding.budget, data={"amount": Decimal("4000")})
    for _ in range(TRIES):
        Grant.objects.all().delete()
        first, second = make_mobility(personas), make_mobility(personas)

        def grant(mobility_pk):
            def run():
                return services.grant_create(
                    actor=personas.coordinator,
                    mobility=Mobility.objects.get(pk=mobility_pk),
                    rule_set=funding.rule_set,
                    budget=Budget.objects.get(pk=funding.budget.pk),
                )

            return run

        outcomes = race(grant(first.pk), grant(second.pk))
        assert sorted(outcome.ok for outcome in outcomes) == [False, True], [o.error for o in outcomes]
        assert Grant.objects.count() == 1
