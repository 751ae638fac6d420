"""Reports on request: a background job with its progress, then the file."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accord.core import errors
from accord.core.http import domain_errors_as_http
from accord.core.models import Job
from accord.core.selectors import get_job_for_user
from accord.evaluation.tasks import REPORT_JOB, report_enqueue


@login_required
@require_POST
@domain_errors_as_http
def request_report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    def number(name: str) -> int | None:
        value = request.POST.get(name, "").strip()
        return int(value) if value.isdigit() else None

    try:
        job = report_enqueue(
            actor=request.user,
            kind=kind,
            pk=pk or None,
            first_year=number("from_year"),
            last_year=number("to_year"),
            fmt=request.POST.get("fmt", "pdf"),
        )
    except errors.ValidationFailed as exc:
        for messages_of_field in exc.errors.values():
            for message in messages_of_field:
                messages.error(request, message)
        return redirect(request.POST.get("back") or "evaluation:index")
    return redirect("evaluation:report-status", job_id=job.pk)


def _job(request: HttpRequest, job_id: UUID) -> Job:
    try:
        job = get_job_for_user(user=request.user, job_id=job_id)
    except errors.NotFound as exc:
        raise Http404(exc.message) from exc
    if job.kind != REPORT_JOB:
        raise Http404
    return job


@login_required
@require_GET
def report_status(request: HttpRequest, job_id: UUID) -> HttpResponse:
    job = _job(request, job_id)
    template = (
        "evaluation/_report_progress.html" if request.headers.get("HX-Request") else "evaluation/report.html"
    )
    return render(request, template, {"job": job})


@login_required
@require_GET
def report_download(request: HttpRequest, job_id: UUID) -> HttpResponse:
    job = _job(request, job_id)
    name = job.result.get("file") if job.status == Job.Status.SUCCEEDED else None
    if not name or not default_storage.exists(name):
        raise Http404
    return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=job.result["filename"])
