"""Who pays what of a grant (co-funding) and when it is paid (the payment schedule).

Co-funding rules are applied in order: a funder paying certain components takes those lines, then
fixed amounts (never more than what is left), then percentages of the total, and the funder marked
``remainder`` takes what is left, so the shares always add up to the grant to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from accord.algorithms.funding.calculate import Line
from accord.algorithms.funding.rules import Instalment

CENT = Decimal("0.01")
SHARE_KINDS = ("components", "fixed", "percent", "remainder")


class ShareError(ValueError):
    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"{rule}: {message}")
        self.rule = rule
        self.message = message


@dataclass(frozen=True, slots=True)
class ShareRule:
    """``funder`` pays the lines of ``components``, a ``fixed`` amount, a ``percent`` of the grant,
    or the ``remainder``."""

    funder: str
    kind: str
    value: Decimal = Decimal(0)
    components: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Share:
    funder: str
    amount: Decimal
    explanation: str


def split(lines: Sequence[Line], rules: Sequence[ShareRule]) -> list[Share]:
    """Each funder's share of the cash lines; with no rule, the first funder pays everything."""
    total = sum((line.amount for line in lines if line.cash), Decimal(0))
    if not rules:
        return []
    remainders = [rule for rule in rules if rule.kind == "remainder"]
    if len(remainders) != 1:
        raise ShareError("co_funding", "Exactly one funder must pay the remainder.")
    left = total
    shares: dict[str, tuple[Decimal, list[str]]] = {}

    def give(funder: str, amount: Decimal, why: str) -> None:
        before, reasons = shares.get(funder, (Decimal(0), []))
        shares[funder] = (before + amount, [*reasons, why])

    order = {"components": 0, "fixed": 1, "percent": 2, "remainder": 3}
    for index, rule in sorted(enumerate(rules), key=lambda item: order.get(item[1].kind, 9)):
        if rule.kind not in SHARE_KINDS:
            raise ShareError(f"co_funding[{index}]", f"{rule.kind!r} is not a way of sharing a grant.")
        if rule.kind == "components":
            amount = sum(
                (line.amount for line in lines if line.cash and line.component in rule.components), Decimal(0)
            )
            why = f"the {', '.join(rule.components)} lines"
        elif rule.kind == "fixed":
            if rule.value < 0:
                raise ShareError(f"co_funding[{index}]", "A fixed share cannot be negative.")
            amount = min(rule.value, left)
            why = f"a fixed {rule.value}" + (" (capped at what was left)" if amount < rule.value else "")
        elif rule.kind == "percent":
            if not 0 <= rule.value <= 100:
                raise ShareError(f"co_funding[{index}]", "A percentage share must be between 0 and 100.")
            amount = min((total * rule.value / 100).quantize(CENT, rounding=ROUND_HALF_UP), left)
            why = f"{rule.value}% of the grant"
        else:
            amount, why = left, "the remainder"
        left -= amount
        give(rule.funder, amount, why)
    if left < 0:
        raise ShareError("co_funding", "The shares add up to more than the grant.")
    return [Share(funder, amount, "; ".join(reasons)) for funder, (amount, reasons) in shares.items()]


@dataclass(frozen=True, slots=True)
class ScheduledPayment:
    label: str
    when: str
    amount: Decimal


def schedule(total: Decimal, instalments: Sequence[Instalment]) -> list[ScheduledPayment]:
    """The instalments of ``total``, each rounded to the cent, the last one taking what rounding left."""
    payments: list[ScheduledPayment] = []
    left = total
    for index, instalment in enumerate(instalments):
        if index == len(instalments) - 1:
            amount = left
        else:
            amount = (total * instalment.percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        left -= amount
        payments.append(ScheduledPayment(instalment.label, instalment.when, amount))
    return payments


def balance_due(total: Decimal, paid: Decimal) -> Decimal:
    """What is still owed to the participant (negative: what they must pay back)."""
    return total - paid
