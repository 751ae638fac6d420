"""The meeting planner of any partnership, and the .ics invitation of a chosen hour."""

from datetime import UTC, datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accord.algorithms.timewindows import parse_window
from accord.core.http import domain_errors_as_http
from accord.partnerships import selectors as partnerships
from accord.virtual_exchange.forms import PlannerForm
from accord.virtual_exchange.ical import meeting_invitation
from accord.virtual_exchange.planner import meeting_plan


@login_required
@require_GET
@domain_errors_as_http
def planner(request: HttpRequest) -> HttpResponse:
    queryset, _filters = partnerships.partnership_list(user=request.user)
    choices = [(p.pk, p.title) for p in queryset.prefetch_related(None)[:200]]
    form = PlannerForm(request.GET or None, partnerships=choices)
    plan = partnership = None
    if request.GET and form.is_valid():
        try:
            window = parse_window(form.cleaned_data["day"])
        except ValueError:
            form.add_error("day", _("Give the day as a window such as 08:00-18:00."))
        else:
            partnership = partnerships.get_partnership_for_user(
                user=request.user, pk=form.cleaned_data["partnership"]
            )
            plan = meeting_plan(
                partnership,
                first_date=form.cleaned_data["first_date"],
                days=form.cleaned_data["days"],
                window=window,
            )
    return render(
        request, "virtual_exchange/planner.html", {"form": form, "plan": plan, "partnership": partnership}
    )


@login_required
@require_GET
@domain_errors_as_http
def invitation(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnerships.get_partnership_for_user(user=request.user, pk=pk)
    try:
        start = datetime.fromisoformat(request.GET["start"]).astimezone(UTC)
        minutes = int(request.GET.get("minutes", "60"))
    except (KeyError, ValueError):
        return HttpResponseBadRequest(_("Give the meeting's start as an ISO date and time."))
    if not 15 <= minutes <= 480:
        return HttpResponseBadRequest(_("A meeting lasts 15 minutes to 8 hours."))
    body = meeting_invitation(
        title=_("%(partnership)s: partners' meeting") % {"partnership": partnership.title},
        start=start,
        minutes=minutes,
        organiser_email=request.user.email,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{start:%Y%m%dT%H%M}Z.ics"'
    return response
