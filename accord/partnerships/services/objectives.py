"""Objectives, their indicators, yearly targets and measured figures."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.core.errors import ValidationFailed
from accord.core.validation import clean_or_fail
from accord.partnerships.choices import ActualSource
from accord.partnerships.models import Indicator, IndicatorActual, IndicatorTarget, Objective, Partnership
from accord.partnerships.querysets import PartnershipAction
from accord.partnerships.services._common import (
    assign,
    check_person,
    require,
    require_entry_editor,
    year_range,
)


def _number(field: str, value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed({field: f"'{value}' is not a number."}) from None
    if not number.is_finite():
        raise ValidationFailed({field: f"'{value}' is not a number."})
    return number


def _check_year_in_dates(partnership: Partnership, year: int) -> None:
    first, last = year_range(partnership)
    if (first is not None and year < first) or (last is not None and year > last):
        span = f"{first or '…'}–{last or '…'}"
        raise ValidationFailed({"year": f"{year} is outside the partnership's dates ({span})."})


OBJECTIVE_FIELDS = ("title", "description", "owner", "order")


def _save_objective(objective: Objective, data: dict[str, Any]) -> Objective:
    if data.get("owner") is not None:
        check_person(objective.partnership, data["owner"], "owner")
    assign(objective, data, OBJECTIVE_FIELDS)
    clean_or_fail(objective)
    objective.save()
    return objective


@transaction.atomic
def objective_create(*, actor, partnership: Partnership, **data: Any) -> Objective:
    require(actor, PartnershipAction.CHANGE, partnership)
    if data.get("order") is None:
        last = partnership.objectives.order_by("-order").values_list("order", flat=True).first()
        data["order"] = 0 if last is None else last + 1
    return _save_objective(Objective(partnership=partnership), data)


@transaction.atomic
def objective_update(*, actor, objective: Objective, **data: Any) -> Objective:
    require(actor, PartnershipAction.CHANGE, objective.partnership)
    return _save_objective(objective, data)


@transaction.atomic
def objective_delete(*, actor, objective: Objective) -> None:
    require(actor, PartnershipAction.CHANGE, objective.partnership)
    objective.delete()


INDICATOR_FIELDS = ("name", "unit", "direction", "baseline_value", "baseline_year")


def _save_indicator(indicator: Indicator, data: dict[str, Any]) -> Indicator:
    if "baseline_value" in data:
        data = {**data, "baseline_value": _number("baseline_value", data["baseline_value"])}
    assign(indicator, data, INDICATOR_FIELDS)
    clean_or_fail(indicator)
    indicator.save()
    return indicator


@transaction.atomic
def indicator_create(*, actor, objective: Objective, **data: Any) -> Indicator:
    require(actor, PartnershipAction.CHANGE, objective.partnership)
    return _save_indicator(Indicator(objective=objective), data)


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, **data: Any) -> Indicator:
    require(actor, PartnershipAction.CHANGE, indicator.objective.partnership)
    return _save_indicator(indicator, data)


@transaction.atomic
def indicator_delete(*, actor, indicator: Indicator) -> None:
    require(actor, PartnershipAction.CHANGE, indicator.objective.partnership)
    indicator.delete()


def _check_year_free(model, indicator: Indicator, year: int, exclude_pk: int | None, what: str) -> None:
    taken = model.objects.filter(indicator=indicator, year=year).exclude(pk=exclude_pk).exists()
    if taken:
        raise ValidationFailed({"year": f"'{indicator.name}' already has {what} for {year}; edit that one."})


def _save_target(target: IndicatorTarget, data: dict[str, Any]) -> IndicatorTarget:
    if "target_value" in data:
        target.target_value = _number("target_value", data["target_value"])
    if "year" in data:
        target.year = data["year"]
    if target.target_value is None:
        raise ValidationFailed({"target_value": "A target needs a value."})
    # Uniqueness per indicator and year is checked below, with a message that names the year.
    clean_or_fail(target, exclude=["indicator"])
    _check_year_in_dates(target.indicator.objective.partnership, target.year)
    _check_year_free(IndicatorTarget, target.indicator, target.year, target.pk, "a target")
    target.save()
    return target


@transaction.atomic
def indicator_target_create(*, actor, indicator: Indicator, year: int, target_value: Any) -> IndicatorTarget:
    require(actor, PartnershipAction.CHANGE, indicator.objective.partnership)
    return _save_target(IndicatorTarget(indicator=indicator), {"year": year, "target_value": target_value})


@transaction.atomic
def indicator_target_update(*, actor, target: IndicatorTarget, **data: Any) -> IndicatorTarget:
    require(actor, PartnershipAction.CHANGE, target.indicator.objective.partnership)
    return _save_target(target, data)


@transaction.atomic
def indicator_target_delete(*, actor, target: IndicatorTarget) -> None:
    require(actor, PartnershipAction.CHANGE, target.indicator.objective.partnership)
    target.delete()


def _save_actual(actual: IndicatorActual, data: dict[str, Any]) -> IndicatorActual:
    if "value" in data:
        actual.value = _number("value", data["value"])
    assign(actual, data, ("year", "note", "source"))
    if actual.value is None:
        raise ValidationFailed({"value": "A measured figure needs a value."})
    # As for targets, the year's uniqueness is checked below with a message that names it.
    clean_or_fail(actual, exclude=["indicator"])
    if actual.year > timezone.localdate().year:
        raise ValidationFailed({"year": f"{actual.year} has not begun; figures are recorded as they happen."})
    _check_year_in_dates(actual.indicator.objective.partnership, actual.year)
    _check_year_free(IndicatorActual, actual.indicator, actual.year, actual.pk, "a figure")
    actual.save()
    return actual


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
    require(actor, PartnershipAction.CONTRIBUTE, indicator.objective.partnership)
    actual = IndicatorActual(indicator=indicator, recorded_by=actor, recorded_at=timezone.now())
    return _save_actual(actual, {"year": year, "value": value, "note": note, "source": source})


@transaction.atomic
def indicator_actual_update(*, actor, actual: IndicatorActual, **data: Any) -> IndicatorActual:
    require_entry_editor(actor, actual.indicator.objective.partnership, actual.recorded_by_id)
    return _save_actual(actual, data)


@transaction.atomic
def indicator_actual_delete(*, actor, actual: IndicatorActual) -> None:
    require_entry_editor(actor, actual.indicator.objective.partnership, actual.recorded_by_id)
    actual.delete()
