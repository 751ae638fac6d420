"""The catalogue pages: courses (filtered by organisation), a course, adding, editing and importing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accord.core.concurrency import StaleVersion
from accord.core.errors import ValidationFailed
from accord.core.forms import add_domain_errors, show_conflict
from accord.core.http import domain_errors_as_http
from accord.courses import selectors, services
from accord.courses.forms import CourseEditForm, CourseForm, CourseImportForm
from accord.courses.importing import course_import
from accord.courses.querysets import CourseAction
from accord.organisations import selectors as directory
from accord.organisations.transfer.columns import ImportFailed

FIELDS = tuple(CourseForm.base_fields)


def _organisation_id(request: HttpRequest) -> int | None:
    value = request.GET.get("organisation", "")
    return int(value) if value.isdigit() else None


@login_required
@require_GET
@domain_errors_as_http
def course_list(request: HttpRequest) -> HttpResponse:
    organisation_id = _organisation_id(request)
    organisation = (
        directory.get_organisation_for_user(user=request.user, pk=organisation_id)
        if organisation_id
        else None
    )
    q = request.GET.get("q", "").strip()
    courses = selectors.course_list(user=request.user, organisation_id=organisation_id, q=q)
    page = Paginator(courses, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/list.html",
        {
            "organisation": organisation,
            "page_obj": page,
            "q": q,
            "may_manage": organisation is not None
            and selectors.may_manage(user=request.user, organisation_id=organisation.pk),
        },
    )


@login_required
@require_GET
@domain_errors_as_http
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.get_course_for_user(user=request.user, pk=pk)
    return render(
        request,
        "courses/detail.html",
        {
            "course": course,
            "may_manage": selectors.may_manage(user=request.user, organisation_id=course.organisation_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def create(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    organisation = directory.get_organisation_for_user(user=request.user, pk=organisation_pk)
    services.require_manage(request.user, organisation)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The course was added to the catalogue."))
            return redirect("courses:detail", course.pk)
    return render(
        request, "courses/form.html", {"form": form, "organisation": organisation, "title": _("Add a course")}
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.get_course_for_user(user=request.user, pk=pk, action=CourseAction.MANAGE)
    initial = {name: getattr(course, name) for name in FIELDS}
    initial["version"] = course.version
    form = CourseEditForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.course_update(actor=request.user, course=course, expected_version=version, **data)
        except StaleVersion as exc:
            conflict = show_conflict(form, exc)
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The course was saved."))
            return redirect("courses:detail", course.pk)
    return render(
        request,
        "courses/form.html",
        {
            "form": form,
            "course": course,
            "organisation": course.organisation,
            "conflict": conflict,
            "title": _("Edit the course"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def import_file(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    organisation = directory.get_organisation_for_user(user=request.user, pk=organisation_pk)
    services.require_manage(request.user, organisation)
    form = CourseImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            outcome = course_import(
                actor=request.user, organisation=organisation, data=form.cleaned_data["file"].read()
            )
        except ImportFailed as exc:
            problems = exc.problems
        else:
            messages.success(
                request,
                _("Imported %(rows)s courses: %(created)s added, %(updated)s updated.")
                % {"rows": outcome.rows, "created": outcome.created, "updated": outcome.updated},
            )
            return redirect(f"{reverse('courses:list')}?organisation={organisation.pk}")
    return render(
        request, "courses/import.html", {"form": form, "organisation": organisation, "problems": problems}
    )
