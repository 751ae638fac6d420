"""The computations of the indicators whose data other domains hold (``pending.py`` defines them):
funding's grants and budgets, and the virtual mobilities a completed virtual exchange records.

Evaluation sits above those domains, so it reads their models here; a domain below never imports
evaluation. Each figure comes from one grouped query memoised on the context, whatever indicators a
page shows, and a year with no record says "no data", never zero.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils.translation import gettext as _

from accord.algorithms.evaluation.arithmetic import share
from accord.algorithms.evaluation.health import HealthWarning, Severity, WarningCode
from accord.evaluation.health_sources import register_health_source
from accord.evaluation.library import aggregates
from accord.evaluation.library.registry import Figure, provide
from accord.evaluation.library.scope import Context, ScopeKind, year_of
from accord.funding.choices import GrantStatus
from accord.funding.models import Budget, Grant, GrantShare
from accord.mobilities.choices import MobilitySource, MobilityType
from accord.reference.dac import is_oda_recipient

ZERO = Decimal(0)
EUR = "EUR"


def _grant_facts(ctx: Context) -> list[dict]:
    """Per academic year, participant nationality and currency: grants, with the fewer-opportunities
    and green-travel top-ups, and their money."""

    def run() -> list[dict]:
        rows = (
            Grant.objects.filter(mobility__in=ctx.mobilities().values("pk"))
            .exclude(status=GrantStatus.CANCELLED)
            .values(
                "mobility__academic_year",
                "mobility__participant__participant_details__nationality",
                "currency",
            )
            .annotate(
                grants=Count("pk"),
                fewer=Count("pk", filter=Q(fewer_opportunities=True)),
                green=Count("pk", filter=Q(green_travel=True)),
                money=Sum("total"),
            )
            .order_by()
        )
        return [
            {
                "year": year_of(row["mobility__academic_year"]),
                "nationality": row["mobility__participant__participant_details__nationality"] or "",
                **row,
            }
            for row in rows
        ]

    return ctx.memo("grant_facts", run)


def _per_year(rows: list[dict], key: str, keep=lambda row: True) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        if keep(row):
            totals[row["year"]] += Decimal(row[key] or 0)
    return dict(sorted(totals.items()))


def _shares(part: dict[int, Decimal], whole: dict[int, Decimal]) -> Figure:
    by_year = {year: share(part.get(year, ZERO), total) for year, total in whole.items()}
    overall = share(sum(part.values(), ZERO), sum(whole.values(), ZERO)) if whole else None
    return Figure(overall, by_year)


def _participants(ctx: Context, keep=lambda row: True) -> dict[int, Decimal]:
    return _per_year(aggregates.by_year_and(ctx, "mobility_type"), "people", keep)


def fewer_opportunities(ctx: Context) -> Figure:
    return _shares(_per_year(_grant_facts(ctx), "fewer"), _participants(ctx))


def green_travel(ctx: Context) -> Figure:
    travelling = _participants(ctx, keep=lambda row: row["mobility_type"] != MobilityType.VIRTUAL)
    return _shares(_per_year(_grant_facts(ctx), "green"), travelling)


def average_grant(ctx: Context) -> Figure:
    in_euros = [row for row in _grant_facts(ctx) if row["currency"] == EUR]
    money, grants = _per_year(in_euros, "money"), _per_year(in_euros, "grants")
    by_year = {
        year: (money[year] / count).quantize(Decimal("0.01")) for year, count in grants.items() if count
    }
    total = sum(grants.values(), ZERO)
    overall = (sum(money.values(), ZERO) / total).quantize(Decimal("0.01")) if total else None
    others = len(_grant_facts(ctx)) - len(in_euros)
    note = _("Grants in other currencies than the euro are left out.") if others else ""
    return Figure(overall, by_year, note=note)


def dac_scholarships(ctx: Context) -> Figure:
    rows = [row for row in _grant_facts(ctx) if row["currency"] == EUR]
    by_year = _per_year(rows, "money", keep=lambda row: is_oda_recipient(row["nationality"]))
    if not rows:
        return Figure(None)
    return Figure(sum(by_year.values(), ZERO), by_year)


def _budgets(ctx: Context):
    years = ctx.period.years
    budgets = Budget.objects.filter(year__in=years)
    if ctx.scope.kind == ScopeKind.INSTITUTION:
        return budgets.filter(organisation_id=ctx.scope.pk)
    if ctx.scope.kind == ScopeKind.PARTNERSHIP:
        return budgets.filter(partnership_id=ctx.scope.pk)
    return None


def budget_absorption(ctx: Context) -> Figure:
    budgets = _budgets(ctx)
    if budgets is None:
        return Figure(None, note=_("Budgets belong to an institution or a partnership; choose one of them."))
    awarded = {
        row["year"]: row["amount"]
        for row in budgets.filter(currency=EUR).values("year").annotate(amount=Sum("amount")).order_by()
    }
    committed = {
        row["budget__year"]: row["amount"]
        for row in GrantShare.objects.filter(budget__in=budgets.filter(currency=EUR))
        .exclude(grant__status=GrantStatus.CANCELLED)
        .values("budget__year")
        .annotate(amount=Sum("amount"))
        .order_by()
    }
    return _shares({year: Decimal(amount or 0) for year, amount in committed.items()}, awarded)


def virtual_exchange_participants(ctx: Context) -> Figure:
    by_year = _per_year(
        aggregates.by_year_and(ctx, "source"),
        "people",
        keep=lambda row: row["source"] == MobilitySource.VIRTUAL_EXCHANGE,
    )
    return Figure(sum(by_year.values(), ZERO) if by_year else None, by_year)


FUNDING_WARNING_DAYS = 180


def funding_ending(partnership_ids: Sequence[int], today: date) -> dict[int, list[HealthWarning]]:
    """Partnerships whose last funding ends within six months: no budget of theirs runs later."""
    last_end: dict[int, date] = {}
    for row in (
        Budget.objects.filter(partnership_id__in=partnership_ids, ends_on__isnull=False)
        .values("partnership_id")
        .annotate(last=Max("ends_on"))
        .order_by()
    ):
        last_end[row["partnership_id"]] = row["last"]
    horizon = today + timedelta(days=FUNDING_WARNING_DAYS)
    return {
        pk: [
            HealthWarning(
                WarningCode.FUNDING_ENDING,
                Severity.HIGH if ends_on <= today + timedelta(days=60) else Severity.MEDIUM,
                {"ends_on": ends_on.isoformat()},
            )
        ]
        for pk, ends_on in last_end.items()
        if today <= ends_on <= horizon
    }


def provide_all() -> None:
    provide("participants.fewer_opportunities", fewer_opportunities)
    provide("travel.green_share", green_travel)
    provide("funding.average_grant", average_grant)
    provide("scholarships.dac_amount", dac_scholarships)
    provide("funding.budget_absorption", budget_absorption)
    provide("virtual_exchange.participants", virtual_exchange_participants)
    register_health_source(WarningCode.FUNDING_ENDING, funding_ending)
