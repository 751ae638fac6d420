"""Grants: computed for a mobility from the rule set in force, shared between funders, recomputed
when the mobility's dates or the grant's inputs change (with the difference to what was paid).

Creating a grant commits its shares on the budgets and is refused when a budget would be
over-committed; a recomputation after the fact (the dates of a stay that happened) is never
refused, because the participant is owed what the rules say: the budget pages show the overrun."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accord.algorithms.funding.calculate import GrantError, calculate
from accord.algorithms.funding.shares import ShareError, ShareRule, split
from accord.core.concurrency import bump, lock, require_version
from accord.core.errors import ValidationFailed
from accord.funding.calculation import (
    activity_for,
    core_lines,
    distance_between,
    input_for,
    lines_as_json,
    mobility_dates,
    rules_of,
)
from accord.funding.choices import Activity, GrantStatus, RuleSetStatus, ShareKind
from accord.funding.models import Budget, Grant, GrantRecalculation, GrantShare, RuleSet
from accord.funding.querysets import FundingAction
from accord.funding.services._common import require, rule_failed
from accord.funding.services.budgets import committed_on

EDITABLE = (
    "fewer_opportunities",
    "green_travel",
    "travel_days",
    "distance_override_km",
    "distance_override_reason",
    "activity",
    "co_funding",
)


def _compute(grant: Grant) -> None:
    """Fill ``grant``'s dates, lines and total from its mobility and rule-set version."""
    mobility = grant.mobility
    grant.start, grant.end = mobility_dates(mobility)
    rules = rules_of(grant.rule_set_version)
    if grant.currency and grant.currency != rules.currency:
        raise ValidationFailed(
            {
                "currency": _("The rules pay in %(rules)s, the grant is in %(grant)s.")
                % {"rules": rules.currency, "grant": grant.currency}
            }
        )
    try:
        result = calculate(
            rules, input_for(grant, grant.start, grant.end, mobility.receiving_organisation.country_code)
        )
    except GrantError as error:
        raise rule_failed(
            error, error.rule if error.rule in {"travel_days", "activity"} else "__all__"
        ) from error
    grant.currency = rules.currency
    grant.lines = lines_as_json(result)
    grant.total = result.total


def _share_rules(grant: Grant) -> list[ShareRule]:
    rules = [
        ShareRule(
            str(item["budget"]),
            item["kind"],
            Decimal(str(item.get("value") or 0)),
            tuple(item.get("components") or ()),
        )
        for item in grant.co_funding
    ]
    if not any(rule.kind == ShareKind.REMAINDER for rule in rules):
        rules.append(ShareRule(str(grant.budget_id), ShareKind.REMAINDER))
    return rules


def _shares(grant: Grant, *, check_budgets: bool) -> None:
    """Replace the grant's shares by what the co-funding rules give each budget now."""
    try:
        computed = split(core_lines(grant.lines), _share_rules(grant))
    except ShareError as error:
        raise rule_failed(error, "co_funding") from error
    budgets = {
        budget.pk: budget
        for budget in Budget.objects.select_for_update().filter(
            pk__in=[int(share.funder) for share in computed]
        )
    }
    kinds = {str(item["budget"]): item["kind"] for item in grant.co_funding}
    errors = {}
    for share in computed:
        budget = budgets.get(int(share.funder))
        if budget is None or budget.organisation_id != grant.organisation_id:
            raise ValidationFailed({"co_funding": _("A co-funder's budget is not one of the institution's.")})
        if budget.currency != grant.currency:
            errors["budget"] = _(
                "%(budget)s is in %(budget_currency)s and the grant in %(currency)s: choose a budget in "
                "%(currency)s (the currency rule)."
            ) % {"budget": budget, "budget_currency": budget.currency, "currency": grant.currency}
            continue
        if check_budgets:
            before = grant.shares.filter(budget=budget).aggregate(total=Sum("amount"))["total"] or 0
            left = budget.amount - committed_on(budget) + before
            if share.amount > left:
                errors["budget"] = _(
                    "%(budget)s has %(left)s %(currency)s left and this grant needs %(amount)s from it: it "
                    "would be over-committed."
                ) % {"budget": budget, "left": left, "currency": budget.currency, "amount": share.amount}
    if errors:
        raise ValidationFailed(errors)
    grant.shares.all().delete()
    GrantShare.objects.bulk_create(
        GrantShare(
            grant=grant,
            budget_id=int(share.funder),
            kind=kinds.get(share.funder, ShareKind.REMAINDER),
            amount=share.amount,
            explanation=share.explanation[:300],
        )
        for share in computed
    )


def _version_in_force(rule_set: RuleSet):
    version = rule_set.versions.filter(status=RuleSetStatus.ACTIVE).first()
    if version is None:
        raise ValidationFailed({"rule_set": _("This rule set has no version in force yet: publish a draft.")})
    return version


