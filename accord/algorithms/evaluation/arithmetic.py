"""Shares, ratios and means where "no data" is not zero.

An indicator over an empty set has no value (``None``), which the pages say in words; dividing by
zero is exactly that case. Results are ``Decimal`` rounded to four places, like the figures
partnerships store.
"""

from decimal import ROUND_HALF_EVEN, Decimal

FOUR_PLACES = Decimal("0.0001")
Number = int | Decimal


def quantise(value: Decimal) -> Decimal:
    return value.quantize(FOUR_PLACES, rounding=ROUND_HALF_EVEN)


def share(part: Number, whole: Number) -> Decimal | None:
    """``part`` as a percentage of ``whole``; None when the whole is empty."""
    if whole <= 0:
        return None
    return quantise(Decimal(part) * 100 / Decimal(whole))


def utilisation(used: Number, agreed: Number) -> Decimal | None:
    """Places used as a percentage of places agreed (over 100 when a quota is exceeded)."""
    return share(used, agreed)
