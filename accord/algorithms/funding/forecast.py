"""Budgets against commitments and the cost of applicants being selected, and the runway of a budget.

A forecast row warns when the chosen applicants would use more than ``warn_at`` of what is left and
refuses (``over``) when they would over-commit the budget.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

WARN_AT = Decimal("0.9")


@dataclass(frozen=True, slots=True)
class BudgetPosition:
    key: str
    amount: Decimal
    committed: Decimal
    paid: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class ForecastRow:
    key: str
    amount: Decimal
    committed: Decimal
    chosen: Decimal
    remaining: Decimal
    warning: bool
    over: bool


def forecast(
    budgets: Iterable[BudgetPosition], chosen_costs: Mapping[str, Decimal], *, warn_at: Decimal = WARN_AT
) -> list[ForecastRow]:
    """Each budget with the cost of the chosen applicants charged to it."""
    rows = []
    for budget in budgets:
        chosen = chosen_costs.get(budget.key, Decimal(0))
        available = budget.amount - budget.committed
        remaining = available - chosen
        rows.append(
            ForecastRow(
                budget.key,
                budget.amount,
                budget.committed,
                chosen,
                remaining,
                warning=chosen > 0 and chosen >= available * warn_at,
                over=remaining < 0,
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class Runway:
    remaining: Decimal
    planned: Decimal
    ends_on: date | None
    shortfall: Decimal

    @property
    def holds(self) -> bool:
        return self.shortfall == 0


def runway(remaining: Decimal, planned_costs: Iterable[tuple[date, Decimal]], ends_on: date | None) -> Runway:
    """Whether the money left covers the activity planned before the funding ends (what starts after
    ``ends_on`` cannot be charged to it and is not counted)."""
    planned = sum((cost for day, cost in planned_costs if ends_on is None or day <= ends_on), Decimal(0))
    return Runway(remaining, planned, ends_on, max(Decimal(0), planned - remaining))
