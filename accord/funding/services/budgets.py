"""Funders, their programmes, budgets and allocations, written by the institution's managers."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accord.core.concurrency import save_changes
from accord.core.errors import ValidationFailed
from accord.funding.choices import BudgetScope, FunderKind, GrantStatus
from accord.funding.models import Allocation, Budget, Funder, FundingProgramme
from accord.funding.querysets import FundingAction
from accord.funding.services._common import require
from accord.reference.currencies import is_currency


@transaction.atomic
def funder_create(*, actor, organisation_id: int, name: str, kind: str, country_code: str = "") -> Funder:
    require(actor, FundingAction.MANAGE, organisation_id)
    if kind not in FunderKind.values:
        raise ValidationFailed({"kind": _("Choose one of the kinds of funder.")})
    if not name.strip():
        raise ValidationFailed({"name": _("The funder needs a name.")})
    return Funder.objects.create(
        organisation_id=organisation_id,
        name=name.strip(),
        kind=kind,
        country_code=country_code,
        updated_by=actor,
    )


@transaction.atomic
def programme_create(*, actor, funder: Funder, name: str) -> FundingProgramme:
    require(actor, FundingAction.MANAGE, funder.organisation_id)
    return FundingProgramme.objects.create(
        organisation_id=funder.organisation_id, funder=funder, name=name.strip(), updated_by=actor
    )


def _check_budget(*, amount: Decimal, currency: str, starts_on: date | None, ends_on: date | None) -> None:
    errors = {}
    if amount < 0:
        errors["amount"] = _("A budget cannot be negative.")
    if not is_currency(currency):
        errors["currency"] = _("%(code)s is not an ISO 4217 currency code.") % {"code": currency}
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The funding cannot end before it starts.")
    if errors:
        raise ValidationFailed(errors)


@transaction.atomic
def budget_create(
    *,
    actor,
    funder: Funder,
    name: str,
    year: int,
    amount: Decimal,
    currency: str = "EUR",
    programme: FundingProgramme | None = None,
    partnership=None,
    scope: str = BudgetScope.PROGRAMME,
    reference: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Budget:
    require(actor, FundingAction.MANAGE, funder.organisation_id)
    _check_budget(amount=amount, currency=currency, starts_on=starts_on, ends_on=ends_on)
    return Budget.objects.create(
        organisation_id=funder.organisation_id,
        funder=funder,
        programme=programme,
        partnership=partnership,
        scope=scope,
        name=name,
        reference=reference,
        year=year,
        currency=currency,
        amount=amount,
        starts_on=starts_on,
        ends_on=ends_on,
        updated_by=actor,
    )


def committed_on(budget: Budget) -> Decimal:
    """What the budget's grants commit (cancelled grants release theirs)."""
    total = budget.shares.filter(grant__status=GrantStatus.COMMITTED).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


@transaction.atomic
def budget_update(*, actor, budget: Budget, data: dict, expected_version: int | None = None) -> Budget:
    """Change a budget's name, amount, dates or reference; never below what is already committed."""
    require(actor, FundingAction.MANAGE, budget.organisation_id)
    changed = save_changes(
        budget,
        data,
        actor=actor,
        expected_version=expected_version,
        editable=("name", "amount", "reference", "starts_on", "ends_on", "year"),
    )
    if changed:
        _check_budget(
            amount=budget.amount, currency=budget.currency, starts_on=budget.starts_on, ends_on=budget.ends_on
        )
        committed = committed_on(budget)
        if budget.amount < committed:
            raise ValidationFailed(
                {
                    "amount": _("%(committed)s is already committed on this budget: it cannot be less.")
                    % {"committed": committed}
                }
            )
    return budget


@transaction.atomic
def allocation_create(*, actor, budget: Budget, label: str, amount: Decimal) -> Allocation:
    require(actor, FundingAction.MANAGE, budget.organisation_id)
    allocated = budget.allocations.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if amount <= 0:
        raise ValidationFailed({"amount": _("An allocation must be more than zero.")})
    if allocated + amount > budget.amount:
        raise ValidationFailed(
            {
                "amount": _("The allocations would exceed the budget of %(amount)s %(currency)s.")
                % {"amount": budget.amount, "currency": budget.currency}
            }
        )
    return Allocation.objects.create(budget=budget, label=label, amount=amount, updated_by=actor)
