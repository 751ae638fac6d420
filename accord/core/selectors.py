from uuid import UUID

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from accord.core.errors import NotFound
from accord.core.models import Job


def get_job_for_user(*, user: AbstractBaseUser | AnonymousUser, job_id: UUID) -> Job:
    """Jobs are private to whoever started them."""
    job = Job.objects.filter(pk=job_id, owner_id=user.pk).first() if user.is_authenticated else None
    if job is None:
        raise NotFound(_("No such job."))
    return job
