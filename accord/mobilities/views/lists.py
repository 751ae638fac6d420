"""The lists and work queues of mobilities, and the recognition rates."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.core.listing import listing, render_listing
from accord.mobilities import selectors
from accord.mobilities.filters import MobilityFilterForm


@login_required
def mobility_list(request: HttpRequest) -> HttpResponse:
    form = MobilityFilterForm(request.GET or None)
    found = listing(
        request, form=form, queryset=selectors.mobility_list(user=request.user, filters=form.to_filter())
    )
    context = {}
    if not found.htmx:
        # The work queues stand above the filters, which refresh only the results.
        context = {
            "to_sign": selectors.awaiting_my_signature(user=request.user),
            "overdue": selectors.transcripts_overdue(user=request.user, today=timezone.localdate()),
            "may_create": is_platform_staff(request.user)
            or bool(organisation_ids_with_roles(request.user, MANAGING_ROLES)),
        }
    return render_listing(
        request, found, template="mobilities/list.html", results="mobilities/_results.html", context=context
    )


@login_required
def recognition_rates(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by", "partner")
    by = by if by in selectors.GROUPINGS else "partner"
    rows = selectors.recognition_rates(user=request.user, by=by)
    return render(
        request, "mobilities/rates.html", {"rows": rows, "by": by, "groupings": selectors.GROUPINGS}
    )
