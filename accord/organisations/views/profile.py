"""An organisation's profile: reading it, editing it and adding an organisation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accord.accounts.access import Action, is_platform_staff
from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.core.forms import show_conflict
from accord.core.http import domain_errors_as_http
from accord.organisations import selectors, services
from accord.organisations.forms import OrganisationEditForm, OrganisationForm, add_domain_errors
from accord.organisations.models import Organisation
from accord.organisations.views.sections import contacts_context, units_context


@login_required
@require_GET
@domain_errors_as_http
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_profile(user=request.user, pk=pk)
    context = {
        **units_context(request, organisation),
        **contacts_context(request, organisation),
        "factsheet": selectors.factsheet_of(user=request.user, organisation=organisation),
    }
    return render(request, "organisations/detail.html", context)


def _network_options(request: HttpRequest, organisation: Organisation | None) -> list[Organisation]:
    own = organisation.pk if organisation else None
    return [network for network in selectors.network_choices(user=request.user) if network.pk != own]


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_profile(user=request.user, pk=pk, action=Action.CHANGE)
    initial = {**OrganisationForm.initial_from(organisation), "version": organisation.version}
    networks = _network_options(request, organisation)
    conflict = None
    if request.method == "POST":
        form = OrganisationEditForm(request.POST, request.FILES, initial=initial, networks=networks)
        if form.is_valid():
            try:
                services.organisation_update(
                    actor=request.user,
                    organisation=organisation,
                    expected_version=form.cleaned_data["version"],
                    **form.service_data(),
                )
            except StaleVersion as exc:
                conflict = show_conflict(form, exc)
            except errors.ValidationFailed as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("organisations:detail", pk=organisation.pk)
    else:
        form = OrganisationEditForm(initial=initial, networks=networks)
    context = {
        "form": form,
        "organisation": organisation,
        "conflict": conflict,
        "reload_url": reverse("organisations:edit", args=[organisation.pk]),
    }
    return render(request, "organisations/edit.html", context, status=409 if conflict else 200)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def create(request: HttpRequest) -> HttpResponse:
    if not is_platform_staff(request.user):
        raise Forbidden(_("Only platform staff can add organisations to the directory."))
    networks = _network_options(request, None)
    if request.method == "POST":
        form = OrganisationForm(request.POST, request.FILES, networks=networks)
        if form.is_valid():
            try:
                organisation = services.organisation_create(actor=request.user, **form.service_data())
            except errors.ValidationFailed as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("organisations:detail", pk=organisation.pk)
    else:
        form = OrganisationForm(networks=networks)
    return render(request, "organisations/edit.html", {"form": form, "organisation": None})
