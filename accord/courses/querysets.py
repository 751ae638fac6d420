"""Who may see and change a course catalogue.

* ``view``: every signed-in user. A catalogue is what an institution publishes for partners and their
  students, like its public profile; courses not open to partners' students are still listed, marked.
* ``manage``: admins and coordinators of the course's organisation, and platform staff.
"""

from enum import StrEnum

from django.db import models

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES


class CourseAction(StrEnum):
    VIEW = "view"
    MANAGE = "manage"


def may_manage_catalogue(user, organisation_id: int) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return is_platform_staff(user) or organisation_id in organisation_ids_with_roles(user, MANAGING_ROLES)


class CourseQuerySet(models.QuerySet):
    def for_user(self, user, action: str = CourseAction.VIEW) -> "CourseQuerySet":
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if is_platform_staff(user) or CourseAction(action) == CourseAction.VIEW:
            return self
        return self.filter(organisation_id__in=organisation_ids_with_roles(user, MANAGING_ROLES))
