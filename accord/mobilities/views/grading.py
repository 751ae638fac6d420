"""An institution's grading data: scales, distribution tables, settings and credit rules."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accord.accounts.access import organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.core import errors
from accord.core.http import domain_errors_as_http
from accord.mobilities import forms, selectors, services
from accord.mobilities.models import GradingScale
from accord.mobilities.services.rules import credit_rule_save
from accord.mobilities.views._common import attempt
from accord.organisations.models import Organisation


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def grading(request: HttpRequest) -> HttpResponse:
    managing = organisation_ids_with_roles(request.user, MANAGING_ROLES)
    organisations = Organisation.objects.filter(pk__in=managing).order_by("name")
    organisation = (
        organisations.filter(pk=request.GET.get("organisation") or 0).first() or organisations.first()
    )
    if organisation is None:
        raise errors.PermissionDenied(_("Only admins and coordinators manage grading scales and tables."))
    scales = GradingScale.objects.filter(organisation=organisation)
    current = selectors.settings_for(organisation)
    post = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if post else None
    scale_form = forms.ScaleForm(post if which == "scale" else None)
    table_form = forms.TableImportForm(
        post if which == "table" else None, request.FILES if which == "table" else None, scales=scales
    )
    settings_form = forms.SettingsForm(
        post if which == "settings" else None,
        scales=scales,
        initial={
            "conversion_policy": current.conversion_policy,
            "transcript_days": current.transcript_days,
            "home_scale": current.home_scale_id,
        },
    )
    rule_form = forms.RuleForm(post if which == "rule" else None)
    done = False
    if which == "scale" and scale_form.is_valid():
        done = attempt(
            request,
            scale_form,
            lambda: services.scale_save(
                actor=request.user, organisation=organisation, **scale_form.cleaned_data
            ),
            _("Scale saved."),
        )
    elif which == "table" and table_form.is_valid():
        data = table_form.cleaned_data
        done = attempt(
            request,
            table_form,
            lambda: services.grade_table_import(
                actor=request.user,
                organisation=organisation,
                scale=scales.get(pk=data["scale"]),
                filename=data["file"].name,
                data=data["file"].read(),
                isced_code=data["isced_code"],
                eqf_level=data["eqf_level"],
                reference_period=data["reference_period"],
            ),
            _("Grade distribution table imported."),
        )
    elif which == "settings" and settings_form.is_valid():
        data = settings_form.cleaned_data
        done = attempt(
            request,
            settings_form,
            lambda: services.settings_save(
                actor=request.user,
                organisation=organisation,
                conversion_policy=data["conversion_policy"],
                transcript_days=data["transcript_days"],
                home_scale=scales.filter(pk=data["home_scale"]).first() if data["home_scale"] else None,
            ),
            _("Settings saved."),
        )
    elif which == "rule" and rule_form.is_valid():
        done = attempt(
            request,
            rule_form,
            lambda: credit_rule_save(actor=request.user, organisation=organisation, **rule_form.cleaned_data),
            _("Rule saved."),
        )
    if done:
        return redirect(f"{request.path}?organisation={organisation.pk}")
    context = {
        "organisation": organisation,
        "organisations": organisations,
        "scales": scales,
        "tables": organisation.grade_tables.select_related("scale"),
        "rules": organisation.credit_rules.all(),
        "scale_form": scale_form,
        "table_form": table_form,
        "settings_form": settings_form,
        "rule_form": rule_form,
    }
    return render(request, "mobilities/grading.html", context)
