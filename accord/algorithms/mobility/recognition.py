"""Recognition rates: credits recognised against credits in the approved learning agreement.

Pure Python, no Django import (decision 1).

Documented rules
----------------
* The rate of one mobility is ``recognised / planned`` where *planned* is the credits the student
  was to earn abroad in the latest approved learning agreement (studied, virtual, blended and
  doctoral components) and *recognised* the credits the sending institution recognised.
* A group (a partner, an agreement, a year) adds up credits before dividing: its rate is weighted by
  credits, so a 60-ECTS stay counts twelve times a 5-ECTS one. The mean of the mobilities' own
  rates would let a short stay weigh as much as a year abroad.
* Nothing planned gives no rate (``None``), never a division by zero or a misleading 0 %. Rates may
  exceed 100 % when more was recognised than planned, which is shown as it is.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["RecognitionFigures", "recognition_by_group", "recognition_rate"]


def recognition_rate(recognised: Decimal, planned: Decimal) -> Decimal | None:
    """Percentage with one decimal, or ``None`` when nothing was planned."""
    if recognised < 0 or planned < 0:
        raise ValueError("credits cannot be negative")
    if planned == 0:
        return None
    return (recognised * 100 / planned).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class RecognitionFigures:
    mobilities: int
    planned: Decimal
    recognised: Decimal

    @property
    def rate(self) -> Decimal | None:
        return recognition_rate(self.recognised, self.planned)


def recognition_by_group(
    rows: Iterable[tuple[Hashable, Decimal, Decimal]],
) -> dict[Hashable, RecognitionFigures]:
    """Add up ``(group, planned, recognised)`` rows, one per mobility, into figures per group."""
    sums: dict[Hashable, tuple[int, Decimal, Decimal]] = {}
    for group, planned, recognised in rows:
        count, planned_sum, recognised_sum = sums.get(group, (0, Decimal(0), Decimal(0)))
        sums[group] = (count + 1, planned_sum + planned, recognised_sum + recognised)
    return {group: RecognitionFigures(*figures) for group, figures in sums.items()}
