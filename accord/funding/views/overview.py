"""The funding home page, a budget's page and its summary PDF, the runway, reports and exports."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accord.core.http import domain_errors_as_http
from accord.funding import exports, selectors
from accord.funding.choices import GrantStatus
from accord.funding.forms import ReportForm
from accord.funding.pdf import render_budget_summary_pdf
from accord.funding.querysets import FundingAction, organisations_for


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    configures = organisations_for(user, FundingAction.CONFIGURE)
    manages = organisations_for(user, FundingAction.MANAGE)
    return render(
        request,
        "funding/home.html",
        {
            "positions": selectors.budget_positions(user=user),
            "rule_sets": selectors.rule_sets_for(user=user),
            "grants": selectors.grants_for(user=user).order_by("-start", "pk")[:20],
            "may_configure": configures is None or bool(configures),
            "to_fund": selectors.mobilities_to_fund(user=user)[:20] if manages is None or manages else [],
        },
    )


@login_required
@require_GET
@domain_errors_as_http
def budget(request: HttpRequest, pk: int) -> HttpResponse:
    position = selectors.get_budget_for_user(user=request.user, pk=pk)
    shares = (
        position.budget.shares.filter(grant__status=GrantStatus.COMMITTED)
        .select_related("grant__mobility__participant")
        .order_by("grant__start", "pk")
    )
    return render(
        request,
        "funding/budget.html",
        {
            "position": position,
            "allocations": list(position.budget.allocations.all()),
            "shares": list(shares),
        },
    )


@login_required
@require_GET
@domain_errors_as_http
def budget_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    position = selectors.get_budget_for_user(user=request.user, pk=pk)
    shares = list(
        position.budget.shares.filter(grant__status=GrantStatus.COMMITTED).select_related(
            "grant__mobility__participant"
        )
    )
    response = HttpResponse(render_budget_summary_pdf(position, shares), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="budget-{position.budget.pk}.pdf"'
    return response


@login_required
@require_GET
def runway(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "funding/runway.html",
        {"runways": selectors.runways(user=request.user, today=timezone.localdate())},
    )


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.GET or None)
    by = (form.cleaned_data.get("by") if form.is_valid() else "") or "funder"
    rows = selectors.report(user=request.user, by=by)
    fmt = request.GET.get("format")
    if fmt in exports.FORMATS:
        table = [[by, "currency", "committed", "paid", "to pay"]] + [
            [row.key, row.currency, row.committed, row.paid, row.to_pay] for row in rows
        ]
        return exports.spreadsheet(table, fmt, f"funding-by-{by}", by)
    template = "funding/_report_table.html" if request.headers.get("HX-Request") else "funding/report.html"
    return render(request, template, {"form": form, "rows": rows, "by": by})


@login_required
@require_GET
def beneficiary_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        fmt = "csv"
    grants = selectors.grants_for(user=request.user, action=FundingAction.MANAGE).filter(
        status=GrantStatus.COMMITTED
    )
    return exports.spreadsheet(
        exports.beneficiary_rows(grants), fmt, "beneficiary-module-mobilities", "Mobilities"
    )
