"""The funding API: thin over services and selectors. 404 for what the user may not see, 403 for
what they may see but not do, 409 for a frozen rule version, 412 for a stale If-Match, 422 for bad
input (with the rule it breaks)."""

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from accord.algorithms.funding.batch import EntryError, calculate_batch
from accord.algorithms.funding.rules import RuleSetError
from accord.core.api_versions import READ_DOC, WRITE_DOC, IfMatch, expected_version, set_etag
from accord.core.errors import NotFound, ValidationFailed
from accord.funding import selectors, services
from accord.funding.filters import GrantFilter
from accord.funding.models import Budget, RuleSet
from accord.funding.querysets import FundingAction
from accord.funding.schemas import (
    BudgetOut,
    BudgetPatch,
    CalculateIn,
    GrantDetailOut,
    GrantIn,
    GrantOut,
    GrantPatch,
    PaymentIn,
    PaymentOut,
    ReportRowOut,
    RuleSetOut,
    RuleSetVersionIn,
    RuleSetVersionOut,
)

router = Router(tags=["funding"])
PAGE_SIZE = 50


def _budget_out(position: selectors.BudgetPosition) -> dict:
    budget = position.budget
    return {
        "id": budget.pk,
        "name": budget.name,
        "funder": str(budget.funder),
        "programme": str(budget.programme) if budget.programme else None,
        "year": budget.year,
        "currency": budget.currency,
        "amount": budget.amount,
        "committed": position.committed,
        "paid": position.paid,
        "remaining": position.remaining,
        "starts_on": budget.starts_on,
        "ends_on": budget.ends_on,
        "version": budget.version,
    }


def _grant_out(grant) -> dict:
    return {
        "id": grant.pk,
        "mobility_id": grant.mobility_id,
        "rule_set": grant.rule_set_version.rule_set.key,
        "rule_set_version": grant.rule_set_version.number,
        "budget_id": grant.budget_id,
        "status": grant.status,
        "activity": grant.activity,
        "start": grant.start,
        "end": grant.end,
        "currency": grant.currency,
        "total": grant.total,
        "paid": getattr(grant, "paid", Decimal(0)),
        "distance_km": grant.distance_km,
        "distance_override_km": grant.distance_override_km,
        "distance_override_reason": grant.distance_override_reason,
        "fewer_opportunities": grant.fewer_opportunities,
        "green_travel": grant.green_travel,
        "travel_days": grant.travel_days,
        "lines": grant.lines,
        "version": grant.version,
    }


@router.get("/budgets", response=list[BudgetOut], summary="Budgets, with what is committed, paid and left")
def list_budgets(request: HttpRequest):
    return [_budget_out(position) for position in selectors.budget_positions(user=request.user)]


@router.get("/budgets/{int:budget_id}", response=BudgetOut, summary="A budget", openapi_extra=READ_DOC)
def get_budget(request: HttpRequest, budget_id: int, response: HttpResponse):
    position = selectors.get_budget_for_user(user=request.user, pk=budget_id)
    set_etag(response, position.budget)
    return _budget_out(position)


