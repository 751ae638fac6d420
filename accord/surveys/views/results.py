"""The coordinators' pages: the rounds, a round's aggregate results and CSV, its schedule and
invitations by address, and opening a round by hand."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.core.forms import add_domain_errors, show_conflict
from accord.core.http import domain_errors_as_http
from accord.organisations.models import Organisation
from accord.organisations.transfer.reading import FORMULA_PREFIXES
from accord.partnerships.models import Partnership
from accord.surveys import selectors, services
from accord.surveys.forms import InviteForm, ScheduleForm, SurveyOpenForm, with_version
from accord.surveys.models import SurveyTemplate
from accord.surveys.selectors.results import RoundResult, round_results
from accord.surveys.services.templates import SCHEDULE_FIELDS


def managed_organisations(request: HttpRequest) -> list[Organisation]:
    organisations = Organisation.objects.order_by("name")
    if not is_platform_staff(request.user):
        organisations = organisations.filter(pk__in=organisation_ids_with_roles(request.user, MANAGING_ROLES))
    return list(organisations.only("pk", "name"))


@login_required
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = list(selectors.survey_list(user=request.user, period=request.GET.get("period", "")))
    return render(
        request, "surveys/list.html", {"surveys": surveys, "may_open": bool(managed_organisations(request))}
    )


@login_required
@require_GET
@domain_errors_as_http
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.get_survey_for_user(user=request.user, pk=pk)
    return render(
        request,
        "surveys/detail.html",
        {"result": round_results(survey), "survey": survey, "invite_form": InviteForm()},
    )


def _guarded(cell: object) -> str:
    text = "" if cell is None else str(cell)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def result_rows(result: RoundResult) -> list[list[str]]:
    """The aggregate as rows: one per answer option of each question, one per dimension's change,
    one per open answer. Below the minimum group the file says so and holds no answers."""
    rows = [["section", "question", "answer", "count", "value"]]
    if result.needed:
        rows.append(["respondents", "", "", str(result.respondents), f"{result.needed} more needed"])
        return rows
    for item in result.items:
        for anchor, count, share in item.shares:
            rows.append(["distribution", str(item.text), str(anchor), str(count), f"{share}%"])
    for dimension in result.cohort.dimensions:
        change = dimension.change
        value = (
            "" if change is None else f"{change.mean_change:.2f} [{change.ci_low:.2f}; {change.ci_high:.2f}]"
        )
        rows.append(["pre/post change", str(dimension.label), "", str(dimension.pairs), value])
    for group in result.open_answers:
        rows.extend(["open answer", str(group.text), text, "", ""] for text in group.answers)
    return [[_guarded(cell) for cell in row] for row in rows]


@login_required
@require_GET
@domain_errors_as_http
def export(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.get_survey_for_user(user=request.user, pk=pk)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(result_rows(round_results(survey)))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.get_survey_for_user(user=request.user, pk=pk)
    initial = {name: getattr(survey, name) for name in SCHEDULE_FIELDS} | {"version": survey.version}
    form = ScheduleForm(request.POST if request.method == "POST" else None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(actor=request.user, survey=survey, **with_version(form.cleaned_data))
        except StaleVersion as exc:
            conflict = show_conflict(form, exc)
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/schedule.html", {"form": form, "survey": survey, "conflict": conflict})


@login_required
@require_POST
@domain_errors_as_http
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.get_survey_for_user(user=request.user, pk=pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            created = services.invitations_for_addresses(
                actor=request.user, survey=survey, addresses=form.address_list()
            )
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            count = len(created)
            messages.success(
                request,
                ngettext("%(count)s person was invited.", "%(count)s people were invited.", count)
                % {"count": count},
            )
            return redirect("surveys:detail", pk=survey.pk)
    return render(
        request,
        "surveys/detail.html",
        {"result": round_results(survey), "survey": survey, "invite_form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def open_survey(request: HttpRequest) -> HttpResponse:
    organisations = managed_organisations(request)
    templates = SurveyTemplate.objects.for_user(request.user).filter(is_active=True)
    partnerships = (
        Partnership.objects.filter(members__organisation__in=organisations).distinct().order_by("title")
    )
    form = SurveyOpenForm(
        request.POST if request.method == "POST" else None,
        organisations=[(o.pk, o.name) for o in organisations],
        templates=[(t.pk, str(t)) for t in templates],
        partnerships=[(p.pk, p.title) for p in partnerships],
    )
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        template = templates.get(pk=values["template"])
        chosen = partnerships.filter(pk=values["partnership"]).first() if values["partnership"] else None
        owner = next(o for o in organisations if o.pk == values["organisation"])
        try:
            survey = services.survey_open(
                actor=request.user,
                template=template,
                organisation=owner,
                partnership=chosen,
                period=values["period"],
            )
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc)
        except errors.DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/open.html", {"form": form, "may_open": bool(organisations)})
