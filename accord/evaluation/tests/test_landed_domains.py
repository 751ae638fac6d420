"""The indicators and the health warning whose data funding and virtual exchange hold, computed on the
demo's records and checked against the same records counted another way."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Q

from accord.algorithms.evaluation.arithmetic import share
from accord.demo import data
from accord.demo.seed import seed_demo
from accord.evaluation import health_sources
from accord.evaluation.library import landed
from accord.evaluation.library.registry import compute, get
from accord.evaluation.library.scope import Context, Period, Scope, ScopeKind, year_of
from accord.funding.choices import GrantStatus
from accord.funding.models import Budget, Grant
from accord.mobilities.choices import MobilitySource, MobilityStatus
from accord.mobilities.models import Mobility
from accord.organisations.models import Organisation
from accord.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_home():
    seed_demo()
    spec = next(organisation for organisation in data.ORGANISATIONS if organisation.key == data.HOME_KEY)
    return Organisation.objects.get(schac_code=spec.schac_code)


def _context(home) -> Context:
    years = [year_of(label) for label in Mobility.objects.values_list("academic_year", flat=True)]
    return Context(
        scope=Scope(ScopeKind.INSTITUTION, home.pk, home.pk), period=Period(min(years), max(years))
    )


def _figure(key: str, ctx: Context):
    definition = get(key)
    assert definition is not None and definition.available, key
    return compute(definition, ctx)


def test_the_grants_give_the_funding_indicators(demo_home):
    ctx = _context(demo_home)
    counted = Mobility.objects.filter(
        Q(sending_organisation=demo_home) | Q(receiving_organisation=demo_home),
        academic_year__in=ctx.period.labels,
    ).exclude(status=MobilityStatus.CANCELLED)
    grants = Grant.objects.filter(mobility__in=counted).exclude(status=GrantStatus.CANCELLED)
    assert grants.exists()
    in_euros = grants.filter(currency="EUR")
    expected_average = (sum(grant.total for grant in in_euros) / in_euros.count()).quantize(Decimal("0.01"))
    assert _figure("funding.average_grant", ctx).value == expected_average
    fewer = _figure("participants.fewer_opportunities", ctx)
    assert fewer.value == share(grants.filter(fewer_opportunities=True).count(), counted.count())
    absorption = _figure("funding.budget_absorption", ctx)
    assert absorption.value is not None and absorption.value > 0


def test_the_virtual_exchanges_students_are_counted(demo_home):
    ctx = _context(demo_home)
    virtual = Mobility.objects.filter(
        Q(sending_organisation=demo_home) | Q(receiving_organisation=demo_home),
        source=MobilitySource.VIRTUAL_EXCHANGE,
        academic_year__in=ctx.period.labels,
    )
    assert virtual.exists()
    assert _figure("virtual_exchange.participants", ctx).value == virtual.count()


def test_funding_that_ends_soon_warns_and_later_funding_does_not(demo_home):
    budget = Budget.objects.filter(organisation=demo_home).first()
    assert budget is not None
    partnership = Partnership.objects.filter(members__organisation=demo_home).first()
    today = date(2026, 12, 8)
    Budget.objects.filter(pk=budget.pk).update(partnership=partnership, ends_on=today + timedelta(days=40))
    assert health_sources.pending_checks() == [
        "Survey results falling: needs the participant surveys domain, not installed yet."
    ]
    [warning] = landed.funding_ending([partnership.pk], today)[partnership.pk]
    assert warning.params == {"ends_on": (today + timedelta(days=40)).isoformat()}
    Budget.objects.filter(pk=budget.pk).update(ends_on=today + timedelta(days=400))
    assert landed.funding_ending([partnership.pk], today) == {}
