from accord.celery import app
from accord.core.jobs import job_run


@app.task(acks_late=True)
def run_job(job_id: str) -> None:
    job_run(job_id)
