"""Reciprocity: how balanced the flows with a partner are, in people or in months.

The balance of two flows is the smaller over the larger, 1 for perfectly balanced flows and 0 for a
one-way relation; with nothing either way there is no balance to speak of (``None``). A relation is
*unbalanced* when its balance falls under a threshold and it carries enough movement for the
imbalance to mean something (one student one way is not yet a trend).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from accord.algorithms.evaluation.arithmetic import quantise

DEFAULT_THRESHOLD = Decimal("0.5")
DEFAULT_MINIMUM_FLOW = 4


def balance(incoming: Decimal | int, outgoing: Decimal | int) -> Decimal | None:
    larger = max(incoming, outgoing)
    if larger <= 0:
        return None
    return quantise(Decimal(min(incoming, outgoing)) / Decimal(larger))


@dataclass(frozen=True)
class PartnerFlow:
    """The flows between the home institution and one partner: people and months, each way."""

    partner: str
    incoming: int = 0
    outgoing: int = 0
    incoming_months: Decimal = Decimal(0)
    outgoing_months: Decimal = Decimal(0)

    @property
    def balance(self) -> Decimal | None:
        return balance(self.incoming, self.outgoing)

    @property
    def months_balance(self) -> Decimal | None:
        return balance(self.incoming_months, self.outgoing_months)

    @property
    def net(self) -> int:
        """Incoming minus outgoing people: positive when the home institution receives more."""
        return self.incoming - self.outgoing

    def unbalanced(
        self, threshold: Decimal = DEFAULT_THRESHOLD, minimum_flow: int = DEFAULT_MINIMUM_FLOW
    ) -> bool:
        value = self.balance
        return value is not None and self.incoming + self.outgoing >= minimum_flow and value < threshold


def partner_flows(
    rows: Iterable[tuple[str, str, int, Decimal]],
) -> list[PartnerFlow]:
    """Fold ``(partner, direction, people, months)`` rows ("in"/"out") into one flow per partner,
    sorted by partner."""
    totals: dict[str, dict[str, Decimal]] = {}
    for partner, direction, people, months in rows:
        if direction not in ("in", "out"):
            raise ValueError(f"direction must be 'in' or 'out', not {direction!r}")
        entry = totals.setdefault(
            partner, {"in": Decimal(0), "out": Decimal(0), "in_m": Decimal(0), "out_m": Decimal(0)}
        )
        entry[direction] += people
        entry[f"{direction}_m"] += months
    return [
        PartnerFlow(
            partner=partner,
            incoming=int(entry["in"]),
            outgoing=int(entry["out"]),
            incoming_months=entry["in_m"],
            outgoing_months=entry["out_m"],
        )
        for partner, entry in sorted(totals.items())
    ]


def overall_balance(flows: Iterable[PartnerFlow]) -> Decimal | None:
    """The balance of all flows together, in people."""
    items = list(flows)
    return balance(sum(flow.incoming for flow in items), sum(flow.outgoing for flow in items))
