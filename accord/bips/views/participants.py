"""Nominating participants, the organiser's decisions, attendance and the participant list export."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.bips import selectors, services
from accord.bips.choices import ParticipantKind, ParticipantStatus
from accord.bips.exports import FORMATS, participant_rows, participants_export
from accord.bips.forms import AttendanceForm, DecisionForm, NominationForm, WithdrawalForm
from accord.bips.querysets import BipAction
from accord.bips.views.bip import small_form
from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.core.forms import service_accepts
from accord.core.http import domain_errors_as_http


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    bip = selectors.get_bip_for_user(user=request.user, pk=pk)
    partners = selectors.nominating_partners(user=request.user, bip=bip, partners=selectors.partners_of(bip))
    if not partners:
        raise Forbidden(_("Only admins and coordinators of a partner institution can nominate participants."))
    by_pk = {partner.pk: partner for partner in partners}
    people = []
    for partner in partners:
        for kind, label in (
            (ParticipantKind.STUDENT, _("student")),
            (ParticipantKind.STAFF_TEACHING, _("staff")),
        ):
            people += [
                (n.pk, f"{n.label} ({label}, {partner.organisation.name})")
                for n in selectors.nominable_people(partner=partner, kind=kind)
            ]
    form = NominationForm(
        request.POST if request.method == "POST" else None,
        partners=[(p.pk, p.organisation.name) for p in partners],
        people=people,
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        partner = by_pk[values.pop("partner")]
        person = get_user_model().objects.get(pk=values.pop("person"))

        def save() -> None:
            services.participant_nominate(
                actor=request.user, bip=bip, partner=partner, person=person, **values
            )

        if service_accepts(form, save):
            messages.success(
                request, _("%(name)s is nominated.") % {"name": person.get_full_name() or person}
            )
            return redirect("bips:detail", pk=bip.pk)
    return small_form(request, bip, form, title=_("Nominate a participant"), action=request.path)


@login_required
@require_POST
@domain_errors_as_http
def decide(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    bip = selectors.get_bip_for_user(user=request.user, pk=pk, action=BipAction.MANAGE)
    participant = selectors.get_participant_for_user(user=request.user, bip=bip, pk=participant_pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"

        def save() -> None:
            services.participant_decide(
                actor=request.user,
                participant=participant,
                accept=accept,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )

        try:
            if service_accepts(form, save):
                name = participant.person.get_full_name() or str(participant.person)
                if accept:
                    messages.success(request, _("%(name)s is accepted.") % {"name": name})
                else:
                    messages.success(request, _("%(name)s is declined.") % {"name": name})
                return redirect("bips:detail", pk=bip.pk)
        except StaleVersion as exc:
            form.add_error(None, exc.message)
    return small_form(request, bip, form, title=_("Decide on the nomination"), action=request.path)


@login_required
@require_POST
@domain_errors_as_http
def withdraw(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    """The sending institution withdraws its participant (and cancels their mobility)."""
    bip = selectors.get_bip_for_user(user=request.user, pk=pk)
    participant = selectors.get_participant_for_user(user=request.user, bip=bip, pk=participant_pk)
    form = WithdrawalForm(request.POST)
    if form.is_valid():

        def save() -> None:
            services.participant_withdraw(
                actor=request.user,
                participant=participant,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )

        try:
            if service_accepts(form, save):
                name = participant.person.get_full_name() or str(participant.person)
                messages.success(request, _("%(name)s is withdrawn.") % {"name": name})
                return redirect("bips:detail", pk=bip.pk)
        except StaleVersion as exc:
            form.add_error(None, exc.message)
    return small_form(request, bip, form, title=_("Withdraw the participant"), action=request.path)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    bip = selectors.get_bip_for_user(user=request.user, pk=pk, action=BipAction.MANAGE)
    participants = list(
        selectors.participants_for(user=request.user, bip=bip).filter(status=ParticipantStatus.ACCEPTED)
    )
    components = selectors.components_of(bip)
    records = selectors.attendance_of(participants)
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        participants=participants,
        components=components,
        attendance=records,
    )
    if request.method == "POST" and form.is_valid():
        marks = form.marks(participants, components)
        try:
            changed = services.attendance_record(actor=request.user, bip=bip, marks=marks)
        except errors.DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Attendance saved: %(count)s marks new or changed.") % {"count": changed}
            )
            return redirect("bips:detail", pk=bip.pk)
    return render(request, "bips/attendance.html", {"bip": bip, "form": form, "components": components})


@login_required
@require_GET
@domain_errors_as_http
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404(_("Exports are CSV or XLSX."))
    bip = selectors.get_bip_for_user(user=request.user, pk=pk)
    participants = list(selectors.participants_for(user=request.user, bip=bip))
    components = selectors.components_of(bip)
    rows = participant_rows(bip, participants, components, selectors.attendance_of(participants))
    return participants_export(rows, fmt, f"bip-{bip.pk}-participants")
