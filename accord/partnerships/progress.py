"""Progress of an indicator towards its target, as a fraction. Plain Python: no Django import.

1.0 means the target is reached, more than 1.0 that it is exceeded, 0.0 that nothing has moved
from the baseline, and a negative value that the figure moved away from the target. For
``increase`` and ``decrease`` the fraction is the share of the way from the baseline to the target
that has been covered, so a decrease from 20 % to a target of 10 % that reaches 15 % is 0.5, exactly
like an increase from 10 to 20 students that reaches 15.
"""

from decimal import Decimal

INCREASE = "increase"
DECREASE = "decrease"
MAINTAIN = "maintain"


def progress_fraction(
    *, direction: str, baseline: Decimal | None, target: Decimal | None, actual: Decimal | None
) -> float | None:
    """The fraction of the target achieved, or None when it cannot be measured."""
    if target is None or actual is None:
        return None
    if direction == MAINTAIN:
        # Holding a level: the share of it that is held; more than the level still only counts as held.
        if target <= 0:
            return 1.0 if actual >= target else 0.0
        return round(float(min(actual / target, Decimal(1))), 4)
    if baseline is None:
        # Without a starting point a growth is counted from zero; a reduction cannot be measured.
        if direction == DECREASE:
            return None
        baseline = Decimal(0)
    span = target - baseline
    if span == 0:
        reached = actual >= target if direction == INCREASE else actual <= target
        return 1.0 if reached else 0.0
    return round(float((actual - baseline) / span), 4)
