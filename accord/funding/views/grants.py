"""Grants: the list, a grant's page (every amount line by line, the payments, the recalculations
with their differences), computing one for a mobility, changing its inputs, recording a payment,
the grant agreement PDF, and the forecast while selecting applicants."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.algorithms.funding.forecast import BudgetPosition
from accord.algorithms.funding.forecast import forecast as core_forecast
from accord.core.concurrency import StaleVersion
from accord.core.errors import NotFound
from accord.core.forms import show_conflict
from accord.core.http import domain_errors_as_http
from accord.core.listing import listing, render_listing
from accord.funding import applicants, selectors, services
from accord.funding.calculation import activity_for
from accord.funding.filters import GrantFilterForm
from accord.funding.forms import ApplicantForecastForm as ForecastApplicantsForm
from accord.funding.forms import ForecastForm, GrantCreateForm, GrantEditForm, PaymentForm, with_version
from accord.funding.models import Budget, RuleSet
from accord.funding.pdf import render_grant_agreement_pdf
from accord.funding.querysets import FundingAction, funding_may
from accord.funding.views._common import budget_choices, rule_set_choices, service_accepts

GRANT_FIELDS = (
    "fewer_opportunities",
    "green_travel",
    "travel_days",
    "distance_override_km",
    "distance_override_reason",
)


@login_required
@require_GET
def grant_list(request: HttpRequest) -> HttpResponse:
    form = GrantFilterForm(request.GET or None)
    grants = form.to_filter().apply(selectors.grants_for(user=request.user)).order_by("-start", "pk")
    found = listing(request, form=form, queryset=grants)
    return render_listing(
        request, found, template="funding/grants.html", results="funding/_grant_results.html"
    )


def _page(request: HttpRequest, grant, **extra) -> HttpResponse:
    detail = selectors.grant_detail(grant)
    manage = funding_may(request.user, FundingAction.MANAGE, grant.organisation_id)
    context = {
        "detail": detail,
        "grant": grant,
        "may_manage": manage,
        "edit_form": GrantEditForm(
            initial={**{n: getattr(grant, n) for n in GRANT_FIELDS}, "version": grant.version}
        ),
        "payment_form": PaymentForm(),
        **extra,
    }
    return render(request, "funding/grant.html", context)


@login_required
@require_GET
@domain_errors_as_http
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, selectors.get_grant_for_user(user=request.user, pk=pk))


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def grant_create(request: HttpRequest, mobility_pk: int) -> HttpResponse:
    mobility = selectors.mobilities_to_fund(user=request.user).filter(pk=mobility_pk).first()
    if mobility is None:
        raise NotFound(_("No such mobility without a grant."))
    organisation_id = mobility.sending_organisation_id
    budgets = budget_choices(request.user, organisation_id)
    form = GrantCreateForm(
        request.POST if request.method == "POST" else None,
        initial={"activity": activity_for(mobility), "travel_days": 0},
        rule_sets=rule_set_choices(request.user, organisation_id),
        budgets=budgets,
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        co_funder = values.pop("co_funder")
        budget = Budget.objects.get(pk=values.pop("budget"))
        rule_set = RuleSet.objects.get(pk=values.pop("rule_set"))
        co_funding = []
        if co_funder and co_funder != budget.pk:
            co_funding = [
                {"budget": co_funder, "kind": "components", "components": ["travel"]},
                {"budget": budget.pk, "kind": "remainder"},
            ]
        created = {}

        def save() -> None:
            created["grant"] = services.grant_create(
                actor=request.user,
                mobility=mobility,
                rule_set=rule_set,
                budget=budget,
                co_funding=co_funding,
                **values,
            )

        if service_accepts(form, save):
            messages.success(request, _("The grant is computed and committed."))
            return redirect("funding:grant", pk=created["grant"].pk)
    return render(request, "funding/grant_create.html", {"form": form, "mobility": mobility})


@login_required
@require_POST
@domain_errors_as_http
def grant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.get_grant_for_user(user=request.user, pk=pk, action=FundingAction.MANAGE)
    form = GrantEditForm(request.POST)
    conflict = None
    if form.is_valid():
        values = with_version(form.cleaned_data)
        expected = values.pop("expected_version")
        if values["distance_override_km"] is None:
            values["distance_override_reason"] = ""
        try:
            if service_accepts(
                form,
                lambda: services.grant_update(
                    actor=request.user, grant=grant, data=values, expected_version=expected
                ),
            ):
                messages.success(request, _("The grant is computed again."))
                return redirect("funding:grant", pk=grant.pk)
        except StaleVersion as exc:
            conflict = show_conflict(form, exc)
    grant = selectors.get_grant_for_user(user=request.user, pk=pk)
    return _page(request, grant, edit_form=form, conflict=conflict, open_edit=True)


@login_required
@require_POST
@domain_errors_as_http
def payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.get_grant_for_user(user=request.user, pk=pk, action=FundingAction.MANAGE)
    form = PaymentForm(request.POST)
    if form.is_valid() and service_accepts(
        form, lambda: services.payment_record(actor=request.user, grant=grant, **form.cleaned_data)
    ):
        messages.success(request, _("The payment is recorded."))
        return redirect("funding:grant", pk=grant.pk)
    grant = selectors.get_grant_for_user(user=request.user, pk=pk)
    return _page(request, grant, payment_form=form, open_payment=True)


@login_required
@require_GET
@domain_errors_as_http
def grant_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.get_grant_for_user(user=request.user, pk=pk)
    response = HttpResponse(
        render_grant_agreement_pdf(selectors.grant_detail(grant)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="grant-agreement-{grant.pk}.pdf"'
    return response


@login_required
@require_GET
def forecast(request: HttpRequest) -> HttpResponse:
    """Cost of the applicants being chosen against the budgets; htmx refreshes the result as boxes
    are ticked."""
    candidates = list(selectors.mobilities_to_fund(user=request.user)[:200])
    budgets = budget_choices(request.user)
    form = ForecastForm(
        request.GET or None,
        rule_sets=rule_set_choices(request.user),
        budgets=budgets,
        mobilities=[(m.pk, f"{m.participant} → {m.receiving_organisation.name}") for m in candidates],
    )
    rows, costs, total = [], {}, Decimal(0)
    if form.is_bound and form.is_valid():
        rule_set = selectors.active_rule_sets(user=request.user).get(pk=form.cleaned_data["rule_set"])
        chosen = [m for m in candidates if m.pk in set(form.cleaned_data["mobilities"])]
        rows, costs = selectors.forecast(
            user=request.user,
            rule_set=rule_set,
            budget_ids=[pk for pk, _label in budgets],
            chosen=chosen,
            charge_to=form.cleaned_data["budget"],
        )
        total = sum((cost for cost, _reason in costs.values() if cost is not None), Decimal(0))
    names = {pk: label for pk, label in budgets}
    context = {
        "form": form,
        "rows": [(names.get(int(row.key), row.key), row) for row in rows],
        "costs": [(m, costs[m.pk]) for m in candidates if m.pk in costs],
        "total": total,
    }
    template = (
        "funding/_forecast_result.html" if request.headers.get("HX-Request") else "funding/forecast.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def applicant_forecast(request: HttpRequest) -> HttpResponse:
    """While selecting a call's applicants: what each would cost, and the chosen ones against the
    budgets (htmx refreshes the result as boxes are ticked)."""
    calls = list(applicants.calls_to_forecast(user=request.user)[:100])
    budgets = budget_choices(request.user)
    rule_sets = rule_set_choices(request.user)
    call_id = request.GET.get("call")
    call = next((c for c in calls if str(c.pk) == call_id), calls[0] if calls else None)
    rule_set_id = request.GET.get("rule_set") or (rule_sets[0][0] if rule_sets else None)
    rule_set = (
        selectors.active_rule_sets(user=request.user).filter(pk=rule_set_id).first() if rule_set_id else None
    )
    costs = applicants.applicant_costs(call=call, rule_set=rule_set) if call and rule_set else []
    form = ForecastApplicantsForm(
        request.GET or None,
        calls=[(c.pk, f"{c.title} ({c.academic_year})") for c in calls],
        rule_sets=rule_sets,
        budgets=budgets,
        applications=[(item.application.pk, str(item.application.student)) for item in costs],
    )
    rows, total = [], Decimal(0)
    if form.is_bound and form.is_valid():
        chosen = set(form.cleaned_data["applications"])
        total = sum((i.cost for i in costs if i.application.pk in chosen and i.cost is not None), Decimal(0))
        positions = selectors.budgets_for(user=request.user).filter(pk__in=[pk for pk, _label in budgets])
        rows = core_forecast(
            [BudgetPosition(str(b.pk), b.amount, selectors.annotated(b, "committed")) for b in positions],
            {str(form.cleaned_data["budget"]): total},
        )
    names = dict(budgets)
    context = {
        "form": form,
        "applicant_costs": costs,
        "rows": [(names.get(int(row.key), row.key), row) for row in rows],
        "total": total,
    }
    template = (
        "funding/_applicant_result.html" if request.headers.get("HX-Request") else "funding/applicants.html"
    )
    return render(request, template, context)
