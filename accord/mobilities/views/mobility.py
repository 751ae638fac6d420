"""Recording a mobility, its page, its status, the actual dates and the student's details for EWP."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.agreements.models import Agreement
from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.core.forms import show_conflict
from accord.core.http import domain_errors_as_http
from accord.mobilities import forms, selectors, services
from accord.mobilities.choices import Section
from accord.mobilities.conditions import agreement_conditions
from accord.mobilities.journey import mobility_next, mobility_steps
from accord.mobilities.models import ParticipantDetails
from accord.mobilities.querysets import MobilityAction, mobility_may
from accord.mobilities.services.planning import PLANNED_FIELDS
from accord.mobilities.views._common import act_and_return, attempt, back, mobility_for, user_by_name
from accord.organisations.models import Organisation
from accord.reference.academic_years import parse_academic_year


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _fitting_conditions(data, agreements) -> list:
    """The conditions of the agreement chosen on the form that fit what the form says so far."""
    agreement = agreements.filter(pk=_number(data.get("agreement"))).first()
    if agreement is None:
        return []
    year = data.get("academic_year", "")
    try:
        year = parse_academic_year(year).label
    except ValueError:
        year = ""
    organisations = Organisation.objects.in_bulk(
        [
            n
            for n in (_number(data.get("sending_organisation")), _number(data.get("receiving_organisation")))
            if n
        ]
    )
    return agreement_conditions(
        agreement,
        sending=organisations.get(_number(data.get("sending_organisation"))),
        receiving=organisations.get(_number(data.get("receiving_organisation"))),
        mobility_type=data.get("mobility_type", ""),
        academic_year=year,
    )


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    managing = organisation_ids_with_roles(request.user, MANAGING_ROLES)
    sending = (
        Organisation.objects.all()
        if is_platform_staff(request.user)
        else Organisation.objects.filter(pk__in=managing)
    )
    if not sending.exists():
        raise errors.PermissionDenied(
            _("Only admins and coordinators of a sending institution create mobilities.")
        )
    agreements = Agreement.objects.for_user(request.user).filter(approved_version__isnull=False)
    data = request.POST if request.method == "POST" else request.GET
    conditions = _fitting_conditions(data, agreements)
    options = {
        "sending": sending,
        "receiving": Organisation.objects.order_by("name"),
        "agreements": agreements,
        "conditions": conditions,
    }
    if request.GET.get("refresh") == "conditions":
        chosen = data.get("condition_key", "")
        keys = [c.key for c in conditions]
        initial = {"condition_key": chosen if chosen in keys else (keys[0] if len(keys) == 1 else "")}
        refreshed = forms.MobilityForm(initial=initial, **options)
        return HttpResponse(refreshed["condition_key"].as_field_group())
    form = forms.MobilityForm(request.POST or None, **options)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = {}

        def action():
            created["mobility"] = services.mobility_create(
                actor=request.user,
                participant=user_by_name(data["participant"]),
                mobility_type=data["mobility_type"],
                sending_organisation=sending.get(pk=data["sending_organisation"]),
                receiving_organisation=Organisation.objects.get(pk=data["receiving_organisation"]),
                agreement=agreements.get(pk=data["agreement"]) if data["agreement"] else None,
                condition_key=data["condition_key"],
                academic_year=data["academic_year"],
                planned_start=data["planned_start"],
                planned_end=data["planned_end"],
                eqf_level=data["eqf_level"],
                isced_code=data["isced_code"],
                language=data["language"],
                cefr_level=data["cefr_level"],
            )

        aliases = {
            "participant_id": "participant",
            "agreement_id": "agreement",
            "receiving_organisation_id": "receiving_organisation",
        }
        if attempt(request, form, action, _("Mobility recorded."), aliases):
            return redirect("mobilities:detail", pk=created["mobility"].pk)
    return render(
        request, "mobilities/form_page.html", {"form": form, "title": _("New mobility"), "multipart": False}
    )


def _journey(mobility, overview) -> dict:
    # The actions are on this page: the next step is said, not linked a second time.
    return {"steps": mobility_steps(mobility), "next": mobility_next(mobility, overview), "here": True}


@login_required
@domain_errors_as_http
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = mobility_for(request, pk)
    overview = selectors.agreement_overview(user=request.user, mobility=mobility)
    transcript = getattr(mobility, "transcript", None)
    entries = list(transcript.entries.select_related("conversion")) if transcript else []
    is_participant = mobility.participant_id == request.user.pk
    condition = next(
        (c.label for c in agreement_conditions(mobility.agreement) if c.key == mobility.condition_key), ""
    )
    context = {
        "mobility": mobility,
        "condition": condition or mobility.condition_key,
        "journey": {
            "steps": mobility_steps(mobility),
            "next": mobility_next(mobility, overview),
            "here": True,
        }
        if is_participant
        else None,
        "overview": overview,
        "transcript": transcript,
        "entries": entries,
        "recognised": list(mobility.recognised_components.all()),
        "recognised_total": sum(r.credits for r in mobility.recognised_components.all()),
        "transitions": mobility.transitions.select_related("actor"),
        "events": mobility.events.select_related("actor")[:50],
        "may_manage": mobility_may(request.user, MobilityAction.MANAGE, mobility),
        "may_receive": mobility_may(request.user, MobilityAction.RECEIVE, mobility),
        "is_participant": is_participant,
        "has_participant_details": ParticipantDetails.objects.filter(user=mobility.participant).exists(),
        "sections": dict(Section.choices),
        "sign_form": forms.SignForm(),
        "comment_form": forms.CommentForm(),
        "delegate_form": forms.DelegateForm(),
        "transition_form": forms.TransitionForm(),
        "dates_form": forms.DatesForm(
            initial={
                "actual_start": mobility.actual_start,
                "actual_end": mobility.actual_end,
                "version": mobility.version,
            }
        ),
    }
    return render(request, "mobilities/detail.html", context)


@login_required
@domain_errors_as_http
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = mobility_for(request, pk)
    return act_and_return(
        request,
        pk,
        forms.TransitionForm(request.POST),
        lambda data: services.mobility_transition(
            actor=request.user, mobility=mobility, to_status=data["status"], reason=data["reason"]
        ),
        _("Status changed."),
    )


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def dates(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = mobility_for(request, pk, MobilityAction.RECEIVE)
    form = forms.DatesForm(
        request.POST or None,
        initial={
            "actual_start": mobility.actual_start,
            "actual_end": mobility.actual_end,
            "version": mobility.version,
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def action():
            services.mobility_record_dates(
                actor=request.user,
                mobility=mobility,
                actual_start=data["actual_start"],
                actual_end=data["actual_end"],
                expected_version=data["version"],
            )

        try:
            if attempt(request, form, action, _("Dates recorded; the duration was recomputed.")):
                return back(pk)
        except StaleVersion as exc:
            conflict = show_conflict(form, exc)
    return render(
        request,
        "mobilities/form_page.html",
        {
            "form": form,
            "title": _("Arrival and departure"),
            "mobility": mobility,
            "conflict": conflict,
            "reload_url": reverse("mobilities:dates", args=[pk]),
        },
    )


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The sending institution corrects the planned dates, cycle, field and language."""
    mobility = mobility_for(request, pk, MobilityAction.MANAGE)
    form = forms.MobilityPlanForm(
        request.POST or None,
        initial={name: getattr(mobility, name) for name in (*PLANNED_FIELDS, "version")},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)

        def action():
            services.mobility_update(
                actor=request.user, mobility=mobility, expected_version=data.pop("version"), **data
            )

        try:
            if attempt(request, form, action, _("The plan was saved.")):
                return back(pk)
        except StaleVersion as exc:
            conflict = show_conflict(form, exc)
    return render(
        request,
        "mobilities/form_page.html",
        {
            "form": form,
            "title": _("Planned dates and studies"),
            "mobility": mobility,
            "conflict": conflict,
            "reload_url": reverse("mobilities:edit", args=[pk]),
        },
    )


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def participant_details(request: HttpRequest, pk: int) -> HttpResponse:
    """What EWP must know of the student before the nomination goes to a partner on another node."""
    mobility = mobility_for(request, pk, MobilityAction.MANAGE)
    recorded = ParticipantDetails.objects.filter(user=mobility.participant).first()
    initial = (
        {field: getattr(recorded, field) for field in ("birth_date", "nationality", "gender", "global_id")}
        if recorded
        else {}
    )
    if recorded:
        form: forms.ParticipantDetailsForm = forms.ParticipantDetailsEditForm(
            request.POST or None, initial={**initial, "version": recorded.version}
        )
    else:
        form = forms.ParticipantDetailsForm(request.POST or None)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)

        def action():
            services.participant_details_save(
                actor=request.user,
                participant=mobility.participant,
                expected_version=data.pop("version", None),
                **data,
            )

        try:
            if attempt(request, form, action, _("Student details recorded.")):
                return back(pk)
        except StaleVersion as exc:
            conflict = show_conflict(form, exc)
    return render(
        request,
        "mobilities/form_page.html",
        {
            "form": form,
            "title": _("Student details for EWP"),
            "mobility": mobility,
            "conflict": conflict,
            "reload_url": reverse("mobilities:participant", args=[pk]),
        },
    )
