"""Objectives, their indicators, yearly targets and measured figures."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core.concurrency import require_version
from accord.core.errors import ValidationFailed
from accord.core.validation import clean_or_fail
from accord.partnerships.choices import ActualSource
from accord.partnerships.models import Indicator, IndicatorActual, IndicatorTarget, Objective, Partnership
from accord.partnerships.querysets import PartnershipAction
from accord.partnerships.services._common import (
    apply,
    assign,
    check_person,
    locked,
    require,
    require_entry_editor,
    save_written,
    values,
    year_range,
)


def _number(field: str, value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed({field: _("'%(value)s' is not a number.") % {"value": value}}) from None
    if not number.is_finite():
        raise ValidationFailed({field: _("'%(value)s' is not a number.") % {"value": value}})
    return number


def _check_year_in_dates(partnership: Partnership, year: int) -> None:
    first, last = year_range(partnership)
    if (first is not None and year < first) or (last is not None and year > last):
        span = f"{first or '…'}–{last or '…'}"
        raise ValidationFailed(
            {
                "year": _("%(year)s is outside the partnership's dates (%(span)s).")
                % {"year": year, "span": span}
            }
        )


OBJECTIVE_FIELDS = ("title", "description", "owner", "order")


def _make_room(partnership: Partnership, order: int, moving: Objective | None) -> None:
    """Free position ``order`` by moving the objectives at it and after it one place on, last first,
    so that no two ever share a position (the database refuses it). An objective being moved is
    parked after them all meanwhile."""
    others = partnership.objectives.all() if moving is None else partnership.objectives.exclude(pk=moving.pk)
    if not others.filter(order=order).exists():
        return
    if moving is not None:
        top = partnership.objectives.aggregate(top=Max("order"))["top"]
        Objective.objects.filter(pk=moving.pk).update(order=top + 2)
    for pk in others.filter(order__gte=order).order_by("-order").values_list("pk", flat=True):
        Objective.objects.filter(pk=pk).update(order=F("order") + 1, version=F("version") + 1)


@transaction.atomic
def objective_create(*, actor, partnership: Partnership, **data: Any) -> Objective:
    """Add an objective, by default after the last one. The partnership's row is locked while the
    next position is worked out, so that two objectives added at once get different ones."""
    partnership = locked(partnership)
    require(actor, PartnershipAction.CHANGE, partnership)
    data = values(data, OBJECTIVE_FIELDS)
    if data.get("order") is None:
        last = partnership.objectives.order_by("-order").values_list("order", flat=True).first()
        data["order"] = 0 if last is None else last + 1
    else:
        _make_room(partnership, data["order"], None)
    if data.get("owner") is not None:
        check_person(partnership, data["owner"], "owner")
    objective = Objective(partnership=partnership, updated_by=actor)
    assign(objective, data, OBJECTIVE_FIELDS)
    clean_or_fail(objective)
    objective.save()
    return objective


@transaction.atomic
def objective_update(
    *, actor, objective: Objective, expected_version: int | None = None, **data: Any
) -> Objective:
    """Change the fields ``data`` names if the objective is still at ``expected_version``. A new
    position takes the partnership's lock too, as creating does (partnership first, then objective),
    and moves the objectives from that position on one place."""
    data = values(data, OBJECTIVE_FIELDS)
    partnership = locked(objective.partnership) if data.get("order") is not None else objective.partnership
    objective = locked(objective)
    require(actor, PartnershipAction.CHANGE, objective.partnership)
    require_version(objective, expected_version, data)
    if data.get("owner") is not None:
        check_person(objective.partnership, data["owner"], "owner")
    if data.get("order") is not None:
        _make_room(partnership, data["order"], objective)
    changed = apply(objective, data)
    clean_or_fail(objective)
    save_written(objective, changed, actor)
    return objective


@transaction.atomic
def objective_delete(*, actor, objective: Objective, expected_version: int | None = None) -> None:
    objective = locked(objective)
    require(actor, PartnershipAction.CHANGE, objective.partnership)
    require_version(objective, expected_version)
    objective.delete()


INDICATOR_FIELDS = ("name", "unit", "direction", "baseline_value", "baseline_year")


def _indicator_values(data: dict[str, Any]) -> dict[str, Any]:
    data = values(data, INDICATOR_FIELDS)
    if "baseline_value" in data:
        data["baseline_value"] = _number("baseline_value", data["baseline_value"])
    return data


@transaction.atomic
def indicator_create(*, actor, objective: Objective, **data: Any) -> Indicator:
    require(actor, PartnershipAction.CHANGE, objective.partnership)
    indicator = Indicator(objective=objective, updated_by=actor)
    assign(indicator, _indicator_values(data), INDICATOR_FIELDS)
    clean_or_fail(indicator)
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(
    *, actor, indicator: Indicator, expected_version: int | None = None, **data: Any
) -> Indicator:
    indicator = locked(indicator)
    require(actor, PartnershipAction.CHANGE, indicator.objective.partnership)
    data = _indicator_values(data)
    require_version(indicator, expected_version, data)
    changed = apply(indicator, data)
    clean_or_fail(indicator)
    save_written(indicator, changed, actor)
    return indicator


@transaction.atomic
def indicator_delete(*, actor, indicator: Indicator, expected_version: int | None = None) -> None:
    indicator = locked(indicator)
    require(actor, PartnershipAction.CHANGE, indicator.objective.partnership)
    require_version(indicator, expected_version)
    indicator.delete()


# Targets and figures: one per indicator and year. Every write of either takes the indicator's lock
# first, so that the year is checked free while no one else can take it, and the refusal names it.


def _check_year_free(model, indicator: Indicator, year: int, exclude_pk: int | None, what: str) -> None:
    taken = model.objects.filter(indicator=indicator, year=year).exclude(pk=exclude_pk).exists()
    if taken:
        raise ValidationFailed(
            {
                "year": _("'%(name)s' already has %(what)s for %(year)s; edit that one.")
                % {"name": indicator.name, "what": what, "year": year}
            }
        )


def _check_target(target: IndicatorTarget) -> None:
    if target.target_value is None:
        raise ValidationFailed({"target_value": _("A target needs a value.")})
    # Uniqueness per indicator and year is checked below, with a message that names the year.
    clean_or_fail(target, exclude=["indicator"])
    _check_year_in_dates(target.indicator.objective.partnership, target.year)
    _check_year_free(IndicatorTarget, target.indicator, target.year, target.pk, _("a target"))


def _target_values(data: dict[str, Any]) -> dict[str, Any]:
    data = values(data, ("year", "target_value"))
    if "target_value" in data:
        data["target_value"] = _number("target_value", data["target_value"])
    return data


@transaction.atomic
def indicator_target_create(*, actor, indicator: Indicator, year: int, target_value: Any) -> IndicatorTarget:
    indicator = locked(indicator)
    require(actor, PartnershipAction.CHANGE, indicator.objective.partnership)
    target = IndicatorTarget(indicator=indicator, updated_by=actor)
    assign(target, _target_values({"year": year, "target_value": target_value}), ("year", "target_value"))
    _check_target(target)
    target.save()
    return target


@transaction.atomic
def indicator_target_update(
    *, actor, target: IndicatorTarget, expected_version: int | None = None, **data: Any
) -> IndicatorTarget:
    locked(target.indicator)
    target = locked(target)
    require(actor, PartnershipAction.CHANGE, target.indicator.objective.partnership)
    data = _target_values(data)
    require_version(target, expected_version, data)
    changed = apply(target, data)
    _check_target(target)
    save_written(target, changed, actor)
    return target


@transaction.atomic
def indicator_target_delete(*, actor, target: IndicatorTarget, expected_version: int | None = None) -> None:
    target = locked(target)
    require(actor, PartnershipAction.CHANGE, target.indicator.objective.partnership)
    require_version(target, expected_version)
    target.delete()


ACTUAL_FIELDS = ("year", "value", "note", "source")


def _actual_values(data: dict[str, Any]) -> dict[str, Any]:
    data = values(data, ACTUAL_FIELDS)
    if "value" in data:
        data["value"] = _number("value", data["value"])
    return data


def _check_actual(actual: IndicatorActual) -> None:
    if actual.value is None:
        raise ValidationFailed({"value": _("A measured figure needs a value.")})
    # As for targets, the year's uniqueness is checked below with a message that names it.
    clean_or_fail(actual, exclude=["indicator"])
    if actual.year > timezone.localdate().year:
        raise ValidationFailed(
            {
                "year": _("%(year)s has not begun; figures are recorded as they happen.")
                % {"year": actual.year}
            }
        )
    _check_year_in_dates(actual.indicator.objective.partnership, actual.year)
    _check_year_free(IndicatorActual, actual.indicator, actual.year, actual.pk, _("a figure"))


@transaction.atomic
def indicator_actual_record(
    *,
    actor,
    indicator: Indicator,
    year: int,
    value: Any,
    note: str = "",
    source: str = ActualSource.MANUAL,
) -> IndicatorActual:
    """Record the figure an indicator reached in a year; any member's admins and coordinators may."""
    indicator = locked(indicator)
    require(actor, PartnershipAction.CONTRIBUTE, indicator.objective.partnership)
    actual = IndicatorActual(
        indicator=indicator, recorded_by=actor, recorded_at=timezone.now(), updated_by=actor
    )
    data = _actual_values({"year": year, "value": value, "note": note, "source": source})
    assign(actual, data, ACTUAL_FIELDS)
    _check_actual(actual)
    actual.save()
    return actual


@transaction.atomic
def indicator_actual_update(
    *, actor, actual: IndicatorActual, expected_version: int | None = None, **data: Any
) -> IndicatorActual:
    locked(actual.indicator)
    actual = locked(actual)
    require_entry_editor(actor, actual.indicator.objective.partnership, actual.recorded_by_id)
    data = _actual_values(data)
    require_version(actual, expected_version, data)
    changed = apply(actual, data)
    _check_actual(actual)
    save_written(actual, changed, actor)
    return actual


@transaction.atomic
def indicator_actual_delete(*, actor, actual: IndicatorActual, expected_version: int | None = None) -> None:
    actual = locked(actual)
    require_entry_editor(actor, actual.indicator.objective.partnership, actual.recorded_by_id)
    require_version(actual, expected_version)
    actual.delete()
