"""The mobility pages: lists and work queues, a mobility with its agreement, transcript and
recognition, and the forms that act on them. Thin shells over ``selectors`` and ``services``: a
mobility the user may not see answers 404, an action they may not take 403, and a refused input is
shown on the form with the service's message, nothing saved."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.agreements.models import Agreement
from accord.algorithms.mobility.grade_conversion.conversion import convert, side_by_side
from accord.algorithms.mobility.learning_agreement import parse_components
from accord.core import errors
from accord.core.http import domain_errors_as_http
from accord.mobilities import forms, selectors, services
from accord.mobilities.choices import Section
from accord.mobilities.models import GradingScale, ParticipantDetails, TranscriptEntry
from accord.mobilities.pdf import render_learning_agreement_pdf
from accord.mobilities.querysets import MobilityAction, mobility_may
from accord.mobilities.services.rules import credit_rule_save
from accord.organisations.models import Organisation

PAGE_LIMIT = 200


def _user_by_name(text: str):
    found = get_user_model().objects.filter(Q(username=text.strip()) | Q(email__iexact=text.strip())).first()
    if found is None:
        raise errors.ValidationFailed({"participant": _("No user with this username or e-mail.")})
    return found


def _show(form, error: errors.DomainError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the form: under the field it names, else above the form."""
    if isinstance(error, errors.ValidationFailed):
        for key, messages_ in error.errors.items():
            field = (aliases or {}).get(key, key)
            for message in messages_:
                form.add_error(
                    field if field in form.fields else None,
                    f"{key}: {message}" if field not in form.fields else message,
                )
    else:
        form.add_error(None, error.message)


def _attempt(request: HttpRequest, form, action: Callable, success: str, aliases=None) -> bool:
    try:
        action()
    except (errors.NotFound, errors.PermissionDenied):
        raise
    except errors.DomainError as error:
        _show(form, error, aliases)
        return False
    messages.success(request, success)
    return True


# --- lists --------------------------------------------------------------------------------------


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


