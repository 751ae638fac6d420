"""Background jobs with progress that the UI can show.

A job is a ``Job`` row plus a handler registered under its ``kind``. ``job_enqueue`` stores the row
and sends the Celery task :func:`run_job` when the surrounding transaction commits, so a worker never
looks for a row that does not exist yet. The task lives here, beside the runner it calls, so that
enqueueing and running need no import of each other. Handlers report progress through
``JobProgress``, which writes with a plain UPDATE outside any transaction the handler may hold, so
watchers see it at once.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from accord.celery import app
from accord.core.errors import DomainError
from accord.core.models import Job

logger = logging.getLogger(__name__)

JobHandler = Callable[[Job, "JobProgress"], dict[str, Any]]
_HANDLERS: dict[str, JobHandler] = {}


def job_handler(kind: str) -> Callable[[JobHandler], JobHandler]:
    def register(handler: JobHandler) -> JobHandler:
        _HANDLERS[kind] = handler
        return handler

    return register


class JobProgress:
    """Writes progress at most once per percent, so a million-row loop costs a hundred UPDATEs."""

    def __init__(self, job: Job):
        self.job = job
        self._last_percent = -1

    def update(self, done: int, total: int, message: str = "") -> None:
        percent = 100 if total <= 0 else min(100, int(done * 100 / total))
        if percent == self._last_percent:
            return
        self._last_percent = percent
        Job.objects.filter(pk=self.job.pk).update(progress=percent, message=message[:500])


def job_enqueue(*, owner: AbstractBaseUser, kind: str, label: str, payload: dict[str, Any]) -> Job:
    if kind not in _HANDLERS:
        raise ValueError(f"No job handler is registered for {kind!r}.")
    job = Job.objects.create(owner_id=owner.pk, kind=kind, label=label, payload=payload)
    transaction.on_commit(lambda: run_job.delay(str(job.pk)))
    return job


def job_run(job_id: str) -> None:
    """Run a job once; a job already finished is left alone, so a redelivered task is harmless."""
    job = Job.objects.get(pk=job_id)
    if job.is_done:
        return
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    handler = _HANDLERS[job.kind]
    try:
        result = handler(job, JobProgress(job))
    except Exception as exc:
        if isinstance(exc, DomainError):
            message = exc.message
        else:
            logger.exception("Job %s (%s) crashed", job.pk, job.kind)
            message = "The job failed unexpectedly; the administrators have the details in the log."
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            message=message[:500],
            result=exc.as_dict() if isinstance(exc, DomainError) else {},
            finished_at=timezone.now(),
        )
        return
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED,
        progress=100,
        result=result,
        finished_at=timezone.now(),
    )


@app.task(acks_late=True)
def run_job(job_id: str) -> None:
    job_run(job_id)
