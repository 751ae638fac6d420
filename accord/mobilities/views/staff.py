"""Staff mobility pages: the staff member's own list with the next step, the invitation of a colleague,
the mobility agreement (programme, signatures, comments), arrival, the certificate of attendance and
the two PDFs."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.algorithms.mobility.staff import Programme, StaffActivity
from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.core.forms import show_conflict
from accord.core.http import domain_errors_as_http
from accord.mobilities import forms, selectors, services
from accord.mobilities.choices import LA_OPEN_STATUSES, STAFF_TYPES, MobilityStatus
from accord.mobilities.pdf import render_staff_agreement_pdf, render_staff_certificate_pdf
from accord.mobilities.querysets import MobilityAction, mobility_may
from accord.mobilities.services.staff import CONTACTS, PROGRAMME_TEXTS
from accord.mobilities.views._common import act_and_return, attempt, mobility_for, user_by_name
from accord.organisations.models import Organisation


def _staff_mobility(request: HttpRequest, pk: int, action=MobilityAction.VIEW):
    mobility = mobility_for(request, pk, action)
    if mobility.mobility_type not in STAFF_TYPES:
        raise errors.NotFound(_("This is a student mobility."))
    return mobility


def _back(pk: int):
    return redirect("mobilities:staff_detail", pk=pk)


def _act(request: HttpRequest, pk: int, form, action: Callable[[dict], object], done: str):
    return act_and_return(request, pk, form, action, done, page="mobilities:staff_detail")


@login_required
@domain_errors_as_http
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "mobilities/staff_home.html",
        {
            "rows": selectors.staff_mobilities(user=request.user),
            "may_invite": selectors.may_invite_staff(request.user),
        },
    )


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def staff_invite(request: HttpRequest) -> HttpResponse:
    sending = (
        Organisation.objects.order_by("name")
        if is_platform_staff(request.user)
        else Organisation.objects.filter(pk__in=organisation_ids_with_roles(request.user, MANAGING_ROLES))
    )
    if not sending.exists():
        raise errors.PermissionDenied(
            _("Only admins and coordinators invite colleagues to staff mobilities.")
        )
    form = forms.StaffInviteForm(
        request.POST or None, sending=sending, receiving=Organisation.objects.order_by("name")
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = {}

        def action():
            created["mobility"] = services.staff_mobility_invite(
                actor=request.user,
                participant=user_by_name(data["participant"]),
                mobility_type=data["mobility_type"],
                sending_organisation=sending.get(pk=data["sending_organisation"]),
                receiving_organisation=Organisation.objects.get(pk=data["receiving_organisation"]),
                academic_year=data["academic_year"],
                planned_start=data["planned_start"],
                planned_end=data["planned_end"],
                note=data["note"],
            )

        aliases = {"participant_id": "participant", "receiving_organisation_id": "receiving_organisation"}
        if attempt(request, form, action, _("Invitation sent; your colleague was e-mailed a link."), aliases):
            return _back(created["mobility"].pk)
    return render(request, "mobilities/staff_form.html", {"form": form, "title": _("Invite a colleague")})


@login_required
@domain_errors_as_http
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _staff_mobility(request, pk)
    overview = selectors.staff_overview(user=request.user, mobility=mobility)
    may_manage = mobility_may(request.user, MobilityAction.MANAGE, mobility)
    may_receive = mobility_may(request.user, MobilityAction.RECEIVE, mobility)
    return render(
        request,
        "mobilities/staff_detail.html",
        {
            "mobility": mobility,
            "overview": overview,
            "agreement": overview.agreement,
            "may_propose": mobility.status in LA_OPEN_STATUSES,
            "is_drafter": may_manage or mobility.participant_id == request.user.pk,
            "may_receive": may_receive,
            "sign_form": forms.SignForm(),
            "comment_form": forms.CommentForm(),
            "arrival_form": forms.StaffArrivalForm(initial={"version": mobility.version}),
        },
    )


def _programme_initial(mobility, programme) -> dict:
    if programme is None:
        activity = (
            StaffActivity.TRAINING if mobility.mobility_type == "staff_training" else StaffActivity.TEACHING
        )
        return {
            "activity": activity,
            "planned_start": mobility.planned_start,
            "planned_end": mobility.planned_end,
        }
    names = ("activity", "teaching_hours", "planned_start", "planned_end", *PROGRAMME_TEXTS, *CONTACTS)
    return {name: getattr(programme, name) for name in names}


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def staff_propose(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _staff_mobility(request, pk)
    overview = selectors.staff_overview(user=request.user, mobility=mobility)
    current = overview.agreement.current
    initial = _programme_initial(mobility, overview.current_programme or overview.approved_programme)
    initial["base_version"] = current.version.number if current else 0
    form = forms.StaffProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        base, summary = data.pop("base_version"), data.pop("summary")
        data["activity"] = StaffActivity(data["activity"])

        def action():
            services.staff_agreement_propose(
                actor=request.user,
                mobility=mobility,
                programme=Programme(**data),
                summary=summary,
                base_version=base,
            )

        if attempt(request, form, action, _("Version proposed; it now awaits the three signatures.")):
            return _back(pk)
    return render(
        request,
        "mobilities/staff_form.html",
        {"form": form, "title": _("Mobility agreement"), "mobility": mobility, "submit": _("Propose")},
    )


@login_required
@domain_errors_as_http
@require_POST
def staff_sign(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _staff_mobility(request, pk)
    return _act(
        request,
        pk,
        forms.SignForm(request.POST),
        lambda data: services.la_sign(
            actor=request.user,
            mobility=mobility,
            version_number=data["version"],
            components_hash=data["components_hash"],
            role=data["role"],
            position=data["position"],
        ),
        _("Signed."),
    )


@login_required
@domain_errors_as_http
@require_POST
def staff_comment(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _staff_mobility(request, pk)
    return _act(
        request,
        pk,
        forms.CommentForm(request.POST),
        lambda data: services.la_comment(
            actor=request.user, mobility=mobility, version_number=data["version"], text=data["text"]
        ),
        _("The version was returned with your comment."),
    )


@login_required
@domain_errors_as_http
@require_POST
def staff_accept(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _staff_mobility(request, pk)
    return _act(
        request,
        pk,
        forms.TransitionForm({"status": MobilityStatus.ACCEPTED}),
        lambda data: services.mobility_transition(
            actor=request.user, mobility=mobility, to_status=data["status"]
        ),
        _("Accepted: the staff member is expected."),
    )


@login_required
@domain_errors_as_http
@require_POST
def staff_arrival(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _staff_mobility(request, pk)
    return _act(
        request,
        pk,
        forms.StaffArrivalForm(request.POST),
        lambda data: services.mobility_record_dates(
            actor=request.user,
            mobility=mobility,
            actual_start=data["actual_start"],
            expected_version=data["version"],
        ),
        _("Arrival confirmed: the mobility is under way."),
    )


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def staff_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _staff_mobility(request, pk, MobilityAction.RECEIVE)
    issued = getattr(mobility, "staff_certificate", None)
    if issued is not None:
        initial = {
            "actual_start": issued.actual_start,
            "actual_end": issued.actual_end,
            "teaching_hours": issued.teaching_hours,
            "signer_position": issued.signer_position,
            "version": issued.version,
        }
        form: forms.StaffCertificateForm = forms.StaffCertificateEditForm(
            request.POST or None, initial=initial
        )
    else:
        initial = {"actual_start": mobility.actual_start, "actual_end": mobility.planned_end}
        form = forms.StaffCertificateForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)

        def action():
            services.staff_certificate_issue(
                actor=request.user, mobility=mobility, expected_version=data.pop("version", None), **data
            )

        try:
            if attempt(request, form, action, _("Attendance certified; the mobility is completed.")):
                return _back(pk)
        except StaleVersion as exc:
            conflict = show_conflict(form, exc)
    return render(
        request,
        "mobilities/staff_form.html",
        {
            "form": form,
            "title": _("Certificate of attendance"),
            "mobility": mobility,
            "conflict": conflict,
            "reload_url": reverse("mobilities:staff_certificate", args=[pk]),
            "submit": _("Certify the attendance"),
        },
    )


@login_required
@domain_errors_as_http
def staff_agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _staff_mobility(request, pk)
    overview = selectors.staff_overview(user=request.user, mobility=mobility)
    number = request.GET.get("version", "")
    versions = overview.agreement.versions
    view = next((v for v in versions if str(v.version.number) == number), overview.agreement.current)
    if view is None or overview.programme(view) is None:
        raise errors.NotFound(_("No version to print."))
    document = render_staff_agreement_pdf(mobility, view, overview.programme(view))
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="staff-mobility-agreement-{mobility.pk}-v{view.version.number}.pdf"'
    )
    return response


@login_required
@domain_errors_as_http
def staff_certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _staff_mobility(request, pk)
    overview = selectors.staff_overview(user=request.user, mobility=mobility)
    if overview.certificate is None:
        raise errors.NotFound(_("No certificate of attendance was issued yet."))
    document = render_staff_certificate_pdf(mobility, overview.certificate, overview.approved_programme)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-of-attendance-{mobility.pk}.pdf"'
    return response