# --- creating -----------------------------------------------------------------------------------


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
    form = forms.MobilityForm(
        request.POST or None,
        sending=sending,
        receiving=Organisation.objects.order_by("name"),
        agreements=agreements,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = {}

        def action():
            created["mobility"] = services.mobility_create(
                actor=request.user,
                participant=_user_by_name(data["participant"]),
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
        if _attempt(request, form, action, _("Mobility recorded."), aliases):
            return redirect("mobilities:detail", pk=created["mobility"].pk)
    return render(
        request, "mobilities/form_page.html", {"form": form, "title": _("New mobility"), "multipart": False}
    )


# --- one mobility -------------------------------------------------------------------------------


def _mobility(request, pk, action=MobilityAction.VIEW):
    return selectors.get_mobility_for_user(user=request.user, pk=pk, action=action)


@login_required
@domain_errors_as_http
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _mobility(request, pk)
    overview = selectors.agreement_overview(user=request.user, mobility=mobility)
    transcript = getattr(mobility, "transcript", None)
    entries = list(transcript.entries.select_related("conversion")) if transcript else []
    context = {
        "mobility": mobility,
        "overview": overview,
        "transcript": transcript,
        "entries": entries,
        "recognised": list(mobility.recognised_components.all()),
        "recognised_total": sum(r.credits for r in mobility.recognised_components.all()),
        "transitions": mobility.transitions.select_related("actor"),
        "events": mobility.events.select_related("actor")[:50],
        "may_manage": mobility_may(request.user, MobilityAction.MANAGE, mobility),
        "may_receive": mobility_may(request.user, MobilityAction.RECEIVE, mobility),
        "is_participant": mobility.participant_id == request.user.pk,
        "has_participant_details": ParticipantDetails.objects.filter(user=mobility.participant).exists(),
        "sections": dict(Section.choices),
        "sign_form": forms.SignForm(),
        "comment_form": forms.CommentForm(),
        "delegate_form": forms.DelegateForm(),
        "transition_form": forms.TransitionForm(),
        "dates_form": forms.DatesForm(
            initial={"actual_start": mobility.actual_start, "actual_end": mobility.actual_end}
        ),
    }
    return render(request, "mobilities/detail.html", context)


def _back(pk: int):
    return redirect("mobilities:detail", pk=pk)


def _flash(request, error: errors.DomainError) -> None:
    if isinstance(error, errors.ValidationFailed):
        for key, messages_ in error.errors.items():
            for message in messages_:
                messages.error(request, f"{key}: {message}")
    else:
        messages.error(request, error.message)


def _act_and_return(request: HttpRequest, pk: int, form, action: Callable[[dict], object], done: str):
    """The small forms of the mobility page: run ``action`` on the form's data, say how it went, and
    go back to the page, where the outcome shows as a message."""
    if not form.is_valid():
        for field, field_errors in form.errors.items():
            for message in field_errors:
                messages.error(
                    request, f"{form.fields[field].label}: {message}" if field in form.fields else message
                )
        return _back(pk)
    try:
        action(form.cleaned_data)
    except (errors.NotFound, errors.PermissionDenied):
        raise
    except errors.DomainError as error:
        # Refusals, including the sending node's answer for a copy, show on the page.
        _flash(request, error)
    else:
        messages.success(request, done)
    return _back(pk)


@login_required
@domain_errors_as_http
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _mobility(request, pk)
    return _act_and_return(
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
    mobility = _mobility(request, pk, MobilityAction.RECEIVE)
    form = forms.DatesForm(
        request.POST or None,
        initial={"actual_start": mobility.actual_start, "actual_end": mobility.actual_end},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def action():
            services.mobility_record_dates(
                actor=request.user,
                mobility=mobility,
                actual_start=data["actual_start"],
                actual_end=data["actual_end"],
            )

        if _attempt(request, form, action, _("Dates recorded; the duration was recomputed.")):
            return _back(pk)
    return render(
        request,
        "mobilities/form_page.html",
        {"form": form, "title": _("Arrival and departure"), "mobility": mobility},
    )


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def participant_details(request: HttpRequest, pk: int) -> HttpResponse:
    """What EWP must know of the student before the nomination goes to a partner on another node."""
    mobility = _mobility(request, pk, MobilityAction.MANAGE)
    recorded = ParticipantDetails.objects.filter(user=mobility.participant).first()
    initial = (
        {field: getattr(recorded, field) for field in ("birth_date", "nationality", "gender", "global_id")}
        if recorded
        else {}
    )
    form = forms.ParticipantDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():

        def action():
            services.participant_details_save(
                actor=request.user, participant=mobility.participant, **form.cleaned_data
            )

        if _attempt(request, form, action, _("Student details recorded.")):
            return _back(pk)
    return render(
        request,
        "mobilities/form_page.html",
        {"form": form, "title": _("Student details for EWP"), "mobility": mobility},
    )


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _mobility(request, pk)
    overview = selectors.agreement_overview(user=request.user, mobility=mobility)
    start = overview.current or overview.approved
    initial = [
        {
            "ref": c.ref,
            "section": c.section.value,
            "code": c.code,
            "title": c.title,
            "credits": c.credits if c.credits is not None else "",
            "term": c.term,
            "hours": c.hours or "",
        }
        for c in (start.components if start else ())
    ]
    base = overview.current.version.number if overview.current else 0
    formset = forms.ComponentFormSet(request.POST or None, initial=initial, prefix="c")
    form = forms.ProposeForm(request.POST or None, initial={"base_version": base})
    if request.method == "POST" and formset.is_valid() and form.is_valid():
        # New rows get their ref when read, so components and their reasons are read in one pass.
        components, reasons = _components_with_reasons(formset)

        def action():
            services.la_propose(
                actor=request.user,
                mobility=mobility,
                components=components,
                reasons=reasons,
                summary=form.cleaned_data["summary"],
                base_version=form.cleaned_data["base_version"],
            )

        if _attempt(request, form, action, _("Version proposed; it now awaits signatures.")):
            return _back(pk)
    return render(
        request,
        "mobilities/propose.html",
        {
            "mobility": mobility,
            "formset": formset,
            "form": form,
            "changes_need_reasons": bool(overview.agreement and overview.agreement.first_approved_version_id),
        },
    )


def _components_with_reasons(formset) -> tuple[list[dict], list[dict]]:
    components, reasons = [], []
    for row in formset:
        data = row.cleaned_data
        if not data:
            continue
        component = row.component()
        ref = component["ref"] if component else data.get("ref")
        if component is not None:
            components.append(component)
        if ref and (data.get("reason_code") or data.get("reason_text")):
            reasons.append(
                {"ref": ref, "reason_code": data.get("reason_code"), "reason_text": data.get("reason_text")}
            )
    return components, reasons


@login_required
@domain_errors_as_http
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _mobility(request, pk)
    return _act_and_return(
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
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _mobility(request, pk)
    return _act_and_return(
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
def delegate(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _mobility(request, pk)
    return _act_and_return(
        request,
        pk,
        forms.DelegateForm(request.POST),
        lambda data: services.delegation_grant(
            actor=request.user,
            mobility=mobility,
            role=data["role"],
            delegate=_user_by_name(data["delegate"]),
        ),
        _("Signing delegated."),
    )


@login_required
@domain_errors_as_http
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _mobility(request, pk)
    overview = selectors.agreement_overview(user=request.user, mobility=mobility)
    numbers = [view.version.number for view in overview.versions]
    old, new = request.GET.get("old", ""), request.GET.get("new", "")
    lines = None
    if old.isdigit() and new.isdigit() and overview.agreement:
        lines = selectors.version_diff(agreement=overview.agreement, old=int(old), new=int(new))
    elif len(numbers) >= 2 and overview.agreement:
        old, new = str(numbers[1]), str(numbers[0])
        lines = selectors.version_diff(agreement=overview.agreement, old=numbers[1], new=numbers[0])
    return render(
        request,
        "mobilities/versions.html",
        {
            "mobility": mobility,
            "overview": overview,
            "lines": lines,
            "old": old,
            "new": new,
            "numbers": numbers,
            "sections": dict(Section.choices),
        },
    )


@login_required
@domain_errors_as_http
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _mobility(request, pk)
    overview = selectors.agreement_overview(user=request.user, mobility=mobility)
    number = request.GET.get("version", "")
    view = next((v for v in overview.versions if str(v.version.number) == number), overview.current)
    if view is None:
        raise errors.NotFound(_("No version to print."))
    response = HttpResponse(render_learning_agreement_pdf(mobility, view), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="learning-agreement-{mobility.pk}-v{view.version.number}.pdf"'
    )
    return response


# --- transcript, conversion, recognition ------------------------------------------------------


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def transcript(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _mobility(request, pk, MobilityAction.RECEIVE)
    scales = GradingScale.objects.filter(organisation=mobility.receiving_organisation)
    existing = getattr(mobility, "transcript", None)
    initial_entries = (
        [
            {"code": e.code, "title": e.title, "credits": e.credits, "grade": e.grade, "term": e.term}
            for e in existing.entries.all()
        ]
        if existing
        else _planned_entries(mobility)
    )
    form = forms.TranscriptForm(
        request.POST or None,
        request.FILES or None,
        scales=scales,
        initial={"issued_on": timezone.localdate(), "scale": existing.scale_id if existing else None},
    )
    formset = forms.EntryFormSet(request.POST or None, initial=initial_entries, prefix="e")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        scale = scales.get(pk=data["scale"])
        upload = data.get("file")

        def action():
            if upload:
                services.transcript_import(
                    actor=request.user,
                    mobility=mobility,
                    scale=scale,
                    issued_on=data["issued_on"],
                    filename=upload.name,
                    data=upload.read(),
                )
            else:
                entries = [row.cleaned_data for row in formset if row.cleaned_data.get("title")]
                services.transcript_record(
                    actor=request.user,
                    mobility=mobility,
                    scale=scale,
                    issued_on=data["issued_on"],
                    entries=entries,
                )

        if _attempt(request, form, action, _("Transcript recorded.")):
            return _back(pk)
    return render(
        request,
        "mobilities/transcript.html",
        {"mobility": mobility, "form": form, "formset": formset, "scales": scales},
    )


def _planned_entries(mobility) -> list[dict]:
    agreement = getattr(mobility, "learning_agreement", None)
    version = agreement.approved_version if agreement else None
    if version is None:
        return []
    return [
        {"code": c.code, "title": c.title, "credits": c.credits, "term": c.term}
        for c in parse_components(version.components)
        if c.section.value in ("studied", "virtual", "blended", "doctoral")
    ]


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def convert_grade(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    mobility = _mobility(request, pk, MobilityAction.MANAGE)
    entry = (
        TranscriptEntry.objects.select_related("transcript__scale")
        .filter(transcript__mobility=mobility, pk=entry_id)
        .first()
    )
    if entry is None:
        raise errors.NotFound(_("No such transcript entry."))
    home = selectors.settings_for(mobility.sending_organisation)
    policy = request.POST.get("policy") or request.GET.get("policy") or home.conversion_policy
    host_table = selectors.find_table(mobility.receiving_organisation, entry.transcript.scale, mobility)
    home_table = (
        selectors.find_table(mobility.sending_organisation, home.home_scale, mobility)
        if home.home_scale
        else None
    )
    preview, rows = None, ()
    if host_table and home_table and entry.passed:
        host, home_distribution = selectors.distribution(host_table), selectors.distribution(home_table)
        try:
            preview = convert(entry.grade, host, home_distribution, policy)
            rows = side_by_side(host, home_distribution, preview)
        except ValueError as error:
            messages.error(request, str(error))
    form = forms.ConvertForm(request.POST or None, initial={"policy": policy})
    manual = forms.ManualConvertForm(request.POST if "manual" in request.POST else None)
    if request.method == "POST":
        if "manual" in request.POST:
            if manual.is_valid() and _attempt(
                request,
                manual,
                lambda: services.grade_convert_manual(actor=request.user, entry=entry, **manual.cleaned_data),
                _("Grade converted by hand."),
            ):
                return _back(pk)
        elif form.is_valid() and _attempt(
            request,
            form,
            lambda: services.grade_convert(actor=request.user, entry=entry, policy=policy),
            _("Grade converted."),
        ):
            return _back(pk)
    return render(
        request,
        "mobilities/convert.html",
        {
            "mobility": mobility,
            "entry": entry,
            "preview": preview,
            "rows": rows,
            "form": form,
            "manual": manual,
            "host_table": host_table,
            "home_table": home_table,
        },
    )


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def recognition(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = _mobility(request, pk, MobilityAction.MANAGE)
    existing = list(mobility.recognised_components.all())
    if existing:
        initial = [
            {
                "entry_id": r.entry_id,
                "component_ref": r.component_ref,
                "code": r.code,
                "title": r.title,
                "credits": r.credits,
                "home_grade": r.home_grade,
            }
            for r in existing
        ]
    else:
        initial = _recognition_proposal(mobility)
    formset = forms.RecognitionFormSet(request.POST or None, initial=initial, prefix="r")
    form = forms.ProposeForm()
    if request.method == "POST" and formset.is_valid():
        items = [row.cleaned_data for row in formset if row.cleaned_data.get("title")]
        if _attempt(
            request,
            form,
            lambda: services.recognition_record(
                actor=request.user, mobility=mobility, items=items, complete="complete" in request.POST
            ),
            _("Recognition recorded."),
        ):
            return _back(pk)
    return render(
        request, "mobilities/recognition.html", {"mobility": mobility, "formset": formset, "form": form}
    )


def _recognition_proposal(mobility) -> list[dict]:
    """Table B of the approved agreement, with a converted grade when exactly one conversion exists."""
    agreement = getattr(mobility, "learning_agreement", None)
    version = agreement.approved_version if agreement else None
    if version is None:
        return []
    transcript = getattr(mobility, "transcript", None)
    grades = (
        [
            e.conversion.home_grade
            for e in transcript.entries.select_related("conversion")
            if hasattr(e, "conversion")
        ]
        if transcript
        else []
    )
    return [
        {
            "component_ref": c.ref,
            "code": c.code,
            "title": c.title,
            "credits": c.credits,
            "home_grade": grades[0] if len(grades) == 1 else "",
        }
        for c in parse_components(version.components)
        if c.section.value == "recognised"
    ]


# --- an institution's grading data --------------------------------------------------------------


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def grading(request: HttpRequest) -> HttpResponse:
    managing = organisation_ids_with_roles(request.user, MANAGING_ROLES)
    organisations = Organisation.objects.filter(pk__in=managing).order_by("name")
    organisation = (
        organisations.filter(pk=request.GET.get("organisation") or 0).first() or organisations.first()
    )
    if organisation is None:
        raise errors.PermissionDenied(_("Only admins and coordinators manage grading scales and tables."))
    scales = GradingScale.objects.filter(organisation=organisation)
    current = selectors.settings_for(organisation)
    post = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if post else None
    scale_form = forms.ScaleForm(post if which == "scale" else None)
    table_form = forms.TableImportForm(
        post if which == "table" else None, request.FILES if which == "table" else None, scales=scales
    )
    settings_form = forms.SettingsForm(
        post if which == "settings" else None,
        scales=scales,
        initial={
            "conversion_policy": current.conversion_policy,
            "transcript_days": current.transcript_days,
            "home_scale": current.home_scale_id,
        },
    )
    rule_form = forms.RuleForm(post if which == "rule" else None)
    done = False
    if which == "scale" and scale_form.is_valid():
        done = _attempt(
            request,
            scale_form,
            lambda: services.scale_save(
                actor=request.user, organisation=organisation, **scale_form.cleaned_data
            ),
            _("Scale saved."),
        )
    elif which == "table" and table_form.is_valid():
        data = table_form.cleaned_data
        done = _attempt(
            request,
            table_form,
            lambda: services.grade_table_import(
                actor=request.user,
                organisation=organisation,
                scale=scales.get(pk=data["scale"]),
                filename=data["file"].name,
                data=data["file"].read(),
                isced_code=data["isced_code"],
                eqf_level=data["eqf_level"],
                reference_period=data["reference_period"],
            ),
            _("Grade distribution table imported."),
        )
    elif which == "settings" and settings_form.is_valid():
        data = settings_form.cleaned_data
        done = _attempt(
            request,
            settings_form,
            lambda: services.settings_save(
                actor=request.user,
                organisation=organisation,
                conversion_policy=data["conversion_policy"],
                transcript_days=data["transcript_days"],
                home_scale=scales.filter(pk=data["home_scale"]).first() if data["home_scale"] else None,
            ),
            _("Settings saved."),
        )
    elif which == "rule" and rule_form.is_valid():
        done = _attempt(
            request,
            rule_form,
            lambda: credit_rule_save(actor=request.user, organisation=organisation, **rule_form.cleaned_data),
            _("Rule saved."),
        )
    if done:
        return redirect(f"{request.path}?organisation={organisation.pk}")
    context = {
        "organisation": organisation,
        "organisations": organisations,
        "scales": scales,
        "tables": organisation.grade_tables.select_related("scale"),
        "rules": organisation.credit_rules.all(),
        "scale_form": scale_form,
        "table_form": table_form,
        "settings_form": settings_form,
        "rule_form": rule_form,
    }
    return render(request, "mobilities/grading.html", context)
