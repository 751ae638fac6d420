"""The learning agreement of a mobility: proposing versions, signing, commenting, delegating, the history of
versions and the PDF."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accord.core import errors
from accord.core.http import domain_errors_as_http
from accord.mobilities import forms, selectors, services
from accord.mobilities.choices import Section
from accord.mobilities.pdf import render_learning_agreement_pdf
from accord.mobilities.views._common import (
    ShownOnRows,
    act_and_return,
    attempt,
    back,
    mobility_for,
    user_by_name,
)
from accord.mobilities.wording import ComponentsRefused


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = mobility_for(request, pk)
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
        components, reasons, rows = _components_with_reasons(formset)

        def action():
            try:
                services.la_propose(
                    actor=request.user,
                    mobility=mobility,
                    components=components,
                    reasons=reasons,
                    summary=form.cleaned_data["summary"],
                    base_version=form.cleaned_data["base_version"],
                )
            except ComponentsRefused as refused:
                _show_on_rows(formset, form, refused, rows)
                raise ShownOnRows(refused.message) from refused

        if attempt(request, form, action, _("Version proposed; it now awaits signatures.")):
            return back(pk)
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


def _components_with_reasons(formset) -> tuple[list[dict], list[dict], dict[int | str, int]]:
    """The components and reasons of the rows, and which row shows each component (by its position
    in the list, and by its ref), so that a refusal lands on the right row."""
    components, reasons, rows = [], [], {}
    for number, row in enumerate(formset):
        data = row.cleaned_data
        if not data:
            continue
        component = row.component()
        ref = component["ref"] if component else data.get("ref")
        if component is not None:
            rows[len(components)] = number
            components.append(component)
        if ref:
            rows[ref] = number
        if ref and (data.get("reason_code") or data.get("reason_text")):
            reasons.append(
                {"ref": ref, "reason_code": data.get("reason_code"), "reason_text": data.get("reason_text")}
            )
    return components, reasons, rows


def _show_on_rows(formset, form, refused: ComponentsRefused, rows: dict[int | str, int]) -> None:
    """Each sentence on the field of the row it concerns; what no row shows goes above the table."""
    for (place, field), sentences in refused.rows.items():
        row = formset[rows[place]] if place in rows else None
        for sentence in sentences:
            if row is not None and field in row.fields:
                row.add_error(field, sentence)
            else:
                form.add_error(None, sentence)


@login_required
@domain_errors_as_http
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = mobility_for(request, pk)
    return act_and_return(
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
    mobility = mobility_for(request, pk)
    return act_and_return(
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
    mobility = mobility_for(request, pk)
    return act_and_return(
        request,
        pk,
        forms.DelegateForm(request.POST),
        lambda data: services.delegation_grant(
            actor=request.user,
            mobility=mobility,
            role=data["role"],
            delegate=user_by_name(data["delegate"]),
        ),
        _("Signing delegated."),
    )


@login_required
@domain_errors_as_http
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = mobility_for(request, pk)
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
    mobility = mobility_for(request, pk)
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
