"""The discovery pages: partner recommendations with their weights and reasons, "what does this course
count as", the suggestions fragment a learning agreement loads, approving an equivalence, inviting a
recommended partner, and updating the index."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES, STAFF_ROLES, Role
from accord.core.errors import DomainError
from accord.core.http import domain_errors_as_http
from accord.courses import selectors as catalogue
from accord.discovery import indexing, selectors, services
from accord.discovery.forms import FACTOR_LABELS, EquivalentsForm, WeightsForm
from accord.discovery.recommendations import focus_choices, focus_text, recommend_partners
from accord.organisations import selectors as directory
from accord.organisations.models import Organisation


def _own_organisations(request: HttpRequest, roles=STAFF_ROLES) -> list[tuple[int, str]]:
    queryset = Organisation.objects.order_by("name")
    if not is_platform_staff(request.user):
        queryset = queryset.filter(pk__in=organisation_ids_with_roles(request.user, roles))
    return list(queryset.values_list("pk", "name"))


@login_required
@require_GET
def partners(request: HttpRequest) -> HttpResponse:
    own = _own_organisations(request)
    if not own:
        raise Forbidden(_("Partner recommendations are for the staff of an institution."))
    data = request.GET.copy() if request.GET else None
    chosen = request.GET.get("organisation", "")
    organisation_id = int(chosen) if chosen.isdigit() and int(chosen) in dict(own) else own[0][0]
    organisation = Organisation.objects.get(pk=organisation_id)
    units, objectives = focus_choices(user=request.user, organisation=organisation)
    form = WeightsForm(
        data, organisations=own, units=units, objectives=objectives, initial={"organisation": organisation_id}
    )
    extra = ""
    if data and form.is_valid():
        unit, objective = form.cleaned_data["unit"], form.cleaned_data["objective"]
        extra = focus_text(
            user=request.user,
            organisation=organisation,
            unit_id=int(unit) if unit else None,
            objective_id=int(objective) if objective else None,
        )
        extra = f"{extra}\n{form.cleaned_data['focus']}".strip()
    answer = recommend_partners(
        user=request.user, organisation=organisation, weights=form.weights(), extra_text=extra
    )
    return render(
        request,
        "discovery/partners.html",
        {
            "form": form,
            "organisation": organisation,
            "answer": answer,
            "labels": FACTOR_LABELS,
            "may_invite": organisation_id in organisation_ids_with_roles(request.user, MANAGING_ROLES)
            or is_platform_staff(request.user),
        },
    )


@login_required
@require_POST
@domain_errors_as_http
def invite(request: HttpRequest, organisation_pk: int, candidate_pk: int) -> HttpResponse:
    organisation = directory.get_organisation_for_user(user=request.user, pk=organisation_pk)
    candidate = directory.get_organisation_for_user(user=request.user, pk=candidate_pk)
    try:
        partnership = services.partnership_invite(
            actor=request.user, organisation=organisation, candidate=candidate
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('discovery:partners')}?organisation={organisation.pk}")
    messages.success(request, _("The partnership was started; invite the partner's contacts from its page."))
    return redirect("partnerships:detail", partnership.pk)


def _equivalents_context(request: HttpRequest, data, host_course_id: int | None = None) -> dict:
    # Students suggest for their own institution too, so any membership counts here.
    organisations = _own_organisations(request, frozenset(Role.values)) or list(
        Organisation.objects.order_by("name").values_list("pk", "name")
    )
    form = EquivalentsForm(data, organisations=organisations)
    answer = None
    if data is not None and form.is_valid():
        answer = selectors.suggest_equivalents(
            user=request.user,
            home_organisation_id=form.cleaned_data["home"],
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            ects=form.cleaned_data["ects"],
            isced=form.cleaned_data["isced"],
            eqf=form.cleaned_data["eqf"],
            language=form.cleaned_data["language"],
            host_organisation_id=int(data["host"]) if data.get("host", "").isdigit() else None,
            host_code=data.get("host_code", ""),
            host_course_id=host_course_id,
        )
    return {"form": form, "answer": answer, "may_approve": bool(_own_organisations(request, MANAGING_ROLES))}


@login_required
@require_GET
@domain_errors_as_http
def equivalents(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy() if "title" in request.GET else None
    if request.GET.get("course", "").isdigit():
        course = catalogue.get_course_for_user(user=request.user, pk=int(request.GET["course"]))
        own = _own_organisations(request)
        data = {
            "home": str(own[0][0]) if own else "",
            "title": course.title,
            "description": course.description,
            "ects": str(course.ects),
            "isced": course.isced_code,
            "eqf": str(course.eqf_level or ""),
            "language": course.language,
            "host": str(course.organisation_id),
            "host_code": course.code,
        }
    course_id = int(request.GET["course"]) if request.GET.get("course", "").isdigit() else None
    context = _equivalents_context(request, data, course_id)
    context["host"] = (data or {}).get("host", "")
    context["host_code"] = (data or {}).get("host_code", "")
    template = (
        "discovery/_suggestions.html"
        if request.headers.get("HX-Request") == "true"
        else "discovery/equivalents.html"
    )
    return render(request, template, context)


@login_required
@require_POST
@domain_errors_as_http
def approve(request: HttpRequest, course_pk: int) -> HttpResponse:
    course = catalogue.get_course_for_user(user=request.user, pk=course_pk)
    host = request.POST.get("host", "")
    try:
        services.equivalence_approve(
            actor=request.user,
            home_course=course,
            host_title=request.POST.get("host_title", ""),
            host_code=request.POST.get("host_code", ""),
            host_organisation=Organisation.objects.filter(pk=int(host)).first() if host.isdigit() else None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Remembered: future suggestions for this course will rank %(code)s higher.")
            % {"code": course.code},
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("discovery:equivalents")
    return redirect(back)


@login_required
@require_POST
def reindex(request: HttpRequest) -> HttpResponse:
    if not _own_organisations(request, MANAGING_ROLES):
        raise Forbidden(_("Only admins and coordinators update the course index."))
    job = indexing.index_enqueue(actor=request.user, organisation_id=None)
    return redirect("core:job-status", job.pk)
