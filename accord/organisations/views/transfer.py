"""Pages for importing and exporting the directory (thin: parse → transfer/tasks → render)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accord.core.errors import NotFound, ValidationFailed
from accord.core.selectors import get_job_for_user
from accord.organisations import selectors
from accord.organisations.tasks import EXPORT_JOB, IMPORT_JOB, export_enqueue, import_enqueue
from accord.organisations.transfer import COLUMN_HELP, COLUMNS, REQUIRED, Format, Target
from accord.organisations.transfer.forms import ImportForm
from accord.organisations.transfer.http import (
    contacts_export_response,
    organisations_export_response,
    template_response,
)
from accord.organisations.transfer.importing import may_import
from accord.organisations.transfer.reading import MAX_ROWS, size_text


def _format(fmt: str) -> Format:
    try:
        return Format(fmt)
    except ValueError:
        raise Http404(_("Exports are available as .csv and .xlsx.")) from None


@login_required
def import_page(request, target: str):
    target = Target(target)
    if not may_import(request.user, target):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = settings.ACCORD_MAX_IMPORT_BYTES
        if upload.size > limit:
            form.add_error(
                "file",
                _("The file is %(size)s; at most %(limit)s can be imported.")
                % {"size": size_text(upload.size), "limit": size_text(limit)},
            )
        else:
            try:
                job = import_enqueue(
                    actor=request.user,
                    data=upload.read(),
                    filename=upload.name,
                    target=target,
                    mode=form.cleaned_data["mode"],
                )
            except ValidationFailed as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("organisations:import-job", job_id=job.pk)
    columns = [
        {"name": name, "required": name in REQUIRED[target], "help": COLUMN_HELP[name]}
        for name in COLUMNS[target]
    ]
    return render(
        request,
        "organisations/transfer/import.html",
        {
            "form": form,
            "target": target.value,
            "columns": columns,
            "max_size": size_text(settings.ACCORD_MAX_IMPORT_BYTES),
            "max_rows": MAX_ROWS,
            "template_url_name": "organisations:import-template"
            if target == Target.ORGANISATIONS
            else "organisations:import-contacts-template",
        },
    )


@login_required
@require_GET
def import_job(request, job_id):
    """An import's progress and, once it is done, its outcome or its report of problems."""
    try:
        job = get_job_for_user(user=request.user, job_id=job_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if job.kind != IMPORT_JOB:
        raise Http404(_("No such import."))
    template = (
        "organisations/transfer/job_result.html"
        if request.headers.get("HX-Request")
        else "organisations/transfer/job.html"
    )
    return render(request, template, {"job": job, "result": job.result or {}})


@login_required
@require_GET
def import_template(request, target: str, fmt: str):
    return template_response(target=Target(target), fmt=_format(fmt))


@login_required
@require_GET
def organisations_export(request, fmt: str):
    """The directory with the page's filters (its query string): CSV streams at once; XLSX takes
    seconds to write, so it becomes a job whose page shows the progress and then the download link."""
    fmt = _format(fmt)
    if fmt == Format.XLSX:
        job = export_enqueue(actor=request.user, filters=request.GET)
        return redirect("organisations:export-job", job_id=job.pk)
    return organisations_export_response(user=request.user, filters=request.GET, fmt=fmt)


def _export(request, job_id):
    try:
        job = get_job_for_user(user=request.user, job_id=job_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if job.kind != EXPORT_JOB:
        raise Http404(_("No such export."))
    return job


@login_required
@require_GET
def export_job(request, job_id):
    """An export's progress, polled by htmx, and its download link once the file is written."""
    job = _export(request, job_id)
    template = (
        "organisations/transfer/export_result.html"
        if request.headers.get("HX-Request")
        else "organisations/transfer/export.html"
    )
    return render(request, template, {"job": job, "result": job.result or {}})


@login_required
@require_GET
def export_download(request, job_id):
    job = _export(request, job_id)
    name = (job.result or {}).get("file")
    if job.status != job.Status.SUCCEEDED or not name or not default_storage.exists(name):
        raise Http404(_("This export has no file (any more); start the export again."))
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=job.result.get("filename", "organisations.xlsx"),
    )


@login_required
@require_GET
def contacts_export(request, pk: int, fmt: str):
    """The organisation's contacts that the user may see, as CSV or XLSX."""
    fmt = _format(fmt)
    try:
        organisation = selectors.get_organisation_for_user(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return contacts_export_response(user=request.user, organisation=organisation, fmt=fmt)
