"""How a page says an indicator's progress: what moved, by how much, out of how much, and the share of
the way to the target, in the indicator's own direction (see :mod:`accord.partnerships.progress`)."""

from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from accord.partnerships.progress import DECREASE, MAINTAIN


def _number(value: Decimal) -> str:
    return floatformat(value, "-2")


def progress_text(
    *, direction: str, unit: str, baseline: Decimal | None, target: Decimal, actual: Decimal, percent: int
) -> str:
    """ "5 of 10 students above the baseline, 50 % of the way to the target", or its like for a decrease,
    a level to hold, a growth without a baseline, or a figure that moved away from the target."""
    if direction == MAINTAIN:
        return _("%(actual)s of the %(target)s %(unit)s to hold, %(percent)s %% held") % {
            "actual": _number(actual),
            "target": _number(target),
            "unit": unit,
            "percent": percent,
        }
    if baseline is None:
        # Only a growth is measurable without a baseline, and it counts from zero.
        return _("%(actual)s of %(target)s %(unit)s, %(percent)s %% of the target") % {
            "actual": _number(actual),
            "target": _number(target),
            "unit": unit,
            "percent": percent,
        }
    sign = -1 if direction == DECREASE else 1
    moved, span = sign * (actual - baseline), sign * (target - baseline)
    if span <= 0:
        return _("target reached") if percent >= 100 else _("target not reached yet")
    values = {"moved": _number(abs(moved)), "span": _number(span), "unit": unit, "percent": percent}
    if direction == DECREASE:
        if moved < 0:
            return _("%(moved)s %(unit)s above the baseline, away from the target") % values
        return (
            _("%(moved)s of %(span)s %(unit)s below the baseline, %(percent)s %% of the way to the target")
            % values
        )
    if moved < 0:
        return _("%(moved)s %(unit)s below the baseline, away from the target") % values
    return (
        _("%(moved)s of %(span)s %(unit)s above the baseline, %(percent)s %% of the way to the target")
        % values
    )
