"""A partnership's objectives as evaluation tracks them, with the forms that bind an indicator to the
library and attach evidence to a figure entered by hand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.core.forms import add_domain_errors, show_conflict
from accord.core.http import domain_errors_as_http
from accord.evaluation import selectors, services
from accord.evaluation.forms import BindingForm, EvidenceForm
from accord.evaluation.wording import STATUS_RULE, status_label, trend_label
from accord.partnerships import selectors as partnerships
from accord.partnerships.querysets import PartnershipAction, partnership_may


def _page(request: HttpRequest, partnership, forms: dict | None = None, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    forms = forms or {}
    rows = []
    for objective, tracked in selectors.tracked_objectives(partnership=partnership, today=today):
        items = []
        for item in tracked:
            binding = item.binding
            items.append(
                {
                    "tracked": item,
                    "status": status_label(item.status),
                    "trend": trend_label(item.trend),
                    "form": forms.get(("bind", item.indicator.pk))
                    or BindingForm(
                        initial={
                            "definition": binding.definition if binding else "",
                            "first_year": binding.first_year
                            if binding
                            else (item.indicator.baseline_year or today.year),
                            "last_year": binding.last_year if binding else (item.target_year or today.year),
                            "version": binding.version if binding else 0,
                        },
                        prefix=f"bind-{item.indicator.pk}",
                    ),
                    "evidence_forms": {
                        point.actual.pk: forms.get(("evidence", point.actual.pk))
                        or EvidenceForm(
                            initial={
                                "link": getattr(getattr(point.actual, "evidence", None), "link", ""),
                                "description": getattr(
                                    getattr(point.actual, "evidence", None), "description", ""
                                ),
                                "version": getattr(getattr(point.actual, "evidence", None), "version", 0),
                            },
                            prefix=f"evidence-{point.actual.pk}",
                        )
                        for point in item.points
                        if point.actual is not None and not point.computed
                    },
                }
            )
        rows.append((objective, items))
    context = {
        "partnership": partnership,
        "objectives": rows,
        "status_rule": STATUS_RULE,
        "may_change": partnership_may(request.user, PartnershipAction.CHANGE, partnership),
        "may_contribute": partnership_may(request.user, PartnershipAction.CONTRIBUTE, partnership),
        "conflict": forms.get("conflict"),
    }
    return render(request, "evaluation/objectives.html", context, status=status)


@login_required
@require_GET
@domain_errors_as_http
def objectives(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, partnerships.get_partnership_for_user(user=request.user, pk=pk))


@login_required
@require_POST
@domain_errors_as_http
def bind(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    partnership = partnerships.get_partnership_for_user(
        user=request.user, pk=pk, action=PartnershipAction.CHANGE
    )
    indicator = partnerships.indicator_for(partnership=partnership, pk=indicator_pk)
    form = BindingForm(request.POST, prefix=f"bind-{indicator.pk}")
    if form.is_valid():
        try:
            services.indicator_binding_save(
                actor=request.user,
                indicator=indicator,
                definition=form.cleaned_data["definition"],
                first_year=form.cleaned_data["first_year"],
                last_year=form.cleaned_data["last_year"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as exc:
            return _page(
                request,
                partnership,
                {("bind", indicator.pk): form, "conflict": show_conflict(form, exc)},
                409,
            )
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("How %(name)s is measured is saved.") % {"name": indicator.name})
            return redirect("evaluation:objectives", pk=partnership.pk)
    return _page(request, partnership, {("bind", indicator.pk): form}, 400)


@login_required
@require_POST
@domain_errors_as_http
def evidence(request: HttpRequest, pk: int, actual_pk: int) -> HttpResponse:
    partnership = partnerships.get_partnership_for_user(
        user=request.user, pk=pk, action=PartnershipAction.CONTRIBUTE
    )
    actual = partnerships.actual_for(partnership=partnership, pk=actual_pk)
    form = EvidenceForm(request.POST, request.FILES, prefix=f"evidence-{actual.pk}")
    if form.is_valid():
        try:
            services.actual_evidence_save(
                actor=request.user,
                actual=actual,
                link=form.cleaned_data["link"],
                description=form.cleaned_data["description"],
                file=form.cleaned_data["file"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as exc:
            return _page(
                request,
                partnership,
                {("evidence", actual.pk): form, "conflict": show_conflict(form, exc)},
                409,
            )
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The evidence is saved."))
            return redirect("evaluation:objectives", pk=partnership.pk)
    return _page(request, partnership, {("evidence", actual.pk): form}, 400)
