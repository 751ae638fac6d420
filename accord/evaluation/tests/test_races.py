"""Bindings and evidence under real overlap (threads released together, on PostgreSQL): two people
binding the same indicator from pages opened before either saved make one binding, and the other is
told; the same for the evidence of one figure."""

from decimal import Decimal

import pytest

from accord.core.concurrency import StaleVersion
from accord.evaluation import services
from accord.evaluation.models import ActualEvidence, IndicatorBinding
from accord.partnerships.models import Indicator, IndicatorActual, Objective
from accord.testing.races import race, require_parallel_database

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def parallel_database():
    require_parallel_database()


def test_two_first_bindings_of_one_indicator_make_one(world):
    objective = Objective.objects.create(partnership=world["partnership"], title="More exchange")
    indicator = Indicator.objects.create(objective=objective, name="Outgoing", unit="students")

    def bind(last_year):
        def run():
            return services.indicator_binding_save(
                actor=world["coordinator"],
                indicator=Indicator.objects.get(pk=indicator.pk),
                definition="mobility.outgoing",
                first_year=2024,
                last_year=last_year,
                expected_version=0,
            )

        return run

    outcomes = race(bind(2027), bind(2028))
    assert sorted(outcome.ok for outcome in outcomes) == [False, True]
    assert isinstance(next(o.error for o in outcomes if not o.ok), StaleVersion)
    assert IndicatorBinding.objects.filter(indicator=indicator).count() == 1


def test_two_first_evidences_of_one_figure_make_one(world):
    objective = Objective.objects.create(partnership=world["partnership"], title="Papers")
    indicator = Indicator.objects.create(objective=objective, name="Joint papers", unit="papers")
    actual = IndicatorActual.objects.create(indicator=indicator, year=2024, value=Decimal(2))

    def attach(link):
        def run():
            return services.actual_evidence_save(
                actor=world["viewer"],
                actual=IndicatorActual.objects.get(pk=actual.pk),
                link=link,
                expected_version=0,
            )

        return run

    outcomes = race(attach("https://example.org/a"), attach("https://example.org/b"))
    assert sorted(outcome.ok for outcome in outcomes) == [False, True]
    assert ActualEvidence.objects.filter(actual=actual).count() == 1
