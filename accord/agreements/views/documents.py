"""What an agreement keeps, read only: its versions, the diff of two, partners' copies, the PDF and
attachments."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from accord.agreements import selectors
from accord.agreements.forms import DiffForm
from accord.agreements.pdf import render_agreement_pdf
from accord.agreements.views.page import (
    agreement_for,
    party_names,
    requested_version,
    shown_changes,
    shown_version,
)
from accord.core import errors
from accord.core.http import domain_errors_as_http


def _previous_and_current(numbers: list[int]) -> dict[str, int | None]:
    """The form's first choice: the version before the newest, and the newest (``numbers`` newest first)."""
    return {"old": numbers[1] if len(numbers) > 1 else None, "new": numbers[0] if numbers else None}


@login_required
@require_GET
@domain_errors_as_http
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk)
    visible = list(selectors.visible_versions(user=request.user, agreement=agreement))
    numbers = [version.number for version in visible]
    form = DiffForm(initial=_previous_and_current(numbers), numbers=numbers)
    # Each version with the one before it that the user may see, to link their changes.
    rows = [(version, numbers[i + 1] if i + 1 < len(numbers) else None) for i, version in enumerate(visible)]
    return render(
        request, "agreements/versions.html", {"agreement": agreement, "versions": rows, "form": form}
    )


@login_required
@require_GET
@domain_errors_as_http
def diff(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk)
    numbers = [
        version.number for version in selectors.visible_versions(user=request.user, agreement=agreement)
    ]
    changes, error = None, None
    if "old" not in request.GET and "new" not in request.GET:
        # Opened from a bare link: offer the previous and the current version rather than errors.
        form = DiffForm(initial=_previous_and_current(numbers), numbers=numbers)
    else:
        form = DiffForm(request.GET, numbers=numbers)
    if form.is_bound and form.is_valid():
        try:
            lines = selectors.version_diff(
                user=request.user,
                agreement=agreement,
                old=form.cleaned_data["old"],
                new=form.cleaned_data["new"],
            )
        except errors.ValidationFailed as exc:
            error = " ".join(text for texts in exc.errors.values() for text in texts)
        else:
            changes = shown_changes(lines, party_names(agreement))
    return render(
        request,
        "agreements/diff.html",
        {"agreement": agreement, "form": form, "changes": changes, "error": error},
    )


@login_required
@require_GET
@domain_errors_as_http
def partner_copy(request: HttpRequest, pk: int, org_id: int) -> HttpResponse:
    agreement = agreement_for(request, pk)
    comparison = selectors.partner_copy_comparison(
        user=request.user, agreement=agreement, organisation_id=org_id
    )
    return render(
        request,
        "agreements/partner_copy.html",
        {
            "agreement": agreement,
            "comparison": comparison,
            "changes": shown_changes(comparison.lines, party_names(agreement)),
        },
    )


@login_required
@require_GET
@domain_errors_as_http
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk)
    version = shown_version(request, agreement, requested_version(request))
    response = HttpResponse(render_agreement_pdf(agreement, version), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"agreement-{agreement.pk}-v{version.number}.pdf"
    )
    return response


@login_required
@require_GET
@domain_errors_as_http
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    attachment = selectors.attachment_for(agreement=agreement_for(request, pk), pk=attachment_id)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.file.name.rsplit("/", 1)[-1],
        content_type=attachment.content_type,
    )
