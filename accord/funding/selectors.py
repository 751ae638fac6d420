"""Every read of funding, scoped to the acting user (see ``querysets``)."""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accord.algorithms.funding import forecast as core_forecast
from accord.algorithms.funding.calculate import GrantError, MobilityInput, calculate
from accord.algorithms.funding.rules import RuleSet as CoreRuleSet
from accord.algorithms.funding.rules import RuleSetError, parse_rule_set
from accord.algorithms.funding.shares import ScheduledPayment, schedule
from accord.algorithms.funding.shipped import shipped_keys, shipped_rule_set
from accord.core.errors import NotFound, PermissionDenied, ValidationFailed
from accord.funding.calculation import activity_for, distance_between, mobility_dates, rules_of
from accord.funding.choices import GrantStatus, RuleSetStatus
from accord.funding.models import (
    Budget,
    Funder,
    FundingProgramme,
    Grant,
    GrantShare,
    Payment,
    RuleSet,
    RuleSetVersion,
)
from accord.funding.querysets import FundingAction, funding_may, organisations_for
from accord.mobilities.models import Mobility

CENT = Decimal("0.01")
ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))


def _sum_of(queryset: QuerySet, field: str = "amount") -> Subquery:
    return Subquery(
        queryset.order_by()
        .values(queryset.model._meta.get_field("budget").attname)
        .annotate(total=Sum(field))
        .values("total")[:1],
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def annotated(record: Any, name: str) -> Decimal:
    """A sum the queryset annotated (the stubs do not know the annotation)."""
    value: Decimal = getattr(record, name)
    # SQLite's SUM drops trailing zeros; amounts are shown to the cent everywhere.
    return Decimal(value).quantize(CENT)


@dataclass(frozen=True)
class BudgetPosition:
    budget: Budget
    committed: Decimal
    paid: Decimal

    @property
    def amount(self) -> Decimal:
        return self.budget.amount

    @property
    def remaining(self) -> Decimal:
        """What can still be committed."""
        return self.budget.amount - self.committed


def budgets_for(*, user, action: str = FundingAction.VIEW) -> QuerySet[Budget]:
    committed = GrantShare.objects.filter(budget=OuterRef("pk"), grant__status=GrantStatus.COMMITTED)
    paid = Payment.objects.filter(budget=OuterRef("pk"))
    return (
        Budget.objects.for_user(user, action)
        .select_related("funder", "programme", "partnership")
        .annotate(committed=Coalesce(_sum_of(committed), ZERO), paid=Coalesce(_sum_of(paid), ZERO))
        .order_by("-year", "name", "pk")
    )


def budget_positions(*, user, action: str = FundingAction.VIEW) -> list[BudgetPosition]:
    return [
        BudgetPosition(b, annotated(b, "committed"), annotated(b, "paid"))
        for b in budgets_for(user=user, action=action)
    ]


def get_budget_for_user(*, user, pk: int, action: str = FundingAction.VIEW) -> BudgetPosition:
    budget = budgets_for(user=user).filter(pk=pk).first()
    if budget is None:
        raise NotFound("No such budget.")
    if action != FundingAction.VIEW and not funding_may(user, action, budget.organisation_id):
        raise PermissionDenied("You may see this budget but not change it.")
    return BudgetPosition(budget, annotated(budget, "committed"), annotated(budget, "paid"))


def funders_for(*, user, action: str = FundingAction.VIEW) -> QuerySet[Funder]:
    return Funder.objects.for_user(user, action)


def programmes_for(*, user, action: str = FundingAction.VIEW) -> QuerySet[FundingProgramme]:
    return FundingProgramme.objects.for_user(user, action).select_related("funder")


def rule_sets_for(*, user, action: str = FundingAction.VIEW) -> QuerySet[RuleSet]:
    return (
        RuleSet.objects.for_user(user, action)
        .select_related("programme__funder")
        .prefetch_related("versions")
    )


def get_rule_set_for_user(*, user, pk: int, action: str = FundingAction.VIEW) -> RuleSet:
    rule_set = rule_sets_for(user=user).filter(pk=pk).first()
    if rule_set is None:
        raise NotFound("No such rule set.")
    if action != FundingAction.VIEW and not funding_may(user, action, rule_set.organisation_id):
        raise PermissionDenied("Only the institution's administrators can change grant rules.")
    return rule_set


def get_rule_set_version_for_user(*, user, pk: int, action: str = FundingAction.VIEW) -> RuleSetVersion:
    version = (
        RuleSetVersion.objects.filter(rule_set__in=RuleSet.objects.for_user(user))
        .select_related("rule_set__programme__funder")
        .filter(pk=pk)
        .first()
    )
    if version is None:
        raise NotFound("No such version.")
    if action != FundingAction.VIEW and not funding_may(user, action, version.rule_set.organisation_id):
        raise PermissionDenied("Only the institution's administrators can change grant rules.")
    return version


def active_rule_sets(*, user, organisation_id: int | None = None) -> QuerySet[RuleSet]:
    queryset = rule_sets_for(user=user, action=FundingAction.MANAGE).filter(
        versions__status=RuleSetStatus.ACTIVE
    )
    if organisation_id is not None:
        queryset = queryset.filter(organisation_id=organisation_id)
    return queryset.distinct()


def grants_for(*, user, action: str = FundingAction.VIEW) -> QuerySet[Grant]:
    paid = Payment.objects.filter(grant=OuterRef("pk")).order_by().values("grant").annotate(t=Sum("amount"))
    return (
        Grant.objects.for_user(user, action)
        .select_related(
            "mobility__participant",
            "mobility__receiving_organisation",
            "mobility__sending_organisation",
            "budget__funder",
            "rule_set_version__rule_set",
        )
        .annotate(paid=Coalesce(Subquery(paid.values("t")[:1]), ZERO))
    )


def get_grant_for_user(*, user, pk: int, action: str = FundingAction.VIEW) -> Grant:
    grant = grants_for(user=user).filter(pk=pk).first()
    if grant is None:
        raise NotFound("No such grant.")
    if action != FundingAction.VIEW and not funding_may(user, action, grant.organisation_id):
        raise PermissionDenied("You may see this grant but not change it.")
    return grant


def grant_for_mobility(*, user, mobility_id: int) -> Grant | None:
    return grants_for(user=user).filter(mobility_id=mobility_id).first()


@dataclass(frozen=True)
class GrantDetail:
    grant: Grant
    shares: list[GrantShare]
    payments: list[Payment]
    recalculations: list[Any]
    paid: Decimal
    schedule: list[ScheduledPayment]

    @property
    def balance(self) -> Decimal:
        """Still to pay (negative: to recover)."""
        return self.grant.total - self.paid


def grant_detail(grant: Grant) -> GrantDetail:
    payments = list(grant.payments.select_related("budget"))
    rules = rules_of(grant.rule_set_version)
    return GrantDetail(
        grant=grant,
        shares=list(grant.shares.select_related("budget__funder")),
        payments=payments,
        recalculations=list(grant.recalculations.all()),
        paid=sum((payment.amount for payment in payments), Decimal(0)),
        schedule=schedule(grant.total, rules.payment_schedule),
    )


def mobilities_to_fund(*, user) -> QuerySet[Mobility]:
    """Mobilities of the user's institutions (as the sender) that have no grant yet."""
    allowed = organisations_for(user, FundingAction.MANAGE)
    queryset = Mobility.objects.filter(grant__isnull=True).exclude(status="cancelled")
    if allowed is not None:
        queryset = queryset.filter(sending_organisation_id__in=allowed)
    return queryset.select_related("participant", "sending_organisation", "receiving_organisation")


def estimate(rule_set: RuleSet, mobility: Mobility) -> tuple[Decimal | None, str]:
    """What ``mobility`` would cost under ``rule_set`` (None and the reason when it cannot be said)."""
    version = rule_set.versions.filter(status=RuleSetStatus.ACTIVE).first()
    if version is None:
        return None, "no version in force"
    rules = rules_of(version)
    start, end = mobility_dates(mobility)
    try:
        km = distance_between(mobility.sending_organisation, mobility.receiving_organisation)
    except ValidationFailed as error:
        return None, error.message
    country = mobility.receiving_organisation.country_code
    try:
        result = calculate(
            rules,
            MobilityInput(
                activity=activity_for(mobility),
                start=start,
                end=end,
                distance_km=km,
                country_group=rules.group_of(country) or "*",
                destination_country=country,
            ),
        )
    except GrantError as error:
        return None, error.message
    return result.total, ""


def forecast(
    *, user, rule_set: RuleSet, budget_ids: Iterable[int], chosen: Iterable[Mobility], charge_to: int
) -> tuple[list[core_forecast.ForecastRow], dict[int, tuple[Decimal | None, str]]]:
    """The cost of the chosen mobilities (applicants being selected) charged to ``charge_to``, against
    every budget of ``budget_ids``: remaining money, a warning near the limit, over-commitment."""
    costs = {mobility.pk: estimate(rule_set, mobility) for mobility in chosen}
    chosen_total = sum((cost for cost, _reason in costs.values() if cost is not None), Decimal(0))
    positions = [
        core_forecast.BudgetPosition(str(b.pk), b.amount, annotated(b, "committed"), annotated(b, "paid"))
        for b in budgets_for(user=user).filter(pk__in=list(budget_ids))
    ]
    return core_forecast.forecast(positions, {str(charge_to): chosen_total}), costs


def runways(*, user, today: date) -> list[tuple[Budget, core_forecast.Runway]]:
    """Per budget with an end date: the money not yet paid against what its grants still have to pay
    for stays starting before the funding ends."""
    budgets = list(budgets_for(user=user).filter(ends_on__isnull=False))
    planned: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    shares = GrantShare.objects.filter(budget__in=budgets, grant__status=GrantStatus.COMMITTED).values_list(
        "budget_id", "grant__start", "amount"
    )
    for budget_id, start, amount in shares:
        planned[budget_id].append((start, amount))
    return [
        (
            budget,
            core_forecast.runway(
                budget.amount - annotated(budget, "paid"),
                _unpaid(planned[budget.pk], annotated(budget, "paid")),
                budget.ends_on,
            ),
        )
        for budget in budgets
    ]


def _unpaid(planned: list[tuple[date, Decimal]], paid: Decimal) -> list[tuple[date, Decimal]]:
    """The commitments not covered by what was paid, earliest stays paid first."""
    left = paid
    unpaid = []
    for day, amount in sorted(planned):
        covered = min(left, amount)
        left -= covered
        if amount - covered:
            unpaid.append((day, amount - covered))
    return unpaid


def rule_set_by_key(key: str) -> CoreRuleSet:
    """Rules by key for scripts: a shipped rule set (``erasmus-ka131-2024``), else one stored by an
    institution under that key (its version in force), else a path to a rule-set JSON file."""
    if key in shipped_keys():
        return shipped_rule_set(key)
    stored = (
        RuleSetVersion.objects.filter(rule_set__key=key, status=RuleSetStatus.ACTIVE).order_by("pk").first()
    )
    if stored is not None:
        return rules_of(stored)
    path = Path(key)
    if not path.is_file():
        raise RuleSetError(
            "rules", f"No rule set {key!r}: give one of {', '.join(shipped_keys())} or a JSON file."
        )
    try:
        return parse_rule_set(json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RuleSetError("rules", f"{key} is not a JSON rule set: {error}") from error


REPORT_DIMENSIONS = {
    "funder": ("budget__funder__name", "budget__funder__name"),
    "programme": ("budget__programme__name", "budget__programme__name"),
    "partner": (
        "grant__mobility__receiving_organisation__name",
        "grant__mobility__receiving_organisation__name",
    ),
    "country": (
        "grant__mobility__receiving_organisation__country_code",
        "grant__mobility__receiving_organisation__country_code",
    ),
    "year": ("budget__year", "budget__year"),
}


@dataclass(frozen=True)
class ReportRow:
    key: str
    currency: str
    committed: Decimal
    paid: Decimal

    @property
    def to_pay(self) -> Decimal:
        return self.committed - self.paid


def report(*, user, by: str) -> list[ReportRow]:
    """Commitments (the shares of grants in force) and payments grouped by funder, programme,
    partner, country or year, per currency; two grouped queries whatever the number of grants."""
    share_key, payment_key = REPORT_DIMENSIONS.get(by, REPORT_DIMENSIONS["funder"])
    allowed = organisations_for(user, FundingAction.VIEW)
    shares = GrantShare.objects.filter(grant__status=GrantStatus.COMMITTED)
    payments = Payment.objects.all()
    if allowed is not None:
        shares = shares.filter(grant__organisation_id__in=allowed)
        payments = payments.filter(grant__organisation_id__in=allowed)
    committed = {
        (row[share_key], row["budget__currency"]): row["total"]
        for row in shares.values(share_key, "budget__currency").annotate(total=Sum("amount")).order_by()
    }
    paid = {
        (row[payment_key], row["budget__currency"]): row["total"]
        for row in payments.values(payment_key, "budget__currency").annotate(total=Sum("amount")).order_by()
    }
    keys = sorted(set(committed) | set(paid), key=lambda item: (str(item[0] or ""), item[1]))
    return [
        ReportRow(
            str(key if key is not None else "—"),
            currency,
            Decimal(committed.get((key, currency), 0)).quantize(CENT),
            Decimal(paid.get((key, currency), 0)).quantize(CENT),
        )
        for key, currency in keys
    ]
