"""A partnership's objectives as evaluation tracks them: each indicator's figures by year (computed
from the library where the indicator is bound to a definition, entered by hand with their evidence
otherwise), its target, progress, status by the stated rule and trend."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch

from accord.algorithms.evaluation.status import (
    TrackStatus,
    Trend,
    expected_share,
    track_status,
    trend,
)
from accord.evaluation.library import Context, Definition, Period, Scope, ScopeKind, compute, get
from accord.evaluation.models import IndicatorBinding
from accord.partnerships.choices import MemberRole
from accord.partnerships.models import Indicator, IndicatorActual, Objective, Partnership
from accord.partnerships.progress import progress_fraction


@dataclass
class Point:
    year: int
    value: Decimal | None
    computed: bool
    actual: IndicatorActual | None = None


@dataclass
class Tracked:
    indicator: Indicator
    binding: IndicatorBinding | None
    definition: Definition | None
    points: list[Point] = field(default_factory=list)
    target: Decimal | None = None
    target_year: int | None = None
    progress: float | None = None
    status: TrackStatus = TrackStatus.NOT_MEASURED
    trend: Trend | None = None
    unavailable: str = ""

    @property
    def latest(self) -> Point | None:
        measured = [point for point in self.points if point.value is not None]
        return measured[-1] if measured else None


def _objectives(partnership: Partnership):
    return Objective.objects.filter(partnership=partnership).prefetch_related(
        Prefetch(
            "indicators",
            Indicator.objects.select_related("evaluation_binding").prefetch_related(
                "targets", Prefetch("actuals", IndicatorActual.objects.select_related("evidence"))
            ),
        )
    )


def tracked_objectives(*, partnership: Partnership, today: date) -> list[tuple[Objective, list[Tracked]]]:
    objectives = list(_objectives(partnership))
    bindings = [
        getattr(indicator, "evaluation_binding", None)
        for objective in objectives
        for indicator in objective.indicators.all()
    ]
    bound = [b for b in bindings if b is not None and b.definition]
    context = None
    if bound:
        home = next(
            (m.organisation_id for m in partnership.members.all() if m.role == MemberRole.COORDINATOR), None
        )
        first = min(b.first_year for b in bound)
        context = Context(
            scope=Scope(ScopeKind.PARTNERSHIP, partnership.pk, home, partnership.title),
            period=Period(first, max(first, today.year)),
        )
    result = []
    for objective in objectives:
        result.append(
            (objective, [_track(indicator, context, today) for indicator in objective.indicators.all()])
        )
    return result


def _track(indicator: Indicator, context: Context | None, today: date) -> Tracked:
    binding = getattr(indicator, "evaluation_binding", None)
    definition = get(binding.definition) if binding and binding.definition else None
    tracked = Tracked(indicator=indicator, binding=binding, definition=definition)
    actuals = {actual.year: actual for actual in indicator.actuals.all()}
    if binding is not None and definition is not None and context is not None:
        figure = compute(definition, context)
        if figure is None:
            tracked.unavailable = definition.unavailable_reason()
        else:
            years = range(binding.first_year, min(binding.last_year, today.year) + 1)
            tracked.points = [
                Point(year, figure.by_year.get(year), True, actuals.get(year)) for year in years
            ]
    else:
        tracked.points = [
            Point(year, actual.value, False, actual) for year, actual in sorted(actuals.items())
        ]
    targets = sorted(indicator.targets.all(), key=lambda target: target.year)
    if binding is not None:
        chosen = next((t for t in targets if t.year == binding.last_year), None) or (
            targets[-1] if targets else None
        )
    else:
        chosen = targets[-1] if targets else None
    if chosen is not None:
        tracked.target, tracked.target_year = chosen.target_value, chosen.year
    latest = tracked.latest
    tracked.progress = progress_fraction(
        direction=indicator.direction,
        baseline=indicator.baseline_value,
        target=tracked.target,
        actual=latest.value if latest else None,
    )
    start = (
        binding.first_year
        if binding
        else (indicator.baseline_year or (targets[0].year if targets else today.year))
    )
    end = binding.last_year if binding else (tracked.target_year or start)
    expected = expected_share(
        year=latest.year if latest else today.year, start_year=start, target_year=max(start, end)
    )
    tracked.status = track_status(tracked.progress, expected)
    tracked.trend = trend(
        [(p.year, p.value) for p in tracked.points if p.value is not None], indicator.direction
    )
    return tracked
