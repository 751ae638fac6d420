"""A rule set's page: its versions and every figure with its source; administrators edit a draft,
make a new version of one in force, and put a draft in force."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.core.forms import show_conflict
from accord.core.http import domain_errors_as_http
from accord.funding import selectors, services
from accord.funding.choices import RuleSetStatus
from accord.funding.forms import RuleSetDataForm, with_version
from accord.funding.querysets import FundingAction, funding_may
from accord.funding.views._common import service_accepts


def _figures(data: dict) -> list[dict]:
    """Every figure of the rules, flattened for the page: where it is, amount, source, validity."""
    found = []

    def walk(node, path):
        if isinstance(node, dict):
            if "amount" in node and not isinstance(node["amount"], dict | list):
                found.append(
                    {
                        "path": path,
                        "amount": node["amount"],
                        "document": node.get("document") or data.get("document", ""),
                        "page": node.get("page"),
                        "valid_from": node.get("valid_from") or data.get("valid_from"),
                        "valid_until": node.get("valid_until") or data.get("valid_until"),
                    }
                )
                return
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]")

    walk(
        {k: v for k, v in data.items() if k in ("distance_bands", "activities", "organisational_support")}, ""
    )
    return found


@login_required
@require_GET
@domain_errors_as_http
def rule_set(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.get_rule_set_for_user(user=request.user, pk=pk)
    versions = list(found.versions.order_by("-number"))
    shown = next((v for v in versions if v.status == RuleSetStatus.DRAFT), None) or (
        versions[0] if versions else None
    )
    return render(
        request,
        "funding/rule_set.html",
        {
            "rule_set": found,
            "versions": versions,
            "shown": shown,
            "figures": _figures(shown.data) if shown else [],
            "may_configure": funding_may(request.user, FundingAction.CONFIGURE, found.organisation_id),
            "has_draft": any(v.status == RuleSetStatus.DRAFT for v in versions),
        },
    )


@login_required
@require_POST
@domain_errors_as_http
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.get_rule_set_for_user(user=request.user, pk=pk, action=FundingAction.CONFIGURE)
    try:
        version = services.rule_set_version_draft(actor=request.user, rule_set=found)
    except errors.Conflict as exc:
        messages.error(request, exc.message)
        return redirect("funding:rule-set", pk=found.pk)
    return redirect("funding:version-edit", pk=version.pk)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_rule_set_version_for_user(
        user=request.user, pk=pk, action=FundingAction.CONFIGURE
    )
    initial = {"data": json.dumps(version.data, indent=1, ensure_ascii=False), "version": version.version}
    form = RuleSetDataForm(request.POST if request.method == "POST" else None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        values = with_version(form.cleaned_data)
        try:
            if service_accepts(
                form, lambda: services.rule_set_version_update(actor=request.user, version=version, **values)
            ):
                messages.success(request, _("The draft is saved. Put it in force when it is ready."))
                return redirect("funding:rule-set", pk=version.rule_set_id)
        except StaleVersion as exc:
            conflict = show_conflict(form, exc)
    return render(
        request, "funding/version_edit.html", {"form": form, "version": version, "conflict": conflict}
    )


@login_required
@require_POST
@domain_errors_as_http
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_rule_set_version_for_user(
        user=request.user, pk=pk, action=FundingAction.CONFIGURE
    )
    try:
        services.rule_set_version_publish(
            actor=request.user,
            version=version,
            expected_version=int(request.POST.get("version") or 0) or None,
        )
    except (errors.Conflict, errors.ValidationFailed) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Version %(number)s is in force.") % {"number": version.number})
    return redirect("funding:rule-set", pk=version.rule_set_id)
