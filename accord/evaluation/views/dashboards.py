"""The dashboards of an institution, a partnership, a programme and a portfolio, and their CSVs."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accord.bips.exports import participants_export
from accord.core.errors import ValidationFailed
from accord.core.http import domain_errors_as_http
from accord.evaluation import charts, reports, selectors
from accord.evaluation.filters import DashboardFilterForm
from accord.evaluation.health_sources import pending_checks
from accord.evaluation.library import ScopeKind
from accord.evaluation.selectors.dashboard import country_label
from accord.evaluation.wording import HEALTH_RULE, SUGGESTION_LABELS, warning_text
from accord.partnerships.models import Partnership


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The user's first institution's dashboard; platform staff without one see the whole portfolio."""
    institutions = selectors.institutions_for(request.user)
    if institutions:
        return redirect("evaluation:institution", pk=institutions[0].pk)
    if request.user.is_staff:
        return redirect("evaluation:portfolio-all")
    raise Http404(_("You work at no institution, so there is no dashboard to show you."))


def _data(request: HttpRequest, kind: str, pk: int | None):
    form = DashboardFilterForm(request.GET or None)
    scope, record = selectors.scope_for_user(user=request.user, kind=kind, pk=pk)
    first, last = form.years()
    try:
        period = selectors.period_from(first, last, timezone.localdate())
    except ValidationFailed as exc:
        form.is_valid()
        for field, messages in exc.errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
        period = selectors.period_from(None, None, timezone.localdate())
    data = selectors.dashboard(user=request.user, scope=scope, period=period, filters=form.to_filter())
    return form, scope, record, data


def _context(request: HttpRequest, kind: str, pk: int | None) -> dict:
    form, scope, record, data = _data(request, kind, pk)
    today = timezone.localdate()
    series = data.series
    context = {
        "form": form,
        "scope": scope,
        "record": record,
        "data": data,
        "institutions": selectors.institutions_for(request.user),
        "query": request.GET.urlencode(),
        "list_query": form.list_query(),
        "series_chart": charts.columns(
            [row["label"] for row in series],
            [
                (_("Outgoing"), [row["out"] for row in series]),
                (_("Incoming"), [row["in"] for row in series]),
                (_("Between partners"), [row["other"] for row in series]),
            ],
            title=_("Mobilities per academic year"),
            table_id="table-series",
        ),
        "flows": [
            (country_label(f.origin), country_label(f.destination), f.count, f.south_south)
            for f in data.flows
        ],
        "breakdowns": [
            (
                shown,
                charts.bars(
                    [(row.label, row.value) for row in shown.figure.breakdown] if shown.figure else [],
                    title=str(shown.definition.name),
                    table_id=f"table-{shown.definition.key}",
                ),
            )
            for shown in data.breakdowns
        ],
        "pending_checks": pending_checks(),
        "health_rule": HEALTH_RULE,
    }
    context["world_map"] = charts.world_map(
        [(f.origin, f.destination, f.count) for f in data.flows],
        title=_("Flows between countries on the world map"),
        table_id="table-flows",
    )
    context["flows_chart"] = charts.flows(
        [(o, d, n) for o, d, n, _s in context["flows"]],
        title=_("Flows between countries"),
        table_id="table-flows",
    )
    if kind == ScopeKind.PARTNERSHIP and isinstance(record, Partnership):
        context["health"] = _explained(selectors.health_of(partnerships=[record], today=today))
    if kind == ScopeKind.PORTFOLIO:
        partnerships = selectors.portfolio_partnerships(user=request.user, scope=scope)
        context["health"] = _explained(selectors.health_of(partnerships=partnerships, today=today))
    if kind == ScopeKind.INSTITUTION:
        context["programmes"] = selectors.programmes_of(user=request.user, organisation_id=scope.pk)
    return context


def _explained(items):
    return [
        {
            "partnership": item.partnership,
            "score": item.assessment.score,
            "activity": item.assessment.activity,
            "suggestion": SUGGESTION_LABELS[item.assessment.suggestion],
            "warnings": [(w.severity, warning_text(w)) for w in item.assessment.warnings],
        }
        for item in items
    ]


def _page(request: HttpRequest, kind: str, pk: int | None) -> HttpResponse:
    context = _context(request, kind, pk)
    context["csv_base"] = _csv_base(kind, pk)
    context["report_url"] = reverse("evaluation:report", args=[kind, pk or 0])
    return render(request, "evaluation/dashboard.html", context)


def _csv_base(kind: str, pk: int | None) -> str:
    return reverse("evaluation:csv", args=[kind, pk or 0, "TABLE"]).replace("TABLE", "")


@login_required
@require_GET
@domain_errors_as_http
def institution(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, ScopeKind.INSTITUTION, pk)


@login_required
@require_GET
@domain_errors_as_http
def partnership(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, ScopeKind.PARTNERSHIP, pk)


@login_required
@require_GET
@domain_errors_as_http
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, ScopeKind.PROGRAMME, pk)


@login_required
@require_GET
@domain_errors_as_http
def portfolio(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _page(request, ScopeKind.PORTFOLIO, pk)


@login_required
@require_GET
@domain_errors_as_http
def table_csv(request: HttpRequest, kind: str, pk: int, table: str) -> HttpResponse:
    """Each chart's data as CSV, under the same filters as the page."""
    if kind not in ScopeKind.ALL:
        raise Http404
    _form, _scope, _record, data = _data(request, kind, pk or None)
    if table == "indicators":
        rows = reports.indicator_rows(data)
    elif table == "series":
        rows = reports.series_rows(data)
    elif table == "flows":
        rows = reports.flow_rows(data)
    else:
        shown = next((s for s in data.breakdowns if s.definition.key == table), None)
        if shown is None:
            raise Http404
        rows = reports.breakdown_rows(shown)
    return participants_export(rows, "csv", f"{kind}-{pk}-{table}")
