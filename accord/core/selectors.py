from accord.core.errors import NotFound
from accord.core.models import Job


def get_job_for_user(*, user, job_id) -> Job:
    """Jobs are private to whoever started them."""
    job = Job.objects.filter(pk=job_id, owner=user).first() if user.is_authenticated else None
    if job is None:
        raise NotFound("No such job.")
    return job
