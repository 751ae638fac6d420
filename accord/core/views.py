from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accord.core.errors import NotFound
from accord.core.selectors import get_job_for_user


@login_required
def job_status(request: HttpRequest, job_id: UUID) -> HttpResponse:
    """A job's progress; htmx polls the fragment until the job is done."""
    try:
        job = get_job_for_user(user=request.user, job_id=job_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    template = "core/job_progress.html" if request.headers.get("HX-Request") else "core/job.html"
    return render(request, template, {"job": job})