@router.patch(
    "/budgets/{int:budget_id}", response=BudgetOut, summary="Change a budget", openapi_extra=WRITE_DOC
)
def update_budget(
    request: HttpRequest,
    budget_id: int,
    payload: BudgetPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    budget = selectors.get_budget_for_user(
        user=request.user, pk=budget_id, action=FundingAction.MANAGE
    ).budget
    services.budget_update(
        actor=request.user,
        budget=budget,
        data=payload.dict(exclude_unset=True),
        expected_version=expected_version(if_match, budget),
    )
    position = selectors.get_budget_for_user(user=request.user, pk=budget_id)
    set_etag(response, position.budget)
    return _budget_out(position)


@router.get("/rule-sets", response=list[RuleSetOut], summary="Grant rule sets and their versions")
def list_rule_sets(request: HttpRequest):
    return [
        {
            "id": rule_set.pk,
            "key": rule_set.key,
            "call_year": rule_set.call_year,
            "programme": str(rule_set.programme),
            "versions": list(rule_set.versions.all()),
        }
        for rule_set in selectors.rule_sets_for(user=request.user)
    ]


@router.get(
    "/rule-set-versions/{int:version_id}",
    response=RuleSetVersionOut,
    summary="A version of a rule set",
    openapi_extra=READ_DOC,
)
def get_version(request: HttpRequest, version_id: int, response: HttpResponse):
    version = selectors.get_rule_set_version_for_user(user=request.user, pk=version_id)
    set_etag(response, version)
    return version


@router.put(
    "/rule-set-versions/{int:version_id}",
    response=RuleSetVersionOut,
    summary="Change a draft's rules",
    openapi_extra=WRITE_DOC,
)
def update_version(
    request: HttpRequest,
    version_id: int,
    payload: RuleSetVersionIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    version = selectors.get_rule_set_version_for_user(
        user=request.user, pk=version_id, action=FundingAction.CONFIGURE
    )
    services.rule_set_version_update(
        actor=request.user,
        version=version,
        data=payload.data,
        note=payload.note,
        expected_version=expected_version(if_match, version),
    )
    set_etag(response, version)
    return version


@router.post(
    "/rule-sets/{int:rule_set_id}/drafts",
    response={201: RuleSetVersionOut},
    summary="A new draft version, copied from the latest",
)
def create_draft(request: HttpRequest, rule_set_id: int, response: HttpResponse):
    rule_set = selectors.get_rule_set_for_user(
        user=request.user, pk=rule_set_id, action=FundingAction.CONFIGURE
    )
    version = services.rule_set_version_draft(actor=request.user, rule_set=rule_set)
    set_etag(response, version)
    return Status(201, version)


@router.post(
    "/rule-set-versions/{int:version_id}/publish",
    response=RuleSetVersionOut,
    summary="Put a draft in force",
    openapi_extra=WRITE_DOC,
)
def publish_version(request: HttpRequest, version_id: int, response: HttpResponse, if_match: IfMatch = None):
    version = selectors.get_rule_set_version_for_user(
        user=request.user, pk=version_id, action=FundingAction.CONFIGURE
    )
    services.rule_set_version_publish(
        actor=request.user, version=version, expected_version=expected_version(if_match, version)
    )
    set_etag(response, version)
    return version


@router.post("/calculate", summary="Grants of a list of mobilities under a rule set (nothing saved)")
def calculate(request: HttpRequest, payload: CalculateIn):
    """As ``manage.py grant_calculate --json``: per id, its total and lines, or its errors."""
    try:
        return calculate_batch(selectors.rule_set_by_key(payload.rules), payload.mobilities)
    except (RuleSetError, EntryError) as error:
        raise ValidationFailed({error.rule: error.message}) from error


class GrantFilters(Schema):
    status: str = ""
    q: str = ""
    page: int = 1


@router.get("/grants", response=list[GrantOut], summary="Grants you may see, 50 a page, latest first")
def list_grants(request: HttpRequest, filters: Query[GrantFilters]):
    grants = GrantFilter(status=filters.status, q=filters.q).apply(selectors.grants_for(user=request.user))
    start = (max(filters.page, 1) - 1) * PAGE_SIZE
    return [_grant_out(grant) for grant in grants.order_by("-start", "pk")[start : start + PAGE_SIZE]]


def _detail(grant) -> dict:
    detail = selectors.grant_detail(grant)
    return {
        **_grant_out(grant),
        "paid": detail.paid,
        "shares": [
            {
                "budget_id": s.budget_id,
                "funder": str(s.budget.funder),
                "amount": s.amount,
                "explanation": s.explanation,
            }
            for s in detail.shares
        ],
        "payments": detail.payments,
        "recalculations": detail.recalculations,
        "schedule": [{"label": p.label, "when": p.when, "amount": str(p.amount)} for p in detail.schedule],
    }


@router.get(
    "/grants/{int:grant_id}", response=GrantDetailOut, summary="A grant, explained", openapi_extra=READ_DOC
)
def get_grant(request: HttpRequest, grant_id: int, response: HttpResponse):
    grant = selectors.get_grant_for_user(user=request.user, pk=grant_id)
    set_etag(response, grant)
    return _detail(grant)


@router.post("/grants", response={201: GrantDetailOut}, summary="Compute and commit a mobility's grant")
def create_grant(request: HttpRequest, payload: GrantIn, response: HttpResponse):
    mobility = selectors.mobilities_to_fund(user=request.user).filter(pk=payload.mobility_id).first()
    if mobility is None:
        raise NotFound("No such mobility without a grant.")
    rule_set = (
        selectors.rule_sets_for(user=request.user, action=FundingAction.MANAGE)
        .filter(pk=payload.rule_set_id)
        .first()
    )
    budget = (
        selectors.budgets_for(user=request.user, action=FundingAction.MANAGE)
        .filter(pk=payload.budget_id)
        .first()
    )
    if rule_set is None or budget is None:
        raise ValidationFailed({"rule_set_id" if rule_set is None else "budget_id": "Not one of yours."})
    data = payload.dict(exclude={"mobility_id", "rule_set_id", "budget_id"})
    data["co_funding"] = [
        {**item, "value": str(item["value"]) if item.get("value") is not None else None}
        for item in data["co_funding"]
    ]
    grant = services.grant_create(
        actor=request.user,
        mobility=mobility,
        rule_set=RuleSet.objects.get(pk=rule_set.pk),
        budget=Budget.objects.get(pk=budget.pk),
        **data,
    )
    grant = selectors.get_grant_for_user(user=request.user, pk=grant.pk)
    set_etag(response, grant)
    return Status(201, _detail(grant))


@router.patch(
    "/grants/{int:grant_id}",
    response=GrantDetailOut,
    summary="Change what a grant depends on",
    openapi_extra=WRITE_DOC,
)
def update_grant(
    request: HttpRequest, grant_id: int, payload: GrantPatch, response: HttpResponse, if_match: IfMatch = None
):
    grant = selectors.get_grant_for_user(user=request.user, pk=grant_id, action=FundingAction.MANAGE)
    services.grant_update(
        actor=request.user,
        grant=grant,
        data=payload.dict(exclude_unset=True),
        expected_version=expected_version(if_match, grant),
    )
    grant = selectors.get_grant_for_user(user=request.user, pk=grant_id)
    set_etag(response, grant)
    return _detail(grant)


@router.post("/grants/{int:grant_id}/payments", response={201: PaymentOut}, summary="Record a payment")
def add_payment(request: HttpRequest, grant_id: int, payload: PaymentIn):
    grant = selectors.get_grant_for_user(user=request.user, pk=grant_id, action=FundingAction.MANAGE)
    return Status(201, services.payment_record(actor=request.user, grant=grant, **payload.dict()))


@router.get("/reports", response=list[ReportRowOut], summary="Committed and paid by funder, programme, …")
def get_report(request: HttpRequest, by: str = "funder"):
    if by not in selectors.REPORT_DIMENSIONS:
        raise NotFound("Report by funder, programme, partner, country or year.")
    return [
        {"key": r.key, "currency": r.currency, "committed": r.committed, "paid": r.paid, "to_pay": r.to_pay}
        for r in selectors.report(user=request.user, by=by)
    ]
