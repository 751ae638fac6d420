"""The EWP page of an institution (``/ewp/node/<organisation id>/``) and its small forms.

Every view finds the institution for its admin first (404/403) and only then reads what the request
carries. A form that succeeds redirects back to the page with a message; a refusal (a stale page, a
step not possible yet) is shown on the page, answered 409 for conflicts and 400 for invalid input.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accord.algorithms.ewp.http_signature import public_key_pem
from accord.core import errors
from accord.ewp.node import keys
from accord.ewp.node.iia_content import export_iias, exportable_agreements
from accord.ewp.page import overview as agreement_overview
from accord.ewp.page import selectors, services
from accord.organisations.models import Organisation

_UPLOAD_FIELD = "file"


def _institution(request: HttpRequest, pk: int) -> Organisation:
    try:
        return selectors.get_institution_for_admin(user=request.user, pk=pk)
    except errors.NotFound as exc:
        raise Http404(exc.message) from exc
    except errors.PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc


def _page(request: HttpRequest, organisation: Organisation, *, status: int = 200) -> HttpResponse:
    page = selectors.ewp_page(user=request.user, organisation=organisation)
    context = {
        "page": page,
        "organisation": organisation,
        "catalogue_age": selectors.catalogue_age(page.registry.read_at),
        "selftest_groups": selectors.selftest_groups(page.selftest),
    }
    return render(request, "ewp/page.html", context, status=status)


def _act(request: HttpRequest, pk: int, call: Callable[[Organisation], str]) -> HttpResponse:
    """Run ``call`` for the institution (permission first); its answer is the success message."""
    organisation = _institution(request, pk)
    try:
        done = call(organisation)
    except errors.PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except errors.ValidationFailed as exc:
        for problems in exc.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return _page(request, organisation, status=400)
    except errors.DomainError as exc:
        messages.error(request, exc.message)
        return _page(request, organisation, status=409)
    messages.success(request, done)
    return redirect("ewp:page", pk=organisation.pk)


@login_required
@require_GET
def page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _institution(request, pk))


@login_required
@require_POST
def serve(request: HttpRequest, pk: int) -> HttpResponse:
    def call(organisation: Organisation) -> str:
        serving = services.institution_serve(
            actor=request.user,
            organisation=organisation,
            serve=request.POST.get("serve") == "1",
            seen_served=request.POST.get("seen_served") == "1",
        )
        return (
            _("The institution is served over EWP.") if serving else _("The institution is no longer served.")
        )

    return _act(request, pk, call)


@login_required
@require_POST
def key(request: HttpRequest, pk: int) -> HttpResponse:
    step = request.POST.get("step", "")

    def call(organisation: Organisation) -> str:
        if step == "create":
            services.node_key_create(
                actor=request.user, organisation=organisation, seen_key_id=request.POST.get("seen_key_id", "")
            )
            return _("The node's key is created. Give the registry the manifest's address.")
        if step == "rotate":
            services.node_key_rotation_start(
                actor=request.user, organisation=organisation, seen_key_id=request.POST.get("seen_key_id", "")
            )
            return _("The next key is published beside the current one until the registry lists it.")
        if step == "finish":
            services.node_key_rotation_finish(
                actor=request.user,
                organisation=organisation,
                seen_next_key_id=request.POST.get("seen_next_key_id", ""),
            )
            return _("The node signs with the new key from now on.")
        raise errors.ValidationFailed({"step": _("Choose what to do with the key.")})

    return _act(request, pk, call)


@login_required
@require_POST
def retry(request: HttpRequest, pk: int, notification_id: int) -> HttpResponse:
    def call(organisation: Organisation) -> str:
        seen = request.POST.get("seen_attempts", "")
        services.notification_retry(
            actor=request.user,
            organisation=organisation,
            notification_id=notification_id,
            seen_attempts=int(seen) if seen.isdigit() else -1,
        )
        return _("The notification will be sent again now.")

    return _act(request, pk, call)


@login_required
@require_POST
def selftest(request: HttpRequest, pk: int) -> HttpResponse:
    def call(organisation: Organisation) -> str:
        services.selftest_start(actor=request.user, organisation=organisation)
        return _("The self-test is running; its results appear below.")

    return _act(request, pk, call)


@login_required
@require_GET
def selftest_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The self-test part of the page, which htmx polls while the test runs."""
    organisation = _institution(request, pk)
    job = selectors.last_selftest(user=request.user, hei_id=organisation.schac_code or "")
    context = {"organisation": organisation, "job": job, "selftest_groups": selectors.selftest_groups(job)}
    return render(request, "ewp/_selftest.html", context)


@login_required
@require_POST
def iias_import(request: HttpRequest, pk: int) -> HttpResponse:
    def call(organisation: Organisation) -> str:
        upload = request.FILES.get(_UPLOAD_FIELD)
        if upload is None:
            raise errors.ValidationFailed({_UPLOAD_FIELD: _("Choose the partner's IIA file.")})
        # At most one byte more than the import accepts is read, so an oversized file is refused
        # without being held in memory (as ewp_import_iias does).
        document = upload.read(settings.ACCORD_EWP_MAX_IMPORT_BYTES + 1)
        report = services.iias_import(actor=request.user, organisation=organisation, document=document)
        return _("%(created)s created, %(mapped)s mapped, %(different)s different.") % {
            "created": len(report.created),
            "mapped": len(report.mapped),
            "different": len(report.different),
        }

    return _act(request, pk, call)


@login_required
@require_GET
def iias_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The institution's agreements as its partners see them (as shared), in an IIAs v7 file."""
    organisation = _institution(request, pk)
    document = export_iias(organisation, exportable_agreements(organisation))
    response = HttpResponse(document, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="iias-{organisation.schac_code}.xml"'
    return response


@login_required
@require_GET
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    """Where each agreement stands with each partner, filtered by partner and state; ``?format=csv``
    exports what the filters show."""
    organisation = _institution(request, pk)
    partner, state = request.GET.get("partner", "").strip(), request.GET.get("state", "")
    rows = agreement_overview.overview(organisation=organisation, partner=partner, state=state)
    if request.GET.get("format") == "csv":
        response = HttpResponse(agreement_overview.as_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="ewp-status-{organisation.schac_code}.csv"'
        return response
    context = {
        "organisation": organisation,
        "rows": rows,
        "counts": agreement_overview.counts(rows),
        "states": agreement_overview.STATES,
        "partner": partner,
        "state": state,
    }
    return render(request, "ewp/overview.html", context)


@login_required
@require_GET
def public_key(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    """The node's public key (``current`` or ``next``) as a PEM file, for the registry's operators."""
    _institution(request, pk)
    private = keys.node_private_key() if which == "current" else keys.node_next_key()
    if private is None:
        raise Http404(_("The node has no such key."))
    response = HttpResponse(public_key_pem(private.public_key()), content_type="application/x-pem-file")
    response["Content-Disposition"] = f'attachment; filename="accord-ewp-{which}-key.pem"'
    return response
