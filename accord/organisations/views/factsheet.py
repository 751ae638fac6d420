"""The factsheet section of an organisation's profile and its edit form (htmx swaps the section).

Reading is for everyone signed in; editing for the organisation's admins and coordinators. Without
htmx the form is a page of its own that posts and redirects back to the profile.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accord.accounts.access import Action
from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.core.forms import show_conflict
from accord.core.http import domain_errors_as_http, is_htmx
from accord.organisations import selectors, services
from accord.organisations.forms import FactsheetForms
from accord.organisations.models import Organisation


def factsheet_context(request: HttpRequest, organisation: Organisation, **extra) -> dict:
    return {
        "organisation": organisation,
        "factsheet": selectors.factsheet_of(user=request.user, organisation=organisation),
        "can": selectors.organisation_permissions(user=request.user, organisation=organisation),
        **extra,
    }


@login_required
@require_GET
@domain_errors_as_http
def factsheet_section(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.get_organisation_for_user(user=request.user, pk=pk)
    if not is_htmx(request):
        return redirect(reverse("organisations:detail", args=[pk]) + "#factsheet")
    return render(request, "organisations/_factsheet.html", factsheet_context(request, organisation))


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def factsheet_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.get_organisation_for_user(user=request.user, pk=pk, action=Action.MANAGE)
    factsheet = selectors.factsheet_of(user=request.user, organisation=organisation)
    forms = FactsheetForms(request.POST if request.method == "POST" else None, factsheet=factsheet)
    conflict = None
    if request.method == "POST" and forms.is_valid():
        try:
            services.factsheet_update(
                actor=request.user,
                organisation=organisation,
                expected_version=forms.expected_version,
                **forms.service_data(),
            )
        except StaleVersion as exc:
            conflict = show_conflict(forms.main, exc)
        except errors.ValidationFailed as exc:
            forms.add_errors(exc)
        else:
            if is_htmx(request):
                context = factsheet_context(request, organisation, status=_("Factsheet saved."))
                return render(request, "organisations/_factsheet.html", context)
            messages.success(request, _("Factsheet saved."))
            return redirect(reverse("organisations:detail", args=[organisation.pk]) + "#factsheet")
    context = {
        "organisation": organisation,
        "forms": forms,
        "inline": is_htmx(request),
        "conflict": conflict,
        "reload_url": reverse(
            "organisations:factsheet-edit", args=[organisation.pk]
        ),  # a page of its own: the inline form sits inside its section
    }
    template = "_factsheet_form.html" if is_htmx(request) else "factsheet_edit.html"
    return render(request, f"organisations/{template}", context)
