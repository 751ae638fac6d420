"""The lists and work queues of mobilities, and the recognition rates."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.mobilities import forms, selectors

PAGE_LIMIT = 200


@login_required
def mobility_list(request: HttpRequest) -> HttpResponse:
    form = forms.FilterForm(request.GET or None)
    mobilities = list(selectors.mobility_list(user=request.user, filters=form.to_filter())[:PAGE_LIMIT])
    today = timezone.localdate()
    context = {
        "form": form,
        "mobilities": mobilities,
        "to_sign": selectors.awaiting_my_signature(user=request.user),
        "overdue": selectors.transcripts_overdue(user=request.user, today=today),
        "may_create": is_platform_staff(request.user)
        or bool(organisation_ids_with_roles(request.user, MANAGING_ROLES)),
    }
    return render(request, "mobilities/list.html", context)


@login_required
def recognition_rates(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by", "partner")
    by = by if by in selectors.GROUPINGS else "partner"
    rows = selectors.recognition_rates(user=request.user, by=by)
    return render(
        request, "mobilities/rates.html", {"rows": rows, "by": by, "groupings": selectors.GROUPINGS}
    )
