"""The indicator library computed over a partnership and an institution: the figures, no data is not
zero, pending domains say so, and the number of queries does not grow with the data."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.algorithms.evaluation.health import HealthWarning, Severity, WarningCode
from accord.evaluation import health_sources, selectors
from accord.evaluation.library import (
    Context,
    Figure,
    Period,
    Scope,
    ScopeKind,
    compute,
    definitions,
    get,
    provide,
    registry,
)
from accord.evaluation.tests.conftest import add_mobilities
from accord.mobilities.choices import MobilityStatus, MobilityType
from accord.mobilities.models import GradingScale, RecognisedComponent, Transcript, TranscriptEntry

pytestmark = pytest.mark.django_db


def _context(world, kind=ScopeKind.PARTNERSHIP, first=2023, last=2025):
    pk = world["partnership"].pk if kind == ScopeKind.PARTNERSHIP else world["home"].pk
    return Context(scope=Scope(kind, pk, world["home"].pk), period=Period(first, last))


def _value(key, ctx):
    return compute(get(key), ctx)


def test_every_indicator_has_a_written_definition_and_a_domain():
    keys = {definition.key for definition in definitions()}
    assert {"mobility.reciprocity", "agreements.quota_utilisation", "funding.average_grant"} <= keys
    for definition in definitions():
        assert str(definition.counted) and str(definition.counts_when) and str(definition.source)


def test_counts_directions_months_and_shares(world):
    outgoing = add_mobilities(world, 4, year=2024)
    add_mobilities(world, 2, year=2024, incoming=True)
    add_mobilities(world, 1, year=2023, mobility_type=MobilityType.VIRTUAL)
    add_mobilities(world, 1, year=2024, status=MobilityStatus.CANCELLED)
    RecognisedComponent.objects.create(mobility=outgoing[0], title="Chemistry", credits=Decimal(15))
    scale = GradingScale.objects.create(organisation=world["partner"], name="Kenyan", passing_grades=["A"])
    transcript = Transcript.objects.create(mobility=outgoing[0], scale=scale, issued_on=date(2025, 3, 1))
    TranscriptEntry.objects.create(transcript=transcript, title="Chemistry", credits=Decimal(15), grade="A")
    TranscriptEntry.objects.create(
        transcript=transcript, title="Physics", credits=Decimal(5), grade="F", passed=False
    )
    ctx = _context(world)
    assert _value("mobility.participants", ctx).value == 7
    assert _value("mobility.participants", ctx).by_year == {2023: 1, 2024: 6}
    assert _value("mobility.outgoing", ctx).value == 5
    assert _value("mobility.incoming", ctx).value == 2
    assert _value("mobility.months", ctx).value == 35
    assert _value("mobility.reciprocity", ctx).value == Decimal("0.4")
    assert _value("mobility.virtual_blended", ctx).value == Decimal("14.2857")
    assert _value("agreements.quota_utilisation", ctx).by_year[2024] == Decimal("120")
    assert _value("scholarships.dac_students", ctx).value == 2, "the two Kenyan incoming students"
    assert _value("flows.south_south", ctx).value == 0
    recognition = _value("mobility.recognition_rate", ctx)
    assert recognition.value == Decimal("7.1429"), "15 of 210 credits planned"
    assert _value("mobility.grade_pass_rate", ctx).value == Decimal("75")
    gender = _value("mobility.gender", ctx)
    assert gender.value is not None and gender.breakdown


def test_no_data_is_not_zero_and_a_missing_domain_says_which(world):
    ctx = _context(world, first=2010, last=2011)
    assert _value("mobility.participants", ctx).value is None
    assert _value("mobility.recognition_rate", ctx).value is None
    assert _value("funding.average_grant", ctx).value is None
    assert _value("courses.joint_programmes", ctx) is None
    reason = get("courses.joint_programmes").unavailable_reason()
    assert reason == (
        "This indicator needs the joint programmes and courses domain, which this installation does not"
        " have yet."
    )
    assert "by hand" in get("projects.publications").unavailable_reason()


def test_a_period_that_runs_backwards_is_refused():
    with pytest.raises(ValueError, match="ends"):
        Period(2026, 2024)


@pytest.mark.parametrize("kind", [ScopeKind.PARTNERSHIP, ScopeKind.INSTITUTION])
def test_the_dashboard_runs_the_same_queries_for_little_and_much_data(world, kind):
    add_mobilities(world, 2)
    scope, _record = selectors.scope_for_user(
        user=world["coordinator"],
        kind=kind,
        pk=world["partnership" if kind == ScopeKind.PARTNERSHIP else "home"].pk,
    )
    with CaptureQueriesContext(connection) as few:
        selectors.dashboard(user=world["coordinator"], scope=scope, period=Period(2023, 2025))
    add_mobilities(world, 12, year=2023, incoming=True)
    with CaptureQueriesContext(connection) as many:
        data = selectors.dashboard(user=world["coordinator"], scope=scope, period=Period(2023, 2025))
    assert len(many) == len(few) <= 16
    assert sum(row["total"] for row in data.series) == 14


def test_a_domain_that_lands_provides_its_indicator_and_its_health_warnings(world, monkeypatch):
    monkeypatch.setattr(registry, "_LIBRARY", dict(registry._LIBRARY))
    provide("funding.average_grant", lambda ctx: Figure(Decimal("1520.00")))
    assert _value("funding.average_grant", _context(world)).value == Decimal("1520.00")

    monkeypatch.setattr(health_sources, "_SOURCES", {})
    assert len(health_sources.pending_checks()) == 2

    def surveys(ids, today):
        return {pk: [HealthWarning(WarningCode.SURVEY_FALLING, Severity.MEDIUM)] for pk in ids}

    health_sources.register_health_source(WarningCode.SURVEY_FALLING, surveys)
    assert health_sources.pending_checks() == ["Funding ending: needs the funding domain, not installed yet."]
    [item] = selectors.health_of(partnerships=[world["partnership"]], today=date(2026, 12, 8))
    assert WarningCode.SURVEY_FALLING in [w.code for w in item.assessment.warnings]
