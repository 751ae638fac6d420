"""The allocation as a background job, for calls large enough that a request should not wait."""

from accord.core.jobs import JobProgress, job_enqueue, job_handler
from accord.core.models import Job

ALLOCATION_JOB = "exchanges.allocate"


@job_handler(ALLOCATION_JOB)
def run_allocation_job(job: Job, progress: JobProgress) -> dict:
    from accord.exchanges import services
    from accord.exchanges.models import Call

    call = Call.objects.get(pk=job.payload["call"])
    progress.update(0, 1, "Allocating")
    run = services.allocation_run(actor=job.owner, call=call)
    return {"run": run.pk, "number": run.number, **run.result["stats"]}


def allocation_enqueue(*, actor, call) -> Job:
    return job_enqueue(
        owner=actor, kind=ALLOCATION_JOB, label=f"Allocation of {call.title}", payload={"call": call.pk}
    )