@transaction.atomic
def grant_create(
    *,
    actor,
    mobility,
    rule_set: RuleSet,
    budget: Budget,
    activity: str = "",
    fewer_opportunities: bool = False,
    green_travel: bool = False,
    travel_days: int = 0,
    distance_override_km: int | None = None,
    distance_override_reason: str = "",
    co_funding: list[dict[str, Any]] | None = None,
) -> Grant:
    """The grant of ``mobility`` under the version of ``rule_set`` in force, charged to ``budget``."""
    organisation_id = mobility.sending_organisation_id
    require(actor, FundingAction.MANAGE, organisation_id)
    if rule_set.organisation_id != organisation_id or budget.organisation_id != organisation_id:
        raise ValidationFailed({"budget": _("The rules and the budget must be the sending institution's.")})
    if Grant.objects.filter(mobility=mobility).exists():
        raise ValidationFailed({"mobility": _("This mobility already has a grant: recompute it instead.")})
    activity = activity or activity_for(mobility)
    if activity not in Activity.values:
        raise ValidationFailed({"activity": _("Choose one of the activities.")})
    _check_override(distance_override_km, distance_override_reason)
    version = _version_in_force(rule_set)
    rules = rules_of(version)
    distance = None
    if distance_override_km is None:
        distance = distance_between(mobility.sending_organisation, mobility.receiving_organisation)
    grant = Grant(
        organisation_id=organisation_id,
        mobility=mobility,
        rule_set_version=version,
        budget=budget,
        activity=activity,
        fewer_opportunities=fewer_opportunities,
        green_travel=green_travel,
        travel_days=travel_days,
        distance_km=distance,
        distance_override_km=distance_override_km,
        distance_override_reason=distance_override_reason,
        co_funding=co_funding or [],
        country_group=rules.group_of(mobility.receiving_organisation.country_code) or "*",
        currency=rules.currency,
        updated_by=actor,
    )
    _compute(grant)
    if budget.currency != grant.currency:
        raise ValidationFailed(
            {
                "budget": _(
                    "%(budget)s is in %(budget_currency)s and the rules pay in %(currency)s: choose a "
                    "budget in %(currency)s (the currency rule)."
                )
                % {"budget": budget, "budget_currency": budget.currency, "currency": grant.currency}
            }
        )
    grant.save()
    _shares(grant, check_budgets=True)
    return grant


def _check_override(km: int | None, reason: str) -> None:
    if km is not None and not reason.strip():
        raise ValidationFailed(
            {
                "distance_override_reason": _(
                    "Say why the distance differs from the one between the two cities."
                )
            }
        )
    if km is not None and km < 0:
        raise ValidationFailed({"distance_override_km": _("A distance cannot be negative.")})


def _record(grant: Grant, old_total: Decimal, old_lines: list, reason: str) -> GrantRecalculation | None:
    if old_total == grant.total and old_lines == grant.lines:
        return None
    paid = grant.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return GrantRecalculation.objects.create(
        grant=grant,
        reason=reason[:300],
        old_total=old_total,
        new_total=grant.total,
        paid=paid,
        old_lines=old_lines,
        new_lines=grant.lines,
    )


@transaction.atomic
def grant_update(*, actor, grant: Grant, data: dict[str, Any], expected_version: int | None = None) -> Grant:
    """Change what a grant depends on (top-ups, travel days, a distance override with its reason, the
    co-funding) and compute it again; the change is recorded with the difference to what was paid."""
    require(actor, FundingAction.MANAGE, grant.organisation_id)
    unknown = sorted(set(data) - set(EDITABLE))
    if unknown:
        raise ValidationFailed({name: _("This field cannot be changed here.") for name in unknown})
    lock(grant)
    require_version(grant, expected_version, data)
    if grant.status != GrantStatus.COMMITTED:
        raise ValidationFailed({"__all__": _("A cancelled grant is not computed again.")})
    for name, value in data.items():
        setattr(grant, name, value)
    _check_override(grant.distance_override_km, grant.distance_override_reason)
    if grant.distance_override_km is None and grant.distance_km is None:
        grant.distance_km = distance_between(
            grant.mobility.sending_organisation, grant.mobility.receiving_organisation
        )
    old_total, old_lines = grant.total, grant.lines
    _compute(grant)
    grant.save(update_fields=[*data, "start", "end", "lines", "total", "distance_km", *bump(grant, actor)])
    _shares(grant, check_budgets=False)
    _record(grant, old_total, old_lines, _("Changed by %(who)s.") % {"who": actor})
    return grant


@transaction.atomic
def grant_recalculate(*, grant: Grant, reason: str, actor=None) -> GrantRecalculation | None:
    """Compute ``grant`` again from its mobility's current dates. A stay the rules can no longer fund
    as it is (now too short, say) keeps its amounts, and the refusal is recorded for a person to act."""
    lock(grant)
    if grant.status != GrantStatus.COMMITTED:
        return None
    old_total, old_lines = grant.total, grant.lines
    try:
        _compute(grant)
    except ValidationFailed as error:
        grant.total, grant.lines = old_total, old_lines
        return GrantRecalculation.objects.create(
            grant=grant,
            reason=f"{reason} {error.message}"[:300],
            old_total=old_total,
            new_total=old_total,
            old_lines=old_lines,
            new_lines=old_lines,
            paid=grant.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0),
        )
    grant.save(update_fields=["start", "end", "lines", "total", *bump(grant, actor)])
    _shares(grant, check_budgets=False)
    return _record(grant, old_total, old_lines, reason)


@transaction.atomic
def grant_cancel(*, grant: Grant, reason: str, actor=None) -> Grant:
    """The mobility was cancelled: the grant releases its commitments (its payments stay on record)."""
    lock(grant)
    if grant.status == GrantStatus.CANCELLED:
        return grant
    grant.status = GrantStatus.CANCELLED
    grant.save(update_fields=["status", *bump(grant, actor)])
    GrantRecalculation.objects.create(
        grant=grant,
        reason=reason[:300],
        old_total=grant.total,
        new_total=grant.total,
        paid=grant.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0),
    )
    return grant
