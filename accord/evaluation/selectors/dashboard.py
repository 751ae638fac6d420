"""A dashboard's data: the figures of the library for one scope and period, the time series, the
flows between countries and the breakdowns. A fixed number of queries whatever the data: each
aggregate runs once (``library.aggregates``) and every indicator reads from those."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from accord.algorithms.evaluation.flows import CountryFlow
from accord.evaluation.library import (
    Context,
    Definition,
    Figure,
    Period,
    Scope,
    aggregates,
    compute,
    definitions,
)
from accord.mobilities.filters import MobilityFilter
from accord.reference.academic_years import AcademicYear
from accord.reference.countries import country_name

BREAKDOWNS = ("mobility.by_type", "mobility.by_level", "mobility.by_field", "mobility.gender")
HEADLINES = (
    "mobility.participants",
    "mobility.outgoing",
    "mobility.incoming",
    "mobility.months",
    "mobility.reciprocity",
    "agreements.quota_utilisation",
    "mobility.recognition_rate",
    "mobility.virtual_blended",
    "mobility.gender",
    "flows.south_south",
    "scholarships.dac_students",
    "bips.participants",
    "participants.fewer_opportunities",
    "travel.green_share",
    "funding.budget_absorption",
    "funding.average_grant",
    "virtual_exchange.participants",
    "courses.joint_programmes",
)


@dataclass(frozen=True)
class Shown:
    """One indicator as a page shows it: its definition and its figure, or why there is none."""

    definition: Definition
    figure: Figure | None

    @property
    def message(self) -> str:
        if self.figure is None:
            return self.definition.unavailable_reason()
        if self.figure.value is None:
            return _("No data for this period: nothing was recorded that this indicator counts.")
        return ""


@dataclass
class Dashboard:
    scope: Scope
    period: Period
    filters: MobilityFilter
    indicators: list[Shown] = field(default_factory=list)
    series: list[dict] = field(default_factory=list)
    flows: list[CountryFlow] = field(default_factory=list)
    breakdowns: list[Shown] = field(default_factory=list)
    reciprocity: Shown | None = None

    @property
    def empty(self) -> bool:
        return not any(row["total"] for row in self.series)


def _series(ctx: Context) -> list[dict]:
    totals: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in aggregates.yearly(ctx):
        totals[row["year"]][row["direction"]] += row["people"]
        totals[row["year"]]["months"] += row["months"] or 0
    return [
        {
            "year": year,
            "label": AcademicYear(year).label,
            "out": int(totals[year]["out"]),
            "in": int(totals[year]["in"]),
            "other": int(totals[year]["other"]),
            "total": int(totals[year]["out"] + totals[year]["in"] + totals[year]["other"]),
            "months": totals[year]["months"],
        }
        for year in ctx.period.years
    ]


def _shown(keys, ctx: Context) -> list[Shown]:
    library = {definition.key: definition for definition in definitions()}
    return [
        Shown(library[key], compute(library[key], ctx))
        for key in keys
        if key in library and ctx.scope.kind in library[key].scopes
    ]


def dashboard(*, user, scope: Scope, period: Period, filters: MobilityFilter | None = None) -> Dashboard:
    ctx = Context(scope=scope, period=period, filters=filters or MobilityFilter(), user=user)
    result = Dashboard(scope=scope, period=period, filters=ctx.filters)
    result.indicators = _shown(HEADLINES, ctx)
    result.series = _series(ctx)
    result.flows = [
        CountryFlow(row["origin"] or "", row["destination"] or "", row["people"])
        for row in aggregates.country_flows(ctx)
    ]
    result.breakdowns = _shown(BREAKDOWNS, ctx)
    reciprocity = _shown(("mobility.reciprocity",), ctx)
    result.reciprocity = reciprocity[0] if reciprocity else None
    return result


def library_figures(*, user, scope: Scope, period: Period) -> list[Shown]:
    """Every indicator of the library over the scope (the API and the exports)."""
    ctx = Context(scope=scope, period=period, user=user)
    return _shown([definition.key for definition in definitions()], ctx)


def country_label(code: str) -> str:
    return country_name(code) if code else _("Not recorded")
